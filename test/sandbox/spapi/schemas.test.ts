/**
 * Every response shape against Amazon's own models: field names, casing, wrappers, types,
 * enums and required fields (strict: no property the model does not name).
 */

import { MARKETPLACE_IDS, OPERATIONS, startSpApiSandbox, type OperationName, type SpApiSandbox } from './index';
import { isoAgo, lwaToken, qs, SpApi, type CallResult } from './helpers';
import { checkResponse } from './schema-check';
import { DAY } from './util';

// The models are vendored in the repository (test/contract/models), so this always runs.
const describeIfModels = describe;

describeIfModels('SP-API sandbox: responses conform to the models', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;
	let eu: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 800, rateLimits: false, catalogSize: 150 });
		api = new SpApi(sandbox, await lwaToken(sandbox));
		eu = new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('eu')), 'eu');
	});
	afterAll(() => sandbox.close());

	it('the checker itself flags wrong shapes', () => {
		const problems = checkResponse('ordersV0.json', '/orders/v0/orders', 'GET', 200, {
			payload: { Orders: [{ AmazonOrderId: 1, PurchaseDate: 'x', LastUpdateDate: 'x', OrderStatus: 'Done', OrderTotal: { CurrencyCode: 'USD', Amount: 1.5 }, buyerInfo: {} }] },
		});
		expect(problems).toEqual([
			expect.stringContaining('AmazonOrderId: expected string'),
			expect.stringContaining('OrderStatus: "Done" not in enum'),
			expect.stringContaining('Amount: expected string'),
			expect.stringContaining('unknown property buyerInfo'),
		]);
		expect(checkResponse('finances_2024-06-19.json', '/finances/2024-06-19/transactions', 'GET', 200, { payload: { transactions: [{ totalAmount: { currencyCode: 'USD', currencyAmount: '1.00' } }] } })).toEqual([
			expect.stringContaining('currencyAmount: expected number'),
		]);
	});

	const conforms = (name: OperationName, res: CallResult) => {
		const op = OPERATIONS.find((o) => o.name === name)!;
		expect({ name, status: res.status, problems: checkResponse(op.model, op.template, op.method, res.status, res.json).slice(0, 10) }).toEqual({ name, status: res.status, problems: [] });
	};

	it('Orders v0 with every PII data element, items and errors', async () => {
		const rdt = await api.post('/tokens/2021-03-01/restrictedDataToken', {
			restrictedResources: [
				{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'] },
				{ method: 'GET', path: '/orders/v0/orders/{orderId}', dataElements: ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'] },
				{ method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems', dataElements: ['buyerInfo'] },
			],
		});
		conforms('tokens.createRestrictedDataToken', rdt);
		const pii = new SpApi(sandbox, rdt.json.restrictedDataToken);
		const list = await pii.get(`/orders/v0/orders${qs({ MarketplaceIds: [MARKETPLACE_IDS.US, MARKETPLACE_IDS.CA, MARKETPLACE_IDS.MX], CreatedAfter: isoAgo(sandbox, 200 * DAY) })}`);
		expect(list.json.payload.Orders).toHaveLength(100);
		conforms('ordersV0.getOrders', list);
		const orders = sandbox.data.orders();
		const picks = [orders.find((o) => o.isBusiness), orders.find((o) => o.status === 'Pending'), orders.find((o) => o.items.some((i) => i.isGift)), orders.find((o) => o.items.length > 10)];
		for (const o of picks) {
			conforms('ordersV0.getOrder', await pii.get(`/orders/v0/orders/${o!.amazonOrderId}`));
			conforms('ordersV0.getOrderItems', await pii.get(`/orders/v0/orders/${o!.amazonOrderId}/orderItems`));
		}
		conforms('ordersV0.getOrders', await api.get(`/orders/v0/orders${qs({ MarketplaceIds: MARKETPLACE_IDS.US })}`));
		conforms('ordersV0.getOrder', await api.get('/orders/v0/orders/111-0000000-0000000'));
		conforms('ordersV0.getOrder', await new SpApi(sandbox, 'Atza|x').get('/orders/v0/orders/111-0000000-0000000'));
		conforms('tokens.createRestrictedDataToken', await api.post('/tokens/2021-03-01/restrictedDataToken', { restrictedResources: [] }));
	});

	it('Orders 2026-01-01 with all includedData', async () => {
		const all = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'];
		const res = await api.get(`/orders/2026-01-01/orders${qs({ lastUpdatedAfter: isoAgo(sandbox, 200 * DAY), includedData: all })}`);
		expect(res.json.orders).toHaveLength(100);
		conforms('orders2026.searchOrders', res);
		const fe = new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('fe')), 'fe');
		conforms('orders2026.searchOrders', await fe.get(`/orders/2026-01-01/orders${qs({ createdAfter: isoAgo(sandbox, 200 * DAY), includedData: all })}`));
		const o = sandbox.data.orders().find((x) => x.status === 'Canceled')!;
		conforms('orders2026.getOrder', await api.get(`/orders/2026-01-01/orders/${o.amazonOrderId}${qs({ includedData: all })}`));
		conforms('orders2026.searchOrders', await api.get(`/orders/2026-01-01/orders${qs({ maxResultsPerPage: 0 })}`));
	});

	it('Finances v0 and 2024-06-19', async () => {
		conforms('financesV0.listFinancialEventGroups', await api.get(`/finances/v0/financialEventGroups${qs({ MaxResultsPerPage: 100 })}`));
		for (const group of sandbox.data.financialEventGroups().slice(0, 4)) {
			conforms('financesV0.listFinancialEventsByGroupId', await api.get(`/finances/v0/financialEventGroups/${group.groupId}/financialEvents`));
		}
		const tx = await api.get(`/finances/2024-06-19/transactions${qs({ postedAfter: isoAgo(sandbox, 30 * DAY) })}`);
		expect(tx.json.payload.transactions.length).toBeGreaterThan(0);
		conforms('finances2024.listTransactions', tx);
		conforms('finances2024.listTransactions', await api.get(`/finances/2024-06-19/transactions${qs({ postedAfter: isoAgo(sandbox, 8 * DAY), transactionStatus: 'DEFERRED' })}`));
		conforms('finances2024.listTransactions', await api.get('/finances/2024-06-19/transactions'));
	});

	it('Reports and FBA Inventory', async () => {
		const created = await api.post('/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [MARKETPLACE_IDS.US] });
		conforms('reports.createReport', created);
		for (let i = 0; i < 3; i++) conforms('reports.getReport', await api.get(`/reports/2021-06-30/reports/${created.json.reportId}`));
		conforms('reports.getReports', await eu.get(`/reports/2021-06-30/reports${qs({ reportTypes: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2' })}`));
		conforms('reports.getReports', await api.get(`/reports/2021-06-30/reports${qs({ reportTypes: 'GET_MERCHANT_LISTINGS_ALL_DATA', processingStatuses: 'DONE' })}`));
		const report = (await api.get(`/reports/2021-06-30/reports/${created.json.reportId}`)).json;
		conforms('reports.getReportDocument', await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(report.reportDocumentId)}`));
		conforms('reports.getReports', await api.get(`/reports/2021-06-30/reports${qs({ nextToken: 'x', pageSize: 5 })}`));
		const inv = await api.get(`/fba/inventory/v1/summaries${qs({ granularityType: 'Marketplace', granularityId: MARKETPLACE_IDS.US, marketplaceIds: MARKETPLACE_IDS.US, details: true })}`);
		conforms('fbaInventory.getInventorySummaries', inv);
		conforms('fbaInventory.getInventorySummaries', await api.get(`/fba/inventory/v1/summaries${qs({ granularityType: 'Marketplace' })}`));
	});
});

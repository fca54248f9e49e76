/**
 * Every response shape against Amazon's own models: field names, casing, wrappers, types,
 * enums and required fields (strict: no property the model does not name).
 */

import { MARKETPLACE_IDS, OPERATIONS, SELLERS_MODEL_INFERRED, startSpApiSandbox, type OperationName, type SpApiSandbox } from './index';
import { call, grantlessToken, isoAgo, lwaToken, qs, SpApi, type CallResult } from './helpers';
import { checkResponse, checkResponseWithModel, type Model } from './schema-check';
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

	it('Listings Items: every includedData, FBA and EU listings, submissions (ACCEPTED, INVALID, VALID with identifiers) and errors', async () => {
		const all = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'];
		const item = (seller: string, sku: string) => `/listings/2021-08-01/items/${seller}/${encodeURIComponent(sku)}`;
		const withIssues = sandbox.data.listings().find((l) => l.issues.length)!;
		for (const l of [...sandbox.data.listings().slice(0, 6), withIssues]) {
			conforms('listings.getListingsItem', await api.get(`${item('A1SANDBOXNA001', l.sku)}${qs({ marketplaceIds: [MARKETPLACE_IDS.US, MARKETPLACE_IDS.CA], includedData: all })}`));
		}
		const euListing = sandbox.data.listings('A2SANDBOXEU001')[0];
		conforms('listings.getListingsItem', await eu.get(`${item('A2SANDBOXEU001', euListing.sku)}${qs({ marketplaceIds: MARKETPLACE_IDS.DE, includedData: all })}`));
		conforms('listings.getListingsItem', await api.get(`${item('A1SANDBOXNA001', 'NO-SUCH-SKU')}${qs({ marketplaceIds: MARKETPLACE_IDS.US })}`));
		conforms('listings.getListingsItem', await api.get(item('A1SANDBOXNA001', 'x')));
		conforms('listings.getListingsItem', await api.get(`${item('A2SANDBOXEU001', 'x')}${qs({ marketplaceIds: MARKETPLACE_IDS.US })}`));
		const mfn = sandbox.data.listings().find((l) => l.attributes.fulfillment_availability?.[0].fulfillment_channel_code === 'DEFAULT')!;
		const merge = (quantity: number) => ({ productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }] });
		conforms('listings.patchListingsItem', await api.patch(`${item('A1SANDBOXNA001', mfn.sku)}${qs({ marketplaceIds: MARKETPLACE_IDS.US })}`, merge(3)));
		conforms('listings.patchListingsItem', await api.patch(`${item('A1SANDBOXNA001', mfn.sku)}${qs({ marketplaceIds: MARKETPLACE_IDS.US })}`, merge(-3)));
		conforms('listings.patchListingsItem', await api.patch(`${item('A1SANDBOXNA001', mfn.sku)}${qs({ marketplaceIds: MARKETPLACE_IDS.US, mode: 'VALIDATION_PREVIEW', includedData: 'identifiers,issues' })}`, merge(3)));
		conforms('listings.patchListingsItem', await api.patch(`${item('A1SANDBOXNA001', mfn.sku)}${qs({ marketplaceIds: MARKETPLACE_IDS.US })}`, { productType: 'PRODUCT', patches: [] }));
	});

	it('Feeds: documents, feeds through the lifecycle, lists, cancel and errors', async () => {
		const created = await api.post('/feeds/2021-06-30/documents', { contentType: 'application/json; charset=UTF-8' });
		conforms('feeds.createFeedDocument', created);
		conforms('feeds.createFeedDocument', await api.post('/feeds/2021-06-30/documents', {}));
		const local = created.json.url.replace(`https://${sandbox.storageHost}`, sandbox.storageUrl);
		const sku = sandbox.data.listings()[0].sku;
		const doc = { header: { sellerId: 'A1SANDBOXNA001', version: '2.0' }, messages: [{ messageId: 1, sku, operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }] }] }] };
		expect((await call(local, { method: 'PUT', headers: { 'Content-Type': 'application/json; charset=UTF-8', 'x-forwarded-host': sandbox.storageHost }, body: JSON.stringify(doc) })).status).toBe(200);
		const feed = await api.post('/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [MARKETPLACE_IDS.US], inputFeedDocumentId: created.json.feedDocumentId });
		conforms('feeds.createFeed', feed);
		conforms('feeds.createFeed', await api.post('/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [MARKETPLACE_IDS.US] }));
		let last: CallResult | undefined;
		for (let i = 0; i < 3; i++) {
			last = await api.get(`/feeds/2021-06-30/feeds/${feed.json.feedId}`);
			conforms('feeds.getFeed', last);
		}
		conforms('feeds.getFeed', await api.get('/feeds/2021-06-30/feeds/1'));
		conforms('feeds.getFeedDocument', await api.get(`/feeds/2021-06-30/documents/${encodeURIComponent(last!.json.resultFeedDocumentId)}`));
		conforms('feeds.getFeedDocument', await api.get('/feeds/2021-06-30/documents/nope'));
		conforms('feeds.getFeeds', await api.get(`/feeds/2021-06-30/feeds${qs({ feedTypes: 'JSON_LISTINGS_FEED' })}`));
		conforms('feeds.getFeeds', await api.get('/feeds/2021-06-30/feeds'));
		const second = await api.post('/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [MARKETPLACE_IDS.US], inputFeedDocumentId: created.json.feedDocumentId });
		conforms('feeds.cancelFeed', await api.delete(`/feeds/2021-06-30/feeds/${second.json.feedId}`));
		conforms('feeds.cancelFeed', await api.delete(`/feeds/2021-06-30/feeds/${second.json.feedId}`));
	});

	it('Notifications: destinations, subscriptions, by-id operations, test notifications and their errors (400, 403, 404, 409)', async () => {
		const app = new SpApi(sandbox, await grantlessToken(sandbox));
		const arn = 'arn:aws:sqs:us-east-1:123456789012:schema-check';
		const destination = await app.post('/notifications/v1/destinations', { name: 'q', resourceSpecification: { sqs: { arn } } });
		conforms('notifications.createDestination', destination);
		conforms('notifications.createDestination', await app.post('/notifications/v1/destinations', { name: 'q', resourceSpecification: { sqs: { arn } } }));
		conforms('notifications.createDestination', await app.post('/notifications/v1/destinations', { name: 'bus', resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } } }));
		conforms('notifications.createDestination', await app.post('/notifications/v1/destinations', { name: 'q' }));
		conforms('notifications.getDestinations', await app.get('/notifications/v1/destinations'));
		conforms('notifications.getDestinations', await api.get('/notifications/v1/destinations'));
		const destinationId = destination.json.payload.destinationId;
		conforms('notifications.getDestination', await app.get(`/notifications/v1/destinations/${destinationId}`));
		conforms('notifications.getDestination', await app.get('/notifications/v1/destinations/nope'));
		const sub = await api.post('/notifications/v1/subscriptions/ORDER_CHANGE', { payloadVersion: '1.0', destinationId, processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'] } } });
		conforms('notifications.createSubscription', sub);
		conforms('notifications.createSubscription', await api.post('/notifications/v1/subscriptions/ORDER_CHANGE', { payloadVersion: '1.0', destinationId }));
		conforms('notifications.createSubscription', await api.post('/notifications/v1/subscriptions/ORDER_CHANGE', { payloadVersion: '1.0' }));
		conforms('notifications.getSubscription', await api.get('/notifications/v1/subscriptions/ORDER_CHANGE'));
		conforms('notifications.getSubscription', await api.get('/notifications/v1/subscriptions/FEED_PROCESSING_FINISHED'));
		conforms('notifications.getSubscriptions', await api.get(`/notifications/v1/subscriptions${qs({ notificationTypes: 'ORDER_CHANGE' })}`));
		conforms('notifications.getSubscriptions', await api.get('/notifications/v1/subscriptions'));
		const id = sub.json.payload.subscriptionId;
		conforms('notifications.getSubscriptionById', await app.get(`/notifications/v1/subscriptions/ORDER_CHANGE/${id}`));
		conforms('notifications.getSubscriptionById', await app.get('/notifications/v1/subscriptions/ORDER_CHANGE/nope'));
		const test = await app.request('POST', '/notifications/v1/subscriptions/ORDER_CHANGE/testNotification', {
			body: { destinationId, testNotification: { payloadVersion: '1.0', testScenario: 'default' } },
			headers: sandbox.hostHeaders('na', true),
		});
		conforms('notifications.sendTestNotification', test);
		conforms('notifications.deleteDestination', await app.delete(`/notifications/v1/destinations/${destinationId}`));
		conforms('notifications.deleteSubscriptionById', await app.delete(`/notifications/v1/subscriptions/ORDER_CHANGE/${id}`));
		conforms('notifications.deleteSubscriptionById', await app.delete(`/notifications/v1/subscriptions/ORDER_CHANGE/${id}`));
		conforms('notifications.deleteDestination', await app.delete(`/notifications/v1/destinations/${destinationId}`));
	});

	it('Sellers (model not vendored: the inferred model in sellers.ts)', async () => {
		const model = SELLERS_MODEL_INFERRED as unknown as Model;
		const path = '/sellers/v1/marketplaceParticipations';
		for (const client of [api, eu, new SpApi(sandbox, 'Atza|x')]) {
			const res = await client.get(path);
			expect(checkResponseWithModel(model, path, 'GET', res.status, res.json)).toEqual([]);
		}
	});
});

/**
 * Amazon Seller Central node: Finance, Token and Raw Request operations as real workflows against
 * the SP-API sandbox, and what a finance team must be able to trust: transactions that add up to
 * the group, empty pages followed to the end, a raw request that can never leave the credential's
 * regional host, and LWA failures that say exactly what to renew.
 */
import type { IDataObject } from 'n8n-workflow';

import { findSecretLeaks } from '../../harness';
import { type AmazonTestbed, AMAZON_NODE, jsonOf, runAmazon, startAmazonTestbed } from './helpers';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('Amazon Seller Central: finances', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 800, transactionsPageSize: 40 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => expect(bed.sandbox.contractViolations).toEqual([]));

	it('List Financial Event Groups returns every group started in the window', async () => {
		const after = Date.now() - 170 * DAY;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'finance', operation: 'listEventGroups', startedAfter: iso(after), returnAll: true, options: {} },
		});
		const groups = jsonOf(result.output(AMAZON_NODE));
		const expected = bed.sandbox.data.financialEventGroups().filter((group) => group.start >= after);
		expect(groups.map((group) => group.FinancialEventGroupId).sort()).toEqual(expected.map((group) => group.groupId).sort());
		expect(groups.length).toBeGreaterThan(10);
	});

	it("List Transactions by event group: every transaction, summing exactly to the group's total", async () => {
		const group = bed.sandbox.data.financialEventGroups().find((candidate) => candidate.processingStatus === 'Closed' && candidate.events.length > 45)!;
		expect(group).toBeDefined();
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'finance', operation: 'listTransactions', selectBy: 'eventGroup', eventGroupId: group.groupId, returnAll: true, options: {} },
		});
		const transactions = jsonOf(result.output(AMAZON_NODE));
		expect(transactions).toHaveLength(group.events.length);
		const cents = transactions.reduce((sum, transaction) => sum + Math.round(((transaction.totalAmount as IDataObject).currencyAmount as number) * 100), 0);
		expect(cents).toBe(group.total);
		expect(bed.sandbox.stats.requests({ operation: 'finances2024.listTransactions' }).length).toBeGreaterThan(1);
	});

	it('List Transactions by posted date follows empty pages to the end: every transaction once', async () => {
		const after = Date.now() - 100 * DAY;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'finance', operation: 'listTransactions', postedAfter: iso(after), returnAll: true, options: {} },
		});
		const ids = jsonOf(result.output(AMAZON_NODE)).map((transaction) => JSON.stringify(transaction.relatedIdentifiers) + String(transaction.postedDate) + String(transaction.transactionType));
		expect(ids.length).toBeGreaterThan(100);
		expect(new Set(ids).size).toBe(ids.length);
		const pages = bed.sandbox.stats.requests({ operation: 'finances2024.listTransactions' });
		expect(pages.some((page) => page.query.nextToken)).toBe(true);
	});

	it('List Financial Events by Group names each event by its list (v0)', async () => {
		const group = bed.sandbox.data.financialEventGroups().find((candidate) => candidate.processingStatus === 'Closed' && candidate.events.some((event) => event.kind === 'Refund'))!;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'finance', operation: 'listEventsByGroup', eventGroupId: group.groupId, returnAll: true, options: {} },
		});
		const events = jsonOf(result.output(AMAZON_NODE));
		expect(events).toHaveLength(group.events.length);
		expect(new Set(events.map((event) => event.eventType))).toEqual(new Set(['ShipmentEvent', 'RefundEvent', ...(events.some((event) => event.eventType === 'ServiceFeeEvent') ? ['ServiceFeeEvent'] : [])]));
		expect(events.every((event) => event.financialEventGroupId === group.groupId)).toBe(true);
	});
});

describe('Amazon Seller Central: tokens, raw requests and credential failures', () => {
	const canary = { clientSecret: 'amzn1.oa2-cs.v1.CANARY-secret-7f3e9a1c5b2d4e6f8a0b1c2d3e4f5a6b', refreshToken: 'Atzr|CANARY-refresh-token-0a1b2c3d4e5f' };
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({
			timeScale: 1000,
			ordersPerSeller: 200,
			apps: [{ clientId: 'amzn1.application-oa2-client.canary0001', clientSecret: canary.clientSecret, restrictedRole: true }],
			authorizations: [{ refreshToken: canary.refreshToken, clientId: 'amzn1.application-oa2-client.canary0001', sellerId: 'A1SANDBOXNA001' }],
			sellers: [{ sellerId: 'A1SANDBOXNA001', region: 'na', marketplaceIds: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'] }],
		});
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());

	/** Every secret of the run: the credential's and the access token n8n stored. */
	function secrets(stored: IDataObject | undefined): string[] {
		return [canary.clientSecret, canary.refreshToken, String(stored?.accessToken ?? '')].filter((secret) => secret.length > 8);
	}

	it('Create Restricted Data Token returns a token for exactly the given resources', async () => {
		const order = bed.sandbox.data.orders()[0];
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: {
				resource: 'token',
				operation: 'createRestrictedDataToken',
				restrictedResources: JSON.stringify([{ method: 'GET', path: `/orders/v0/orders/${order.amazonOrderId}`, dataElements: ['buyerInfo', 'shippingAddress'] }]),
				options: {},
			},
		});
		expect(result.status).toBe('success');
		const [token] = jsonOf(result.output(AMAZON_NODE));
		expect(token.restrictedDataToken).toMatch(/^Atz\.sprdt\|/);
		const [request] = bed.sandbox.stats.requests({ operation: 'tokens.createRestrictedDataToken' });
		expect(request.status).toBe(200);
		expect(bed.sandbox.contractViolations).toEqual([]);
	});

	it('Raw Request sends a path to the regional host; a full URL to another host is refused before anything is sent', async () => {
		const ok = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'rawRequest', operation: 'request', method: 'GET', path: '/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER', options: {} },
		});
		expect(ok.error?.message).toBeUndefined();
		expect(ok.status).toBe('success');
		expect(jsonOf(ok.output(AMAZON_NODE))[0]).toMatchObject({ statusCode: 200, body: { payload: { granularity: { granularityId: 'ATVPDKIKX0DER' } } } });
		const requests = bed.sandbox.stats.requests({ server: 'api' });
		expect(requests.map((entry) => entry.host)).toEqual(['sellingpartnerapi-na.amazon.com']);

		bed.sandbox.stats.reset();
		for (const path of ['https://evil.example.com/orders/v0/orders', '//evil.example.com/x', 'https://sellingpartnerapi-eu.amazon.com/orders/v0/orders', '/orders/%2e%2e/%2e%2e/x', '/\\evil.example.com/x']) {
			const refused = await runAmazon({
				sandbox: bed.sandbox,
				node: { onError: 'continueErrorOutput' },
				parameters: { resource: 'rawRequest', operation: 'request', method: 'GET', path, options: {} },
			});
			const [failed] = refused.output(AMAZON_NODE, 1);
			expect({ path, error: String(failed.json.error) }).toEqual({ path, error: expect.stringMatching(/path|host|API root/i) });
		}
		expect(bed.sandbox.stats.requests({})).toHaveLength(0);
		expect(bed.sandbox.contractViolations).toEqual([]);
	});

	it('a revoked authorization (invalid_grant) says to re-authorize; no secret in the error, the output or the logs', async () => {
		bed.sandbox.revokeRefreshToken(canary.refreshToken);
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'order', operation: 'get', orderId: bed.sandbox.data.orders()[0].amazonOrderId, options: {} },
		});
		const [failed] = result.output(AMAZON_NODE, 1);
		const text = JSON.stringify(failed.json);
		expect(text).toMatch(/invalid_grant/);
		expect(text).toMatch(/Re-authorize the app/);
		expect(findSecretLeaks(secrets(result.credentialStore.get('amazonSellingPartnerApi')), { logs: result.logs, outputs: [failed.json], error: result.error })).toEqual([]);
	});

	it('a rotated LWA client secret (invalid_client) says which secret to copy; the workflow fails cleanly without Continue On Fail', async () => {
		bed.sandbox.rotateClientSecret('amzn1.application-oa2-client.canary0001', 'amzn1.oa2-cs.v1.NEW-secret-after-rotation-000000000000');
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'get', orderId: bed.sandbox.data.orders()[0].amazonOrderId, options: {} },
		});
		expect(result.status).toBe('error');
		const error = result.error as { message: string; description?: string };
		expect(`${error.message} ${error.description}`).toMatch(/invalid_client/);
		expect(`${error.message} ${error.description}`).toMatch(/client secret/i);
		expect(findSecretLeaks(secrets(undefined), { logs: result.logs, error: result.error })).toEqual([]);
	});

	it('a successful run with PII and 429s: outputs, errors and logs hold no secret, refresh token or access token', async () => {
		bed.sandbox.faults.failNext(2, 429, { operation: 'ordersV0.getOrders', match: 'NextToken=' });
		bed.sandbox.faults.failNext(1, 503, { operation: 'ordersV0.getOrder' });
		const order = bed.sandbox.data.orders().find((candidate) => candidate.status === 'Shipped')!;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'getMany', apiVersion: 'v0', after: iso(Date.now() - 60 * DAY), returnAll: true, includePersonalData: true, options: {} },
		});
		const single = await runAmazon({
			sandbox: bed.sandbox,
			credentialStore: result.credentialStore,
			parameters: { resource: 'order', operation: 'get', apiVersion: 'v0', orderId: order.amazonOrderId, includePersonalData: true, options: {} },
		});
		expect(result.status).toBe('success');
		expect(single.status).toBe('success');
		const stored = result.credentialStore.get('amazonSellingPartnerApi');
		expect(String(stored?.accessToken)).toMatch(/^Atza\|/);
		const leaks = findSecretLeaks(secrets(stored), {
			logs: [...result.logs, ...single.logs],
			outputs: [...jsonOf(result.output(AMAZON_NODE)), ...jsonOf(single.output(AMAZON_NODE))],
		});
		expect(leaks).toEqual([]);
		expect(bed.sandbox.contractViolations).toEqual([]);
	});
});

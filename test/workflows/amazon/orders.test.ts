/**
 * Amazon Seller Central node, Order resource, run as real workflows against the SP-API sandbox
 * under Amazon's host names: windows, paging, personal data through RDTs or roles, token expiry
 * mid-run, throttling, and every request checked against Amazon's models.
 */
import type { IDataObject, IPairedItemData } from 'n8n-workflow';

import { MARKETPLACE_IDS } from '../../sandbox/spapi';
import { type AmazonTestbed, AMAZON_NODE, jsonOf, runAmazon, startAmazonTestbed } from './helpers';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('Amazon Seller Central: orders', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 2000, ordersPerSeller: 1500 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => {
		expect(bed.sandbox.contractViolations).toEqual([]);
	});

	/** Orders the sandbox holds for the NA seller whose last update lies in [after, before]. */
	function expectedIds(after: number, before: number, filter: (status: string) => boolean = () => true): string[] {
		return bed.sandbox.data
			.orders()
			.filter((order) => order.lastUpdateDate >= after && order.lastUpdateDate <= before && filter(order.status))
			.map((order) => order.amazonOrderId)
			.sort();
	}

	it('Get Many (2026-01-01) returns every order updated in the window, one item per order, paired with its input', async () => {
		const now = Date.now();
		const after = now - 20 * DAY;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'getMany', after: iso(after), returnAll: true, options: {} },
		});
		expect(result.status).toBe('success');
		const orders = jsonOf(result.output(AMAZON_NODE));
		const ids = orders.map((order) => order.orderId as string).sort();
		// The end of the window is 2 minutes (and a margin) before now: the newest orders are not yet visible.
		expect(ids).toEqual(expectedIds(after, now - 2 * 60_000 - 10_000));
		expect(ids.length).toBeGreaterThan(100);
		expect(new Set(ids).size).toBe(ids.length);
		expect(result.output(AMAZON_NODE).every((item) => (item.pairedItem as IPairedItemData).item === 0)).toBe(true);
		const request = bed.sandbox.stats.requests({ operation: 'orders2026.searchOrders' })[0];
		expect(request.query.lastUpdatedBefore).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		expect(Date.parse(String(request.query.lastUpdatedBefore))).toBeLessThanOrEqual(now - 2 * 60_000);
		expect(request.query.maxResultsPerPage).toBe('100');
	});

	it('Get Many (v0) filters by status and fulfilment channel, by creation date, and stops at the limit', async () => {
		const after = Date.now() - 30 * DAY;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: {
				resource: 'order',
				operation: 'getMany',
				apiVersion: 'v0',
				dateFilter: 'created',
				after: iso(after),
				returnAll: false,
				limit: 7,
				filters: { orderStatuses: ['Shipped'], fulfilledBy: 'MERCHANT', marketplaceIds: MARKETPLACE_IDS.US },
				options: {},
			},
		});
		expect(result.status).toBe('success');
		const orders = jsonOf(result.output(AMAZON_NODE));
		expect(orders).toHaveLength(7);
		for (const order of orders) {
			expect(order).toMatchObject({ OrderStatus: 'Shipped', FulfillmentChannel: 'MFN', MarketplaceId: MARKETPLACE_IDS.US });
			expect(Date.parse(order.PurchaseDate as string)).toBeGreaterThanOrEqual(after - 1000);
			expect(order).not.toHaveProperty('BuyerInfo');
		}
		const [request] = bed.sandbox.stats.requests({ operation: 'ordersV0.getOrders' });
		expect(request.query).toMatchObject({ MaxResultsPerPage: '7', OrderStatuses: 'Shipped', FulfillmentChannels: 'MFN' });
	});

	it('v0 personal data comes only through one Restricted Data Token covering exactly getOrders', async () => {
		const after = Date.now() - 3 * DAY;
		const run = (includePersonalData: boolean) =>
			runAmazon({
				sandbox: bed.sandbox,
				parameters: { resource: 'order', operation: 'getMany', apiVersion: 'v0', after: iso(after), returnAll: true, includePersonalData, options: {} },
			});
		const withPii = await run(true);
		expect(withPii.status).toBe('success');
		const orders = jsonOf(withPii.output(AMAZON_NODE));
		expect(orders.length).toBeGreaterThan(5);
		expect(orders.filter((order) => order.ShippingAddress).length).toBeGreaterThan(0);
		expect(orders.some((order) => (order.BuyerInfo as IDataObject | undefined)?.BuyerEmail)).toBe(true);
		const rdtCalls = bed.sandbox.stats.requests({ operation: 'tokens.createRestrictedDataToken' });
		expect(rdtCalls).toHaveLength(1);
		// Every getOrders page was sent with the RDT, not the LWA access token.
		for (const page of bed.sandbox.stats.requests({ operation: 'ordersV0.getOrders' })) expect(page.status).toBe(200);

		bed.sandbox.stats.reset();
		const without = await run(false);
		expect(jsonOf(without.output(AMAZON_NODE)).every((order) => !order.BuyerInfo && !order.ShippingAddress)).toBe(true);
		expect(bed.sandbox.stats.requests({ operation: 'tokens.createRestrictedDataToken' })).toHaveLength(0);
	});

	it('2026-01-01 personal data asks for BUYER and RECIPIENT (no RDT involved)', async () => {
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: {
				resource: 'order',
				operation: 'getMany',
				after: iso(Date.now() - 3 * DAY),
				returnAll: true,
				includePersonalData: true,
				options: { includedData: ['PROCEEDS'] },
			},
		});
		expect(result.status).toBe('success');
		const [request] = bed.sandbox.stats.requests({ operation: 'orders2026.searchOrders' });
		expect(String(request.query.includedData).split(',').sort()).toEqual(['BUYER', 'PROCEEDS', 'RECIPIENT']);
		expect(bed.sandbox.stats.requests({ operation: 'tokens.createRestrictedDataToken' })).toHaveLength(0);
		expect(jsonOf(result.output(AMAZON_NODE)).some((order) => order.buyer)).toBe(true);
	});

	it('Get and Get Items per input item, items paged to the end, an unknown order → error output with a clear message', async () => {
		const big = bed.sandbox.data.orders().find((order) => order.items.length >= 12 && order.status === 'Shipped');
		const small = bed.sandbox.data.orders().find((order) => order.items.length === 1 && order.status === 'Shipped');
		expect(big && small).toBeTruthy();
		const items = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'order', operation: 'getItems', apiVersion: 'v0', orderId: '={{ $json.id }}', options: {} },
			items: [{ id: big!.amazonOrderId }, { id: '999-0000000-0000000' }, { id: small!.amazonOrderId }],
		});
		expect(items.status).toBe('success');
		const ok = items.output(AMAZON_NODE);
		expect(ok.filter((item) => (item.pairedItem as IPairedItemData).item === 0)).toHaveLength(big!.items.length);
		expect(ok.filter((item) => (item.pairedItem as IPairedItemData).item === 2)).toHaveLength(1);
		expect(new Set(ok.map((item) => item.json.OrderItemId)).size).toBe(big!.items.length + 1);
		const failed = items.output(AMAZON_NODE, 1);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(String((failed[0].json as IDataObject).error)).toMatch(/not found|NotFound/i);

		const one = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'get', orderId: small!.amazonOrderId, options: {} },
		});
		expect(jsonOf(one.output(AMAZON_NODE))[0]).toMatchObject({ orderId: small!.amazonOrderId });
	});

	it('an empty window is refused with how to fix it, before any request', async () => {
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'getMany', after: iso(Date.now() - 30_000), returnAll: true, options: {} },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/window is empty/);
		expect((result.error as { description?: string }).description).toMatch(/2 minutes ago/);
		expect(bed.sandbox.stats.requests({ server: 'api' })).toHaveLength(0);
	});

	it('throttling (429 QuotaExceeded) is waited out: no failed item, every order once', async () => {
		// Later pages: by then the client paces at the rate Amazon states in x-amzn-RateLimit-Limit.
		bed.sandbox.faults.failNext(3, 429, { operation: 'ordersV0.getOrders', match: 'NextToken=' });
		const after = Date.now() - 40 * DAY;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'getMany', apiVersion: 'v0', after: iso(after), returnAll: true, options: {} },
		});
		expect(result.status).toBe('success');
		const ids = jsonOf(result.output(AMAZON_NODE)).map((order) => order.AmazonOrderId as string);
		expect(ids.sort()).toEqual(expectedIds(after, Date.now() - 2 * 60_000 - 10_000));
		expect(bed.sandbox.stats.count429('ordersV0.getOrders')).toBe(3);
	});

	it('an access token that expires mid-run (SP-API answers 403) is refreshed and the page resent: nothing fails', async () => {
		const after = Date.now() - 120 * DAY;
		const running = runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'order', operation: 'getMany', apiVersion: 'v0', after: iso(after), returnAll: true, options: {} },
		});
		// Let a few pages through, then expire every token the sandbox issued.
		for (let waited = 0; bed.sandbox.stats.requests({ operation: 'ordersV0.getOrders' }).length < 4 && waited < 20_000; waited += 10) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		bed.sandbox.expireAllTokens();
		const result = await running;
		expect(result.status).toBe('success');
		const ids = jsonOf(result.output(AMAZON_NODE)).map((order) => order.AmazonOrderId as string);
		expect(ids.sort()).toEqual(expectedIds(after, Date.now() - 2 * 60_000 - 10_000));
		expect(bed.sandbox.stats.tokensIssued).toBe(2);
		expect(bed.sandbox.stats.requests({ operation: 'ordersV0.getOrders' }).filter((entry) => entry.status === 403)).toHaveLength(1);
	});
});

describe('Amazon Seller Central: orders at the real getOrders rate', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1, ordersPerSeller: 2500 });
	});
	afterAll(async () => await bed.close());

	it('a run whose rate limit needs more than the time budget fails fast with what to change', async () => {
		// At Amazon's real getOrders rate, the 5 pages beyond the burst of 20 alone take 5 minutes.
		const started = Date.now();
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'order', operation: 'getMany', apiVersion: 'v0', after: iso(Date.now() - 120 * DAY), returnAll: true, options: { timeBudgetMinutes: 1 } },
		});
		expect(result.status).toBe('success');
		expect(Date.now() - started).toBeLessThan(20_000);
		const [failed] = result.output(AMAZON_NODE, 1);
		expect(String(failed.json.error)).toMatch(/getOrdersV0 rate limit/);
		expect(String((failed.json.details as IDataObject).description)).toMatch(/Time Budget/);
		expect(bed.sandbox.stats.count429()).toBe(0);
		expect(bed.sandbox.contractViolations).toEqual([]);
	});
});

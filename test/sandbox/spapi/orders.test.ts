import { MARKETPLACE_IDS, startSpApiSandbox, type SpApiSandbox } from './index';
import { isoAgo, lwaToken, qs, SpApi } from './helpers';
import { DAY, MINUTE } from './util';

const { US, CA, MX } = MARKETPLACE_IDS;
const NA = [US, CA, MX];

describe('SP-API sandbox: Orders v0', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 400, rateLimits: false });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
	});

	const getOrders = (params: Record<string, string | number | string[] | undefined>) => api.get(`/orders/v0/orders${qs(params)}`);

	it('wraps results in payload with PascalCase fields, decimal-string money and no PII without an RDT', async () => {
		const res = await getOrders({ MarketplaceIds: NA, CreatedAfter: isoAgo(sandbox, 200 * DAY), MaxResultsPerPage: 50 });
		expect(res.status).toBe(200);
		expect(Object.keys(res.json)).toEqual(['payload']);
		const { Orders, NextToken, CreatedBefore } = res.json.payload;
		expect(Orders).toHaveLength(50);
		expect(NextToken).toEqual(expect.any(String));
		expect(CreatedBefore).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
		const shipped = Orders.find((o: any) => o.OrderStatus === 'Shipped');
		expect(shipped).toMatchObject({
			AmazonOrderId: expect.stringMatching(/^\d{3}-\d{7}-\d{7}$/),
			PurchaseDate: expect.stringMatching(/Z$/),
			LastUpdateDate: expect.any(String),
			FulfillmentChannel: expect.stringMatching(/^(AFN|MFN)$/),
			OrderTotal: { CurrencyCode: expect.stringMatching(/^(USD|CAD|MXN)$/), Amount: expect.stringMatching(/^\d+\.\d{2}$/) },
			MarketplaceId: expect.any(String),
			IsPrime: expect.any(Boolean),
		});
		for (const o of Orders) {
			expect(o).not.toHaveProperty('BuyerInfo');
			expect(o).not.toHaveProperty('ShippingAddress');
		}
		// Sorted by purchase date.
		const dates = Orders.map((o: any) => o.PurchaseDate);
		expect([...dates].sort()).toEqual(dates);
	});

	it('validates MarketplaceIds, exactly one of CreatedAfter/LastUpdatedAfter and the 2-minute rule', async () => {
		const after = isoAgo(sandbox, 10 * DAY);
		const cases: Array<[Record<string, string | string[] | number>, RegExp]> = [
			[{ CreatedAfter: after }, /MarketplaceIds/],
			[{ MarketplaceIds: NA }, /neither/],
			[{ MarketplaceIds: NA, CreatedAfter: after, LastUpdatedAfter: after }, /both/],
			[{ MarketplaceIds: NA, CreatedAfter: after, LastUpdatedBefore: isoAgo(sandbox, DAY) }, /LastUpdatedBefore cannot be set/],
			[{ MarketplaceIds: NA, LastUpdatedAfter: after, CreatedBefore: isoAgo(sandbox, DAY) }, /CreatedBefore cannot be set/],
			[{ MarketplaceIds: NA, CreatedAfter: after, CreatedBefore: isoAgo(sandbox, 60_000) }, /two minutes/],
			[{ MarketplaceIds: NA, CreatedAfter: after, CreatedBefore: isoAgo(sandbox, 20 * DAY) }, /equal to or after/],
			[{ MarketplaceIds: NA, CreatedAfter: isoAgo(sandbox, 30_000) }, /two minutes/],
			[{ MarketplaceIds: NA, CreatedAfter: '2026-01-01T09:00:00+09:00' }, /UTC/],
			[{ MarketplaceIds: NA, CreatedAfter: 'yesterday' }, /ISO 8601/],
			[{ MarketplaceIds: [MARKETPLACE_IDS.DE], CreatedAfter: after }, /A1PA6795UKMFR9/],
			[{ MarketplaceIds: NA, CreatedAfter: after, MaxResultsPerPage: 101 }, /between 1 and 100/],
			[{ MarketplaceIds: NA, CreatedAfter: after, OrderStatuses: 'Done' }, /OrderStatuses/],
			[{ MarketplaceIds: NA, LastUpdatedAfter: after, SellerOrderId: 'SO-1' }, /SellerOrderId/],
		];
		for (const [params, reason] of cases) {
			const res = await getOrders(params);
			expect({ params, status: res.status }).toEqual({ params, status: 400 });
			expect(res.json.errors[0].code).toBe('InvalidInput');
			expect(res.json.errors[0].message).toMatch(reason);
			expect(res.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167');
		}
	});

	it('pages with NextToken tokens that contain + / = and must be URL-encoded; all pages = the filtered set', async () => {
		const after = sandbox.clock.now() - 200 * DAY;
		const params = { MarketplaceIds: [US, CA], LastUpdatedAfter: new Date(after).toISOString(), OrderStatuses: ['Shipped', 'Canceled'], MaxResultsPerPage: 37 };
		const ids: string[] = [];
		let res = await getOrders(params);
		let pages = 1;
		for (;;) {
			expect(res.status).toBe(200);
			ids.push(...res.json.payload.Orders.map((o: any) => o.AmazonOrderId));
			const token = res.json.payload.NextToken as string | undefined;
			expect(res.json.payload.LastUpdatedBefore).toEqual(expect.any(String));
			if (!token) break;
			expect(token).toMatch(/\+/);
			expect(token).toMatch(/\//);
			expect(token).toMatch(/=$/);
			if (pages === 1) {
				// Unencoded: '+' arrives as a space, so the token is unknown.
				const raw = await api.get(`/orders/v0/orders?MarketplaceIds=${US},${CA}&NextToken=${token}`);
				expect(raw.status).toBe(400);
				expect(raw.json.errors[0].message).toMatch(/NextToken/);
			}
			res = await getOrders({ MarketplaceIds: [US, CA], NextToken: token });
			pages++;
		}
		const before = sandbox.clock.now() - 2 * MINUTE;
		const expected = sandbox.data
			.orders()
			.filter((o) => [US, CA as string].includes(o.marketplaceId) && ['Shipped', 'Canceled'].includes(o.status) && o.lastUpdateDate >= after && o.lastUpdateDate <= before)
			.map((o) => o.amazonOrderId);
		expect(new Set(ids).size).toBe(ids.length);
		expect([...ids].sort()).toEqual([...expected].sort());
		expect(pages).toBe(Math.ceil(expected.length / 37));
	});

	it('keeps orders of the last two minutes out of the default window until time passes', async () => {
		sandbox.clock.set(sandbox.clock.now());
		const recent = sandbox.data.addOrder({ marketplaceId: CA });
		const ids = async () => {
			const out = new Set<string>();
			let token: string | undefined;
			do {
				const res = await getOrders(token ? { MarketplaceIds: NA, NextToken: token } : { MarketplaceIds: NA, CreatedAfter: isoAgo(sandbox, 2 * DAY) });
				res.json.payload.Orders.forEach((o: any) => out.add(o.AmazonOrderId));
				token = res.json.payload.NextToken;
			} while (token);
			return out;
		};
		expect((await ids()).has(recent.amazonOrderId)).toBe(false);
		sandbox.clock.advance(2 * MINUTE);
		expect((await ids()).has(recent.amazonOrderId)).toBe(true);
	});

	it('getOrder and getOrderItems (NextToken for long orders; pending orders without prices)', async () => {
		const orders = sandbox.data.orders();
		const long = orders.find((o) => o.items.length > 10)!;
		expect(long).toBeDefined();
		const one = await api.get(`/orders/v0/orders/${long.amazonOrderId}`);
		expect(one.status).toBe(200);
		expect(one.json.payload.AmazonOrderId).toBe(long.amazonOrderId);

		const items: any[] = [];
		let res = await api.get(`/orders/v0/orders/${long.amazonOrderId}/orderItems`);
		for (;;) {
			expect(res.status).toBe(200);
			expect(res.json.payload.AmazonOrderId).toBe(long.amazonOrderId);
			items.push(...res.json.payload.OrderItems);
			if (!res.json.payload.NextToken) break;
			res = await api.get(`/orders/v0/orders/${long.amazonOrderId}/orderItems${qs({ NextToken: res.json.payload.NextToken })}`);
		}
		expect(items.map((i) => i.OrderItemId)).toEqual(long.items.map((i) => i.orderItemId));
		expect(items[0]).toMatchObject({ ASIN: expect.any(String), SellerSKU: long.items[0].sku, QuantityOrdered: long.items[0].quantity });

		const pending = orders.find((o) => o.status === 'Pending')!;
		const pendingItems = await api.get(`/orders/v0/orders/${pending.amazonOrderId}/orderItems`);
		expect(pendingItems.json.payload.OrderItems[0]).not.toHaveProperty('ItemPrice');
		const shipped = orders.find((o) => o.status === 'Shipped' && o.marketplaceId === US)!;
		const shippedItems = await api.get(`/orders/v0/orders/${shipped.amazonOrderId}/orderItems`);
		expect(shippedItems.json.payload.OrderItems[0].ItemPrice).toEqual({ CurrencyCode: 'USD', Amount: expect.stringMatching(/^\d+\.\d{2}$/) });
		expect(shippedItems.json.payload.OrderItems[0].IsGift).toMatch(/^(true|false)$/);

		expect((await api.get('/orders/v0/orders/111-0000000-0000000')).status).toBe(404);
		expect((await api.get('/orders/v0/orders/not-an-id')).status).toBe(400);
		// Another seller's order is not visible.
		const euOrder = sandbox.data.orders('A2SANDBOXEU001')[0];
		expect((await api.get(`/orders/v0/orders/${euOrder.amazonOrderId}`)).status).toBe(404);
	});

	it('sees orders Amazon adds or changes during the test (sandbox clock)', async () => {
		sandbox.clock.set(sandbox.clock.now());
		const added = sandbox.data.addOrder({ marketplaceId: US });
		const changed = sandbox.data.orders().find((o) => o.status === 'Unshipped')!;
		sandbox.data.updateOrder(changed.amazonOrderId, { status: 'Shipped' });
		sandbox.clock.advance(3 * MINUTE);
		const res = await getOrders({ MarketplaceIds: NA, LastUpdatedAfter: isoAgo(sandbox, 4 * MINUTE) });
		const ids = res.json.payload.Orders.map((o: any) => o.AmazonOrderId);
		expect(ids).toEqual(expect.arrayContaining([added.amazonOrderId, changed.amazonOrderId]));
		expect(res.json.payload.Orders.find((o: any) => o.AmazonOrderId === changed.amazonOrderId).OrderStatus).toBe('Shipped');
	});
});

describe('SP-API sandbox: getOrders at scale (60 pages, timeScale 1000)', () => {
	it('pages through 6000 orders within the usage plan, backing off on 429', async () => {
		const sandbox = await startSpApiSandbox({ timeScale: 1000, sellers: [{ sellerId: 'A1SANDBOXNA001', region: 'na', marketplaceIds: NA, orders: 6000 }] });
		try {
			const api = new SpApi(sandbox, await lwaToken(sandbox));
			const ids = new Set<string>();
			let token: string | undefined;
			let pages = 0;
			const started = Date.now();
			for (;;) {
				const res = await api.get(`/orders/v0/orders${qs(token ? { MarketplaceIds: NA, NextToken: token } : { MarketplaceIds: NA, CreatedAfter: isoAgo(sandbox, 365 * DAY) })}`);
				if (res.status === 429) {
					expect(res.headers.get('retry-after')).toBeNull();
					await new Promise((r) => setTimeout(r, 1000 / 16.7));
					continue;
				}
				expect(res.status).toBe(200);
				expect(res.headers.get('x-amzn-ratelimit-limit')).toBe('16.7');
				pages++;
				res.json.payload.Orders.forEach((o: any) => ids.add(o.AmazonOrderId));
				token = res.json.payload.NextToken;
				if (!token) break;
			}
			expect(pages).toBe(60);
			expect(ids.size).toBe(sandbox.data.orders().filter((o) => o.purchaseDate <= sandbox.clock.now() - 2 * MINUTE).length);
			expect(sandbox.stats.throttled('ordersV0.getOrders')).toBeGreaterThan(0);
			expect(Date.now() - started).toBeLessThan(10_000);
		} finally {
			await sandbox.close();
		}
	});
});

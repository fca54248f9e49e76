import { startSpApiSandbox, type SpApiSandbox, OPERATIONS } from './index';
import { lwaToken, qs, SpApi } from './helpers';
import { TokenBucketLimiter } from './rate-limit';

describe('TokenBucketLimiter', () => {
	it('starts full (burst), refills at rate × timeScale per second and keeps buckets apart', () => {
		let now = 0;
		const op = OPERATIONS.find((o) => o.name === 'ordersV0.getOrders')!;
		const limiter = new TokenBucketLimiter(10, {}, true, () => now);
		for (let i = 0; i < 20; i++) expect(limiter.tryTake('a', op)).toBe(true);
		expect(limiter.tryTake('a', op)).toBe(false);
		expect(limiter.tryTake('b', op)).toBe(true);
		// 0.0167 × 10 = 0.167 tokens/s: one token after ~6 s.
		now += 5_000;
		expect(limiter.tryTake('a', op)).toBe(false);
		now += 1_000;
		expect(limiter.tryTake('a', op)).toBe(true);
		expect(limiter.headerValue(op)).toBe('0.167');
		expect(new TokenBucketLimiter(1, { 'ordersV0.getOrders': { rate: 2, burst: 1 } }, true, () => now).plan(op)).toEqual({ rate: 2, burst: 1 });
	});
});

describe('SP-API sandbox: usage plans', () => {
	let sandbox: SpApiSandbox;
	let na: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 100 });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		na = new SpApi(sandbox, await lwaToken(sandbox));
	});

	it('answers 429 QuotaExceeded without Retry-After once the burst is used; counts per operation', async () => {
		const id = sandbox.data.orders()[0].amazonOrderId;
		const results = await Promise.all(Array.from({ length: 35 }, () => na.get(`/orders/v0/orders/${id}`)));
		const ok = results.filter((r) => r.status === 200);
		const limited = results.filter((r) => r.status === 429);
		expect(ok).toHaveLength(30);
		expect(limited.length).toBe(5);
		expect(limited[0].json).toEqual({ errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.', details: '' }] });
		expect(limited[0].headers.get('retry-after')).toBeNull();
		expect(limited[0].headers.get('x-amzn-ratelimit-limit')).toBeNull();
		expect(limited[0].headers.get('x-amzn-requestid')).toBeTruthy();
		for (const r of ok) expect(r.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
		expect(sandbox.stats.throttled('ordersV0.getOrder')).toBe(5);
		expect(sandbox.stats.count429('ordersV0.getOrder')).toBe(5);
		expect(sandbox.stats.operations['ordersV0.getOrder']).toMatchObject({ requests: 35, byStatus: { 200: 30, 429: 5 }, throttled: 5 });

		// Other operations and other sellers have their own buckets.
		expect((await na.get(`/orders/v0/orders/${id}/orderItems`)).status).toBe(200);
		const eu = new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('eu')), 'eu');
		const euOrder = sandbox.data.orders('A2SANDBOXEU001')[0].amazonOrderId;
		expect((await eu.get(`/orders/v0/orders/${euOrder}`)).status).toBe(200);

	});

	it('rate-limits bad requests too (a 400 still takes a token) but not unauthenticated ones', async () => {
		const bad = await Promise.all(Array.from({ length: 12 }, () => na.get(`/reports/2021-06-30/reports${qs({ pageSize: 5 })}`)));
		expect(bad.filter((r) => r.status === 400)).toHaveLength(10);
		expect(bad.filter((r) => r.status === 429)).toHaveLength(2);
		const anonymous = new SpApi(sandbox, 'Atza|nobody');
		const denied = await Promise.all(Array.from({ length: 20 }, () => anonymous.get('/reports/2021-06-30/reports')));
		expect(denied.every((r) => r.status === 403)).toBe(true);
	});
});

describe('SP-API sandbox: usage plan options', () => {
	it('timeScale multiplies the rate: tokens come back 1000× faster', async () => {
		const fast = await startSpApiSandbox({ ordersPerSeller: 20, timeScale: 1000 });
		try {
			const api = new SpApi(fast, await lwaToken(fast));
			const path = `/orders/v0/orders${qs({ MarketplaceIds: 'ATVPDKIKX0DER', CreatedAfter: new Date(Date.now() - 86_400_000).toISOString() })}`;
			const burst = await Promise.all(Array.from({ length: 40 }, () => api.get(path)));
			expect(burst.filter((r) => r.status === 429).length).toBeGreaterThan(10);
			expect(burst.find((r) => r.status === 200)!.headers.get('x-amzn-ratelimit-limit')).toBe('16.7');
			// 16.7 per second: a token is back after 60 ms.
			await new Promise((r) => setTimeout(r, 120));
			expect((await api.get(path)).status).toBe(200);
		} finally {
			await fast.close();
		}
	});

	it('usagePlans overrides the model default; rateLimits: false turns buckets off', async () => {
		const custom = await startSpApiSandbox({ ordersPerSeller: 20, usagePlans: { 'fbaInventory.getInventorySummaries': { rate: 1, burst: 1 } } });
		const off = await startSpApiSandbox({ ordersPerSeller: 20, rateLimits: false });
		try {
			const path = `/fba/inventory/v1/summaries${qs({ granularityType: 'Marketplace', granularityId: 'ATVPDKIKX0DER', marketplaceIds: 'ATVPDKIKX0DER' })}`;
			const a = new SpApi(custom, await lwaToken(custom));
			expect((await a.get(path)).headers.get('x-amzn-ratelimit-limit')).toBe('1');
			expect((await a.get(path)).status).toBe(429);
			const b = new SpApi(off, await lwaToken(off));
			const results = await Promise.all(Array.from({ length: 10 }, () => b.get(path)));
			expect(results.every((r) => r.status === 200)).toBe(true);
		} finally {
			await Promise.all([custom.close(), off.close()]);
		}
	});
});

describe('SP-API sandbox: usage plans of listings, feeds, notifications and sellers', () => {
	it('the reference §3 rates and bursts; grantless buckets are per application; timeScale scales them', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 20 });
		const fast = await startSpApiSandbox({ ordersPerSeller: 20, timeScale: 100 });
		try {
			const plan = (name: string) => {
				const op = OPERATIONS.find((o) => o.name === name)!;
				return [op.rate, op.burst];
			};
			expect(plan('listings.getListingsItem')).toEqual([5, 10]);
			expect(plan('listings.patchListingsItem')).toEqual([5, 5]);
			expect(plan('feeds.createFeedDocument')).toEqual([0.5, 15]);
			expect(plan('feeds.createFeed')).toEqual([0.0083, 15]);
			expect(plan('feeds.getFeed')).toEqual([2, 15]);
			expect(plan('feeds.cancelFeed')).toEqual([2, 15]);
			expect(plan('feeds.getFeeds')).toEqual([0.0222, 10]);
			expect(plan('feeds.getFeedDocument')).toEqual([0.0222, 10]);
			for (const op of OPERATIONS.filter((o) => o.name.startsWith('notifications.'))) expect([op.name, op.rate, op.burst]).toEqual([op.name, 1, 5]);
			expect(plan('sellers.getMarketplaceParticipations')).toEqual([0.016, 15]);

			const api = new SpApi(sandbox, await lwaToken(sandbox));
			const sellers = await Promise.all(Array.from({ length: 17 }, () => api.get('/sellers/v1/marketplaceParticipations')));
			expect(sellers.filter((r) => r.status === 200)).toHaveLength(15);
			expect(sellers.filter((r) => r.status === 429)).toHaveLength(2);
			expect(sellers.find((r) => r.status === 200)!.headers.get('x-amzn-ratelimit-limit')).toBe('0.016');

			const sku = sandbox.data.listings()[0].sku;
			const body = { productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }] }] };
			const patches = await Promise.all(Array.from({ length: 7 }, () => api.patch(`/listings/2021-08-01/items/A1SANDBOXNA001/${encodeURIComponent(sku)}${qs({ marketplaceIds: 'ATVPDKIKX0DER', mode: 'VALIDATION_PREVIEW' })}`, body)));
			expect(patches.filter((r) => r.status === 429)).toHaveLength(2);

			// Grantless: one bucket per application, whichever grantless token is used.
			const t1 = new SpApi(sandbox, sandbox.issueGrantlessToken());
			const t2 = new SpApi(sandbox, sandbox.issueGrantlessToken());
			const both = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? t1 : t2).get('/notifications/v1/destinations')));
			expect(both.filter((r) => r.status === 200)).toHaveLength(5);
			expect(both.filter((r) => r.status === 429)).toHaveLength(1);
			expect(sandbox.stats.throttled('notifications.getDestinations')).toBe(1);

			const scaled = new SpApi(fast, fast.issueAccessToken());
			const createdDoc = await scaled.post('/feeds/2021-06-30/documents', { contentType: 'text/plain' });
			expect(createdDoc.headers.get('x-amzn-ratelimit-limit')).toBe('50');
			expect((await scaled.get('/sellers/v1/marketplaceParticipations')).headers.get('x-amzn-ratelimit-limit')).toBe('1.6');
		} finally {
			await Promise.all([sandbox.close(), fast.close()]);
		}
	});
});

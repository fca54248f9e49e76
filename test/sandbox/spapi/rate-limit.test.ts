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

import { startControlServer } from './control';
import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, call, fetchToken } from './helpers';
import { SlidingWindowRateLimiter } from './rate-limit';

describe('SlidingWindowRateLimiter', () => {
	it('admits `requests` per window and says when the oldest slot frees', () => {
		const limiter = new SlidingWindowRateLimiter({ requests: 3, windowMs: 10_000 });
		expect(limiter.tryAcquire(0).allowed).toBe(true);
		expect(limiter.tryAcquire(4000).allowed).toBe(true);
		expect(limiter.tryAcquire(4500).allowed).toBe(true);
		expect(limiter.tryAcquire(5000)).toEqual({ allowed: false, retryAfterSeconds: 5 });
		expect(limiter.tryAcquire(9999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		// Rejections did not count: the slot of t=0 frees at t=10000.
		expect(limiter.tryAcquire(10_000).allowed).toBe(true);
		expect(limiter.tryAcquire(10_001)).toEqual({ allowed: false, retryAfterSeconds: 4 });
	});
});

describe('IFS sandbox: tenant rate limit', () => {
	let sandbox: IfsSandbox;
	let api: Api;
	const WINDOW_MS = 600;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ rateLimit: { requests: 10, windowMs: WINDOW_MS } });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new Api(sandbox, await fetchToken(sandbox));
	});

	const burst = (n: number) =>
		Promise.all(Array.from({ length: n }, (_, i) => api.get('CustomerOrderHandling', `CustomerOrderSet?$top=1&$skip=${i}`)));

	it('answers 429 with Retry-After and an envelope once the window is full', async () => {
		const results = await burst(25);
		const ok = results.filter((r) => r.status === 200);
		const limited = results.filter((r) => r.status === 429);
		expect(ok).toHaveLength(10);
		expect(limited).toHaveLength(15);
		for (const r of limited) {
			expect(r.headers.get('retry-after')).toBe('1'); // integer seconds, >= 1, window is 0.6 s
			expect(r.json.error.code).toBe('TOO_MANY_REQUESTS');
		}
		expect(sandbox.stats.count429).toBe(15);
		expect(sandbox.stats.count200).toBe(10);
		expect(sandbox.stats.maxRequestsInWindow).toBe(10);
		expect(sandbox.stats.requestsInAnyWindow(WINDOW_MS)).toBe(10);
	});

	it('does not count 429s: after Retry-After the full budget is back', async () => {
		await burst(15);
		const retryAfterMs = WINDOW_MS + 50;
		await new Promise((r) => setTimeout(r, retryAfterMs));
		const results = await burst(10);
		expect(results.every((r) => r.status === 200)).toBe(true);
	});

	it('limits all clients of the tenant together but never the token endpoint', async () => {
		await burst(10);
		const other = new Api(sandbox, sandbox.issueToken());
		expect((await other.get('CustomerOrderHandling', 'CustomerOrderSet?$top=1')).status).toBe(429);
		expect((await fetchToken(sandbox)).length).toBeGreaterThan(10);
	});
});

describe('IFS sandbox: the rate limit changed while serving', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ rateLimit: false });
		api = new Api(sandbox, await fetchToken(sandbox));
	});
	afterAll(() => sandbox.close());

	const burst = (n: number) =>
		Promise.all(Array.from({ length: n }, (_, i) => api.get('CustomerOrderHandling', `CustomerOrderSet?$top=1&$skip=${i}`)));
	const statuses = async (n: number) => (await burst(n)).map((r) => r.status).sort();

	it('setRateLimit applies at once with an empty window, and false turns it off', async () => {
		expect(sandbox.rateLimit).toBe(false);
		expect(await statuses(12)).toEqual(Array(12).fill(200));

		sandbox.setRateLimit({ requests: 3, windowMs: 60_000 });
		expect(sandbox.rateLimit).toEqual({ requests: 3, windowMs: 60_000 });
		// The 12 requests before did not fill the new window.
		expect(await statuses(5)).toEqual([200, 200, 200, 429, 429]);
		expect(sandbox.stats.maxRequestsInWindow).toBe(3);

		// A new limit starts with an empty window, even if the old one was full.
		sandbox.setRateLimit({ requests: 2, windowMs: 60_000 });
		expect(await statuses(3)).toEqual([200, 200, 429]);

		// reset() keeps the limit and empties the window.
		sandbox.reset();
		expect(sandbox.rateLimit).toEqual({ requests: 2, windowMs: 60_000 });
		expect(await statuses(3)).toEqual([200, 200, 429]);

		sandbox.setRateLimit(false);
		expect(await statuses(10)).toEqual(Array(10).fill(200));
		expect(() => sandbox.setRateLimit({ requests: 0, windowMs: 1000 })).toThrow(/requests >= 1/);
		expect(sandbox.rateLimit).toBe(false);
	});

	it('POST /rate-limit on the control channel sets and clears it', async () => {
		const control = await startControlServer(sandbox);
		try {
			const post = (body: unknown) => call(`${control.url}/rate-limit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect((await post({ requests: 1, windowMs: 60_000 })).json).toEqual({ rateLimit: { requests: 1, windowMs: 60_000 } });
			expect((await call(`${control.url}/rate-limit`)).json).toEqual({ rateLimit: { requests: 1, windowMs: 60_000 } });
			expect(await statuses(2)).toEqual([200, 429]);
			expect((await post({ requests: 'many' })).status).toBe(400);
			expect((await post({ off: true })).json).toEqual({ rateLimit: false });
			expect(await statuses(3)).toEqual([200, 200, 200]);
		} finally {
			await control.close();
		}
	});
});

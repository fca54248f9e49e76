import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, fetchToken } from './helpers';
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

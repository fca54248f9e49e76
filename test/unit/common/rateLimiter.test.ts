import { type Clock, type RateLimit, RateLimiterRegistry, SlidingWindowLimiter, TokenBucket } from '../../../nodes/common/rateLimiter';
import { SteppingClock, VirtualClock, seededRandom } from '../helpers/clock';

/**
 * Largest number of timestamps inside any window of `windowMs`. Windows are checked starting at
 * every timestamp (a fullest window can always be slid to start on one).
 * `closed`: [t, t + windowMs] instead of [t, t + windowMs).
 */
function fullestWindow(timestamps: number[], windowMs: number, closed = false): number {
	const sorted = [...timestamps].sort((a, b) => a - b);
	let best = 0;
	let end = 0;
	for (let start = 0; start < sorted.length; start++) {
		if (end < start) end = start;
		const inside = (t: number) => (closed ? t <= sorted[start] + windowMs : t < sorted[start] + windowMs);
		while (end < sorted.length && inside(sorted[end])) end++;
		best = Math.max(best, end - start);
	}
	return best;
}

async function acquireSequentially(bucket: { acquire(): Promise<void> }, clock: Clock, count: number): Promise<number[]> {
	const stamps: number[] = [];
	for (let i = 0; i < count; i++) {
		await bucket.acquire();
		stamps.push(clock.now());
	}
	return stamps;
}

const COMBOS: RateLimit[] = [
	{ requests: 1000, windowMs: 60_000 },
	{ requests: 40, windowMs: 2_000 },
	{ requests: 5, windowMs: 500 },
	{ requests: 100, windowMs: 10_000 },
	{ requests: 2, windowMs: 1_000 },
	{ requests: 3, windowMs: 60_000 },
	{ requests: 250, windowMs: 1_000 },
	{ requests: 60, windowMs: 3_600_000 },
];

describe('fullestWindow (the checker itself)', () => {
	it('counts half-open and closed windows', () => {
		expect(fullestWindow([0, 0, 500, 999, 1000], 1000)).toBe(4);
		expect(fullestWindow([0, 0, 500, 999, 1000], 1000, true)).toBe(5);
		expect(fullestWindow([0, 2000, 4000], 1000)).toBe(1);
		expect(fullestWindow([], 1000)).toBe(0);
	});
});

describe('TokenBucket sizing: no sliding window holds more than the limit', () => {
	it.each(COMBOS)('$requests per $windowMs ms, back-to-back callers', async (limit) => {
		const clock = new SteppingClock(1_700_000_000_000);
		const bucket = new TokenBucket(limit, clock);
		const count = Math.max(3 * limit.requests, 30);
		const stamps = await acquireSequentially(bucket, clock, count);

		// Never more than the limit in any window, however windows are cut.
		expect(fullestWindow(stamps, limit.windowMs, true)).toBeLessThanOrEqual(limit.requests);
		// The safety margin: a window [t, t + windowMs) holds at most 97% of the limit.
		expect(fullestWindow(stamps, limit.windowMs)).toBeLessThanOrEqual(Math.max(1, Math.floor(limit.requests * 0.97)));
	});

	// Pacing exists to stay under the limit, not to crawl far below it: once the initial burst is
	// spent, a steady caller should get a fair share of the 97% budget per window (here: ≥ 40%).
	it.each(COMBOS)('$requests per $windowMs ms: sustained rate is a fair share of the budget', async (limit) => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket(limit, clock);
		const budget = Math.max(1, Math.floor(limit.requests * 0.97));
		const stamps = await acquireSequentially(bucket, clock, bucket.capacity + 10 * budget);
		const afterBurst = stamps.slice(bucket.capacity - 1);
		const windows = (afterBurst[afterBurst.length - 1] - afterBurst[0]) / limit.windowMs;
		const perWindow = (afterBurst.length - 1) / windows;
		expect(perWindow).toBeGreaterThanOrEqual(0.4 * budget);
	});

	it.each([
		{ requests: 1000, windowMs: 60_000, seed: 1 },
		{ requests: 40, windowMs: 2_000, seed: 2 },
		{ requests: 5, windowMs: 500, seed: 3 },
		{ requests: 100, windowMs: 10_000, seed: 4 },
	])('$requests per $windowMs ms, bursty concurrent callers with idle gaps', async ({ seed, ...limit }) => {
		const clock = new VirtualClock(0);
		const bucket = new TokenBucket(limit, clock);
		const random = seededRandom(seed);
		const stamps: number[] = [];
		const perCaller = Math.ceil((2 * limit.requests) / 4);
		const caller = async () => {
			for (let i = 0; i < perCaller; i++) {
				// Sometimes idle long enough for the bucket to refill completely, sometimes not at all.
				const roll = random();
				if (roll < 0.1) await clock.sleep(Math.floor(random() * limit.windowMs * 1.5));
				else if (roll < 0.4) await clock.sleep(Math.floor(random() * 50));
				await bucket.acquire();
				stamps.push(clock.now());
			}
		};
		await clock.run(Promise.all([caller(), caller(), caller(), caller()]));

		expect(stamps).toHaveLength(perCaller * 4);
		expect(fullestWindow(stamps, limit.windowMs, true)).toBeLessThanOrEqual(limit.requests);
		expect(fullestWindow(stamps, limit.windowMs)).toBeLessThanOrEqual(Math.max(1, Math.floor(limit.requests * 0.97)));
	});

	it('starts with a burst of about one second’s share, then paces', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		expect(bucket.capacity).toBe(16);
		const stamps = await acquireSequentially(bucket, clock, 20);
		expect(stamps.slice(0, 16).every((t) => t === 0)).toBe(true);
		expect(stamps[16]).toBeGreaterThan(0);
		// 954 tokens per 60 s after the burst: one every ~63 ms.
		expect(stamps[17] - stamps[16]).toBeGreaterThanOrEqual(62);
		expect(stamps[17] - stamps[16]).toBeLessThanOrEqual(64);
	});

	it('never holds more than its capacity after a long idle time', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 40, windowMs: 2_000 }, clock);
		await acquireSequentially(bucket, clock, 5);
		clock.current += 3_600_000;
		const before = clock.current;
		const stamps = await acquireSequentially(bucket, clock, bucket.capacity + 1);
		expect(stamps.filter((t) => t === before)).toHaveLength(bucket.capacity);
		expect(stamps[stamps.length - 1]).toBeGreaterThan(before);
	});
});

describe('TokenBucket.acquire order', () => {
	it('serves waiters first come, first served', async () => {
		const clock = new VirtualClock(0);
		const bucket = new TokenBucket({ requests: 5, windowMs: 500 }, clock);
		const served: number[] = [];
		const waiters = Array.from({ length: 12 }, (_, index) => bucket.acquire().then(() => served.push(index)));
		await clock.run(Promise.all(waiters));
		expect(served).toEqual(Array.from({ length: 12 }, (_, index) => index));
	});

	it('keeps serving after a waiter’s sleep fails (e.g. the run was cancelled)', async () => {
		let failNext = true;
		const clock = new SteppingClock(0);
		const failing: Clock = {
			now: () => clock.now(),
			sleep: async (ms) => {
				if (failNext) {
					failNext = false;
					throw new Error('cancelled');
				}
				await clock.sleep(ms);
			},
		};
		const bucket = new TokenBucket({ requests: 1, windowMs: 1000 }, failing);
		await bucket.acquire(); // the one token
		await expect(bucket.acquire()).rejects.toThrow('cancelled');
		await expect(bucket.acquire()).resolves.toBeUndefined();
		expect(clock.now()).toBeGreaterThanOrEqual(1000);
	});
});

describe('TokenBucket.pause', () => {
	it('holds every caller until the pause ends, then restarts empty (no burst)', async () => {
		const clock = new VirtualClock(0);
		const bucket = new TokenBucket({ requests: 40, windowMs: 2_000 }, clock);
		await clock.run(bucket.acquire());
		bucket.pause(5_000);
		const stamps: number[] = [];
		const callers = Array.from({ length: 4 }, () => bucket.acquire().then(() => stamps.push(clock.now())));
		await clock.run(Promise.all(callers));
		// After a pause the bucket refills from empty: one token every 1/rate ms, the first only after a refill.
		const spacing = Math.ceil(1 / bucket.ratePerMs);
		expect(stamps[0]).toBeGreaterThanOrEqual(5_000 + spacing - 1);
		for (let i = 1; i < stamps.length; i++) expect(stamps[i] - stamps[i - 1]).toBeGreaterThanOrEqual(spacing - 1);
	});

	it('keeps the later end when paused twice', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		bucket.pause(10_000);
		bucket.pause(2_000);
		await bucket.acquire();
		expect(clock.now()).toBeGreaterThanOrEqual(10_000);
	});

	it('treats a negative wait as no pause but still empties the bucket', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		bucket.pause(-50);
		await bucket.acquire();
		expect(clock.now()).toBeGreaterThan(0);
		expect(clock.now()).toBeLessThan(100);
	});
});

describe('TokenBucket.adaptRate', () => {
	it('adopts an advertised rate (with the safety margin)', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		bucket.adaptRate(2);
		expect(bucket.ratePerMs).toBeCloseTo((2 * 0.97) / 1000, 10);
		await acquireSequentially(bucket, clock, bucket.capacity);
		const start = clock.now();
		const stamps = await acquireSequentially(bucket, clock, 10);
		const intervals = stamps.map((t, i) => t - (i ? stamps[i - 1] : start));
		for (const interval of intervals) {
			expect(interval).toBeGreaterThanOrEqual(515);
			expect(interval).toBeLessThanOrEqual(517);
		}
	});

	it('a faster advertised rate applies from now on, not to the time already passed', async () => {
		const clock = new SteppingClock(0);
		const bucket = TokenBucket.withRateAndBurst(0.0167, 2, clock);
		await bucket.acquire();
		await bucket.acquire();
		// 1 s at the old rate earned ~0.016 tokens; at 5/s it would have earned 4.85 of them.
		clock.current = 1000;
		bucket.adaptRate(5);
		const before = clock.now();
		await bucket.acquire();
		// The token still had to be earned at the new rate: ~1/4.85 s, not at once.
		expect(clock.now() - before).toBeGreaterThan(190);
		expect(clock.now() - before).toBeLessThan(210);
	});

	it('ignores zero and negative rates', () => {
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, new SteppingClock());
		const before = bucket.ratePerMs;
		bucket.adaptRate(0);
		bucket.adaptRate(-3);
		expect(bucket.ratePerMs).toBe(before);
	});
});

describe('RateLimiterRegistry', () => {
	const limit = { requests: 100, windowMs: 60_000 };

	it('shares one limiter per credential and operation class', () => {
		const registry = new RateLimiterRegistry(new SteppingClock());
		const a = registry.bucket('cred-1', 'tenant', limit);
		expect(a).toBeInstanceOf(SlidingWindowLimiter);
		// A vendor rate-and-burst bucket under the same names is another limiter.
		expect(registry.rateBucket('cred-1', 'tenant', 1, 1)).toBeInstanceOf(TokenBucket);
		expect(registry.bucket('cred-1', 'tenant', limit)).toBe(a);
		expect(registry.bucket('cred-1', 'orders', limit)).not.toBe(a);
		expect(registry.bucket('cred-2', 'tenant', limit)).not.toBe(a);
	});

	it('does not confuse keys that only differ in where the credential ends', () => {
		const registry = new RateLimiterRegistry(new SteppingClock());
		expect(registry.bucket('ab', 'c', limit)).not.toBe(registry.bucket('a', 'bc', limit));
	});

	it('returns no bucket when pacing is off or the limit is unusable', () => {
		const registry = new RateLimiterRegistry(new SteppingClock());
		expect(registry.bucket('c', 'x', { requests: 0, windowMs: 60_000 })).toBeUndefined();
		expect(registry.bucket('c', 'x', { requests: -1, windowMs: 60_000 })).toBeUndefined();
		expect(registry.bucket('c', 'x', { requests: 10, windowMs: 0 })).toBeUndefined();
		expect(registry.bucket('c', 'x', { requests: Number.NaN, windowMs: 1000 })).toBeUndefined();
	});

	it('keeps separate registries apart (state is per run, not per module)', async () => {
		const clock = new SteppingClock(0);
		const first = new RateLimiterRegistry(clock).bucket('c', 'x', { requests: 1, windowMs: 1000 })!;
		const second = new RateLimiterRegistry(clock).bucket('c', 'x', { requests: 1, windowMs: 1000 })!;
		await first.acquire();
		await second.acquire();
		expect(clock.now()).toBe(0);
	});
});

describe('TokenBucket with a vendor rate and burst', () => {
	it('lets the burst through at once, then paces at the rate (with the safety margin)', async () => {
		const clock = new VirtualClock(0);
		const bucket = TokenBucket.withRateAndBurst(0.5, 3, clock);
		const stamps: number[] = [];
		for (let i = 0; i < 5; i++) {
			await clock.run(bucket.acquire());
			stamps.push(clock.now());
		}
		expect(stamps.slice(0, 3)).toEqual([0, 0, 0]);
		const spacing = Math.ceil(1 / ((0.5 * 0.97) / 1000));
		expect(stamps[3]).toBeGreaterThanOrEqual(spacing - 1);
		expect(stamps[4] - stamps[3]).toBeGreaterThanOrEqual(spacing - 1);
	});

	it('refuses a wait that would end after the deadline, without waiting', async () => {
		const clock = new VirtualClock(0);
		const bucket = TokenBucket.withRateAndBurst(0.0167, 1, clock);
		await clock.run(bucket.acquire());
		await expect(bucket.acquire(30_000)).rejects.toMatchObject({ name: 'RateBudgetError' });
		expect(clock.now()).toBe(0);
	});
});

/** Takes `count` slots one after another, each answered at once. */
async function sendAnsweredAtOnce(limiter: SlidingWindowLimiter, clock: Clock, count: number): Promise<number[]> {
	const stamps: number[] = [];
	for (let i = 0; i < count; i++) {
		const release = await limiter.acquire();
		stamps.push(clock.now());
		release();
	}
	return stamps;
}

describe('SlidingWindowLimiter: "N requests per window" at the server\'s own floor', () => {
	it.each(COMBOS)('$requests per $windowMs ms, answered at once: the whole budget at once, then each slot reused one window later', async (limit) => {
		const clock = new SteppingClock(0);
		const limiter = new SlidingWindowLimiter(limit, clock);
		const count = Math.max(3 * limit.requests, 30);
		const stamps = await sendAnsweredAtOnce(limiter, clock, count);
		// Request k goes out at ⌊k / N⌋ · W: no earlier, and no later.
		expect(stamps).toEqual(stamps.map((_, k) => Math.floor(k / limit.requests) * limit.windowMs));
		expect(fullestWindow(stamps, limit.windowMs)).toBeLessThanOrEqual(limit.requests);
	});

	/**
	 * Concurrent callers whose requests reach the server at a random point between send and
	 * answer (a busy event loop, a slow network): the server must never count more than N
	 * arrivals in any window. `releaseAt: 'send'` gives the slot back as soon as the request has
	 * left — pacing by send time alone — to show that this test catches the 429s that causes.
	 */
	async function serverArrivals(limit: RateLimit, seed: number, releaseAt: 'answer' | 'send'): Promise<number[]> {
		const clock = new VirtualClock(0);
		const limiter = new SlidingWindowLimiter(limit, clock);
		const random = seededRandom(seed);
		const arrivals: number[] = [];
		const perCaller = 3 * limit.requests;
		const caller = async () => {
			for (let i = 0; i < perCaller; i++) {
				if (random() < 0.1) await clock.sleep(Math.floor(random() * limit.windowMs));
				const release = await limiter.acquire();
				if (releaseAt === 'send') release();
				// Delivery delay: mostly short, sometimes a large share of the window.
				await clock.sleep(Math.floor(random() < 0.2 ? random() * limit.windowMs * 0.4 : random() * 20));
				arrivals.push(clock.now());
				await clock.sleep(Math.floor(random() * 30));
				release();
			}
		};
		await clock.run(Promise.all([caller(), caller(), caller(), caller(), caller(), caller()]));
		expect(arrivals).toHaveLength(perCaller * 6);
		return arrivals;
	}

	it.each([
		{ requests: 40, windowMs: 2_000, seed: 1 },
		{ requests: 5, windowMs: 500, seed: 2 },
		{ requests: 2, windowMs: 1_000, seed: 3 },
		{ requests: 10, windowMs: 1_000, seed: 4 },
	])('$requests per $windowMs ms: however late requests arrive, no window of the server holds more than the limit', async ({ seed, ...limit }) => {
		expect(fullestWindow(await serverArrivals(limit, seed, 'answer'), limit.windowMs)).toBeLessThanOrEqual(limit.requests);
		// Pacing by send time would have drawn 429s in the same traffic.
		expect(fullestWindow(await serverArrivals(limit, seed, 'send'), limit.windowMs)).toBeGreaterThan(limit.requests);
	});

	it('with every slot awaiting its answer, the next caller waits for an answer, then one window from it', async () => {
		const clock = new VirtualClock(0);
		const limiter = new SlidingWindowLimiter({ requests: 2, windowMs: 1000 }, clock);
		const first = await limiter.acquire();
		const second = await limiter.acquire();
		expect(limiter.inFlight).toBe(2);
		let sentAt: number | undefined;
		const third = limiter.acquire().then((release) => {
			sentAt = clock.now();
			return release;
		});
		await clock.run(clock.sleep(5_000));
		expect(sentAt).toBeUndefined();
		second();
		second(); // a second call changes nothing
		const release = await clock.run(third);
		expect(sentAt).toBe(6_000);
		release();
		first();
		expect(limiter.inFlight).toBe(0);
	});

	// Four concurrent fetchers with 100 ms page latency, as Get Many runs them.
	async function readPages(limiter: { acquire(): Promise<(() => void) | void> }, clock: VirtualClock, pages: number): Promise<number[]> {
		const stamps: number[] = [];
		let next = 0;
		const worker = async () => {
			while (next < pages) {
				next++;
				const release = await limiter.acquire();
				stamps.push(clock.now());
				await clock.sleep(100);
				release?.();
			}
		};
		await clock.run(Promise.all([worker(), worker(), worker(), worker()]));
		return stamps;
	}

	it('reads 21 pages under 2 per second in 10 windows, where a token bucket sized for safety needs 20', async () => {
		const clock = new VirtualClock(0);
		const stamps = await readPages(new SlidingWindowLimiter({ requests: 2, windowMs: 1000 }, clock), clock, 21);
		expect(stamps).toHaveLength(21);
		expect(stamps.filter((t) => t === 0)).toHaveLength(2);
		// Each window starts when the previous pages' answers are in: W + 100 ms.
		expect(Math.max(...stamps)).toBe(10 * 1100);

		const bucketClock = new VirtualClock(0);
		const bucketStamps = await readPages(new TokenBucket({ requests: 2, windowMs: 1000 }, bucketClock), bucketClock, 21);
		expect(Math.max(...bucketStamps)).toBeGreaterThanOrEqual(20_000);
	});

	it('serves waiters first come, first served, and keeps serving after a waiter’s sleep fails', async () => {
		const clock = new VirtualClock(0);
		const limiter = new SlidingWindowLimiter({ requests: 3, windowMs: 500 }, clock);
		const served: number[] = [];
		await clock.run(Promise.all(Array.from({ length: 10 }, (_, index) => limiter.acquire().then((release) => (served.push(index), release())))));
		expect(served).toEqual(Array.from({ length: 10 }, (_, index) => index));

		let failNext = true;
		const stepping = new SteppingClock(0);
		const failing: Clock = {
			now: () => stepping.now(),
			sleep: async (ms) => {
				if (failNext) {
					failNext = false;
					throw new Error('cancelled');
				}
				await stepping.sleep(ms);
			},
		};
		const one = new SlidingWindowLimiter({ requests: 1, windowMs: 1000 }, failing);
		(await one.acquire())();
		await expect(one.acquire()).rejects.toThrow('cancelled');
		await expect(one.acquire()).resolves.toEqual(expect.any(Function));
		expect(stepping.now()).toBe(1000);
	});

	it('a pause (429) holds every caller until it ends; the later of two pauses wins; a negative one is none', async () => {
		const clock = new VirtualClock(0);
		const limiter = new SlidingWindowLimiter({ requests: 40, windowMs: 2_000 }, clock);
		(await clock.run(limiter.acquire()))();
		limiter.pause(5_000);
		limiter.pause(1_000);
		const stamps: number[] = [];
		await clock.run(Promise.all(Array.from({ length: 4 }, () => limiter.acquire().then(() => stamps.push(clock.now())))));
		expect(stamps).toEqual([5_000, 5_000, 5_000, 5_000]);

		const stepping = new SteppingClock(0);
		const other = new SlidingWindowLimiter({ requests: 10, windowMs: 1000 }, stepping);
		other.pause(-50);
		await other.acquire();
		expect(stepping.now()).toBe(0);
	});

	it('refuses a wait that would end after the deadline, without waiting', async () => {
		const clock = new VirtualClock(0);
		const limiter = new SlidingWindowLimiter({ requests: 1, windowMs: 60_000 }, clock);
		(await clock.run(limiter.acquire()))();
		await expect(limiter.acquire(30_000)).rejects.toMatchObject({ name: 'RateBudgetError' });
		expect(clock.now()).toBe(0);
	});

	it('an advertised rate below the configured one widens the window; a faster one or nonsense changes nothing', () => {
		const limiter = new SlidingWindowLimiter({ requests: 10, windowMs: 1000 }, new SteppingClock());
		limiter.adaptRate(20);
		limiter.adaptRate(0);
		limiter.adaptRate(-1);
		expect(limiter.windowMs).toBe(1000);
		limiter.adaptRate(2);
		expect(limiter.windowMs).toBe(5000);
	});

	it('keeps only what it needs of its history', async () => {
		const clock = new SteppingClock(0);
		const limiter = new SlidingWindowLimiter({ requests: 3, windowMs: 100 }, clock);
		await sendAnsweredAtOnce(limiter, clock, 1000);
		expect((limiter as unknown as { held: unknown[] }).held.length).toBeLessThanOrEqual(3);
	});
});

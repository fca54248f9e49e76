/**
 * Client-side pacing so a run stays under a documented rate instead of hammering into 429s.
 *
 * State lives in a registry created per node run (never in module variables): n8n runs executions
 * in separate worker processes, so a module-level counter would be both wrong and banned.
 */

export interface RateLimit {
	/** Requests allowed per window; 0 or less disables pacing. */
	requests: number;
	/** Length of the vendor's window in milliseconds. */
	windowMs: number;
}

export interface Clock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

/**
 * Keeps a margin below the vendor's limit: requests are counted by the server on arrival, and
 * arrival times jitter relative to our send times.
 */
const SAFETY_FACTOR = 0.97;

/**
 * Token bucket sized so that no window of `windowMs` can hold more than the limit:
 * burst + rate × window = limit × SAFETY_FACTOR. The burst is one second's share (at least 1,
 * at most half the budget).
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	private pausedUntil = 0;
	/** Waiters are served in order, so one slow caller cannot be starved by later ones. */
	private queue: Promise<void> = Promise.resolve();
	capacity: number;
	ratePerMs: number;

	constructor(
		limit: RateLimit,
		private readonly clock: Clock,
	) {
		const budget = Math.max(1, Math.floor(limit.requests * SAFETY_FACTOR));
		const perSecond = (limit.requests / limit.windowMs) * 1000;
		// At most half the budget as burst, so short windows keep a useful sustained rate.
		this.capacity = Math.max(1, Math.min(Math.floor(perSecond), Math.floor(budget / 2)));
		this.ratePerMs = Math.max(budget - this.capacity, 1) / limit.windowMs;
		this.tokens = this.capacity;
		this.updatedAt = clock.now();
	}

	/**
	 * A bucket with an explicit sustained rate and burst, as vendors publish them per operation
	 * (e.g. SP-API getOrders: 0.0167 requests/s, burst 20).
	 */
	static withRateAndBurst(ratePerSecond: number, burst: number, clock: Clock): TokenBucket {
		const bucket = new TokenBucket({ requests: Math.max(1, burst), windowMs: 1000 }, clock);
		bucket.reshape(ratePerSecond, burst);
		return bucket;
	}

	private reshape(ratePerSecond: number, burst: number): void {
		this.capacity = Math.max(1, Math.floor(burst));
		this.tokens = this.capacity;
		this.ratePerMs = (ratePerSecond * SAFETY_FACTOR) / 1000;
	}

	/**
	 * Resolves when a request may be sent. With a `deadline` (epoch ms), a wait that would end after
	 * it rejects at once with a {@link RateBudgetError} instead of blocking.
	 */
	async acquire(deadline?: number): Promise<void> {
		const turn = this.queue.then(async () => await this.take(deadline));
		// Keep the chain alive even if a waiter is cancelled.
		this.queue = turn.catch(() => undefined);
		await turn;
	}

	/**
	 * The server said "wait": nobody sharing this bucket sends before then, and the bucket restarts
	 * empty so we do not burst straight back into the limit.
	 */
	pause(waitMs: number): void {
		const until = this.clock.now() + Math.max(0, waitMs);
		if (until > this.pausedUntil) this.pausedUntil = until;
		this.tokens = 0;
		this.updatedAt = Math.max(this.updatedAt, until);
	}

	/** Adopt a rate the server advertised (e.g. `x-amzn-RateLimit-Limit`). */
	adaptRate(requestsPerSecond: number): void {
		if (!(requestsPerSecond > 0)) return;
		// Time before now was earned at the old rate; only what follows refills at the new one.
		this.refill(this.clock.now());
		this.ratePerMs = (requestsPerSecond * SAFETY_FACTOR) / 1000;
	}

	private refill(now: number): void {
		if (now <= this.updatedAt) return;
		this.tokens = Math.min(this.capacity, this.tokens + (now - this.updatedAt) * this.ratePerMs);
		this.updatedAt = now;
	}

	private async take(deadline?: number): Promise<void> {
		// Bounded: each pass either returns or sleeps until a token is due.
		for (;;) {
			const now = this.clock.now();
			const wait = now < this.pausedUntil ? this.pausedUntil - now : undefined;
			if (wait === undefined) {
				this.refill(now);
				if (this.tokens >= 1) {
					this.tokens -= 1;
					return;
				}
			}
			const sleepMs = wait ?? Math.ceil((1 - this.tokens) / this.ratePerMs);
			if (deadline !== undefined && now + sleepMs > deadline) throw new RateBudgetError(sleepMs, deadline - now);
			await this.clock.sleep(sleepMs);
		}
	}
}

/** Hands a slot back: called once the request that took it has its answer (or has failed). */
export type ReleaseSlot = () => void;

/**
 * Pacing for a vendor limit of "N requests in any window of W" (a sliding or fixed window).
 *
 * A slot is held from our send until one window after the answer came back. The server counts a
 * request somewhere between our send and our receipt of its answer, however late the request
 * leaves a busy event loop or crosses the network; so if N + 1 of its arrivals fell inside one
 * window, the latest-sent of them would have been admitted while the other N still held their
 * slots — which this limiter never does. No timing margin is guessed: the bound holds for any
 * delivery delay. A read of P requests takes about ⌊(P − 1) / N⌋ · (W + response time).
 *
 * Unlike a token bucket (burst + rate × W ≤ N, which must give up most of the burst to stay safe),
 * the whole window's budget is used at once. A 429 in spite of pacing means others spend the same
 * budget: the limiter then holds everyone for the server's wait.
 */
export class SlidingWindowLimiter {
	/** Slots still held: the answer time of each request, `Infinity` while the answer is awaited. */
	private held: Array<{ answeredAt: number }> = [];
	private pausedUntil = 0;
	/** Waiters are served in order, so one slow caller cannot be starved by later ones. */
	private queue: Promise<void> = Promise.resolve();
	/** Resolves the waiter that needs an in-flight request to finish before it can count. */
	private wakeOnRelease: (() => void) | undefined;
	readonly requests: number;
	windowMs: number;

	constructor(
		limit: RateLimit,
		private readonly clock: Clock,
	) {
		this.requests = Math.max(1, Math.floor(limit.requests));
		this.windowMs = limit.windowMs;
	}

	/**
	 * Resolves when a request may be sent, with the function to call when its answer is in. With a
	 * `deadline` (epoch ms), a wait that would end after it rejects at once with a
	 * {@link RateBudgetError} instead of blocking.
	 */
	async acquire(deadline?: number): Promise<ReleaseSlot> {
		const turn = this.queue.then(async () => await this.take(deadline));
		// Keep the chain alive even if a waiter is cancelled.
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		return await turn;
	}

	/** Requests sent and not yet answered. */
	get inFlight(): number {
		return this.held.filter((slot) => slot.answeredAt === Infinity).length;
	}

	/** The server said "wait" (a 429): nobody sharing this limiter sends before then. */
	pause(waitMs: number): void {
		const until = this.clock.now() + Math.max(0, waitMs);
		if (until > this.pausedUntil) this.pausedUntil = until;
	}

	/** A server that states its rate (requests per second) is never exceeded: the window grows to match it. */
	adaptRate(requestsPerSecond: number): void {
		if (!(requestsPerSecond > 0)) return;
		this.windowMs = Math.max(this.windowMs, (this.requests / requestsPerSecond) * 1000);
	}

	private async take(deadline?: number): Promise<ReleaseSlot> {
		// Bounded: each pass either returns, sleeps until a slot or the pause is over, or waits for
		// an in-flight request to be answered (every request ends: transports time out).
		for (;;) {
			const now = this.clock.now();
			this.held = this.held.filter((slot) => slot.answeredAt + this.windowMs > now);
			let wait = now < this.pausedUntil ? this.pausedUntil - now : 0;
			if (wait === 0 && this.held.length >= this.requests) {
				const firstFree = Math.min(...this.held.map((slot) => slot.answeredAt)) + this.windowMs;
				if (firstFree === Infinity) {
					await new Promise<void>((resolve) => (this.wakeOnRelease = resolve));
					continue;
				}
				wait = firstFree - now;
			}
			if (wait <= 0) return this.admit();
			if (deadline !== undefined && now + wait > deadline) throw new RateBudgetError(wait, deadline - now);
			await this.clock.sleep(wait);
		}
	}

	private admit(): ReleaseSlot {
		const slot = { answeredAt: Infinity };
		this.held.push(slot);
		return () => {
			if (slot.answeredAt !== Infinity) return;
			slot.answeredAt = this.clock.now();
			const wake = this.wakeOnRelease;
			this.wakeOnRelease = undefined;
			wake?.();
		};
	}
}

/** The next request would have to wait longer than the time left. */
export class RateBudgetError extends Error {
	constructor(
		readonly waitMs: number,
		readonly remainingMs: number,
	) {
		super(`The rate limit needs a ${Math.ceil(waitMs / 1000)} s wait, but only ${Math.max(0, Math.floor(remainingMs / 1000))} s of the time budget are left`);
		this.name = 'RateBudgetError';
	}
}

/** One limiter per (credential, operation class), created lazily for one node run. */
export class RateLimiterRegistry {
	private readonly buckets = new Map<string, TokenBucket | SlidingWindowLimiter>();

	constructor(private readonly clock: Clock) {}

	/** A limiter for a vendor limit stated as "N requests per window". */
	bucket(credentialKey: string, operationClass: string, limit: RateLimit): SlidingWindowLimiter | undefined {
		if (!(limit.requests > 0) || !(limit.windowMs > 0)) return undefined;
		return this.lookup(`window\u0000${credentialKey}`, operationClass, () => new SlidingWindowLimiter(limit, this.clock));
	}

	/** A bucket with a vendor's published rate and burst for one operation. */
	rateBucket(credentialKey: string, operation: string, ratePerSecond: number, burst: number): TokenBucket {
		return this.lookup(`bucket\u0000${credentialKey}`, operation, () => TokenBucket.withRateAndBurst(ratePerSecond, burst, this.clock));
	}

	private lookup<T extends TokenBucket | SlidingWindowLimiter>(credentialKey: string, name: string, create: () => T): T {
		const key = `${credentialKey}\u0000${name}`;
		let bucket = this.buckets.get(key) as T | undefined;
		if (!bucket) {
			bucket = create();
			this.buckets.set(key, bucket);
		}
		return bucket;
	}
}

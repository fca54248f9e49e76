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

/**
 * Share of the window (at least {@link MIN_ARRIVAL_MARGIN_MS}) added between a send and the send
 * that reuses its slot: the server counts arrivals, and the delay between our send and its arrival
 * varies (an event loop busy parsing other pages, new connections, the network) — the later send
 * must not arrive within the window of the earlier one. 3 % / 20 ms proved too thin on a loaded
 * 2-core machine (an in-process server drew 429s); 5 % / 50 ms did not.
 */
const ARRIVAL_MARGIN_SHARE = 0.05;
const MIN_ARRIVAL_MARGIN_MS = 50;
/** A 429 in spite of pacing doubles the margin, up to this share of the window. */
const MAX_ARRIVAL_MARGIN_SHARE = 0.25;

/**
 * Pacing for a vendor limit of "N requests in any window of W" (a sliding or fixed window): at most
 * N sends in any W + margin. Unlike a token bucket (burst + rate × W ≤ N, which must give up most
 * of the burst to stay safe), the whole window's budget is used at once and each slot is reused
 * as soon as the send that held it has left the window — a read of P requests takes
 * ⌊(P − 1) / N⌋ · (W + margin), the server's own floor plus the margin per window.
 *
 * A 429 while pacing means the margin was too small for how late our requests arrive (a busy
 * event loop, a slow network) or that others spend the same budget: the limiter then holds
 * everyone for the server's wait and doubles its margin (up to a quarter of the window).
 */
export class SlidingWindowLimiter {
	/** Send times of admitted requests, oldest first; only the last `requests` matter. */
	private sent: number[] = [];
	private pausedUntil = 0;
	/** Waiters are served in order, so one slow caller cannot be starved by later ones. */
	private queue: Promise<void> = Promise.resolve();
	readonly requests: number;
	windowMs: number;
	marginMs: number;
	private readonly maxMarginMs: number;

	constructor(
		limit: RateLimit,
		private readonly clock: Clock,
	) {
		this.requests = Math.max(1, Math.floor(limit.requests));
		this.windowMs = limit.windowMs;
		this.marginMs = Math.max(MIN_ARRIVAL_MARGIN_MS, Math.ceil(limit.windowMs * ARRIVAL_MARGIN_SHARE));
		this.maxMarginMs = Math.max(this.marginMs, Math.ceil(limit.windowMs * MAX_ARRIVAL_MARGIN_SHARE));
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

	/** The server said "wait" (a 429): nobody sharing this limiter sends before then, and the margin doubles. */
	pause(waitMs: number): void {
		const until = this.clock.now() + Math.max(0, waitMs);
		if (until > this.pausedUntil) this.pausedUntil = until;
		this.marginMs = Math.min(this.maxMarginMs, this.marginMs * 2);
	}

	/** A server that states its rate (requests per second) is never exceeded: the window grows to match it. */
	adaptRate(requestsPerSecond: number): void {
		if (!(requestsPerSecond > 0)) return;
		this.windowMs = Math.max(this.windowMs, (this.requests / requestsPerSecond) * 1000);
	}

	private async take(deadline?: number): Promise<void> {
		// Bounded: each pass either returns or sleeps until the oldest slot (or the pause) is over.
		for (;;) {
			const now = this.clock.now();
			let wait = now < this.pausedUntil ? this.pausedUntil - now : 0;
			if (wait === 0 && this.sent.length >= this.requests) {
				const freeAt = this.sent[this.sent.length - this.requests] + this.windowMs + this.marginMs;
				if (freeAt > now) wait = freeAt - now;
			}
			if (wait === 0) {
				this.sent.push(now);
				if (this.sent.length > 2 * this.requests) this.sent = this.sent.slice(-this.requests);
				return;
			}
			if (deadline !== undefined && now + wait > deadline) throw new RateBudgetError(wait, deadline - now);
			await this.clock.sleep(wait);
		}
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

/**
 * Sliding-window request counters. IFS documents no rate limits (the reference marks them as
 * inferred), so the sandbox uses one simple, predictable rule: at most `requests` admitted API
 * requests in any `windowMs`, per tenant, across all clients. Rejected requests (429) do not
 * count.
 */

/** Timestamps of admitted requests inside the current window (ring-free deque). */
class WindowLog {
	private times: number[] = [];
	private head = 0;

	constructor(readonly windowMs: number) {}

	private expire(now: number): void {
		const cutoff = now - this.windowMs;
		while (this.head < this.times.length && this.times[this.head] <= cutoff) this.head++;
		// Compact occasionally so the array does not grow forever.
		if (this.head > 4096 && this.head * 2 > this.times.length) {
			this.times = this.times.slice(this.head);
			this.head = 0;
		}
	}

	size(now: number): number {
		this.expire(now);
		return this.times.length - this.head;
	}

	oldest(): number | undefined {
		return this.head < this.times.length ? this.times[this.head] : undefined;
	}

	add(now: number): void {
		this.times.push(now);
	}

	clear(): void {
		this.times = [];
		this.head = 0;
	}
}

export interface RateLimitConfig {
	requests: number;
	windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SlidingWindowRateLimiter {
	private readonly log: WindowLog;

	constructor(private readonly config: RateLimitConfig) {
		if (!(config.requests >= 1) || !(config.windowMs >= 1)) throw new Error('rateLimit needs requests >= 1 and windowMs >= 1');
		this.log = new WindowLog(config.windowMs);
	}

	tryAcquire(now: number): RateDecision {
		if (this.log.size(now) < this.config.requests) {
			this.log.add(now);
			return { allowed: true };
		}
		// The oldest admitted request leaves the window first; that is when a slot frees.
		const oldest = this.log.oldest() ?? now;
		const waitMs = oldest + this.config.windowMs - now;
		return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
	}

	reset(): void {
		this.log.clear();
	}
}

/** Tracks the highest number of admitted requests seen inside any window of `windowMs`. */
export class PeakWindowCounter {
	private readonly log: WindowLog;
	peak = 0;

	constructor(windowMs: number) {
		this.log = new WindowLog(windowMs);
	}

	record(now: number): void {
		this.log.add(now);
		this.peak = Math.max(this.peak, this.log.size(now));
	}

	reset(): void {
		this.log.clear();
		this.peak = 0;
	}
}

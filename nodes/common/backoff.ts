/**
 * Backoff arithmetic and server wait hints. Pure functions: no I/O, no clock of their own.
 */

export interface BackoffPolicy {
	/** Attempts in total, the first one included. */
	maxAttempts: number;
	/** Ceiling of the first retry's random delay. */
	baseDelayMs: number;
	/** No single wait is longer than this (unless the server asks for longer and the budget allows it). */
	maxDelayMs: number;
	/** Total time one call may spend, waits included. */
	budgetMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
	maxAttempts: 8,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	budgetMs: 120_000,
};

/**
 * "Full jitter": a uniformly random delay between 0 and the capped exponential ceiling, so that
 * many clients that failed together do not retry together.
 */
export function fullJitterDelay(
	retryNumber: number,
	policy: Pick<BackoffPolicy, 'baseDelayMs' | 'maxDelayMs'>,
	random: () => number = Math.random,
): number {
	const exponent = Math.max(0, retryNumber - 1);
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
	return Math.floor(random() * ceiling);
}

export type HeaderBag = Record<string, string | string[] | number | undefined>;

export function headerValue(headers: HeaderBag | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || value === undefined) continue;
		return Array.isArray(value) ? value[0] : String(value);
	}
	return undefined;
}

/** `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (trimmed === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
	// An HTTP date names its weekday or month; anything else (e.g. "-5") is not a hint.
	if (!/[a-z]{3}/i.test(trimmed)) return undefined;
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

/**
 * Reads how long the server wants us to wait. Each reader handles one header convention; connectors
 * add their vendor's readers to the defaults.
 */
export type WaitHintReader = (headers: HeaderBag, nowMs: number) => number | undefined;

export const retryAfterHint: WaitHintReader = (headers, now) =>
	parseRetryAfter(headerValue(headers, 'retry-after'), now);

/**
 * `X-Rate-Limit-Reset` (ShipStation V1 and others): seconds until the window resets. Some APIs send
 * an epoch timestamp instead; a value larger than a day is read as epoch seconds.
 */
export const rateLimitResetHint: WaitHintReader = (headers, now) => {
	const raw = headerValue(headers, 'x-rate-limit-reset') ?? headerValue(headers, 'ratelimit-reset');
	if (raw === undefined || !/^\d+(\.\d+)?$/.test(raw.trim())) return undefined;
	const value = Number(raw);
	if (value > 1e12) return Math.max(0, Math.ceil(value - now)); // epoch milliseconds
	if (value > 86_400) return Math.max(0, Math.ceil(value * 1000 - now)); // epoch seconds
	return Math.ceil(value * 1000);
};

export const DEFAULT_WAIT_HINTS: WaitHintReader[] = [retryAfterHint, rateLimitResetHint];

export function serverWaitMs(
	headers: HeaderBag | undefined,
	nowMs: number,
	readers: WaitHintReader[] = DEFAULT_WAIT_HINTS,
): number | undefined {
	if (!headers) return undefined;
	for (const read of readers) {
		const wait = read(headers, nowMs);
		if (wait !== undefined && Number.isFinite(wait)) return wait;
	}
	return undefined;
}

/**
 * `x-amzn-RateLimit-Limit` carries the operation's sustained rate in requests per second. It is a
 * pacing hint (adapt the bucket), not a wait: it is absent on 429 and 5xx answers.
 */
export function advertisedRatePerSecond(headers: HeaderBag | undefined): number | undefined {
	const raw = headerValue(headers, 'x-amzn-ratelimit-limit');
	if (raw === undefined) return undefined;
	const value = Number(raw.trim());
	return Number.isFinite(value) && value > 0 ? value : undefined;
}

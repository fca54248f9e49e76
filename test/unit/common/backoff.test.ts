import {
	DEFAULT_BACKOFF,
	DEFAULT_WAIT_HINTS,
	type WaitHintReader,
	advertisedRatePerSecond,
	fullJitterDelay,
	headerValue,
	parseRetryAfter,
	rateLimitResetHint,
	retryAfterHint,
	serverWaitMs,
} from '../../../nodes/common/backoff';
import { seededRandom } from '../helpers/clock';

const NOW = Date.parse('2024-05-31T12:00:00Z');

describe('fullJitterDelay', () => {
	const policy = { baseDelayMs: 500, maxDelayMs: 30_000 };

	it('is zero when the random source says 0', () => {
		expect(fullJitterDelay(1, policy, () => 0)).toBe(0);
		expect(fullJitterDelay(7, policy, () => 0)).toBe(0);
	});

	it('stays below a ceiling that doubles per retry: base, 2×base, 4×base …', () => {
		const top = () => 0.999999;
		expect(fullJitterDelay(1, policy, top)).toBe(499);
		expect(fullJitterDelay(2, policy, top)).toBe(999);
		expect(fullJitterDelay(3, policy, top)).toBe(1999);
		expect(fullJitterDelay(4, policy, top)).toBe(3999);
	});

	it('treats retry number 0 like the first retry', () => {
		expect(fullJitterDelay(0, policy, () => 0.5)).toBe(250);
	});

	it('never exceeds maxDelayMs, even for huge retry numbers', () => {
		const top = () => 0.999999;
		expect(fullJitterDelay(7, policy, top)).toBeLessThan(30_000);
		expect(fullJitterDelay(10_000, policy, top)).toBeLessThan(30_000);
		expect(Number.isFinite(fullJitterDelay(10_000, policy, top))).toBe(true);
	});

	it('returns whole milliseconds spread over [0, ceiling)', () => {
		const random = seededRandom(42);
		const delays = Array.from({ length: 2000 }, () => fullJitterDelay(3, policy, random));
		expect(delays.every((delay) => Number.isInteger(delay) && delay >= 0 && delay < 2000)).toBe(true);
		// Full jitter: both ends of the range are used, not a fixed delay.
		expect(Math.min(...delays)).toBeLessThan(200);
		expect(Math.max(...delays)).toBeGreaterThan(1800);
	});

	it('uses Math.random by default and still respects the ceiling', () => {
		for (let i = 0; i < 200; i++) expect(fullJitterDelay(2, policy)).toBeLessThan(1000);
	});

	it('has sane defaults', () => {
		expect(DEFAULT_BACKOFF.maxAttempts).toBeGreaterThan(1);
		expect(DEFAULT_BACKOFF.baseDelayMs).toBeLessThan(DEFAULT_BACKOFF.maxDelayMs);
		expect(DEFAULT_BACKOFF.maxDelayMs).toBeLessThanOrEqual(DEFAULT_BACKOFF.budgetMs);
	});
});

describe('headerValue', () => {
	it('finds a header whatever its case', () => {
		expect(headerValue({ 'Retry-After': '5' }, 'retry-after')).toBe('5');
		expect(headerValue({ 'retry-after': '5' }, 'Retry-After')).toBe('5');
	});

	it('takes the first value of a repeated header and stringifies numbers', () => {
		expect(headerValue({ 'x-a': ['1', '2'] }, 'X-A')).toBe('1');
		expect(headerValue({ 'x-a': 7 }, 'x-a')).toBe('7');
	});

	it('skips undefined values and missing bags', () => {
		expect(headerValue({ 'x-a': undefined }, 'x-a')).toBeUndefined();
		expect(headerValue(undefined, 'x-a')).toBeUndefined();
		expect(headerValue({}, 'x-a')).toBeUndefined();
	});
});

describe('parseRetryAfter', () => {
	it('reads delta-seconds, fractions rounded up to the millisecond', () => {
		expect(parseRetryAfter('120', NOW)).toBe(120_000);
		expect(parseRetryAfter(' 3 ', NOW)).toBe(3000);
		expect(parseRetryAfter('0', NOW)).toBe(0);
		expect(parseRetryAfter('1.5', NOW)).toBe(1500);
		expect(parseRetryAfter('0.0004', NOW)).toBe(1);
	});

	it('reads an HTTP date relative to now', () => {
		expect(parseRetryAfter('Fri, 31 May 2024 12:00:30 GMT', NOW)).toBe(30_000);
		expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
	});

	it('turns a date in the past into no wait', () => {
		expect(parseRetryAfter('Fri, 31 May 2024 11:59:00 GMT', NOW)).toBe(0);
	});

	it('ignores absent, empty and unreadable values', () => {
		expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
		expect(parseRetryAfter('', NOW)).toBeUndefined();
		expect(parseRetryAfter('   ', NOW)).toBeUndefined();
		expect(parseRetryAfter('soon', NOW)).toBeUndefined();
	});
});

describe('rateLimitResetHint (X-Rate-Limit-Reset)', () => {
	it('reads small values as seconds until the reset', () => {
		expect(rateLimitResetHint({ 'X-Rate-Limit-Reset': '30' }, NOW)).toBe(30_000);
		expect(rateLimitResetHint({ 'x-rate-limit-reset': '86400' }, NOW)).toBe(86_400_000);
	});

	it('reads values larger than a day as epoch seconds', () => {
		const resetAt = Math.floor(NOW / 1000) + 45;
		expect(rateLimitResetHint({ 'X-Rate-Limit-Reset': String(resetAt) }, NOW)).toBe(45_000);
	});

	it('turns an epoch in the past into no wait', () => {
		const past = Math.floor(NOW / 1000) - 100;
		expect(rateLimitResetHint({ 'X-Rate-Limit-Reset': String(past) }, NOW)).toBe(0);
	});

	it('also reads the IETF RateLimit-Reset header', () => {
		expect(rateLimitResetHint({ 'RateLimit-Reset': '12' }, NOW)).toBe(12_000);
	});

	it('ignores non-numeric values and missing headers', () => {
		expect(rateLimitResetHint({ 'X-Rate-Limit-Reset': 'tomorrow' }, NOW)).toBeUndefined();
		expect(rateLimitResetHint({ 'X-Rate-Limit-Reset': '-5' }, NOW)).toBeUndefined();
		expect(rateLimitResetHint({}, NOW)).toBeUndefined();
	});
});

describe('serverWaitMs', () => {
	it('prefers Retry-After over X-Rate-Limit-Reset', () => {
		expect(serverWaitMs({ 'Retry-After': '2', 'X-Rate-Limit-Reset': '40' }, NOW)).toBe(2000);
	});

	it('falls back to X-Rate-Limit-Reset', () => {
		expect(serverWaitMs({ 'X-Rate-Limit-Reset': '40' }, NOW)).toBe(40_000);
	});

	it('returns undefined without headers or hints', () => {
		expect(serverWaitMs(undefined, NOW)).toBeUndefined();
		expect(serverWaitMs({ 'content-type': 'application/json' }, NOW)).toBeUndefined();
	});

	it('uses the readers it is given, in order, skipping non-finite answers', () => {
		const infinite: WaitHintReader = () => Number.POSITIVE_INFINITY;
		const vendor: WaitHintReader = (headers) => (headers['x-vendor-wait'] ? Number(headers['x-vendor-wait']) : undefined);
		expect(serverWaitMs({ 'x-vendor-wait': '750', 'retry-after': '9' }, NOW, [infinite, vendor, retryAfterHint])).toBe(750);
		expect(serverWaitMs({ 'retry-after': '9' }, NOW, [vendor])).toBeUndefined();
	});

	it('defaults to Retry-After then the reset header', () => {
		expect(DEFAULT_WAIT_HINTS).toEqual([retryAfterHint, rateLimitResetHint]);
	});
});

describe('advertisedRatePerSecond (x-amzn-RateLimit-Limit)', () => {
	it('reads the advertised rate whatever the header case', () => {
		expect(advertisedRatePerSecond({ 'x-amzn-RateLimit-Limit': '0.5' })).toBe(0.5);
		expect(advertisedRatePerSecond({ 'X-AMZN-RATELIMIT-LIMIT': ' 2 ' })).toBe(2);
		expect(advertisedRatePerSecond({ 'x-amzn-ratelimit-limit': '0.0167' })).toBeCloseTo(0.0167);
	});

	it('ignores zero, negative, non-numeric and missing values', () => {
		expect(advertisedRatePerSecond({ 'x-amzn-RateLimit-Limit': '0' })).toBeUndefined();
		expect(advertisedRatePerSecond({ 'x-amzn-RateLimit-Limit': '-1' })).toBeUndefined();
		expect(advertisedRatePerSecond({ 'x-amzn-RateLimit-Limit': 'fast' })).toBeUndefined();
		expect(advertisedRatePerSecond({})).toBeUndefined();
		expect(advertisedRatePerSecond(undefined)).toBeUndefined();
	});
});

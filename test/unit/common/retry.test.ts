import { type INode, type JsonObject, NodeApiError } from 'n8n-workflow';

import type { HeaderBag } from '../../../nodes/common/backoff';
import { type Clock, RateBudgetError, SlidingWindowLimiter, TokenBucket } from '../../../nodes/common/rateLimiter';
import {
	type CallOutcome,
	type RawResponse,
	type RetryEnvironment,
	TransportFailure,
	classifyNetworkError,
	classifyStatus,
	networkErrorCode,
	sendWithRetry,
} from '../../../nodes/common/retry';
import { SteppingClock, VirtualClock, seededRandom } from '../helpers/clock';

const ok = (body: unknown = { ok: true }): RawResponse => ({ statusCode: 200, headers: {}, body });
const status = (statusCode: number, headers: HeaderBag = {}): RawResponse => ({ statusCode, headers, body: { status: statusCode } });
const netError = (code: string, message = `connect ${code}`) => Object.assign(new Error(message), { code });

/** A `send` that plays the given answers in order (the last one repeats) and counts calls. */
function script(...steps: Array<RawResponse | Error>) {
	const attempts: number[] = [];
	const send = async (attempt: number): Promise<RawResponse> => {
		attempts.push(attempt);
		const step = steps[Math.min(attempts.length - 1, steps.length - 1)];
		if (step instanceof Error) throw step;
		return step;
	};
	return { send, attempts };
}

const node: INode = {
	id: 'node-1',
	name: 'IFS Cloud',
	type: 'n8n-nodes-ml-connector.ifsCloud',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** What axios throws (n8n's HTTP helpers use axios); the class name matters to NodeApiError. */
class AxiosError extends Error {
	readonly isAxiosError = true;
	constructor(
		message: string,
		readonly code: string,
		readonly config: Record<string, unknown> = {},
	) {
		super(message);
		this.name = 'AxiosError';
	}
}

function env(clock: Clock, extra: Partial<RetryEnvironment> = {}): RetryEnvironment {
	return { clock, random: () => 0.5, ...extra };
}

describe('classifyStatus', () => {
	it('reads 429 and 503 as rejected (not processed)', () => {
		expect(classifyStatus(429)).toBe('rejected');
		expect(classifyStatus(503)).toBe('rejected');
	});

	it('reads 502 and 504 as ambiguous (maybe processed)', () => {
		expect(classifyStatus(502)).toBe('ambiguous');
		expect(classifyStatus(504)).toBe('ambiguous');
	});

	it('reads other errors as fatal and successes as nothing to judge', () => {
		for (const code of [400, 401, 403, 404, 409, 412, 422, 500, 501]) expect(classifyStatus(code)).toBe('fatal');
		for (const code of [200, 201, 204, 304]) expect(classifyStatus(code)).toBeUndefined();
	});

	it('honours a custom list of retryable statuses', () => {
		expect(classifyStatus(500, [500, 503])).toBe('ambiguous');
		expect(classifyStatus(429, [500, 503])).toBe('fatal');
	});
});

describe('networkErrorCode / classifyNetworkError', () => {
	it('finds the code on the error itself', () => {
		expect(networkErrorCode(netError('ECONNRESET'))).toBe('ECONNRESET');
	});

	it('finds the code down a cause chain (NodeApiError → AxiosError ECONNRESET)', () => {
		const axios = new AxiosError('read ECONNRESET', 'ECONNRESET', { headers: { Authorization: 'Bearer x' } });
		const wrapped = new NodeApiError(node, axios as unknown as JsonObject);
		expect(networkErrorCode(wrapped)).toBe('ECONNRESET');
		expect(classifyNetworkError(wrapped)).toBe('ambiguous');
	});

	it('finds the code several causes down', () => {
		const inner = Object.assign(new Error('socket'), { code: 'ETIMEDOUT' });
		const middle = new Error('request failed', { cause: inner });
		const outer = new Error('operation failed', { cause: middle });
		expect(networkErrorCode(outer)).toBe('ETIMEDOUT');
	});

	it('reads "socket hang up" as a reset and AbortError/CanceledError as a cancel', () => {
		expect(networkErrorCode(new Error('socket hang up'))).toBe('ECONNRESET');
		expect(networkErrorCode(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe('ABORT_ERR');
		expect(networkErrorCode(Object.assign(new Error('canceled'), { name: 'CanceledError' }))).toBe('ABORT_ERR');
	});

	it('ignores codes that are not system error codes', () => {
		expect(networkErrorCode(Object.assign(new Error('x'), { code: 404 }))).toBeUndefined();
		expect(networkErrorCode(Object.assign(new Error('x'), { code: 'not-a-code' }))).toBeUndefined();
		expect(networkErrorCode('ECONNRESET')).toBeUndefined();
		expect(networkErrorCode(undefined)).toBeUndefined();
	});

	it('classifies by code', () => {
		for (const code of ['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']) {
			expect(classifyNetworkError(netError(code))).toBe('rejected');
		}
		for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']) {
			expect(classifyNetworkError(netError(code))).toBe('ambiguous');
		}
		for (const code of ['ERR_CANCELED', 'ABORT_ERR']) expect(classifyNetworkError(netError(code))).toBe('cancelled');
		expect(classifyNetworkError(netError('ENOTFOUND'))).toBe('fatal');
		expect(classifyNetworkError(new Error('certificate has expired'))).toBe('fatal');
	});

	it('reads any failure as cancelled once the signal is aborted', () => {
		const controller = new AbortController();
		controller.abort();
		expect(classifyNetworkError(netError('ECONNRESET'), controller.signal)).toBe('cancelled');
	});
});

describe('sendWithRetry: outcomes', () => {
	it('returns the first success without waiting', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(ok({ id: 1 }));
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false });
		expect(outcome).toEqual({ response: ok({ id: 1 }), attempts: 1, waitedMs: 0 });
		expect(attempts).toEqual([1]);
		expect(clock.sleeps).toEqual([]);
	});

	it('returns fatal HTTP answers at once, for the connector to map', async () => {
		for (const code of [400, 401, 404, 409, 500]) {
			const clock = new SteppingClock();
			const { send, attempts } = script(status(code), ok());
			const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
			expect(outcome.response.statusCode).toBe(code);
			expect(outcome.attempts).toBe(1);
			expect(outcome.exhausted).toBeUndefined();
			expect(attempts).toHaveLength(1);
			expect(clock.sleeps).toEqual([]);
		}
	});

	it('throws a not-retryable TransportFailure for a fatal network error', async () => {
		const clock = new SteppingClock();
		const cause = netError('ENOTFOUND', 'getaddrinfo ENOTFOUND tenant.example');
		const { send, attempts } = script(cause, ok());
		const failure = await sendWithRetry(send, env(clock), { idempotent: true }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure).toMatchObject({ reason: 'not-retryable', kind: 'fatal', code: 'ENOTFOUND', attempts: 1, cause });
		expect((failure as Error).message).toBe('The host name could not be resolved');
		expect(attempts).toHaveLength(1);
	});

	it('passes the attempt number to send', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(503), status(503), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
		expect(attempts).toEqual([1, 2, 3]);
		expect(outcome.attempts).toBe(3);
		expect(outcome.waitedMs).toBe(clock.slept);
	});
});

describe('sendWithRetry: rejected answers are always resent', () => {
	it.each([429, 503])('resends a non-idempotent request after %i', async (code) => {
		const clock = new SteppingClock();
		const verify = jest.fn();
		const { send, attempts } = script(status(code), ok({ created: true }));
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false, verifyAfterAmbiguousFailure: verify });
		expect(outcome.response.body).toEqual({ created: true });
		expect(outcome.attempts).toBe(2);
		expect(outcome.verified).toBeUndefined();
		expect(attempts).toHaveLength(2);
		expect(verify).not.toHaveBeenCalled();
	});

	it('resends a non-idempotent request after connection refused', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(netError('ECONNREFUSED'), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false });
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
	});
});

describe('sendWithRetry: ambiguous failures', () => {
	it.each([502, 504])('resends an idempotent request after %i', async (code) => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(code), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
	});

	it.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE'])('resends an idempotent request after %s', async (code) => {
		const clock = new SteppingClock();
		const { send, attempts } = script(netError(code), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
	});

	it.each([502, 504])('does not resend a non-idempotent request after %i without a verifier', async (code) => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(code), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false });
		expect(outcome.response.statusCode).toBe(code);
		expect(outcome.attempts).toBe(1);
		expect(outcome.exhausted).toBeUndefined();
		expect(attempts).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
	});

	it('throws ambiguous-unsafe for a non-idempotent request after a reset, without resending', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(netError('ECONNRESET', 'read ECONNRESET'), ok());
		const failure = await sendWithRetry(send, env(clock), { idempotent: false }).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure).toMatchObject({ reason: 'ambiguous-unsafe', kind: 'ambiguous', code: 'ECONNRESET', attempts: 1 });
		expect((failure as Error).message).toBe('The connection was reset before the server answered');
		expect(attempts).toHaveLength(1);
	});

	it('stops when the verifier cannot tell', async () => {
		const clock = new SteppingClock();
		const verify = jest.fn(async () => 'unknown' as const);
		const { send, attempts } = script(status(504), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false, verifyAfterAmbiguousFailure: verify });
		expect(outcome.response.statusCode).toBe(504);
		expect(verify).toHaveBeenCalledTimes(1);
		expect(attempts).toHaveLength(1);

		const network = script(netError('ETIMEDOUT'));
		const failure = await sendWithRetry(network.send, env(clock), { idempotent: false, verifyAfterAmbiguousFailure: verify }).catch(
			(error: unknown) => error,
		);
		expect(failure).toMatchObject({ reason: 'ambiguous-unsafe', code: 'ETIMEDOUT' });
		expect(network.attempts).toHaveLength(1);
	});

	it('returns what the verifier found, marked verified, without resending', async () => {
		const clock = new SteppingClock();
		const found: RawResponse = { statusCode: 200, headers: {}, body: { OrderNo: 'C1' } };
		const verify = jest.fn(async () => found);
		const { send, attempts } = script(netError('ECONNRESET'), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false, verifyAfterAmbiguousFailure: verify });
		expect(outcome).toEqual({ response: found, attempts: 1, waitedMs: 0, verified: true });
		expect(attempts).toHaveLength(1);
	});

	it('resends once when the verifier says it did not take effect, and verifies again after another ambiguous failure', async () => {
		const clock = new SteppingClock();
		const verdicts: Array<'resend' | RawResponse> = ['resend', 'resend'];
		const verify = jest.fn(async () => verdicts.shift() ?? ('unknown' as const));
		const { send, attempts } = script(status(502), netError('ECONNRESET'), ok({ created: 'C2' }));
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false, verifyAfterAmbiguousFailure: verify });
		expect(outcome.response.body).toEqual({ created: 'C2' });
		expect(outcome.attempts).toBe(3);
		expect(outcome.verified).toBeUndefined();
		expect(verify).toHaveBeenCalledTimes(2);
		expect(attempts).toEqual([1, 2, 3]);
	});
});

describe('sendWithRetry: waits', () => {
	it('waits at least what Retry-After asks (seconds), plus a little jitter', async () => {
		const clock = new SteppingClock();
		const { send } = script(status(429, { 'Retry-After': '2' }), ok());
		await sendWithRetry(send, env(clock, { random: () => 0.999 }), { idempotent: true });
		expect(clock.sleeps).toHaveLength(1);
		expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
		expect(clock.sleeps[0]).toBeLessThan(2000 + 200);
	});

	it('waits at least until a Retry-After HTTP date', async () => {
		const clock = new SteppingClock(Date.parse('2024-05-31T12:00:00Z'));
		const { send } = script(status(503, { 'retry-after': 'Fri, 31 May 2024 12:00:07 GMT' }), ok());
		await sendWithRetry(send, env(clock, { random: () => 0 }), { idempotent: true });
		expect(clock.sleeps).toEqual([7000]);
	});

	it('honours a server wait longer than maxDelayMs when the budget allows', async () => {
		const clock = new SteppingClock();
		const { send } = script(status(429, { 'Retry-After': '45' }), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true, backoff: { maxDelayMs: 1000 } });
		expect(clock.sleeps[0]).toBeGreaterThanOrEqual(45_000);
		expect(outcome.response.statusCode).toBe(200);
	});

	it('uses X-Rate-Limit-Reset when there is no Retry-After', async () => {
		const clock = new SteppingClock();
		const { send } = script(status(429, { 'X-Rate-Limit-Reset': '12' }), ok());
		await sendWithRetry(send, env(clock, { random: () => 0 }), { idempotent: true });
		expect(clock.sleeps).toEqual([12_000]);
	});

	it('uses the vendor wait-hint readers it is given', async () => {
		const clock = new SteppingClock();
		const { send } = script(status(429, { 'x-wait-ms': '1234', 'retry-after': '60' }), ok());
		await sendWithRetry(send, env(clock, { random: () => 0 }), {
			idempotent: true,
			waitHints: [(headers) => (headers['x-wait-ms'] ? Number(headers['x-wait-ms']) : undefined)],
		});
		expect(clock.sleeps).toEqual([1234]);
	});

	it('without a hint, waits a full-jitter delay bounded by the exponential ceiling and maxDelayMs', async () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const clock = new SteppingClock();
			const { send } = script(status(503));
			const backoff = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1500, budgetMs: 1_000_000 };
			await sendWithRetry(send, env(clock, { random: seededRandom(seed) }), { idempotent: true, backoff });
			expect(clock.sleeps).toHaveLength(9);
			clock.sleeps.forEach((sleep, index) => {
				expect(sleep).toBeGreaterThanOrEqual(0);
				expect(sleep).toBeLessThan(Math.min(1500, 100 * 2 ** index));
			});
		}
	});

	it('reaches the cap with a high random draw, never above it', async () => {
		const clock = new SteppingClock();
		const { send } = script(status(502));
		const backoff = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 1_000_000 };
		await sendWithRetry(send, env(clock, { random: () => 0.9999 }), { idempotent: true, backoff });
		expect(clock.sleeps).toEqual([99, 199, 399, 799, 999, 999, 999]);
	});
});

describe('sendWithRetry: limits', () => {
	it('stops after maxAttempts with the last answer, marked exhausted: attempts', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(503));
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true, backoff: { maxAttempts: 4 } });
		expect(outcome.response.statusCode).toBe(503);
		expect(outcome.exhausted).toBe('attempts');
		expect(outcome.attempts).toBe(4);
		expect(attempts).toHaveLength(4);
		expect(clock.sleeps).toHaveLength(3);
		expect(outcome.waitedMs).toBe(clock.slept);
	});

	it('uses 8 attempts by default', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(503));
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
		expect(attempts).toHaveLength(8);
		expect(outcome.exhausted).toBe('attempts');
	});

	it('throws a TransportFailure with reason attempts when network failures persist', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(netError('ETIMEDOUT'));
		const failure = await sendWithRetry(send, env(clock), { idempotent: true, backoff: { maxAttempts: 3 } }).catch(
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure).toMatchObject({ reason: 'attempts', attempts: 3, kind: 'ambiguous', code: 'ETIMEDOUT' });
		expect((failure as TransportFailure).waitedMs).toBe(clock.slept);
		expect(attempts).toHaveLength(3);
	});

	it('stops early, exhausted: budget, when the next wait would overrun the budget', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(503, { 'Retry-After': '4' }));
		const outcome = await sendWithRetry(send, env(clock, { random: () => 0 }), {
			idempotent: true,
			backoff: { budgetMs: 10_000, maxAttempts: 100 },
		});
		expect(outcome.exhausted).toBe('budget');
		expect(outcome.attempts).toBe(3);
		expect(attempts).toHaveLength(3);
		// Two waits fit (8 s); a third would end at 12 s > 10 s and is not slept at all.
		expect(clock.sleeps).toEqual([4000, 4000]);
		expect(outcome.waitedMs).toBe(8000);
	});

	it('counts time spent sending against the budget', async () => {
		const clock = new SteppingClock();
		const attempts: number[] = [];
		const send = async (attempt: number) => {
			attempts.push(attempt);
			clock.current += 3000; // a slow server
			return status(503, { 'Retry-After': '1' });
		};
		const outcome = await sendWithRetry(send, env(clock, { random: () => 0 }), {
			idempotent: true,
			backoff: { budgetMs: 10_000, maxAttempts: 100 },
		});
		// t=3s +1s wait, t=7s +1s wait, t=11s: over.
		expect(outcome.exhausted).toBe('budget');
		expect(attempts).toHaveLength(3);
		expect(clock.now()).toBeLessThanOrEqual(11_000);
	});

	it('gives up at once when the server asks for more than the whole budget', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(429, { 'Retry-After': '600' }));
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
		expect(outcome.exhausted).toBe('budget');
		expect(attempts).toHaveLength(1);
		expect(clock.sleeps).toEqual([]);
	});

	it('throws a TransportFailure with reason budget for network failures over budget', async () => {
		const clock = new SteppingClock();
		const { send } = script(netError('ECONNREFUSED'));
		const failure = await sendWithRetry(send, env(clock, { random: () => 0.99 }), {
			idempotent: true,
			backoff: { budgetMs: 3000, baseDelayMs: 1000, maxAttempts: 50 },
		}).catch((error: unknown) => error);
		expect(failure).toMatchObject({ reason: 'budget', kind: 'rejected', code: 'ECONNREFUSED' });
		expect(clock.slept).toBeLessThanOrEqual(3000);
	});
});

describe('sendWithRetry: shared bucket', () => {
	it('paces every attempt through the bucket', async () => {
		const clock = new SteppingClock();
		const bucket = new TokenBucket({ requests: 1, windowMs: 10_000 }, clock);
		const sendTimes: number[] = [];
		const send = async () => {
			sendTimes.push(clock.now());
			return sendTimes.length < 3 ? status(503) : ok();
		};
		await sendWithRetry(send, env(clock, { bucket, random: () => 0 }), { idempotent: true });
		// One token per 10 s: retries are paced too.
		expect(sendTimes).toEqual([0, 10_000, 20_000]);
	});

	it("a pacer's own refusal (the rate needs more time than the budget) reaches the caller unchanged", async () => {
		const clock = new SteppingClock();
		const bucket = TokenBucket.withRateAndBurst(0.0167, 1, clock);
		const deadline = clock.now() + 30_000;
		let sends = 0;
		const send = async () => {
			sends++;
			return status(503);
		};
		const failure = await sendWithRetry(send, env(clock, { bucket: { acquire: async () => await bucket.acquire(deadline), pause: (ms) => bucket.pause(ms), adaptRate: (rate) => bucket.adaptRate(rate) } }), {
			idempotent: true,
		}).catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(RateBudgetError);
		expect(sends).toBe(1);
	});

	it('a 429 pauses the shared bucket, so other callers wait too', async () => {
		const clock = new VirtualClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		const times = { a: [] as number[], b: [] as number[] };
		const sendA = async (attempt: number) => {
			times.a.push(clock.now());
			return attempt === 1 ? status(429, { 'Retry-After': '5' }) : ok();
		};
		const sendB = async () => {
			times.b.push(clock.now());
			return ok();
		};
		const a = sendWithRetry(sendA, env(clock, { bucket, random: () => 0 }), { idempotent: false });
		// B starts 10 ms later, after A has been told to wait.
		const b = clock.sleep(10).then(async () => await sendWithRetry(sendB, env(clock, { bucket }), { idempotent: true }));
		await clock.run(Promise.all([a, b]));
		expect(times.a[0]).toBe(0);
		expect(times.a[1]).toBeGreaterThanOrEqual(5000);
		expect(times.b[0]).toBeGreaterThanOrEqual(5000);
	});

	it('a window limiter counts each attempt from its answer: every attempt gives its slot back, failed or not', async () => {
		const clock = new SteppingClock();
		const limiter = new SlidingWindowLimiter({ requests: 1, windowMs: 1000 }, clock);
		const sendTimes: number[] = [];
		const steps = [status(503), netError('ECONNRESET'), ok()];
		const send = async () => {
			sendTimes.push(clock.now());
			expect(limiter.inFlight).toBe(1);
			// The answer takes 300 ms: the next attempt may go out one window after it, not after the send.
			await clock.sleep(300);
			const step = steps[sendTimes.length - 1];
			if (step instanceof Error) throw step;
			return step;
		};
		const outcome = await sendWithRetry(send, env(clock, { bucket: limiter, random: () => 0 }), { idempotent: true });
		expect(outcome.response.statusCode).toBe(200);
		expect(limiter.inFlight).toBe(0);
		expect(sendTimes).toEqual([0, 1300, 2600]);
	});

	it('a cancelled execution gives back the slot it was granted without sending', async () => {
		const clock = new SteppingClock();
		const limiter = new SlidingWindowLimiter({ requests: 1, windowMs: 1000 }, clock);
		const controller = new AbortController();
		const pacer = {
			acquire: async () => {
				const release = await limiter.acquire();
				controller.abort();
				return release;
			},
			pause: (ms: number) => limiter.pause(ms),
			adaptRate: (rate: number) => limiter.adaptRate(rate),
		};
		const { send, attempts } = script(ok());
		await expect(sendWithRetry(send, env(clock, { bucket: pacer, signal: controller.signal }), { idempotent: true })).rejects.toMatchObject({ reason: 'cancelled' });
		expect(attempts).toEqual([]);
		expect(limiter.inFlight).toBe(0);
	});

	it('a 503 does not pause other callers', async () => {
		const clock = new VirtualClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		const timesB: number[] = [];
		const sendA = async (attempt: number) => (attempt === 1 ? status(503, { 'Retry-After': '5' }) : ok());
		const sendB = async () => {
			timesB.push(clock.now());
			return ok();
		};
		const a = sendWithRetry(sendA, env(clock, { bucket, random: () => 0 }), { idempotent: true });
		const b = clock.sleep(10).then(async () => await sendWithRetry(sendB, env(clock, { bucket }), { idempotent: true }));
		await clock.run(Promise.all([a, b]));
		expect(timesB).toEqual([10]);
	});
});

describe('sendWithRetry: cancellation', () => {
	it('does not send at all when already cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const { send, attempts } = script(ok());
		const failure = await sendWithRetry(send, env(new SteppingClock(), { signal: controller.signal }), { idempotent: true }).catch(
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect(failure).toMatchObject({ reason: 'cancelled', attempts: 0 });
		expect(attempts).toHaveLength(0);
	});

	it('makes no further attempt when cancelled during a wait', async () => {
		const controller = new AbortController();
		const clock = new SteppingClock();
		const cancellingClock: Clock = {
			now: () => clock.now(),
			sleep: async (ms) => {
				await clock.sleep(ms);
				controller.abort();
			},
		};
		const { send, attempts } = script(status(503), ok());
		const failure = await sendWithRetry(send, env(cancellingClock, { signal: controller.signal }), { idempotent: true }).catch(
			(error: unknown) => error,
		);
		expect(failure).toMatchObject({ name: 'TransportFailure', reason: 'cancelled', attempts: 1 });
		expect(attempts).toHaveLength(1);
	});

	it('reads an aborted request as cancelled, not as a failure to retry', async () => {
		const controller = new AbortController();
		const attempts: number[] = [];
		const send = async (attempt: number): Promise<RawResponse> => {
			attempts.push(attempt);
			controller.abort();
			throw netError('ECONNRESET', 'aborted');
		};
		const failure = await sendWithRetry(send, env(new SteppingClock(), { signal: controller.signal }), { idempotent: true }).catch(
			(error: unknown) => error,
		);
		expect(failure).toMatchObject({ reason: 'cancelled', attempts: 1 });
		expect(attempts).toHaveLength(1);
	});

	it.each([
		['AbortError', Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })],
		['axios CanceledError', Object.assign(new Error('canceled'), { name: 'CanceledError', code: 'ERR_CANCELED' })],
	])('reads %s from send as cancelled', async (_label, error) => {
		const { send, attempts } = script(error, ok());
		const failure = await sendWithRetry(send, env(new SteppingClock()), { idempotent: true }).catch((caught: unknown) => caught);
		expect(failure).toMatchObject({ reason: 'cancelled', attempts: 1, cause: error });
		expect(attempts).toHaveLength(1);
	});

	// n8n's own sleep (and any real clock that honours the signal) rejects when the run is
	// cancelled mid-wait; the loop should still report a TransportFailure with reason 'cancelled'.
	it('reports cancellation as TransportFailure when the clock’s sleep rejects on abort', async () => {
		const controller = new AbortController();
		const clock = new SteppingClock();
		const abortAwareClock: Clock = {
			now: () => clock.now(),
			sleep: async () => {
				controller.abort(new Error('The operation was aborted'));
				throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
			},
		};
		const { send, attempts } = script(status(503), ok());
		const failure = await sendWithRetry(send, env(abortAwareClock, { signal: controller.signal }), { idempotent: true }).catch(
			(error: unknown) => error,
		);
		expect(attempts).toHaveLength(1);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect((failure as TransportFailure).reason).toBe('cancelled');
	});

	it('reports cancellation as TransportFailure when cancelled while waiting for the rate limiter', async () => {
		const controller = new AbortController();
		const clock = new SteppingClock();
		const abortAwareClock: Clock = {
			now: () => clock.now(),
			sleep: async () => {
				controller.abort();
				throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
			},
		};
		const bucket = new TokenBucket({ requests: 1, windowMs: 60_000 }, abortAwareClock);
		await bucket.acquire(); // spend the only token
		const { send, attempts } = script(ok());
		const failure = await sendWithRetry(send, env(abortAwareClock, { signal: controller.signal, bucket }), { idempotent: true }).catch(
			(error: unknown) => error,
		);
		expect(attempts).toHaveLength(0);
		expect(failure).toBeInstanceOf(TransportFailure);
		expect((failure as TransportFailure).reason).toBe('cancelled');
	});
});

describe('sendWithRetry: nested network errors (n8n wraps axios errors)', () => {
	const wrappedReset = () =>
		new NodeApiError(node, new AxiosError('read ECONNRESET', 'ECONNRESET') as unknown as JsonObject);

	it('retries an idempotent request when the reset is found on the cause chain', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(wrappedReset(), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true });
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
	});

	it('does not resend a POST after a wrapped reset', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(wrappedReset(), ok());
		const failure = await sendWithRetry(send, env(clock), { idempotent: false }).catch((error: unknown) => error);
		expect(failure).toMatchObject({ reason: 'ambiguous-unsafe', kind: 'ambiguous', code: 'ECONNRESET' });
		expect(attempts).toHaveLength(1);
	});

	it('resends after a wrapped connection refused (never reached the server)', async () => {
		const clock = new SteppingClock();
		const refused = new NodeApiError(node, new AxiosError('connect ECONNREFUSED', 'ECONNREFUSED') as unknown as JsonObject);
		const { send, attempts } = script(refused, ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: false });
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
	});
});

describe('sendWithRetry: classifyResponse hook', () => {
	it('can make a vendor answer retryable and sees the attempt number', async () => {
		const clock = new SteppingClock();
		const seen: number[] = [];
		const metadataChanged: RawResponse = { statusCode: 400, headers: {}, body: { error: { code: 'METADATA_CHANGED' } } };
		const { send, attempts } = script(metadataChanged, ok());
		const outcome = await sendWithRetry(send, env(clock), {
			idempotent: false,
			classifyResponse: (response, attempt) => {
				seen.push(attempt);
				const body = response.body as { error?: { code?: string } };
				return body.error?.code === 'METADATA_CHANGED' && attempt === 1 ? 'rejected' : undefined;
			},
		});
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
		expect(seen).toEqual([1, 2]);
	});

	it('can make a retryable status final', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(503), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true, classifyResponse: () => 'fatal' });
		expect(outcome.response.statusCode).toBe(503);
		expect(attempts).toHaveLength(1);
	});

	it('falls back to HTTP rules when it returns undefined', async () => {
		const clock = new SteppingClock();
		const { send, attempts } = script(status(429), ok());
		const outcome = await sendWithRetry(send, env(clock), { idempotent: true, classifyResponse: () => undefined });
		expect(outcome.response.statusCode).toBe(200);
		expect(attempts).toHaveLength(2);
	});

	it('honours retryStatuses', async () => {
		const clock = new SteppingClock();
		const first = script(status(500), ok());
		expect((await sendWithRetry(first.send, env(clock), { idempotent: true, retryStatuses: [500] })).response.statusCode).toBe(200);
		const second = script(status(429), ok());
		const outcome: CallOutcome = await sendWithRetry(second.send, env(clock), { idempotent: true, retryStatuses: [503] });
		expect(outcome.response.statusCode).toBe(429);
		expect(second.attempts).toHaveLength(1);
	});
});

describe('sendWithRetry: logging', () => {
	it('logs each retry at debug and the give-up at warn, with the label', async () => {
		const logger = { debug: jest.fn(), warn: jest.fn() };
		const { send } = script(status(503));
		await sendWithRetry(send, env(new SteppingClock(), { logger }), {
			idempotent: true,
			label: 'GET CustomerOrderSet',
			backoff: { maxAttempts: 3 },
		});
		expect(logger.debug).toHaveBeenCalledTimes(2);
		expect(logger.debug.mock.calls[0][1]).toMatchObject({ call: 'GET CustomerOrderSet', attempt: 1, status: 503 });
		expect(logger.warn).toHaveBeenCalledTimes(1);
		expect(logger.warn.mock.calls[0][1]).toMatchObject({ call: 'GET CustomerOrderSet', attempts: 3, exhausted: 'attempts' });
	});
});

describe('server-advertised rates', () => {
	it('adopts x-amzn-RateLimit-Limit as the bucket rate (with the safety margin)', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		const { send } = script({ statusCode: 200, headers: { 'x-amzn-RateLimit-Limit': '0.5' }, body: {} });
		await sendWithRetry(send, env(clock, { bucket }), { idempotent: true });
		expect(bucket.ratePerMs).toBeCloseTo((0.5 * 0.97) / 1000, 9);
	});

	it('ignores responses without the header', async () => {
		const clock = new SteppingClock(0);
		const bucket = new TokenBucket({ requests: 1000, windowMs: 60_000 }, clock);
		const before = bucket.ratePerMs;
		await sendWithRetry(script(ok()).send, env(clock, { bucket }), { idempotent: true });
		expect(bucket.ratePerMs).toBe(before);
	});
});

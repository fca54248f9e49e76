/**
 * The one retry loop every connector's transport is built on.
 *
 * It knows HTTP semantics, not vendors: a 429 or 503 means "not processed, try later"; a 502, a
 * 504, a timeout or a reset connection means "maybe processed". Requests that are not idempotent
 * are only re-sent after an ambiguous failure when the caller has established that it is safe.
 */
import {
	type BackoffPolicy,
	DEFAULT_BACKOFF,
	DEFAULT_WAIT_HINTS,
	type HeaderBag,
	type WaitHintReader,
	advertisedRatePerSecond,
	fullJitterDelay,
	serverWaitMs,
} from './backoff';
import type { Clock } from './rateLimiter';

/** What paces requests: a token bucket, or an adapter around one (e.g. with a deadline). */
export interface Pacer {
	/** Resolves when a request may go out; a pacer that counts answers returns what to call once it is in. */
	acquire(): Promise<(() => void) | void>;
	/** The server said wait: nobody sharing the pacer sends before `waitMs` has passed. */
	pause(waitMs: number): void;
	/** The server stated its rate (requests per second). */
	adaptRate(requestsPerSecond: number): void;
}

export interface RawResponse<T = unknown> {
	statusCode: number;
	headers: HeaderBag;
	body: T;
}

/** How a failed attempt is judged. */
export type FailureKind =
	/** The server refused before doing anything (429, 503, connection refused): always safe to resend. */
	| 'rejected'
	/** The request may or may not have taken effect (502, 504, timeout, reset). */
	| 'ambiguous'
	/** Not worth retrying. */
	| 'fatal';

export interface RetryLogger {
	debug(message: string, meta?: Record<string, unknown>): void;
	warn(message: string, meta?: Record<string, unknown>): void;
}

export interface RetryEnvironment {
	clock: Clock;
	random?: () => number;
	signal?: AbortSignal;
	/** Paces every attempt, retries included; paused by 429s so parallel callers back off together. */
	bucket?: Pacer;
	logger?: RetryLogger;
}

export interface RetryOptions {
	/** GET, HEAD, PUT, DELETE and conditional writes are idempotent; POST and unconditional PATCH are not. */
	idempotent: boolean;
	/**
	 * For non-idempotent requests after an ambiguous failure: find out whether the first attempt
	 * took effect. Return a response that stands for the result (it did), 'resend' (it did not),
	 * or 'unknown' to stop and report.
	 */
	verifyAfterAmbiguousFailure?: () => Promise<RawResponse | 'resend' | 'unknown'>;
	/** Vendor rules layered on the HTTP ones (e.g. an ERP's "metadata changed, retry once"). */
	classifyResponse?: (response: RawResponse, attempt: number) => FailureKind | undefined;
	backoff?: Partial<BackoffPolicy>;
	retryStatuses?: number[];
	waitHints?: WaitHintReader[];
	/** Describes the call in logs (never a URL with secrets: paths only). */
	label?: string;
}

export interface CallOutcome<T = unknown> {
	response: RawResponse<T>;
	attempts: number;
	waitedMs: number;
	/** Set when the last response is a retryable failure we stopped retrying. */
	exhausted?: 'attempts' | 'budget';
	/** Set when a non-idempotent request was answered by `verifyAfterAmbiguousFailure`. */
	verified?: boolean;
	/** Set when a non-idempotent request failed ambiguously and was not re-sent: it may have taken effect. */
	mayHaveApplied?: boolean;
}

/** A network-level failure (no HTTP response) that the loop gave up on. */
export class TransportFailure extends Error {
	constructor(
		message: string,
		readonly kind: FailureKind,
		readonly code: string | undefined,
		readonly attempts: number,
		readonly waitedMs: number,
		readonly reason: 'not-retryable' | 'attempts' | 'budget' | 'ambiguous-unsafe' | 'cancelled',
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = 'TransportFailure';
	}
}

const DEFAULT_RETRY_STATUSES = [429, 502, 503, 504];

export function classifyStatus(status: number, retryStatuses = DEFAULT_RETRY_STATUSES): FailureKind | undefined {
	if (status < 400) return undefined;
	if (!retryStatuses.includes(status)) return 'fatal';
	return status === 429 || status === 503 ? 'rejected' : 'ambiguous';
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const AMBIGUOUS_CODES = new Set([
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'ERR_STREAM_PREMATURE_CLOSE',
]);
const CANCEL_CODES = new Set(['ERR_CANCELED', 'ABORT_ERR']);

/** Finds the system error code anywhere on an error's cause chain. */
export function networkErrorCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const candidate = current as { code?: unknown; cause?: unknown; message?: unknown; name?: unknown };
		if (typeof candidate.code === 'string' && /^[A-Z_]+$/.test(candidate.code)) return candidate.code;
		if (candidate.name === 'AbortError' || candidate.name === 'CanceledError') return 'ABORT_ERR';
		if (typeof candidate.message === 'string' && /socket hang up/i.test(candidate.message)) return 'ECONNRESET';
		current = candidate.cause;
	}
	return undefined;
}

export function classifyNetworkError(error: unknown, signal?: AbortSignal): FailureKind | 'cancelled' {
	const code = networkErrorCode(error);
	if (signal?.aborted || (code && CANCEL_CODES.has(code))) return 'cancelled';
	if (code && NOT_SENT_CODES.has(code)) return 'rejected';
	if (code && AMBIGUOUS_CODES.has(code)) return 'ambiguous';
	return 'fatal';
}

function throwIfCancelled(signal: AbortSignal | undefined, attempts: number, waitedMs: number): void {
	if (signal?.aborted) {
		throw new TransportFailure('The execution was cancelled', 'fatal', 'ABORT_ERR', attempts, waitedMs, 'cancelled', {
			cause: signal.reason,
		});
	}
}

/**
 * Sends via `send` until it succeeds, fails for good, or runs out of attempts or time.
 * Returns the final HTTP response (success or not): mapping HTTP errors to node errors is the
 * connector's job, because only it knows the vendor's error format and what to advise.
 */
export async function sendWithRetry<T>(
	send: (attempt: number) => Promise<RawResponse<T>>,
	environment: RetryEnvironment,
	options: RetryOptions,
): Promise<CallOutcome<T>> {
	const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
	const { clock, signal, bucket, logger } = environment;
	const random = environment.random ?? Math.random;
	const started = clock.now();
	let waitedMs = 0;
	// Waits end early when the execution is cancelled; that must surface as a cancellation. Any
	// other failure of a wait (e.g. the pacer's "this would exceed the time budget") is the caller's
	// to interpret, so it propagates unchanged.
	const waitFor = async <R>(wait: () => Promise<R>, attempts: number): Promise<R> => {
		const settled = await wait().then(
			(value) => ({ value }),
			(error: unknown) => ({ error }),
		);
		if ('value' in settled) return settled.value;
		throwIfCancelled(signal, attempts, waitedMs);
		throw settled.error;
	};

	for (let attempt = 1; ; attempt++) {
		throwIfCancelled(signal, attempt - 1, waitedMs);
		const release = bucket ? await waitFor(async () => await bucket.acquire(), attempt - 1) : undefined;
		if (signal?.aborted) release?.();
		throwIfCancelled(signal, attempt - 1, waitedMs);

		let kind: FailureKind | 'cancelled' | undefined;
		let response: RawResponse<T> | undefined;
		let networkError: unknown;
		try {
			response = await send(attempt);
			// A server that states its rate (x-amzn-RateLimit-Limit) sets the pace of the bucket.
			const advertised = advertisedRatePerSecond(response.headers);
			if (advertised !== undefined) bucket?.adaptRate(advertised);
			kind =
				options.classifyResponse?.(response, attempt) ??
				classifyStatus(response.statusCode, options.retryStatuses ?? DEFAULT_RETRY_STATUSES);
		} catch (error) {
			networkError = error;
			kind = classifyNetworkError(error, signal);
		} finally {
			// The answer is in (or the attempt failed): the slot counts from now for one window.
			release?.();
		}

		if (kind === undefined) return { response: response as RawResponse<T>, attempts: attempt, waitedMs };
		if (kind === 'cancelled') {
			throw new TransportFailure('The execution was cancelled', 'fatal', 'ABORT_ERR', attempt, waitedMs, 'cancelled', {
				cause: networkError,
			});
		}
		const failure = (reason: TransportFailure['reason']) =>
			new TransportFailure(
				describeNetworkFailure(networkError),
				kind as FailureKind,
				networkErrorCode(networkError),
				attempt,
				waitedMs,
				reason,
				{ cause: networkError },
			);

		if (kind === 'fatal') {
			if (response) return { response, attempts: attempt, waitedMs };
			throw failure('not-retryable');
		}

		if (kind === 'ambiguous' && !options.idempotent) {
			const verdict = options.verifyAfterAmbiguousFailure ? await options.verifyAfterAmbiguousFailure() : 'unknown';
			if (verdict === 'unknown') {
				if (response) return { response, attempts: attempt, waitedMs, mayHaveApplied: true };
				throw failure('ambiguous-unsafe');
			}
			if (verdict !== 'resend') {
				return { response: verdict as RawResponse<T>, attempts: attempt, waitedMs, verified: true };
			}
			// Verified not applied: this one resend is safe; a further ambiguous failure is verified again.
		}

		const hinted = response ? serverWaitMs(response.headers, clock.now(), options.waitHints ?? DEFAULT_WAIT_HINTS) : undefined;
		const wait =
			hinted !== undefined
				? hinted + Math.floor(random() * Math.min(1000, Math.max(50, hinted * 0.1)))
				: fullJitterDelay(attempt, policy, random);
		const elapsed = clock.now() - started;

		const outOfAttempts = attempt >= policy.maxAttempts;
		const outOfTime = elapsed + wait > policy.budgetMs;
		if (outOfAttempts || outOfTime) {
			const exhausted = outOfAttempts ? 'attempts' : 'budget';
			logger?.warn('Giving up retrying', { call: options.label, attempts: attempt, waitedMs, status: response?.statusCode, exhausted });
			if (response) return { response, attempts: attempt, waitedMs, exhausted };
			throw failure(exhausted);
		}

		if (response?.statusCode === 429) bucket?.pause(wait);
		logger?.debug('Retrying request', {
			call: options.label,
			attempt,
			status: response?.statusCode,
			code: networkErrorCode(networkError),
			waitMs: wait,
		});
		await waitFor(async () => await clock.sleep(wait), attempt);
		waitedMs += wait;
	}
}

function describeNetworkFailure(error: unknown): string {
	const code = networkErrorCode(error);
	switch (code) {
		case 'ECONNRESET':
		case 'EPIPE':
			return 'The connection was reset before the server answered';
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
		case 'ESOCKETTIMEDOUT':
			return 'The server did not answer in time';
		case 'ECONNREFUSED':
			return 'The server refused the connection';
		case 'ENOTFOUND':
			return 'The host name could not be resolved';
		default:
			return error instanceof Error ? error.message : 'The request failed';
	}
}

/**
 * Fault injection. Tests arm a fault; the server consumes it on the next matching request.
 * All faults are cleared by `sandbox.reset()` or `faults.clear()`.
 *
 * By default a fault applies to API requests (projection URLs) only; pass `scope: 'all'` to
 * let it hit the IAM endpoints too (token/userinfo), e.g. to test a failing token fetch.
 */
import type { RowValues, Value } from './model';

/** Substring of, or RegExp tested against, the request's path + query (as sent). */
export type RequestMatcher = string | RegExp;

export interface FaultOptions {
	match?: RequestMatcher;
	scope?: 'api' | 'all';
}

export interface FailOptions extends FaultOptions {
	/** Adds `Retry-After: <seconds>` to the injected error. */
	retryAfterSeconds?: number;
}

export interface ConcurrentWriterOptions {
	projection: string;
	entitySet: string;
	/** Number of If-Match-carrying PATCH / bound-action requests to that set to interfere with. */
	times: number;
	/** Field the other writer changes; default: the first updatable non-key string property. */
	field?: string;
	/**
	 * Touch each row at most once: the other writer edits a row once while we update it, so our
	 * re-read and retry go through. Without it, every interfered write counts, retries included.
	 */
	oncePerRow?: boolean;
}

export interface ConcurrentWriteRecord {
	projection: string;
	entitySet: string;
	keys: RowValues;
	field: string;
	previousValue: Value;
	newValue: Value;
	previousEtag: string;
	newEtag: string;
	at: number;
}

/** The part of the fault controller tests use. */
export interface IfsFaultControls {
	/** Added before every (matching) API request is answered. */
	latencyMs: number;
	/** Added to collection GETs only ("page latency"), after the latencyMs. */
	collectionLatencyMs: number;
	/** Restricts latencyMs / collectionLatencyMs to matching requests. */
	latencyMatch?: RequestMatcher;
	/** Next n matching requests are answered with `status` and an OData error envelope. */
	failNext(n: number, status?: number, options?: FailOptions): void;
	/** Next n matching requests get no response: the socket is reset. */
	resetNext(n: number, options?: FaultOptions): void;
	/** Next n matching requests answer HTTP 500 MI_MODIFIED_ERROR (IFS metadata cache refresh). */
	miModifiedNext(n: number, options?: FaultOptions): void;
	/** Every issued access/refresh token becomes invalid until a new one is fetched. */
	expireAllTokens(): void;
	/** Another writer changes the row just before the next `times` If-Match writes are evaluated. */
	concurrentWriter(options: ConcurrentWriterOptions): void;
	/** Rows touched by concurrentWriter, in order. */
	readonly concurrentWrites: readonly ConcurrentWriteRecord[];
	/** Disarm everything (latency back to 0). */
	clear(): void;
}

export interface FaultTarget {
	kind: 'api' | 'auth';
	/** Path + query exactly as received. */
	url: string;
}

interface CountedFault<T> {
	remaining: number;
	options: FaultOptions;
	payload: T;
}

function matches(options: FaultOptions, target: FaultTarget): boolean {
	const scope = options.scope ?? 'api';
	if (scope === 'api' && target.kind !== 'api') return false;
	const m = options.match;
	if (m === undefined) return true;
	return typeof m === 'string' ? target.url.includes(m) : m.test(target.url);
}

function take<T>(queue: Array<CountedFault<T>>, target: FaultTarget): T | undefined {
	for (const fault of queue) {
		if (fault.remaining > 0 && matches(fault.options, target)) {
			fault.remaining--;
			return fault.payload;
		}
	}
	return undefined;
}

function count(n: number): number {
	if (!Number.isInteger(n) || n < 0) throw new Error(`fault count must be a non-negative integer, got ${n}`);
	return n;
}

export class FaultController implements IfsFaultControls {
	latencyMs = 0;
	collectionLatencyMs = 0;
	latencyMatch?: RequestMatcher;
	private failures: Array<CountedFault<{ status: number; retryAfterSeconds?: number }>> = [];
	private resets: Array<CountedFault<true>> = [];
	private miModified: Array<CountedFault<true>> = [];
	private writers: ConcurrentWriterOptions[] = [];
	private writes: ConcurrentWriteRecord[] = [];

	constructor(private readonly onExpireAllTokens: () => void) {}

	failNext(n: number, status = 503, options: FailOptions = {}): void {
		if (!(status >= 400 && status <= 599)) throw new Error(`failNext status must be 4xx/5xx, got ${status}`);
		this.failures.push({ remaining: count(n), options, payload: { status, retryAfterSeconds: options.retryAfterSeconds } });
	}

	resetNext(n: number, options: FaultOptions = {}): void {
		this.resets.push({ remaining: count(n), options, payload: true });
	}

	miModifiedNext(n: number, options: FaultOptions = {}): void {
		this.miModified.push({ remaining: count(n), options, payload: true });
	}

	expireAllTokens(): void {
		this.onExpireAllTokens();
	}

	concurrentWriter(options: ConcurrentWriterOptions): void {
		this.writers.push({ ...options, times: count(options.times) });
	}

	get concurrentWrites(): readonly ConcurrentWriteRecord[] {
		return this.writes;
	}

	clear(): void {
		this.latencyMs = 0;
		this.collectionLatencyMs = 0;
		this.latencyMatch = undefined;
		this.failures = [];
		this.resets = [];
		this.miModified = [];
		this.writers = [];
		this.writes = [];
	}

	// ---- used by the server ---------------------------------------------------------------

	takeReset(target: FaultTarget): boolean {
		return take(this.resets, target) === true;
	}

	takeFailure(target: FaultTarget): { status: number; retryAfterSeconds?: number } | undefined {
		return take(this.failures, target);
	}

	takeMiModified(target: FaultTarget): boolean {
		return take(this.miModified, target) === true;
	}

	private latencyApplies(target: FaultTarget): boolean {
		return target.kind === 'api' && matches({ match: this.latencyMatch }, target);
	}

	latencyFor(target: FaultTarget): number {
		return this.latencyMs > 0 && this.latencyApplies(target) ? this.latencyMs : 0;
	}

	collectionLatencyFor(target: FaultTarget): number {
		return this.collectionLatencyMs > 0 && this.latencyApplies(target) ? this.collectionLatencyMs : 0;
	}

	/** Consumes one armed concurrent writer for this set and row, if any. */
	takeConcurrentWriter(projection: string, entitySet: string, rowKey: string): ConcurrentWriterOptions | undefined {
		const touched = (writer: ConcurrentWriterOptions) =>
			this.writes.some((write) => write.projection === projection && write.entitySet === entitySet && JSON.stringify(write.keys) === rowKey && writer.oncePerRow);
		const writer = this.writers.find((w) => w.times > 0 && w.projection === projection && w.entitySet === entitySet && !touched(w));
		if (!writer) return undefined;
		writer.times--;
		return writer;
	}

	recordConcurrentWrite(record: ConcurrentWriteRecord): void {
		this.writes.push(record);
	}
}

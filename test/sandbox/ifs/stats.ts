/**
 * Request statistics for assertions and benchmarks: counts per status, a bounded request log,
 * in-flight concurrency and the busiest rate window.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PeakWindowCounter } from './rate-limit';

export type RequestKind = 'api' | 'auth' | 'other';

export interface RequestLogEntry {
	id: number;
	kind: RequestKind;
	method: string;
	/** Path without the query string. */
	path: string;
	/** Path + query exactly as received. */
	url: string;
	/** Decoded query options (last value wins); `{}` if the query could not be decoded. */
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** HTTP status sent; 0 when no response was sent (reset / aborted). */
	status: number;
	outcome: 'response' | 'reset' | 'aborted';
	/** Epoch milliseconds: request received. */
	startMs: number;
	/** Response handed to the socket (server work done, incl. injected latency); 0 if none. */
	respondMs: number;
	/** Response flushed or socket gone (includes time the client took to read). */
	endMs: number;
}

export interface IfsStatsView {
	readonly totalRequests: number;
	readonly apiRequests: number;
	readonly authRequests: number;
	/** Responses to API (projection) requests per HTTP status; IAM responses are not included. */
	readonly byStatus: Readonly<Record<number, number>>;
	countStatus(status: number): number;
	readonly count200: number;
	readonly count201: number;
	readonly count204: number;
	readonly count400: number;
	readonly count401: number;
	readonly count403: number;
	readonly count404: number;
	readonly count409: number;
	readonly count412: number;
	readonly count429: number;
	readonly count500: number;
	readonly count503: number;
	/** Sockets reset by the resetNext fault. */
	readonly resets: number;
	/** Newest last; bounded by the `requestLogLimit` option. */
	readonly log: readonly RequestLogEntry[];
	readonly inFlight: number;
	readonly maxInFlight: number;
	/** Most admitted (non-429) API requests seen inside one rate window. */
	readonly maxRequestsInWindow: number;
	/** Same, for any window length, computed from the request log. */
	requestsInAnyWindow(windowMs: number): number;
	readonly tokensIssued: number;
	reset(): void;
}

export class Stats implements IfsStatsView {
	totalRequests = 0;
	apiRequests = 0;
	authRequests = 0;
	byStatus: Record<number, number> = {};
	resets = 0;
	log: RequestLogEntry[] = [];
	inFlight = 0;
	maxInFlight = 0;
	tokensIssued = 0;
	private nextId = 1;
	private window: PeakWindowCounter;

	constructor(
		windowMs: number,
		private readonly logLimit: number,
	) {
		this.window = new PeakWindowCounter(windowMs);
	}

	get maxRequestsInWindow(): number {
		return this.window.peak;
	}

	countStatus(status: number): number {
		return this.byStatus[status] ?? 0;
	}

	get count200() { return this.countStatus(200); }
	get count201() { return this.countStatus(201); }
	get count204() { return this.countStatus(204); }
	get count400() { return this.countStatus(400); }
	get count401() { return this.countStatus(401); }
	get count403() { return this.countStatus(403); }
	get count404() { return this.countStatus(404); }
	get count409() { return this.countStatus(409); }
	get count412() { return this.countStatus(412); }
	get count429() { return this.countStatus(429); }
	get count500() { return this.countStatus(500); }
	get count503() { return this.countStatus(503); }

	requestsInAnyWindow(windowMs: number): number {
		const times = this.log
			.filter((e) => e.kind === 'api' && e.status !== 429 && e.outcome === 'response')
			.map((e) => e.startMs)
			.sort((a, b) => a - b);
		let best = 0;
		let lo = 0;
		for (let hi = 0; hi < times.length; hi++) {
			while (times[hi] - times[lo] >= windowMs) lo++;
			best = Math.max(best, hi - lo + 1);
		}
		return best;
	}

	begin(entry: Omit<RequestLogEntry, 'id' | 'status' | 'outcome' | 'endMs' | 'respondMs'>): RequestLogEntry {
		const full: RequestLogEntry = { ...entry, id: this.nextId++, status: 0, outcome: 'aborted', respondMs: 0, endMs: entry.startMs };
		this.totalRequests++;
		if (entry.kind === 'api') this.apiRequests++;
		if (entry.kind === 'auth') this.authRequests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		this.log.push(full);
		if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
		return full;
	}

	/** Called once per request when its response finished or its socket went away. */
	end(entry: RequestLogEntry, status: number, outcome: RequestLogEntry['outcome'], now: number): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
		entry.status = status;
		entry.outcome = outcome;
		entry.endMs = now;
		if (outcome === 'response' && entry.kind === 'api') this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
		if (outcome === 'reset') this.resets++;
	}

	/** The rate window changed: the busiest-window count starts over with the new length. */
	setRateWindow(windowMs: number): void {
		this.window = new PeakWindowCounter(windowMs);
	}

	/** An API request passed the rate limiter. */
	admitted(now: number): void {
		this.window.record(now);
	}

	reset(): void {
		this.totalRequests = 0;
		this.apiRequests = 0;
		this.authRequests = 0;
		this.byStatus = {};
		this.resets = 0;
		this.log = [];
		this.maxInFlight = this.inFlight;
		this.tokensIssued = 0;
		this.window.reset();
	}
}

/**
 * Request statistics for assertions: a bounded request log over all three servers (with request
 * headers, so tests can check which headers went where), counts per status and per operation,
 * and 429s split into real throttling (token bucket) and injected failures.
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { Region } from './marketplaces';

export type ServerKind = 'lwa' | 'api' | 'storage';

export interface RequestLogEntry {
	id: number;
	server: ServerKind;
	method: string;
	/** The host the client addressed (x-forwarded-host, else Host), e.g. sellingpartnerapi-eu.amazon.com. */
	host: string;
	region?: Region;
	environment?: 'production' | 'sandbox';
	/** Path without the query string, as received (percent-encoded). */
	path: string;
	/** Path + query exactly as received. */
	url: string;
	/** Decoded query (repeated keys as arrays). */
	query: Record<string, string | string[]>;
	/** Request headers as received (lower-case names). */
	headers: IncomingHttpHeaders;
	/** Length of the request body as received. */
	bodyBytes: number;
	/** SP-API operation name (api server, when the route is known). */
	operation?: string;
	sellerId?: string;
	/** x-amzn-RequestId / x-amz-request-id sent back. */
	requestId?: string;
	/** HTTP status sent; 0 when no response was sent (reset / aborted). */
	status: number;
	outcome: 'response' | 'reset' | 'aborted';
	/** Answered by faults.failNext. */
	injected: boolean;
	/** Answered 429 by the token bucket. */
	throttled: boolean;
	startMs: number;
	endMs: number;
}

export interface OperationStats {
	requests: number;
	byStatus: Record<number, number>;
	/** 429s from the token bucket (not injected ones). */
	throttled: number;
}

export interface SpApiStatsView {
	readonly totalRequests: number;
	readonly apiRequests: number;
	readonly lwaRequests: number;
	readonly storageRequests: number;
	/** API responses per status (LWA and storage not included). */
	readonly byStatus: Readonly<Record<number, number>>;
	countStatus(status: number): number;
	/** Per operation name (e.g. 'ordersV0.getOrders'). */
	readonly operations: Readonly<Record<string, OperationStats>>;
	/** 429s from the token buckets, for one operation or all. */
	throttled(operation?: string): number;
	/** All 429 responses (throttled + injected), for one operation or all. */
	count429(operation?: string): number;
	/** Successful LWA token responses (refresh_token + client_credentials). */
	readonly tokensIssued: number;
	readonly restrictedDataTokensIssued: number;
	/** Sockets reset by faults.resetNext. */
	readonly resets: number;
	/** Newest last; bounded by the requestLogLimit option. */
	readonly log: readonly RequestLogEntry[];
	/** Log entries matching every given field. */
	requests(filter?: { server?: ServerKind; operation?: string; host?: string; method?: string }): RequestLogEntry[];
	reset(): void;
}

export class Stats implements SpApiStatsView {
	totalRequests = 0;
	apiRequests = 0;
	lwaRequests = 0;
	storageRequests = 0;
	byStatus: Record<number, number> = {};
	operations: Record<string, OperationStats> = {};
	tokensIssued = 0;
	restrictedDataTokensIssued = 0;
	resets = 0;
	log: RequestLogEntry[] = [];
	private nextId = 1;

	constructor(private readonly logLimit: number) {}

	countStatus(status: number): number {
		return this.byStatus[status] ?? 0;
	}

	throttled(operation?: string): number {
		if (operation !== undefined) return this.operations[operation]?.throttled ?? 0;
		return Object.values(this.operations).reduce((s, o) => s + o.throttled, 0);
	}

	count429(operation?: string): number {
		if (operation !== undefined) return this.operations[operation]?.byStatus[429] ?? 0;
		return this.countStatus(429);
	}

	requests(filter: { server?: ServerKind; operation?: string; host?: string; method?: string } = {}): RequestLogEntry[] {
		return this.log.filter(
			(e) =>
				(filter.server === undefined || e.server === filter.server) &&
				(filter.operation === undefined || e.operation === filter.operation) &&
				(filter.host === undefined || e.host === filter.host) &&
				(filter.method === undefined || e.method === filter.method),
		);
	}

	begin(entry: Omit<RequestLogEntry, 'id' | 'status' | 'outcome' | 'endMs' | 'injected' | 'throttled' | 'bodyBytes'>): RequestLogEntry {
		const full: RequestLogEntry = { ...entry, id: this.nextId++, bodyBytes: 0, status: 0, outcome: 'aborted', injected: false, throttled: false, endMs: entry.startMs };
		this.totalRequests++;
		if (entry.server === 'api') this.apiRequests++;
		else if (entry.server === 'lwa') this.lwaRequests++;
		else this.storageRequests++;
		this.log.push(full);
		if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
		return full;
	}

	/** Called once per request when its response finished or its socket went away. */
	end(entry: RequestLogEntry, status: number, outcome: RequestLogEntry['outcome'], now: number): void {
		entry.status = status;
		entry.outcome = outcome;
		entry.endMs = now;
		if (outcome === 'reset') this.resets++;
		if (outcome !== 'response' || entry.server !== 'api') return;
		this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
		if (entry.operation) {
			const op = (this.operations[entry.operation] ??= { requests: 0, byStatus: {}, throttled: 0 });
			op.requests++;
			op.byStatus[status] = (op.byStatus[status] ?? 0) + 1;
			if (entry.throttled) op.throttled++;
		}
	}

	reset(): void {
		this.totalRequests = 0;
		this.apiRequests = 0;
		this.lwaRequests = 0;
		this.storageRequests = 0;
		this.byStatus = {};
		this.operations = {};
		this.tokensIssued = 0;
		this.restrictedDataTokensIssued = 0;
		this.resets = 0;
		this.log = [];
	}
}

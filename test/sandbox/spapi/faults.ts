/**
 * Fault injection, as in the IFS sandbox: tests arm a fault, the server consumes it on the next
 * matching request. By default faults hit SP-API requests only; `target` sends them to the LWA
 * token endpoint or the report storage instead ('all' = any server). Cleared by reset()/clear().
 */
import type { ServerKind } from './stats';

/** Substring of, or RegExp tested against, the request's path + query (as sent). */
export type RequestMatcher = string | RegExp;

export interface FaultOptions {
	match?: RequestMatcher;
	/** Operation name, e.g. 'ordersV0.getOrders' (api server only). */
	operation?: string;
	/** Which server the fault applies to. Default 'api'. */
	target?: ServerKind | 'all';
}

export interface SpApiFaultControls {
	/** Added before every (matching) request of `latencyTarget` is answered. */
	latencyMs: number;
	/** Restricts latencyMs to matching requests. */
	latencyMatch?: RequestMatcher;
	/** Server(s) latencyMs applies to. Default 'api'. */
	latencyTarget: ServerKind | 'all';
	/**
	 * Next n matching requests are answered with `status` and the server's error body
	 * (SP-API errors list, OAuth error, or S3 XML). 429 carries no Retry-After, like Amazon.
	 */
	failNext(n: number, status?: number, options?: FaultOptions): void;
	/** Next n matching requests get no response: the socket is reset. */
	resetNext(n: number, options?: FaultOptions): void;
	/** Every issued access token and RDT becomes invalid (403 until a new one is fetched). */
	expireAllTokens(): void;
	/** Disarm everything (latency back to 0). */
	clear(): void;
}

export interface FaultTarget {
	server: ServerKind;
	/** Path + query exactly as received. */
	url: string;
	operation?: string;
}

interface CountedFault<T> {
	remaining: number;
	options: FaultOptions;
	payload: T;
}

function matches(options: FaultOptions, target: FaultTarget): boolean {
	const scope = options.target ?? 'api';
	if (scope !== 'all' && scope !== target.server) return false;
	if (options.operation !== undefined && options.operation !== target.operation) return false;
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

export class FaultController implements SpApiFaultControls {
	latencyMs = 0;
	latencyMatch?: RequestMatcher;
	latencyTarget: ServerKind | 'all' = 'api';
	private failures: Array<CountedFault<number>> = [];
	private resets: Array<CountedFault<true>> = [];

	constructor(private readonly onExpireAllTokens: () => void) {}

	failNext(n: number, status = 503, options: FaultOptions = {}): void {
		if (!(status >= 400 && status <= 599)) throw new Error(`failNext status must be 4xx/5xx, got ${status}`);
		this.failures.push({ remaining: count(n), options, payload: status });
	}

	resetNext(n: number, options: FaultOptions = {}): void {
		this.resets.push({ remaining: count(n), options, payload: true });
	}

	expireAllTokens(): void {
		this.onExpireAllTokens();
	}

	clear(): void {
		this.latencyMs = 0;
		this.latencyMatch = undefined;
		this.latencyTarget = 'api';
		this.failures = [];
		this.resets = [];
	}

	// ---- used by the servers ---------------------------------------------------------------

	takeReset(target: FaultTarget): boolean {
		return take(this.resets, target) === true;
	}

	takeFailure(target: FaultTarget): number | undefined {
		return take(this.failures, target);
	}

	latencyFor(target: FaultTarget): number {
		if (this.latencyMs <= 0) return 0;
		return matches({ match: this.latencyMatch, target: this.latencyTarget }, target) ? this.latencyMs : 0;
	}
}

/**
 * A loopback control channel for a sandbox running in its own process (demos, benchmarks, timing
 * tests, a real n8n): set faults and the rate limit, read statistics and rows, change rows as
 * another user, move the clock, reset. JSON in, JSON out.
 *
 * Request hooks (sandbox.hooks) are functions and stay in-process; across processes a test
 * changes data between two runs with POST /rows/update instead.
 */
import * as http from 'node:http';

import type { IfsSandbox } from './index';

export interface FaultSettings {
	latencyMs?: number;
	collectionLatencyMs?: number;
	failNext?: { n: number; status?: number; retryAfterSeconds?: number; match?: string };
	resetNext?: { n: number; match?: string };
	miModifiedNext?: { n: number; match?: string };
	expireAllTokens?: boolean;
	concurrentWriter?: { projection: string; entitySet: string; times: number; field?: string; oncePerRow?: boolean };
	clear?: boolean;
}

/** Body of POST /clock: exactly one of set (epoch ms or ISO text), advance (ms), real. */
export interface ClockSettings {
	set?: number | string;
	advance?: number;
	real?: boolean;
}

export interface ClockState {
	now: number;
	iso: string;
	frozen: boolean;
}

/** Body of POST /rate-limit: a new tenant limit, or `{ off: true }`. The window starts empty. */
export type RateLimitSettings = { requests: number; windowMs: number } | { off: true };

export function applyRateLimit(sandbox: IfsSandbox, settings: RateLimitSettings): { rateLimit: IfsSandbox['rateLimit'] } {
	if ('off' in settings && settings.off === true) sandbox.setRateLimit(false);
	else {
		const { requests, windowMs } = settings as { requests: unknown; windowMs: unknown };
		if (typeof requests !== 'number' || typeof windowMs !== 'number') throw new Error('rate-limit: send { requests, windowMs } (numbers) or { off: true }');
		sandbox.setRateLimit({ requests, windowMs });
	}
	return { rateLimit: sandbox.rateLimit };
}

export interface RowChange {
	projection: string;
	entitySet: string;
	keys?: Record<string, unknown>;
	values?: Record<string, unknown>;
}

export function applyClock(sandbox: IfsSandbox, settings: ClockSettings): ClockState {
	const given = (['set', 'advance', 'real'] as const).filter((k) => settings[k] !== undefined);
	if (given.length !== 1) throw new Error('clock: send exactly one of set, advance, real');
	if (settings.set !== undefined) sandbox.clock.set(settings.set);
	else if (settings.advance !== undefined) sandbox.clock.advance(settings.advance);
	else if (settings.real) sandbox.clock.real();
	return clockState(sandbox);
}

export function clockState(sandbox: IfsSandbox): ClockState {
	const now = sandbox.clock.now();
	return { now, iso: new Date(now).toISOString(), frozen: sandbox.clock.frozen };
}

export interface StatsSummary {
	apiRequests: number;
	authRequests: number;
	tokensIssued: number;
	byStatus: Record<number, number>;
	maxInFlight: number;
	resets: number;
	log: Array<{ method: string; path: string; query: Record<string, string>; status: number; startMs: number; endMs: number }>;
}

export function applyFaults(sandbox: IfsSandbox, settings: FaultSettings): void {
	const { faults } = sandbox;
	if (settings.clear) faults.clear();
	if (settings.latencyMs !== undefined) faults.latencyMs = settings.latencyMs;
	if (settings.collectionLatencyMs !== undefined) faults.collectionLatencyMs = settings.collectionLatencyMs;
	if (settings.failNext) {
		const { n, status, retryAfterSeconds, match } = settings.failNext;
		faults.failNext(n, status, { retryAfterSeconds, match });
	}
	if (settings.resetNext) faults.resetNext(settings.resetNext.n, { match: settings.resetNext.match });
	if (settings.miModifiedNext) faults.miModifiedNext(settings.miModifiedNext.n, { match: settings.miModifiedNext.match });
	if (settings.expireAllTokens) faults.expireAllTokens();
	if (settings.concurrentWriter) faults.concurrentWriter(settings.concurrentWriter);
}

export function summarizeStats(sandbox: IfsSandbox, withLog: boolean): StatsSummary {
	const { stats } = sandbox;
	return {
		apiRequests: stats.apiRequests,
		authRequests: stats.authRequests,
		tokensIssued: stats.tokensIssued,
		byStatus: { ...stats.byStatus },
		maxInFlight: stats.maxInFlight,
		resets: stats.resets,
		log: withLog
			? stats.log.map(({ method, path, query, status, startMs, endMs }) => ({ method, path, query, status, startMs, endMs }))
			: [],
	};
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : {};
}

/** Starts the control server on 127.0.0.1 (random port unless given). */
export async function startControlServer(sandbox: IfsSandbox, port = 0): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer(async (request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const reply = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		try {
			if (request.method === 'GET' && url.pathname === '/stats') return reply(200, summarizeStats(sandbox, url.searchParams.get('log') === 'true'));
			if (request.method === 'POST' && url.pathname === '/stats/reset') {
				sandbox.stats.reset();
				return reply(200, { ok: true });
			}
			if (request.method === 'POST' && url.pathname === '/faults') {
				applyFaults(sandbox, (await readJson(request)) as FaultSettings);
				return reply(200, { ok: true });
			}
			if (request.method === 'POST' && url.pathname === '/reset') {
				sandbox.reset();
				return reply(200, { ok: true });
			}
			if (request.method === 'GET' && url.pathname === '/rate-limit') return reply(200, { rateLimit: sandbox.rateLimit });
			if (request.method === 'POST' && url.pathname === '/rate-limit') return reply(200, applyRateLimit(sandbox, (await readJson(request)) as RateLimitSettings));
			if (request.method === 'GET' && url.pathname === '/clock') return reply(200, clockState(sandbox));
			if (request.method === 'POST' && url.pathname === '/clock') return reply(200, applyClock(sandbox, (await readJson(request)) as ClockSettings));
			if (request.method === 'POST' && url.pathname === '/rows/insert') {
				const { projection, entitySet, values } = (await readJson(request)) as RowChange;
				return reply(200, sandbox.data.insert(projection, entitySet, values ?? {}));
			}
			if (request.method === 'POST' && url.pathname === '/rows/update') {
				const { projection, entitySet, keys, values } = (await readJson(request)) as RowChange;
				return reply(200, sandbox.data.update(projection, entitySet, keys ?? {}, values ?? {}));
			}
			if (request.method === 'GET' && url.pathname === '/rows') {
				const projection = url.searchParams.get('projection') ?? '';
				const entitySet = url.searchParams.get('entitySet') ?? '';
				return reply(200, sandbox.data.rows(projection, entitySet));
			}
			return reply(404, { error: `unknown control path ${url.pathname}` });
		} catch (error) {
			return reply(400, { error: error instanceof Error ? error.message : String(error) });
		}
	});
	server.keepAliveTimeout = 1000;
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${address.port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

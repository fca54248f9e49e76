/**
 * A loopback control channel for a sandbox in its own process (demos, benchmarks, a real n8n):
 * faults, statistics, violations, clock, reports, order changes, listings, feed outcomes,
 * notifications (destinations, subscriptions, deliveries, batches), orders, reset. JSON in, JSON out.
 * The validateRequest hook and the notification sink are functions and stay in-process; in
 * process mode deliveries are read with GET /notifications/deliveries.
 */
import * as http from 'node:http';

import type { SpApiSandbox } from './index';
import type { OrderStatusV0 } from './model';

export interface FaultSettings {
	latencyMs?: number;
	latencyTarget?: 'api' | 'lwa' | 'storage' | 'all';
	failNext?: { n: number; status?: number; match?: string; operation?: string; target?: 'api' | 'lwa' | 'storage' | 'all' };
	resetNext?: { n: number; match?: string; operation?: string; target?: 'api' | 'lwa' | 'storage' | 'all' };
	expireAllTokens?: boolean;
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

export interface StatsSummary {
	apiRequests: number;
	lwaRequests: number;
	storageRequests: number;
	tokensIssued: number;
	byStatus: Record<number, number>;
	operations: Record<string, { requests: number; byStatus: Record<number, number>; throttled: number }>;
	resets: number;
	log: Array<{ server: string; method: string; host: string; path: string; operation?: string; status: number; headerNames: string[]; startMs: number; endMs: number }>;
}

export function applyClock(sandbox: SpApiSandbox, settings: ClockSettings): ClockState {
	const given = (['set', 'advance', 'real'] as const).filter((k) => settings[k] !== undefined);
	if (given.length !== 1) throw new Error('clock: send exactly one of set, advance, real');
	if (settings.set !== undefined) sandbox.clock.set(settings.set);
	else if (settings.advance !== undefined) sandbox.clock.advance(settings.advance);
	else if (settings.real) sandbox.clock.real();
	return clockState(sandbox);
}

export function clockState(sandbox: SpApiSandbox): ClockState {
	const now = sandbox.clock.now();
	return { now, iso: new Date(now).toISOString(), frozen: sandbox.clock.frozen };
}

export function applyFaults(sandbox: SpApiSandbox, settings: FaultSettings): void {
	const { faults } = sandbox;
	if (settings.clear) faults.clear();
	if (settings.latencyMs !== undefined) faults.latencyMs = settings.latencyMs;
	if (settings.latencyTarget !== undefined) faults.latencyTarget = settings.latencyTarget;
	if (settings.failNext) {
		const { n, status, ...options } = settings.failNext;
		faults.failNext(n, status, options);
	}
	if (settings.resetNext) {
		const { n, ...options } = settings.resetNext;
		faults.resetNext(n, options);
	}
	if (settings.expireAllTokens) faults.expireAllTokens();
}

export function summarizeStats(sandbox: SpApiSandbox, withLog: boolean): StatsSummary {
	const { stats } = sandbox;
	return {
		apiRequests: stats.apiRequests,
		lwaRequests: stats.lwaRequests,
		storageRequests: stats.storageRequests,
		tokensIssued: stats.tokensIssued,
		byStatus: { ...stats.byStatus },
		operations: JSON.parse(JSON.stringify(stats.operations)) as StatsSummary['operations'],
		resets: stats.resets,
		log: withLog
			? stats.log.map((e) => ({ server: e.server, method: e.method, host: e.host, path: e.path, operation: e.operation, status: e.status, headerNames: Object.keys(e.headers), startMs: e.startMs, endMs: e.endMs }))
			: [],
	};
}

async function readJson(request: http.IncomingMessage): Promise<any> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString('utf8');
	return text ? JSON.parse(text) : {};
}

/** Starts the control server on 127.0.0.1 (random port unless given). */
export async function startControlServer(sandbox: SpApiSandbox, port = 0): Promise<{ url: string; close(): Promise<void> }> {
	const server = http.createServer(async (request, response) => {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const reply = (status: number, body: unknown) => {
			response.writeHead(status, { 'content-type': 'application/json' });
			response.end(JSON.stringify(body));
		};
		const route = `${request.method} ${url.pathname}`;
		try {
			switch (route) {
				case 'GET /stats':
					return reply(200, summarizeStats(sandbox, url.searchParams.get('log') === 'true'));
				case 'POST /stats/reset':
					sandbox.stats.reset();
					return reply(200, { ok: true });
				case 'POST /faults':
					applyFaults(sandbox, (await readJson(request)) as FaultSettings);
					return reply(200, { ok: true });
				case 'POST /reset':
					sandbox.reset();
					return reply(200, { ok: true });
				case 'GET /violations':
					return reply(200, { contract: sandbox.contractViolations, storage: sandbox.storageViolations });
				case 'GET /clock':
					return reply(200, clockState(sandbox));
				case 'POST /clock':
					return reply(200, applyClock(sandbox, (await readJson(request)) as ClockSettings));
				case 'POST /reports': {
					const body = (await readJson(request)) as { contentBase64?: string; content?: string } & Record<string, unknown>;
					const { contentBase64, content, ...rest } = body;
					const input = { ...rest, content: contentBase64 !== undefined ? Buffer.from(contentBase64, 'base64') : (content ?? '') } as Parameters<SpApiSandbox['addReport']>[0];
					return reply(200, sandbox.addReport(input));
				}
				case 'GET /orders':
					return reply(200, sandbox.data.orders(url.searchParams.get('sellerId') ?? undefined));
				case 'POST /orders': {
					const body = (await readJson(request)) as Parameters<SpApiSandbox['data']['addOrder']>[0];
					return reply(200, sandbox.data.addOrder(body));
				}
				case 'POST /orders/update': {
					const { amazonOrderId, status, lastUpdateDate } = (await readJson(request)) as { amazonOrderId: string; status?: OrderStatusV0; lastUpdateDate?: string | number };
					return reply(200, sandbox.data.updateOrder(amazonOrderId, { status, lastUpdateDate }));
				}
				case 'GET /listings':
					return reply(200, sandbox.data.listings(url.searchParams.get('sellerId') ?? undefined));
				case 'POST /listings': {
					const { sku, sellerId, ...input } = (await readJson(request)) as { sku: string; sellerId?: string } & Parameters<SpApiSandbox['data']['setListing']>[1];
					return reply(200, sandbox.data.setListing(sku, input, sellerId));
				}
				case 'POST /feeds/outcome': {
					const { feedType, outcome } = (await readJson(request)) as { feedType: string; outcome: 'DONE' | 'FATAL' | 'CANCELLED' };
					sandbox.setFeedOutcome(feedType, outcome);
					return reply(200, { ok: true });
				}
				case 'GET /notifications/deliveries':
					return reply(200, sandbox.notifications.deliveries({ notificationType: url.searchParams.get('notificationType') ?? undefined }));
				case 'POST /notifications/destinations':
					return reply(200, sandbox.notifications.createDestination((await readJson(request)) as Parameters<SpApiSandbox['notifications']['createDestination']>[0]));
				case 'POST /notifications/subscriptions':
					return reply(200, sandbox.notifications.subscribe((await readJson(request)) as Parameters<SpApiSandbox['notifications']['subscribe']>[0]));
				case 'POST /notifications/batch':
					return reply(200, sandbox.notifications.deliverBatch((await readJson(request)) as Parameters<SpApiSandbox['notifications']['deliverBatch']>[0]));
				case 'POST /tokens/revoke':
					sandbox.revokeRefreshToken(((await readJson(request)) as { refreshToken: string }).refreshToken);
					return reply(200, { ok: true });
				default:
					return reply(404, { error: `unknown control route ${route}` });
			}
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

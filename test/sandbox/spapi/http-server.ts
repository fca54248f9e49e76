/**
 * The plumbing shared by the LWA, SP-API and storage servers: `node:http` bound to 127.0.0.1,
 * socket tracking for a quick close(), body reading, cancellable delays, the request log, and
 * the common fault steps (reset, latency). Each server supplies `handle()`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import type { FaultController, FaultTarget } from './faults';
import { regionOfHost } from './marketplaces';
import { QueryParams } from './query';
import type { RequestLogEntry, ServerKind, Stats } from './stats';

export interface RequestContext {
	req: IncomingMessage;
	res: ServerResponse;
	method: string;
	/** Path + query as received. */
	url: string;
	/** Path without query, as received. */
	path: string;
	rawQuery: string;
	/** The host the client addressed (x-forwarded-host, else Host, without a default port). */
	host: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	entry: RequestLogEntry;
}

interface PendingDelay {
	timer: NodeJS.Timeout;
	resolve: () => void;
}

export class BodyTooLargeError extends Error {}

export function addressedHost(headers: IncomingHttpHeaders): string {
	const forwarded = headers['x-forwarded-host'];
	const raw = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0] ?? headers.host ?? '';
	return raw.trim().replace(/:443$/, '').toLowerCase();
}

export abstract class SandboxHttpServer {
	readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly delays = new Set<PendingDelay>();
	private closing?: Promise<void>;
	protected closed = false;
	url = '';
	port = 0;

	protected constructor(
		readonly kind: ServerKind,
		protected readonly stats: Stats,
		protected readonly faults: FaultController,
		private readonly maxBodyBytes: number,
	) {
		this.server = createServer((req, res) => {
			void this.onRequest(req, res);
		});
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.setTimeout(60_000, () => socket.destroy());
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	listen(port = 0): Promise<string> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				const address = this.server.address();
				if (address === null || typeof address === 'string') {
					reject(new Error('spapi sandbox: unexpected server address'));
					return;
				}
				this.port = address.port;
				this.url = `http://127.0.0.1:${address.port}`;
				resolve(this.url);
			});
		});
	}

	/** Stops listening, cancels pending delays and destroys every socket. */
	close(): Promise<void> {
		if (this.closing) return this.closing;
		this.closed = true;
		for (const d of this.delays) {
			clearTimeout(d.timer);
			d.resolve();
		}
		this.delays.clear();
		this.closing = new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
		return this.closing;
	}

	protected delay(ms: number): Promise<void> {
		return new Promise<void>((resolve) => {
			const pending: PendingDelay = {
				timer: setTimeout(() => {
					this.delays.delete(pending);
					resolve();
				}, ms),
				resolve,
			};
			this.delays.add(pending);
		});
	}

	private readBody(req: IncomingMessage): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (chunk: Buffer) => {
				size += chunk.length;
				if (size > this.maxBodyBytes) {
					reject(new BodyTooLargeError(`Request body exceeds ${this.maxBodyBytes} bytes`));
					req.resume();
					return;
				}
				chunks.push(chunk);
			});
			req.on('end', () => resolve(Buffer.concat(chunks)));
			req.on('error', reject);
			req.on('close', () => {
				if (!req.complete) reject(new Error('client aborted the request'));
			});
		});
	}

	protected send(ctx: RequestContext, status: number, headers: Record<string, string | string[]>, body?: string | Buffer): void {
		const { res } = ctx;
		if (res.headersSent || res.destroyed) return;
		res.statusCode = status;
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		if (body !== undefined) res.setHeader('Content-Length', Buffer.byteLength(body));
		res.end(ctx.method === 'HEAD' ? undefined : body);
	}

	/** Server-specific answer to an injected failure. */
	protected abstract sendInjectedFailure(ctx: RequestContext, status: number): void;

	/** Server-specific answer to an internal error. */
	protected abstract sendInternalError(ctx: RequestContext, message: string, status?: number): void;

	/** The operation (api server) for fault matching and the log; called before faults. */
	protected classify(_ctx: RequestContext): string | undefined {
		return undefined;
	}

	/** Runs before faults on every request (api: contract validation). */
	protected beforeFaults(_ctx: RequestContext): void {}

	protected abstract handle(ctx: RequestContext): Promise<void> | void;

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const path = q < 0 ? url : url.slice(0, q);
		const rawQuery = q < 0 ? '' : url.slice(q + 1);
		const host = addressedHost(req.headers);
		const region = regionOfHost(host);
		const entry = this.stats.begin({
			server: this.kind,
			method: req.method ?? 'GET',
			host,
			region: region?.region,
			environment: region?.environment,
			path,
			url,
			query: QueryParams.parseLenient(rawQuery).toRecord(),
			headers: { ...req.headers },
			startMs: Date.now(),
		});
		let recorded = false;
		let reset = false;
		const finish = (status: number, outcome: RequestLogEntry['outcome']) => {
			if (recorded) return;
			recorded = true;
			this.stats.end(entry, status, outcome, Date.now());
		};
		res.on('finish', () => finish(res.statusCode, 'response'));
		res.on('close', () => finish(0, reset ? 'reset' : 'aborted'));
		const ctx: RequestContext = { req, res, method: req.method ?? 'GET', url, path, rawQuery, host, headers: req.headers, body: Buffer.alloc(0), entry };
		try {
			entry.operation = this.classify(ctx);
			try {
				ctx.body = await this.readBody(req);
				entry.bodyBytes = ctx.body.length;
			} catch (error) {
				if (error instanceof BodyTooLargeError) {
					this.sendInternalError(ctx, error.message, 413);
					return;
				}
				throw error;
			}
			this.beforeFaults(ctx);
			const target: FaultTarget = { server: this.kind, url, operation: entry.operation };
			if (this.faults.takeReset(target)) {
				reset = true;
				req.socket.resetAndDestroy();
				return;
			}
			const latency = this.faults.latencyFor(target);
			if (latency > 0) await this.delay(latency);
			if (this.closed) return;
			const failure = this.faults.takeFailure(target);
			if (failure !== undefined) {
				entry.injected = true;
				this.sendInjectedFailure(ctx, failure);
				return;
			}
			await this.handle(ctx);
		} catch (error) {
			if (res.headersSent || res.destroyed) return;
			if (error instanceof Error && error.message === 'client aborted the request') {
				res.destroy();
				return;
			}
			this.sendInternalError(ctx, `Sandbox error: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
}

/**
 * The HTTP front of the sandbox: `node:http` only, bound to 127.0.0.1, every socket with an
 * idle timeout. Request pipeline for API calls:
 *
 *   hooks.beforeApiRequest -> faults (reset / failNext / MI_MODIFIED, latency) -> rate limit
 *   -> bearer token -> CSRF (main) -> projection lookup (404 / 403) -> OData service
 *   -> page latency (collection reads)
 *
 * The test hook runs first, for every API request (faulted ones included), so a test can change
 * data "between two pages" of a poll at an exact request.
 * Faults come first and do not count against the rate window; the rate limit sits in front of
 * authentication like an ingress throttle would. IAM endpoints are never rate limited.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { bearerToken, type TokenService } from './auth';
import { CsrfGuard } from './csrf';
import { ErrorCode, ODataError } from './errors';
import type { FaultController, FaultTarget } from './faults';
import type { Deployment, ProjectionDef } from './model';
import type { ODataService } from './odata-service';
import { decodeStrict, parseQueryString } from './odata-query';
import type { SlidingWindowRateLimiter } from './rate-limit';
import type { RequestKind, RequestLogEntry, Stats } from './stats';

export interface ServerConfig {
	realm: string;
	deniedProjections: Set<string>;
	socketTimeoutMs: number;
	maxBodyBytes: number;
}

/** What a test hook sees of an API request before it is processed. */
export interface ApiRequestInfo {
	method: string;
	/** Path without the query string, as received (percent-encoded). */
	path: string;
	/** Decoded query options (last value wins). */
	query: Record<string, string>;
	/** Path + query exactly as received. */
	url: string;
}

export interface SandboxHooks {
	/**
	 * Called before each API (projection) request is processed; may be async. A hook that
	 * throws answers the request with 500, so a broken test hook is visible. Cleared by reset().
	 */
	beforeApiRequest?: (entry: ApiRequestInfo) => void | Promise<void>;
}

export interface ServerDeps {
	hooks: SandboxHooks;
	tokens: TokenService;
	faults: FaultController;
	stats: Stats;
	limiter: SlidingWindowRateLimiter | undefined;
	service: ODataService;
	projections: ProjectionDef[];
}

const API_PATH = /^\/([^/]+)\/ifsapplications\/projection\/v1\/([^/]+?)\.svc(\/.*)?$/;
const IAM_PATH = /^\/auth\/realms\/([^/]+)\/(.*)$/;
const ENVELOPE_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';

interface PendingDelay {
	timer: NodeJS.Timeout;
	resolve: () => void;
}

function classify(path: string): RequestKind {
	if (API_PATH.test(path)) return 'api';
	if (path.startsWith('/auth/')) return 'auth';
	return 'other';
}

export class SandboxServer {
	readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly delays = new Set<PendingDelay>();
	private readonly csrf = new CsrfGuard();
	private readonly entries = new WeakMap<ServerResponse, RequestLogEntry>();
	private closed = false;
	private closing?: Promise<void>;
	private baseUrl = '';

	constructor(
		private readonly config: ServerConfig,
		private readonly deps: ServerDeps,
	) {
		this.server = createServer((req, res) => {
			void this.onRequest(req, res);
		});
		this.server.requestTimeout = config.socketTimeoutMs;
		this.server.headersTimeout = Math.min(config.socketTimeoutMs, 20_000);
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.setTimeout(config.socketTimeoutMs, () => socket.destroy());
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	listen(port: number): Promise<string> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				const address = this.server.address();
				if (address === null || typeof address === 'string') {
					reject(new Error('sandbox: unexpected server address'));
					return;
				}
				this.baseUrl = `http://127.0.0.1:${address.port}`;
				resolve(this.baseUrl);
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

	private delay(ms: number): Promise<void> {
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
				if (size > this.config.maxBodyBytes) {
					reject(new ODataError(413, ErrorCode.payloadTooLarge, `Request body exceeds ${this.config.maxBodyBytes} bytes`));
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

	private origin(req: IncomingMessage): string {
		const host = req.headers.host;
		return host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? `http://${host}` : this.baseUrl;
	}

	private send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body?: string): void {
		if (res.headersSent || res.destroyed) return;
		const entry = this.entries.get(res);
		if (entry) entry.respondMs = Date.now();
		res.statusCode = status;
		for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
		if (body !== undefined) res.setHeader('Content-Length', Buffer.byteLength(body));
		res.end(body);
	}

	private sendError(res: ServerResponse, error: ODataError, extra: Record<string, string | string[]> = {}): void {
		this.send(
			res,
			error.status,
			{ 'Content-Type': ENVELOPE_TYPE, 'OData-Version': '4.0', ...extra, ...error.headers },
			JSON.stringify(error.toEnvelope()),
		);
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const { stats, faults } = this.deps;
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		const path = q < 0 ? url : url.slice(0, q);
		const rawQuery = q < 0 ? '' : url.slice(q + 1);
		const kind = classify(path);
		let query: Record<string, string> = {};
		try {
			for (const pair of parseQueryString(rawQuery)) query[pair.name] = pair.value;
		} catch {
			query = {};
		}
		const entry = stats.begin({ kind, method: req.method ?? 'GET', path, url, query, headers: { ...req.headers }, startMs: Date.now() });
		this.entries.set(res, entry);
		let recorded = false;
		let reset = false;
		const finish = (status: number, outcome: 'response' | 'reset' | 'aborted') => {
			if (recorded) return;
			recorded = true;
			stats.end(entry, status, outcome, Date.now());
		};
		res.on('finish', () => finish(res.statusCode, 'response'));
		res.on('close', () => finish(0, reset ? 'reset' : 'aborted'));

		try {
			const hook = this.deps.hooks.beforeApiRequest;
			if (kind === 'api' && hook) {
				try {
					await hook({ method: req.method ?? 'GET', path, query: { ...query }, url });
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					throw new ODataError(500, ErrorCode.internal, `Sandbox beforeApiRequest hook failed: ${message}`);
				}
				if (this.closed) return;
			}
			const target: FaultTarget = { kind: kind === 'api' ? 'api' : 'auth', url };
			if (faults.takeReset(target)) {
				reset = true;
				req.socket.resetAndDestroy();
				return;
			}
			const body = await this.readBody(req);
			const latency = faults.latencyFor(target);
			if (latency > 0) await this.delay(latency);
			if (this.closed) return;
			const failure = faults.takeFailure(target);
			if (failure) {
				const headers: Record<string, string> = {};
				if (failure.retryAfterSeconds !== undefined) headers['Retry-After'] = String(failure.retryAfterSeconds);
				const code = failure.status === 503 ? ErrorCode.serviceUnavailable : failure.status === 429 ? ErrorCode.tooManyRequests : ErrorCode.internal;
				this.sendError(res, new ODataError(failure.status, code, `Injected failure (HTTP ${failure.status})`, undefined, headers));
				return;
			}
			if (faults.takeMiModified(target)) {
				this.sendError(res, new ODataError(500, ErrorCode.miModified, 'Service metadata already modified.'));
				return;
			}
			if (kind === 'auth') this.handleIam(req, res, path, body);
			else if (kind === 'api') await this.handleApi(req, res, path, rawQuery, body, target);
			else this.sendError(res, new ODataError(404, ErrorCode.notFound, `No resource at ${path}`));
		} catch (error) {
			if (res.headersSent || res.destroyed) return;
			if (error instanceof ODataError) {
				this.sendError(res, error);
			} else if (error instanceof Error && error.message === 'client aborted the request') {
				res.destroy();
			} else {
				const message = error instanceof Error ? error.message : String(error);
				this.sendError(res, new ODataError(500, ErrorCode.internal, `Sandbox error: ${message}`));
			}
		}
	}

	private handleIam(req: IncomingMessage, res: ServerResponse, path: string, body: Buffer): void {
		const m = IAM_PATH.exec(path);
		const sendJson = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
			this.send(res, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(payload));
		let realm: string | undefined;
		try {
			realm = m ? decodeURIComponent(m[1]) : undefined;
		} catch {
			realm = undefined;
		}
		if (realm !== this.config.realm) {
			sendJson(404, { error: 'Realm does not exist' });
			return;
		}
		const { tokens, stats } = this.deps;
		const realmUrl = `${this.origin(req)}/auth/realms/${this.config.realm}`;
		switch (m![2]) {
			case 'protocol/openid-connect/token': {
				const r = tokens.handleToken(req.method ?? 'GET', req.headers['content-type'], req.headers.authorization, body.toString('utf8'));
				if (r.status === 200) stats.tokensIssued++;
				sendJson(r.status, r.body, r.headers);
				return;
			}
			case 'protocol/openid-connect/userinfo': {
				const r = tokens.handleUserinfo(req.headers.authorization);
				sendJson(r.status, r.body, r.headers);
				return;
			}
			case '.well-known/openid-configuration':
				sendJson(200, {
					issuer: realmUrl,
					token_endpoint: `${realmUrl}/protocol/openid-connect/token`,
					userinfo_endpoint: `${realmUrl}/protocol/openid-connect/userinfo`,
					grant_types_supported: ['client_credentials', 'refresh_token'],
					token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
				});
				return;
			default:
				sendJson(404, { error: 'Unable to find matching target resource method' });
		}
	}

	private async handleApi(
		req: IncomingMessage,
		res: ServerResponse,
		path: string,
		rawQuery: string,
		body: Buffer,
		target: FaultTarget,
	): Promise<void> {
		const { limiter, stats, tokens, service, faults } = this.deps;
		const method = req.method ?? 'GET';
		const now = Date.now();
		if (limiter) {
			const decision = limiter.tryAcquire(now);
			if (!decision.allowed) {
				throw new ODataError(
					429,
					ErrorCode.tooManyRequests,
					`Too many requests for this tenant. Retry after ${decision.retryAfterSeconds} second(s).`,
					undefined,
					{ 'Retry-After': String(decision.retryAfterSeconds) },
				);
			}
		}
		stats.admitted(now);

		const token = bearerToken(req.headers.authorization);
		const tokenInfo = token ? tokens.validate(token) : undefined;
		if (!token || !tokenInfo) {
			const challenge = token
				? `Bearer realm="${this.config.realm}", error="invalid_token", error_description="The access token is invalid or has expired"`
				: `Bearer realm="${this.config.realm}"`;
			throw new ODataError(
				401,
				ErrorCode.unauthorized,
				token ? 'The access token is invalid or has expired.' : 'Authentication required: send Authorization: Bearer <access_token>.',
				undefined,
				{ 'WWW-Authenticate': challenge },
			);
		}

		const m = API_PATH.exec(path)!;
		const deployment = m[1];
		const extra: Record<string, string | string[]> = { 'OData-Version': '4.0' };
		if (deployment === 'main') {
			if (method === 'GET' || method === 'HEAD') {
				extra['Set-Cookie'] = this.csrf.cookieForGet(req.headers);
			} else if (!this.csrf.verify(req.headers)) {
				throw new ODataError(403, ErrorCode.csrf, 'A security error occurred while processing the request.');
			}
		}
		try {
			if (deployment !== 'int' && deployment !== 'main') {
				throw new ODataError(404, ErrorCode.notFound, `Unknown deployment '${deployment}'`);
			}
			const projectionName = decodeStrict(m[2], 'the projection name');
			const projection = this.deps.projections.find((p) => p.name === projectionName);
			if (!projection || !projection.deployments.includes(deployment as Deployment)) {
				throw new ODataError(404, ErrorCode.notFound, `Projection ${projectionName} was not found (deployment ${deployment}).`);
			}
			if (this.config.deniedProjections.has(projectionName)) {
				throw new ODataError(
					403,
					ErrorCode.forbidden,
					`Access denied: the user has no permission set grant for projection ${projectionName}. Ask the administrator to grant it in the service user's permission set.`,
				);
			}
			const response = service.handle({
				method,
				deployment: deployment as Deployment,
				projection,
				resourcePath: m[3] ?? '',
				query: parseQueryString(rawQuery),
				headers: req.headers,
				body,
				serviceRoot: `${this.origin(req)}/${deployment}/ifsapplications/projection/v1/${m[2]}.svc`,
				user: tokenInfo.clientId.toUpperCase(),
			});
			if (response.collectionRead) {
				const pageLatency = faults.collectionLatencyFor(target);
				if (pageLatency > 0) await this.delay(pageLatency);
				if (this.closed) return;
			}
			this.send(res, response.status, { ...extra, ...response.headers }, response.body);
		} catch (error) {
			if (error instanceof ODataError) {
				this.sendError(res, error, extra);
				return;
			}
			throw error;
		}
	}
}

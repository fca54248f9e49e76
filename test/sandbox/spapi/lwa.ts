/**
 * Login with Amazon (reference §2): `POST /auth/o2/token` with a form (or JSON) body.
 *
 * - `refresh_token`: client id + secret must match an app, the refresh token an authorization
 *   of that app (one seller, one region). Response echoes the refresh token.
 * - `client_credentials` with `scope=sellingpartnerapi::notifications` (grantless): an app token
 *   without a seller; SP-API seller operations refuse it (403).
 * - Errors in the OAuth shape: `invalid_client` 401 (unknown client / wrong secret),
 *   `invalid_grant` 400 (unknown, revoked or other app's refresh token), `invalid_request`,
 *   `unsupported_grant_type`, `invalid_scope` 400.
 *
 * Issued tokens (access tokens and Restricted Data Tokens) live here too, with lifetimes on the
 * sandbox clock.
 */
import type { ResolvedConfig } from './config';
import type { FaultController } from './faults';
import { SandboxHttpServer, type RequestContext } from './http-server';
import type { Region } from './marketplaces';
import type { Stats } from './stats';
import { randomToken, requestId } from './util';

export const GRANTLESS_SCOPES = ['sellingpartnerapi::notifications', 'sellingpartnerapi::client_credential:rotation'] as const;

export interface RestrictedResourceGrant {
	method: string;
	path: string;
	dataElements: string[];
}

export interface IssuedToken {
	token: string;
	kind: 'access' | 'grantless' | 'rdt';
	clientId: string;
	sellerId?: string;
	region?: Region;
	refreshToken?: string;
	scope?: string;
	issuedAt: number;
	expiresAt: number;
	/** RDT only: what it covers. */
	resources?: RestrictedResourceGrant[];
}

interface AppState {
	clientId: string;
	clientSecret: string;
	restrictedRole: boolean;
}

interface AuthorizationState {
	refreshToken: string;
	clientId: string;
	sellerId: string;
	region: Region;
	revoked: boolean;
}

export type TokenLookup = { ok: true; token: IssuedToken } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

export class TokenService {
	private apps = new Map<string, AppState>();
	private authorizations = new Map<string, AuthorizationState>();
	private readonly tokens = new Map<string, IssuedToken>();
	/** Tokens issued before this instant (sandbox clock) are invalid: expireAllTokens(). */
	private expiredBefore = -Infinity;

	constructor(
		private readonly config: ResolvedConfig,
		private readonly now: () => number,
	) {
		this.load();
	}

	/** (Re)load apps and authorizations from the options: revocations and rotations are undone. */
	load(): void {
		this.apps = new Map(this.config.apps.map((a) => [a.clientId, { clientId: a.clientId, clientSecret: a.clientSecret, restrictedRole: a.restrictedRole }]));
		this.authorizations = new Map(
			this.config.authorizations.map((a) => {
				const seller = this.config.sellers.find((s) => s.sellerId === a.sellerId)!;
				return [a.refreshToken, { ...a, region: seller.region, revoked: false }];
			}),
		);
	}

	app(clientId: string): AppState | undefined {
		return this.apps.get(clientId);
	}

	revokeRefreshToken(refreshToken: string): void {
		const a = this.authorizations.get(refreshToken);
		if (!a) throw new Error('revokeRefreshToken: unknown refresh token');
		a.revoked = true;
	}

	rotateClientSecret(clientId: string, newSecret: string): void {
		const app = this.apps.get(clientId);
		if (!app) throw new Error(`rotateClientSecret: unknown client ${clientId}`);
		app.clientSecret = newSecret;
	}

	setRestrictedRole(clientId: string, value: boolean): void {
		const app = this.apps.get(clientId);
		if (!app) throw new Error(`setRestrictedRole: unknown client ${clientId}`);
		app.restrictedRole = value;
	}

	expireAll(): void {
		this.expiredBefore = this.now() + 1;
		for (const t of this.tokens.values()) t.expiresAt = Math.min(t.expiresAt, this.now());
	}

	/** Mint a seller access token without HTTP (counts nothing in stats). */
	mintAccess(refreshToken: string): IssuedToken {
		const a = this.authorizations.get(refreshToken);
		if (!a || a.revoked) throw new Error('mintAccess: unknown or revoked refresh token');
		return this.store({
			token: `Atza|IwEBI${randomToken(48)}`,
			kind: 'access',
			clientId: a.clientId,
			sellerId: a.sellerId,
			region: a.region,
			refreshToken,
			issuedAt: this.now(),
			expiresAt: this.now() + this.config.tokenLifetimeSeconds * 1000,
		});
	}

	mintGrantless(clientId: string, scope: string): IssuedToken {
		return this.store({
			token: `Atza|IwEBI${randomToken(48)}`,
			kind: 'grantless',
			clientId,
			scope,
			issuedAt: this.now(),
			expiresAt: this.now() + this.config.tokenLifetimeSeconds * 1000,
		});
	}

	mintRdt(parent: IssuedToken, resources: RestrictedResourceGrant[]): IssuedToken {
		return this.store({
			token: `Atz.sprdt|IQEBL${randomToken(48)}`,
			kind: 'rdt',
			clientId: parent.clientId,
			sellerId: parent.sellerId,
			region: parent.region,
			issuedAt: this.now(),
			expiresAt: this.now() + this.config.rdtLifetimeSeconds * 1000,
			resources,
		});
	}

	private store(token: IssuedToken): IssuedToken {
		this.tokens.set(token.token, token);
		return token;
	}

	lookup(token: string | undefined): TokenLookup {
		if (!token) return { ok: false, reason: 'missing' };
		const t = this.tokens.get(token);
		if (!t) return { ok: false, reason: 'unknown' };
		if (t.issuedAt < this.expiredBefore || this.now() >= t.expiresAt) return { ok: false, reason: 'expired' };
		if (t.refreshToken && this.authorizations.get(t.refreshToken)?.revoked) return { ok: false, reason: 'expired' };
		return { ok: true, token: t };
	}

	/** The token endpoint. */
	handleTokenRequest(contentType: string | undefined, authorization: string | undefined, body: Buffer): { status: number; body: Record<string, unknown> } {
		const fields = parseFields(contentType, body);
		if (!fields) return oauthError(400, 'invalid_request', 'The request body could not be parsed');
		let clientId = fields.client_id;
		let clientSecret = fields.client_secret;
		const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
		if (basic && clientId === undefined) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon > 0) {
				clientId = decodeURIComponent(decoded.slice(0, colon));
				clientSecret = decodeURIComponent(decoded.slice(colon + 1));
			}
		}
		const grantType = fields.grant_type;
		if (!grantType) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : grant_type');
		if (grantType !== 'refresh_token' && grantType !== 'client_credentials') {
			return oauthError(400, 'unsupported_grant_type', `The authorization grant type is not supported by the authorization server: ${grantType}`);
		}
		if (!clientId) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : client_id');
		if (clientSecret === undefined) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : client_secret');
		const app = this.apps.get(clientId);
		if (!app || app.clientSecret !== clientSecret) return oauthError(401, 'invalid_client', 'Client authentication failed');
		const expiresIn = this.config.tokenLifetimeSeconds;
		if (grantType === 'client_credentials') {
			const scope = fields.scope;
			if (!scope) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : scope');
			if (!(GRANTLESS_SCOPES as readonly string[]).includes(scope)) return oauthError(400, 'invalid_scope', 'An unknown scope was requested');
			const t = this.mintGrantless(clientId, scope);
			return { status: 200, body: { access_token: t.token, scope, token_type: 'bearer', expires_in: expiresIn } };
		}
		const refreshToken = fields.refresh_token;
		if (!refreshToken) return oauthError(400, 'invalid_request', 'The request is missing a required parameter : refresh_token');
		const a = this.authorizations.get(refreshToken);
		if (!a || a.revoked || a.clientId !== clientId) return oauthError(400, 'invalid_grant', 'The request has an invalid grant parameter : refresh_token');
		const t = this.mintAccess(refreshToken);
		return { status: 200, body: { access_token: t.token, refresh_token: refreshToken, token_type: 'bearer', expires_in: expiresIn } };
	}
}

function oauthError(status: number, error: string, description: string) {
	return { status, body: { error_description: description, error } };
}

function parseFields(contentType: string | undefined, body: Buffer): Record<string, string | undefined> | undefined {
	const text = body.toString('utf8');
	const type = (contentType ?? '').toLowerCase();
	if (type.includes('json') || (!type.includes('form') && text.trimStart().startsWith('{'))) {
		try {
			const parsed = JSON.parse(text) as unknown;
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
			return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, v === undefined || v === null ? undefined : String(v)]));
		} catch {
			return undefined;
		}
	}
	const params = new URLSearchParams(text);
	const out: Record<string, string | undefined> = {};
	for (const [k, v] of params) out[k] = v;
	return out;
}

/** The LWA host (api.amazon.com). */
export class LwaServer extends SandboxHttpServer {
	constructor(
		stats: Stats,
		faults: FaultController,
		maxBodyBytes: number,
		private readonly tokens: TokenService,
	) {
		super('lwa', stats, faults, maxBodyBytes);
	}

	private json(ctx: RequestContext, status: number, body: unknown): void {
		const id = requestId();
		ctx.entry.requestId = id;
		this.send(ctx, status, { 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache', 'x-amzn-RequestId': id }, JSON.stringify(body));
	}

	protected sendInjectedFailure(ctx: RequestContext, status: number): void {
		const error = status === 400 ? 'invalid_grant' : status === 401 ? 'invalid_client' : status === 429 ? 'slow_down' : status === 503 ? 'temporarily_unavailable' : 'server_error';
		this.json(ctx, status, { error_description: `Injected failure (HTTP ${status})`, error });
	}

	protected sendInternalError(ctx: RequestContext, message: string, status = 500): void {
		this.json(ctx, status, { error_description: message, error: 'server_error' });
	}

	protected handle(ctx: RequestContext): void {
		if (ctx.path !== '/auth/o2/token') {
			this.json(ctx, 404, { error_description: `No resource at ${ctx.path}`, error: 'not_found' });
			return;
		}
		if (ctx.method !== 'POST') {
			this.json(ctx, 405, { error_description: 'Use POST', error: 'invalid_request' });
			return;
		}
		const header = (name: string) => {
			const v = ctx.headers[name];
			return Array.isArray(v) ? v[0] : v;
		};
		const result = this.tokens.handleTokenRequest(header('content-type'), header('authorization'), ctx.body);
		if (result.status === 200) this.stats.tokensIssued++;
		this.json(ctx, result.status, result.body);
	}
}

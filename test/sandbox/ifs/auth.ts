/**
 * Keycloak-style IAM of the sandbox tenant (IFS Cloud uses Keycloak):
 * `POST /auth/realms/<realm>/protocol/openid-connect/token` and `.../userinfo`.
 *
 * Grants: client_credentials (IFS "Client Credential Flow") and refresh_token. Other grants
 * answer `unsupported_grant_type`. Access tokens are random opaque strings valid for
 * `tokenLifetimeSeconds`; the response shape follows the IFS documentation sample
 * (expires_in, refresh_expires_in 1800, refresh_token, token_type, id_token, not-before-policy,
 * session_state, scope).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export interface TokenInfo {
	clientId: string;
	scope: string;
	expiresAt: number;
}

export interface AuthResponse {
	status: number;
	body: unknown;
	headers: Record<string, string>;
}

const REFRESH_LIFETIME_SECONDS = 1800;
const INVALID_CLIENT = { error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' };

const json = (status: number, body: unknown, headers: Record<string, string> = {}): AuthResponse => ({
	status,
	body,
	headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', ...headers },
});

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

export class TokenService {
	private readonly accessTokens = new Map<string, TokenInfo>();
	private readonly refreshTokens = new Map<string, TokenInfo>();
	tokensIssued = 0;

	constructor(
		readonly realm: string,
		private readonly clients: Record<string, string>,
		private readonly lifetimeSeconds: number,
		private readonly issuer: () => string,
		private readonly now: () => number = Date.now,
	) {}

	/** Access token info, or undefined when unknown, expired or revoked. */
	validate(token: string): TokenInfo | undefined {
		const info = this.accessTokens.get(token);
		if (!info) return undefined;
		if (info.expiresAt <= this.now()) {
			this.accessTokens.delete(token);
			return undefined;
		}
		return info;
	}

	/** Fault: every issued access and refresh token stops working. */
	expireAll(): void {
		this.accessTokens.clear();
		this.refreshTokens.clear();
	}

	/** Mint a token without HTTP (for benchmarks/tests that do not test the token flow). */
	mint(clientId: string, scope = 'openid'): string {
		return this.issue(clientId, scope).access_token;
	}

	private sweep(): void {
		const now = this.now();
		for (const map of [this.accessTokens, this.refreshTokens]) {
			if (map.size < 2000) continue;
			for (const [token, info] of map) if (info.expiresAt <= now) map.delete(token);
		}
	}

	private issue(clientId: string, scope: string) {
		this.sweep();
		const now = this.now();
		const accessToken = randomBytes(32).toString('base64url');
		const refreshToken = randomBytes(32).toString('base64url');
		this.accessTokens.set(accessToken, { clientId, scope, expiresAt: now + this.lifetimeSeconds * 1000 });
		this.refreshTokens.set(refreshToken, { clientId, scope, expiresAt: now + REFRESH_LIFETIME_SECONDS * 1000 });
		this.tokensIssued++;
		const response: Record<string, unknown> = {
			access_token: accessToken,
			expires_in: this.lifetimeSeconds,
			refresh_expires_in: REFRESH_LIFETIME_SECONDS,
			refresh_token: refreshToken,
			token_type: 'Bearer',
		};
		if (scope.split(' ').includes('openid')) response.id_token = this.idToken(clientId, now);
		response['not-before-policy'] = 0;
		response.session_state = randomUUID();
		response.scope = scope;
		return response as { access_token: string } & Record<string, unknown>;
	}

	/** JWT-shaped but unsigned-in-effect: clients must treat it as opaque. */
	private idToken(clientId: string, nowMs: number): string {
		const iat = Math.floor(nowMs / 1000);
		const header = { alg: 'RS256', typ: 'JWT', kid: 'ifs-sandbox' };
		const payload = {
			exp: iat + this.lifetimeSeconds,
			iat,
			iss: this.issuer(),
			aud: clientId,
			sub: subjectOf(clientId),
			typ: 'ID',
			azp: clientId,
			preferred_username: serviceAccountName(clientId),
		};
		return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${base64url(randomBytes(32))}`;
	}

	/**
	 * Client authentication: HTTP Basic first (as Keycloak does), then form fields.
	 * RFC 6749 §2.3.1 form-encodes id and secret before Basic encoding, but many clients do not;
	 * both readings are accepted so a secret with '+' or '%' works either way.
	 */
	private authenticateClient(authorization: string | undefined, form: URLSearchParams): string | undefined {
		const candidates: Array<[string, string]> = [];
		if (authorization && /^basic /i.test(authorization)) {
			const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			if (colon < 0) return undefined;
			const id = decoded.slice(0, colon);
			const secret = decoded.slice(colon + 1);
			candidates.push([id, secret]);
			try {
				const formDecode = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
				candidates.push([formDecode(id), formDecode(secret)]);
			} catch {
				// not form-encoded: the raw reading above is the only one
			}
		} else {
			const id = form.get('client_id');
			const secret = form.get('client_secret');
			if (id !== null && secret !== null) candidates.push([id, secret]);
		}
		for (const [id, secret] of candidates) {
			const expected = this.clients[id];
			if (expected !== undefined && expected === secret) return id;
		}
		return undefined;
	}

	handleToken(method: string, contentType: string | undefined, authorization: string | undefined, body: string): AuthResponse {
		if (method !== 'POST') return json(405, { error: 'invalid_request', error_description: 'HTTP method not allowed' });
		const isForm = (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
		const form = isForm ? new URLSearchParams(body) : new URLSearchParams();
		const grantType = form.get('grant_type');
		if (!grantType) return json(400, { error: 'invalid_request', error_description: 'Missing form parameter: grant_type' });
		if (grantType !== 'client_credentials' && grantType !== 'refresh_token') {
			return json(400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
		}
		const clientId = this.authenticateClient(authorization, form);
		if (!clientId) return json(401, INVALID_CLIENT);
		if (grantType === 'refresh_token') {
			const token = form.get('refresh_token') ?? '';
			const info = this.refreshTokens.get(token);
			if (!info || info.expiresAt <= this.now()) {
				return json(400, { error: 'invalid_grant', error_description: 'Invalid refresh token' });
			}
			if (info.clientId !== clientId) {
				return json(400, { error: 'invalid_grant', error_description: "Invalid refresh token. Token client and authorized client don't match" });
			}
			this.refreshTokens.delete(token);
			return json(200, this.issue(clientId, info.scope));
		}
		const scope = (form.get('scope') ?? '').trim() || 'profile email';
		return json(200, this.issue(clientId, scope));
	}

	handleUserinfo(authorization: string | undefined): AuthResponse {
		const token = bearerToken(authorization);
		const info = token ? this.validate(token) : undefined;
		if (!info) {
			return json(
				401,
				{ error: 'invalid_token', error_description: 'Token verification failed' },
				{ 'WWW-Authenticate': `Bearer realm="${this.realm}", error="invalid_token", error_description="Token verification failed"` },
			);
		}
		return json(200, { sub: subjectOf(info.clientId), preferred_username: serviceAccountName(info.clientId) });
	}
}

export function bearerToken(authorization: string | undefined): string | undefined {
	const m = /^bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
	return m ? m[1] : undefined;
}

export function serviceAccountName(clientId: string): string {
	return `service-account-${clientId.toLowerCase()}`;
}

/** Stable UUID-shaped subject per client, like a Keycloak service-account user id. */
export function subjectOf(clientId: string): string {
	const h = createHash('sha1').update(`sandbox:${clientId}`).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

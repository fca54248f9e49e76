import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, call, fetchToken } from './helpers';

const form = (fields: Record<string, string>) => ({
	method: 'POST',
	headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
	body: new URLSearchParams(fields).toString(),
});

describe('IFS sandbox: IAM token endpoint', () => {
	let sandbox: IfsSandbox;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ clients: { MLC_INTEGRATION: 'sandbox-secret-1', 'OTHER CLIENT': 'p@ss:w+rd' } });
	});
	afterAll(() => sandbox.close());

	it('issues a Keycloak/IFS-shaped token for client credentials in the body', async () => {
		const res = await call(
			sandbox.tokenUrl,
			form({ grant_type: 'client_credentials', client_id: 'MLC_INTEGRATION', client_secret: 'sandbox-secret-1', scope: 'openid microprofile-jwt' }),
		);
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('no-store');
		expect(res.json).toEqual({
			access_token: expect.any(String),
			expires_in: 180,
			refresh_expires_in: 1800,
			refresh_token: expect.any(String),
			token_type: 'Bearer',
			id_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
			'not-before-policy': 0,
			session_state: expect.any(String),
			scope: 'openid microprofile-jwt',
		});
		expect(res.json.access_token.length).toBeGreaterThanOrEqual(32);
	});

	it('accepts HTTP Basic client authentication (form-encoded id and secret)', async () => {
		const basic = Buffer.from(`${encodeURIComponent('OTHER CLIENT')}:${encodeURIComponent('p@ss:w+rd')}`).toString('base64');
		const res = await call(sandbox.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${basic}` },
			body: 'grant_type=client_credentials',
		});
		expect(res.status).toBe(200);
		expect(res.json.token_type).toBe('Bearer');
		expect(res.json.id_token).toBeUndefined(); // no openid scope requested
		// Clients that skip the RFC 6749 form-encoding (raw secret with '+') are accepted too.
		const raw = await call(sandbox.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from('OTHER CLIENT:p@ss:w+rd').toString('base64')}` },
			body: 'grant_type=client_credentials',
		});
		expect(raw.status).toBe(200);
	});

	it.each([
		['wrong secret', { client_id: 'MLC_INTEGRATION', client_secret: 'nope' }],
		['unknown client', { client_id: 'NOBODY', client_secret: 'sandbox-secret-1' }],
		['no client at all', {}],
	])('answers 401 invalid_client for %s', async (_name, fields) => {
		const res = await call(sandbox.tokenUrl, form({ grant_type: 'client_credentials', ...fields }));
		expect(res.status).toBe(401);
		expect(res.json).toEqual({ error: 'invalid_client', error_description: 'Invalid client or Invalid client credentials' });
	});

	it('answers 400 for unsupported or missing grant types', async () => {
		const unsupported = await call(sandbox.tokenUrl, form({ grant_type: 'password', client_id: 'MLC_INTEGRATION', client_secret: 'sandbox-secret-1' }));
		expect(unsupported.status).toBe(400);
		expect(unsupported.json.error).toBe('unsupported_grant_type');
		const missing = await call(sandbox.tokenUrl, form({ client_id: 'MLC_INTEGRATION', client_secret: 'sandbox-secret-1' }));
		expect(missing.status).toBe(400);
		expect(missing.json).toEqual({ error: 'invalid_request', error_description: 'Missing form parameter: grant_type' });
		const json = await call(sandbox.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ grant_type: 'client_credentials' }),
		});
		expect(json.status).toBe(400);
	});

	it('answers 404 for an unknown realm', async () => {
		const res = await call(`${sandbox.url}/auth/realms/other/protocol/openid-connect/token`, form({ grant_type: 'client_credentials' }));
		expect(res.status).toBe(404);
		expect(res.json).toEqual({ error: 'Realm does not exist' });
	});

	it('supports refresh_token once per refresh token', async () => {
		const first = await call(sandbox.tokenUrl, form({ grant_type: 'client_credentials', client_id: 'MLC_INTEGRATION', client_secret: 'sandbox-secret-1' }));
		const refresh = { grant_type: 'refresh_token', refresh_token: first.json.refresh_token, client_id: 'MLC_INTEGRATION', client_secret: 'sandbox-secret-1' };
		const second = await call(sandbox.tokenUrl, form(refresh));
		expect(second.status).toBe(200);
		expect(second.json.access_token).not.toBe(first.json.access_token);
		const reused = await call(sandbox.tokenUrl, form(refresh));
		expect(reused.status).toBe(400);
		expect(reused.json.error).toBe('invalid_grant');
	});

	it('serves userinfo for a valid bearer token only', async () => {
		const token = await fetchToken(sandbox);
		const ok = await call(sandbox.userinfoUrl, { headers: { Authorization: `Bearer ${token}` } });
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ sub: expect.stringMatching(/^[0-9a-f-]{36}$/), preferred_username: 'service-account-mlc_integration' });
		const bad = await call(sandbox.userinfoUrl, { headers: { Authorization: 'Bearer nope' } });
		expect(bad.status).toBe(401);
		expect(bad.headers.get('www-authenticate')).toMatch(/^Bearer /);
	});

	it('counts issued tokens', async () => {
		sandbox.stats.reset();
		await fetchToken(sandbox);
		sandbox.issueToken();
		expect(sandbox.stats.tokensIssued).toBe(2);
	});
});

describe('IFS sandbox: bearer tokens on the API', () => {
	let sandbox: IfsSandbox;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ tokenLifetimeSeconds: 1, rateLimit: { requests: 1, windowMs: 60_000 } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const orders = () => `${sandbox.serviceUrl('CustomerOrderHandling')}/CustomerOrderSet?$top=1`;

	it('answers 401 with an OData envelope and WWW-Authenticate when the token is missing or unknown', async () => {
		const missing = await call(orders());
		expect(missing.status).toBe(401);
		expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="mlcdemo"');
		expect(missing.json).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
		sandbox.reset();
		const unknown = await call(orders(), { headers: { Authorization: 'Bearer made-up' } });
		expect(unknown.status).toBe(401);
		expect(unknown.headers.get('www-authenticate')).toContain('error="invalid_token"');
	});

	it('rejects a token after expires_in seconds', async () => {
		const token = await fetchToken(sandbox);
		expect((await call(orders(), { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
		await new Promise((r) => setTimeout(r, 1100));
		sandbox.reset(); // fresh rate window (1 request/min in this suite)
		const expired = await call(orders(), { headers: { Authorization: `Bearer ${token}` } });
		expect(expired.status).toBe(401);
	});

	it('does not rate-limit the token endpoint', async () => {
		const api = new Api(sandbox, await fetchToken(sandbox));
		expect((await api.get('CustomerOrderHandling', 'CustomerOrderSet?$top=1')).status).toBe(200);
		expect((await api.get('CustomerOrderHandling', 'CustomerOrderSet?$top=1')).status).toBe(429);
		const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => fetchToken(sandbox)));
		expect(new Set(tokens).size).toBe(5);
	});
});

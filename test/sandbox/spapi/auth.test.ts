import { startSpApiSandbox, type SpApiSandbox } from './index';
import { call, lwaToken, qs, rawRequest, SpApi } from './helpers';

const UNAUTHORIZED = {
	errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' }],
};

describe('SP-API sandbox: Login with Amazon', () => {
	let sandbox: SpApiSandbox;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 50, tokenLifetimeSeconds: 600 });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const form = (fields: Record<string, string>) => ({
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields).toString(),
	});

	it('exchanges a refresh token (form body) for an Atza| token with the configured lifetime', async () => {
		const c = sandbox.credentials();
		const res = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }));
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ access_token: expect.stringMatching(/^Atza\|/), refresh_token: c.refreshToken, token_type: 'bearer', expires_in: 600 });
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		expect(sandbox.stats.tokensIssued).toBe(1);
	});

	it('accepts a JSON body too', async () => {
		const c = sandbox.credentials('eu');
		const res = await call(sandbox.tokenUrl, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }),
		});
		expect(res.status).toBe(200);
		expect(res.json.access_token).toMatch(/^Atza\|/);
	});

	it('answers invalid_client 401 for a wrong secret and invalid_grant 400 for unknown or revoked refresh tokens', async () => {
		const c = sandbox.credentials();
		const wrongSecret = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: 'nope' }));
		expect(wrongSecret.status).toBe(401);
		expect(wrongSecret.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });

		const unknown = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', refresh_token: 'Atzr|unknown', client_id: c.clientId, client_secret: c.clientSecret }));
		expect(unknown.status).toBe(400);
		expect(unknown.json.error).toBe('invalid_grant');

		sandbox.revokeRefreshToken(c.refreshToken);
		const revoked = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }));
		expect(revoked.status).toBe(400);
		expect(revoked.json.error).toBe('invalid_grant');

		const missing = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', client_id: c.clientId, client_secret: c.clientSecret }));
		expect(missing.json.error).toBe('invalid_request');
		const grant = await call(sandbox.tokenUrl, form({ grant_type: 'password', client_id: c.clientId, client_secret: c.clientSecret }));
		expect(grant.json.error).toBe('unsupported_grant_type');
	});

	it('rotating the client secret makes the old one invalid_client', async () => {
		const c = sandbox.credentials();
		sandbox.rotateClientSecret(c.clientId, 'amzn1.oa2-cs.v1.rotated');
		const old = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }));
		expect(old.status).toBe(401);
		const fresh = await call(sandbox.tokenUrl, form({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: 'amzn1.oa2-cs.v1.rotated' }));
		expect(fresh.status).toBe(200);
	});

	it('issues grantless tokens for the notifications scope only, and SP-API seller operations refuse them', async () => {
		const c = sandbox.credentials();
		const ok = await call(sandbox.tokenUrl, form({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications', client_id: c.clientId, client_secret: c.clientSecret }));
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ access_token: expect.stringMatching(/^Atza\|/), scope: 'sellingpartnerapi::notifications', token_type: 'bearer', expires_in: 600 });
		const badScope = await call(sandbox.tokenUrl, form({ grant_type: 'client_credentials', scope: 'profile', client_id: c.clientId, client_secret: c.clientSecret }));
		expect(badScope.status).toBe(400);
		expect(badScope.json.error).toBe('invalid_scope');

		const api = new SpApi(sandbox, ok.json.access_token);
		const res = await api.get(`/orders/v0/orders/111-0000000-0000000`);
		expect(res.status).toBe(403);
		expect(res.json.errors[0].code).toBe('Unauthorized');
	});
});

describe('SP-API sandbox: access tokens on SP-API', () => {
	let sandbox: SpApiSandbox;
	let token: string;
	let orderPath: string;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 50 });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		token = await lwaToken(sandbox);
		orderPath = `/orders/v0/orders/${sandbox.data.orders()[0].amazonOrderId}`;
	});

	it('takes the token from x-amz-access-token only: Authorization alone is 403 with the exact body', async () => {
		const ok = await new SpApi(sandbox, token).get(orderPath);
		expect(ok.status).toBe(200);
		expect(ok.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
		expect(ok.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');

		const bearer = await call(`${sandbox.apiUrl}${orderPath}`, { headers: { ...sandbox.hostHeaders('na'), Authorization: `Bearer ${token}` } });
		expect(bearer.status).toBe(403);
		expect(bearer.json).toEqual(UNAUTHORIZED);
		expect(bearer.headers.get('x-amzn-requestid')).toBeTruthy();
		expect(bearer.headers.get('x-amzn-ratelimit-limit')).toBeNull();

		const unknown = await new SpApi(sandbox, 'Atza|made-up').get(orderPath);
		expect(unknown.status).toBe(403);
		expect(unknown.json).toEqual(UNAUTHORIZED);
	});

	it('expires tokens by lifetime (sandbox clock) and by expireAllTokens()', async () => {
		const api = new SpApi(sandbox, token);
		sandbox.clock.advance(3601_000);
		expect((await api.get(orderPath)).json).toEqual(UNAUTHORIZED);
		sandbox.clock.real();
		expect((await api.get(orderPath)).status).toBe(200);
		sandbox.expireAllTokens();
		expect((await api.get(orderPath)).status).toBe(403);
		api.token = await lwaToken(sandbox);
		expect((await api.get(orderPath)).status).toBe(200);
	});

	it('a revoked authorization also kills its access tokens', async () => {
		sandbox.revokeRefreshToken(sandbox.credentials().refreshToken);
		expect((await new SpApi(sandbox, token).get(orderPath)).status).toBe(403);
	});

	it("refuses a token on another region's host (403) and knows the region from Host or x-forwarded-host", async () => {
		const eu = await new SpApi(sandbox, token, 'eu').get(`/orders/v0/orders${qs({ MarketplaceIds: 'A1PA6795UKMFR9', CreatedAfter: '2020-01-01T00:00:00Z' })}`);
		expect(eu.status).toBe(403);
		expect(eu.json.errors[0]).toMatchObject({ code: 'Unauthorized', message: 'Access to requested resource is denied.' });

		const euToken = await lwaToken(sandbox, sandbox.credentials('eu'));
		const viaHost = await rawRequest(`${sandbox.apiUrl}/orders/v0/orders${qs({ MarketplaceIds: 'A1PA6795UKMFR9', CreatedAfter: '2020-01-01T00:00:00Z' })}`, {
			headers: { Host: 'sandbox.sellingpartnerapi-eu.amazon.com', 'x-amz-access-token': euToken },
		});
		expect(viaHost.status).toBe(200);
		const entry = sandbox.stats.log[sandbox.stats.log.length - 1];
		expect(entry).toMatchObject({ server: 'api', host: 'sandbox.sellingpartnerapi-eu.amazon.com', region: 'eu', environment: 'sandbox', sellerId: 'A2SANDBOXEU001' });
	});

	it('unknown paths are 404 and unknown hosts are refused', async () => {
		expect((await new SpApi(sandbox, token).get('/catalog/2022-04-01/items')).status).toBe(404);
		const other = await call(`${sandbox.apiUrl}${orderPath}`, { headers: { 'x-forwarded-host': 'example.com', 'x-amz-access-token': token } });
		expect(other.status).toBe(404);
	});
});

/**
 * The Amazon Selling Partner API credential's `authenticate`: the access token is attached to the
 * credential's own SP-API endpoint (region and sandbox from the credential) and to nothing else —
 * not Login with Amazon, not another region, not a look-alike host, not the report storage host.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AmazonSellingPartnerApi } from '../../../credentials/AmazonSellingPartnerApi.credentials';

const credential = new AmazonSellingPartnerApi();
const TOKEN = 'Atza|canary-access-token-0f3b';

async function headersFor(options: IHttpRequestOptions, overrides: Record<string, unknown> = {}) {
	const data = { region: 'na', sandbox: false, accessToken: TOKEN, ...overrides };
	const authenticated = await credential.authenticate(data, { ...options, headers: { Accept: 'application/json' } });
	return authenticated.headers ?? {};
}

describe('AmazonSellingPartnerApi.authenticate', () => {
	it.each([
		[{ url: 'https://sellingpartnerapi-na.amazon.com/orders/2026-01-01/orders' }, {}],
		[{ baseURL: 'https://sellingpartnerapi-na.amazon.com', url: '/sellers/v1/marketplaceParticipations' }, {}],
		[{ url: 'https://sellingpartnerapi-eu.amazon.com/orders/v0/orders' }, { region: 'eu' }],
		[{ url: 'https://sandbox.sellingpartnerapi-fe.amazon.com/orders/v0/orders' }, { region: 'fe', sandbox: true }],
	])('attaches the token to its own endpoint: %j', async (options, overrides) => {
		const headers = await headersFor(options as IHttpRequestOptions, overrides);
		expect(headers).toEqual({ Accept: 'application/json', 'x-amz-access-token': TOKEN });
	});

	it.each([
		['Login with Amazon', { url: 'https://api.amazon.com/auth/o2/token' }, {}],
		['another region', { url: 'https://sellingpartnerapi-eu.amazon.com/orders/v0/orders' }, {}],
		['production while the credential is the sandbox', { url: 'https://sellingpartnerapi-na.amazon.com/orders/v0/orders' }, { sandbox: true }],
		['a look-alike host', { url: 'https://sellingpartnerapi-na.amazon.com.example.net/orders' }, {}],
		['plain http', { url: 'http://sellingpartnerapi-na.amazon.com/orders' }, {}],
		['the report storage host', { url: 'https://tortuga-prod-na.s3-external-1.amazonaws.com/doc?X-Amz-Signature=abc' }, {}],
		['an unparsable URL', { url: 'not a url' }, {}],
	])('attaches nothing for %s', async (_label, options, overrides) => {
		const headers = await headersFor(options as IHttpRequestOptions, overrides);
		expect(headers).toEqual({ Accept: 'application/json' });
		expect(JSON.stringify(headers)).not.toContain(TOKEN);
	});

	it('tests at Login with Amazon, and says what to renew for each refusal', () => {
		expect(credential.test.request).toMatchObject({ baseURL: 'https://api.amazon.com', url: '/auth/o2/token', method: 'POST' });
		expect(credential.test.rules).toEqual([
			{ type: 'responseCode', properties: { value: 401, message: expect.stringMatching(/invalid_client.*client secret/s) } },
			{ type: 'responseCode', properties: { value: 400, message: expect.stringMatching(/invalid_grant.*refresh token/s) } },
		]);
	});
});

/**
 * The node under test only calls real Amazon host names: routeAmazonToSandbox must carry those
 * calls (axios = n8n's HTTP client, and n8n-core's own httpRequest helper) to the sandbox and
 * back, byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

import axios, { type AxiosResponse } from 'axios';
import nock from 'nock';
import { getRequestHelperFunctions } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/factory';
import type { INode, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

import { MARKETPLACE_IDS, routeAmazonToSandbox, startSpApiSandbox, type SpApiSandbox } from './index';

const NA_HOST = 'https://sellingpartnerapi-na.amazon.com';
const EU_HOST = 'https://sellingpartnerapi-eu.amazon.com';
const http = axios.create({ validateStatus: () => true, timeout: 10_000 });

describe('SP-API sandbox: routing real Amazon host names (nock)', () => {
	let sandbox: SpApiSandbox;
	let undo: () => void;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 100, timeScale: 100 });
		undo = routeAmazonToSandbox(sandbox);
	});
	afterAll(async () => {
		undo();
		await sandbox.close();
	});
	beforeEach(() => sandbox.reset());

	async function token(region: 'na' | 'eu' = 'na'): Promise<string> {
		const c = sandbox.credentials(region);
		const res = await http.post('https://api.amazon.com/auth/o2/token', new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }).toString(), {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(res.status).toBe(200);
		return res.data.access_token;
	}

	it('LWA and SP-API through axios on the production host names; the region comes from the host', async () => {
		const na = await token();
		const orders = await http.get(`${NA_HOST}/orders/v0/orders`, {
			params: { MarketplaceIds: MARKETPLACE_IDS.US, CreatedAfter: new Date(Date.now() - 30 * 86_400_000).toISOString() },
			headers: { 'x-amz-access-token': na, 'user-agent': 'ml-connector/0.1 (Language=TypeScript; Platform=n8n)' },
		});
		expect(orders.status).toBe(200);
		expect(orders.headers['x-amzn-ratelimit-limit']).toBe('1.67');
		expect(orders.headers['x-amzn-requestid']).toEqual(expect.any(String));
		expect(orders.data.payload.Orders.length).toBeGreaterThan(0);

		// NA token on the EU host: 403; EU token there: fine. Same for the sandbox. host names.
		expect((await http.get(`${EU_HOST}/orders/v0/orders/202-0000000-0000000`, { headers: { 'x-amz-access-token': na } })).status).toBe(403);
		const eu = await token('eu');
		const euOrder = sandbox.data.orders('A2SANDBOXEU001')[0].amazonOrderId;
		expect((await http.get(`${EU_HOST}/orders/v0/orders/${euOrder}`, { headers: { 'x-amz-access-token': eu } })).status).toBe(200);
		expect((await http.get(`https://sandbox.sellingpartnerapi-eu.amazon.com/orders/v0/orders/${euOrder}`, { headers: { 'x-amz-access-token': eu } })).status).toBe(200);

		// The log shows which headers went to which host.
		const lwa = sandbox.stats.requests({ server: 'lwa' });
		expect(lwa.map((e) => e.host)).toEqual(['api.amazon.com', 'api.amazon.com']);
		expect(lwa.every((e) => e.headers['x-amz-access-token'] === undefined)).toBe(true);
		const api = sandbox.stats.requests({ server: 'api' });
		expect(api.map((e) => `${e.host} ${e.region} ${e.status}`)).toEqual([
			'sellingpartnerapi-na.amazon.com na 200',
			'sellingpartnerapi-eu.amazon.com eu 403',
			'sellingpartnerapi-eu.amazon.com eu 200',
			'sandbox.sellingpartnerapi-eu.amazon.com eu 200',
		]);
		expect(api[0].headers).toMatchObject({ 'x-amz-access-token': na, 'user-agent': expect.stringContaining('ml-connector'), 'x-forwarded-proto': 'https' });
	});

	it('report documents: pre-signed URL on the storage host, raw gzip bytes relayed exactly, no credentials sent', async () => {
		const na = await token();
		const gz = sandbox.addReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', content: `seller-sku\tprice\n${'X'.repeat(5000)}\t1.00\n`, gzip: true });
		const doc = await http.get(`${NA_HOST}/reports/2021-06-30/documents/${encodeURIComponent(gz.reportDocumentId!)}`, { headers: { 'x-amz-access-token': na } });
		expect(doc.status).toBe(200);
		expect(new URL(doc.data.url).host).toBe(sandbox.storageHost);
		const file = await http.get(doc.data.url, { responseType: 'arraybuffer' });
		expect(file.status).toBe(200);
		const bytes = Buffer.from(file.data as ArrayBuffer);
		expect(bytes.equals(sandbox.data.documentBytes(gz.reportDocumentId!))).toBe(true);
		expect(gunzipSync(bytes).toString('utf8')).toMatch(/^seller-sku\tprice\n/);

		// With enableContentEncodingUrlHeader=true the storage says Content-Encoding: gzip and axios inflates.
		const doc2 = await http.get(`${NA_HOST}/reports/2021-06-30/documents/${encodeURIComponent(gz.reportDocumentId!)}`, {
			params: { enableContentEncodingUrlHeader: true },
			headers: { 'x-amz-access-token': na },
		});
		const inflated = await http.get(doc2.data.url, { responseType: 'text' });
		expect(inflated.data).toMatch(/^seller-sku\tprice\n/);

		// A client that sends its SP-API token to storage is refused and recorded.
		const leaked = await http.get(doc.data.url, { headers: { 'x-amz-access-token': na } });
		expect(leaked.status).toBe(403);
		expect(String(leaked.data)).toMatch(/AccessDenied/);
		const bearer = await http.get(doc.data.url, { headers: { Authorization: `Bearer ${na}` } });
		expect(bearer.status).toBe(403);
		expect(sandbox.storageViolations.map((v) => v.headers)).toEqual([['x-amz-access-token'], ['authorization']]);
		expect(sandbox.storageViolations[0]).toMatchObject({ host: sandbox.storageHost, method: 'GET' });
		expect(JSON.stringify(sandbox.storageViolations)).not.toContain(na);
	});

	it('forwards request bodies byte for byte (binary included) and relays resets as ECONNRESET', async () => {
		const binary = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x80]), randomBytes(2000)]);
		const res = await http.post('https://api.amazon.com/auth/o2/token', binary, { headers: { 'Content-Type': 'application/octet-stream' } });
		expect(res.status).toBe(400);
		expect(sandbox.stats.requests({ server: 'lwa' })[0].bodyBytes).toBe(binary.length);
		const utf8 = JSON.stringify({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [MARKETPLACE_IDS.US], reportOptions: { note: 'Grüße – 5 €' } });
		const na = await token();
		const created = await http.post(`${NA_HOST}/reports/2021-06-30/reports`, utf8, { headers: { 'x-amz-access-token': na, 'Content-Type': 'application/json' } });
		expect(created.status).toBe(202);
		expect(sandbox.stats.requests({ operation: 'reports.createReport' })[0].bodyBytes).toBe(Buffer.byteLength(utf8));

		sandbox.faults.resetNext(1);
		const error = await http.get(`${NA_HOST}/reports/2021-06-30/reports/${created.data.reportId}`, { headers: { 'x-amz-access-token': na } }).then(
			() => undefined,
			(e: { code?: string }) => e,
		);
		expect(error?.code).toBe('ECONNRESET');
		expect((await http.get(`${NA_HOST}/reports/2021-06-30/reports/${created.data.reportId}`, { headers: { 'x-amz-access-token': na } })).status).toBe(200);
	});

	it('works with n8n-core’s own httpRequest helper (the path a node’s this.helpers.httpRequest takes)', async () => {
		const node = { id: 'n1', name: 'Amazon', type: 'test', typeVersion: 1, parameters: {}, position: [0, 0] } as INode;
		const helpers = getRequestHelperFunctions({} as Workflow, node, {} as IWorkflowExecuteAdditionalData);
		const c = sandbox.credentials();
		const tokenRes = (await helpers.httpRequest({
			method: 'POST',
			url: 'https://api.amazon.com/auth/o2/token',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }).toString(),
		})) as { access_token: string };
		const orders = (await helpers.httpRequest({
			url: `${NA_HOST}/orders/2026-01-01/orders`,
			qs: { createdAfter: new Date(Date.now() - 20 * 86_400_000).toISOString(), maxResultsPerPage: 5 },
			headers: { 'x-amz-access-token': tokenRes.access_token },
			returnFullResponse: true,
		})) as { statusCode: number; body: { orders: unknown[] } };
		expect(orders.statusCode).toBe(200);
		expect(orders.body.orders).toHaveLength(5);
		const doc = sandbox.addReport({ reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', content: 'a\tö\n', charset: 'windows-1252' });
		const meta = (await helpers.httpRequest({ url: `${NA_HOST}/reports/2021-06-30/documents/${encodeURIComponent(doc.reportDocumentId!)}`, headers: { 'x-amz-access-token': tokenRes.access_token } })) as { url: string };
		const file = (await helpers.httpRequest({ url: meta.url, encoding: 'arraybuffer', returnFullResponse: true })) as { body: Buffer; headers: Record<string, string> };
		expect(file.headers['content-type']).toBe('text/plain; charset=windows-1252');
		expect(Buffer.from(file.body).equals(Buffer.from([0x61, 0x09, 0xf6, 0x0a]))).toBe(true);
		expect(sandbox.storageViolations).toEqual([]);
	});

	it('feed uploads (PUT to the pre-signed URL), listings PATCH with an encoded SKU and the grantless token through n8n-core and axios', async () => {
		const node = { id: 'n1', name: 'Amazon', type: 'test', typeVersion: 1, parameters: {}, position: [0, 0] } as INode;
		const helpers = getRequestHelperFunctions({} as Workflow, node, {} as IWorkflowExecuteAdditionalData);
		const na = await token();
		const created = await http.post(`${NA_HOST}/feeds/2021-06-30/documents`, { contentType: 'application/json; charset=UTF-8' }, { headers: { 'x-amz-access-token': na } });
		expect(created.status).toBe(201);
		expect(new URL(created.data.url).host).toBe(sandbox.storageHost);
		const feed = JSON.stringify({ header: { sellerId: 'A1SANDBOXNA001', version: '2.0' }, messages: [{ messageId: 1, sku: 'BUNDLE A&B/2', operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }] }] }] });
		const put = (await helpers.httpRequest({ method: 'PUT', url: created.data.url, body: feed, headers: { 'Content-Type': 'application/json; charset=UTF-8' }, returnFullResponse: true })) as { statusCode: number };
		expect(put.statusCode).toBe(200);
		expect(sandbox.data.documentText(created.data.feedDocumentId)).toBe(feed);
		expect(sandbox.storageViolations).toEqual([]);

		const patched = await http.patch(
			`${NA_HOST}/listings/2021-08-01/items/A1SANDBOXNA001/${encodeURIComponent('BUNDLE A&B/2')}`,
			{ productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 1 }] }] },
			{ params: { marketplaceIds: MARKETPLACE_IDS.US, mode: 'VALIDATION_PREVIEW' }, headers: { 'x-amz-access-token': na } },
		);
		expect(patched.status).toBe(200);
		expect(patched.data.sku).toBe('BUNDLE A&B/2');

		const c = sandbox.credentials();
		const grantless = await http.post('https://api.amazon.com/auth/o2/token', new URLSearchParams({ grant_type: 'client_credentials', scope: 'sellingpartnerapi::notifications', client_id: c.clientId, client_secret: c.clientSecret }).toString(), {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		const destinations = await http.get(`${EU_HOST}/notifications/v1/destinations`, { headers: { 'x-amz-access-token': grantless.data.access_token } });
		expect(destinations.status).toBe(200);
		expect(destinations.data).toEqual({ payload: [] });
	});

	it('also carries fetch (undici) requests', async () => {
		const c = sandbox.credentials();
		const res = await fetch('https://api.amazon.com/auth/o2/token', {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId, client_secret: c.clientSecret }),
		});
		expect(res.status).toBe(200);
		const { access_token } = (await res.json()) as { access_token: string };
		const orders = await fetch(`${NA_HOST}/orders/2026-01-01/orders?createdAfter=${encodeURIComponent(new Date(Date.now() - 5 * 86_400_000).toISOString())}`, { headers: { 'x-amz-access-token': access_token } });
		expect(orders.status).toBe(200);
		expect(orders.headers.get('x-amzn-ratelimit-limit')).toBe('0.56');
	});

	it('keeps every other host blocked', async () => {
		const blocked = await axios.get('https://example.com/').then(
			() => 'reached',
			(e: Error) => e.message,
		);
		expect(blocked).toMatch(/Nock: Disallowed net connect/);
	});
});

describe('routeAmazonToSandbox: undo', () => {
	it('removes its interceptors', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 10 });
		try {
			const before = nock.activeMocks().length;
			const undo = routeAmazonToSandbox(sandbox);
			expect(nock.activeMocks().length).toBeGreaterThan(before);
			const res: AxiosResponse = await http.post('https://api.amazon.com/auth/o2/token', 'grant_type=refresh_token', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
			expect(res.status).toBe(400);
			undo();
			expect(nock.activeMocks().length).toBe(before);
		} finally {
			await sandbox.close();
		}
	});
});

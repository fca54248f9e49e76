/**
 * Fixed HTTP exchanges (nock) for behaviour the sandbox does not produce: a Retry-After given as
 * an HTTP date, the exact body and headers of a write, and a 502 on a POST whose result cannot be
 * looked up. The node runs in real workflow JSON; only the IFS host is simulated.
 */
import nock from 'nock';

import { CUSTOMER_ORDER_HANDLING_METADATA } from '../../unit/ifs/fixtures/customerOrderHandling.metadata';
import { IFS_NODE, jsonOf, locator, runIfs } from './helpers';

const HOST = 'https://tenant.ifs-example.cloud';
const REALM = 'tenant1';
const SERVICE = '/int/ifsapplications/projection/v1/CustomerOrderHandling.svc';
const endpoint = { url: HOST, realm: REALM, clientId: 'MLC_NOCK', clientSecret: 'nock-secret-123456' };
const ORDERS = { projection: locator('CustomerOrderHandling'), entitySet: locator('CustomerOrderSet') };

function tokenAndMetadata() {
	nock(HOST)
		.post(`/auth/realms/${REALM}/protocol/openid-connect/token`)
		.reply(200, { access_token: 'nock-token-abcdef', expires_in: 180, token_type: 'Bearer', scope: 'openid microprofile-jwt' });
	nock(HOST).get(`${SERVICE}/$metadata`).reply(200, CUSTOMER_ORDER_HANDLING_METADATA, { 'Content-Type': 'application/xml' });
}

beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
});
afterEach(() => nock.cleanAll());
afterAll(() => {
	nock.enableNetConnect();
	// Unpatch Node's http module, which the next test file in this jest worker shares.
	nock.restore();
});

test('Retry-After as an HTTP date is honoured before the read is retried', async () => {
	tokenAndMetadata();
	const retryAt = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
	const times: number[] = [];
	nock(HOST)
		.get(`${SERVICE}/CustomerOrderSet`)
		.query(true)
		.reply(() => {
			times.push(Date.now());
			return [503, { error: { code: 'SERVICE_UNAVAILABLE', message: 'Pod restarting' } }, { 'Retry-After': retryAt.toUTCString() }];
		})
		.get(`${SERVICE}/CustomerOrderSet`)
		.query(true)
		.reply(() => {
			times.push(Date.now());
			return [200, { '@odata.count': 1, value: [{ OrderNo: 'C1', Company: '10' }] }];
		});

	const result = await runIfs({ sandbox: endpoint, parameters: { operation: 'getMany', ...ORDERS, returnAll: true } });

	expect(result.status).toBe('success');
	expect(jsonOf(result.output(IFS_NODE))).toEqual([{ OrderNo: 'C1', Company: '10' }]);
	expect(times).toHaveLength(2);
	expect(times[1]).toBeGreaterThanOrEqual(retryAt.getTime() - 50);
});

test('a 429 on Create is retried (not processed), with the exact body and headers IFS expects', async () => {
	tokenAndMetadata();
	const bodies: unknown[] = [];
	const headers: Array<Record<string, unknown>> = [];
	nock(HOST).get(`${SERVICE}/CustomerOrderSet(OrderNo='AMZ%2F1')`).reply(404, { error: { code: 'ODP_RESOURCE_NOTFOUND', message: 'Not found' } });
	nock(HOST)
		.post(`${SERVICE}/CustomerOrderSet`)
		.times(2)
		.reply(function (_uri, body) {
			bodies.push(body);
			headers.push(this.req.headers);
			return bodies.length === 1
				? [429, { error: { code: 'TOO_MANY_REQUESTS', message: 'Slow down' } }, { 'Retry-After': '1' }]
				: [201, { OrderNo: 'AMZ/1', Company: '10', CustomerNo: 'C9' }];
		});

	const result = await runIfs({
		sandbox: endpoint,
		parameters: { operation: 'create', ...ORDERS, dataMode: 'json', jsonBody: '{"OrderNo": "AMZ/1", "CustomerNo": "C9", "Contract": "S1"}' },
		credentials: { companyCode: '10' },
	});

	expect(result.status).toBe('success');
	expect(bodies).toEqual([
		{ OrderNo: 'AMZ/1', CustomerNo: 'C9', Contract: 'S1', Company: '10' },
		{ OrderNo: 'AMZ/1', CustomerNo: 'C9', Contract: 'S1', Company: '10' },
	]);
	expect(headers[1]).toMatchObject({
		'content-type': 'application/json',
		accept: 'application/json',
		prefer: 'return=representation',
		authorization: 'Bearer nock-token-abcdef',
	});
	expect(headers[1]).not.toHaveProperty('if-match');
	expect(jsonOf(result.output(IFS_NODE))[0]._trace).toMatchObject({
		action: 'created',
		target: { system: 'IFS Cloud', id: "CustomerOrderHandling/CustomerOrderSet(OrderNo='AMZ/1')" },
	});
});

test('a 502 on a POST whose result cannot be looked up is not re-sent, and the item says to check IFS first', async () => {
	nock(HOST)
		.post(`/auth/realms/${REALM}/protocol/openid-connect/token`)
		.reply(200, { access_token: 'nock-token-abcdef', expires_in: 180, token_type: 'Bearer' });
	nock(HOST).get(`${SERVICE}/$metadata`).reply(200, CUSTOMER_ORDER_HANDLING_METADATA, { 'Content-Type': 'application/xml' });
	let posts = 0;
	nock(HOST)
		.post(`${SERVICE}/CreateFromQuotation`)
		.times(3)
		.reply(() => {
			posts++;
			return [502, '<html>Bad gateway</html>', { 'Content-Type': 'text/html' }];
		});

	const result = await runIfs({
		sandbox: endpoint,
		parameters: {
			operation: 'callAction',
			projection: locator('CustomerOrderHandling'),
			actionScope: 'unbound',
			action: 'CreateFromQuotation',
			parameters: '{"QuotationNo": "Q-100"}',
		},
	});

	expect(result.status).toBe('error');
	expect(posts).toBe(1);
	expect((result.error as { httpCode?: string }).httpCode).toBe('502');
	expect(result.error?.message).toMatch(/HTTP 502 to a POST that may or may not have been applied/);
	expect(String((result.error as { description?: string }).description)).toMatch(/Check in IFS whether it took effect/);
});

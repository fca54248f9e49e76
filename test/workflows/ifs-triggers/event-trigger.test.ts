/**
 * The IFS Cloud Event Trigger in n8n-core's WebhookContext: a wrong or missing secret is answered
 * 401 by the node and starts nothing; the right secret starts one execution with the event.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { activateWebhook, findSecretLeaks, runWebhook, runWebhookMethod, StaticDataStore } from '../../harness';
import { packageTypes } from '../ifs/helpers';

const SECRET = 'evt-canary-4f1d7c2a9b8e6d5c3a1f0e9d';
const credentials = { ifsCloudEventApi: { headerName: 'X-IFS-Event-Secret', secret: SECRET } };

function node(options: IDataObject = {}): INode {
	return {
		id: 'ifs-event',
		name: 'IFS Cloud Event Trigger',
		type: 'n8n-nodes-ml-connector.ifsCloudEventTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: '7d0c7a1e-0000-4000-8000-00000000e001',
		parameters: { options } as INode["parameters"],
		credentials: { ifsCloudEventApi: { id: 'mlcIfsEventSec01', name: 'IFS events' } },
	};
}

const event = { event: 'CUSTOMER_ORDER_RELEASED', OrderNo: 'C1000051', Objstate: 'Released' };

test('the right secret starts one execution carrying the event', async () => {
	const result = await runWebhook({
		node: node(),
		types: packageTypes(),
		credentials,
		request: { method: 'POST', headers: { 'content-type': 'application/json', 'x-ifs-event-secret': SECRET }, body: event, rawBody: JSON.stringify(event) },
	});
	expect(result.error).toBeUndefined();
	expect(result.noWebhookResponse).toBeFalsy();
	expect(result.workflowData).toHaveLength(1);
	const items = result.workflowData![0];
	expect(items).toHaveLength(1);
	expect(items[0].json).toMatchObject({ ...event, _event: { receivedAt: expect.any(String) } });
	expect(findSecretLeaks([SECRET], { items, logs: result.logs })).toEqual([]);
});

test.each([
	['a wrong secret', { 'x-ifs-event-secret': `${SECRET}x` }],
	['a secret that is a prefix', { 'x-ifs-event-secret': SECRET.slice(0, -1) }],
	['no secret header', {}],
	['the secret in another header', { authorization: SECRET }],
])('%s is answered 401 by the node and starts no execution', async (_label, headers) => {
	const result = await runWebhook({
		node: node(),
		types: packageTypes(),
		credentials,
		request: { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: event, rawBody: JSON.stringify(event) },
	});
	expect(result.noWebhookResponse).toBe(true);
	expect(result.workflowData).toBeUndefined();
	expect(result.response.status).toBe(401);
	expect(result.response.sentBy).toBe('node');
	expect(JSON.stringify(result.response.body)).not.toContain(SECRET);
});

test('an array body becomes one item per event; text bodies are kept; headers only when asked, never the secret', async () => {
	const many = await runWebhook({
		node: node({ includeHeaders: true }),
		types: packageTypes(),
		credentials,
		request: {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-ifs-event-secret': SECRET, 'x-correlation-id': 'abc', cookie: 'sid=1' },
			body: [event, { ...event, OrderNo: 'C1000052' }],
		},
	});
	const items = many.workflowData![0].map((item) => item.json);
	expect(items.map((item) => item.OrderNo)).toEqual(['C1000051', 'C1000052']);
	const headers = (items[0]._event as { headers: Record<string, unknown> }).headers;
	expect(headers['x-correlation-id']).toBe('abc');
	expect(headers).not.toHaveProperty('x-ifs-event-secret');
	expect(headers).not.toHaveProperty('cookie');

	const text = await runWebhook({
		node: node(),
		types: packageTypes(),
		credentials,
		request: { method: 'POST', headers: { 'content-type': 'text/plain', 'x-ifs-event-secret': SECRET }, body: 'ORDER C1000051 RELEASED', rawBody: 'ORDER C1000051 RELEASED' },
	});
	expect(text.workflowData![0][0].json).toMatchObject({ body: 'ORDER C1000051 RELEASED' });
});

test('activation records the URL the IFS Event Action must call; deactivation clears it', async () => {
	const staticData = new StaticDataStore();
	const activated = await activateWebhook({ node: node(), types: packageTypes(), credentials, staticData });
	expect(activated.created).toBe(true);
	expect(activated.staticData.eventUrl).toBe(activated.webhookUrl);
	expect(activated.logs.some((entry) => entry.message.includes(String(activated.webhookUrl)))).toBe(true);

	const exists = await runWebhookMethod({ node: node(), types: packageTypes(), credentials, staticData, method: 'checkExists' });
	expect(exists.result).toBe(true);
	await runWebhookMethod({ node: node(), types: packageTypes(), credentials, staticData, method: 'delete' });
	const after = await runWebhookMethod({ node: node(), types: packageTypes(), credentials, staticData, method: 'checkExists' });
	expect(after.result).toBe(false);
});

describe('credential test (node side, as n8n runs it for testedBy)', () => {
	const test = async (data: Record<string, unknown>) => {
		const type = packageTypes().nodeTypes.getByNameAndVersion('n8n-nodes-ml-connector.ifsCloudEventTrigger', 1);
		const method = (type.methods as { credentialTest: Record<string, (this: unknown, credential: unknown) => Promise<{ status: string; message: string }>> }).credentialTest.ifsCloudEventSecret;
		return await method.call({}, { id: 'x', name: 'IFS events', type: 'ifsCloudEventApi', data });
	};

	it('accepts a custom header and a long secret', async () => {
		expect(await test({ headerName: 'X-IFS-Event-Secret', secret: SECRET })).toEqual({ status: 'OK', message: 'Header and secret are usable' });
	});
	it('refuses a short secret, saying how long it must be', async () => {
		expect(await test({ headerName: 'X-IFS-Event-Secret', secret: 'short' })).toMatchObject({ status: 'Error', message: expect.stringContaining('at least 24') });
	});
	it.each(['Content-Type', 'Cookie', 'bad header', ''])('refuses the header name %p', async (headerName) => {
		expect(await test({ headerName, secret: SECRET })).toMatchObject({ status: 'Error' });
	});
});

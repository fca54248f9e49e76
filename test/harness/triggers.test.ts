/**
 * Self-tests of the trigger side of the harness: `poll()` in n8n-core's PollContext (through
 * n8n's own PollTriggerExecutor in trigger mode), `webhook()` in WebhookContext and the
 * webhook lifecycle in HookContext, against the local OAuth2 provider + API on 127.0.0.1.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';

import { NodeApiError, NodeOperationError, type INodeType, type IPollFunctions, type IWebhookFunctions } from 'n8n-workflow';

import {
	activateWebhook,
	CredentialStore,
	findSecretLeaks,
	loadPackageNodeTypes,
	loadWorkflowJson,
	RecordingResponse,
	runPoll,
	runWebhook,
	runWebhookMethod,
	StaticDataStore,
	type CredentialData,
	type PackageTypes,
	type WorkflowJson,
} from './index';
import { HarnessOAuth2Api } from './fixtures/HarnessOAuth2Api.credentials';
import { createHarnessPollNode, HARNESS_POLL_TYPE, newPollProbe, type HarnessPollProbe } from './fixtures/HarnessPoll.node';
import { HARNESS_WEBHOOK_TYPE, HarnessWebhook, SECRET_HEADER } from './fixtures/HarnessWebhook.node';
import { HarnessWebhookSecretApi } from './fixtures/HarnessWebhookSecretApi.credentials';
import { startOAuthTestServer, type OAuthTestServer } from './fixtures/oauth-test-server';

const REALM = 'harness-realm';
const CLIENT_ID = 'harness-client';
const CLIENT_SECRET = `canary-${randomBytes(8).toString('hex')}`;
const WEBHOOK_SECRET = `whsec-${randomBytes(8).toString('hex')}`;
const POLL = 'New Events';
const WEBHOOK = 'Order Webhook';
const WORKFLOW_FILE = path.join(__dirname, 'fixtures', 'triggers.workflow.json');
const LIMIT_MS = 10_000;

const events = (...ids: number[]) => ids.map((id) => ({ id, name: `Event ${id}` }));
const itemIds = (items: Array<Array<{ json: { id?: unknown } }>> | null) => items?.[0].map((item) => item.json.id);

let server: OAuthTestServer;
let probe: HarnessPollProbe;
let types: PackageTypes;
let workflow: WorkflowJson;
let credentials: Record<string, CredentialData>;

beforeEach(async () => {
	server = await startOAuthTestServer({ realm: REALM, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
	probe = newPollProbe();
	types = loadPackageNodeTypes({
		includePackage: false,
		extraNodeTypes: { [HARNESS_POLL_TYPE]: createHarnessPollNode(probe), [HARNESS_WEBHOOK_TYPE]: new HarnessWebhook() },
		extraCredentialTypes: [new HarnessOAuth2Api(), new HarnessWebhookSecretApi()],
	});
	workflow = loadWorkflowJson(WORKFLOW_FILE, { __API_BASE__: server.baseUrl });
	credentials = {
		harnessOAuth2Api: { baseUrl: server.baseUrl, realm: REALM, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
		harnessWebhookSecretApi: { secret: WEBHOOK_SECRET },
	};
});

afterEach(async () => {
	await server.close();
});

/** A one-node workflow around an inline test node (for behaviours the fixtures do not have). */
function inlineNode(type: string, nodeType: INodeType, name = 'Inline') {
	return {
		types: loadPackageNodeTypes({ includePackage: false, extraNodeTypes: { [type]: nodeType } }),
		node: { id: 'inline-node-1', name, type, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
	};
}

describe('runPoll: polling trigger in PollContext', () => {
	const poll = async (extra: Partial<Parameters<typeof runPoll>[0]> = {}) =>
		await runPoll({ workflow, nodeName: POLL, types, credentials, timeoutMs: LIMIT_MS, ...extra });

	it('keeps the cursor in static data across ticks sharing a store; null when nothing is new', async () => {
		server.events.push(...events(1, 2, 3));
		const staticData = new StaticDataStore();
		const credentialStore = new CredentialStore();

		const first = await poll({ staticData, credentialStore });
		expect(first.error).toBeUndefined();
		expect(itemIds(first.items)).toEqual([1, 2, 3]); // two pages of 2
		expect(first.staticData).toEqual({ lastId: 3 });
		expect(first.persisted).toBe(true);
		expect(staticData.node(POLL)).toEqual({ lastId: 3 });

		const second = await poll({ staticData, credentialStore });
		expect(second.items).toBeNull();
		expect(second.persisted).toBe(false); // unchanged static data is not written

		server.events.push(...events(4));
		const third = await poll({ staticData, credentialStore });
		expect(itemIds(third.items)).toEqual([4]);
		expect(staticData.node(POLL)).toEqual({ lastId: 4 });
		expect(staticData.saves).toHaveLength(2);

		expect(probe.calls).toBe(3);
		expect(probe.modes).toEqual(['trigger', 'trigger', 'trigger']);
		expect(probe.budgets).toEqual([5 * 60 * 1000, 5 * 60 * 1000, 5 * 60 * 1000]); // n8n's default
		expect(server.apiRequests.filter((r) => r.path === '/api/events').map((r) => r.search)).toEqual([
			'?after=0&limit=2',
			'?after=2&limit=2',
			'?after=3&limit=2',
			'?after=3&limit=2',
		]);
		// n8n-core's OAuth2 client-credentials path ran inside the PollContext: one token, persisted, reused.
		expect(server.tokenRequests).toHaveLength(1);
		expect(credentialStore.oauthTokenWrites('harnessOAuth2Api')).toBe(1);
		expect(new Set(server.apiRequests.map((r) => r.token))).toEqual(new Set([server.issuedTokens[0]]));
		// The node's own log line was captured; the client secret and token were not logged.
		expect(first.logs.map((line) => line.message)).toContain('Harness poll fetched events');
		expect(findSecretLeaks([CLIENT_SECRET, ...server.issuedTokens], { logs: [first, second, third].flatMap((r) => r.logs) })).toEqual([]);
	});

	it('passes pollBudgetMs to getPollBudgetMs(): a zero budget stops after one page, the rest comes next tick', async () => {
		server.events.push(...events(1, 2, 3, 4, 5));
		const staticData = new StaticDataStore();
		const ticks = [];
		for (let tick = 0; tick < 4; tick++) ticks.push(await poll({ staticData, pollBudgetMs: 0 }));

		expect(ticks.map((tick) => itemIds(tick.items))).toEqual([[1, 2], [3, 4], [5], undefined]);
		expect(ticks[3].items).toBeNull();
		expect(probe.budgets).toEqual([0, 0, 0, 0]);
		expect(staticData.node(POLL)).toEqual({ lastId: 5 });
	});

	it('manual mode returns a sample, leaves the cursor alone and never persists static data', async () => {
		server.events.push(...events(1, 2, 3));
		const staticData = new StaticDataStore();
		staticData.setNode(POLL, { lastId: 2 });

		const result = await poll({ staticData, mode: 'manual' });
		expect(result.error).toBeUndefined();
		expect(itemIds(result.items)).toEqual([1]);
		expect(result.staticData).toEqual({ lastId: 2 });
		expect(result.persisted).toBe(false);
		expect(staticData.saves).toEqual([]);
		expect(probe.modes).toEqual(['manual']);
	});

	it('persists static data written by poll() in trigger mode, not in manual mode (inline counter node)', async () => {
		const counter: INodeType = {
			description: { ...createHarnessPollNode().description, name: 'counter', credentials: [], properties: [] },
			async poll(this: IPollFunctions) {
				const data = this.getWorkflowStaticData('node');
				data.count = ((data.count as number | undefined) ?? 0) + 1;
				return [[{ json: { count: data.count } }]];
			},
		};
		const { types: counterTypes, node } = inlineNode('test.counter', counter, 'Counter');
		const staticData = new StaticDataStore();
		const count = async (mode: 'trigger' | 'manual') =>
			(await runPoll({ node, types: counterTypes, staticData, mode })).items?.[0][0].json.count;

		expect([await count('manual'), await count('manual')]).toEqual([1, 1]);
		expect(staticData.saves).toEqual([]);
		expect([await count('trigger'), await count('trigger'), await count('manual')]).toEqual([1, 2, 3]);
		expect(staticData.node('Counter')).toEqual({ count: 2 });
	});

	it('a throwing poll: n8n classifies the error, and the cursor it moved is not saved', async () => {
		const failing: INodeType = {
			description: { ...createHarnessPollNode().description, name: 'failing', credentials: [], properties: [] },
			async poll(this: IPollFunctions) {
				this.getWorkflowStaticData('node').lastId = 99; // moved too early, then the API says 429
				throw new NodeApiError(this.getNode(), { message: 'Too many requests' }, { httpCode: '429' });
			},
		};
		const { types: failingTypes, node } = inlineNode('test.failing', failing);
		const staticData = new StaticDataStore();
		staticData.setNode('Inline', { lastId: 1 });

		const result = await runPoll({ node, types: failingTypes, staticData });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.errorKind).toBe('rate_limited');
		expect(result.items).toBeNull();
		expect(result.staticData).toEqual({ lastId: 99 }); // what the poll left…
		expect(result.persisted).toBe(false); // …is not what n8n keeps
		expect(staticData.node('Inline')).toEqual({ lastId: 1 });

		const manual = await runPoll({ node, types: failingTypes, staticData, mode: 'manual' });
		expect(manual.error).toBeInstanceOf(NodeApiError);
		expect(manual.errorKind).toBeUndefined(); // only ticks of active workflows are classified
	});

	it('a rejected client secret fails the tick; n8n 2.41 classifies the token failure as "thrown", not "auth"', async () => {
		server.events.push(...events(1));
		const result = await poll({ credentials: { harnessOAuth2Api: { ...credentials.harnessOAuth2Api, clientSecret: 'wrong' } } });
		expect(result.items).toBeNull();
		// n8n-core wraps the token endpoint's 401 in a NodeApiError *without* httpCode, so its
		// poll-error classification (401/403 → auth) does not see it as an auth failure.
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error).toMatchObject({ message: expect.stringMatching(/^Failed to acquire OAuth2 access token/), httpCode: null });
		expect(result.errorKind).toBe('thrown');
		expect(server.tokenRequests).toHaveLength(1);
		expect(server.apiRequests).toEqual([]);
		expect(findSecretLeaks([CLIENT_SECRET], { logs: result.logs, error: result.error })).toEqual([]);
	});

	it('the poll context has no deduplication helpers (n8n: execute() only)', async () => {
		await poll();
		expect(probe.hadDedupHelpers).toEqual([false]);
	});

	it('timeoutMs bounds a hanging poll', async () => {
		const hanging: INodeType = {
			description: { ...createHarnessPollNode().description, name: 'hanging', credentials: [], properties: [] },
			async poll() {
				await new Promise((resolve) => setTimeout(resolve, 500));
				return null;
			},
		};
		const { types: hangingTypes, node } = inlineNode('test.hanging', hanging);
		await expect(runPoll({ node, types: hangingTypes, timeoutMs: 100 })).rejects.toThrow(/poll\(\) of "Inline" did not finish within 100 ms/);
	});
});

describe('runWebhook: webhook trigger in WebhookContext', () => {
	const call = async (request: Parameters<typeof runWebhook>[0]['request'], extra: Partial<Parameters<typeof runWebhook>[0]> = {}) =>
		await runWebhook({ workflow, nodeName: WEBHOOK, types, credentials, request, timeoutMs: LIMIT_MS, ...extra });

	it('a matching secret starts the workflow with the body; n8n answers "Workflow was started"', async () => {
		const raw = '{ "orderId": 42,  "lines": [1, 2] }';
		const result = await call({ headers: { 'X-Harness-Secret': WEBHOOK_SECRET, 'Content-Type': 'application/json' }, rawBody: raw });

		expect(result.error).toBeUndefined();
		expect(result.workflowData).toEqual([[{ json: { body: { orderId: 42, lines: [1, 2] }, receivedBytes: Buffer.byteLength(raw) } }]]);
		expect(result.noWebhookResponse).toBe(false);
		expect(result.response).toEqual({ status: 200, body: { message: 'Workflow was started' }, headers: {}, sentBy: 'n8n' });
		expect(result.responseMode).toBe('onReceived');
		expect(result.warnings).toEqual([]);
		expect(result.request.method).toBe('POST'); // the webhook's method by default
		expect(result.request.path).toBe('/webhook/5b0c3a4e-1d2f-4c5b-9a8e-000000000001/harness-orders'); // n8n's URL for it
	});

	it.each([
		['a wrong secret of the same length', WEBHOOK_SECRET.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'))],
		['a secret of another length', 'short'],
		['no secret header', undefined],
	])('%s: the node answers 401 itself and nothing starts', async (_case, secret) => {
		const headers: Record<string, string> = secret === undefined ? {} : { [SECRET_HEADER]: secret };
		const result = await call({ headers, body: { orderId: 1 } });

		expect(result.workflowData).toBeUndefined();
		expect(result.noWebhookResponse).toBe(true);
		expect(result.response).toEqual({
			status: 401,
			body: { message: 'Invalid secret' },
			headers: { 'content-type': 'application/json; charset=utf-8' },
			sentBy: 'node',
		});
		expect(result.warnings).toEqual([]);
	});

	it('derives rawBody from a JSON body, so signatures over it can be checked', async () => {
		const result = await call({ headers: { [SECRET_HEADER]: WEBHOOK_SECRET }, body: { a: 'ü' } });
		expect(result.request.rawBody.toString('utf8')).toBe('{"a":"ü"}');
		expect(result.request.headers['content-type']).toBe('application/json');
		expect(result.workflowData?.[0][0].json.receivedBytes).toBe(10);
		expect(createHash('sha256').update(result.request.rawBody).digest('hex')).toHaveLength(64);
	});

	it('refuses a method the webhook does not listen on, as n8n would (404)', async () => {
		await expect(call({ method: 'GET' })).rejects.toThrow(/listens on POST, not GET/);
	});

	it('an empty secret in the credential: webhook() throws, reported as error', async () => {
		const result = await call({ headers: { [SECRET_HEADER]: '' } }, { credentials: { ...credentials, harnessWebhookSecretApi: { secret: '' } } });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect(result.error?.message).toMatch(/secret is empty/);
		expect(result.response.sentBy).toBe('none');
		expect(findSecretLeaks([WEBHOOK_SECRET], { logs: result.logs, error: result.error })).toEqual([]);
	});

	it('models n8n answers for webhookResponse / no workflowData, and flags protocol slips', async () => {
		const behaviours: Record<string, (this: IWebhookFunctions) => Promise<object>> = {
			respond: async () => ({ webhookResponse: { ok: true } }),
			nothing: async () => ({}),
			doubleAnswer: async function () {
				this.getResponseObject().status(202).send('accepted');
				return { workflowData: [[{ json: {} }]] };
			},
			neverEnded: async function () {
				this.getResponseObject().status(204);
				return { noWebhookResponse: true };
			},
		};
		const run = async (behaviour: string) => {
			const nodeType: INodeType = {
				description: {
					...new HarnessWebhook().description,
					name: 'inlineWebhook',
					credentials: [],
					properties: [],
					webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'inline' }],
				},
				webhook: behaviours[behaviour],
			};
			const { types: inlineTypes, node } = inlineNode('test.inlineWebhook', nodeType);
			return await runWebhook({ node, types: inlineTypes, request: { body: {} } });
		};

		expect((await run('respond')).response).toMatchObject({ status: 200, body: { ok: true }, sentBy: 'n8n' });
		expect((await run('nothing')).response).toMatchObject({ status: 200, body: { message: 'Webhook call received' }, sentBy: 'n8n' });
		expect((await run('doubleAnswer')).warnings).toEqual([expect.stringMatching(/did not return noWebhookResponse: true/)]);
		const neverEnded = await run('neverEnded');
		expect(neverEnded.warnings).toEqual([expect.stringMatching(/never ended the response/)]);
		expect(neverEnded.response).toMatchObject({ status: 204, sentBy: 'node' });
	});

	it('the recording response refuses a second answer, as Express does', () => {
		const response = new RecordingResponse();
		response.status(401).json({ message: 'no' });
		expect(() => response.send('again')).toThrow(/ERR_HTTP_HEADERS_SENT/);
		expect(() => response.setHeader('x-late', '1')).toThrow(/ERR_HTTP_HEADERS_SENT/);
		expect(response.status(500).statusCode).toBe(401); // status() after sending has no effect
		expect(response.body).toEqual({ message: 'no' });
	});

	it('resolves webhook descriptions written as parameter expressions (method, path, response mode)', async () => {
		const nodeType: INodeType = {
			description: {
				...new HarnessWebhook().description,
				name: 'expressionWebhook',
				credentials: [],
				webhooks: [
					{
						name: 'default',
						httpMethod: '={{$parameter["httpMethod"]}}',
						path: '={{$parameter["path"]}}',
						responseMode: '={{$parameter["responseMode"]}}',
					},
				],
				properties: [
					{ displayName: 'Method', name: 'httpMethod', type: 'string', default: 'PUT' },
					{ displayName: 'Path', name: 'path', type: 'string', default: 'orders/in' },
					{ displayName: 'Respond', name: 'responseMode', type: 'string', default: 'lastNode' },
				],
			},
			webhook: async () => ({ workflowData: [[{ json: { ok: true } }]] }),
		};
		const { types: inlineTypes, node } = inlineNode('test.expressionWebhook', nodeType);
		const result = await runWebhook({ node, types: inlineTypes, request: { body: { a: 1 } } });
		expect(result.request).toMatchObject({ method: 'PUT', path: '/webhook/harness-workflow/inline/orders/in' });
		expect(result.responseMode).toBe('lastNode');
		expect(result.response.sentBy).toBe('none'); // answered after the execution: not modelled
		await expect(runWebhook({ node, types: inlineTypes, request: { method: 'POST' } })).rejects.toThrow(/listens on PUT, not POST/);
	});
});

describe('webhook lifecycle: webhookMethods in HookContext', () => {
	const lifecycle = { nodeName: WEBHOOK, timeoutMs: LIMIT_MS };

	it('activation creates the remote subscription once, keeps its id in static data, delete removes it', async () => {
		const staticData = new StaticDataStore();
		const credentialStore = new CredentialStore(); // n8n keeps the OAuth2 token between activations
		const base = { ...lifecycle, workflow, types, credentials, staticData, credentialStore };

		const first = await activateWebhook(base);
		expect(first).toMatchObject({ existed: false, created: true, persisted: true, staticData: { subscriptionId: 'sub-1' } });
		expect(first.webhookUrl).toBe('http://127.0.0.1:5678/webhook/5b0c3a4e-1d2f-4c5b-9a8e-000000000001/harness-orders');
		expect([...server.subscriptions]).toEqual([['sub-1', { url: first.webhookUrl }]]);
		expect(staticData.node(WEBHOOK)).toEqual({ subscriptionId: 'sub-1' });

		const again = await activateWebhook(base);
		expect(again).toMatchObject({ existed: true, created: undefined, persisted: false });
		expect(server.subscriptions.size).toBe(1);

		server.subscriptions.clear(); // deleted remotely while n8n was down
		const healed = await activateWebhook(base);
		expect(healed).toMatchObject({ existed: false, created: true, staticData: { subscriptionId: 'sub-2' } });

		const deleted = await runWebhookMethod({ ...base, method: 'delete' });
		expect(deleted).toMatchObject({ result: true, persisted: true, staticData: {} });
		expect(server.subscriptions.size).toBe(0);
		expect(staticData.node(WEBHOOK)).toEqual({});
		// Every subscription call carried the OAuth2 bearer token n8n-core fetched in the hook context.
		expect(server.apiRequests.every((r) => r.token === server.issuedTokens[0])).toBe(true);
		expect(server.apiRequests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /api/subscriptions 201',
			'GET /api/subscriptions/sub-1 200',
			'GET /api/subscriptions/sub-1 404',
			'POST /api/subscriptions 201',
			'DELETE /api/subscriptions/sub-2 204',
		]);
	});

	it('a test webhook (manual) registers the test URL and saves nothing', async () => {
		const staticData = new StaticDataStore();
		const result = await activateWebhook({ ...lifecycle, workflow, types, credentials, staticData, mode: 'manual' });
		expect(result.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:5678\/webhook-test\//);
		expect(result.staticData).toEqual({ subscriptionId: 'sub-1' });
		expect(result.persisted).toBe(false);
		expect(staticData.saves).toEqual([]);
	});

	it('errors surface: activation rejects and nothing is saved', async () => {
		const staticData = new StaticDataStore();
		await server.close(); // the API is gone
		await expect(activateWebhook({ ...lifecycle, workflow, types, credentials, staticData })).rejects.toThrow();
		expect(staticData.saves).toEqual([]);
		server = await startOAuthTestServer({ realm: REALM, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }); // for afterEach
	});
});

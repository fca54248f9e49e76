/**
 * Self-tests of the in-process harness: real workflow JSON (manual trigger → test node →
 * no-ops) through n8n-core's WorkflowExecute, with n8n-core's real OAuth2
 * client-credentials path against a local token endpoint + API on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { INodeExecutionData, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import {
	CredentialStore,
	findSecretLeaks,
	HarnessCredentialsHelper,
	installN8nEnvironment,
	loadPackageNodeTypes,
	loadWorkflowJson,
	runWorkflow,
	startWorkflow,
	withNode,
	type CredentialData,
	type PackageTypes,
	type RunResult,
	type WorkflowJson,
} from './index';
import { createHarnessHttpNode, HARNESS_HTTP_TYPE, type HarnessHttpProbe } from './fixtures/HarnessHttp.node';
import { HARNESS_SCOPE, HarnessOAuth2Api } from './fixtures/HarnessOAuth2Api.credentials';
import { HarnessSessionApi } from './fixtures/HarnessSessionApi.credentials';
import { startOAuthTestServer, type OAuthTestServer } from './fixtures/oauth-test-server';

const CRED = 'harnessOAuth2Api';
const NODE = 'Get Item';
const REALM = 'harness-realm';
const CLIENT_ID = 'harness-client';
// A canary: if it shows up in logs, outputs or errors, something leaks the client secret.
const CLIENT_SECRET = `canary-${randomBytes(8).toString('hex')}`;
const WORKFLOW_FILE = path.join(__dirname, 'fixtures', 'oauth-items.workflow.json');
const RUN_LIMIT_MS = 10_000;

const items = (...ids: Array<string | number>): INodeExecutionData[] => ids.map((id) => ({ json: { id } }));
const ids = (out: INodeExecutionData[]) => out.map((item) => item.json.id);
const pairs = (out: INodeExecutionData[]) => out.map((item) => item.pairedItem);

/** Poll `condition` every 10 ms, failing after `timeoutMs` (every wait in these tests is bounded). */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('in-process harness: OAuth2 client credentials through real workflow JSON', () => {
	let server: OAuthTestServer;
	let probe: HarnessHttpProbe;
	let types: PackageTypes;
	let workflow: WorkflowJson;
	let credentials: Record<string, CredentialData>;

	async function startServer(options: { invalidateTokensAfterApiCalls?: number; slowMaxMs?: number } = {}) {
		server = await startOAuthTestServer({ realm: REALM, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options });
		workflow = loadWorkflowJson(WORKFLOW_FILE, { __API_BASE__: server.baseUrl });
		credentials = { [CRED]: { baseUrl: server.baseUrl, realm: REALM, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } };
	}

	const run = async (startItems: INodeExecutionData[], extra: Partial<Parameters<typeof runWorkflow>[0]> = {}) =>
		await runWorkflow({ workflow, types, credentials, startItems, timeoutMs: RUN_LIMIT_MS, ...extra });

	beforeEach(() => {
		probe = { aborts: 0 };
		types = loadPackageNodeTypes({
			includePackage: false, // the harness must not depend on our dist/ being built
			extraNodeTypes: { [HARNESS_HTTP_TYPE]: createHarnessHttpNode(probe) },
			extraCredentialTypes: [new HarnessOAuth2Api()],
		});
	});

	afterEach(async () => {
		await server?.close();
	});

	it('(a) succeeds, and every output item carries its pairedItem', async () => {
		await startServer();
		const result = await run(items(1, 2, 3));

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.nodeOrder).toEqual(['Manual Trigger', NODE, 'Succeeded']);
		expect(result.output(NODE).map((item) => item.json)).toEqual([
			{ id: '1', name: 'Item 1' },
			{ id: '2', name: 'Item 2' },
			{ id: '3', name: 'Item 3' },
		]);
		expect(pairs(result.output(NODE))).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.output(NODE, 1)).toEqual([]);
		expect(ids(result.output('Succeeded'))).toEqual(['1', '2', '3']);
		expect(() => result.output('Failed')).toThrow(/has no run 0/);
	});

	it('(b) fetches the token once, persists it, and reuses it across runs sharing the store', async () => {
		await startServer();
		const store = new CredentialStore();

		const first = await run(items(1, 2), { credentialStore: store });
		expect(first.status).toBe('success');
		expect(server.tokenRequests).toHaveLength(1);
		expect(store.oauthTokenWrites(CRED)).toBe(1);
		const [token] = server.issuedTokens;
		expect(store.oauthTokenData(CRED)).toMatchObject({ access_token: token, token_type: 'Bearer' });
		// n8n persists the token only: stored fields stay raw (no resolved defaults written back).
		expect(store.get(CRED)).not.toHaveProperty('accessTokenUrl');

		const second = await run(items(3), { credentialStore: first.credentialStore });
		expect(second.status).toBe('success');
		expect(server.tokenRequests).toHaveLength(1);
		expect(store.oauthTokenWrites(CRED)).toBe(1);
		expect(server.apiRequests.map((request) => request.token)).toEqual([token, token, token]);
	});

	it('(c) refreshes after the server invalidates tokens mid-run, retries once and the item succeeds', async () => {
		await startServer({ invalidateTokensAfterApiCalls: 1 });
		const result = await run(items(1, 2, 3));

		expect(result.status).toBe('success');
		expect(ids(result.output(NODE))).toEqual(['1', '2', '3']);
		expect(pairs(result.output(NODE))).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(server.tokenRequests).toHaveLength(2);
		expect(result.credentialStore.oauthTokenWrites(CRED)).toBe(2);
		const [oldToken, newToken] = server.issuedTokens;
		expect(server.apiRequests.map((request) => [request.path, request.status, request.token])).toEqual([
			['/api/items/1', 200, oldToken],
			['/api/items/2', 401, oldToken],
			['/api/items/2', 200, newToken],
			['/api/items/3', 200, newToken],
		]);
		expect(result.credentialStore.oauthTokenData(CRED)).toMatchObject({ access_token: newToken });
		// The refresh ran under n8n's own (in-process) LockService, not the harness fallback.
		expect(installN8nEnvironment().lockProvider).toBe('n8n LockService');
		// n8n-core's own refresh log line reaches `logs` (node-context logger is captured).
		expect(result.logs.map((line) => line.message)).toEqual(
			expect.arrayContaining([expect.stringMatching(/OAuth2 token for "harnessOAuth2Api" .* expired/)]),
		);
	});

	it('(d) requests the token at the $self-derived accessTokenUrl with the hidden client settings', async () => {
		await startServer();
		await run(items(1));

		expect(server.tokenRequests).toEqual([
			{
				path: `/auth/realms/${REALM}/protocol/openid-connect/token`,
				basicAuth: false, // authentication: 'body'
				form: expect.objectContaining({
					grant_type: 'client_credentials',
					client_id: CLIENT_ID,
					client_secret: CLIENT_SECRET,
					scope: HARNESS_SCOPE,
				}),
			},
		]);
	});

	it('(e) a 500 ends the run as error with a NodeApiError carrying httpCode 500', async () => {
		await startServer();
		const result = await run(items(1, 'fail500', 3));

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({ name: 'NodeApiError', httpCode: '500', node: { name: NODE } });
		expect(result.nodeOrder).toEqual(['Manual Trigger', NODE]);
		expect(result.run.data.resultData.lastNodeExecuted).toBe(NODE);
		expect(server.apiRequests.map((request) => request.path)).toEqual(['/api/items/1', '/api/items/fail500']);
	});

	it("(f) onError 'continueErrorOutput' routes the failing item to output 1, good items to output 0", async () => {
		await startServer();
		workflow = withNode(workflow, NODE, { onError: 'continueErrorOutput' });
		const result = await run(items(1, 'fail500', 3));

		expect(result.status).toBe('success');
		expect(ids(result.output(NODE, 0))).toEqual(['1', '3']);
		expect(pairs(result.output(NODE, 0))).toEqual([{ item: 0 }, { item: 2 }]);
		const [errorItem, ...rest] = result.output(NODE, 1);
		expect(rest).toEqual([]);
		expect(errorItem.pairedItem).toEqual({ item: 1 });
		// n8n merges the paired input item's json into the error item; the message is n8n's 5xx wording.
		expect(errorItem.json).toEqual({ id: 'fail500', error: 'The service was not able to process your request' });
		expect(ids(result.output('Succeeded'))).toEqual(['1', '3']);
		expect(result.output('Failed')).toHaveLength(1);
	});

	it("(f') onError 'continueRegularOutput' keeps the error item on output 0; retryOnFail re-runs the node", async () => {
		await startServer();
		workflow = withNode(workflow, NODE, { onError: 'continueRegularOutput' });
		const continued = await run(items('fail500', 2));
		expect(continued.status).toBe('success');
		expect(continued.output(NODE).map((item) => Object.keys(item.json))).toEqual([['error'], ['id', 'name']]);

		// (waitBetweenTries 0 would become n8n's 1000 ms default: the engine reads it with `|| 1000`.)
		workflow = withNode(workflow, NODE, { onError: 'stopWorkflow', retryOnFail: true, maxTries: 2, waitBetweenTries: 10 });
		const retried = await run(items('fail500'));
		expect(retried.status).toBe('error');
		// The engine re-ran the whole node once more before giving up.
		expect(server.apiRequests.filter((request) => request.path === '/api/items/fail500')).toHaveLength(3);
	});

	it('(g) cancelAfterMs cancels a slow request: status canceled, the node saw the abort signal', async () => {
		await startServer({ slowMaxMs: 8_000 });
		const started = Date.now();
		const result = await run(items('slow'), { cancelAfterMs: 300 });

		expect(result.status).toBe('canceled');
		expect(result.error).toMatchObject({ name: 'NodeApiError', message: 'canceled' }); // the aborted request
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(probe.aborts).toBe(1);
		await waitFor(() => server.abortedSlowRequests === 1, 'the server to see the request aborted');
	});

	it("(g') cancel() on a started run does the same", async () => {
		await startServer({ slowMaxMs: 8_000 });
		const running = startWorkflow({ workflow, types, credentials, startItems: items('slow'), timeoutMs: RUN_LIMIT_MS });
		await waitFor(() => server.apiRequests.some((request) => request.path === '/api/items/slow'), 'the slow request');
		running.cancel();
		const result = await running.result;

		expect(result.status).toBe('canceled');
		expect(probe.aborts).toBe(1);
	});

	it('timeoutMs rejects with a clear error and cancels the execution', async () => {
		await startServer({ slowMaxMs: 8_000 });
		await expect(run(items('slow'), { timeoutMs: 300 })).rejects.toThrow(
			/did not finish within 300 ms and was canceled \(nodes started: Manual Trigger → Get Item\)/,
		);
		await waitFor(() => probe.aborts === 1, 'the node to see the abort');
	});

	it('(h) the client secret and tokens never appear in logs; the secret not in outputs or errors', async () => {
		await startServer({ invalidateTokensAfterApiCalls: 1 });
		const runs: RunResult[] = [await run(items(1, 2)), await run(items(3, 'fail500'))];
		expect(runs.map((result) => result.status)).toEqual(['success', 'error']);

		const logs = runs.flatMap((result) => result.logs);
		// The scan is only meaningful if logging was captured at all.
		expect(logs.map((line) => line.message)).toEqual(
			expect.arrayContaining(['Workflow execution started', expect.stringMatching(/Revalidating/)]),
		);
		expect(findSecretLeaks([CLIENT_SECRET, ...server.issuedTokens], { logs })).toEqual([]);
		expect(
			findSecretLeaks([CLIENT_SECRET], {
				runData: runs.map((result) => result.run.data.resultData.runData),
				errors: runs.map((result) => result.error),
			}),
		).toEqual([]);
		// Positive control for the scanner itself.
		expect(findSecretLeaks([CLIENT_SECRET], { planted: new Error(`oops ${CLIENT_SECRET}`) })).toEqual([
			'planted contains secret #0',
		]);
	});
});

describe('in-process harness: preAuthentication credentials', () => {
	let server: OAuthTestServer;
	afterEach(async () => await server.close());

	it('fetches the expirable token when empty, persists it, and refreshes once on 401', async () => {
		server = await startOAuthTestServer({
			realm: REALM,
			clientId: CLIENT_ID,
			clientSecret: CLIENT_SECRET,
			invalidateTokensAfterApiCalls: 1,
		});
		const types = loadPackageNodeTypes({
			includePackage: false,
			extraNodeTypes: { [HARNESS_HTTP_TYPE]: createHarnessHttpNode(undefined, 'harnessSessionApi') },
			extraCredentialTypes: [new HarnessSessionApi()],
		});
		const workflow = loadWorkflowJson(WORKFLOW_FILE, {
			__API_BASE__: server.baseUrl,
			'"harnessOAuth2Api"': '"harnessSessionApi"',
		});
		const result = await runWorkflow({
			workflow,
			types,
			credentials: { harnessSessionApi: { baseUrl: server.baseUrl, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } },
			startItems: items(1, 2),
			timeoutMs: RUN_LIMIT_MS,
		});

		expect(result.status).toBe('success');
		expect(ids(result.output(NODE))).toEqual(['1', '2']);
		expect(server.sessionRequests).toBe(2); // empty field, then the 401
		const [first, second] = server.issuedTokens;
		expect(server.apiRequests.map((request) => [request.status, request.token])).toEqual([
			[200, first],
			[401, first],
			[200, second],
		]);
		expect(result.credentialStore.writes.map((write) => [write.kind, write.data.sessionToken])).toEqual([
			['credentials', first],
			['credentials', second],
		]);
		expect(result.credentialStore.get('harnessSessionApi').sessionToken).toBe(second);
	});
});

describe('in-process harness: credentials helper', () => {
	const { credentialTypes, nodeTypes } = loadPackageNodeTypes({
		includePackage: false,
		extraCredentialTypes: [new HarnessOAuth2Api()],
	});
	const additionalData = {
		variables: {},
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
	} as unknown as IWorkflowExecuteAdditionalData;
	const nodeCredentials = { id: 'harnessCred00001', name: 'Harness OAuth2' };

	it('getDecrypted applies parent + child defaults and resolves $self expressions', async () => {
		const store = new CredentialStore({ [CRED]: { baseUrl: 'https://erp.example.com', realm: 'r1', clientId: 'c' } });
		const helper = new HarnessCredentialsHelper(credentialTypes, nodeTypes, store);

		const decrypted = await helper.getDecrypted(additionalData, nodeCredentials, CRED, 'manual');
		expect(decrypted).toMatchObject({
			accessTokenUrl: 'https://erp.example.com/auth/realms/r1/protocol/openid-connect/token',
			grantType: 'clientCredentials', // child overrides the parent's 'authorizationCode'
			authentication: 'body', // child overrides the parent's 'header'
			scope: HARNESS_SCOPE,
			clientId: 'c',
			clientSecret: '', // parent default
		});
		// Hidden by the grant type (display options) or not inherited, as in n8n.
		expect(decrypted).not.toHaveProperty('authUrl');
		expect(decrypted).not.toHaveProperty('tokenExpiredStatusCode');
		// `raw` and getCredentials().getData() are the stored data untouched.
		expect(await helper.getDecrypted(additionalData, nodeCredentials, CRED, 'manual', undefined, true)).toEqual(
			store.get(CRED),
		);
		expect(await (await helper.getCredentials(nodeCredentials, CRED)).getData()).toEqual(store.get(CRED));
	});

	it('walks `extends` and merges properties; isCredentialUsableByNode follows restrictToSupportedNodes', () => {
		const helper = new HarnessCredentialsHelper(credentialTypes, nodeTypes, new CredentialStore());
		expect(helper.getParentTypes(CRED)).toEqual(['oAuth2Api']);
		const names = helper.getCredentialsProperties(CRED).map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['clientId', 'clientSecret', 'baseUrl', 'realm', 'oauthTokenData']));
		expect(names.filter((name) => name === 'grantType')).toHaveLength(1);

		credentialTypes.register({
			name: 'restrictedApi',
			displayName: 'Restricted',
			properties: [],
			restrictToSupportedNodes: true,
			supportedNodes: ['ifsCloud'],
		});
		expect(helper.isCredentialUsableByNode('restrictedApi', 'n8n-nodes-ml-connector.ifsCloud')).toBe(true);
		expect(helper.isCredentialUsableByNode('restrictedApi', 'test.harnessHttp')).toBe(false);
		expect(helper.isCredentialUsableByNode(CRED, 'test.harnessHttp')).toBe(true);
		expect(helper.isCredentialUsableByNode('unknownApi', 'test.harnessHttp')).toBe(true);
	});
});

describe('in-process harness: loadPackageNodeTypes', () => {
	let root: string;
	beforeEach(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-harness-pkg-'));
	});
	afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

	const writeManifest = () =>
		fs.writeFileSync(
			path.join(root, 'package.json'),
			JSON.stringify({
				name: 'n8n-nodes-ml-connector',
				n8n: { nodes: ['dist/nodes/Demo/Demo.node.js'], credentials: ['dist/credentials/DemoApi.credentials.js'] },
			}),
		);

	it('tells the developer to build when dist/ is missing', () => {
		writeManifest();
		expect(() => loadPackageNodeTypes({ packageRoot: root })).toThrow(/Run `npm run build`/);
	});

	it('registers compiled nodes as n8n-nodes-ml-connector.<name> and credentials by name, plus built-ins', () => {
		writeManifest();
		fs.mkdirSync(path.join(root, 'dist/nodes/Demo'), { recursive: true });
		fs.mkdirSync(path.join(root, 'dist/credentials'), { recursive: true });
		fs.writeFileSync(
			path.join(root, 'dist/nodes/Demo/Demo.node.js'),
			"exports.Demo = class Demo { constructor() { this.description = { name: 'demo', version: 1, properties: [] }; } };",
		);
		fs.writeFileSync(
			path.join(root, 'dist/credentials/DemoApi.credentials.js'),
			"exports.DemoApi = class DemoApi { constructor() { this.name = 'demoApi'; this.properties = []; } };",
		);

		const { nodeTypes, credentialTypes } = loadPackageNodeTypes({ packageRoot: root });
		expect(Object.keys(nodeTypes.getKnownTypes()).sort()).toEqual([
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.noOp',
			'n8n-nodes-ml-connector.demo',
		]);
		expect(nodeTypes.getByNameAndVersion('n8n-nodes-ml-connector.demo', 1).description.name).toBe('demo');
		expect(credentialTypes.recognizes('demoApi')).toBe(true);
		expect(credentialTypes.recognizes('oAuth2Api')).toBe(true);
		expect(() => nodeTypes.getByName('n8n-nodes-base.set')).toThrow(/Unknown node type "n8n-nodes-base.set"/);
	});

	it('insists on the class named after the file, as n8n does', () => {
		writeManifest();
		fs.mkdirSync(path.join(root, 'dist/nodes/Demo'), { recursive: true });
		fs.mkdirSync(path.join(root, 'dist/credentials'), { recursive: true });
		fs.writeFileSync(path.join(root, 'dist/nodes/Demo/Demo.node.js'), 'exports.Other = class Other {};');
		fs.writeFileSync(path.join(root, 'dist/credentials/DemoApi.credentials.js'), 'exports.DemoApi = class DemoApi {};');
		expect(() => loadPackageNodeTypes({ packageRoot: root })).toThrow(/must export a class named "Demo"/);
	});
});

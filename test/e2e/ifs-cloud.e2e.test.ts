/**
 * The IFS Cloud node and credential in a REAL n8n 2.41.1: the package is packed with `npm pack`
 * and installed the way n8n installs community packages; the shipped templates are imported and
 * run with `n8n execute` and through the editor's REST API against the IFS sandbox process.
 *
 * Run: npx jest -c jest.e2e.config.js   (builds, provisions n8n on first use; see test/e2e/README.md)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { StatsSummary } from '../sandbox/ifs/control';
import { type RemoteIfsSandbox, spawnIfsSandbox } from '../sandbox/ifs/process';
import {
	IFS_CREDENTIAL_ID,
	IFS_CREDENTIAL_NAME,
	IFS_CREDENTIAL_TYPE,
	IFS_NODE_TYPE,
	N8N_VERSION,
	N8nInstance,
	N8nRest,
	type PackedPackage,
	type WorkflowJson,
	PACKAGE_NAME,
	REPO_ROOT,
	TEMPLATE_IDS,
	communityNodesFolder,
	executionItems,
	ifsCredential,
	loadTemplates,
	packRepository,
	setNodeValue,
	tail,
	template,
	triggerName,
	sleep,
	waitFor,
	stopAll,
} from './lib';

const PROJECTION = 'CustomerOrderHandling';
const ORDER_SET = 'CustomerOrderSet';
const COMPANY = '10';
/** A copy of the read template wired to a credential with a wrong secret (ids are 16 characters, as n8n wants). */
const BAD_CREDENTIAL_ID = 'mlcE2eIfsBadCrd1';
const BAD_WORKFLOW_ID = 'mlcE2eIfsBadRun1';
const WRONG_SECRET = 'wrong-secret-e2e-cli-93be1';
const SELECTED = ['OrderNo', 'CustomerNo', 'CustomerPoNo', 'Objstate', 'Contract', 'Company', 'CurrencyCode', 'WantedDeliveryDate', 'TotalAmount'];

/** What the create-or-find template's "Order from source" node sets. */
const sourceValue = (name: string) => setNodeValue(template(TEMPLATE_IDS.createOrFindThenUpdate), 'Order from source', name);

/** An IFS Cloud Event Trigger workflow and its shared-secret credential (ids are 16 characters). */
const EVENT_SECRET = 'e2e-event-secret-9c41d7a2b6f05e83';
const EVENT_WEBHOOK_ID = '5b0e7a61-3f2c-4c8e-9d1a-0e2e00000001';
const EVENT_WORKFLOW: WorkflowJson = {
	id: 'mlcE2eIfsEvent01',
	name: 'IFS Cloud event (e2e)',
	nodes: [
		{
			id: 'e2e-event-trigger',
			name: 'IFS Cloud Event Trigger',
			type: 'n8n-nodes-ml-connector.ifsCloudEventTrigger',
			typeVersion: 1,
			position: [0, 0],
			webhookId: EVENT_WEBHOOK_ID,
			parameters: {},
			credentials: { ifsCloudEventApi: { id: 'mlcE2eIfsEvtCrd1', name: 'IFS Cloud events (e2e)' } },
		},
		{ id: 'e2e-event-handle', name: 'Handle event', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
	],
	connections: { 'IFS Cloud Event Trigger': { main: [[{ node: 'Handle event', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
} as WorkflowJson;

let sandbox: RemoteIfsSandbox | undefined;
let pack: PackedPackage | undefined;
let n8n: N8nInstance | undefined;

async function resetSandbox(): Promise<void> {
	await sandbox!.reset();
}

async function ordersOfCompany(): Promise<Array<Record<string, unknown>>> {
	const rows = await sandbox!.rows(PROJECTION, ORDER_SET);
	return rows.filter((row) => row.Company === COMPANY).sort((a, b) => String(a.OrderNo).localeCompare(String(b.OrderNo)));
}

function requestsTo(stats: StatsSummary, method: string, pathPart: string) {
	return stats.log.filter((entry) => entry.method === method && entry.path.includes(pathPart));
}

function withCredential(workflow: WorkflowJson, id: string, credentialId: string): WorkflowJson {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowJson;
	copy.id = id;
	copy.name = `${workflow.name} (wrong secret)`;
	for (const node of copy.nodes) {
		const credentials = node.credentials as Record<string, { id: string; name: string }> | undefined;
		if (credentials?.[IFS_CREDENTIAL_TYPE]) credentials[IFS_CREDENTIAL_TYPE] = { id: credentialId, name: 'IFS Cloud (wrong secret)' };
	}
	return copy;
}

beforeAll(async () => {
	try {
		sandbox = await spawnIfsSandbox({});
		pack = await packRepository();
		n8n = await N8nInstance.create();
		await n8n.installPackage(pack.tarball);
		await n8n.importCredentials([
			ifsCredential(sandbox),
			{ ...ifsCredential(sandbox, { clientSecret: WRONG_SECRET }), id: BAD_CREDENTIAL_ID, name: 'IFS Cloud (wrong secret)' },
			{ id: 'mlcE2eIfsEvtCrd1', name: 'IFS Cloud events (e2e)', type: 'ifsCloudEventApi', data: { headerName: 'X-IFS-Event-Secret', secret: EVENT_SECRET } },
		]);
		await n8n.importWorkflows([...loadTemplates(), withCredential(template(TEMPLATE_IDS.readAllRows), BAD_WORKFLOW_ID, BAD_CREDENTIAL_ID), EVENT_WORKFLOW]);
	} catch (error) {
		// afterAll still runs and cleans up; say what n8n printed.
		if (n8n) console.error(`n8n logs in ${n8n.logDir}`);
		throw error;
	}
}, 300_000);

afterAll(async () => {
	await stopAll([() => n8n?.dispose(), () => sandbox?.close(), () => pack?.dispose()]);
}, 60_000);

describe(`${PACKAGE_NAME} installed as a community package in n8n ${N8N_VERSION}`, () => {
	it('ships every file n8n loads, and n8n finds it in <user folder>/.n8n/nodes', () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
		const entryPoints = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(entryPoints.length).toBeGreaterThan(0);
		for (const file of entryPoints) expect(pack!.files).toContain(file);
		// Icons referenced as file: paths must be in the tarball too.
		expect(pack!.files).toEqual(expect.arrayContaining(['dist/nodes/IfsCloud/ifsCloud.svg', 'dist/nodes/IfsCloud/ifsCloud.dark.svg']));
		// Nothing but dist/ and the package files (no tests, no sources).
		expect(pack!.files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file))).toEqual([]);
		expect(pack!.files.filter((file) => /\.test\.|^dist\/test\//.test(file))).toEqual([]);

		const installed = path.join(communityNodesFolder(n8n!.userFolder), 'node_modules', PACKAGE_NAME);
		for (const file of entryPoints) expect(fs.existsSync(path.join(installed, file))).toBe(true);
	});
});

describe('templates run with `n8n execute` against the IFS sandbox', () => {
	it('"read all rows of an entity set" returns every order of the default company with the selected fields', async () => {
		await resetSandbox();
		const result = await n8n!.execute(TEMPLATE_IDS.readAllRows);
		if (result.status !== 'success') throw new Error(`execute failed (rc ${result.rc}): ${JSON.stringify(result.error)}\n${tail(result.stdout)}\n${tail(result.stderr)}`);

		const expected = await ordersOfCompany();
		expect(expected.length).toBeGreaterThan(5);
		const items = result.items('Read customer orders');
		expect(items.map((item) => item.OrderNo)).toEqual(expected.map((row) => row.OrderNo));
		for (const [index, item] of items.entries()) {
			for (const field of SELECTED) expect(item[field]).toEqual(expected[index][field]);
		}
		// $select kept the rows small: no unselected data fields (annotations and IFS row ids may stay).
		expect(Object.keys(items[0]).filter((key) => !SELECTED.includes(key) && !key.startsWith('@odata.') && !['luname', 'keyref'].includes(key))).toEqual([]);
		// The default company filter went to IFS, not applied after reading everything.
		const stats = await sandbox!.stats(true);
		const reads = requestsTo(stats, 'GET', `/${ORDER_SET}`);
		expect(reads.length).toBeGreaterThan(0);
		expect(reads.every((entry) => (entry.query.$filter ?? '').includes(`Company eq '${COMPANY}'`))).toBe(true);
	});

	it('"create or find … then update it safely": a re-run creates nothing twice, and the ETag update survives a concurrent writer', async () => {
		await resetSandbox();
		const orderNo = sourceValue('orderNo');
		const before = await sandbox!.rows(PROJECTION, ORDER_SET);
		expect(before.some((row) => row.OrderNo === orderNo)).toBe(false);
		// Someone else edits the order's Note between our read and our If-Match write.
		await sandbox!.faults({ concurrentWriter: { projection: PROJECTION, entitySet: ORDER_SET, times: 1, field: 'Note' } });

		const first = await n8n!.execute(TEMPLATE_IDS.createOrFindThenUpdate);
		if (first.status !== 'success') throw new Error(`first run failed (rc ${first.rc}): ${JSON.stringify(first.error)}\n${tail(first.stdout)}`);
		const [created] = first.items('Create or find order');
		expect(created).toMatchObject({
			OrderNo: orderNo,
			CustomerPoNo: sourceValue('sourceOrderId'),
			WantedDeliveryDate: sourceValue('requestedDate'),
			_trace: { action: 'created', source: { system: 'Amazon Seller Central', id: sourceValue('sourceOrderId') } },
		});
		const [updated] = first.items('Apply promised date');
		expect(updated).toMatchObject({
			OrderNo: orderNo,
			WantedDeliveryDate: sourceValue('promisedDate'),
			Note: 'concurrent-writer-1',
			_trace: { action: 'updated' },
		});
		const firstStats = await sandbox!.stats(true);
		expect(firstStats.byStatus[412]).toBe(1); // the conflict happened, and was resolved by re-reading
		expect(requestsTo(firstStats, 'POST', `/${ORDER_SET}`)).toHaveLength(1);

		const second = await n8n!.execute(TEMPLATE_IDS.createOrFindThenUpdate);
		if (second.status !== 'success') throw new Error(`second run failed (rc ${second.rc}): ${JSON.stringify(second.error)}\n${tail(second.stdout)}`);
		const [found] = second.items('Create or find order');
		expect(found).toMatchObject({ OrderNo: orderNo, _trace: { action: 'found' } });
		const [unchanged] = second.items('Apply promised date');
		expect(unchanged).toMatchObject({ WantedDeliveryDate: sourceValue('promisedDate'), _trace: { action: 'unchanged' } });

		const after = await sandbox!.rows(PROJECTION, ORDER_SET);
		expect(after).toHaveLength(before.length + 1);
		const row = after.find((candidate) => candidate.OrderNo === orderNo)!;
		// End state: our promised date applied, the other writer's note kept.
		expect(row).toMatchObject({ WantedDeliveryDate: sourceValue('promisedDate'), Note: 'concurrent-writer-1', Company: COMPANY });
		const allStats = await sandbox!.stats(true);
		expect(requestsTo(allStats, 'POST', `/${ORDER_SET}`)).toHaveLength(1);
		expect(requestsTo(allStats, 'PATCH', `/${ORDER_SET}`)).toHaveLength(2); // 412, then the re-applied write; none on the re-run
	});
	it('"release planned customer orders": the bound action runs with the row\'s ETag, and a re-run releases the next orders', async () => {
		await resetSandbox();
		const planned = (await ordersOfCompany())
			.filter((row) => row.Objstate === 'Planned')
			.sort((a, b) => String(a.WantedDeliveryDate).localeCompare(String(b.WantedDeliveryDate)) || String(a.OrderNo).localeCompare(String(b.OrderNo)))
			.map((row) => String(row.OrderNo));
		expect(planned.length).toBeGreaterThanOrEqual(3); // the template's limit is 2: two runs are needed
		await sandbox!.faults({ concurrentWriter: { projection: PROJECTION, entitySet: ORDER_SET, times: 1, field: 'Note' } });

		const first = await n8n!.execute(TEMPLATE_IDS.releasePlanned);
		if (first.status !== 'success') throw new Error(`first run failed (rc ${first.rc}): ${JSON.stringify(first.error)}\n${tail(first.stdout)}`);
		expect(first.items('Find planned orders').map((item) => item.OrderNo)).toEqual(planned.slice(0, 2));
		const released = first.items('Release order');
		expect(released).toHaveLength(2);
		for (const [index, item] of released.entries()) {
			expect(item).toMatchObject({ _trace: { action: 'called', target: { id: `${PROJECTION}/${ORDER_SET}(OrderNo='${planned[index]}')` } } });
		}
		expect((await sandbox!.stats()).byStatus[412]).toBe(1); // the concurrent edit was met with a re-read, not an error

		const second = await n8n!.execute(TEMPLATE_IDS.releasePlanned);
		if (second.status !== 'success') throw new Error(`second run failed (rc ${second.rc}): ${JSON.stringify(second.error)}\n${tail(second.stdout)}`);
		expect(second.items('Find planned orders').map((item) => item.OrderNo)).toEqual(planned.slice(2, 4));

		const states = new Map((await ordersOfCompany()).map((row) => [String(row.OrderNo), row.Objstate]));
		for (const orderNo of planned.slice(0, 4)) expect(states.get(orderNo)).toBe('Released');
		for (const orderNo of planned.slice(4)) expect(states.get(orderNo)).toBe('Planned');
	});
});

describe('a failing run through `n8n execute`', () => {
	it('a wrong client secret ends the run with status "error", a clear message, and no secret in the output', async () => {
		await resetSandbox();
		const result = await n8n!.execute(BAD_WORKFLOW_ID);
		expect(result.status).toBe('error');
		expect([1, 139]).toContain(result.rc);
		expect(result.run?.data.resultData.lastNodeExecuted).toBe('Read customer orders');
		const error = result.error as { message?: string; description?: string; httpCode?: string; node?: { name?: string } };
		expect(error.node?.name).toBe('Read customer orders');
		expect(error.httpCode).toBe('401');
		expect(error.message).toMatch(/rejected client "MLC_INTEGRATION"/);
		expect(error.description).toMatch(/secret/i); // says how to fix it
		const printed = result.stdout + result.stderr;
		expect(printed).not.toContain(WRONG_SECRET);
		expect(printed).not.toContain(sandbox!.clientSecret);
		// Nothing was read: the token request was refused, no API call was made.
		const stats = await sandbox!.stats(true);
		expect(stats.apiRequests).toBe(0);
		expect(requestsTo(stats, 'POST', '/openid-connect/token').every((entry) => entry.status === 401)).toBe(true);
	});
});

describe('n8n server mode: types, the credential test and an editor-style run', () => {
	let rest: N8nRest;

	beforeAll(async () => {
		await n8n!.start(180_000);
		rest = await N8nRest.asNewOwner(n8n!.baseUrl);
	}, 240_000);

	afterAll(async () => {
		await n8n?.stop();
	}, 60_000);

	it('knows the node type and the credential type', async () => {
		const nodes = await rest.call<Array<{ name: string; credentials?: Array<{ name: string }> }>>('GET', '/types/nodes.json');
		const ifs = nodes.find((node) => node.name === IFS_NODE_TYPE);
		expect(ifs).toBeDefined();
		expect(ifs!.credentials?.map((credential) => credential.name)).toContain(IFS_CREDENTIAL_TYPE);
		const credentials = await rest.call<Array<{ name: string; extends?: string[] }>>('GET', '/types/credentials.json');
		expect(credentials.find((credential) => credential.name === IFS_CREDENTIAL_TYPE)).toMatchObject({ extends: ['oAuth2Api'] });
	});

	it('the credential test (POST /rest/credentials/test) passes for the valid client: token fetched, userinfo called', async () => {
		await resetSandbox();
		const response = await rest.call<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: IFS_CREDENTIAL_ID, name: IFS_CREDENTIAL_NAME, type: IFS_CREDENTIAL_TYPE, data: ifsCredential(sandbox!).data },
		});
		expect(response).toEqual({ status: 'OK', message: 'Connection successful!' });
		const stats = await sandbox!.stats(true);
		const token = requestsTo(stats, 'POST', `/auth/realms/${sandbox!.realm}/protocol/openid-connect/token`);
		const userinfo = requestsTo(stats, 'GET', `/auth/realms/${sandbox!.realm}/protocol/openid-connect/userinfo`);
		expect(token.map((entry) => entry.status)).toEqual([200]);
		expect(userinfo.map((entry) => entry.status)).toEqual([200]);
	});

	it('the credential test fails clearly for a wrong secret and does not echo it', async () => {
		await resetSandbox();
		const wrongSecret = 'wrong-secret-e2e-7f3a9c';
		const response = await rest.call<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: IFS_CREDENTIAL_ID, name: IFS_CREDENTIAL_NAME, type: IFS_CREDENTIAL_TYPE, data: ifsCredential(sandbox!, { clientSecret: wrongSecret }).data },
		});
		expect(response.status).toBe('Error');
		expect(response.message).toMatch(/access token/i);
		expect(response.message).toMatch(/client authentication failed/i);
		expect(JSON.stringify(response)).not.toContain(wrongSecret);
		expect(JSON.stringify(response)).not.toContain(sandbox!.clientSecret);
		const stats = await sandbox!.stats(true);
		expect(requestsTo(stats, 'POST', '/openid-connect/token').map((entry) => entry.status)).toEqual([401]);
		expect(requestsTo(stats, 'GET', '/openid-connect/userinfo')).toEqual([]);
	});

	it('the editor flow (open the saved credential, change the secret, test) also fails, though a token is cached', async () => {
		// The CLI runs above stored an access token with the credential.
		const saved = await rest.call<{ data: Record<string, unknown> }>('GET', `/rest/credentials/${IFS_CREDENTIAL_ID}?includeData=true`);
		expect(saved.data.oauthTokenData).toBeTruthy();
		expect(JSON.stringify(saved)).not.toContain(sandbox!.clientSecret); // n8n redacts the stored secret
		const wrongSecret = 'another-wrong-secret-51d2';
		const response = await rest.call<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: IFS_CREDENTIAL_ID, name: IFS_CREDENTIAL_NAME, type: IFS_CREDENTIAL_TYPE, data: { ...saved.data, clientSecret: wrongSecret } },
		});
		expect(response.status).toBe('Error');
		expect(response.message).toMatch(/client authentication failed/i);
		expect(JSON.stringify(response)).not.toContain(wrongSecret);
	});

	it('the event credential is tested by the trigger node (testedBy) through n8n\'s credential test', async () => {
		const test = async (secret: string) =>
			await rest.call<{ status: string; message: string }>('POST', '/rest/credentials/test', {
				credentials: { id: 'mlcE2eIfsEvtCrd1', name: 'IFS Cloud events (e2e)', type: 'ifsCloudEventApi', data: { headerName: 'X-IFS-Event-Secret', secret } },
			});
		expect(await test(EVENT_SECRET)).toEqual({ status: 'OK', message: 'Header and secret are usable' });
		const short = await test('short');
		expect(short.status).toBe('Error');
		expect(short.message).toMatch(/at least 24/);
	});

	it('the IFS Cloud Event Trigger answers a wrong secret 401 with no execution, and the right one with one execution', async () => {
		await rest.activate(EVENT_WORKFLOW.id);
		const url = `${n8n!.baseUrl}/webhook/${EVENT_WEBHOOK_ID}/ifs-event`;
		const post = async (headers: Record<string, string>) =>
			await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify({ event: 'ORDER_RELEASED', OrderNo: 'C1000007' }),
				signal: AbortSignal.timeout(15_000),
			});
		// Right after activation n8n may still answer 404 "not registered": wait for the route.
		const wrong = await waitFor('the event webhook to be registered', async () => {
			const response = await post({ 'X-IFS-Event-Secret': 'not-the-secret' });
			return response.status === 404 ? undefined : response;
		}, { timeoutMs: 20_000, intervalMs: 200 });
		expect(wrong.status).toBe(401);
		expect(await wrong.text()).not.toContain(EVENT_SECRET);
		expect((await post({})).status).toBe(401);
		await sleep(1500);
		expect(await rest.executions(EVENT_WORKFLOW.id)).toEqual([]);

		const right = await post({ 'X-IFS-Event-Secret': EVENT_SECRET });
		expect(right.status).toBe(200);
		const executions = await waitFor('one event execution', async () => {
			const list = await rest.executions(EVENT_WORKFLOW.id);
			return list.length && list.every((execution) => execution.status === 'success') ? list : undefined;
		}, { timeoutMs: 30_000, intervalMs: 300 });
		expect(executions).toHaveLength(1);
		const execution = await rest.waitForExecution(executions[0].id);
		expect(executionItems(execution, 'Handle event')).toEqual([expect.objectContaining({ event: 'ORDER_RELEASED', OrderNo: 'C1000007' })]);
	});

	it('"read all rows" run from the editor (POST /rest/workflows/{id}/run) succeeds with the same rows', async () => {
		await resetSandbox();
		const workflow = template(TEMPLATE_IDS.readAllRows);
		const executionId = await rest.runWorkflow(workflow.id, triggerName(workflow));
		const execution = await rest.waitForExecution(executionId, 120_000);
		expect(execution.status).toBe('success');
		const items = executionItems(execution, 'Read customer orders');
		expect(items.map((item) => item.OrderNo)).toEqual((await ordersOfCompany()).map((row) => row.OrderNo));
	});
});

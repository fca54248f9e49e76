/**
 * What users see when things are wrong, and what they must never see: clear messages with a
 * how-to-fix description for bad credentials, missing projections and missing grants; no secret
 * or token in any output, error, log or stored run data (checked with canary secrets).
 */
import type { IDataObject } from 'n8n-workflow';

import { type RunResult, findSecretLeaks } from '../../harness';
import { type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, locator, runIfs } from './helpers';

const CANARY_SECRET = 'CANARY-8f3a1c-client-secret-do-not-leak';
const CLIENT = 'MLC_CANARY';

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox({ clients: { [CLIENT]: CANARY_SECRET }, deniedProjections: ['VoucherHandling'] });
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.faults.clear();
	sandbox.stats.reset();
});

const ORDERS = { projection: locator('CustomerOrderHandling'), entitySet: locator('CustomerOrderSet') };
const getMany = (extra: IDataObject = {}) => ({ operation: 'getMany', ...ORDERS, returnAll: true, ...extra });
const description = (result: RunResult) => String((result.error as { description?: unknown } | undefined)?.description ?? '');

/** Every place a secret could surface: outputs (both branches), the error, logs, the whole run. */
function expectNoLeaks(result: RunResult, extraSecrets: string[] = []) {
	const token = result.credentialStore.oauthTokenData('ifsCloudOAuth2Api')?.access_token;
	const secrets = [CANARY_SECRET, encodeURIComponent(CANARY_SECRET), ...extraSecrets];
	if (typeof token === 'string') secrets.push(token);
	const places = {
		output: result.run.data.resultData.runData,
		error: result.error ? { ...result.error, message: result.error.message, description: description(result), stack: result.error.stack } : null,
		logs: result.logs,
		run: JSON.parse(JSON.stringify(result.run)) as unknown,
	};
	expect(findSecretLeaks(secrets, places)).toEqual([]);
}

describe('credential problems', () => {
	test('a wrong client secret says which client was rejected and what to renew, without the secret', async () => {
		const wrong = `${CANARY_SECRET}-WRONG`;
		const result = await runIfs({ sandbox, parameters: getMany(), credentials: { clientId: CLIENT, clientSecret: wrong } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`IFS Cloud IAM rejected client "${CLIENT}" (invalid_client)`);
		expect(description(result)).toMatch(/IAM Client.*copy its current secret/);
		expectNoLeaks(result, [wrong]);
	});

	test('a System URL with a trailing slash and a realm with spaces around it still reach the realm\'s token endpoint', async () => {
		const result = await runIfs({ sandbox, parameters: getMany(), credentials: { clientId: CLIENT, clientSecret: CANARY_SECRET, systemUrl: ` ${sandbox.url}// `, realm: ` ${sandbox.realm} ` } });
		expect(result.status).toBe('success');
		expect(sandbox.stats.authRequests).toBeGreaterThan(0);
	});

	test('an unknown realm points at the Realm field', async () => {
		const result = await runIfs({ sandbox, parameters: getMany(), credentials: { clientId: CLIENT, clientSecret: CANARY_SECRET, realm: 'nosuchrealm' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/realm "nosuchrealm" was not found/);
		expect(description(result)).toMatch(/Realm field/);
		expectNoLeaks(result);
	});

	test('an empty System URL fails before any request, saying what to fill in', async () => {
		const result = await runIfs({ sandbox, parameters: getMany(), credentials: { clientId: CLIENT, clientSecret: CANARY_SECRET, systemUrl: '' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/System URL is empty/);
		expect(description(result)).toMatch(/fill in System URL/);
		expect(sandbox.stats.totalRequests).toBe(0);
	});
});

describe('projection problems', () => {
	const credentials = { clientId: CLIENT, clientSecret: CANARY_SECRET };

	test('a projection that does not exist explains where to check the name', async () => {
		const result = await runIfs({ sandbox, parameters: getMany({ projection: locator('CustomerOrderHandlingX') }), credentials });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Projection CustomerOrderHandlingX .* not found on the \/int deployment/);
		expect(description(result)).toMatch(/API Explorer/);
		expectNoLeaks(result);
	});

	test('a projection only exposed on /main suggests switching the deployment, and works on /main', async () => {
		const parameters = getMany({ projection: locator('CustomerHandling'), entitySet: locator('CustomerInfoSet') });
		const onInt = await runIfs({ sandbox, parameters, credentials });
		expect(onInt.status).toBe('error');
		expect(description(onInt)).toMatch(/switching "API Deployment"/);

		const onMain = await runIfs({ sandbox, parameters: { ...parameters, options: { deployment: 'main' } }, credentials });
		expect(onMain.status).toBe('success');
		expect(jsonOf(onMain.output(IFS_NODE)).length).toBe(sandbox.data.count('CustomerHandling', 'CustomerInfoSet'));
	});

	test('a projection the service user has no grant for (403) names the permission set to fix', async () => {
		const result = await runIfs({
			sandbox,
			parameters: getMany({ projection: locator('VoucherHandling'), entitySet: locator('VoucherSet') }),
			credentials,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/IFS Cloud denied access to VoucherHandling/);
		expect(description(result)).toMatch(/Permission Sets, grant the projection/);
		expect((result.error as { httpCode?: string }).httpCode).toBe('403');
		expectNoLeaks(result);
	});

	test('an entity set that is not in the projection lists the ones that are', async () => {
		const result = await runIfs({ sandbox, parameters: getMany({ entitySet: locator('CustomerOrderSetX') }), credentials });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Entity set "CustomerOrderSetX" is not in projection CustomerOrderHandling');
		expect(description(result)).toMatch(/CustomerOrderLineSet.*CustomerOrderSet/);
	});

	test("an invalid filter passes on IFS's own words plus how to write filters", async () => {
		const result = await runIfs({ sandbox, parameters: getMany({ filter: 'Contract eq S100' }), credentials });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^IFS Cloud rejected the request: /);
		expect(description(result)).toMatch(/single quotes/);
	});
});

describe('continue on fail and the error output', () => {
	const credentials = { clientId: CLIENT, clientSecret: CANARY_SECRET };
	const getByKey = { operation: 'get', ...ORDERS, key: { fields: [{ name: 'OrderNo', value: '={{ $json.OrderNo }}' }] } };

	test('"Continue (using error output)": failing items go to the error output, paired with their input', async () => {
		const good = String(sandbox.data.rows('CustomerOrderHandling', 'CustomerOrderSet')[0].OrderNo);
		const result = await runIfs({
			sandbox,
			parameters: getByKey,
			items: [{ OrderNo: good }, { OrderNo: 'NOPE-1' }, { OrderNo: good }],
			node: { onError: 'continueErrorOutput' },
			credentials,
		});
		expect(result.status).toBe('success');
		expect(result.output(IFS_NODE, 0).map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		const failed = result.output(IFS_NODE, 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(failed[0].json.error)).toMatch(/No row found at CustomerOrderHandling\/CustomerOrderSet\(OrderNo='NOPE-1'\)/);
		expect(result.output('Failed')).toHaveLength(1);
		expectNoLeaks(result);
	});

	test('"Continue" passes an error item on the main output', async () => {
		const result = await runIfs({
			sandbox,
			parameters: getByKey,
			items: [{ OrderNo: 'NOPE-2' }],
			node: { onError: 'continueRegularOutput' },
			credentials,
		});
		const [item] = result.output(IFS_NODE, 0);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(String(item.json.error)).toMatch(/No row found/);
		expect((item.json.details as IDataObject).description).toMatch(/key values/);
	});

	test('a stopped run reports the failing item index', async () => {
		const result = await runIfs({ sandbox, parameters: getByKey, items: [{ OrderNo: 'C1000001' }, { OrderNo: 'NOPE-3' }], credentials });
		expect(result.status).toBe('error');
		expect((result.error as { context?: IDataObject }).context?.itemIndex).toBe(1);
	});
});

describe('deployments and headers', () => {
	const credentials = { clientId: CLIENT, clientSecret: CANARY_SECRET };

	test('writes on /main carry the XSRF token from a GET; /int writes carry none', async () => {
		const item = { OrderNo: 'MLC-CSRF', Contract: 'S100', CustomerNo: '10001', CurrencyCode: 'EUR', WantedDeliveryDate: '2024-06-01' };
		const parameters = { operation: 'create', ...ORDERS, dataMode: 'autoMapInputData' };
		const onMain = await runIfs({ sandbox, parameters, items: [item], credentials: { ...credentials, deployment: 'main' } });
		expect(onMain.status).toBe('success');
		const mainPost = sandbox.stats.log.find((entry) => entry.method === 'POST' && entry.kind === 'api');
		expect(mainPost?.path).toContain('/main/');
		expect(mainPost?.headers['x-xsrf-token']).toEqual(expect.any(String));
		expect(mainPost?.headers.cookie).toContain(`XSRF-TOKEN=${String(mainPost?.headers['x-xsrf-token'])}`);
		expect(JSON.stringify(onMain.run)).not.toContain(String(mainPost?.headers['x-xsrf-token']));

		sandbox.stats.reset();
		const onInt = await runIfs({ sandbox, parameters, items: [{ ...item, OrderNo: 'MLC-CSRF2' }], credentials });
		expect(onInt.status).toBe('success');
		const intPost = sandbox.stats.log.find((entry) => entry.method === 'POST' && entry.kind === 'api');
		expect(intPost?.path).toContain('/int/');
		expect(intPost?.headers['x-xsrf-token']).toBeUndefined();
	});

	test('the time-zone-aware option sends X-Ifs-Time-Zone-Aware-Request on every call', async () => {
		const result = await runIfs({ sandbox, parameters: getMany({ options: { timeZoneAware: true } }), credentials });
		expect(result.status).toBe('success');
		const api = sandbox.stats.log.filter((entry) => entry.kind === 'api');
		expect(api.length).toBeGreaterThan(0);
		expect(api.every((entry) => entry.headers['x-ifs-time-zone-aware-request'] === 'true')).toBe(true);
	});

	test('every API call carries the bearer token and JSON headers', async () => {
		const result = await runIfs({ sandbox, parameters: getMany(), credentials });
		expect(result.status).toBe('success');
		const api = sandbox.stats.log.filter((entry) => entry.kind === 'api');
		expect(api.every((entry) => /^Bearer \S+$/.test(String(entry.headers.authorization)))).toBe(true);
		const data = api.filter((entry) => !entry.path.endsWith('$metadata'));
		expect(data.every((entry) => entry.headers.accept === 'application/json')).toBe(true);
		expectNoLeaks(result);
	});
});

describe('node options', () => {
	test('out-of-range options are refused before any request, naming each problem', async () => {
		const result = await runIfs({
			sandbox,
			parameters: getMany({ options: { pageSize: 6000, maxConcurrency: 0 } }),
			credentials: { clientId: CLIENT, clientSecret: CANARY_SECRET },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Invalid node options: .*maxConcurrency.*pageSize: IFS returns at most 5000 rows per request/);
		expect(sandbox.stats.totalRequests).toBe(0);
	});
});

/**
 * The Amazon Seller Central node and credential in a REAL n8n 2.41.1. The node calls only Amazon's
 * real host names (https://api.amazon.com, https://sellingpartnerapi-na.amazon.com, the pre-signed
 * storage host); n8n reaches them through the MITM proxy (HTTPS_PROXY + NODE_EXTRA_CA_CERTS), which
 * serves them from the SP-API sandbox process. Nothing leaves the machine: the proxy refuses every
 * other host.
 *
 * Run: MLC_E2E_CACHE=/work/main/.cache/e2e npx jest -c jest.e2e.config.js test/e2e/amazon.e2e.test.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { StatsSummary } from '../sandbox/spapi/control';
import {
	AMAZON_CREDENTIAL_ID,
	AMAZON_CREDENTIAL_NAME,
	AMAZON_CREDENTIAL_TYPE,
	AMAZON_NODE_TYPE,
	type AmazonSandbox,
	type ExecuteResult,
	type MitmRequestLog,
	N8N_VERSION,
	N8nInstance,
	N8nRest,
	type PackedPackage,
	type WorkflowJson,
	amazonCredential,
	packRepository,
	startAmazonSandbox,
	stopAll,
	tail,
} from './lib';

const DAY = 86_400_000;
const LWA_HOST = 'api.amazon.com';
const NA_HOST = 'sellingpartnerapi-na.amazon.com';
const ORDERS_WORKFLOW_ID = 'mlcE2eAmzOrders1';
const REPORT_WORKFLOW_ID = 'mlcE2eAmzReport1';
const AMAZON_NODE = 'Amazon Seller Central';
const REPORT_TYPE = 'GET_MERCHANT_LISTINGS_ALL_DATA';
/** A flat file with the characters that break naive encoders: &, /, quotes, %, umlauts. */
const REPORT_TSV = [
	'item-name\tseller-sku\tprice\tquantity',
	'Bundle A&B\tBUNDLE A&B/2\t19.99\t4',
	'Tee "Classic" L\tTEE "CLASSIC" L\t12.50\t0',
	"Kid's cup\tKID'S-CUP-100%\t3.10\t17",
	'Müsli-Riegel 12er\tMÜSLI-RIEGEL-12\t8.95\t120',
	'',
].join('\n');

/** Whole seconds: the node sends ISO times without milliseconds, so the window is exact. */
const secondsAgo = (ms: number) => new Date(Math.floor((Date.now() - ms) / 1000) * 1000);
const AFTER = secondsAgo(45 * DAY);
const BEFORE = secondsAgo(10 * 60_000);

let amazon: AmazonSandbox | undefined;
let pack: PackedPackage | undefined;
let n8n: N8nInstance | undefined;
let reportDocumentId = '';
/** Where the current test's part of the proxy log starts (the log is never cleared: see the last test). */
let proxyMark = 0;
/** Everything n8n printed or answered during the suite, for the secret scan. */
const transcripts: string[] = [];

function amazonWorkflow(id: string, name: string, parameters: Record<string, unknown>): WorkflowJson {
	return {
		id,
		name,
		nodes: [
			{ id: `${id}-trigger`, name: 'When clicking ‘Execute workflow’', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-amazon`,
				name: AMAZON_NODE,
				type: AMAZON_NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				parameters,
				credentials: { [AMAZON_CREDENTIAL_TYPE]: { id: AMAZON_CREDENTIAL_ID, name: AMAZON_CREDENTIAL_NAME } },
			},
		],
		connections: { 'When clicking ‘Execute workflow’': { main: [[{ node: AMAZON_NODE, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

function tsvRows(text: string): Array<Record<string, string>> {
	const [header, ...lines] = text.split('\n').filter((line) => line !== '');
	const names = header.split('\t');
	return lines.map((line) => Object.fromEntries(line.split('\t').map((value, index) => [names[index], value])));
}

function succeeded(result: ExecuteResult): ExecuteResult {
	transcripts.push(result.stdout, result.stderr);
	if (result.status !== 'success') throw new Error(`execute failed (rc ${result.rc}): ${JSON.stringify(result.error)}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
	return result;
}

/** Starts a test's view of the proxy log and of the sandbox statistics. */
async function mark(): Promise<void> {
	proxyMark = amazon!.proxy.requests().length;
	await amazon!.sandbox.resetStats();
}

/** This test's proxy log entries for a host (and method, path prefix). */
function proxied(host: string, method?: string, pathPrefix = ''): MitmRequestLog[] {
	return amazon!.proxy.requests().slice(proxyMark).filter((entry) => entry.host === host && (!method || entry.method === method) && entry.path.startsWith(pathPrefix));
}

function sandboxLog(stats: StatsSummary, server: string): StatsSummary['log'] {
	return stats.log.filter((entry) => entry.server === server);
}

/** Nothing was refused: every call n8n made went to a routed Amazon host (or stayed on loopback). */
function expectNothingRefused(entries = amazon!.proxy.requests().slice(proxyMark)): void {
	expect(entries.filter((entry) => entry.outcome !== 'relayed')).toEqual([]);
}

beforeAll(async () => {
	const started = Date.now();
	try {
		const [bed, packed] = await Promise.all([startAmazonSandbox({ sandbox: { timeScale: 100, ordersPerSeller: 400 } }), packRepository()]);
		amazon = bed;
		pack = packed;
		({ reportDocumentId } = (await amazon.sandbox.addReport({ reportType: REPORT_TYPE, content: REPORT_TSV, gzip: true, charset: 'UTF-8' })) as { reportDocumentId: string });
		n8n = await N8nInstance.create({ env: amazon.env() });
		await n8n.installPackage(pack.tarball);
		await n8n.importCredentials([amazonCredential(amazon.sandbox)]);
		await n8n.importWorkflows([
			amazonWorkflow(ORDERS_WORKFLOW_ID, 'Amazon orders in a window (e2e)', {
				resource: 'order',
				operation: 'getMany',
				after: AFTER.toISOString(),
				before: BEFORE.toISOString(),
				returnAll: true,
				options: {},
			}),
			amazonWorkflow(REPORT_WORKFLOW_ID, 'Amazon report document (e2e)', { resource: 'report', operation: 'getDocument', reportDocumentId, output: 'rows', options: {} }),
		]);
		console.log(`[amazon e2e] setup ${Date.now() - started} ms`);
	} catch (error) {
		if (n8n) console.error(`n8n logs in ${n8n.logDir}`);
		throw error;
	}
}, 300_000);

afterAll(async () => {
	await stopAll([() => n8n?.dispose(), () => amazon?.close(), () => pack?.dispose()]);
}, 60_000);

describe(`Amazon Seller Central in n8n ${N8N_VERSION}, through the MITM proxy to the SP-API sandbox`, () => {
	it('Order → Get Many returns exactly the sandbox\'s orders updated in the window, fetched from Amazon\'s host names', async () => {
		await mark();
		const result = succeeded(await n8n!.execute(ORDERS_WORKFLOW_ID));

		const expected = (await amazon!.sandbox.orders())
			.filter((order) => order.lastUpdateDate >= AFTER.getTime() && order.lastUpdateDate <= BEFORE.getTime())
			.map((order) => order.amazonOrderId)
			.sort();
		expect(expected.length).toBeGreaterThan(100); // more than one page of 100
		const ids = result.items(AMAZON_NODE).map((order) => String(order.orderId)).sort();
		expect(ids).toEqual(expected);

		// n8n went through the proxy to Amazon's names: a token from LWA (no credential header; the
		// secret travels in the form body), then the Orders API with the access token.
		expect(proxied(LWA_HOST, 'POST', '/auth/o2/token')).toEqual([{ host: LWA_HOST, method: 'POST', path: '/auth/o2/token', status: 200, hadAuthorization: false, outcome: 'relayed' }]);
		const searches = proxied(NA_HOST, 'GET', '/orders/2026-01-01/orders');
		expect(searches.length).toBe(Math.ceil(expected.length / 100));
		expect(searches.every((entry) => entry.status === 200 && entry.hadAuthorization)).toBe(true);
		expectNothingRefused();

		// The sandbox saw the same calls, under the Amazon host name the node used.
		const stats = await amazon!.sandbox.stats(true);
		expect(stats.lwaRequests).toBe(1);
		expect(stats.operations['orders2026.searchOrders']).toMatchObject({ requests: searches.length, byStatus: { 200: searches.length } });
		expect(sandboxLog(stats, 'api').every((entry) => entry.host === NA_HOST)).toBe(true);
	});

	it('Report → Get Document downloads through the pre-signed storage URL without any credential header and returns the parsed rows', async () => {
		await mark();
		const result = succeeded(await n8n!.execute(REPORT_WORKFLOW_ID));

		expect(result.items(AMAZON_NODE)).toEqual(tsvRows(REPORT_TSV));

		const { storageHost } = amazon!.sandbox;
		const documents = proxied(NA_HOST, 'GET', `/reports/2021-06-30/documents/`);
		expect(documents).toEqual([{ host: NA_HOST, method: 'GET', path: `/reports/2021-06-30/documents/${reportDocumentId}`, status: 200, hadAuthorization: true, outcome: 'relayed' }]);
		const downloads = proxied(storageHost);
		expect(downloads).toHaveLength(1);
		expect(downloads[0]).toMatchObject({ method: 'GET', status: 200, hadAuthorization: false, outcome: 'relayed' });
		expectNothingRefused();

		const stats = await amazon!.sandbox.stats(true);
		const storage = sandboxLog(stats, 'storage');
		expect(storage.map((entry) => [entry.host, entry.status])).toEqual([[storageHost, 200]]);
		expect(storage[0].headerNames.map((name) => name.toLowerCase())).not.toContain('authorization');
		expect(storage[0].headerNames.map((name) => name.toLowerCase())).not.toContain('x-amz-access-token');
		expect((await amazon!.sandbox.violations()).storage).toEqual([]);
	});
});

describe('n8n server mode: the credential test (POST /rest/credentials/test) through the proxy', () => {
	let rest: N8nRest;

	beforeAll(async () => {
		await n8n!.start(180_000);
		rest = await N8nRest.asNewOwner(n8n!.baseUrl);
	}, 240_000);

	afterAll(async () => {
		if (n8n) transcripts.push(n8n.serverOutput());
		await n8n?.stop();
	}, 60_000);

	const test = async (data: Record<string, unknown>) => {
		const response = await rest.call<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: AMAZON_CREDENTIAL_ID, name: AMAZON_CREDENTIAL_NAME, type: AMAZON_CREDENTIAL_TYPE, data },
		});
		transcripts.push(JSON.stringify(response));
		return response;
	};

	it('answers OK for the sandbox authorization: the entered LWA values are exchanged at Login with Amazon, and no access token goes there', async () => {
		await mark();
		expect(await test(amazonCredential(amazon!.sandbox).data)).toEqual({ status: 'OK', message: 'Connection successful!' });
		const exchanges = proxied(LWA_HOST);
		expect(exchanges.length).toBeGreaterThan(0);
		expect(exchanges.every((entry) => entry.method === 'POST' && entry.path === '/auth/o2/token' && entry.status === 200 && !entry.hadAuthorization)).toBe(true);
		expect(proxied(NA_HOST)).toEqual([]);
		expectNothingRefused();
	});

	it('answers an error naming the LWA client secret to renew for a wrong secret, without echoing it', async () => {
		await mark();
		const wrongSecret = 'amzn1.oa2-cs.v1.wrong-secret-e2e-5c1f0a9d';
		const response = await test(amazonCredential(amazon!.sandbox, { overrides: { clientSecret: wrongSecret } }).data);
		expect(response.status).toBe('Error');
		expect(response.message).toMatch(/invalid_client/);
		expect(response.message).toMatch(/client secret/i);
		expect(JSON.stringify(response)).not.toContain(wrongSecret);
		expect(JSON.stringify(response)).not.toContain(amazon!.sandbox.authorizations[0].clientSecret);
		// Refused at LWA; SP-API was never called.
		expect(proxied(LWA_HOST).map((entry) => entry.status)).toEqual([401]);
		expect(proxied(NA_HOST)).toEqual([]);
	});
	it('after a secret is changed in the editor, the test checks the new secret, not the token saved with the old one', async () => {
		// The editor sends the saved data back (secrets as placeholders n8n restores) with the edited field.
		const saved = await rest.call<{ data: Record<string, unknown> }>('GET', `/rest/credentials/${AMAZON_CREDENTIAL_ID}?includeData=true`);
		expect(saved.data.accessToken).toBeTruthy();
		await mark();
		const mistyped = 'amzn1.oa2-cs.v1.rotated-but-mistyped-7e21';
		const response = await test({ ...saved.data, clientSecret: mistyped });
		expect(response.status).toBe('Error');
		expect(response.message).toMatch(/invalid_client/);
		expect(response.message).toMatch(/client secret/i);
		expect(JSON.stringify(response)).not.toContain(mistyped);
		expect(proxied(NA_HOST)).toEqual([]);
		expect(await test(saved.data)).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});

describe('the whole suite', () => {
	it('n8n reached only Amazon\'s hosts through the proxy: imports, runs, server start and credential tests tried nothing else', () => {
		const all = amazon!.proxy.requests();
		expectNothingRefused(all);
		const routed = new Set([LWA_HOST, NA_HOST, amazon!.sandbox.storageHost]);
		expect([...new Set(all.map((entry) => entry.host))].filter((host) => !routed.has(host))).toEqual([]);
	});

	it('neither the refresh token, the client secret nor an access token appears in execution output or n8n\'s logs', async () => {
		// The access token n8n stored with the credential (it was fetched and persisted above).
		const exported = path.join(n8n!.userFolder, 'credentials-export.json');
		let accessToken = '';
		try {
			const result = await n8n!.cli(['export:credentials', `--id=${AMAZON_CREDENTIAL_ID}`, '--decrypted', `--output=${exported}`]);
			expect(result.code).toBe(0);
			const [stored] = JSON.parse(fs.readFileSync(exported, 'utf8')) as Array<{ data: { accessToken?: string } }>;
			accessToken = String(stored.data.accessToken ?? '');
		} finally {
			fs.rmSync(exported, { force: true });
		}
		expect(accessToken).toMatch(/^Atza\|/);

		const logs = fs.readdirSync(n8n!.logDir).map((file) => fs.readFileSync(path.join(n8n!.logDir, file), 'utf8'));
		const text = [...transcripts, ...logs, JSON.stringify(amazon!.proxy.requests())].join('\n');
		expect(text.length).toBeGreaterThan(1000); // the scan has something to scan
		const { clientSecret, refreshToken } = amazon!.sandbox.authorizations[0];
		const leaks = Object.entries({ clientSecret, refreshToken, accessToken })
			.filter(([, secret]) => text.includes(secret) || text.includes(encodeURIComponent(secret)))
			.map(([name]) => name);
		expect(leaks).toEqual([]);
		// No access token of any kind (the sandbox issues Atza|… tokens), plain or URL-encoded.
		expect(text).not.toMatch(/Atza(\||%7C)/i);
	});
});

/**
 * `npm run demo` (scripts/demo.sh builds, provisions, then runs this compiled file):
 *
 *   1. starts the IFS Cloud sandbox (127.0.0.1:18080, control channel :18081; free ports if taken),
 *   2. packs this repository and installs it into a fresh n8n 2.41.1 as a community package,
 *   3. imports the "IFS Cloud account" credential (pointing at the sandbox) and the templates in
 *      workflows-templates/ifs-cloud/, starts n8n on http://127.0.0.1:5678 and creates the owner,
 *   4. tests the credential and runs each template through the editor's REST API (the order
 *      template twice, under a concurrent writer), printing what moved in the sandbox,
 *   5. IFS ⇄ Amazon: starts the SP-API sandbox behind a local HTTPS proxy (n8n calls Amazon's real
 *      host names through it), imports the "Amazon Seller Central account" credential and the five
 *      templates of workflows-templates/ifs-cloud--amazon-seller-central/, creates the data tables,
 *      fills the SKU map (one SKU left out on purpose) and runs orders, inventory and settlements
 *      once, printing orders created, quantities pushed, journals posted and error-queue rows,
 *   6. leaves the editor open until Ctrl-C, then stops every process and removes the temp folder.
 *
 * Options: --no-wait (exit after the summary), --port=N (n8n), --sandbox-port=N, --keep (keep the
 * n8n user folder). Every wait has a deadline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	AMAZON_CREDENTIAL_NAME,
	type AmazonSandbox,
	DEFAULT_OWNER,
	DataTables,
	ERROR_QUEUE_TABLE,
	SKU_MAP_TABLE,
	amazonCredential,
	itemsOf,
	loadIfsAmazonTemplates,
	runTemplate,
	startAmazonSandbox,
	IFS_CREDENTIAL_ID,
	IFS_CREDENTIAL_NAME,
	IFS_CREDENTIAL_TYPE,
	N8N_VERSION,
	N8nInstance,
	N8nRest,
	type PackedPackage,
	type RemoteIfsSandbox,
	TEMPLATE_IDS,
	executionItems,
	ifsCredential,
	loadTemplates,
	packRepository,
	portInUse,
	setNodeValue,
	spawnIfsSandbox,
	template,
	triggerName,
} from '../test/e2e/lib';

const PROJECTION = 'CustomerOrderHandling';
const US = 'ATVPDKIKX0DER';
const SITE = 'S100';
const ORDER_SET = 'CustomerOrderSet';

function option(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const started = Date.now();
function say(message: string): void {
	process.stdout.write(`[demo ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}\n`);
}

async function choosePort(preferred: number, what: string): Promise<number | undefined> {
	if (!(await portInUse(preferred))) return preferred;
	say(`port ${preferred} (${what}) is taken; using a free one`);
	return undefined;
}

interface Cleanup {
	sandbox?: RemoteIfsSandbox;
	amazon?: AmazonSandbox;
	n8n?: N8nInstance;
	pack?: PackedPackage;
}

async function cleanup(state: Cleanup): Promise<void> {
	for (const [what, step] of [
		['n8n', () => state.n8n?.dispose()],
		['IFS sandbox', () => state.sandbox?.close()],
		['SP-API sandbox and proxy', () => state.amazon?.close()],
		['package tarball', () => state.pack?.dispose()],
	] as const) {
		try {
			await step();
		} catch (error) {
			process.stderr.write(`[demo] stopping ${what} failed: ${error instanceof Error ? error.message : String(error)}\n`);
		}
	}
}

async function main(state: Cleanup): Promise<void> {
	const n8nPort = Number(option('port') ?? 5678);
	if (await portInUse(n8nPort)) {
		throw new Error(`Port ${n8nPort} on 127.0.0.1 is in use (another n8n?). Stop it, or run: npm run demo -- --port=5679`);
	}
	const sandboxPort = Number(option('sandbox-port') ?? 18080);
	state.sandbox = await spawnIfsSandbox({
		port: await choosePort(sandboxPort, 'IFS sandbox'),
		controlPort: await choosePort(sandboxPort + 1, 'sandbox control'),
	});
	const sandbox = state.sandbox;
	say(`IFS Cloud sandbox on ${sandbox.url} (realm ${sandbox.realm}, client ${sandbox.clientId}); control channel ${sandbox.controlUrl}`);

	state.amazon = await startAmazonSandbox({ sandbox: { ordersPerSeller: 200 } });
	const amazon = state.amazon;
	say(`SP-API sandbox on ${amazon.sandbox.apiUrl}, reached by n8n through the HTTPS proxy ${amazon.proxy.url} (Amazon's own host names)`);

	state.pack = await packRepository();
	say(`packed ${path.basename(state.pack.tarball)} (${state.pack.files.length} files)`);

	state.n8n = await N8nInstance.create({ port: n8nPort, env: amazon.env() });
	const n8n = state.n8n;
	await n8n.installPackage(state.pack.tarball);
	say(`installed into ${n8n.userFolder}/.n8n/nodes as a community package`);

	// Amazon.com only: the IFS sandbox keeps USD and EUR (a CAD or MXN order would wait in the error queue).
	const templates = [...loadTemplates(), ...loadIfsAmazonTemplates()];
	await n8n.importCredentials([ifsCredential(sandbox), amazonCredential(amazon.sandbox, { overrides: { marketplaceIds: [US] } })]);
	await n8n.importWorkflows(templates);
	say(`imported credentials "${IFS_CREDENTIAL_NAME}", "${AMAZON_CREDENTIAL_NAME}" and ${templates.length} templates: ${templates.map((t) => t.name).join(' | ')}`);

	say(`starting n8n ${N8N_VERSION} on ${n8n.baseUrl} …`);
	await n8n.start(180_000);
	const rest = await N8nRest.asNewOwner(n8n.baseUrl);
	say('n8n is ready; owner account created');

	// ---- the credential test, as the editor's "Test" / "Save" does it
	const test = await rest.call<{ status: string; message: string }>('POST', '/rest/credentials/test', {
		credentials: { id: IFS_CREDENTIAL_ID, name: IFS_CREDENTIAL_NAME, type: IFS_CREDENTIAL_TYPE, data: ifsCredential(sandbox).data },
	});
	say(`credential test: ${test.status} — ${test.message}`);

	// ---- template 1: read all rows
	const read = template(TEMPLATE_IDS.readAllRows);
	const readRun = await rest.waitForExecution(await rest.runWorkflow(read.id, triggerName(read)), 120_000);
	const rows = readRun.status === 'success' ? executionItems(readRun, 'Read customer orders') : [];
	say(`"${read.name}": ${readRun.status}, ${rows.length} customer orders of company 10 read`);

	// ---- template 2: create or find, then update under a concurrent writer
	const order = template(TEMPLATE_IDS.createOrFindThenUpdate);
	await sandbox.faults({ concurrentWriter: { projection: PROJECTION, entitySet: ORDER_SET, times: 1, field: 'Note' } });
	const statsBefore = await sandbox.stats();
	const summaries: string[] = [];
	for (const attempt of ['first run', 're-run']) {
		const execution = await rest.waitForExecution(await rest.runWorkflow(order.id, triggerName(order)), 120_000);
		if (execution.status !== 'success') {
			summaries.push(`${attempt}: ${execution.status} (open the execution in the editor for details)`);
			continue;
		}
		const [created] = executionItems(execution, 'Create or find order');
		const [updated] = executionItems(execution, 'Apply promised date');
		const trace = (item: Record<string, unknown> | undefined) => (item?._trace as { action?: string } | undefined)?.action ?? '?';
		summaries.push(
			`${attempt}: order ${String(created?.OrderNo)} ${trace(created)}; WantedDeliveryDate ${String(created?.WantedDeliveryDate)} → ${String(updated?.WantedDeliveryDate)} (${trace(updated)})`,
		);
	}
	const statsAfter = await sandbox.stats();
	const conflicts = (statsAfter.byStatus[412] ?? 0) - (statsBefore.byStatus[412] ?? 0);
	const orderNo = setNodeValue(order, 'Order from source', 'orderNo');
	const createdRow = (await sandbox.rows(PROJECTION, ORDER_SET)).find((row) => row.OrderNo === orderNo);
	say(`"${order.name}":`);
	for (const line of summaries) say(`    ${line}`);
	say(`    ETag conflicts resolved: ${conflicts} (another user changed the order's Note meanwhile; their Note kept: ${JSON.stringify(createdRow?.Note ?? null)})`);
	say(`    rows in ${ORDER_SET} now: ${(await sandbox.rows(PROJECTION, ORDER_SET)).length} (seeded 50; the re-run created nothing)`);

	// ---- template 3: release planned orders (bound action)
	const release = template(TEMPLATE_IDS.releasePlanned);
	const releaseRun = await rest.waitForExecution(await rest.runWorkflow(release.id, triggerName(release)), 120_000);
	if (releaseRun.status === 'success') {
		const found = executionItems(releaseRun, 'Find planned orders').map((item) => String(item.OrderNo));
		const states = new Map((await sandbox.rows(PROJECTION, ORDER_SET)).map((row) => [String(row.OrderNo), String(row.Objstate)]));
		say(`"${release.name}": released ${found.map((orderNo) => `${orderNo} (now ${states.get(orderNo)})`).join(', ') || 'nothing (no planned orders left)'}`);
	} else {
		say(`"${release.name}": ${releaseRun.status} (open the execution in the editor for details)`);
	}

	const queued = await ifsAmazon(rest, sandbox, amazon);

	const border = '='.repeat(72);
	process.stdout.write(
		[
			'',
			border,
			`  n8n ${N8N_VERSION} editor:  ${n8n.baseUrl}`,
			`  log in with:     ${DEFAULT_OWNER.email}`,
			`  password:        ${DEFAULT_OWNER.password}`,
			`  workflows:       ${templates.map((t) => t.name).join('\n                   ')}`,
			`  credential:      "${IFS_CREDENTIAL_NAME}" → IFS sandbox ${sandbox.url} (client ${sandbox.clientId} / ${sandbox.clientSecret})`,
			`  sandbox control: ${sandbox.controlUrl}/stats, /rows?projection=${PROJECTION}&entitySet=${ORDER_SET}`,
			`  Amazon:          SP-API sandbox ${amazon.sandbox.apiUrl} behind ${amazon.proxy.url}; control ${amazon.sandbox.controlUrl}/stats`,
			...(queued.length
				? [
						`  error queue:     ${queued.length} row(s) in Data table ${ERROR_QUEUE_TABLE} (Overview → Data tables); fix a cause (e.g. add the SKU to ${SKU_MAP_TABLE}),`,
						'                   then run "IFS ⇄ Amazon 4 — replay the error queue"',
					]
				: []),
			border,
			'',
		].join('\n'),
	);
}

/**
 * The IFS ⇄ Amazon templates once each: data tables, SKU map (one SKU left out, so the error queue
 * has something to show), orders, inventory, settlements. Returns the error-queue rows.
 */
async function ifsAmazon(rest: N8nRest, sandbox: RemoteIfsSandbox, amazon: AmazonSandbox): Promise<Array<Record<string, unknown>>> {
	await runTemplate(rest, 'setup');
	const tables = new DataTables(rest);
	await tables.locate();
	say(`"IFS ⇄ Amazon 0": data tables ${ERROR_QUEUE_TABLE} and ${SKU_MAP_TABLE} created`);

	const sellerId = amazon.sandbox.authorizations[0].sellerId;
	const orders = (await amazon.sandbox.orders(sellerId)).filter((order) => order.marketplaceId === US);
	const skus = [...new Set(orders.flatMap((order) => order.items.map((item) => item.sku)))];
	const salesParts = (await sandbox.rows('SalesPartHandling', 'SalesPartSet')).filter((row) => row.Contract === SITE).map((row) => String(row.CatalogNo));
	const parts = [...new Set((await sandbox.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet')).map((row) => String(row.PartNo)))];
	// Left out: a SKU of an order the backfill takes (updated in the last 7 days, 3+ minutes ago).
	const recent = orders.find((order) => order.lastUpdateDate >= Date.now() - 7 * 86_400_000 && order.lastUpdateDate <= Date.now() - 180_000 && ['Unshipped', 'PartiallyShipped', 'Shipped'].includes(order.status));
	const leftOut = recent ? [recent.items[0].sku] : [];
	await tables.insert(
		SKU_MAP_TABLE,
		skus.filter((sku) => !leftOut.includes(sku)).map((sku, index) => ({ sku, catalogNo: salesParts[index % salesParts.length], partNo: parts[index % parts.length] })),
	);
	say(`${SKU_MAP_TABLE}: ${skus.length - leftOut.length} Amazon SKUs mapped to IFS sales parts and parts (${leftOut.join(', ')} left out on purpose)`);

	const before = (await sandbox.rows(PROJECTION, ORDER_SET)).length;
	const orderRun = await runTemplate(rest, 'orders');
	const created = itemsOf(orderRun, 'Create IFS order once');
	const count = (items: Array<Record<string, unknown>>, action: string) => items.filter((item) => (item._trace as { action?: string } | undefined)?.action === action).length;
	say(
		`"IFS ⇄ Amazon 1": ${itemsOf(orderRun, 'Amazon orders').length} Amazon orders → ${count(created, 'created')} IFS customer orders created, ${count(created, 'found')} found; ` +
			`${(await sandbox.rows(PROJECTION, ORDER_SET)).length - before} new rows in ${ORDER_SET}`,
	);

	const inventoryRun = await runTemplate(rest, 'inventory');
	const pushed = itemsOf(inventoryRun, 'Send quantities to Amazon (one feed)');
	const rejected = itemsOf(inventoryRun, 'Send quantities to Amazon (one feed)', 1);
	say(`"IFS ⇄ Amazon 2": ${itemsOf(inventoryRun, 'IFS stock of mapped parts').length} IFS parts read → ${pushed.length} Amazon SKU quantities in one listings feed, ${rejected.length} refused`);

	const settlementRun = await runTemplate(rest, 'settlements');
	const journals = itemsOf(settlementRun, 'Post journal once');
	const reconciled = itemsOf(settlementRun, 'Settlement vs payment proposals');
	say(
		`"IFS ⇄ Amazon 3": ${journals.length} settlement journal(s) posted (${journals.map((journal) => String((journal._trace as { source?: { id?: string } })?.source?.id)).join(', ') || 'none'}); ` +
			`reconciliation: ${reconciled.map((item) => `${String(item.settlementId)} ${String(item.status)}`).join(', ') || 'nothing to reconcile'}`,
	);

	const queue = await tables.rows(ERROR_QUEUE_TABLE);
	const byStage = new Map<string, Array<Record<string, unknown>>>();
	for (const row of queue) byStage.set(String(row.stage), [...(byStage.get(String(row.stage)) ?? []), row]);
	say(`${ERROR_QUEUE_TABLE}: ${queue.length} row(s)`);
	for (const [stage, rows] of byStage) say(`    ${stage}: ${rows.length} — e.g. ${String(rows[0].error)}`);
	return queue;
}

async function waitForSignal(state: Cleanup): Promise<void> {
	say('press Ctrl-C to stop n8n and the sandbox');
	await new Promise<void>((resolve) => {
		const done = () => resolve();
		process.once('SIGINT', done);
		process.once('SIGTERM', done);
		process.once('SIGHUP', done);
		// n8n dying on its own ends the demo too.
		const watch = setInterval(() => {
			if (state.n8n && !state.n8n.running) {
				say('n8n stopped by itself; last output:');
				process.stdout.write(`${state.n8n.serverOutput().split('\n').slice(-20).join('\n')}\n`);
				clearInterval(watch);
				resolve();
			}
		}, 1000);
		process.once('exit', () => clearInterval(watch));
	});
}

async function run(): Promise<number> {
	const state: Cleanup = {};
	let interrupted = false;
	const onEarlySignal = () => {
		interrupted = true;
		say('interrupted; cleaning up …');
		void cleanup(state).then(() => process.exit(130));
	};
	process.once('SIGINT', onEarlySignal);
	process.once('SIGTERM', onEarlySignal);
	try {
		if (flag('keep')) process.env.MLC_E2E_KEEP = '1';
		await main(state);
		process.removeListener('SIGINT', onEarlySignal);
		process.removeListener('SIGTERM', onEarlySignal);
		if (!flag('no-wait')) await waitForSignal(state);
		return 0;
	} catch (error) {
		if (interrupted) return 130;
		process.stderr.write(`\n[demo] failed: ${error instanceof Error ? error.message : String(error)}\n`);
		if (state.n8n) {
			process.stderr.write(`[demo] n8n logs: ${state.n8n.logDir}${flag('keep') ? '' : ' (run with --keep to keep them)'}\n`);
			const output = state.n8n.serverOutput();
			if (output) process.stderr.write(`${output.split('\n').slice(-30).join('\n')}\n`);
		}
		return 1;
	} finally {
		if (!interrupted) {
			say('stopping n8n and the sandbox …');
			await cleanup(state);
			if (state.n8n && fs.existsSync(state.n8n.userFolder)) say(`kept ${state.n8n.userFolder}`);
			say('done');
		}
	}
}

void run().then((code) => process.exit(code));

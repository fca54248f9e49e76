/**
 * The IFS Cloud ⇄ Amazon Seller Central templates in a REAL n8n 2.41.1, as a user runs them: the
 * packed package installed as a community package, the five templates imported as shipped, the
 * data tables created by the setup template, and every run started like the editor's "Execute
 * workflow" button (REST, with the manual trigger chosen). IFS is the IFS sandbox; Amazon is the
 * SP-API sandbox behind a man-in-the-middle HTTPS proxy, so n8n calls the real Amazon host names.
 *
 * What must hold (issue 5): every Amazon order exists once in IFS with its lines and a second run
 * changes nothing; an order with an unmapped SKU waits in the error queue and the replay clears it
 * once the SKU is mapped; Amazon quantities equal IFS availability for mapped parts; each
 * settlement journal is posted once, balanced, equal to the report's deposit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type RemoteIfsSandbox, spawnIfsSandbox } from '../sandbox/ifs/process';
import { type SpApiSandbox, startSpApiSandbox } from '../sandbox/spapi';
import { mfnQuantities } from '../sandbox/spapi/listings';
import { amazonHostRoutes } from '../sandbox/spapi/relay';
import { type MitmProxy, startMitmProxy } from './lib/mitm';
import {
	type ExecutionDetails,
	N8nInstance,
	amazonCredential,
	N8nRest,
	type PackedPackage,
	REPO_ROOT,
	type WorkflowJson,
	executionItems,
	unflatten,
	ifsCredential,
	packRepository,
	waitFor,
} from './lib';

const FOLDER = path.join(REPO_ROOT, 'workflows-templates', 'ifs-cloud--amazon-seller-central');
const IDS = { setup: 'mlcTplAmzSetup00', orders: 'mlcTplAmzOrders1', inventory: 'mlcTplAmzInvent1', settlements: 'mlcTplAmzSettle1', replay: 'mlcTplAmzReplay1' };
const SITE = 'S100';
const US = 'ATVPDKIKX0DER';
const DAY = 86_400_000;
const SETTLEMENT = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
const SHIPPABLE = new Set(['Unshipped', 'PartiallyShipped', 'Shipped']);

let ifs: RemoteIfsSandbox | undefined;
let amazon: SpApiSandbox | undefined;
let mitm: MitmProxy | undefined;
let pack: PackedPackage | undefined;
let n8n: N8nInstance | undefined;
let rest: N8nRest;
let projectId = '';
const tableIds: Record<string, string> = {};

function templates(): WorkflowJson[] {
	return fs
		.readdirSync(FOLDER)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(FOLDER, file), 'utf8')) as WorkflowJson);
}

/** Runs a workflow from the named trigger, as the editor does; fails with n8n's error when it does. */
async function run(workflowId: string, trigger: string): Promise<ExecutionDetails> {
	const id = await rest.runWorkflow(workflowId, trigger);
	const execution = await rest.waitForExecution(id, 240_000);
	if (execution.status !== 'success') throw new Error(`${workflowId} ended ${execution.status}:\n${describeRun(execution)}`);
	return execution;
}

/** Per node: items per output and the error, to say where a run went wrong. */
function describeRun(execution: ExecutionDetails): string {
	const data = unflatten(execution.data) as {
		resultData: { error?: { message?: string }; runData: Record<string, Array<{ data?: { main?: Array<unknown[] | null> }; error?: { message?: string; description?: string } }>> };
	};
	const lines = Object.entries(data.resultData.runData).map(([node, runs]) => {
		const last = runs[runs.length - 1];
		const outputs = (last?.data?.main ?? []).map((items) => items?.length ?? 0).join('/');
		return `  ${node}: ${outputs}${last?.error ? `  ERROR ${last.error.message} ${last.error.description ?? ''}` : ''}`;
	});
	return [`run error: ${data.resultData.error?.message ?? '-'}`, ...lines].join('\n');
}

/** A node's output items; none when the node did not run (no input). */
function itemsOf(execution: ExecutionDetails, node: string, output = 0): Array<Record<string, unknown>> {
	try {
		return executionItems(execution, node, output);
	} catch (error) {
		if (/did not run/.test(String(error))) return [];
		throw error;
	}
}

async function tableRows(name: string): Promise<Array<Record<string, unknown>>> {
	const page = await rest.call<{ data: Array<Record<string, unknown>> }>('GET', `/rest/projects/${projectId}/data-tables/${tableIds[name]}/rows?take=1000&skip=0`);
	return page.data;
}

async function insertRows(name: string, rows: Array<Record<string, unknown>>): Promise<void> {
	await rest.call('POST', `/rest/projects/${projectId}/data-tables/${tableIds[name]}/insert`, { data: rows });
}

/** The orders the template's backfill takes: updated in the last 7 days, at least 2 minutes ago, shippable. */
function expectedOrders() {
	const now = Date.now();
	return amazon!
		.data.orders(amazon!.credentials('na').sellerId)
		.filter((order) => order.marketplaceId === US && order.lastUpdateDate >= now - 7 * DAY + 60_000 && order.lastUpdateDate <= now - 3 * 60_000 && SHIPPABLE.has(order.status));
}

async function ifsOrdersByReference(): Promise<Map<string, Array<Record<string, unknown>>>> {
	const byReference = new Map<string, Array<Record<string, unknown>>>();
	for (const row of await ifs!.rows('CustomerOrderHandling', 'CustomerOrderSet')) {
		const reference = String(row.CustomerPoNo ?? '');
		byReference.set(reference, [...(byReference.get(reference) ?? []), row]);
	}
	return byReference;
}

beforeAll(async () => {
	try {
		ifs = await spawnIfsSandbox({});
		amazon = await startSpApiSandbox({ ordersPerSeller: 200 });
		mitm = await startMitmProxy({ routes: amazonHostRoutes(amazon) });
		pack = await packRepository();
		n8n = await N8nInstance.create({ env: mitm.env() });
		await n8n.installPackage(pack.tarball);
		// Amazon.com only: IFS in the sandbox keeps USD and EUR, not CAD or MXN.
		await n8n.importCredentials([ifsCredential(ifs), amazonCredential({ authorizations: [amazon.credentials('na')] }, { overrides: { marketplaceIds: [US] } })]);
		await n8n.importWorkflows(templates());
		await n8n.start();
		rest = new N8nRest(`http://127.0.0.1:${n8n.port}`);
		await rest.settle('/rest/settings');
		await rest.setupOwner();
	} catch (error) {
		if (n8n) console.error(`n8n logs in ${n8n.logDir}\n${n8n.serverOutput().slice(-4000)}`);
		throw error;
	}
}, 420_000);

afterAll(async () => {
	const errors: unknown[] = [];
	for (const cleanup of [() => n8n?.dispose(), () => mitm?.close(), () => amazon?.close(), () => ifs?.close(), () => pack?.dispose()]) {
		try {
			await cleanup();
		} catch (error) {
			errors.push(error);
		}
	}
	if (errors.length) throw errors[0];
}, 60_000);

describe('IFS Cloud ⇄ Amazon Seller Central templates in n8n 2.41.1', () => {
	it('the setup template creates the error queue and the SKU map, and a second run reuses them', async () => {
		await run(IDS.setup, 'Run once');
		await run(IDS.setup, 'Run once');
		const tables = await rest.call<{ data: Array<{ id: string; name: string; projectId: string }> }>('GET', '/rest/data-tables-global?take=100&skip=0');
		const ours = tables.data.filter((table) => table.name.startsWith('mlc_'));
		expect(ours.map((table) => table.name).sort()).toEqual(['mlc_error_queue', 'mlc_sku_map']);
		for (const table of ours) tableIds[table.name] = table.id;
		projectId = ours[0].projectId;
	});

	it('Amazon orders → IFS: every order once with its lines; an unmapped SKU waits in the queue until replayed', async () => {
		const orders = expectedOrders();
		expect(orders.length).toBeGreaterThan(3);
		const skus = [...new Set(orders.flatMap((order) => order.items.map((item) => item.sku)))];
		const salesParts = (await ifs!.rows('SalesPartHandling', 'SalesPartSet')).filter((row) => row.Contract === SITE).map((row) => String(row.CatalogNo));
		expect(salesParts.length).toBeGreaterThanOrEqual(skus.length);
		const catalogOf = new Map(skus.map((sku, index) => [sku, salesParts[index]]));
		// One SKU is left out of the map: its orders must wait in the error queue.
		const missing = orders.find((order) => order.items.length === 1)?.items[0].sku ?? skus[0];
		await insertRows('mlc_sku_map', skus.filter((sku) => sku !== missing).map((sku) => ({ sku, catalogNo: catalogOf.get(sku), partNo: '' })));

		await run(IDS.orders, 'Run now: orders changed in the last 7 days');
		const blocked = orders.filter((order) => order.items.some((item) => item.sku === missing && item.quantity > 0));
		const created = await ifsOrdersByReference();
		for (const order of orders) {
			const rows = created.get(order.amazonOrderId) ?? [];
			if (blocked.includes(order)) expect(rows).toHaveLength(0);
			else expect(rows).toHaveLength(1);
		}
		const queue = await tableRows('mlc_error_queue');
		expect(queue.map((row) => row.sourceId).sort()).toEqual(blocked.map((order) => order.amazonOrderId).sort());
		expect(queue.every((row) => row.stage === 'SKU mapping' && String(row.error).includes(missing) && row.workflowId === IDS.orders)).toBe(true);

		// Lines: one per ordered item with quantity, on the mapped sales part.
		const lines = await ifs!.rows('CustomerOrderHandling', 'CustomerOrderLineSet');
		const done = orders.filter((order) => !blocked.includes(order));
		for (const order of done.slice(0, 10)) {
			const [header] = created.get(order.amazonOrderId)!;
			const orderLines = lines.filter((line) => line.OrderNo === header.OrderNo);
			const wanted = order.items.filter((item) => item.quantity > 0);
			expect(orderLines.map((line) => line.CatalogNo).sort()).toEqual(wanted.map((item) => catalogOf.get(item.sku)).sort());
		}

		// A second run creates nothing: every order is found by its Amazon order id.
		const before = (await ifs!.rows('CustomerOrderHandling', 'CustomerOrderSet')).length;
		const second = await run(IDS.orders, 'Run now: orders changed in the last 7 days');
		expect((await ifs!.rows('CustomerOrderHandling', 'CustomerOrderSet')).length).toBe(before);
		expect(itemsOf(second, 'Create IFS order once').every((item) => (item._trace as { action: string }).action === 'found')).toBe(true);

		// The SKU gets its mapping; the replay hands the queued orders back and the queue empties.
		await insertRows('mlc_sku_map', [{ sku: missing, catalogNo: catalogOf.get(missing), partNo: '' }]);
		await run(IDS.replay, 'Run now');
		await waitFor('the error queue to empty', async () => ((await tableRows('mlc_error_queue')).length === 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
		const after = await ifsOrdersByReference();
		for (const order of orders) expect(after.get(order.amazonOrderId) ?? []).toHaveLength(1);
	});

	it('IFS inventory → Amazon: merchant-fulfilled quantities equal IFS availability of the mapped parts', async () => {
		const sellerId = amazon!.credentials('na').sellerId;
		const mfn = amazon!.data.listings(sellerId).filter((listing) => mfnQuantities(listing).size > 0).slice(0, 8);
		expect(mfn.length).toBeGreaterThan(3);
		const stock = await ifs!.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet');
		const parts = [...new Set(stock.map((row) => String(row.PartNo)))].slice(0, mfn.length);
		const available = (part: string) => Math.max(0, Math.floor(stock.filter((row) => row.PartNo === part).reduce((sum, row) => sum + Number(row.AvailableQty ?? 0), 0)));
		await insertRows('mlc_sku_map', mfn.map((listing, index) => ({ sku: listing.sku, partNo: parts[index], catalogNo: '' })));

		const execution = await run(IDS.inventory, 'Run now');
		const results = itemsOf(execution, 'Send quantities to Amazon (one feed)');
		expect(results.map((item) => item.sku).sort()).toEqual(mfn.map((listing) => listing.sku).sort());
		await waitFor(
			'Amazon to apply the feed',
			async () => (mfn.every((listing, index) => [...mfnQuantities(amazon!.data.listing(listing.sku, sellerId)).values()][0] === available(parts[index])) ? true : undefined),
			{ timeoutMs: 60_000, intervalMs: 500 },
		);
		// Nothing changed in IFS: the next run sends nothing.
		const again = await run(IDS.inventory, 'Run now');
		expect(itemsOf(again, 'Send quantities to Amazon (one feed)')).toHaveLength(0);
	});

	it('Amazon settlements → IFS: one balanced journal per settlement, equal to its deposit, posted once', async () => {
		const sellerId = amazon!.credentials('na').sellerId;
		const reports = amazon!.data.reports(sellerId).filter((report) => report.reportType === SETTLEMENT && report.createdTime >= Date.now() - 30 * DAY + 60_000);
		expect(reports.length).toBeGreaterThan(0);
		const first = await run(IDS.settlements, 'Run now: settlements of the last 30 days');
		const journals = itemsOf(first, 'Settlement → journal');
		const unmapped = itemsOf(first, 'Settlement → journal', 1);
		expect(journals.length + unmapped.length).toBeGreaterThanOrEqual(reports.length);
		const posted = itemsOf(first, 'Post journal once');
		expect(posted).toHaveLength(journals.length);
		expect(posted.every((item) => (item._trace as { action: string }).action === 'created')).toBe(true);
		for (const journal of journals) {
			const lines = journal.lines as Array<{ debit: string; credit: string; account: string }>;
			const cents = (value: string) => Math.round(Number(value) * 100);
			expect(lines.reduce((sum, line) => sum + cents(line.debit) - cents(line.credit), 0)).toBe(0);
		}
		const reconciliation = itemsOf(first, 'Settlement vs payment proposals');
		expect(reconciliation.map((item) => item.settlementId).sort()).toEqual([...new Set(journals.map((journal) => journal.settlementId))].sort());

		const second = await run(IDS.settlements, 'Run now: settlements of the last 30 days');
		expect(itemsOf(second, 'Post journal once').every((item) => (item._trace as { action: string }).action !== 'created')).toBe(true);
	});
});

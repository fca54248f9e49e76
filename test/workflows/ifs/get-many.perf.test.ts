/**
 * Timing acceptance for Get Many: with 200 ms page latency, concurrent page fetches are at least
 * 4× faster than one page after another. Runs serially after the main suite (jest.perf.config.js)
 * against a sandbox in its own process, like a remote tenant, so that we time the node and not
 * our own test machinery competing for one thread.
 */

import { INVENTORY_KEYS } from '../../sandbox/ifs';
import { type RemoteIfsSandbox, spawnIfsSandbox } from '../../sandbox/ifs/process';
import { IFS_NODE, jsonOf, locator, runIfs } from './helpers';

const ROWS = 100_000;
const INVENTORY = { projection: locator('InventoryPartInStockHandling'), entitySet: locator('InventoryPartInStockSet') };
const keyOf = (row: Record<string, unknown>) => INVENTORY_KEYS.map((key) => String(row[key])).join('|');

let sandbox: RemoteIfsSandbox;
beforeAll(async () => {
	sandbox = await spawnIfsSandbox({ inventoryRows: ROWS });
	await sandbox.faults({ collectionLatencyMs: 200 });
});
afterAll(async () => await sandbox?.close());

async function readAll(maxConcurrency: number) {
	await sandbox.resetStats();
	const result = await runIfs({ sandbox, parameters: { operation: 'getMany', ...INVENTORY, returnAll: true, options: { maxConcurrency } } });
	expect(result.status).toBe('success');
	const stats = await sandbox.stats(true);
	const pages = stats.log.filter((entry) => entry.path.endsWith('InventoryPartInStockSet'));
	return {
		keys: jsonOf(result.output(IFS_NODE)).map(keyOf),
		pages: pages.length,
		maxInFlight: stats.maxInFlight,
		// From the first page request's arrival to the last page's answer, as the server saw it.
		spanMs: Math.max(...pages.map((entry) => entry.endMs)) - Math.min(...pages.map((entry) => entry.startMs)),
	};
}

test('with 200 ms page latency, 8 concurrent page fetches are at least 4× faster than one after another', async () => {
	const expected = (await sandbox.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet')).map(keyOf);
	const sequential = await readAll(1);
	const concurrent = await readAll(8);

	for (const run of [sequential, concurrent]) {
		expect(run.keys).toHaveLength(ROWS);
		expect(run.keys).toEqual(expected);
	}
	expect(sequential.pages).toBe(concurrent.pages);
	expect(sequential.maxInFlight).toBe(1);
	expect(concurrent.maxInFlight).toBeGreaterThan(1);
	expect(concurrent.maxInFlight).toBeLessThanOrEqual(8);
	expect(sequential.spanMs / concurrent.spanMs).toBeGreaterThanOrEqual(4);
});

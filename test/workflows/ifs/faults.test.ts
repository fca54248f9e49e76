/**
 * Faults through real workflow JSON: tokens expiring mid-run, 5xx bursts, connection resets and
 * projection redeploys end with every row exactly once; cancellation stops the run promptly.
 */
import type { IDataObject } from 'n8n-workflow';

import { INVENTORY_KEYS, type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, locator, runIfs } from './helpers';

const INVENTORY = { projection: locator('InventoryPartInStockHandling'), entitySet: locator('InventoryPartInStockSet') };
const P = 'InventoryPartInStockHandling';
const SET = 'InventoryPartInStockSet';
const keyOf = (row: Record<string, unknown>) => INVENTORY_KEYS.map((key) => String(row[key])).join('|');

function readAll(sandbox: IfsSandbox, options: IDataObject = {}) {
	return runIfs({
		sandbox,
		parameters: { operation: 'getMany', ...INVENTORY, returnAll: true, options: { pageSize: 1000, retryBudgetSeconds: 60, ...options } },
	});
}

function expectAllRowsOnce(rows: IDataObject[], sandbox: IfsSandbox) {
	const expected = sandbox.data.rows(P, SET).map(keyOf);
	expect(rows.map(keyOf)).toEqual(expected);
}

describe('Get Many survives faults', () => {
	let sandbox: IfsSandbox;
	beforeAll(async () => {
		sandbox = await startIfsSandbox({ inventoryRows: 20_000 });
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => {
		sandbox.faults.clear();
		sandbox.stats.reset();
	});

	test('tokens that expire mid-run are refreshed and the page retried: no item fails', async () => {
		// Tokens live 2 s; 20 pages at 400 ms, two at a time, outlive several of them (a token
		// younger than that is never the victim, even on a loaded machine).
		const shortLived = await startIfsSandbox({ inventoryRows: 20_000, tokenLifetimeSeconds: 2 });
		try {
			shortLived.faults.collectionLatencyMs = 400;
			const result = await readAll(shortLived, { maxConcurrency: 2 });
			expect(result.status).toBe('success');
			expectAllRowsOnce(jsonOf(result.output(IFS_NODE)), shortLived);
			expect(shortLived.stats.count401).toBeGreaterThan(0);
			expect(shortLived.stats.tokensIssued).toBeGreaterThan(1);
			expect(result.credentialStore.oauthTokenWrites('ifsCloudOAuth2Api')).toBe(shortLived.stats.tokensIssued);
		} finally {
			await shortLived.close();
		}
	});

	test('tokens revoked by the server mid-run are replaced as well', async () => {
		sandbox.faults.collectionLatencyMs = 60;
		const run = readAll(sandbox, { maxConcurrency: 1 });
		await new Promise((resolve) => setTimeout(resolve, 400));
		sandbox.faults.expireAllTokens();
		const result = await run;
		expect(result.status).toBe('success');
		expectAllRowsOnce(jsonOf(result.output(IFS_NODE)), sandbox);
		expect(sandbox.stats.count401).toBeGreaterThanOrEqual(1);
	});

	test('bursts of 502, 503 and 504 are retried with backoff', async () => {
		// Spread over pages: consecutive failures of one request back off exponentially (by design).
		sandbox.faults.failNext(3, 503, { match: /\$skip=2000(&|$)/, retryAfterSeconds: 1 });
		sandbox.faults.failNext(2, 502, { match: /\$skip=5000(&|$)/ });
		sandbox.faults.failNext(2, 504, { match: /\$skip=9000(&|$)/ });
		const result = await readAll(sandbox, { maxConcurrency: 4 });
		expect(result.status).toBe('success');
		expectAllRowsOnce(jsonOf(result.output(IFS_NODE)), sandbox);
		expect(sandbox.stats.count503).toBe(3);
		expect(sandbox.stats.countStatus(502) + sandbox.stats.countStatus(504)).toBe(4);
	});

	test('connection resets are retried (reads are idempotent)', async () => {
		sandbox.faults.resetNext(4, { match: SET });
		const result = await readAll(sandbox, { maxConcurrency: 4 });
		expect(result.status).toBe('success');
		expect(sandbox.stats.resets).toBe(4);
		expectAllRowsOnce(jsonOf(result.output(IFS_NODE)), sandbox);
	});

	test('MI_MODIFIED_ERROR (projection redeployed) is retried once, then reported with advice', async () => {
		sandbox.faults.miModifiedNext(1, { match: SET });
		const once = await readAll(sandbox);
		expect(once.status).toBe('success');
		expectAllRowsOnce(jsonOf(once.output(IFS_NODE)), sandbox);

		sandbox.faults.miModifiedNext(2, { match: SET });
		const twice = await readAll(sandbox);
		expect(twice.status).toBe('error');
		expect(twice.error?.message).toMatch(/MI_MODIFIED_ERROR/);
		expect((twice.error as { description?: string }).description).toMatch(/redeployed/);
	});

	test('a 5xx that does not stop within the retry budget fails with a clear message', async () => {
		sandbox.faults.failNext(1000, 503, { match: SET, retryAfterSeconds: 1 });
		const result = await readAll(sandbox, { retryBudgetSeconds: 3 });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/IFS Cloud was unavailable \(HTTP 503\) after \d+ attempts/);
		expect((result.error as { httpCode?: string }).httpCode).toBe('503');
	});

	test('cancelling the execution stops paging promptly', async () => {
		sandbox.faults.collectionLatencyMs = 200;
		const result = await runIfs({
			sandbox,
			parameters: { operation: 'getMany', ...INVENTORY, returnAll: true, options: { pageSize: 500, maxConcurrency: 1 } },
			cancelAfterMs: 700,
		});
		expect(result.status).toBe('canceled');
		const requestsAtCancel = sandbox.stats.apiRequests;
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(sandbox.stats.apiRequests).toBe(requestsAtCancel);
		expect(requestsAtCancel).toBeLessThan(10);
	});
});

describe('writes survive faults', () => {
	let sandbox: IfsSandbox;
	beforeAll(async () => {
		sandbox = await startIfsSandbox();
	});
	afterAll(async () => await sandbox.close());

	test('ETag-safe updates are retried through resets and 503s, each applied exactly once', async () => {
		const orders = sandbox.data.rows('CustomerOrderHandling', 'CustomerOrderSet').slice(0, 12);
		sandbox.faults.resetNext(2, { match: /CustomerOrderSet\(/ });
		sandbox.faults.failNext(2, 503, { match: /CustomerOrderSet\(/ });
		const result = await runIfs({
			sandbox,
			parameters: {
				operation: 'update',
				projection: locator('CustomerOrderHandling'),
				entitySet: locator('CustomerOrderSet'),
				key: { fields: [{ name: 'OrderNo', value: '={{ $json.OrderNo }}' }] },
				dataMode: 'defineBelow',
				fields: { field: [{ name: 'Note', value: '={{ "synced " + $json.OrderNo }}' }] },
				options: { retryBudgetSeconds: 30 },
			},
			items: orders.map((order) => ({ OrderNo: String(order.OrderNo) })),
		});
		expect(result.status).toBe('success');
		for (const order of orders) {
			expect(sandbox.data.get('CustomerOrderHandling', 'CustomerOrderSet', { OrderNo: order.OrderNo })?.Note).toBe(`synced ${order.OrderNo}`);
		}
		expect(jsonOf(result.output(IFS_NODE))).toHaveLength(12);
	});
});

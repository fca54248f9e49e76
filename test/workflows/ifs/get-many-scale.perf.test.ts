/**
 * (Runs alone with the timing acceptance, jest.perf.config.js: reads of 100 000 rows are too
 * heavy to share two cores with the rest of the suite.)
 * Get Many through real workflow JSON: every row exactly once and in key order, pages fetched
 * concurrently under the rate limit, 429s absorbed, server paging followed, other hosts refused.
 */
import * as http from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import { INVENTORY_KEYS, type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, locator, runIfs } from './helpers';

const INVENTORY = { projection: locator('InventoryPartInStockHandling'), entitySet: locator('InventoryPartInStockSet') };
const ROWS = 100_000;

const keyOf = (row: Record<string, unknown>) => INVENTORY_KEYS.map((key) => String(row[key])).join('|');

function expectExactlyInKeyOrder(rows: IDataObject[], expected: Array<Record<string, unknown>>) {
	expect(rows).toHaveLength(expected.length);
	expect(new Set(rows.map(keyOf)).size).toBe(expected.length);
	// The sandbox returns its rows in key order; ours must match one for one.
	for (let index = 0; index < expected.length; index += 997) expect(keyOf(rows[index])).toBe(keyOf(expected[index]));
	expect(rows.map(keyOf)).toEqual(expected.map(keyOf));
}

describe('IFS Cloud Get Many over 100 000 rows', () => {
	let sandbox: IfsSandbox;
	let expected: Array<Record<string, unknown>>;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ inventoryRows: ROWS });
		expected = sandbox.data.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet');
	});
	afterAll(async () => await sandbox.close());
	beforeEach(() => {
		sandbox.faults.clear();
		sandbox.stats.reset();
	});

	test('Return All returns every row once, in key order, in 5000-row pages', async () => {
		const result = await runIfs({ sandbox, parameters: { operation: 'getMany', ...INVENTORY, returnAll: true } });

		expect(result.status).toBe('success');
		const rows = jsonOf(result.output(IFS_NODE));
		expectExactlyInKeyOrder(rows, expected);
		expect(result.output(IFS_NODE).every((item, index) => (item.pairedItem as { item: number }).item === 0 && index >= 0)).toBe(true);

		const pages = sandbox.stats.log.filter((entry) => entry.path.endsWith('InventoryPartInStockSet'));
		expect(pages).toHaveLength(ROWS / 5000 + 1); // the last, empty page checks for rows added meanwhile
		for (const page of pages) {
			expect(Number(page.query.$top)).toBeLessThanOrEqual(5000);
			expect(page.query.$orderby).toBe(INVENTORY_KEYS.join(','));
		}
		expect(sandbox.stats.count429).toBe(0);
	});

	describe('under a tenant rate limit of 40 requests per 2 s', () => {
		let limited: IfsSandbox;
		beforeAll(async () => {
			limited = await startIfsSandbox({ inventoryRows: ROWS, rateLimit: { requests: 40, windowMs: 2000 } });
		});
		afterAll(async () => await limited.close());
		beforeEach(() => limited.stats.reset());

		test('the limiter keeps every window under the limit: no 429 at all', async () => {
			const result = await runIfs({
				sandbox: limited,
				parameters: {
					operation: 'getMany',
					...INVENTORY,
					returnAll: true,
					options: { pageSize: 1000, maxConcurrency: 8, requestsPerWindow: 40, rateWindowSeconds: 2 },
				},
			});
			expect(result.status).toBe('success');
			expectExactlyInKeyOrder(jsonOf(result.output(IFS_NODE)), expected);
			expect(limited.stats.count429).toBe(0);
			expect(limited.stats.requestsInAnyWindow(2000)).toBeLessThanOrEqual(40);
			expect(limited.stats.apiRequests).toBeGreaterThan(100);
		});

	});

	describe('under a tenant limit smaller than the node\'s concurrency (6 requests per second)', () => {
		let strict: IfsSandbox;
		beforeAll(async () => {
			// Eight concurrent pages against six per second: the first burst alone must draw 429s,
			// however fast or slow the machine serves them.
			strict = await startIfsSandbox({ inventoryRows: ROWS, rateLimit: { requests: 6, windowMs: 1000 } });
		});
		afterAll(async () => await strict.close());

		test('with the limiter off, 429s are absorbed by backoff and no row is lost or repeated', async () => {
			strict.stats.reset();
			const result = await runIfs({
				sandbox: strict,
				parameters: {
					operation: 'getMany',
					...INVENTORY,
					returnAll: true,
					options: { pageSize: 5000, maxConcurrency: 8, requestsPerWindow: 0 },
				},
			});
			expect(result.status).toBe('success');
			expect(strict.stats.count429).toBeGreaterThan(0);
			expectExactlyInKeyOrder(jsonOf(result.output(IFS_NODE)), expected);
		});
	});
});

describe('IFS Cloud Get Many paging details', () => {
	let sandbox: IfsSandbox;
	beforeAll(async () => {
		// The server pages at 700 rows although the node asks for 5000: next links fill each page.
		sandbox = await startIfsSandbox({ inventoryRows: 12_345, maxPageSize: 700, nextLinkStyle: 'relative' });
	});
	afterAll(async () => await sandbox.close());

	test('follows @odata.nextLink (relative) until each page is complete', async () => {
		const expected = sandbox.data.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet');
		const result = await runIfs({ sandbox, parameters: { operation: 'getMany', ...INVENTORY, returnAll: true } });
		expect(result.status).toBe('success');
		expectExactlyInKeyOrder(jsonOf(result.output(IFS_NODE)), expected);
		expect(sandbox.stats.log.some((entry) => entry.query.$skip === '700')).toBe(true);
	});

	test('Limit returns exactly that many rows, across pages', async () => {
		const expected = sandbox.data.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet').slice(0, 1234);
		const result = await runIfs({ sandbox, parameters: { operation: 'getMany', ...INVENTORY, returnAll: false, limit: 1234 } });
		expectExactlyInKeyOrder(jsonOf(result.output(IFS_NODE)), expected);
	});

	test('filter, select and order: the keys are appended to the sort and to the selection', async () => {
		sandbox.stats.reset();
		const result = await runIfs({
			sandbox,
			parameters: {
				operation: 'getMany',
				...INVENTORY,
				returnAll: true,
				filter: "Contract eq 'S100' and QtyOnhand gt 50",
				options: { select: 'QtyOnhand,AvailableQty', orderby: 'QtyOnhand desc' },
			},
		});
		const all = sandbox.data.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet');
		const wanted = all
			.filter((row) => row.Contract === 'S100' && (row.QtyOnhand as number) > 50)
			.sort((a, b) => (b.QtyOnhand as number) - (a.QtyOnhand as number) || keyOf(a).localeCompare(keyOf(b)));
		const rows = jsonOf(result.output(IFS_NODE));
		expect(rows.length).toBe(wanted.length);
		expect(rows.length).toBeGreaterThan(0);
		expect(rows.map((row) => row.QtyOnhand)).toEqual(wanted.map((row) => row.QtyOnhand));
		expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['QtyOnhand', 'AvailableQty', ...INVENTORY_KEYS]));
		expect(rows[0]).not.toHaveProperty('LastCountDate');
		const first = sandbox.stats.log.find((entry) => entry.path.endsWith('InventoryPartInStockSet'));
		expect(first?.query.$orderby).toBe(`QtyOnhand desc,${INVENTORY_KEYS.join(',')}`);
		expect(first?.url).not.toContain('+');
	});

	test('company-scoped entities are filtered by the default company', async () => {
		const result = await runIfs({
			sandbox,
			parameters: { operation: 'getMany', projection: locator('VoucherHandling'), entitySet: locator('VoucherSet'), returnAll: true },
			credentials: { companyCode: '20' },
		});
		const rows = jsonOf(result.output(IFS_NODE));
		expect(rows.length).toBe(sandbox.data.rows('VoucherHandling', 'VoucherSet').filter((row) => row.Company === '20').length);
		expect(rows.every((row) => row.Company === '20')).toBe(true);
	});
});

describe('a next link to another host', () => {
	test('is refused before any request is sent there', async () => {
		const sandbox = await startIfsSandbox();
		// A second server on another loopback address stands in for a foreign host.
		let foreignHits = 0;
		const foreign = http.createServer((_request, response) => {
			foreignHits++;
			response.end('{}');
		});
		await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.2', resolve));
		const foreignUrl = `http://127.0.0.2:${(foreign.address() as { port: number }).port}`;
		// A proxy in front of the sandbox that rewrites the next link, as a hostile or misconfigured gateway would.
		const proxy = http.createServer((request, response) => {
			const upstream = http.request(`${sandbox.url}${request.url}`, { method: request.method, headers: request.headers }, (answer) => {
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () => {
					let body = Buffer.concat(chunks).toString('utf8');
					if (body.includes('"value"')) {
						const parsed = JSON.parse(body);
						parsed['@odata.nextLink'] = `${foreignUrl}/steal?$skip=1`;
						parsed.value = parsed.value.slice(0, 1);
						delete parsed['@odata.count'];
						body = JSON.stringify(parsed);
					}
					response.writeHead(answer.statusCode ?? 500, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
					response.end(body);
				});
			});
			request.pipe(upstream);
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
		try {
			const result = await runIfs({
				sandbox,
				parameters: { operation: 'getMany', ...INVENTORY, returnAll: true },
				credentials: { systemUrl: proxyUrl },
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/Refused to send credentials to http:\/\/127\.0\.0\.2/);
			expect(foreignHits).toBe(0);
		} finally {
			await new Promise((resolve) => foreign.close(resolve));
			await new Promise((resolve) => proxy.close(resolve));
			await sandbox.close();
		}
	});
});

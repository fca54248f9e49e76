import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, call, q } from './helpers';

const INV = 'InventoryPartInStockHandling';
const ROWS = 100_000;

describe('IFS sandbox: server-driven paging over 100 000 rows', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ inventoryRows: ROWS });
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());

	type Row = Record<string, unknown>;
	interface Page<T> {
		count: number;
		nextLink?: string;
		odataCount?: number;
		first?: Row;
		picked: T[];
	}

	/**
	 * Follow @odata.nextLink verbatim until it is absent. Only `pick(row)` of each row is kept, so
	 * the test itself does not hold 100 000 parsed rows (that GC pressure would slow the server).
	 */
	async function walk<T>(firstUrl: string, pick: (row: Row) => T, headers: Record<string, string> = {}): Promise<Array<Page<T>>> {
		const pages: Array<Page<T>> = [];
		let url: string | undefined = firstUrl;
		while (url) {
			const res = await call(url, { headers: { Authorization: `Bearer ${api.token}`, ...headers } });
			expect(res.status).toBe(200);
			const value = res.json.value as Row[];
			pages.push({ count: value.length, nextLink: res.json['@odata.nextLink'], odataCount: res.json['@odata.count'], first: value[0], picked: value.map(pick) });
			url = res.json['@odata.nextLink'];
			expect(pages.length).toBeLessThan(100); // bounded
		}
		return pages;
	}
	const keyref = (row: Row) => row.keyref as string;

	it('seeds 100 000 rows', () => {
		expect(sandbox.data.count(INV, 'InventoryPartInStockSet')).toBe(ROWS);
	});

	it('caps pages at 5000 rows and walks every row exactly once, in key order, via absolute nextLinks', async () => {
		sandbox.stats.reset();
		const pages = await walk(api.url(INV, 'InventoryPartInStockSet'), keyref);
		expect(pages).toHaveLength(ROWS / 5000);
		for (const page of pages.slice(0, -1)) {
			expect(page.count).toBe(5000);
			expect(page.nextLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/int\/ifsapplications\/projection\/v1\/InventoryPartInStockHandling\.svc\/InventoryPartInStockSet\?\$skip=\d+$/);
		}
		expect(pages[pages.length - 1].nextLink).toBeUndefined();
		const keyrefs = pages.flatMap((p) => p.picked);
		expect(keyrefs).toHaveLength(ROWS);
		expect(new Set(keyrefs).size).toBe(ROWS);
		const expected = sandbox.data.rows(INV, 'InventoryPartInStockSet').map((r) => r.keyref);
		expect(keyrefs.every((k, i) => k === expected[i])).toBe(true);
	});

	it('keeps $filter, $orderby, $select and $count across pages', async () => {
		const filter = "QtyOnhand gt 100 and Contract ne 'S300'";
		const pages = await walk(
			api.url(INV, `InventoryPartInStockSet?${q({ $filter: filter, $orderby: 'ReceiptDate desc,PartNo', $select: 'PartNo,ReceiptDate,QtyOnhand', $count: true })}`),
			(r) => ({ keyref: r.keyref as string, ReceiptDate: r.ReceiptDate as string, PartNo: r.PartNo as string }),
		);
		const all = sandbox.data.rows(INV, 'InventoryPartInStockSet').filter((r) => (r.QtyOnhand as number) > 100 && r.Contract !== 'S300');
		const rows = pages.flatMap((p) => p.picked);
		expect(rows).toHaveLength(all.length);
		expect(pages.every((p) => p.odataCount === all.length)).toBe(true);
		expect(new Set(rows.map((r) => r.keyref)).size).toBe(all.length);
		for (let i = 1; i < rows.length; i++) {
			const a = rows[i - 1];
			const b = rows[i];
			const ok = a.ReceiptDate > b.ReceiptDate || (a.ReceiptDate === b.ReceiptDate && a.PartNo <= b.PartNo);
			if (!ok) throw new Error(`order broken at ${i}`);
		}
		expect(Object.keys(pages[0].first!)).toEqual(['@odata.etag', 'luname', 'keyref', 'PartNo', 'QtyOnhand', 'ReceiptDate']);
	});

	it('splits $top larger than the page size and stops exactly at $top', async () => {
		const pages = await walk(api.url(INV, 'InventoryPartInStockSet?$top=12000&$skip=10'), keyref);
		expect(pages.map((p) => p.count)).toEqual([5000, 5000, 2000]);
		expect(pages[0].nextLink).toMatch(/\$top=7000&\$skip=5010$/);
		const all = sandbox.data.rows(INV, 'InventoryPartInStockSet').map((r) => r.keyref);
		expect(pages.flatMap((p) => p.picked)).toEqual(all.slice(10, 12_010));
		const small = await walk(api.url(INV, 'InventoryPartInStockSet?$top=3000'), keyref);
		expect(small).toHaveLength(1);
		expect(small[0].count).toBe(3000);
	});

	it('honours Prefer: odata.maxpagesize', async () => {
		const res = await api.get(INV, 'InventoryPartInStockSet?$top=25', { Prefer: 'odata.maxpagesize=10' });
		expect(res.json.value).toHaveLength(10);
		expect(res.headers.get('preference-applied')).toBe('odata.maxpagesize=10');
		expect(res.json['@odata.nextLink']).toMatch(/\$top=15&\$skip=10$/);
	});
});

describe('IFS sandbox: relative nextLinks and a small page size', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ nextLinkStyle: 'relative', maxPageSize: 7 });
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());

	it('emits links relative to @odata.context (the service root) that continue exactly', async () => {
		const order = sandbox.data.rows('CustomerOrderHandling', 'CustomerOrderSet')[0].OrderNo;
		const seen: string[] = [];
		let res = await api.get('CustomerOrderHandling', `CustomerOrderSet?${q({ $filter: "OrderNo ne 'X'", $select: 'OrderNo' })}`);
		while (true) {
			seen.push(...res.json.value.map((r: { OrderNo: string }) => r.OrderNo));
			const next = res.json['@odata.nextLink'];
			if (!next) break;
			expect(next).toMatch(/^CustomerOrderSet\?/);
			res = await call(new URL(next, res.json['@odata.context']).toString(), { headers: { Authorization: `Bearer ${api.token}` } });
			expect(seen.length).toBeLessThan(100);
		}
		expect(seen).toEqual(sandbox.data.rows('CustomerOrderHandling', 'CustomerOrderSet').map((r) => r.OrderNo));
		// Navigation collections page too; the link keeps the navigation path.
		const lines = await api.get('CustomerOrderHandling', `CustomerOrderSet(OrderNo='${order}')/OrderLinesArray?$top=1`);
		expect(lines.json['@odata.nextLink']).toBeUndefined();
	});
});

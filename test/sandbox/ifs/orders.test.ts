import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, q } from './helpers';

const CO = 'CustomerOrderHandling';
const SP = 'SalesPartHandling';
const ORDER = 'C1000001';
const orderPath = (no = ORDER) => `CustomerOrderSet(OrderNo='${no}')`;
const order = (extra: Record<string, unknown> = {}) => ({
	Contract: 'S100',
	CustomerNo: '10002',
	CurrencyCode: 'SEK',
	WantedDeliveryDate: '2024-10-01',
	...extra,
});

describe('IFS sandbox: customer orders, lines, sales parts and ChangeDate', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	describe('order number series', () => {
		it('assigns C + 7 digits after the seeded numbers when OrderNo is not sent, and never reuses one', async () => {
			const first = await api.post(CO, 'CustomerOrderSet', order());
			expect(first.status).toBe(201);
			expect(first.json.OrderNo).toBe('C1000051');
			expect(first.headers.get('location')).toMatch(/CustomerOrderSet\(OrderNo='C1000051'\)$/);
			const second = await api.post(CO, 'CustomerOrderSet', order({ OrderNo: '' }));
			expect(second.json.OrderNo).toBe('C1000052');
			// An explicit number above the series moves it on; a deleted number is not handed out again.
			expect((await api.post(CO, 'CustomerOrderSet', order({ OrderNo: 'C1000060' }))).status).toBe(201);
			expect((await api.request('DELETE', CO, orderPath('C1000060'), { headers: { 'If-Match': '*' } })).status).toBe(204);
			expect((await api.post(CO, 'CustomerOrderSet', order())).json.OrderNo).toBe('C1000061');
			expect(sandbox.data.insert(CO, 'CustomerOrderSet', order()).OrderNo).toBe('C1000062');
			sandbox.reset();
			expect((await api.post(CO, 'CustomerOrderSet', order())).json.OrderNo).toBe('C1000051');
		});

		it('sets DateEntered and ChangeDate from the sandbox clock on create', async () => {
			sandbox.clock.set('2024-08-01T10:20:30.750Z');
			const res = await api.post(CO, 'CustomerOrderSet', order());
			expect(res.json).toMatchObject({ DateEntered: '2024-08-01T10:20:30Z', ChangeDate: '2024-08-01T10:20:30Z', ForwardAgentId: null, ShipViaCode: null });
		});
	});

	describe('lines', () => {
		it('creates a line from the sales part: RelNo 1, LineItemNo 0, PartNo and SalePrice from the catalogue', async () => {
			const contract = sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: ORDER })!.Contract;
			const part = sandbox.data.get(SP, 'SalesPartSet', { Contract: contract, CatalogNo: 'P-000123' })!;
			const res = await api.post(CO, 'CustomerOrderLineSet', { OrderNo: ORDER, LineNo: '10', CatalogNo: 'P-000123', BuyQtyDue: 3 });
			expect(res.status).toBe(201);
			expect(res.json).toMatchObject({ OrderNo: ORDER, LineNo: '10', RelNo: '1', LineItemNo: 0, PartNo: 'P-000123', SalePrice: part.ListPrice, Contract: contract, Objstate: 'Planned' });
			expect(res.json.keyref).toBe(`ORDER_NO=${ORDER}^LINE_NO=10^REL_NO=1^LINE_ITEM_NO=0^`);
			const lines = await api.get(CO, `${orderPath()}/OrderLinesArray?${q({ $filter: "LineNo eq '10'" })}`);
			expect(lines.json.value).toHaveLength(1);
		});

		it('creates a line through the OrderLinesArray navigation with the order number from the parent', async () => {
			const created = await api.post(CO, 'CustomerOrderSet', order());
			const orderNo = created.json.OrderNo as string;
			const res = await api.post(CO, `${orderPath(orderNo)}/OrderLinesArray`, { LineNo: '1', CatalogNo: 'P-000002', BuyQtyDue: 2, SalePrice: 10.25 });
			expect(res.status).toBe(201);
			expect(res.json).toMatchObject({ OrderNo: orderNo, SalePrice: 10.25 });
			expect((await api.get(CO, orderPath(orderNo))).json.TotalAmount).toBe(20.5);
		});

		it('rejects an unknown sales part with 400 DATABASE_ERROR, naming it', async () => {
			const res = await api.post(CO, `${orderPath()}/OrderLinesArray`, { LineNo: '11', CatalogNo: 'NO-SUCH-PART', BuyQtyDue: 1 });
			expect(res.status).toBe(400);
			expect(res.json.error.code).toBe('DATABASE_ERROR');
			expect(res.json.error.message).toMatch(/Sales Part NO-SUCH-PART does not exist/);
			// Sales parts are per site: a part only known on another site fails too.
			sandbox.data.insert(SP, 'SalesPartSet', { Contract: 'S999', CatalogNo: 'ONLY-S999', CatalogDesc: 'x', PartNo: 'ONLY-S999' });
			expect((await api.post(CO, `${orderPath()}/OrderLinesArray`, { LineNo: '12', CatalogNo: 'ONLY-S999', BuyQtyDue: 1 })).status).toBe(400);
			expect(() => sandbox.data.insert(CO, 'CustomerOrderLineSet', { OrderNo: ORDER, LineNo: '13', CatalogNo: 'NOPE', BuyQtyDue: 1 })).toThrow(/Sales Part NOPE/);
		});

		it('rejects a line for a missing order, and quantities that are not above 0', async () => {
			const missing = await api.post(CO, 'CustomerOrderLineSet', { OrderNo: 'C9999999', LineNo: '1', CatalogNo: 'P-000001', BuyQtyDue: 1 });
			expect(missing.status).toBe(400);
			expect(missing.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/Customer Order C9999999 does not exist/) });
			const nav = await api.post(CO, `${orderPath('C9999999')}/OrderLinesArray`, { LineNo: '1', CatalogNo: 'P-000001', BuyQtyDue: 1 });
			expect(nav.status).toBe(404);
			for (const qty of [0, -2]) {
				const res = await api.post(CO, 'CustomerOrderLineSet', { OrderNo: ORDER, LineNo: '20', CatalogNo: 'P-000001', BuyQtyDue: qty });
				expect(res.status).toBe(400);
				expect(res.json.error.message).toMatch(/greater than 0/);
			}
			const line = sandbox.data.rows(CO, 'CustomerOrderLineSet').find((l) => l.OrderNo === ORDER)!;
			const path = `CustomerOrderLineSet(OrderNo='${ORDER}',LineNo='${String(line.LineNo)}',RelNo='1',LineItemNo=0)`;
			expect((await api.patch(CO, path, { BuyQtyDue: 0 }, { 'If-Match': line['@odata.etag'] })).status).toBe(400);
		});

		it('lets one line of many fail while the others go through', async () => {
			const catalog = ['P-000001', 'P-000002', 'BAD-PART', 'P-000004'];
			const statuses = [];
			for (const [i, CatalogNo] of catalog.entries()) {
				statuses.push((await api.post(CO, `${orderPath()}/OrderLinesArray`, { LineNo: String(30 + i), CatalogNo, BuyQtyDue: 1 })).status);
			}
			expect(statuses).toEqual([201, 201, 400, 201]);
		});

		it('serves the catalogue read-only as SalesPartSet (key Contract + CatalogNo)', async () => {
			const res = await api.get(SP, `SalesPartSet(Contract='S200',CatalogNo='P-000400')`);
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ Contract: 'S200', CatalogNo: 'P-000400', PartNo: 'P-000400', PriceUnitMeas: 'PCS', luname: 'SalesPart' });
			expect(typeof res.json.CatalogDesc).toBe('string');
			expect(sandbox.data.count(SP, 'SalesPartSet')).toBe(1200);
			expect((await api.post(SP, 'SalesPartSet', { Contract: 'S100', CatalogNo: 'X' })).status).toBe(405);
			// Every part the seeded lines use is in the catalogue of the line's site.
			for (const line of sandbox.data.rows(CO, 'CustomerOrderLineSet')) {
				expect(sandbox.data.get(SP, 'SalesPartSet', { Contract: line.Contract, CatalogNo: line.CatalogNo })).toBeDefined();
			}
		});
	});

	describe('ChangeDate', () => {
		const changeDate = async (no = ORDER) => (await api.get(CO, orderPath(no))).json.ChangeDate as string;

		it('is a computed Edm.DateTimeOffset in $metadata, next to the new carrier fields', async () => {
			const xml = (await api.get(CO, '$metadata')).text;
			expect(xml).toMatch(/<Property Name="ChangeDate" Type="Edm.DateTimeOffset" Nullable="false">\s*<Annotation Term="Core.Computed" Bool="true"\/>/);
			expect(xml).toContain('<Property Name="ForwardAgentId" Type="Edm.String" MaxLength="20"/>');
			expect(xml).toContain('<Property Name="ShipViaCode" Type="Edm.String" MaxLength="3"/>');
		});

		it('is seeded from the last change of each order and cannot be written', async () => {
			for (const row of sandbox.data.rows(CO, 'CustomerOrderSet')) {
				expect(row.ChangeDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
				expect(Date.parse(row.ChangeDate as string)).toBeGreaterThanOrEqual(Date.parse(row.DateEntered as string));
			}
			const before = await changeDate();
			// (A clock set beyond the lifetime of the test's token would expire it: stay in the past.)
			sandbox.clock.set('2024-12-31T00:00:00Z');
			const res = await api.patch(CO, orderPath(), { ChangeDate: '2001-01-01T00:00:00Z', ShipViaCode: 'AIR' });
			expect(res.json).toMatchObject({ ShipViaCode: 'AIR', ChangeDate: '2024-12-31T00:00:00Z' });
			expect(before).not.toBe('2024-12-31T00:00:00Z');
		});

		it('moves on every PATCH, action, data.update and concurrent write, with second resolution', async () => {
			sandbox.clock.set(Date.UTC(2024, 8, 1, 12, 0, 0, 999));
			await api.patch(CO, orderPath(), { Note: 'a' });
			expect(await changeDate()).toBe('2024-09-01T12:00:00Z');

			sandbox.clock.advance(1);
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { Objstate: 'Planned' });
			expect(await changeDate()).toBe('2024-09-01T12:00:01Z');

			sandbox.clock.advance(60_000);
			const release = await api.post(CO, `${orderPath()}/IfsApp.CustomerOrderHandling.CustomerOrder_Release`, {}, { 'If-Match': await api.etag(CO, orderPath()) });
			expect(release.status).toBe(204);
			expect(await changeDate()).toBe('2024-09-01T12:01:01Z');

			sandbox.clock.advance(60_000);
			sandbox.faults.concurrentWriter({ projection: CO, entitySet: 'CustomerOrderSet', times: 1 });
			const stale = await api.patch(CO, orderPath(), { Note: 'mine' }, { 'If-Match': await api.etag(CO, orderPath()) });
			expect(stale.status).toBe(412);
			expect(await changeDate()).toBe('2024-09-01T12:02:01Z');

			// data.update may set it explicitly (to stage a history).
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { ChangeDate: '2024-01-01T00:00:00Z' });
			expect(await changeDate()).toBe('2024-01-01T00:00:00Z');
		});

		it('gives many changes in one frozen second the same ChangeDate, while each still gets a new ETag', async () => {
			sandbox.clock.set('2024-09-02T08:00:00Z');
			const orders = ['C1000002', 'C1000003', 'C1000004'];
			const etags = new Set<string>();
			for (const no of orders) {
				for (let i = 0; i < 2; i++) {
					const res = await api.patch(CO, orderPath(no), { Note: `n${i}` });
					etags.add(res.headers.get('etag')!);
				}
			}
			expect(etags.size).toBe(6);
			const filter = "ChangeDate ge 2024-09-02T08:00:00Z and ChangeDate lt 2024-09-02T08:00:01Z";
			const res = await api.get(CO, `CustomerOrderSet?${q({ $filter: filter, $select: 'OrderNo,ChangeDate', $orderby: 'ChangeDate,OrderNo' })}`);
			expect(res.json.value.map((r: { OrderNo: string }) => r.OrderNo)).toEqual(orders);
		});

		it("moves the header's ChangeDate (not its ETag) when a line is added, changed or removed", async () => {
			sandbox.clock.set('2024-09-03T09:00:00Z');
			const etag = await api.etag(CO, orderPath());
			const created = await api.post(CO, `${orderPath()}/OrderLinesArray`, { LineNo: '40', CatalogNo: 'P-000001', BuyQtyDue: 1 });
			expect(created.status).toBe(201);
			expect(await changeDate()).toBe('2024-09-03T09:00:00Z');
			expect(await api.etag(CO, orderPath())).toBe(etag);

			sandbox.clock.advance(5000);
			const linePath = `CustomerOrderLineSet(OrderNo='${ORDER}',LineNo='40',RelNo='1',LineItemNo=0)`;
			await api.patch(CO, linePath, { BuyQtyDue: 4 }, { 'If-Match': created.headers.get('etag')! });
			expect(await changeDate()).toBe('2024-09-03T09:00:05Z');

			sandbox.clock.advance(5000);
			await api.request('DELETE', CO, linePath, { headers: { 'If-Match': '*' } });
			expect(await changeDate()).toBe('2024-09-03T09:00:10Z');
			// The collection read sees the same values as the entity read (no stale cached JSON).
			const listed = await api.get(CO, `CustomerOrderSet?${q({ $filter: `OrderNo eq '${ORDER}'` })}`);
			expect(listed.json.value[0].ChangeDate).toBe('2024-09-03T09:00:10Z');
		});
	});
});

import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, q } from './helpers';

const SH = 'ShipmentHandling';
const CO = 'CustomerOrderHandling';
const STATE = 'IfsApp.ShipmentHandling.ShipmentState';
const shipmentPath = (id: number) => `ShipmentSet(ShipmentId=${id})`;

describe('IFS sandbox: shipments (ShipmentHandling)', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('seeds one shipment per Released / Reserved / Delivered order, its lines pointing at the order lines', () => {
		const orders = sandbox.data.rows(CO, 'CustomerOrderSet').filter((o) => ['Released', 'Reserved', 'Delivered'].includes(o.Objstate as string));
		const shipments = sandbox.data.rows(SH, 'ShipmentSet');
		const lines = sandbox.data.rows(SH, 'ShipmentLineSet');
		const orderLines = sandbox.data.rows(CO, 'CustomerOrderLineSet');
		expect(shipments).toHaveLength(orders.length);
		expect(sandbox.data.seeded).toMatchObject({ shipments: orders.length, shipmentLines: lines.length });
		shipments.forEach((shipment, i) => {
			const o = orders[i];
			expect(shipment).toMatchObject({ ShipmentId: i + 1, Contract: o.Contract, ReceiverId: o.CustomerNo, ForwardAgentId: o.ForwardAgentId });
			const shipped = o.Objstate === 'Delivered';
			expect(shipment.Objstate).toEqual(shipped ? expect.stringMatching(/^(Completed|Closed)$/) : 'Preliminary');
			expect(shipment.AirwayBillNo === null).toBe(!shipped);
			expect(shipment.ActualShipDate === null).toBe(!shipped);
			const mine = lines.filter((l) => l.ShipmentId === shipment.ShipmentId);
			expect(mine.map((l) => [l.SourceRef1, l.SourceRef2, l.SourceRef3, l.SourceRef4, l.InventoryPartNo, l.InventoryQty])).toEqual(
				orderLines.filter((l) => l.OrderNo === o.OrderNo).map((l) => [l.OrderNo, l.LineNo, l.RelNo, String(l.LineItemNo), l.PartNo, l.BuyQtyDue]),
			);
			expect(mine.every((l) => l.SourceRefType === 'CustomerOrder')).toBe(true);
		});
	});

	it('filters Objstate with the typed ShipmentState literal and reads lines through ShipmentLinesArray', async () => {
		const res = await api.get(SH, `ShipmentSet?${q({ $filter: `Objstate eq ${STATE}'Preliminary'`, $select: 'ShipmentId,Objstate' })}`);
		expect(res.status).toBe(200);
		expect(res.json.value.length).toBeGreaterThan(0);
		expect(res.json.value.every((s: { Objstate: string }) => s.Objstate === 'Preliminary')).toBe(true);
		expect((await api.get(SH, `ShipmentSet?${q({ $filter: "Objstate eq 'Preliminary'" })}`)).status).toBe(400);
		const lines = await api.get(SH, `${shipmentPath(1)}/ShipmentLinesArray`);
		expect(lines.json.value.length).toBeGreaterThan(0);
		const xml = (await api.get(SH, '$metadata')).text;
		expect(xml).toContain('<EnumType Name="ShipmentState" UnderlyingType="Edm.Int32">');
		expect(xml).toMatch(/<Property Name="ShipmentId" Type="Edm.Int32" Nullable="false">\s*<Annotation Term="Core.Computed"/);
	});

	it('assigns ShipmentId on POST (a sent one is ignored) and checks site and receiver', async () => {
		const next = sandbox.data.count(SH, 'ShipmentSet') + 1;
		sandbox.clock.set('2024-09-10T07:00:00Z');
		const res = await api.post(SH, 'ShipmentSet', { ShipmentId: 999, Contract: 'S100', ReceiverId: '10003', PlannedShipDate: '2024-09-12', ForwardAgentId: 'DHL' });
		expect(res.status).toBe(201);
		expect(res.json).toMatchObject({ ShipmentId: next, Objstate: 'Preliminary', AirwayBillNo: null, ChangeDate: '2024-09-10T07:00:00Z' });
		expect(res.headers.get('location')).toMatch(new RegExp(`ShipmentSet\\(ShipmentId=${next}\\)$`));
		expect((await api.post(SH, 'ShipmentSet', { Contract: 'S100', ReceiverId: '10003', PlannedShipDate: '2024-09-12' })).json.ShipmentId).toBe(next + 1);

		const badSite = await api.post(SH, 'ShipmentSet', { Contract: 'S999', ReceiverId: '10003', PlannedShipDate: '2024-09-12' });
		expect(badSite.status).toBe(400);
		const badReceiver = await api.post(SH, 'ShipmentSet', { Contract: 'S100', ReceiverId: 'NOPE', PlannedShipDate: '2024-09-12' });
		expect(badReceiver.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/Customer Info NOPE does not exist/) });
		// The id is the server's: an upsert cannot create a shipment.
		const upsert = await api.patch(SH, shipmentPath(5000), { AirwayBillNo: 'X' });
		expect(upsert.status).toBe(404);
		expect(upsert.json.error.message).toMatch(/ShipmentId is assigned by the server/);
	});

	it('creates lines from an order line (part and quantity by default) and rejects unknown order lines', async () => {
		const line = sandbox.data.rows(CO, 'CustomerOrderLineSet').find((l) => l.OrderNo === 'C1000005')!;
		const created = await api.post(SH, 'ShipmentSet', { Contract: line.Contract, ReceiverId: '10001', PlannedShipDate: '2024-09-12' });
		const id = created.json.ShipmentId as number;
		const res = await api.post(SH, `${shipmentPath(id)}/ShipmentLinesArray`, { SourceRef1: line.OrderNo, SourceRef2: line.LineNo });
		expect(res.status).toBe(201);
		expect(res.json).toMatchObject({ ShipmentId: id, ShipmentLineNo: 1, SourceRefType: 'CustomerOrder', SourceRef3: '1', SourceRef4: '0', InventoryPartNo: line.PartNo, InventoryQty: line.BuyQtyDue });
		const second = await api.post(SH, 'ShipmentLineSet', { ShipmentId: id, SourceRef1: line.OrderNo, SourceRef2: line.LineNo, SourceRef3: '1', SourceRef4: '0', InventoryQty: 1 });
		expect(second.json.ShipmentLineNo).toBe(2);
		const unknown = await api.post(SH, 'ShipmentLineSet', { ShipmentId: id, SourceRef1: line.OrderNo, SourceRef2: '99' });
		expect(unknown.status).toBe(400);
		expect(unknown.json.error.message).toMatch(/Customer Order Line .* does not exist/);
		expect((await api.post(SH, 'ShipmentLineSet', { ShipmentId: 987654, SourceRef1: line.OrderNo, SourceRef2: line.LineNo })).status).toBe(400);
		expect((await api.post(SH, 'ShipmentLineSet', { ShipmentId: id, SourceRef1: line.OrderNo, SourceRef2: line.LineNo, InventoryQty: 0 })).status).toBe(400);
	});

	it('updates carrier and tracking number with ETags; ChangeDate follows the clock, other users cause 412', async () => {
		const open = sandbox.data.rows(SH, 'ShipmentSet').find((s) => s.Objstate === 'Preliminary')!;
		const path = shipmentPath(open.ShipmentId as number);
		sandbox.clock.set('2024-09-20T15:30:00Z');
		const etag = await api.etag(SH, path);
		const res = await api.patch(SH, path, { ForwardAgentId: 'UPS', AirwayBillNo: '1Z999AA10123456784', ShipViaCode: 'AIR', Objstate: 'Closed' }, { 'If-Match': etag });
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ ForwardAgentId: 'UPS', AirwayBillNo: '1Z999AA10123456784', ShipViaCode: 'AIR', Objstate: 'Preliminary', ChangeDate: '2024-09-20T15:30:00Z' });

		sandbox.clock.advance(2000);
		sandbox.data.update(SH, 'ShipmentSet', { ShipmentId: open.ShipmentId }, { Objstate: 'Completed', ActualShipDate: '2024-09-20' });
		const stale = await api.patch(SH, path, { AirwayBillNo: 'LATE' }, { 'If-Match': res.headers.get('etag')! });
		expect(stale.status).toBe(412);
		const now = await api.get(SH, path);
		expect(now.json).toMatchObject({ Objstate: 'Completed', AirwayBillNo: '1Z999AA10123456784', ChangeDate: '2024-09-20T15:30:02Z' });
		const changed = await api.get(SH, `ShipmentSet?${q({ $filter: 'ChangeDate ge 2024-09-20T15:30:01Z', $select: 'ShipmentId' })}`);
		expect(changed.json.value).toEqual([expect.objectContaining({ ShipmentId: open.ShipmentId })]);
	});

	it('lets tests create more shipments with data.insert (own id or the next one)', () => {
		const chosen = sandbox.data.insert(SH, 'ShipmentSet', { ShipmentId: 700, Contract: 'S200', ReceiverId: '10004', PlannedShipDate: '2024-10-01', Objstate: 'Completed', AirwayBillNo: 'TRACK-700' });
		expect(chosen).toMatchObject({ ShipmentId: 700, Objstate: 'Completed' });
		const next = sandbox.data.insert(SH, 'ShipmentSet', { Contract: 'S200', ReceiverId: '10004', PlannedShipDate: '2024-10-01' });
		expect(next.ShipmentId).toBe(701);
		const line = sandbox.data.rows(CO, 'CustomerOrderLineSet')[0];
		const added = sandbox.data.insert(SH, 'ShipmentLineSet', { ShipmentId: 700, SourceRef1: line.OrderNo, SourceRef2: line.LineNo });
		expect(added).toMatchObject({ ShipmentLineNo: 1, InventoryPartNo: line.PartNo });
	});
});

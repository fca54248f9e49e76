/**
 * Customer, Fulfillment and Inventory through real workflow JSON against the IFS sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { ProcessedDataStore } from '../../harness';
import { type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, runIfs } from '../ifs/helpers';

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox({ rateLimit: false, inventoryRows: 3000 });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

const patches = () => sandbox.stats.log.filter((entry) => entry.method === 'PATCH');
const trace = (row: IDataObject) => row._trace as IDataObject;

describe('Customer: Create or Update by an external ID', () => {
	const C = 'CustomerHandling';
	const upsert = (extra: IDataObject = {}) => ({
		resource: 'customer',
		operation: 'upsert',
		matchField: 'AssociationNo',
		matchValue: '={{ $json.buyerId }}',
		customerFields: '={{ JSON.stringify({ CustomerId: "AMZ-" + $json.buyerId.slice(-8), Name: $json.name, Country: "DE" }) }}',
		paymentTerms: 'N30',
		currency: 'EUR',
		addresses: '={{ JSON.stringify([{ Address1: $json.street, ZipCode: "10115", City: "Berlin", Country: "DE", DeliveryAddress: true }]) }}',
		options: { sourceSystem: 'Amazon Seller Central' },
		...extra,
	});
	const buyer = { buyerId: 'A1B2C3D4E5F6G7', name: 'Erika Mustermann', street: 'Unter den Linden 1' };

	test('creates customer, company data and address once; the same input again changes nothing', async () => {
		const first = await runIfs({ sandbox, parameters: upsert(), items: [buyer] });
		expect(first.error?.message).toBeUndefined();
		expect(first.status).toBe('success');
		const [created] = jsonOf(first.output(IFS_NODE));
		expect(trace(created)).toMatchObject({ action: 'created', source: { system: 'Amazon Seller Central', id: buyer.buyerId }, target: { id: `${C}/CustomerInfoSet(CustomerId='AMZ-D4E5F6G7')` } });
		expect(sandbox.data.get(C, 'CustomerInfoSet', { CustomerId: 'AMZ-D4E5F6G7' })).toMatchObject({ Name: buyer.name, AssociationNo: buyer.buyerId, Country: 'DE' });
		expect(sandbox.data.get(C, 'CustomerCompanySet', { CustomerId: 'AMZ-D4E5F6G7', Company: '10' })).toMatchObject({ PayTermId: 'N30', CurrencyCode: 'EUR' });
		expect(sandbox.data.get(C, 'CustomerInfoAddressSet', { CustomerId: 'AMZ-D4E5F6G7', AddressId: '1' })).toMatchObject({ Address1: buyer.street, City: 'Berlin' });
		expect(first.run.data.resultData.runData[IFS_NODE][0].data?.main[0]?.[0].json.addresses).toHaveLength(1);

		sandbox.stats.reset();
		const again = await runIfs({ sandbox, parameters: upsert(), items: [buyer] });
		expect(trace(jsonOf(again.output(IFS_NODE))[0]).action).toBe('unchanged');
		expect(sandbox.stats.log.filter((entry) => entry.kind === 'api' && ['POST', 'PATCH'].includes(entry.method))).toHaveLength(0);
		expect(sandbox.data.rows(C, 'CustomerInfoSet').filter((row) => row.AssociationNo === buyer.buyerId)).toHaveLength(1);
	});

	test('a changed name is written alone, with the ETag; other fields stay as IFS has them', async () => {
		await runIfs({ sandbox, parameters: upsert(), items: [buyer] });
		sandbox.data.update(C, 'CustomerInfoSet', { CustomerId: 'AMZ-D4E5F6G7' }, { DefaultLanguage: 'de' });
		sandbox.stats.reset();
		const result = await runIfs({ sandbox, parameters: upsert(), items: [{ ...buyer, name: 'Erika Musterfrau' }] });
		expect(trace(jsonOf(result.output(IFS_NODE))[0]).action).toBe('updated');
		expect(patches()).toHaveLength(1);
		expect(patches()[0].headers['if-match']).toMatch(/^W\//);
		expect(sandbox.data.get(C, 'CustomerInfoSet', { CustomerId: 'AMZ-D4E5F6G7' })).toMatchObject({ Name: 'Erika Musterfrau', DefaultLanguage: 'de' });
	});

	test('matching by the key works on an existing customer; ambiguity and missing IDs are explained', async () => {
		const existing = sandbox.data.rows(C, 'CustomerInfoSet')[0];
		const byKey = await runIfs({
			sandbox,
			parameters: { resource: 'customer', operation: 'upsert', matchField: 'CustomerId', matchValue: String(existing.CustomerId), customerFields: JSON.stringify({ Name: existing.Name }) },
		});
		expect(trace(jsonOf(byKey.output(IFS_NODE))[0]).action).toBe('unchanged');

		const missingId = await runIfs({
			sandbox,
			parameters: { resource: 'customer', operation: 'upsert', matchField: 'AssociationNo', matchValue: 'NEW-BUYER', customerFields: '{"Name": "No Id"}' },
		});
		expect(missingId.status).toBe('error');
		expect(missingId.error?.message).toMatch(/No customer has AssociationNo "NEW-BUYER", and no CustomerId is given to create one/);

		const [a, b] = sandbox.data.rows(C, 'CustomerInfoSet');
		sandbox.data.update(C, 'CustomerInfoSet', { CustomerId: a.CustomerId }, { AssociationNo: 'DUP-1' });
		sandbox.data.update(C, 'CustomerInfoSet', { CustomerId: b.CustomerId }, { AssociationNo: 'DUP-1' });
		const ambiguous = await runIfs({
			sandbox,
			parameters: { resource: 'customer', operation: 'upsert', matchField: 'AssociationNo', matchValue: 'DUP-1', customerFields: '{"Name": "X"}' },
		});
		expect(ambiguous.error?.message).toMatch(/2 customers have AssociationNo "DUP-1"/);
	});

	test('Get includes addresses; customers are on /main by default', async () => {
		const withAddress = sandbox.data.rows(C, 'CustomerInfoAddressSet')[0];
		const result = await runIfs({ sandbox, parameters: { resource: 'customer', operation: 'get', customerId: String(withAddress.CustomerId) } });
		const [customer] = jsonOf(result.output(IFS_NODE));
		expect((customer.addresses as IDataObject[]).some((address) => address.AddressId === withAddress.AddressId)).toBe(true);
		expect(sandbox.stats.log.filter((entry) => entry.kind === 'api').every((entry) => entry.path.startsWith('/main/'))).toBe(true);
	});
});

describe('Fulfillment: Record Shipment', () => {
	const S = 'ShipmentHandling';
	const shipmentsOf = (orderNo: unknown) => {
		const ids = new Set(
			sandbox.data
				.rows(S, 'ShipmentLineSet')
				.filter((line) => line.SourceRef1 === orderNo && line.SourceRefType === 'CustomerOrder')
				.map((line) => line.ShipmentId),
		);
		return sandbox.data.rows(S, 'ShipmentSet').filter((shipment) => ids.has(shipment.ShipmentId));
	};
	const ordersWithShipments = () =>
		[...new Set(sandbox.data.rows(S, 'ShipmentLineSet').map((line) => line.SourceRef1))].filter((orderNo) => shipmentsOf(orderNo).length > 0) as string[];
	const record = { resource: 'fulfillment', operation: 'recordShipment', orderNo: '={{ $json.orderNo }}', carrier: '={{ $json.carrier }}', trackingNumber: '={{ $json.tracking }}', shipDate: '={{ $json.shippedAt }}' };

	test('under a concurrent writer every shipment ends with the right tracking, and the other writer keeps its change', async () => {
		const orders = ordersWithShipments();
		expect(orders.length).toBeGreaterThan(5);
		sandbox.faults.concurrentWriter({ projection: S, entitySet: 'ShipmentSet', times: orders.length, field: 'ShipViaCode', oncePerRow: true });
		const items = orders.map((orderNo, index) => ({ orderNo, carrier: index % 2 ? 'UPS' : 'DHL', tracking: `1Z999AA10${String(index).padStart(7, '0')}`, shippedAt: '2024-06-03T16:45:00Z' }));
		const result = await runIfs({ sandbox, parameters: record, items });
		expect(result.status).toBe('success');
		expect(sandbox.stats.count412).toBeGreaterThan(0);
		for (const item of items) {
			for (const shipment of shipmentsOf(item.orderNo)) {
				expect(shipment).toMatchObject({ ForwardAgentId: item.carrier, AirwayBillNo: item.tracking, ActualShipDate: '2024-06-03' });
			}
		}
		for (const write of sandbox.faults.concurrentWrites) {
			expect(sandbox.data.get(S, 'ShipmentSet', write.keys)?.ShipViaCode).toBe(write.newValue);
		}
		expect(patches().every((entry) => typeof entry.headers['if-match'] === 'string' && entry.headers['if-match'] !== '*')).toBe(true);
		const [first] = jsonOf(result.output(IFS_NODE));
		expect(trace(first)).toMatchObject({ action: 'updated', source: { id: items[0].tracking } });
	});

	test('the same tracking twice changes nothing', async () => {
		const [orderNo] = ordersWithShipments();
		const item = { orderNo, carrier: 'UPS', tracking: '1Z999AA1TWICE', shippedAt: '2024-06-04' };
		await runIfs({ sandbox, parameters: record, items: [item] });
		sandbox.stats.reset();
		const again = await runIfs({ sandbox, parameters: record, items: [item] });
		expect(trace(jsonOf(again.output(IFS_NODE))[0]).action).toBe('unchanged');
		expect(patches()).toHaveLength(0);
	});

	test('an order without a shipment says what to do; the order header can be the target instead', async () => {
		const withoutShipment = sandbox.data.rows('CustomerOrderHandling', 'CustomerOrderSet').find((order) => shipmentsOf(order.OrderNo).length === 0);
		const item = { orderNo: String(withoutShipment?.OrderNo), carrier: 'DHL', tracking: 'JD0001', shippedAt: '2024-06-04' };
		const failed = await runIfs({ sandbox, parameters: record, items: [item] });
		expect(failed.error?.message).toBe(`No shipment found for customer order ${withoutShipment?.OrderNo}`);
		expect(String((failed.error as { description?: string }).description)).toMatch(/Write To to "Customer Order"/);

		const onOrder = await runIfs({ sandbox, parameters: { ...record, target: 'customerOrder', trackingNumber: '', shipDate: '' }, items: [item] });
		expect(onOrder.status).toBe('success');
		expect(sandbox.data.get('CustomerOrderHandling', 'CustomerOrderSet', { OrderNo: withoutShipment?.OrderNo })?.ForwardAgentId).toBe('DHL');
	});

	test('a tracking field the tenant does not have is named, with candidates', async () => {
		const [orderNo] = ordersWithShipments();
		const result = await runIfs({ sandbox, parameters: { ...record, names: { trackingField: 'TrackingNo' } }, items: [{ orderNo, carrier: 'UPS', tracking: 'X1', shippedAt: '2024-06-04' }] });
		expect(result.error?.message).toMatch(/ShipmentSet in ShipmentHandling has no field "TrackingNo" \(tracking number\)/);
	});
});

describe('Inventory: Get Stock Levels', () => {
	const I = 'InventoryPartInStockHandling';
	const SET = 'InventoryPartInStockSet';
	/** Hand computation in whole hundredths: independent of the node's decimal code. */
	function expectedLevels(rows: Array<Record<string, unknown>>, bySite: boolean) {
		const levels = new Map<string, { onHand: number; available: number }>();
		for (const row of rows) {
			const key = bySite ? `${row.Contract}|${row.PartNo}` : String(row.PartNo);
			const level = levels.get(key) ?? { onHand: 0, available: 0 };
			level.onHand += Math.round(Number(row.QtyOnhand) * 100);
			level.available += Math.round(Number(row.AvailableQty) * 100);
			levels.set(key, level);
		}
		return levels;
	}
	const stock = (extra: IDataObject = {}) => ({ resource: 'inventory', operation: 'getStockLevels', ...extra });

	test('sums over locations and lots equal a hand-computed sum, per site and part and per part', async () => {
		const rows = sandbox.data.rows(I, SET);
		expect(new Set(rows.map((row) => `${row.Contract}|${row.PartNo}`)).size).toBeLessThan(rows.length);
		for (const groupBy of ['sitePart', 'part']) {
			const result = await runIfs({ sandbox, parameters: stock({ groupBy }) });
			const levels = jsonOf(result.output(IFS_NODE));
			const expected = expectedLevels(rows, groupBy === 'sitePart');
			expect(levels).toHaveLength(expected.size);
			for (const level of levels) {
				const key = groupBy === 'sitePart' ? `${level.Contract}|${level.PartNo}` : String(level.PartNo);
				expect(Math.round(Number(level.QtyOnhand) * 100)).toBe(expected.get(key)?.onHand);
				expect(Math.round(Number(level.AvailableQty) * 100)).toBe(expected.get(key)?.available);
			}
		}
	});

	test('sites and parts narrow the read; a listed part without stock is reported as zero', async () => {
		const rows = sandbox.data.rows(I, SET);
		const site = String(rows[0].Contract);
		const parts = [...new Set(rows.filter((row) => row.Contract === site).map((row) => String(row.PartNo)))].slice(0, 3);
		const result = await runIfs({ sandbox, parameters: stock({ sites: site, parts: [...parts, 'NO-SUCH-PART'].join(', ') }) });
		const levels = jsonOf(result.output(IFS_NODE));
		expect(levels.map((level) => level.PartNo).sort()).toEqual([...parts, 'NO-SUCH-PART'].sort());
		expect(levels.find((level) => level.PartNo === 'NO-SUCH-PART')).toMatchObject({ QtyOnhand: 0, AvailableQty: 0, stockRows: 0 });
		expect(levels.every((level) => level.Contract === site)).toBe(true);
	});

	test('"Changed Only" emits every part first, then exactly the parts that changed — also back to an earlier quantity', async () => {
		const parameters = stock({ changedOnly: true });
		const processedDataStore = new ProcessedDataStore();
		const run = async () => jsonOf((await runIfs({ sandbox, parameters, processedDataStore })).output(IFS_NODE));
		const all = await run();
		expect(all.length).toBe(expectedLevels(sandbox.data.rows(I, SET), true).size);
		expect(await run()).toEqual([]);

		const rows = sandbox.data.rows(I, SET);
		const changedRows = [rows[3], rows[400], rows[1500]];
		const original = changedRows.map((row) => row.QtyOnhand);
		for (const row of changedRows) sandbox.data.update(I, SET, row, { QtyOnhand: Number(row.QtyOnhand) + 1.25 });
		const changed = await run();
		expect(changed.map((level) => `${level.Contract}|${level.PartNo}`).sort()).toEqual([...new Set(changedRows.map((row) => `${row.Contract}|${row.PartNo}`))].sort());

		// Back to the earlier quantities: a store that only remembered values seen would miss this.
		changedRows.forEach((row, index) => sandbox.data.update(I, SET, row, { QtyOnhand: original[index] }));
		const reverted = await run();
		expect(reverted.map((level) => `${level.Contract}|${level.PartNo}`).sort()).toEqual([...new Set(changedRows.map((row) => `${row.Contract}|${row.PartNo}`))].sort());
		expect(await run()).toEqual([]);
	});
});

/**
 * ShipmentHandling: shipments of customer-order lines with carrier (ForwardAgentId) and tracking
 * number (AirwayBillNo) — what a web-shop integration reads back to report fulfilment.
 *
 * Names from third-party code that talks to real tenants (reference §1/§5): ShipmentSet (key
 * ShipmentId), ShipmentLineSet (ShipmentId, ShipmentLineNo, SourceRefType 'CustomerOrder',
 * SourceRef1..4 = order no / line no / rel no / line item no), typed enum ShipmentState. The
 * carrier/tracking field names are the IFS column names (FORWARD_AGENT_ID, AIRWAY_BILL_NO) in
 * projection casing; the reference says to confirm them per tenant.
 */
import { databaseError } from './errors';
import { entityType, prop, type EntitySetDef, type EnumTypeDef, type HookContext, type ProjectionDef, type Value } from './model';
import { ifsSystemProperties, isBlank, nextInSeries, projection, recordNotExist, SITE_COMPANY, touchParent } from './projection-kit';

export const SHIPMENT_STATES: EnumTypeDef = {
	name: 'ShipmentState',
	members: ['Preliminary', 'Completed', 'Closed', 'Cancelled'],
};

export function shipmentHandling(): ProjectionDef {
	const shipment = entityType({
		name: 'Shipment',
		luname: 'Shipment',
		keys: ['ShipmentId'],
		properties: [
			...ifsSystemProperties(),
			// Assigned by the server on POST (insertable: false), like IFS's shipment id sequence.
			prop.int32('ShipmentId', { insertable: false }),
			prop.string('Contract', 5, { nullable: false, updatable: false }),
			prop.string('ReceiverId', 20, { nullable: false, updatable: false }),
			prop.string('ReceiverAddressName', 100),
			prop.enumeration('Objstate', SHIPMENT_STATES, { readOnly: true, nullable: false, defaultValue: () => 'Preliminary' }),
			prop.date('PlannedShipDate', { nullable: false }),
			prop.date('ActualShipDate'),
			prop.string('ForwardAgentId', 20),
			prop.string('AirwayBillNo', 50),
			prop.string('ShipViaCode', 3),
			prop.dateTimeOffset('ChangeDate', { changeStamp: true, nullable: false }),
		],
		navigations: [
			{
				name: 'ShipmentLinesArray',
				targetSet: 'ShipmentLineSet',
				collection: true,
				on: [{ sourceProperty: 'ShipmentId', targetProperty: 'ShipmentId' }],
				partner: 'ShipmentIdRef',
				expandable: false,
			},
		],
	});

	const line = entityType({
		name: 'ShipmentLine',
		luname: 'ShipmentLine',
		keys: ['ShipmentId', 'ShipmentLineNo'],
		properties: [
			...ifsSystemProperties(),
			prop.int32('ShipmentId'),
			// Next number within the shipment when not sent.
			prop.int32('ShipmentLineNo'),
			prop.string('SourceRefType', 30, { nullable: false, updatable: false, defaultValue: () => 'CustomerOrder' }),
			prop.string('SourceRef1', 50, { nullable: false, updatable: false }),
			prop.string('SourceRef2', 50, { updatable: false }),
			prop.string('SourceRef3', 50, { updatable: false }),
			// IFS keeps all four source refs as strings, the line item no included.
			prop.string('SourceRef4', 50, { updatable: false }),
			// Default: the order line's part and quantity.
			prop.string('InventoryPartNo', 25, { nullable: false, updatable: false }),
			prop.decimal('InventoryQty', { nullable: false, precision: 38 }),
		],
		navigations: [
			{
				name: 'ShipmentIdRef',
				targetSet: 'ShipmentSet',
				collection: false,
				on: [{ sourceProperty: 'ShipmentId', targetProperty: 'ShipmentId' }],
				partner: 'ShipmentLinesArray',
				expandable: true,
			},
		],
	});

	const requirePositiveQty = (qty: Value) => {
		if (typeof qty === 'number' && qty <= 0) {
			throw databaseError(400, 'ORA-20110: ShipmentLine.QTYZERO: Inventory quantity (InventoryQty) must be greater than 0.');
		}
	};

	const shipmentSet: EntitySetDef = {
		name: 'ShipmentSet',
		entityType: shipment,
		crud: { create: true, update: true, delete: true },
		hooks: {
			assignKeys(ctx, values) {
				if (values.ShipmentId !== null && values.ShipmentId !== undefined) return; // data.insert may choose one
				values.ShipmentId = nextInSeries(ctx, 'Shipment.ShipmentId', ctx.table('ShipmentSet').all(), (row) => row.ShipmentId as number);
			},
			beforeInsert(ctx, values) {
				if (!isBlank(values.Contract) && !(String(values.Contract) in SITE_COMPANY)) throw recordNotExist('Site', String(values.Contract));
				if (!isBlank(values.ReceiverId) && !ctx.other('CustomerHandling', 'CustomerInfoSet').find({ CustomerId: values.ReceiverId })) {
					throw recordNotExist('CustomerInfo', String(values.ReceiverId));
				}
			},
			beforeDelete(ctx, values) {
				const lines = ctx.table('ShipmentLineSet');
				for (const row of lines.all().filter((l) => l.ShipmentId === values.ShipmentId)) lines.remove(row);
			},
		},
	};

	const findOrderLine = (ctx: HookContext, values: Record<string, Value>) => {
		const key = { OrderNo: values.SourceRef1, LineNo: values.SourceRef2, RelNo: values.SourceRef3, LineItemNo: Number(values.SourceRef4) };
		const orderLine = ctx.other('CustomerOrderHandling', 'CustomerOrderLineSet').find(key);
		if (!orderLine) {
			throw recordNotExist('CustomerOrderLine', `${String(values.SourceRef1)}, ${String(values.SourceRef2)}, ${String(values.SourceRef3)}, ${String(values.SourceRef4)}`);
		}
		return orderLine;
	};

	const lineSet: EntitySetDef = {
		name: 'ShipmentLineSet',
		entityType: line,
		crud: { create: true, update: true, delete: true },
		hooks: {
			assignKeys(ctx, values) {
				if (values.ShipmentId === null || (values.ShipmentLineNo !== null && values.ShipmentLineNo !== undefined)) return;
				const mine = ctx.table('ShipmentLineSet').all().filter((l) => l.ShipmentId === values.ShipmentId);
				values.ShipmentLineNo = mine.reduce((max, l) => Math.max(max, l.ShipmentLineNo as number), 0) + 1;
			},
			beforeInsert(ctx, values) {
				if (!ctx.table('ShipmentSet').find({ ShipmentId: values.ShipmentId })) throw recordNotExist('Shipment', String(values.ShipmentId));
				if (values.SourceRefType === 'CustomerOrder' && !isBlank(values.SourceRef1)) {
					if (isBlank(values.SourceRef3)) values.SourceRef3 = '1';
					if (isBlank(values.SourceRef4)) values.SourceRef4 = '0';
					const orderLine = findOrderLine(ctx, values);
					if (isBlank(values.InventoryPartNo)) values.InventoryPartNo = orderLine.PartNo;
					if (values.InventoryQty === null) values.InventoryQty = orderLine.BuyQtyDue;
				}
				requirePositiveQty(values.InventoryQty);
			},
			beforeUpdate(_ctx, _current, changes) {
				if ('InventoryQty' in changes) requirePositiveQty(changes.InventoryQty);
			},
			afterChange(ctx, values) {
				// A line change is a change of the shipment: its ChangeDate moves (its ETag does not).
				touchParent(ctx, 'ShipmentSet', { ShipmentId: values.ShipmentId });
			},
		},
	};

	return projection('ShipmentHandling', ['int', 'main'], {
		enumTypes: [SHIPMENT_STATES],
		entityTypes: [shipment, line],
		entitySets: [shipmentSet, lineSet],
		actions: [],
		functions: [],
	});
}

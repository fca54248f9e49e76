/**
 * The projections the sandbox tenant exposes (names from the IFS reference, §5).
 * Entity and field names are the candidates seen in IFS material; treat them as the
 * sandbox's contract, not as a promise about every tenant.
 */
import { databaseError } from './errors';
import { luLabel } from './store';
import {
	entityType,
	paramType,
	prop,
	type ActionDef,
	type EntitySetDef,
	type EnumTypeDef,
	type FunctionDef,
	type PropertyDef,
	type HookContext,
	type ProjectionDef,
	type Value,
} from './model';
import { formatDateTimeOffset } from './edm-values';

/** Properties every IFS projection entity declares besides its own attributes. */
function ifsSystemProperties(): PropertyDef[] {
	return [
		prop.string('luname', 30, { readOnly: true, column: 'LUNAME' }),
		prop.string('keyref', 4000, { readOnly: true, column: 'KEYREF' }),
		prop.string('Objgrants', 4000, { readOnly: true, column: 'OBJGRANTS' }),
	];
}

function projection(
	name: string,
	deployments: ProjectionDef['deployments'],
	parts: Omit<ProjectionDef, 'name' | 'namespace' | 'deployments'>,
): ProjectionDef {
	return { name, namespace: `IfsApp.${name}`, deployments, ...parts };
}

/** Site -> company, as configured in the sandbox tenant. */
export const SITE_COMPANY: Record<string, string> = { S100: '10', S200: '20', S300: '20' };

/** Open amount above which CheckCustomerCredit answers false. */
export const CREDIT_LIMIT = 50_000;

// ---------------------------------------------------------------------------------------------
// CustomerOrderHandling

export const CUSTOMER_ORDER_STATES: EnumTypeDef = {
	name: 'CustomerOrderState',
	members: ['Planned', 'Released', 'Reserved', 'Picked', 'PartiallyDelivered', 'Delivered', 'Invoiced', 'Cancelled'],
};

const OPEN_ORDER_STATES = new Set(['Planned', 'Released', 'Reserved', 'Picked', 'PartiallyDelivered']);

function customerOrderHandling(): ProjectionDef {
	const customerOrder = entityType({
		name: 'CustomerOrder',
		luname: 'CustomerOrder',
		keys: ['OrderNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('OrderNo', 12),
			prop.enumeration('Objstate', CUSTOMER_ORDER_STATES, { readOnly: true, nullable: false, defaultValue: () => 'Planned' }),
			prop.string('Contract', 5, { nullable: false, updatable: false }),
			prop.string('Company', 20, { readOnly: true, nullable: false }),
			prop.string('CustomerNo', 20, { nullable: false }),
			prop.string('CustomerPoNo', 50),
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.dateTimeOffset('DateEntered', { readOnly: true, nullable: false, defaultValue: (now) => formatDateTimeOffset(now.getTime()) }),
			prop.date('WantedDeliveryDate', { nullable: false }),
			prop.decimal('TotalAmount', { readOnly: true, nullable: false, precision: 38, defaultValue: () => 0 }),
			prop.string('Note', 2000),
		],
		navigations: [
			{
				name: 'OrderLinesArray',
				targetSet: 'CustomerOrderLineSet',
				collection: true,
				on: [{ sourceProperty: 'OrderNo', targetProperty: 'OrderNo' }],
				partner: 'OrderNoRef',
				expandable: false,
			},
		],
	});

	const customerOrderLine = entityType({
		name: 'CustomerOrderLine',
		luname: 'CustomerOrderLine',
		keys: ['OrderNo', 'LineNo', 'RelNo', 'LineItemNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('OrderNo', 12),
			prop.string('LineNo', 4),
			prop.string('RelNo', 4),
			prop.int32('LineItemNo'),
			// Line state is exposed as its client value (plain string), unlike the header's enum.
			prop.string('Objstate', 30, { readOnly: true, nullable: false, defaultValue: () => 'Planned' }),
			prop.string('PartNo', 25, { nullable: false, updatable: false }),
			prop.string('CatalogNo', 25, { nullable: false, updatable: false }),
			prop.decimal('BuyQtyDue', { nullable: false, precision: 38 }),
			prop.decimal('SalePrice', { nullable: false, precision: 38, defaultValue: () => 0 }),
			prop.string('Contract', 5, { readOnly: true, nullable: false }),
		],
		navigations: [
			{
				name: 'OrderNoRef',
				targetSet: 'CustomerOrderSet',
				collection: false,
				on: [{ sourceProperty: 'OrderNo', targetProperty: 'OrderNo' }],
				partner: 'OrderLinesArray',
				expandable: true,
			},
		],
	});

	const recomputeTotal = (ctx: HookContext, orderNo: Value) => {
		let total = 0;
		for (const line of ctx.table('CustomerOrderLineSet').all()) {
			if (line.OrderNo === orderNo) total += Number(line.BuyQtyDue) * Number(line.SalePrice);
		}
		ctx.table('CustomerOrderSet').setComputed({ OrderNo: orderNo }, { TotalAmount: Math.round(total * 100) / 100 });
	};

	const orderSet: EntitySetDef = {
		name: 'CustomerOrderSet',
		entityType: customerOrder,
		crud: { create: true, update: true, delete: true },
		hooks: {
			beforeInsert(_ctx, values) {
				values.Company = SITE_COMPANY[values.Contract as string] ?? '10';
			},
			beforeDelete(ctx, values) {
				// Removing an order removes its lines, as the LU does.
				const lines = ctx.table('CustomerOrderLineSet');
				for (const line of lines.all().filter((l) => l.OrderNo === values.OrderNo)) lines.remove(line);
			},
		},
	};

	const lineSet: EntitySetDef = {
		name: 'CustomerOrderLineSet',
		entityType: customerOrderLine,
		crud: { create: true, update: true, delete: true },
		hooks: {
			beforeInsert(ctx, values) {
				const order = ctx.table('CustomerOrderSet').find({ OrderNo: values.OrderNo });
				if (!order) {
					throw databaseError(400, `ORA-20111: CustomerOrder.FND_RECORD_NOT_EXIST: The ${luLabel('CustomerOrder')} does not exist.`);
				}
				values.Contract = order.Contract;
			},
			afterChange(ctx, values) {
				recomputeTotal(ctx, values.OrderNo);
			},
		},
	};

	const release: ActionDef = {
		name: 'CustomerOrder_Release',
		boundTo: 'CustomerOrderSet',
		parameters: [],
		requiresEtag: true,
		handler(ctx) {
			const entity = ctx.entity!;
			const state = entity.values.Objstate;
			if (state !== 'Planned') {
				throw databaseError(
					400,
					`ORA-20110: CustomerOrder.NOTALLOWED: Release is not allowed when the Customer Order is in state ${String(state)}.`,
				);
			}
			entity.table.modify(entity.values, { Objstate: 'Released' });
			const lines = ctx.table('CustomerOrderLineSet');
			for (const line of lines.all().filter((l) => l.OrderNo === entity.values.OrderNo)) {
				lines.modify(line, { Objstate: 'Released' });
			}
		},
	};

	const checkCredit: ActionDef = {
		name: 'CheckCustomerCredit',
		parameters: [{ name: 'CustomerNo', type: paramType.string, nullable: false, maxLength: 20 }],
		returnType: paramType.boolean,
		requiresEtag: false,
		handler(ctx) {
			// Credit is fine while the customer's open orders stay within the limit.
			let open = 0;
			for (const order of ctx.table('CustomerOrderSet').all()) {
				if (order.CustomerNo === ctx.params.CustomerNo && OPEN_ORDER_STATES.has(order.Objstate as string)) {
					open += Number(order.TotalAmount);
				}
			}
			return open <= CREDIT_LIMIT;
		},
	};

	const getOrderCount: FunctionDef = {
		name: 'GetOrderCount',
		parameters: [{ name: 'CustomerNo', type: paramType.string, nullable: false, maxLength: 20 }],
		returnType: paramType.int32,
		handler(ctx) {
			return ctx.table('CustomerOrderSet').all().filter((o) => o.CustomerNo === ctx.params.CustomerNo).length;
		},
	};

	return projection('CustomerOrderHandling', ['int', 'main'], {
		enumTypes: [CUSTOMER_ORDER_STATES],
		entityTypes: [customerOrder, customerOrderLine],
		entitySets: [orderSet, lineSet],
		actions: [release, checkCredit],
		functions: [getOrderCount],
	});
}

// ---------------------------------------------------------------------------------------------
// InventoryPartInStockHandling

export const INVENTORY_KEYS = [
	'Contract',
	'PartNo',
	'ConfigurationId',
	'LocationNo',
	'LotBatchNo',
	'SerialNo',
	'EngChgLevel',
	'WaivDevRejNo',
	'ActivitySeq',
	'HandlingUnitId',
];

function inventoryPartInStockHandling(): ProjectionDef {
	const stock = entityType({
		name: 'InventoryPartInStock',
		luname: 'InventoryPartInStock',
		keys: INVENTORY_KEYS,
		properties: [
			...ifsSystemProperties(),
			prop.string('Contract', 5),
			prop.string('PartNo', 25),
			prop.string('ConfigurationId', 50),
			prop.string('LocationNo', 35),
			prop.string('LotBatchNo', 20),
			prop.string('SerialNo', 50),
			prop.string('EngChgLevel', 6),
			prop.string('WaivDevRejNo', 15),
			prop.int32('ActivitySeq'),
			prop.int32('HandlingUnitId'),
			// Quantities are read-only here: stock moves through other projections/actions.
			prop.decimal('QtyOnhand', { readOnly: true, nullable: false, precision: 38 }),
			prop.decimal('QtyReserved', { readOnly: true, nullable: false, precision: 38 }),
			prop.decimal('AvailableQty', { readOnly: true, nullable: false, precision: 38 }),
			prop.string('UnitMeas', 10, { readOnly: true }),
			prop.date('LastCountDate', { readOnly: true }),
			prop.dateTimeOffset('ReceiptDate', { readOnly: true }),
			prop.date('ExpirationDate'),
			prop.string('AvailabilityControlId', 25),
		],
	});
	return projection('InventoryPartInStockHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [stock],
		entitySets: [{ name: 'InventoryPartInStockSet', entityType: stock, crud: { create: false, update: true, delete: false } }],
		actions: [],
		functions: [],
	});
}

// ---------------------------------------------------------------------------------------------
// VoucherHandling (hold-table vouchers: Read, Update only)

export const VOUCHER_STATUSES: EnumTypeDef = {
	name: 'VoucherStatus',
	members: ['Confirmed', 'AwaitingApproval', 'Error', 'Cancelled'],
};

function voucherHandling(): ProjectionDef {
	const voucher = entityType({
		name: 'VoucherEntry',
		luname: 'Voucher',
		keys: ['Company', 'AccountingYear', 'VoucherType', 'VoucherNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.int32('AccountingYear'),
			prop.string('VoucherType', 3),
			prop.int32('VoucherNo'),
			prop.date('VoucherDate', { nullable: false }),
			prop.string('VoucherText2', 200),
			prop.enumeration('VoucherStatus', VOUCHER_STATUSES, { nullable: false }),
			prop.string('Userid', 30, { readOnly: true }),
			prop.string('FunctionGroup', 10, { readOnly: true }),
			prop.dateTimeOffset('DateReg', { readOnly: true }),
		],
	});
	return projection('VoucherHandling', ['int', 'main'], {
		enumTypes: [VOUCHER_STATUSES],
		entityTypes: [voucher],
		entitySets: [{ name: 'VoucherSet', entityType: voucher, crud: { create: false, update: true, delete: false } }],
		actions: [],
		functions: [],
	});
}

// ---------------------------------------------------------------------------------------------
// CustomerHandling (main only: a public report says it is 404 on /int)

function customerHandling(): ProjectionDef {
	const customer = entityType({
		name: 'CustomerInfo',
		luname: 'CustomerInfo',
		keys: ['CustomerId'],
		properties: [
			...ifsSystemProperties(),
			prop.string('CustomerId', 20),
			prop.string('Name', 100, { nullable: false }),
			prop.string('Country', 2, { nullable: false }),
			prop.date('CreationDate', { nullable: false }),
			prop.string('DefaultLanguage', 2, { defaultValue: () => 'en' }),
			prop.string('PartyType', 20, { readOnly: true, defaultValue: () => 'Customer' }),
		],
	});
	return projection('CustomerHandling', ['main'], {
		enumTypes: [],
		entityTypes: [customer],
		entitySets: [{ name: 'CustomerInfoSet', entityType: customer, crud: { create: true, update: true, delete: true } }],
		actions: [],
		functions: [],
	});
}

/** Fresh definitions (hooks hold no state, but each sandbox gets its own objects anyway). */
export function buildProjections(): ProjectionDef[] {
	return [customerOrderHandling(), inventoryPartInStockHandling(), voucherHandling(), customerHandling()];
}

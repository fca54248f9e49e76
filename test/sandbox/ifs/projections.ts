/**
 * The projections the sandbox tenant exposes (names from the IFS reference, §5).
 * Entity and field names are the candidates seen in IFS material; treat them as the
 * sandbox's contract, not as a promise about every tenant.
 *
 * This module holds the customer-order side (orders, lines, sales parts, customers, stock) and
 * the registry; shipments, general-ledger vouchers and payments have their own modules.
 */
import { databaseError } from './errors';
import { customerInvoiceHandling, customerPaymentHandling, paymentProposalHandling } from './payments';
import { accountsHandling, codeBHandling, externalVouchers, voucherEntryAssistantHandling, voucherHandling } from './gl-vouchers';
import { shipmentHandling } from './shipments';
import {
	entityType,
	paramType,
	prop,
	type ActionDef,
	type EntitySetDef,
	type EnumTypeDef,
	type FunctionDef,
	type HookContext,
	type ProjectionDef,
	type RowValues,
	type Value,
} from './model';
import { formatDateTimeOffset } from './edm-values';
import { currencyDecimals } from './money';
import {
	COMPANY_CURRENCY,
	ifsSystemProperties,
	isBlank,
	nextInSeries,
	projection,
	recordNotExist,
	requireCompany,
	SITE_COMPANY,
	today,
	touchParent,
} from './projection-kit';

export { SITE_COMPANY } from './projection-kit';
export { VOUCHER_STATUSES } from './gl-vouchers';

/** Open amount above which CheckCustomerCredit answers false. */
export const CREDIT_LIMIT = 50_000;

// ---------------------------------------------------------------------------------------------
// CustomerOrderHandling

export const CUSTOMER_ORDER_STATES: EnumTypeDef = {
	name: 'CustomerOrderState',
	members: ['Planned', 'Released', 'Reserved', 'Picked', 'PartiallyDelivered', 'Delivered', 'Invoiced', 'Cancelled'],
};

const OPEN_ORDER_STATES = new Set(['Planned', 'Released', 'Reserved', 'Picked', 'PartiallyDelivered']);

/** Order numbers the series hands out: 'C' + 7 digits, continuing after the highest one in use. */
const ORDER_NO_SERIES = /^C(\d{7})$/;

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
			// Stand-in for an entity-specific change timestamp a polling trigger can filter on.
			prop.dateTimeOffset('ChangeDate', { changeStamp: true, nullable: false }),
			prop.string('ForwardAgentId', 20),
			prop.string('ShipViaCode', 3),
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
			prop.string('RelNo', 4, { defaultValue: () => '1' }),
			prop.int32('LineItemNo', { defaultValue: () => 0 }),
			// Line state is exposed as its client value (plain string), unlike the header's enum.
			prop.string('Objstate', 30, { readOnly: true, nullable: false, defaultValue: () => 'Planned' }),
			// Defaults to the sales part's inventory part when not sent.
			prop.string('PartNo', 25, { nullable: false, updatable: false }),
			prop.string('CatalogNo', 25, { nullable: false, updatable: false }),
			prop.decimal('BuyQtyDue', { nullable: false, precision: 38 }),
			// Defaults to the sales part's list price when not sent.
			prop.decimal('SalePrice', { nullable: false, precision: 38 }),
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

	/** A line change is a change of the order: new total, and the header's ChangeDate moves (its ETag does not). */
	const lineChanged = (ctx: HookContext, orderNo: Value) => {
		let total = 0;
		for (const line of ctx.table('CustomerOrderLineSet').all()) {
			if (line.OrderNo === orderNo) total += Number(line.BuyQtyDue) * Number(line.SalePrice);
		}
		touchParent(ctx, 'CustomerOrderSet', { OrderNo: orderNo }, { TotalAmount: Math.round(total * 100) / 100 });
	};

	const requirePositiveQty = (qty: Value) => {
		if (typeof qty === 'number' && qty <= 0) {
			throw databaseError(400, 'ORA-20110: CustomerOrderLine.QTYZERO: Sales quantity (BuyQtyDue) must be greater than 0.');
		}
	};

	const orderSet: EntitySetDef = {
		name: 'CustomerOrderSet',
		entityType: customerOrder,
		crud: { create: true, update: true, delete: true },
		hooks: {
			assignKeys(ctx, values) {
				const inSeries = (orderNo: Value) => {
					const m = ORDER_NO_SERIES.exec(String(orderNo));
					return m ? Number(m[1]) : undefined;
				};
				if (!isBlank(values.OrderNo)) {
					// A client-chosen number of the series' shape is taken: the series continues after it.
					const n = inSeries(values.OrderNo);
					if (n !== undefined) ctx.reserve('CustomerOrder.OrderNo', n);
					return;
				}
				// Without an OrderNo the order coordinator's series assigns the next number.
				const n = nextInSeries(ctx, 'CustomerOrder.OrderNo', ctx.table('CustomerOrderSet').all(), (row) => inSeries(row.OrderNo));
				values.OrderNo = `C${String(n).padStart(7, '0')}`;
			},
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
				if (!order) throw recordNotExist('CustomerOrder', String(values.OrderNo));
				values.Contract = order.Contract;
				if (isBlank(values.CatalogNo)) return; // the mandatory check names the field
				// Sales parts are per site: the line's site is the order's.
				const part = ctx.other('SalesPartHandling', 'SalesPartSet').find({ Contract: order.Contract, CatalogNo: values.CatalogNo });
				if (!part) {
					throw databaseError(
						400,
						`ORA-20111: SalesPart.NOTEXIST: Sales Part ${String(values.CatalogNo)} does not exist on site ${String(order.Contract)}.`,
					);
				}
				if (isBlank(values.PartNo)) values.PartNo = part.PartNo;
				if (values.SalePrice === null) values.SalePrice = part.ListPrice;
				requirePositiveQty(values.BuyQtyDue);
			},
			beforeUpdate(_ctx, _current, changes) {
				if ('BuyQtyDue' in changes) requirePositiveQty(changes.BuyQtyDue);
			},
			afterChange(ctx, values) {
				lineChanged(ctx, values.OrderNo);
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
// SalesPartHandling (the catalogue order lines are checked against)

function salesPartHandling(): ProjectionDef {
	const salesPart = entityType({
		name: 'SalesPart',
		luname: 'SalesPart',
		keys: ['Contract', 'CatalogNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Contract', 5),
			prop.string('CatalogNo', 25),
			prop.string('CatalogDesc', 200, { nullable: false }),
			prop.string('PartNo', 25, { nullable: false }),
			prop.string('CatalogType', 20, { nullable: false, defaultValue: () => 'InventoryPart' }),
			prop.string('SalesUnitMeas', 10, { nullable: false, defaultValue: () => 'PCS' }),
			prop.string('PriceUnitMeas', 10, { nullable: false, defaultValue: () => 'PCS' }),
			prop.decimal('ListPrice', { nullable: false, precision: 38, defaultValue: () => 0 }),
			prop.string('Activeind', 20, { nullable: false, defaultValue: () => 'ActivePart' }),
		],
	});
	return projection('SalesPartHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [salesPart],
		// Read-only over the API: the catalogue is master data the integration only looks up.
		entitySets: [{ name: 'SalesPartSet', entityType: salesPart, crud: { create: false, update: false, delete: false } }],
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
			// Defaults: the country of the default company ('10', Sweden) and today.
			prop.string('Country', 2, { nullable: false, defaultValue: () => 'SE' }),
			prop.date('CreationDate', { nullable: false, defaultValue: today }),
			prop.string('DefaultLanguage', 2, { defaultValue: () => 'en' }),
			prop.string('PartyType', 20, { readOnly: true, defaultValue: () => 'Customer' }),
			// Free reference (e.g. the id in the web shop): what an integration finds a customer by.
			prop.string('AssociationNo', 50),
			prop.string('CustomerCategory', 20, { nullable: false, defaultValue: () => 'Customer' }),
		],
		navigations: [
			{
				name: 'AddressesArray',
				targetSet: 'CustomerInfoAddressSet',
				collection: true,
				on: [{ sourceProperty: 'CustomerId', targetProperty: 'CustomerId' }],
				partner: 'CustomerIdRef',
				expandable: false,
			},
		],
	});

	const address = entityType({
		name: 'CustomerInfoAddress',
		luname: 'CustomerInfoAddress',
		keys: ['CustomerId', 'AddressId'],
		properties: [
			...ifsSystemProperties(),
			prop.string('CustomerId', 20),
			prop.string('AddressId', 50),
			prop.string('Name', 100),
			prop.string('Address1', 100),
			prop.string('Address2', 100),
			prop.string('ZipCode', 35),
			prop.string('City', 35),
			prop.string('State', 35),
			// Defaults to the customer's country.
			prop.string('Country', 2, { nullable: false }),
			prop.boolean('DeliveryAddress', { nullable: false, defaultValue: () => false }),
			prop.boolean('DocumentAddress', { nullable: false, defaultValue: () => false }),
		],
		navigations: [
			{
				name: 'CustomerIdRef',
				targetSet: 'CustomerInfoSet',
				collection: false,
				on: [{ sourceProperty: 'CustomerId', targetProperty: 'CustomerId' }],
				partner: 'AddressesArray',
				expandable: true,
			},
		],
	});

	const company = entityType({
		name: 'CustomerCompany',
		luname: 'CustomerCompany',
		keys: ['CustomerId', 'Company'],
		properties: [
			...ifsSystemProperties(),
			prop.string('CustomerId', 20),
			prop.string('Company', 20),
			prop.string('PayTermId', 20),
			// Defaults to the company's currency.
			prop.string('CurrencyCode', 3, { nullable: false }),
		],
		navigations: [
			{
				name: 'CustomerIdRef',
				targetSet: 'CustomerInfoSet',
				collection: false,
				on: [{ sourceProperty: 'CustomerId', targetProperty: 'CustomerId' }],
				expandable: true,
			},
		],
	});

	const requireCustomer = (ctx: HookContext, customerId: Value): RowValues => {
		const customer = ctx.table('CustomerInfoSet').find({ CustomerId: customerId });
		if (!customer) throw recordNotExist('CustomerInfo', String(customerId));
		return customer;
	};
	const requireCurrency = (code: Value) => {
		if (typeof code === 'string') currencyDecimals(code);
	};

	const customerSet: EntitySetDef = {
		name: 'CustomerInfoSet',
		entityType: customer,
		crud: { create: true, update: true, delete: true },
		hooks: {
			beforeDelete(ctx, values) {
				// The customer's addresses and company data go with it.
				for (const set of ['CustomerInfoAddressSet', 'CustomerCompanySet']) {
					const t = ctx.table(set);
					for (const row of t.all().filter((r) => r.CustomerId === values.CustomerId)) t.remove(row);
				}
			},
		},
	};
	const addressSet: EntitySetDef = {
		name: 'CustomerInfoAddressSet',
		entityType: address,
		crud: { create: true, update: true, delete: true },
		hooks: {
			beforeInsert(ctx, values) {
				const owner = requireCustomer(ctx, values.CustomerId);
				if (isBlank(values.Country)) values.Country = owner.Country;
			},
		},
	};
	const companySet: EntitySetDef = {
		name: 'CustomerCompanySet',
		entityType: company,
		crud: { create: true, update: true, delete: true },
		hooks: {
			beforeInsert(ctx, values) {
				requireCustomer(ctx, values.CustomerId);
				const c = requireCompany(values.Company);
				if (isBlank(values.CurrencyCode)) values.CurrencyCode = COMPANY_CURRENCY[c];
				requireCurrency(values.CurrencyCode);
			},
			beforeUpdate(_ctx, _current, changes) {
				if ('CurrencyCode' in changes) requireCurrency(changes.CurrencyCode);
			},
		},
	};

	return projection('CustomerHandling', ['main'], {
		enumTypes: [],
		entityTypes: [customer, address, company],
		entitySets: [customerSet, addressSet, companySet],
		actions: [],
		functions: [],
	});
}

/** Fresh definitions (hooks hold no state, but each sandbox gets its own objects anyway). */
export function buildProjections(): ProjectionDef[] {
	return [
		customerOrderHandling(),
		inventoryPartInStockHandling(),
		voucherHandling(),
		customerHandling(),
		salesPartHandling(),
		shipmentHandling(),
		accountsHandling(),
		codeBHandling(),
		voucherEntryAssistantHandling(),
		externalVouchers(),
		paymentProposalHandling(),
		customerInvoiceHandling(),
		customerPaymentHandling(),
	];
}

import { MetadataError, type ServiceModel, entityTypeOfSet, operationsFor, parseCsdl } from '../../../nodes/IfsCloud/odata/csdl';
import { CUSTOMER_ORDER_HANDLING_METADATA } from './fixtures/customerOrderHandling.metadata';

const NS = 'IfsApp.CustomerOrderHandling';

describe('parseCsdl: the CustomerOrderHandling projection', () => {
	let model: ServiceModel;
	beforeAll(() => {
		model = parseCsdl(CUSTOMER_ORDER_HANDLING_METADATA);
	});

	it('takes the namespace of the schema with the container', () => {
		expect(model.namespace).toBe(NS);
	});

	it('lists entity sets with their (un-aliased) entity types', () => {
		expect(model.entitySets).toEqual({
			CustomerOrderSet: { name: 'CustomerOrderSet', entityType: `${NS}.CustomerOrder` },
			CustomerOrderLineSet: { name: 'CustomerOrderLineSet', entityType: `${NS}.CustomerOrderLine` },
			CustomerOrderChargeSet: { name: 'CustomerOrderChargeSet', entityType: `${NS}.CustomerOrderCharge` },
			Reference_CustomerInfo: { name: 'Reference_CustomerInfo', entityType: `${NS}.CustomerInfo` },
		});
	});

	it('reads entity types under their qualified names', () => {
		expect(Object.keys(model.entityTypes).sort()).toEqual(
			['CustomerInfo', 'CustomerOrder', 'CustomerOrderCharge', 'CustomerOrderLine'].map((name) => `${NS}.${name}`),
		);
		const order = model.entityTypes[`${NS}.CustomerOrder`];
		expect(order.name).toBe('CustomerOrder');
		expect(order.qualifiedName).toBe(`${NS}.CustomerOrder`);
	});

	it('reads single and composite keys in declared order', () => {
		expect(model.entityTypes[`${NS}.CustomerOrder`].keys).toEqual(['OrderNo']);
		expect(model.entityTypes[`${NS}.CustomerOrderLine`].keys).toEqual(['OrderNo', 'LineNo', 'RelNo', 'LineItemNo']);
		expect(model.entityTypes[`${NS}.CustomerOrderCharge`].keys).toEqual(['OrderNo', 'SequenceNo']);
	});

	it('reads property types (Int32 keys, enums un-aliased), nullability and max length', () => {
		const order = model.entityTypes[`${NS}.CustomerOrder`].properties;
		expect(order.OrderNo).toEqual({ name: 'OrderNo', type: 'Edm.String', nullable: false, maxLength: 12, computed: undefined });
		expect(order.CustomerPoNo).toMatchObject({ type: 'Edm.String', nullable: true, maxLength: 50 });
		expect(order.Objstate).toMatchObject({ type: `${NS}.CustomerOrderState`, nullable: false, maxLength: undefined });
		expect(order.WantedDeliveryDate).toMatchObject({ type: 'Edm.DateTimeOffset', nullable: true });
		expect(order.OrderTotal).toMatchObject({ type: 'Edm.Decimal', maxLength: undefined });
		const charge = model.entityTypes[`${NS}.CustomerOrderCharge`].properties;
		expect(charge.SequenceNo).toMatchObject({ type: 'Edm.Int32', nullable: false });
		const line = model.entityTypes[`${NS}.CustomerOrderLine`].properties;
		expect(line.LineItemNo).toMatchObject({ type: 'Edm.Int32', nullable: false });
		expect(line.BuyQtyDue).toMatchObject({ type: 'Edm.Double', nullable: false });
	});

	it('flags Core.Computed / Core.Immutable properties, unless Bool="false"', () => {
		const order = model.entityTypes[`${NS}.CustomerOrder`].properties;
		expect(order.DateEntered.computed).toBe(true);
		expect(order.Objgrants.computed).toBe(true);
		expect(order.NoteText.computed).toBeUndefined();
		expect(order.CustomerNo.computed).toBeUndefined();
	});

	it('reads navigation properties, collection and single', () => {
		const order = model.entityTypes[`${NS}.CustomerOrder`];
		expect(order.navigation).toEqual({
			OrderLines: { name: 'OrderLines', type: `${NS}.CustomerOrderLine`, collection: true },
			CustomerRef: { name: 'CustomerRef', type: `${NS}.CustomerInfo`, collection: false },
		});
		expect(model.entityTypes[`${NS}.CustomerOrderLine`].navigation.OrderRef).toEqual({
			name: 'OrderRef',
			type: `${NS}.CustomerOrder`,
			collection: false,
		});
		// Navigation properties are not data properties.
		expect(order.properties.OrderLines).toBeUndefined();
	});

	it('reads the enum type and its members in order', () => {
		expect(model.enumTypes).toEqual({
			[`${NS}.CustomerOrderState`]: {
				name: 'CustomerOrderState',
				qualifiedName: `${NS}.CustomerOrderState`,
				members: ['Planned', 'Released', 'Reserved', 'Invoiced', 'Cancelled'],
			},
		});
	});

	const operation = (name: string) => {
		const found = model.operations.find((candidate) => candidate.name === name);
		if (!found) throw new Error(`no operation ${name}`);
		return found;
	};

	it('reads a bound action: binding type, parameters without the binding one, return type', () => {
		expect(operation('ReleaseOrder')).toEqual({
			kind: 'action',
			name: 'ReleaseOrder',
			qualifiedName: `${NS}.ReleaseOrder`,
			isBound: true,
			bindingType: `${NS}.CustomerOrder`,
			parameters: [{ name: 'Reason', type: 'Edm.String', nullable: true }],
			returnType: `${NS}.CustomerOrder`,
		});
	});

	it('reads a collection-bound action and one bound with the full namespace', () => {
		expect(operation('CancelOrders')).toMatchObject({
			isBound: true,
			bindingType: `Collection(${NS}.CustomerOrder)`,
			parameters: [{ name: 'CancelReason', type: 'Edm.String', nullable: false }],
			returnType: undefined,
		});
		expect(operation('RenumberLines').bindingType).toBe(`${NS}.CustomerOrderLine`);
	});

	it('reads an unbound action with its ActionImport name', () => {
		expect(operation('CreateFromQuotation')).toEqual({
			kind: 'action',
			name: 'CreateFromQuotation',
			qualifiedName: `${NS}.CreateFromQuotation`,
			isBound: false,
			bindingType: undefined,
			parameters: [
				{ name: 'QuotationNo', type: 'Edm.String', nullable: false },
				{ name: 'WantedDeliveryDate', type: 'Edm.Date', nullable: true },
				{ name: 'InitialState', type: `${NS}.CustomerOrderState`, nullable: true },
			],
			returnType: `${NS}.CustomerOrder`,
			importName: 'CreateFromQuotation',
		});
	});

	it('reads bound and unbound functions (import name may differ from the function name)', () => {
		expect(operation('GetLineCount')).toMatchObject({
			kind: 'function',
			isBound: true,
			bindingType: `${NS}.CustomerOrder`,
			parameters: [{ name: 'IncludeCancelled', type: 'Edm.Boolean', nullable: true }],
			returnType: 'Edm.Int32',
		});
		expect(operation('GetLineCount').importName).toBeUndefined();
		expect(operation('GetOpenOrderCount')).toMatchObject({
			kind: 'function',
			isBound: false,
			importName: 'OpenOrderCount',
			parameters: [
				{ name: 'Contract', type: 'Edm.String', nullable: false },
				{ name: 'States', type: `Collection(${NS}.CustomerOrderState)`, nullable: true },
			],
		});
	});

	it('entityTypeOfSet finds the type of a set, or nothing', () => {
		expect(entityTypeOfSet(model, 'CustomerOrderLineSet')?.qualifiedName).toBe(`${NS}.CustomerOrderLine`);
		expect(entityTypeOfSet(model, 'NoSuchSet')).toBeUndefined();
	});

	it('operationsFor(set) lists the operations bound to a row of that set', () => {
		expect(operationsFor(model, 'CustomerOrderSet').map((op) => op.name).sort()).toEqual(['GetLineCount', 'ReleaseOrder']);
		expect(operationsFor(model, 'CustomerOrderLineSet').map((op) => op.name)).toEqual(['RenumberLines']);
		expect(operationsFor(model, 'CustomerOrderChargeSet')).toEqual([]);
		expect(operationsFor(model, 'NoSuchSet')).toEqual([]);
	});

	it('operationsFor() without a set lists the unbound operations', () => {
		expect(operationsFor(model).map((op) => op.name).sort()).toEqual(['CreateFromQuotation', 'GetOpenOrderCount']);
	});
});

describe('parseCsdl: smaller documents', () => {
	const wrap = (schema: string) =>
		`<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>${schema}</edmx:DataServices></edmx:Edmx>`;

	it('works without an alias and falls back to the operation name when there is no import', () => {
		const model = parseCsdl(
			wrap(`<Schema Namespace="IfsApp.Small">
				<EntityType Name="Part"><Key><PropertyRef Name="PartNo"/></Key><Property Name="PartNo" Type="Edm.String" Nullable="false"/></EntityType>
				<Action Name="Ping" IsBound="false"/>
				<EntityContainer Name="Main"><EntitySet Name="PartSet" EntityType="IfsApp.Small.Part"/></EntityContainer>
			</Schema>`),
		);
		expect(model.namespace).toBe('IfsApp.Small');
		expect(model.entitySets.PartSet.entityType).toBe('IfsApp.Small.Part');
		expect(model.operations).toEqual([
			{
				kind: 'action',
				name: 'Ping',
				qualifiedName: 'IfsApp.Small.Ping',
				isBound: false,
				bindingType: undefined,
				parameters: [],
				returnType: undefined,
				importName: 'Ping',
			},
		]);
	});

	it('does not un-alias a namespace that merely starts like the alias', () => {
		const model = parseCsdl(
			wrap(`<Schema Namespace="IfsApp.Small" Alias="S">
				<EntityType Name="Part"><Key><PropertyRef Name="PartNo"/></Key>
					<Property Name="PartNo" Type="Edm.String"/>
					<Property Name="Size" Type="Sizes.Enum"/>
				</EntityType>
				<EntityContainer Name="Main"><EntitySet Name="PartSet" EntityType="S.Part"/></EntityContainer>
			</Schema>`),
		);
		expect(model.entitySets.PartSet.entityType).toBe('IfsApp.Small.Part');
		expect(model.entityTypes['IfsApp.Small.Part'].properties.Size.type).toBe('Sizes.Enum');
	});

	it('reads an entity type without key or properties', () => {
		const model = parseCsdl(wrap(`<Schema Namespace="N"><EntityType Name="Empty"/></Schema>`));
		expect(model.entityTypes['N.Empty']).toEqual({ name: 'Empty', qualifiedName: 'N.Empty', keys: [], properties: {}, navigation: {} });
	});

	it('ignores a MaxLength that is not a number (e.g. "max")', () => {
		const model = parseCsdl(wrap(`<Schema Namespace="N"><EntityType Name="T"><Property Name="Doc" Type="Edm.String" MaxLength="max"/></EntityType></Schema>`));
		expect(model.entityTypes['N.T'].properties.Doc.maxLength).toBeUndefined();
	});
});

describe('parseCsdl: documents that are not CSDL', () => {
	it.each([
		['JSON', '{"error":{"code":"401","message":"Unauthorized"}}', /not valid XML/],
		['broken XML', '<edmx:Edmx><edmx:DataServices></edmx:Edmx>', /not valid XML/],
		['a DOCTYPE', '<!DOCTYPE html><html></html>', /not valid XML/],
		['an HTML login page', '<html><head><title>Sign in</title></head><body>Login</body></html>', /not OData CSDL \(no Edmx root\)/],
		['Edmx without DataServices', '<edmx:Edmx Version="4.0" xmlns:edmx="x"/>', /has no Schema/],
		['DataServices without a Schema', '<edmx:Edmx xmlns:edmx="x"><edmx:DataServices/></edmx:Edmx>', /has no Schema/],
	])('refuses %s with a MetadataError', (_label, text, message) => {
		expect(() => parseCsdl(text)).toThrow(MetadataError);
		expect(() => parseCsdl(text)).toThrow(message);
	});

	it('includes the XML parser’s reason', () => {
		expect(() => parseCsdl('<a><b></a>')).toThrow(/Unexpected closing tag/);
	});
});

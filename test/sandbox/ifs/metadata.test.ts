import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, child, findAll, parseXml, type XmlElement } from './helpers';

describe('IFS sandbox: $metadata, service document, projection routing', () => {
	let sandbox: IfsSandbox;
	let api: Api;
	let mainApi: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox({ deniedProjections: ['VoucherHandling'] });
		const token = sandbox.issueToken();
		api = new Api(sandbox, token, 'int');
		mainApi = new Api(sandbox, token, 'main');
	});
	afterAll(() => sandbox.close());

	async function metadata(projection: string, client = api): Promise<XmlElement> {
		const res = await client.get(projection, '$metadata');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
		return parseXml(res.text);
	}

	function schemaOf(root: XmlElement): XmlElement {
		expect(root.name).toBe('edmx:Edmx');
		expect(root.attributes.Version).toBe('4.0');
		const schema = findAll(root, 'Schema')[0];
		expect(schema.attributes.xmlns).toBe('http://docs.oasis-open.org/odata/ns/edm');
		return schema;
	}

	function keysOf(entityType: XmlElement): Array<[string, string]> {
		const key = child(entityType, 'Key')!;
		return key.children.map((ref) => {
			const name = ref.attributes.Name;
			const prop = child(entityType, 'Property', ['Name', name])!;
			expect(prop.attributes.Nullable).toBe('false');
			return [name, prop.attributes.Type];
		});
	}

	it('describes CustomerOrderHandling as faithful CSDL', async () => {
		const schema = schemaOf(await metadata('CustomerOrderHandling'));
		expect(schema.attributes.Namespace).toBe('IfsApp.CustomerOrderHandling');

		const state = child(schema, 'EnumType', ['Name', 'CustomerOrderState'])!;
		expect(state.children.map((m) => m.attributes.Name)).toEqual(expect.arrayContaining(['Planned', 'Released', 'Reserved', 'Delivered', 'Invoiced', 'Cancelled']));

		const order = child(schema, 'EntityType', ['Name', 'CustomerOrder'])!;
		expect(keysOf(order)).toEqual([['OrderNo', 'Edm.String']]);
		const prop = (name: string) => child(order, 'Property', ['Name', name])!.attributes;
		expect(prop('OrderNo').MaxLength).toBe('12');
		expect(prop('Objstate').Type).toBe('IfsApp.CustomerOrderHandling.CustomerOrderState');
		expect(prop('DateEntered').Type).toBe('Edm.DateTimeOffset');
		expect(prop('WantedDeliveryDate').Type).toBe('Edm.Date');
		expect(prop('TotalAmount')).toMatchObject({ Type: 'Edm.Decimal', Scale: 'variable' });
		expect(prop('Note').Nullable).toBeUndefined();
		const lines = child(order, 'NavigationProperty', ['Name', 'OrderLinesArray'])!;
		expect(lines.attributes.Type).toBe('Collection(IfsApp.CustomerOrderHandling.CustomerOrderLine)');

		const line = child(schema, 'EntityType', ['Name', 'CustomerOrderLine'])!;
		expect(keysOf(line)).toEqual([
			['OrderNo', 'Edm.String'],
			['LineNo', 'Edm.String'],
			['RelNo', 'Edm.String'],
			['LineItemNo', 'Edm.Int32'],
		]);
		const ref = child(line, 'NavigationProperty', ['Name', 'OrderNoRef'])!;
		expect(ref.attributes.Type).toBe('IfsApp.CustomerOrderHandling.CustomerOrder');
		expect(child(ref, 'ReferentialConstraint')!.attributes).toEqual({ Property: 'OrderNo', ReferencedProperty: 'OrderNo' });

		const release = child(schema, 'Action', ['Name', 'CustomerOrder_Release'])!;
		expect(release.attributes.IsBound).toBe('true');
		expect(release.children[0].attributes).toMatchObject({ Name: 'it', Type: 'IfsApp.CustomerOrderHandling.CustomerOrder' });
		const credit = child(schema, 'Action', ['Name', 'CheckCustomerCredit'])!;
		expect(credit.attributes.IsBound).toBe('false');
		expect(child(credit, 'Parameter')!.attributes).toMatchObject({ Name: 'CustomerNo', Type: 'Edm.String' });
		expect(child(credit, 'ReturnType')!.attributes.Type).toBe('Edm.Boolean');
		expect(child(schema, 'Function', ['Name', 'GetOrderCount'])).toBeDefined();

		const container = child(schema, 'EntityContainer')!;
		const orderSet = child(container, 'EntitySet', ['Name', 'CustomerOrderSet'])!;
		expect(orderSet.attributes.EntityType).toBe('IfsApp.CustomerOrderHandling.CustomerOrder');
		expect(child(orderSet, 'NavigationPropertyBinding')!.attributes).toEqual({ Path: 'OrderLinesArray', Target: 'CustomerOrderLineSet' });
		expect(child(container, 'ActionImport', ['Name', 'CheckCustomerCredit'])!.attributes.Action).toBe('IfsApp.CustomerOrderHandling.CheckCustomerCredit');
		expect(child(container, 'FunctionImport', ['Name', 'GetOrderCount'])).toBeDefined();
	});

	it('lists the composite inventory key in order with its types', async () => {
		const schema = schemaOf(await metadata('InventoryPartInStockHandling'));
		const stock = child(schema, 'EntityType', ['Name', 'InventoryPartInStock'])!;
		expect(keysOf(stock)).toEqual([
			['Contract', 'Edm.String'],
			['PartNo', 'Edm.String'],
			['ConfigurationId', 'Edm.String'],
			['LocationNo', 'Edm.String'],
			['LotBatchNo', 'Edm.String'],
			['SerialNo', 'Edm.String'],
			['EngChgLevel', 'Edm.String'],
			['WaivDevRejNo', 'Edm.String'],
			['ActivitySeq', 'Edm.Int32'],
			['HandlingUnitId', 'Edm.Int32'],
		]);
		// Read-only quantities carry Core.Computed.
		const qty = child(stock, 'Property', ['Name', 'QtyOnhand'])!;
		expect(child(qty, 'Annotation')!.attributes).toEqual({ Term: 'Core.Computed', Bool: 'true' });
	});

	it('serves every projection as well-formed XML on main', async () => {
		for (const projection of ['CustomerOrderHandling', 'InventoryPartInStockHandling', 'CustomerHandling']) {
			const schema = schemaOf(await metadata(projection, mainApi));
			expect(schema.attributes.Namespace).toBe(`IfsApp.${projection}`);
		}
	});

	it('serves the JSON service document', async () => {
		for (const path of ['', '/']) {
			const res = await call(`${api.url('CustomerOrderHandling')}${path}`);
			expect(res.status).toBe(200);
			expect(res.json['@odata.context']).toBe(`${api.url('CustomerOrderHandling')}/$metadata`);
			expect(res.json.value).toEqual(
				expect.arrayContaining([
					{ name: 'CustomerOrderSet', kind: 'EntitySet', url: 'CustomerOrderSet' },
					{ name: 'CustomerOrderLineSet', kind: 'EntitySet', url: 'CustomerOrderLineSet' },
				]),
			);
		}
		function call(url: string) {
			return fetch(url, { headers: { Authorization: `Bearer ${api.token}` } }).then(async (r) => ({ status: r.status, json: await r.json() }));
		}
	});

	it('exposes CustomerHandling on main only (404 on int)', async () => {
		expect((await mainApi.get('CustomerHandling', 'CustomerInfoSet?$top=1')).status).toBe(200);
		const onInt = await api.get('CustomerHandling', 'CustomerInfoSet?$top=1');
		expect(onInt.status).toBe(404);
		expect(onInt.json.error.code).toBe('ODP_RESOURCE_NOTFOUND');
		expect(onInt.json.error.message).toMatch(/Projection CustomerHandling was not found/);
	});

	it('answers 404 for unknown projections and entity sets', async () => {
		const projection = await api.get('NoSuchHandling', '$metadata');
		expect(projection.status).toBe(404);
		expect(projection.json.error.message).toMatch(/not found/);
		const set = await api.get('CustomerOrderHandling', 'NoSuchSet');
		expect(set.status).toBe(404);
		expect(set.json.error.code).toBe('ODP_RESOURCE_NOTFOUND');
	});

	it('answers 403 for projections the service user has no grant for', async () => {
		for (const path of ['$metadata', 'VoucherSet?$top=1']) {
			const res = await api.get('VoucherHandling', path);
			expect(res.status).toBe(403);
			expect(res.json.error.code).toBe('ODP_FORBIDDEN');
			expect(res.json.error.message).toMatch(/permission set grant/);
		}
	});

	it('does not implement $batch / $apply but says so', async () => {
		const apply = await api.get('CustomerOrderHandling', 'CustomerOrderSet?$apply=groupby((Contract))');
		expect(apply.status).toBe(501);
		expect(apply.json.error.message).toMatch(/\$apply/);
	});
});

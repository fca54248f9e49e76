import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, decodeEtag } from './helpers';

const CO = 'CustomerOrderHandling';
const ORDER = 'C1000001';
const orderPath = (no = ORDER) => `CustomerOrderSet(OrderNo='${no}')`;

const newOrder = (no: string) => ({
	OrderNo: no,
	Contract: 'S200',
	CustomerNo: '10001',
	CurrencyCode: 'EUR',
	WantedDeliveryDate: '2024-09-30',
	CustomerPoNo: 'PO-NEW',
});

describe('IFS sandbox: writes, ETags and upserts', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const patch = (path: string, body: unknown, headers: Record<string, string> = {}) => api.request('PATCH', CO, path, { body, headers });
	const etagOf = async (path = orderPath()) => (await api.get(CO, path)).headers.get('etag')!;
	const objversion = (etag: string) => decodeEtag(etag).split(':')[1].replace('"', '');

	describe('create (POST)', () => {
		it('answers 201 with the row, ETag and Location; computed fields are filled', async () => {
			const res = await api.request('POST', CO, 'CustomerOrderSet', { body: { ...newOrder('N1'), Objstate: 'Invoiced', TotalAmount: 99 } });
			expect(res.status).toBe(201);
			expect(res.headers.get('location')).toBe(`${api.url(CO)}/CustomerOrderSet(OrderNo='N1')`);
			expect(res.headers.get('etag')).toBe(res.json['@odata.etag']);
			expect(res.json).toMatchObject({ OrderNo: 'N1', Company: '20', Objstate: 'Planned', TotalAmount: 0, keyref: 'ORDER_NO=N1^', Note: null });
			expect(res.json.DateEntered).toMatch(/Z$/);
			expect((await api.get(CO, orderPath('N1'))).json.CustomerPoNo).toBe('PO-NEW');
		});

		it('answers 204 with Prefer: return=minimal', async () => {
			const res = await api.request('POST', CO, 'CustomerOrderSet', { body: newOrder('N2'), headers: { Prefer: 'return=minimal' } });
			expect(res.status).toBe(204);
			expect(res.text).toBe('');
			expect(res.headers.get('preference-applied')).toBe('return=minimal');
			expect(res.headers.get('etag')).toMatch(/^W\/"/);
		});

		it('requires Content-Type application/json (IFS ODP_DESERIALIZATION_ERROR)', async () => {
			for (const headers of [{ 'Content-Type': 'text/plain' }, { 'Content-Type': 'application/x-www-form-urlencoded' }]) {
				const res = await api.request('POST', CO, 'CustomerOrderSet', { body: JSON.stringify(newOrder('N3')), headers });
				expect(res.status).toBe(400);
				expect(res.json.error).toMatchObject({ code: 'ODP_DESERIALIZATION_ERROR', message: 'Error while de-serializing contents.' });
			}
			const raw = await fetch(api.url(CO, 'CustomerOrderSet'), {
				method: 'POST',
				headers: { Authorization: `Bearer ${api.token}` },
				body: new Uint8Array(Buffer.from(JSON.stringify(newOrder('N3')))),
			});
			expect(raw.status).toBe(400);
			const broken = await api.request('POST', CO, 'CustomerOrderSet', { body: '{"OrderNo":', headers: { 'Content-Type': 'application/json' } });
			expect(broken.json.error.code).toBe('ODP_DESERIALIZATION_ERROR');
		});

		it('answers 409 for a duplicate key', async () => {
			const res = await api.request('POST', CO, 'CustomerOrderSet', { body: newOrder(ORDER) });
			expect(res.status).toBe(409);
			expect(res.json.error.code).toBe('DATABASE_ERROR');
			expect(res.json.error.message).toMatch(/already exists/);
		});

		it('answers 400 for unknown properties, bad types and missing mandatory fields', async () => {
			const unknown = await api.request('POST', CO, 'CustomerOrderSet', { body: { ...newOrder('N4'), Colour: 'red' } });
			expect(unknown.status).toBe(400);
			expect(unknown.json.error.details[0].message).toMatch(/Property 'Colour' does not exist/);
			const badType = await api.request('POST', CO, 'CustomerOrderSet', { body: { ...newOrder('N4'), WantedDeliveryDate: '30.09.2024' } });
			expect(badType.status).toBe(400);
			const { CustomerNo: _omit, ...noCustomer } = newOrder('N4');
			const mandatory = await api.request('POST', CO, 'CustomerOrderSet', { body: noCustomer });
			expect(mandatory.status).toBe(400);
			expect(mandatory.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/Field \[CUSTOMER_NO\] is mandatory/) });
			// A missing key is a NULLVALUE error (order numbers come from a series: see orders.test.ts).
			const missingKey = await api.request('POST', CO, `${orderPath()}/OrderLinesArray`, { body: { CatalogNo: 'P-000001', BuyQtyDue: 1 } });
			expect(missingKey.status).toBe(400);
			expect(missingKey.json.error.message).toMatch(/LINE_NO/);
		});

		it('creates lines through the navigation with the parent key filled in', async () => {
			const res = await api.request('POST', CO, `${orderPath()}/OrderLinesArray`, {
				body: { LineNo: '9', RelNo: '1', LineItemNo: 0, PartNo: 'P-000001', CatalogNo: 'P-000001', BuyQtyDue: 2, SalePrice: 10.5 },
			});
			expect(res.status).toBe(201);
			expect(res.json).toMatchObject({ OrderNo: ORDER, Contract: sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: ORDER })!.Contract });
			const orphan = await api.request('POST', CO, 'CustomerOrderLineSet', {
				body: { OrderNo: 'NOPE', LineNo: '1', RelNo: '1', LineItemNo: 0, PartNo: 'P', CatalogNo: 'P', BuyQtyDue: 1 },
			});
			expect(orphan.status).toBe(400);
			expect(orphan.json.error.message).toMatch(/does not exist/);
		});
	});

	describe('update (PATCH) and ETags', () => {
		it('updates with the current If-Match and returns the row with a new ETag', async () => {
			const before = await etagOf();
			const res = await patch(orderPath(), { Note: 'changed', OrderNo: 'IGNORED', Objstate: 'Cancelled', TotalAmount: 1 }, { 'If-Match': before });
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ OrderNo: ORDER, Note: 'changed', Objstate: sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: ORDER })!.Objstate });
			expect(res.headers.get('etag')).toBe(res.json['@odata.etag']);
			expect(res.json['@odata.etag']).not.toBe(before);
			expect(decodeEtag(res.json['@odata.etag']).split(':')[0]).toBe(decodeEtag(before).split(':')[0]); // same Objid
		});

		it('changes the ETag on every update, even within one second (Objversion strictly increases)', async () => {
			let etag = await etagOf();
			const seen = [etag];
			for (let i = 0; i < 5; i++) {
				const res = await patch(orderPath(), { Note: `n${i}` }, { 'If-Match': etag });
				expect(res.status).toBe(200);
				etag = res.headers.get('etag')!;
				seen.push(etag);
			}
			expect(new Set(seen).size).toBe(seen.length);
			const versions = seen.map(objversion);
			for (let i = 1; i < versions.length; i++) expect(versions[i] > versions[i - 1]).toBe(true);
			expect(versions[1]).toMatch(/^\d{14}$/);
		});

		it('answers 412 for a stale If-Match and leaves the row alone', async () => {
			const stale = await etagOf();
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { Note: 'someone else' });
			const res = await patch(orderPath(), { Note: 'mine' }, { 'If-Match': stale });
			expect(res.status).toBe(412);
			expect(res.json.error).toMatchObject({ code: 'ODP_PRECONDITION_FAILED', message: expect.stringMatching(/has already been changed/) });
			expect(sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: ORDER })!.Note).toBe('someone else');
			const otherRow = await patch(orderPath(), { Note: 'mine' }, { 'If-Match': await etagOf(orderPath('C1000002')) });
			expect(otherRow.status).toBe(412);
		});

		it('If-Match: * skips the check but needs an existing row', async () => {
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { Note: 'someone else' });
			const res = await patch(orderPath(), { Note: 'forced' }, { 'If-Match': '*' });
			expect(res.status).toBe(200);
			expect(res.json.Note).toBe('forced');
			const missing = await patch(orderPath('NEW1'), { Note: 'x' }, { 'If-Match': '*' });
			expect(missing.status).toBe(404);
			expect(sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: 'NEW1' })).toBeUndefined();
		});

		it('PATCH without If-Match upserts: updates an existing row, creates a missing one from the URL keys', async () => {
			const update = await patch(orderPath(), { Note: 'upserted' });
			expect(update.status).toBe(200);
			expect(update.json.Note).toBe('upserted');
			const create = await patch(orderPath('UP1'), { ...newOrder('BODY-KEY-IGNORED'), Note: 'new via upsert' });
			expect(create.status).toBe(201);
			expect(create.json).toMatchObject({ OrderNo: 'UP1', Note: 'new via upsert', Objstate: 'Planned' });
			expect(sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: 'BODY-KEY-IGNORED' })).toBeUndefined();
			const incomplete = await patch(orderPath('UP2'), { Note: 'no mandatory fields' });
			expect(incomplete.status).toBe(400);
			expect(incomplete.json.error.code).toBe('DATABASE_ERROR');
		});

		it('answers 204 with the new ETag for Prefer: return=minimal', async () => {
			const res = await patch(orderPath(), { Note: 'minimal' }, { Prefer: 'return=minimal', 'If-Match': await etagOf() });
			expect(res.status).toBe(204);
			expect(res.headers.get('etag')).toBe(sandbox.data.etag(CO, 'CustomerOrderSet', { OrderNo: ORDER }));
		});

		it('rejects PUT with 405', async () => {
			const res = await api.request('PUT', CO, orderPath(), { body: newOrder(ORDER) });
			expect(res.status).toBe(405);
			expect(res.json.error.code).toBe('ODP_METHOD_NOT_ALLOWED');
		});
	});

	describe('delete', () => {
		it('needs If-Match (400 ODP_MISSING_PRECONDITION), rejects stale ones (412), then deletes (204) with the lines', async () => {
			const missing = await api.request('DELETE', CO, orderPath());
			expect(missing.status).toBe(400);
			expect(missing.json.error.code).toBe('ODP_MISSING_PRECONDITION');
			const stale = await etagOf();
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { Note: 'x' });
			expect((await api.request('DELETE', CO, orderPath(), { headers: { 'If-Match': stale } })).status).toBe(412);
			const ok = await api.request('DELETE', CO, orderPath(), { headers: { 'If-Match': await etagOf() } });
			expect(ok.status).toBe(204);
			expect((await api.get(CO, orderPath())).status).toBe(404);
			expect(sandbox.data.rows(CO, 'CustomerOrderLineSet').filter((l) => l.OrderNo === ORDER)).toHaveLength(0);
			expect((await api.request('DELETE', CO, orderPath(), { headers: { 'If-Match': '*' } })).status).toBe(404);
		});
	});

	describe('VoucherSet (Read, Update only)', () => {
		const V = 'VoucherHandling';
		const key = "VoucherSet(Company='10',AccountingYear=2024,VoucherType='M',VoucherNo=1)";

		it('answers 405 with an envelope for POST and DELETE', async () => {
			const post = await api.request('POST', V, 'VoucherSet', { body: { Company: '10', AccountingYear: 2024, VoucherType: 'M', VoucherNo: 999 } });
			expect(post.status).toBe(405);
			expect(post.json.error.code).toBe('ODP_METHOD_NOT_ALLOWED');
			expect(post.headers.get('allow')).toBe('GET');
			const del = await api.request('DELETE', V, key, { headers: { 'If-Match': '*' } });
			expect(del.status).toBe(405);
		});

		it('updates the voucher text, ignores read-only fields, cannot upsert-create', async () => {
			const before = await api.get(V, key);
			const res = await api.request('PATCH', V, key, { body: { VoucherText2: 'EXT-9999', Userid: 'HACKER' }, headers: { 'If-Match': before.headers.get('etag')! } });
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ VoucherText2: 'EXT-9999', Userid: before.json.Userid });
			const create = await api.request('PATCH', V, "VoucherSet(Company='10',AccountingYear=2024,VoucherType='M',VoucherNo=9999)", { body: { VoucherText2: 'x' } });
			expect(create.status).toBe(404);
		});
	});

	describe('actions', () => {
		const release = `${orderPath()}/IfsApp.CustomerOrderHandling.CustomerOrder_Release`;

		beforeEach(() => {
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { Objstate: 'Planned' });
		});

		it('bound CustomerOrder_Release needs the current ETag and bumps it', async () => {
			const missing = await api.request('POST', CO, release);
			expect(missing.status).toBe(400);
			expect(missing.json.error.code).toBe('ODP_MISSING_PRECONDITION');
			const before = await etagOf();
			sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: ORDER }, { Note: 'bump' });
			expect((await api.request('POST', CO, release, { headers: { 'If-Match': before } })).status).toBe(412);
			const current = await etagOf();
			const ok = await api.request('POST', CO, release, { headers: { 'If-Match': current }, body: {} });
			expect(ok.status).toBe(204);
			const after = await api.get(CO, orderPath());
			expect(after.json.Objstate).toBe('Released');
			expect(after.headers.get('etag')).not.toBe(current);
			const again = await api.request('POST', CO, release, { headers: { 'If-Match': after.headers.get('etag')! } });
			expect(again.status).toBe(400);
			expect(again.json.error.message).toMatch(/Release is not allowed/);
			expect((await api.get(CO, release)).status).toBe(405);
			expect((await api.request('POST', CO, `${orderPath()}/CustomerOrder_Release`, { headers: { 'If-Match': '*' } })).status).toBe(404);
		});

		it('unbound CheckCustomerCredit answers { value: boolean }', async () => {
			sandbox.data.insert('CustomerHandling', 'CustomerInfoSet', { CustomerId: 'CR1', Name: 'Credit Test', Country: 'SE', CreationDate: '2024-01-01' });
			sandbox.data.insert(CO, 'CustomerOrderSet', { ...newOrder('CR-ORDER'), CustomerNo: 'CR1' });
			const ok = await api.request('POST', CO, 'CheckCustomerCredit', { body: { CustomerNo: 'CR1' } });
			expect(ok.status).toBe(200);
			expect(ok.json).toEqual({ '@odata.context': `${api.url(CO)}/$metadata#Edm.Boolean`, value: true });
			sandbox.data.insert(CO, 'CustomerOrderLineSet', { OrderNo: 'CR-ORDER', LineNo: '1', RelNo: '1', LineItemNo: 0, PartNo: 'P-000001', CatalogNo: 'P-000001', BuyQtyDue: 1000, SalePrice: 100 });
			const blocked = await api.request('POST', CO, 'CheckCustomerCredit', { body: { CustomerNo: 'CR1' } });
			expect(blocked.json.value).toBe(false);
			const noParam = await api.request('POST', CO, 'CheckCustomerCredit', { body: {} });
			expect(noParam.status).toBe(400);
			expect((await api.get(CO, 'CheckCustomerCredit')).status).toBe(405);
		});
	});
});

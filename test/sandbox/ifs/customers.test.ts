import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, q } from './helpers';

const CH = 'CustomerHandling';
const customerPath = (id: string) => `CustomerInfoSet(CustomerId='${id}')`;
const addressPath = (id: string, address: string) => `CustomerInfoAddressSet(CustomerId='${id}',AddressId='${address}')`;
const companyPath = (id: string, company: string) => `CustomerCompanySet(CustomerId='${id}',Company='${company}')`;

describe('IFS sandbox: customers, addresses and company data (CustomerHandling, main only)', () => {
	let sandbox: IfsSandbox;
	let main: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		main = await new Api(sandbox, sandbox.issueToken(), 'main').csrf();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	it('stays 404 on int', async () => {
		const int = new Api(sandbox, main.token, 'int');
		expect((await int.get(CH, 'CustomerInfoAddressSet')).status).toBe(404);
	});

	describe('CustomerInfoSet', () => {
		it('seeds AssociationNo and CustomerCategory next to the earlier fields', async () => {
			const res = await main.get(CH, `CustomerInfoSet?${q({ $filter: "startswith(AssociationNo,'SHOP-')", $select: 'CustomerId,AssociationNo,CustomerCategory' })}`);
			expect(res.status).toBe(200);
			expect(res.json.value.length).toBeGreaterThan(5);
			for (const row of res.json.value) expect(row.AssociationNo).toBe(`SHOP-${String(Number(row.CustomerId) - 10000).padStart(5, '0')}`);
			expect(new Set(sandbox.data.rows(CH, 'CustomerInfoSet').map((c) => c.CustomerCategory))).toEqual(new Set(['Customer', 'EndCustomer']));
		});

		it('creates with CustomerId and Name only; defaults fill the rest', async () => {
			sandbox.clock.set('2024-10-05T09:00:00Z');
			const res = await main.post(CH, 'CustomerInfoSet', { CustomerId: 'WEB-1', Name: 'Web Shopper', AssociationNo: 'shopify:123' });
			expect(res.status).toBe(201);
			expect(res.json).toMatchObject({ CustomerId: 'WEB-1', Name: 'Web Shopper', AssociationNo: 'shopify:123', Country: 'SE', CreationDate: '2024-10-05', CustomerCategory: 'Customer', PartyType: 'Customer' });
			for (const body of [{ Name: 'No id' }, { CustomerId: 'WEB-2' }]) {
				const missing = await main.post(CH, 'CustomerInfoSet', body);
				expect(missing.status).toBe(400);
				expect(missing.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/Field \[(CUSTOMER_ID|NAME)\] is mandatory/) });
			}
			const tooLong = await main.post(CH, 'CustomerInfoSet', { CustomerId: 'WEB-3', Name: 'x', AssociationNo: 'a'.repeat(51) });
			expect(tooLong.status).toBe(400);
		});

		it('upserts by AssociationNo-found key and guards updates with ETags', async () => {
			const found = await main.get(CH, `CustomerInfoSet?${q({ $filter: "AssociationNo eq 'SHOP-00001'" })}`);
			expect(found.json.value).toHaveLength(1);
			const etag = found.json.value[0]['@odata.etag'];
			const ok = await main.patch(CH, customerPath('10001'), { Name: 'Renamed AB' }, { 'If-Match': etag });
			expect(ok.status).toBe(200);
			expect((await main.patch(CH, customerPath('10001'), { Name: 'Again' }, { 'If-Match': etag })).status).toBe(412);
			const created = await main.patch(CH, customerPath('UPS-1'), { Name: 'Upserted', AssociationNo: 'EXT-9' });
			expect(created.status).toBe(201);
			expect(created.json).toMatchObject({ CustomerId: 'UPS-1', AssociationNo: 'EXT-9' });
		});
	});

	describe('CustomerInfoAddressSet', () => {
		it('seeds a delivery + document address 1 for every customer, readable through AddressesArray', async () => {
			const customers = sandbox.data.rows(CH, 'CustomerInfoSet');
			const addresses = sandbox.data.rows(CH, 'CustomerInfoAddressSet');
			for (const c of customers) {
				const first = addresses.find((a) => a.CustomerId === c.CustomerId && a.AddressId === '1');
				expect(first).toMatchObject({ DeliveryAddress: true, DocumentAddress: true, Country: c.Country, Name: c.Name });
			}
			expect(addresses.length).toBeGreaterThan(customers.length);
			const nav = await main.get(CH, `${customerPath('10001')}/AddressesArray`);
			expect(nav.status).toBe(200);
			expect(nav.json.value.map((a: { AddressId: string }) => a.AddressId)).toEqual(addresses.filter((a) => a.CustomerId === '10001').map((a) => a.AddressId));
			const expanded = await main.get(CH, `${addressPath('10001', '1')}?$expand=CustomerIdRef($select=Name)`);
			expect(expanded.json.CustomerIdRef).toEqual({ '@odata.etag': expect.any(String), luname: 'CustomerInfo', keyref: 'CUSTOMER_ID=10001^', Name: "O'Brien Tools Ltd" });
		});

		it('creates addresses through the navigation (country from the customer), updates with ETags, upserts', async () => {
			const created = await main.post(CH, `${customerPath('10002')}/AddressesArray`, { AddressId: 'SHIP-2', Name: 'Dock 4', Address1: "1 O'Brien Way", City: 'Leeds', DeliveryAddress: true });
			expect(created.status).toBe(201);
			const country = sandbox.data.get(CH, 'CustomerInfoSet', { CustomerId: '10002' })!.Country;
			expect(created.json).toMatchObject({ CustomerId: '10002', AddressId: 'SHIP-2', Country: country, DeliveryAddress: true, DocumentAddress: false, Address2: null });

			const etag = created.headers.get('etag')!;
			const updated = await main.patch(CH, addressPath('10002', 'SHIP-2'), { ZipCode: 'LS1 4AP' }, { 'If-Match': etag });
			expect(updated.status).toBe(200);
			expect((await main.patch(CH, addressPath('10002', 'SHIP-2'), { ZipCode: 'x' }, { 'If-Match': etag })).status).toBe(412);

			const upserted = await main.patch(CH, addressPath('10002', 'BILL'), { Address1: 'Box 12', DocumentAddress: true, Country: 'GB' });
			expect(upserted.status).toBe(201);
			expect(upserted.json).toMatchObject({ CustomerId: '10002', AddressId: 'BILL', Country: 'GB' });
			const orphan = await main.patch(CH, addressPath('NOPE', '1'), { Address1: 'x' });
			expect(orphan.status).toBe(400);
			expect(orphan.json.error.message).toMatch(/Customer Info NOPE does not exist/);
			expect((await main.post(CH, 'CustomerInfoAddressSet', { CustomerId: '10002', AddressId: 'SHIP-2' })).status).toBe(409);
		});

		it('goes with its customer on delete, together with the company data', async () => {
			await main.post(CH, 'CustomerInfoSet', { CustomerId: 'DEL-1', Name: 'Short lived' });
			await main.post(CH, `${customerPath('DEL-1')}/AddressesArray`, { AddressId: '1' });
			await main.post(CH, 'CustomerCompanySet', { CustomerId: 'DEL-1', Company: '20' });
			expect((await main.request('DELETE', CH, customerPath('DEL-1'), { headers: { 'If-Match': '*' } })).status).toBe(204);
			expect(sandbox.data.rows(CH, 'CustomerInfoAddressSet').some((a) => a.CustomerId === 'DEL-1')).toBe(false);
			expect(sandbox.data.rows(CH, 'CustomerCompanySet').some((a) => a.CustomerId === 'DEL-1')).toBe(false);
		});
	});

	describe('CustomerCompanySet', () => {
		it('seeds company 10 for every customer (20 for every other one) with the company currency', async () => {
			const rows = sandbox.data.rows(CH, 'CustomerCompanySet');
			expect(rows.filter((r) => r.Company === '10')).toHaveLength(30);
			expect(rows.filter((r) => r.Company === '20')).toHaveLength(15);
			expect(rows.filter((r) => r.Company === '20').every((r) => r.CurrencyCode === 'EUR')).toBe(true);
			const res = await main.get(CH, companyPath('10001', '10'));
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ CustomerId: '10001', Company: '10', keyref: 'CUSTOMER_ID=10001^COMPANY=10^' });
		});

		it('creates (currency from the company), upserts and updates with ETags; unknown company or customer is 400', async () => {
			await main.post(CH, 'CustomerInfoSet', { CustomerId: 'CC-1', Name: 'Company data AB' });
			const created = await main.post(CH, 'CustomerCompanySet', { CustomerId: 'CC-1', Company: '20', PayTermId: '30' });
			expect(created.status).toBe(201);
			expect(created.json).toMatchObject({ CurrencyCode: 'EUR', PayTermId: '30' });
			const upserted = await main.patch(CH, companyPath('CC-1', '10'), { PayTermId: '10', CurrencyCode: 'USD' });
			expect(upserted.status).toBe(201);
			expect(upserted.json).toMatchObject({ Company: '10', CurrencyCode: 'USD' });
			const updated = await main.patch(CH, companyPath('CC-1', '10'), { PayTermId: '60' }, { 'If-Match': upserted.headers.get('etag')! });
			expect(updated.json.PayTermId).toBe('60');
			expect((await main.patch(CH, companyPath('CC-1', '10'), { CurrencyCode: 'XXX' })).status).toBe(400);

			const badCompany = await main.post(CH, 'CustomerCompanySet', { CustomerId: 'CC-1', Company: '99' });
			expect(badCompany.status).toBe(400);
			expect(badCompany.json.error.message).toMatch(/Company 99 does not exist/);
			expect((await main.post(CH, 'CustomerCompanySet', { CustomerId: 'NOPE', Company: '10' })).status).toBe(400);
		});
	});
});

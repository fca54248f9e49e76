import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, q } from './helpers';
import { decimalText, formatMinorUnits, fromMinorUnits, toMinorUnits } from './money';

const VH = 'VoucherHandling';
const VEA = 'VoucherEntryAssistantHandling';
const EXT = 'ExternalVouchers';
const CREATE = 'IfsApp.VoucherEntryAssistantHandling.VoucherEntry_CreateVoucher';
const entryPath = (objkey: string) => `VoucherEntrySet(Objkey='${objkey}')`;
const voucherPath = (k: { Company: string; AccountingYear: number; VoucherType: string; VoucherNo: number }) =>
	`VoucherSet(Company='${k.Company}',AccountingYear=${k.AccountingYear},VoucherType='${k.VoucherType}',VoucherNo=${k.VoucherNo})`;

describe('money: exact minor units', () => {
	it('converts JSON numbers through their decimal text, never through float sums', () => {
		expect(decimalText(1e-7)).toBe('0.0000001');
		expect(decimalText(1.5e21)).toBe('1500000000000000000000');
		expect(decimalText(-2.5e-3)).toBe('-0.0025');
		expect(toMinorUnits(0.1, 'EUR') + toMinorUnits(0.2, 'EUR')).toBe(toMinorUnits(0.3, 'EUR'));
		expect(toMinorUnits(-12.5, 'SEK')).toBe(-1250n);
		expect(toMinorUnits(1234567890123.45, 'SEK')).toBe(123456789012345n);
		expect(toMinorUnits(700, 'JPY')).toBe(700n);
		expect(() => toMinorUnits(1.5, 'JPY')).toThrow(/more decimals than currency JPY allows/);
		expect(() => toMinorUnits(0.1 + 0.2, 'EUR')).toThrow(/0.30000000000000004/);
		expect(() => toMinorUnits(1, 'XXX')).toThrow(/Currency code XXX does not exist/);
		expect(formatMinorUnits(-5n, 'EUR')).toBe('-0.05');
		expect(fromMinorUnits(30n, 'EUR')).toBe(0.3);
	});
});

describe('IFS sandbox: GL vouchers', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const nextVoucherNo = (company: string, year: number, type: string) =>
		Math.max(0, ...sandbox.data.rows(VH, 'VoucherSet').filter((v) => v.Company === company && v.AccountingYear === year && v.VoucherType === type).map((v) => v.VoucherNo as number)) + 1;

	describe('master data and the voucher tables', () => {
		it('serves the chart of accounts and cost centers read-only', async () => {
			const accounts = await api.get('AccountsHandling', `AccountSet?${q({ $filter: "Company eq '10' and Account ge '1500' and Account lt '1530'" })}`);
			expect(accounts.json.value.map((a: { Account: string }) => a.Account)).toEqual(['1500', '1510', '1520']);
			expect(accounts.json.value[1]).toMatchObject({ Description: 'Accounts receivable', AccountGroup: 'ASSETS' });
			expect(sandbox.data.count('AccountsHandling', 'AccountSet')).toBe(2 * 800);
			expect(sandbox.data.get('AccountsHandling', 'AccountSet', { Company: '20', Account: '9999' })).toBeUndefined();
			expect((await api.get('CodeBHandling', "CodeBSet(Company='20',CodeB='300')")).status).toBe(200);
		});

		it('seeds balanced, read-only VoucherRowSet rows for the seeded vouchers, reachable via VoucherRowArray', async () => {
			const rows = sandbox.data.rows(VH, 'VoucherRowSet');
			for (const v of sandbox.data.rows(VH, 'VoucherSet')) {
				const mine = rows.filter((r) => r.Company === v.Company && r.AccountingYear === v.AccountingYear && r.VoucherType === v.VoucherType && r.VoucherNo === v.VoucherNo);
				expect(mine.length).toBeGreaterThanOrEqual(2);
				const sum = (f: string) => mine.reduce((s, r) => s + (r[f] === null ? 0n : toMinorUnits(r[f] as number, r.CurrencyCode as string)), 0n);
				expect(sum('CurrencyDebitAmount')).toBe(sum('CurrencyCreditAmount'));
			}
			const key = { Company: '10', AccountingYear: 2024, VoucherType: 'M', VoucherNo: 1 };
			const nav = await api.get(VH, `${voucherPath(key)}/VoucherRowArray`);
			expect(nav.status).toBe(200);
			expect(nav.json.value[0]).toMatchObject({ ...key, RowNo: 1, CurrencyCode: 'SEK', luname: 'VoucherRow' });
			expect((await api.post(VH, 'VoucherRowSet', { ...key, RowNo: 99 })).status).toBe(405);
			const rowPath = `VoucherRowSet(Company='10',AccountingYear=2024,VoucherType='M',VoucherNo=1,RowNo=1)`;
			expect((await api.patch(VH, rowPath, { Text: 'x' })).status).toBe(405);
		});
	});

	describe('path A: VoucherEntryAssistantHandling', () => {
		async function entry(body: Record<string, unknown> = {}) {
			const res = await api.post(VEA, 'VoucherEntrySet', { Company: '10', VoucherType: 'M', VoucherDate: '2024-09-15', VoucherText2: 'EXT-A-1', ...body });
			expect(res.status).toBe(201);
			return res.json as { Objkey: string; '@odata.etag': string };
		}
		async function post(objkey: string, rows: Array<Record<string, unknown>>) {
			for (const row of rows) {
				const res = await api.post(VEA, `${entryPath(objkey)}/VoucherPostingArray`, row);
				expect(res.status).toBe(201);
			}
		}
		const createVoucher = async (objkey: string) => api.post(VEA, `${entryPath(objkey)}/${CREATE}`, {}, { 'If-Match': await api.etag(VEA, entryPath(objkey)) });

		it('creates a voucher with rows from a balanced entry, returns its key and drops the virtual rows', async () => {
			sandbox.clock.set('2024-09-15T11:00:00Z');
			const e = await entry();
			expect(e).toMatchObject({ Objkey: expect.stringMatching(/^[0-9A-F]{32}$/), CurrencyCode: 'SEK', Objstate: 'New' });
			await post(e.Objkey, [
				{ Account: '1510', CurrencyDebitAmount: 125.5, Text: 'Order 4711' },
				{ Account: '3010', CodeB: '100', CurrencyCreditAmount: 100.4 },
				{ Account: '2610', CurrencyCreditAmount: 25.1 },
			]);
			const postings = await api.get(VEA, `VoucherPostingSet?${q({ $filter: `ParentObjkey eq '${e.Objkey}'` })}`);
			expect(postings.json.value.map((p: { Account: string }) => p.Account)).toEqual(['1510', '3010', '2610']);
			expect(postings.json.value[0]).toMatchObject({ CurrencyCode: 'SEK', CurrencyCreditAmount: null, CodeC: null });

			const expectedNo = nextVoucherNo('10', 2024, 'M');
			const res = await createVoucher(e.Objkey);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({
				'@odata.context': `${api.url(VEA)}/$metadata#IfsApp.VoucherEntryAssistantHandling.VoucherKeyStructure`,
				Company: '10',
				AccountingYear: 2024,
				VoucherType: 'M',
				VoucherNo: expectedNo,
			});
			const voucher = await api.get(VH, voucherPath(res.json));
			expect(voucher.json).toMatchObject({ VoucherText2: 'EXT-A-1', VoucherStatus: 'Confirmed', VoucherDate: '2024-09-15', Userid: 'MLC_INTEGRATION', DateReg: '2024-09-15T11:00:00Z' });
			const found = await api.get(VH, `VoucherSet?${q({ $filter: "Company eq '10' and VoucherText2 eq 'EXT-A-1'", $select: 'VoucherNo' })}`);
			expect(found.json.value).toEqual([expect.objectContaining({ VoucherNo: expectedNo })]);
			const rows = await api.get(VH, `${voucherPath(res.json)}/VoucherRowArray`);
			expect(rows.json.value.map((r: Record<string, unknown>) => [r.RowNo, r.Account, r.CodeB, r.CurrencyDebitAmount, r.CurrencyCreditAmount, r.Text])).toEqual([
				[1, '1510', null, 125.5, null, 'Order 4711'],
				[2, '3010', '100', null, 100.4, null],
				[3, '2610', null, null, 25.1, null],
			]);
			expect((await api.get(VEA, entryPath(e.Objkey))).status).toBe(404);
			expect(sandbox.data.count(VEA, 'VoucherPostingSet')).toBe(0);
			// The next one gets the next number.
			const e2 = await entry({ VoucherText2: 'EXT-A-2' });
			await post(e2.Objkey, [{ Account: '1930', CurrencyDebitAmount: 1 }, { Account: '3010', CurrencyCreditAmount: 1 }]);
			expect((await createVoucher(e2.Objkey)).json.VoucherNo).toBe(expectedNo + 1);
		});

		it('rejects a voucher unbalanced by 0.01 with DATABASE_ERROR and keeps the entry for a fix', async () => {
			const e = await entry();
			await post(e.Objkey, [
				{ Account: '1510', CurrencyDebitAmount: 100 },
				{ Account: '3010', CurrencyCreditAmount: 99.99 },
			]);
			const before = sandbox.data.count(VH, 'VoucherSet');
			const res = await createVoucher(e.Objkey);
			expect(res.status).toBe(400);
			expect(res.json.error).toEqual({
				code: 'DATABASE_ERROR',
				message: 'ORA-20110: Voucher.NOTBALANCED: Voucher is not balanced in currency SEK: debit 100.00, credit 99.99, difference 0.01.',
			});
			expect(sandbox.data.count(VH, 'VoucherSet')).toBe(before);
			expect(sandbox.data.count(VH, 'VoucherRowSet')).toBe(sandbox.data.seeded.voucherRows);
			await post(e.Objkey, [{ Account: '3740', CurrencyCreditAmount: 0.01 }]);
			expect((await createVoucher(e.Objkey)).status).toBe(200);
		});

		it('balances 0.1 + 0.2 against 0.3 exactly, and checks each currency on its own', async () => {
			const e = await entry({ CurrencyCode: 'EUR', Company: '20' });
			await post(e.Objkey, [
				{ Account: '1510', CurrencyDebitAmount: 0.1 },
				{ Account: '1510', CurrencyDebitAmount: 0.2 },
				{ Account: '3010', CurrencyCreditAmount: 0.3 },
			]);
			expect((await createVoucher(e.Objkey)).status).toBe(200);

			const mixed = await entry();
			await post(mixed.Objkey, [
				{ Account: '1510', CurrencyDebitAmount: 10, CurrencyCode: 'EUR' },
				{ Account: '3010', CurrencyCreditAmount: 10 },
			]);
			const res = await createVoucher(mixed.Objkey);
			expect(res.status).toBe(400);
			expect(res.json.error.message).toMatch(/not balanced in currency EUR: debit 10.00, credit 0.00/);
		});

		it('names an unknown account or code B value; rows need exactly one amount within the currency decimals', async () => {
			const e = await entry();
			await post(e.Objkey, [{ Account: '9999', CurrencyDebitAmount: 5 }, { Account: '3010', CurrencyCreditAmount: 5 }]);
			const res = await createVoucher(e.Objkey);
			expect(res.status).toBe(400);
			expect(res.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: 'ORA-20111: Account.NOTEXIST: Account 9999 does not exist in company 10.' });

			const e2 = await entry();
			await post(e2.Objkey, [{ Account: '6110', CodeB: '999', CurrencyDebitAmount: 5 }, { Account: '1930', CurrencyCreditAmount: 5 }]);
			expect((await createVoucher(e2.Objkey)).json.error.message).toMatch(/Code B value 999 does not exist in company 10/);

			const nav = `${entryPath(e2.Objkey)}/VoucherPostingArray`;
			const both = await api.post(VEA, nav, { Account: '1510', CurrencyDebitAmount: 1, CurrencyCreditAmount: 1 });
			expect(both.status).toBe(400);
			expect(both.json.error.message).toMatch(/Exactly one of CurrencyDebitAmount and CurrencyCreditAmount/);
			expect((await api.post(VEA, nav, { Account: '1510' })).status).toBe(400);
			const cents = await api.post(VEA, nav, { Account: '1510', CurrencyDebitAmount: 1.005 });
			expect(cents.status).toBe(400);
			expect(cents.json.error.message).toMatch(/1.005 has more decimals than currency SEK allows/);
		});

		it('needs the entry ETag, like other bound actions; unknown company / voucher type are refused on entry', async () => {
			const e = await entry();
			const missing = await api.post(VEA, `${entryPath(e.Objkey)}/${CREATE}`, {});
			expect(missing.status).toBe(400);
			expect(missing.json.error.code).toBe('ODP_MISSING_PRECONDITION');
			await post(e.Objkey, [{ Account: '1510', CurrencyDebitAmount: 1 }]);
			// Adding a posting changed nothing on the entry row itself: its ETag stays valid.
			const stale = await api.post(VEA, `${entryPath(e.Objkey)}/${CREATE}`, {}, { 'If-Match': e['@odata.etag'] });
			expect(stale.status).toBe(400);
			expect(stale.json.error.message).toMatch(/not balanced/);
			const changed = await api.patch(VEA, entryPath(e.Objkey), { VoucherText2: 'EXT-A-9' });
			expect((await api.post(VEA, `${entryPath(e.Objkey)}/${CREATE}`, {}, { 'If-Match': e['@odata.etag'] })).status).toBe(412);
			expect(changed.status).toBe(200);

			expect((await api.post(VEA, 'VoucherEntrySet', { Company: '77', VoucherType: 'M' })).json.error.message).toMatch(/Company 77 does not exist/);
			expect((await api.post(VEA, 'VoucherEntrySet', { Company: '10', VoucherType: 'Q' })).json.error.message).toMatch(/Voucher type Q does not exist/);
			const empty = await entry();
			expect((await createVoucher(empty.Objkey)).json.error.message).toMatch(/no rows/);
		});

		it('describes the action and its return structure in $metadata', async () => {
			const xml = (await api.get(VEA, '$metadata')).text;
			expect(xml).toMatch(/<ComplexType Name="VoucherKeyStructure">\s*<Property Name="Company" Type="Edm.String" Nullable="false" MaxLength="20"\/>/);
			expect(xml).toMatch(/<Action Name="VoucherEntry_CreateVoucher" IsBound="true">\s*<Parameter Name="it" Type="IfsApp.VoucherEntryAssistantHandling.VoucherEntry" Nullable="false"\/>\s*<ReturnType Type="IfsApp.VoucherEntryAssistantHandling.VoucherKeyStructure" Nullable="false"\/>/);
			expect(xml).toContain('<NavigationProperty Name="VoucherPostingArray" Type="Collection(IfsApp.VoucherEntryAssistantHandling.VoucherPosting)"/>');
		});
	});

	describe('path B: ExternalVouchers', () => {
		const row = (extra: Record<string, unknown>) => ({ LoadId: 'LOAD-1', Company: '20', VoucherType: 'X', TransactionDate: '2024-10-02', Reference: 'EXT-B-1', ...extra });
		const load = (LoadId: string) => api.post(EXT, 'LoadExternalVouchers', { LoadId });

		it('loads rows, creates one voucher from them and marks them Created; a second call is refused', async () => {
			for (const r of [row({ Account: '1930', CurrencyDebitAmount: 1000.1 }), row({ Account: '3010', CodeB: '200', CurrencyCreditAmount: 800.05 }), row({ Account: '2610', CurrencyCreditAmount: 200.05 })]) {
				const res = await api.post(EXT, 'ExternalVouchersSet', r);
				expect(res.status).toBe(201);
				expect(res.json).toMatchObject({ Objstate: 'Loaded', CurrencyCode: 'EUR', VoucherNo: null });
			}
			expect(sandbox.data.rows(EXT, 'ExternalVouchersSet').map((r) => r.RecordNo)).toEqual([1, 2, 3]);

			const res = await load('LOAD-1');
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ Company: '20', AccountingYear: 2024, VoucherType: 'X', VoucherNo: 1 });
			expect(res.json['@odata.context']).toMatch(/\$metadata#IfsApp\.ExternalVouchers\.VoucherKeyStructure$/);
			const voucher = await api.get(VH, voucherPath(res.json));
			expect(voucher.json).toMatchObject({ VoucherText2: 'EXT-B-1', VoucherDate: '2024-10-02', VoucherStatus: 'Confirmed' });
			expect((await api.get(VH, `${voucherPath(res.json)}/VoucherRowArray`)).json.value).toHaveLength(3);
			const loaded = await api.get(EXT, `ExternalVouchersSet?${q({ $filter: "LoadId eq 'LOAD-1'" })}`);
			expect(loaded.json.value.every((r: Record<string, unknown>) => r.Objstate === 'Created' && r.VoucherNo === 1 && r.AccountingYear === 2024)).toBe(true);

			const again = await load('LOAD-1');
			expect(again.status).toBe(400);
			expect(again.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: 'ORA-20110: ExtTransactions.CREATED: Load LOAD-1 has already been created as voucher 20 2024 X 1.' });
			expect((await api.post(EXT, 'ExternalVouchersSet', row({ Account: '1930', CurrencyDebitAmount: 1 }))).status).toBe(400);
			const first = loaded.json.value[0];
			expect((await api.patch(EXT, "ExternalVouchersSet(LoadId='LOAD-1',RecordNo=1)", { Text: 'x' }, { 'If-Match': first['@odata.etag'] })).status).toBe(400);
		});

		it('applies the same validations as path A, writing nothing on failure', async () => {
			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-1', Account: '1930', CurrencyDebitAmount: 0.3 }));
			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-1', Account: '3010', CurrencyCreditAmount: 0.1 }));
			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-1', Account: '3010', CurrencyCreditAmount: 0.19 }));
			const unbalanced = await load('BAD-1');
			expect(unbalanced.status).toBe(400);
			expect(unbalanced.json.error.message).toMatch(/Voucher is not balanced in currency EUR: debit 0.30, credit 0.29, difference 0.01/);
			expect(sandbox.data.rows(EXT, 'ExternalVouchersSet').every((r) => r.Objstate === 'Loaded')).toBe(true);

			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-2', Account: '9990', CurrencyDebitAmount: 1 }));
			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-2', Account: '3010', CurrencyCreditAmount: 1 }));
			expect((await load('BAD-2')).json.error.message).toMatch(/Account 9990 does not exist in company 20/);

			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-3', Account: '1930', CurrencyDebitAmount: 1 }));
			await api.post(EXT, 'ExternalVouchersSet', row({ LoadId: 'BAD-3', Company: '10', Account: '3010', CurrencyCreditAmount: 1 }));
			expect((await load('BAD-3')).json.error.message).toMatch(/must have the same Company, VoucherType and TransactionDate/);

			expect((await load('NO-SUCH-LOAD')).status).toBe(400);
			expect((await api.post(EXT, 'LoadExternalVouchers', {})).status).toBe(400);
			expect(sandbox.data.count(VH, 'VoucherSet')).toBe(sandbox.data.seeded.vouchers);
		});
	});
});

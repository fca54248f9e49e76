/**
 * GL Journal through real workflow JSON against the IFS sandbox, on both creation paths (voucher
 * entry assistant and external voucher load): balance checked in exact decimals before any
 * request, one voucher per external reference (re-runs find it), IFS's own errors surfaced,
 * reversal as a new offsetting voucher, and exactly one voucher after a reset on the final action.
 */
import type { IDataObject } from 'n8n-workflow';

import { type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import {
	EXT,
	IFS_NODE,
	type Line,
	METHODS,
	VEA,
	VH,
	apiRequests,
	errorDescription,
	firstOutput,
	jsonOf,
	postJournalParameters,
	postings,
	reverseJournalParameters,
	rowsOf,
	runIfs,
	traceOf,
	voucherFor,
	voucherKey,
	vouchersFor,
	writes,
} from './finance-helpers';

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
});

const SETTLEMENT: Line[] = [
	{ account: '1930', debit: '1250.40' },
	{ account: '3010', credit: '1000.32', CodeB: '300' },
	{ account: '2610', credit: '250.08' },
];

const voucherCount = () => sandbox.data.count(VH, 'VoucherSet');
const voucherRowCount = () => sandbox.data.count(VH, 'VoucherRowSet');

describe.each(METHODS)('Post Journal via %s', (method) => {
	const post = (reference: string, lines: Line[] | string, extra: IDataObject = {}, run: IDataObject = {}) =>
		runIfs({ sandbox, parameters: postJournalParameters(reference, lines, method, extra), ...run });

	test('an unbalanced journal is rejected before any request, naming the currency totals and the difference', async () => {
		const before = voucherCount();
		const result = await post('UNBAL-1', [
			{ account: '1930', debit: '100.00' },
			{ account: '3010', credit: '99.99' },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The journal does not balance: SEK debit 100.00 vs credit 99.99 (difference 0.01)');
		expect(errorDescription(result)).toMatch(/Nothing was sent to IFS/);
		expect(sandbox.stats.apiRequests).toBe(0);
		expect(sandbox.stats.totalRequests).toBe(0);
		expect(voucherCount()).toBe(before);
	});

	test('a balanced journal posts one voucher with exact rows; re-posting the reference posts nothing', async () => {
		const beforeVouchers = voucherCount();
		const beforeRows = voucherRowCount();
		const first = await post('AMZ-SETTLEMENT-4711', SETTLEMENT, { options: { sourceSystem: 'Amazon Seller Central', sourceId: 'S-4711' } });
		expect(first.error?.message).toBeUndefined();
		expect(first.status).toBe('success');

		const voucher = voucherFor(sandbox, 'AMZ-SETTLEMENT-4711');
		expect(voucher).toMatchObject({ Company: '10', VoucherType: 'M', AccountingYear: 2024, VoucherDate: '2024-05-31', VoucherStatus: 'Confirmed' });
		const rows = rowsOf(sandbox, voucher);
		expect(postings(rows)).toEqual([
			{ Account: '1930', CurrencyDebitAmount: 1250.4, CurrencyCreditAmount: null, CurrencyCode: 'SEK', CodeB: null },
			{ Account: '3010', CurrencyDebitAmount: null, CurrencyCreditAmount: 1000.32, CurrencyCode: 'SEK', CodeB: '300' },
			{ Account: '2610', CurrencyDebitAmount: null, CurrencyCreditAmount: 250.08, CurrencyCode: 'SEK', CodeB: null },
		]);
		expect(rows.map((row) => row.Text)).toEqual(rows.map(() => 'Settlement AMZ-SETTLEMENT-4711'));
		expect(voucherCount()).toBe(beforeVouchers + 1);
		expect(voucherRowCount()).toBe(beforeRows + 3);

		const created = firstOutput(first);
		expect(created).toMatchObject({ ...voucherKey(voucher), VoucherText2: 'AMZ-SETTLEMENT-4711', externalReference: 'AMZ-SETTLEMENT-4711', lineCount: 3 });
		expect(created.totals).toEqual({ SEK: { debit: '1250.40', credit: '1250.40' } });
		expect(traceOf(created)).toMatchObject({
			action: 'created',
			source: { system: 'Amazon Seller Central', id: 'S-4711' },
			target: {
				system: 'IFS Cloud',
				id: `VoucherHandling/VoucherSet(Company='10',AccountingYear=2024,VoucherType='M',VoucherNo=${String(voucher.VoucherNo)})`,
			},
		});

		sandbox.stats.reset();
		const again = await post('AMZ-SETTLEMENT-4711', SETTLEMENT);
		expect(again.status).toBe('success');
		const found = firstOutput(again);
		expect(traceOf(found).action).toBe('found');
		expect(voucherKey(found)).toEqual(voucherKey(voucher));
		expect(writes(sandbox)).toHaveLength(0);
		expect(voucherCount()).toBe(beforeVouchers + 1);
		expect(voucherRowCount()).toBe(beforeRows + 3);
	});

	test('0.1 + 0.2 balances 0.3 exactly (JSON numbers from an expression, no float drift)', async () => {
		expect(0.1 + 0.2 === 0.3).toBe(false); // what a float sum would have said
		const result = await post('FLOAT-1', '={{ $json.lines }}', {}, { items: [{ lines: [{ account: '6110', debit: 0.1 }, { account: '6110', debit: 0.2 }, { account: '1930', credit: 0.3 }] }] });
		expect(result.error?.message).toBeUndefined();
		const voucher = voucherFor(sandbox, 'FLOAT-1');
		expect(rowsOf(sandbox, voucher).map((row) => [row.CurrencyDebitAmount, row.CurrencyCreditAmount])).toEqual([
			[0.1, null],
			[0.2, null],
			[null, 0.3],
		]);
		expect(firstOutput(result).totals).toEqual({ SEK: { debit: '0.30', credit: '0.30' } });

		// A float sum made upstream is not rounded into balance: it is refused, naming the value.
		sandbox.stats.reset();
		const drifted = await post('FLOAT-2', '={{ [{ account: "6110", debit: 0.1 + 0.2 }, { account: "1930", credit: 0.3 }] }}');
		expect(drifted.error?.message).toBe('Journal line 1: 0.30000000000000004 has more than 2 decimals (nothing is rounded; round it upstream)');
		expect(sandbox.stats.apiRequests).toBe(0);
	});

	test('signed amounts: positive is a debit, negative a credit', async () => {
		const result = await post('SIGNED-1', [
			{ account: '1930', amount: '250.00' },
			{ account: '3010', amount: -200 },
			{ account: '2610', amount: '-50.00' },
		]);
		expect(result.error?.message).toBeUndefined();
		expect(postings(rowsOf(sandbox, voucherFor(sandbox, 'SIGNED-1'))).map((row) => [row.Account, row.CurrencyDebitAmount, row.CurrencyCreditAmount])).toEqual([
			['1930', 250, null],
			['3010', null, 200],
			['2610', null, 50],
		]);
	});

	test('ledger-style lines with a zero on one side (as Amazon settlement journals give them) post; two non-zero sides are refused', async () => {
		const result = await post('LEDGER-1', [
			{ account: '1930', debit: '250.00', credit: '0.00' },
			{ account: '3010', debit: '0.00', credit: '250.00' },
		]);
		expect(result.error?.message).toBeUndefined();
		expect(postings(rowsOf(sandbox, voucherFor(sandbox, 'LEDGER-1'))).map((row) => [row.Account, row.CurrencyDebitAmount, row.CurrencyCreditAmount])).toEqual([
			['1930', 250, null],
			['3010', null, 250],
		]);
		sandbox.stats.reset();
		const both = await post('LEDGER-2', [
			{ account: '1930', debit: '10.00', credit: '5.00' },
			{ account: '3010', credit: '5.00' },
		]);
		expect(both.error?.message).toBe('Journal line 1: give only one of debit and credit');
		expect(sandbox.stats.apiRequests).toBe(0);
	});

	test('a multi-currency journal posts when every currency balances; the unbalanced currency is named otherwise', async () => {
		const lines: Line[] = [
			{ account: '1930', debit: '1000.00' },
			{ account: '3010', credit: '1000.00' },
			{ account: '1930', debit: '85.10', currency: 'EUR' },
			{ account: '3010', credit: '85.10', currency: 'EUR' },
		];
		const ok = await post('MULTI-1', lines);
		expect(ok.error?.message).toBeUndefined();
		expect(firstOutput(ok).totals).toEqual({ SEK: { debit: '1000.00', credit: '1000.00' }, EUR: { debit: '85.10', credit: '85.10' } });
		expect(rowsOf(sandbox, voucherFor(sandbox, 'MULTI-1')).map((row) => [row.CurrencyCode, row.CurrencyDebitAmount ?? -Number(row.CurrencyCreditAmount)])).toEqual([
			['SEK', 1000],
			['SEK', -1000],
			['EUR', 85.1],
			['EUR', -85.1],
		]);

		// Overall debit = credit (1085.10), but EUR alone is off by 0.05 and SEK by -0.05.
		sandbox.stats.reset();
		const skewed = await post('MULTI-2', [
			{ account: '1930', debit: '1000.00' },
			{ account: '3010', credit: '1000.05' },
			{ account: '1930', debit: '85.15', currency: 'EUR' },
			{ account: '3010', credit: '85.10', currency: 'EUR' },
		]);
		expect(skewed.status).toBe('error');
		expect(skewed.error?.message).toBe(
			'The journal does not balance: SEK debit 1000.00 vs credit 1000.05 (difference -0.05); EUR debit 85.15 vs credit 85.10 (difference 0.05)',
		);
		expect(sandbox.stats.apiRequests).toBe(0);
		expect(vouchersFor(sandbox, 'MULTI-2')).toHaveLength(0);

		const eurOnly = await post('MULTI-3', [...lines.slice(0, 2), { account: '1930', debit: '10.00', currency: 'EUR' }, { account: '3010', credit: '9.00', currency: 'EUR' }]);
		expect(eurOnly.error?.message).toBe('The journal does not balance: EUR debit 10.00 vs credit 9.00 (difference 1.00)');
		expect(sandbox.stats.apiRequests).toBe(0);
	});

	test('cost centers (CodeB) and other code parts go to the rows; an unknown cost center surfaces IFS\'s message', async () => {
		const ok = await post('DIM-1', [
			{ account: '6110', debit: '40.00', CodeB: '100', CodeC: 'PRJ-7' },
			{ account: '6110', debit: '60.00', CodeB: '900' },
			{ account: '1930', credit: '100.00' },
		]);
		expect(ok.error?.message).toBeUndefined();
		expect(rowsOf(sandbox, voucherFor(sandbox, 'DIM-1')).map((row) => [row.CodeB, row.CodeC])).toEqual([
			['100', 'PRJ-7'],
			['900', null],
			[null, null],
		]);

		const bad = await post('DIM-2', [
			{ account: '6110', debit: '40.00', CodeB: '950' },
			{ account: '1930', credit: '40.00' },
		]);
		expect(bad.status).toBe('error');
		expect(bad.error?.message).toMatch(/Code B value 950 does not exist in company 10/);
		expect(vouchersFor(sandbox, 'DIM-2')).toHaveLength(0);
	});

	test('more decimals than allowed are refused before any request; nothing is rounded', async () => {
		const result = await post('DEC-1', [
			{ account: '1930', debit: '10.005' },
			{ account: '3010', credit: '10.005' },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Journal line 1: 10.005 has more than 2 decimals (nothing is rounded; round it upstream)');
		expect(sandbox.stats.apiRequests).toBe(0);

		// Allowing 3 decimals on the node does not make IFS round either: its currency rule answers.
		const wider = await post('DEC-2', [{ account: '1930', debit: '10.005' }, { account: '3010', credit: '10.005' }], { options: { amountDecimals: 3 } });
		expect(wider.status).toBe('error');
		expect(wider.error?.message).toMatch(/The amount 10\.005 has more decimals than currency SEK allows \(2\)/);
		expect(vouchersFor(sandbox, 'DEC-2')).toHaveLength(0);
	});

	test("an unknown account surfaces IFS's message with the account; fixing it and re-running posts once", async () => {
		const lines: Line[] = [
			{ account: '1930', debit: '75.00' },
			{ account: '9999', credit: '75.00' },
		];
		const bad = await post('ACC-1', lines);
		expect(bad.status).toBe('error');
		expect(bad.error?.message).toMatch(/Account 9999 does not exist in company 10/);
		expect(vouchersFor(sandbox, 'ACC-1')).toHaveLength(0);

		const fixed = await post('ACC-1', [lines[0], { ...lines[1], account: '3010' }]);
		expect(fixed.error?.message).toBeUndefined();
		expect(traceOf(firstOutput(fixed)).action).toBe('created');
		expect(postings(rowsOf(sandbox, voucherFor(sandbox, 'ACC-1'))).map((row) => row.Account)).toEqual(['1930', '3010']);
	});

	test('a used reference with other amounts is refused, pointing at Reverse Journal; the stored totals are reported', async () => {
		await post('REUSED-1', SETTLEMENT);
		const before = voucherRowCount();
		const changed = await post('REUSED-1', [
			{ account: '1930', debit: '1300.00' },
			{ account: '3010', credit: '1300.00' },
		]);
		expect(changed.status).toBe('error');
		expect(changed.error?.message).toBe('Reference "REUSED-1" is already posted with other amounts: SEK 1250.40 in IFS vs 1300.00 now');
		expect(errorDescription(changed)).toMatch(/reverse the posted journal/);
		expect(voucherRowCount()).toBe(before);
		const same = await post('REUSED-1', SETTLEMENT);
		expect(firstOutput(same)).toMatchObject({ totals: { SEK: { debit: '1250.40', credit: '1250.40' } } });
	});

	test('a connection reset on the final action is resolved in the same run: exactly one voucher', async () => {
		const action = method === 'voucherEntry' ? /VoucherEntry_CreateVoucher$/ : /LoadExternalVouchers$/;
		sandbox.faults.resetNext(1, { match: action });
		const before = voucherCount();
		const first = await post('RESET-1', SETTLEMENT, { options: { retryBudgetSeconds: 5 } });
		expect(sandbox.stats.resets).toBe(1);
		expect(apiRequests(sandbox).filter((entry) => action.test(entry.path) && entry.outcome === 'reset')).toHaveLength(1);
		// No voucher carries the reference after the reset, so IFS did not run the action. Sending it
		// again is safe: a successful action consumes its entry (or load), so it cannot run twice.
		expect(first.error?.message).toBeUndefined();
		expect(traceOf(firstOutput(first)).action).toBe('created');
		expect(apiRequests(sandbox).filter((entry) => action.test(entry.path))).toHaveLength(2);

		const again = await post('RESET-1', SETTLEMENT);
		expect(traceOf(firstOutput(again)).action).toBe('found');
		expect(vouchersFor(sandbox, 'RESET-1')).toHaveLength(1);
		expect(voucherCount()).toBe(before + 1);
		expect(rowsOf(sandbox, voucherFor(sandbox, 'RESET-1'))).toHaveLength(3);
	});

	test('the final action applied in IFS but its answer lost: the voucher is found by reference, not posted again', async () => {
		const action = method === 'voucherEntry' ? /VoucherEntry_CreateVoucher$/ : /LoadExternalVouchers$/;
		let applied = false;
		sandbox.hooks.beforeApiRequest = async ({ method: verb, path, url }) => {
			if (applied || verb !== 'POST' || !action.test(path)) return;
			applied = true;
			// The action runs (as IFS would commit it); then the connection drops before the answer.
			const headers: Record<string, string> = { authorization: `Bearer ${sandbox.issueToken()}`, 'content-type': 'application/json' };
			let body = '{}';
			if (method === 'voucherEntry') {
				const objkey = /Objkey='([0-9A-F]+)'/.exec(decodeURIComponent(path))?.[1];
				headers['if-match'] = String(sandbox.data.etag(VEA, 'VoucherEntrySet', { Objkey: objkey }));
			} else {
				const loadId = sandbox.data.rows(EXT, 'ExternalVouchersSet').find((row) => row.Reference === 'LOST-1')?.LoadId;
				body = JSON.stringify({ LoadId: loadId });
			}
			const response = await fetch(`${sandbox.url}${url}`, { method: 'POST', headers, body });
			expect(response.status).toBe(200);
			sandbox.faults.resetNext(1, { match: action });
		};
		const result = await post('LOST-1', SETTLEMENT);
		expect(result.error?.message).toBeUndefined();
		expect(sandbox.stats.resets).toBe(1);
		// Ours was reset; the other is the stand-in for IFS committing it.
		expect(apiRequests(sandbox).filter((entry) => action.test(entry.path)).map((entry) => entry.outcome).sort()).toEqual(['reset', 'response']);
		const voucher = voucherFor(sandbox, 'LOST-1');
		expect(voucherKey(firstOutput(result))).toEqual(voucherKey(voucher));
		expect(rowsOf(sandbox, voucher)).toHaveLength(3);
	});

	test('wrong IFS names fail with the missing name before anything is written', async () => {
		const result = await post('NAMES-1', SETTLEMENT, { names: { voucherReferenceField: 'VoucherReference' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/VoucherSet in VoucherHandling has no field "VoucherReference" \(reference\)/);
		expect(writes(sandbox)).toHaveLength(0);

		sandbox.stats.reset();
		const debit = await post('NAMES-2', SETTLEMENT, { names: { debitField: 'DebitAmount' } });
		expect(debit.status).toBe('error');
		const entitySet = method === 'voucherEntry' ? 'VoucherEntrySet/VoucherPostingArray in VoucherEntryAssistantHandling' : 'ExternalVouchersSet in ExternalVouchers';
		expect(debit.error?.message).toMatch(new RegExp(`^${entitySet} has no field "DebitAmount" \\(debit amount\\) — fields with a similar name: CurrencyDebitAmount\\b`));
		expect(writes(sandbox)).toHaveLength(0);
		expect(vouchersFor(sandbox, 'NAMES-2')).toHaveLength(0);
	});
	test("a line field the posting entity lacks is named with its line, before anything is written", async () => {
		const result = await post('FIELD-1', [
			{ account: '6110', debit: '40.00', CodeB: '100' },
			{ account: '1930', credit: '40.00', CostCenter: '100' },
		]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/has no field "CostCenter" \(field of journal line 2\)/);
		expect(writes(sandbox)).toHaveLength(0);
	});

	test('the same reference twice in one run posts once: created, then found', async () => {
		const item = { lines: [{ account: '1930', debit: '5.00' }, { account: '3010', credit: '5.00' }] };
		const result = await post('TWICE-1', '={{ $json.lines }}', {}, { items: [item, item] });
		expect(jsonOf(result.output(IFS_NODE)).map((row) => traceOf(row).action)).toEqual(['created', 'found']);
		expect(vouchersFor(sandbox, 'TWICE-1')).toHaveLength(1);
	});

	test('with the error output, an unbalanced item fails alone and the others post', async () => {
		const items = [
			{ ref: 'ITEM-OK', lines: [{ account: '1930', debit: '7.00' }, { account: '3010', credit: '7.00' }] },
			{ ref: 'ITEM-BAD', lines: [{ account: '1930', debit: '7.00' }, { account: '3010', credit: '7.01' }] },
		];
		const result = await post('={{ $json.ref }}', '={{ $json.lines }}', {}, { items, node: { onError: 'continueErrorOutput' } });
		expect(jsonOf(result.output(IFS_NODE, 0)).map((row) => row.externalReference)).toEqual(['ITEM-OK']);
		const [failed] = jsonOf(result.output(IFS_NODE, 1));
		expect(String(failed.error)).toBe('The journal does not balance: SEK debit 7.00 vs credit 7.01 (difference -0.01)');
		expect(result.output(IFS_NODE, 1)[0].pairedItem).toEqual({ item: 1 });
		expect(vouchersFor(sandbox, 'ITEM-OK')).toHaveLength(1);
		expect(vouchersFor(sandbox, 'ITEM-BAD')).toHaveLength(0);
	});
});

describe('Post Journal via externalLoad after IFS refused the load', () => {
	test('rows loaded by the refused run are replaced by the corrected journal; the voucher holds only the corrected lines', async () => {
		const refused = await runIfs({
			sandbox,
			parameters: postJournalParameters(
				'LOAD-FIX-1',
				[
					{ account: '1930', debit: '40.00' },
					{ account: '6110', credit: '30.00', CodeB: '950' },
					{ account: '6110', credit: '5.00' },
					{ account: '6110', credit: '5.00' },
				],
				'externalLoad',
			),
		});
		expect(refused.error?.message).toMatch(/Code B value 950 does not exist in company 10/);
		const loadRows = () => sandbox.data.rows(EXT, 'ExternalVouchersSet').filter((row) => row.Reference === 'LOAD-FIX-1');
		expect(loadRows().map((row) => row.Objstate)).toEqual(['Loaded', 'Loaded', 'Loaded', 'Loaded']);

		sandbox.stats.reset();
		// Row 1 unchanged, row 2 only loses its cost center, row 3 changes, row 4 is gone.
		const corrected = await runIfs({
			sandbox,
			parameters: postJournalParameters(
				'LOAD-FIX-1',
				[
					{ account: '1930', debit: '40.00' },
					{ account: '6110', credit: '30.00' },
					{ account: '6110', credit: '10.00' },
				],
				'externalLoad',
			),
		});
		expect(corrected.error?.message).toBeUndefined();
		const voucher = voucherFor(sandbox, 'LOAD-FIX-1');
		expect(postings(rowsOf(sandbox, voucher))).toEqual([
			{ Account: '1930', CurrencyDebitAmount: 40, CurrencyCreditAmount: null, CurrencyCode: 'SEK', CodeB: null },
			{ Account: '6110', CurrencyDebitAmount: null, CurrencyCreditAmount: 30, CurrencyCode: 'SEK', CodeB: null },
			{ Account: '6110', CurrencyDebitAmount: null, CurrencyCreditAmount: 10, CurrencyCode: 'SEK', CodeB: null },
		]);
		expect(loadRows().map((row) => [row.RecordNo, row.Objstate])).toEqual([
			[1, 'Created'],
			[2, 'Created'],
			[3, 'Created'],
		]);
		const methods = writes(sandbox).map((entry) => `${entry.method} ${decodeURIComponent(entry.path).replace(/^.*\.svc\//, '').replace(/\(.*\)$/, '')}`);
		expect(methods.filter((entry) => entry.startsWith('DELETE'))).toHaveLength(3);
		expect(methods.filter((entry) => entry === 'POST ExternalVouchersSet')).toHaveLength(2);
		expect(methods.filter((entry) => entry === 'POST LoadExternalVouchers')).toHaveLength(1);
	});

	test('rows an interrupted run already loaded are kept when the journal is the same', async () => {
		sandbox.faults.failNext(1, 400, { match: /LoadExternalVouchers$/ });
		const interrupted = await runIfs({ sandbox, parameters: postJournalParameters('LOAD-KEEP-1', SETTLEMENT, 'externalLoad') });
		expect(interrupted.status).toBe('error');
		sandbox.stats.reset();
		const rerun = await runIfs({ sandbox, parameters: postJournalParameters('LOAD-KEEP-1', SETTLEMENT, 'externalLoad') });
		expect(rerun.error?.message).toBeUndefined();
		expect(writes(sandbox).map((entry) => entry.method + ' ' + entry.path.replace(/^.*\.svc\//, ''))).toEqual(['POST LoadExternalVouchers']);
		expect(rowsOf(sandbox, voucherFor(sandbox, 'LOAD-KEEP-1'))).toHaveLength(3);
	});
});

describe('Resets on the rows before the final action', () => {
	test('external load: a reset on a row POST is verified by key and the run completes with one voucher', async () => {
		sandbox.faults.resetNext(1, { match: /ExternalVouchersSet$/ });
		const result = await runIfs({ sandbox, parameters: postJournalParameters('ROW-RESET-1', SETTLEMENT, 'externalLoad') });
		expect(result.error?.message).toBeUndefined();
		expect(sandbox.stats.resets).toBe(1);
		expect(sandbox.data.rows(EXT, 'ExternalVouchersSet').filter((row) => row.Reference === 'ROW-RESET-1')).toHaveLength(3);
		expect(rowsOf(sandbox, voucherFor(sandbox, 'ROW-RESET-1'))).toHaveLength(3);
	});

	test('voucher entry: a reset on a posting POST stops the run; the re-run posts one voucher with the journal\'s rows', async () => {
		sandbox.faults.resetNext(1, { match: /VoucherPostingArray$/ });
		const first = await runIfs({ sandbox, parameters: postJournalParameters('ROW-RESET-2', SETTLEMENT, 'voucherEntry') });
		expect(first.status).toBe('error');
		expect(first.error?.message).toMatch(/connection was reset/);
		expect(vouchersFor(sandbox, 'ROW-RESET-2')).toHaveLength(0);
		const second = await runIfs({ sandbox, parameters: postJournalParameters('ROW-RESET-2', SETTLEMENT, 'voucherEntry') });
		expect(second.error?.message).toBeUndefined();
		expect(postings(rowsOf(sandbox, voucherFor(sandbox, 'ROW-RESET-2'))).map((row) => row.Account)).toEqual(['1930', '3010', '2610']);
	});
});

describe.each(METHODS)('Reverse Journal via %s', (method) => {
	test('posts the offsetting voucher once; a re-run finds it', async () => {
		const posted = await runIfs({ sandbox, parameters: postJournalParameters('REV-1', SETTLEMENT, method) });
		expect(posted.error?.message).toBeUndefined();
		const original = voucherFor(sandbox, 'REV-1');

		const reversed = await runIfs({ sandbox, parameters: reverseJournalParameters('REV-1', method) });
		expect(reversed.error?.message).toBeUndefined();
		const reversal = voucherFor(sandbox, 'REV-1-REV');
		expect(reversal).toMatchObject({ VoucherType: 'M', VoucherDate: '2024-06-03' });
		expect(voucherKey(reversal)).not.toEqual(voucherKey(original));
		expect(postings(rowsOf(sandbox, reversal))).toEqual(
			postings(rowsOf(sandbox, original)).map((row) => ({ ...row, CurrencyDebitAmount: row.CurrencyCreditAmount, CurrencyCreditAmount: row.CurrencyDebitAmount })),
		);
		expect(rowsOf(sandbox, reversal).every((row) => row.Text === 'Reversal of REV-1')).toBe(true);
		const output = firstOutput(reversed);
		expect(output).toMatchObject({ reverses: 'REV-1', externalReference: 'REV-1-REV', ...voucherKey(reversal) });
		expect(traceOf(output).action).toBe('created');

		sandbox.stats.reset();
		const rows = voucherRowCount();
		const again = await runIfs({ sandbox, parameters: reverseJournalParameters('REV-1', method) });
		expect(traceOf(firstOutput(again)).action).toBe('found');
		expect(voucherKey(firstOutput(again))).toEqual(voucherKey(reversal));
		expect(writes(sandbox)).toHaveLength(0);
		expect(vouchersFor(sandbox, 'REV-1-REV')).toHaveLength(1);
		expect(voucherRowCount()).toBe(rows);
	});

	test('an own reversal reference and voucher type are used', async () => {
		await runIfs({ sandbox, parameters: postJournalParameters('REV-2', SETTLEMENT, method) });
		const result = await runIfs({ sandbox, parameters: reverseJournalParameters('REV-2', method, { reversalReference: 'REV-2-STORNO', voucherType: 'K' }) });
		expect(result.error?.message).toBeUndefined();
		expect(voucherFor(sandbox, 'REV-2-STORNO').VoucherType).toBe('K');
		expect(vouchersFor(sandbox, 'REV-2-REV')).toHaveLength(0);
	});

	test('a voucher posted elsewhere, with a negative amount and cost centers, is reversed by its reference', async () => {
		const key = { Company: '10', AccountingYear: 2024, VoucherType: 'K', VoucherNo: 9001 };
		sandbox.data.insert(VH, 'VoucherSet', { ...key, VoucherDate: '2024-04-30', VoucherText2: 'ERP-CORR-7', VoucherStatus: 'Confirmed' });
		const rows = [
			{ Account: '4010', CurrencyDebitAmount: -12.5, CurrencyCreditAmount: null, CodeB: '200' },
			{ Account: '2440', CurrencyDebitAmount: null, CurrencyCreditAmount: -12.5, CodeB: null },
		];
		rows.forEach((row, index) => sandbox.data.insert(VH, 'VoucherRowSet', { ...key, RowNo: index + 1, CurrencyCode: 'SEK', CodeC: null, CodeD: null, Text: null, ...row }));

		const result = await runIfs({ sandbox, parameters: reverseJournalParameters('ERP-CORR-7', method) });
		expect(result.error?.message).toBeUndefined();
		const reversal = voucherFor(sandbox, 'ERP-CORR-7-REV');
		expect(reversal.VoucherType).toBe('K');
		expect(postings(rowsOf(sandbox, reversal))).toEqual([
			{ Account: '4010', CurrencyDebitAmount: 12.5, CurrencyCreditAmount: null, CurrencyCode: 'SEK', CodeB: '200' },
			{ Account: '2440', CurrencyDebitAmount: null, CurrencyCreditAmount: 12.5, CurrencyCode: 'SEK', CodeB: null },
		]);
	});

	test('an empty voucher date (from an expression) fails before any request', async () => {
		const result = await runIfs({ sandbox, parameters: reverseJournalParameters('REV-3', method, { voucherDate: '={{ $json.date }}' }) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Voucher Date is empty');
		expect(sandbox.stats.apiRequests).toBe(0);
	});

	test('an unknown original reference fails clearly and writes nothing', async () => {
		const result = await runIfs({ sandbox, parameters: reverseJournalParameters('NO-SUCH-JOURNAL', method) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('No voucher with VoucherText2 "NO-SUCH-JOURNAL" in company 10');
		expect(writes(sandbox)).toHaveLength(0);
	});
});

describe('Post Journal, company and paths', () => {
	test('the same reference in another company (Options) is another journal', async () => {
		const lines: Line[] = [
			{ account: '1930', debit: '12.00' },
			{ account: '3010', credit: '12.00' },
		];
		await runIfs({ sandbox, parameters: postJournalParameters('CO-1', lines, 'voucherEntry') });
		const other = await runIfs({ sandbox, parameters: postJournalParameters('CO-1', lines, 'voucherEntry', { currency: 'EUR', options: { company: '20' } }) });
		expect(traceOf(firstOutput(other)).action).toBe('created');
		expect(voucherFor(sandbox, 'CO-1', '10').Company).toBe('10');
		expect(rowsOf(sandbox, voucherFor(sandbox, 'CO-1', '20')).map((row) => row.CurrencyCode)).toEqual(['EUR', 'EUR']);
	});

	test('a journal posted through one path is found by the other (the reference is the key)', async () => {
		await runIfs({ sandbox, parameters: postJournalParameters('PATH-1', SETTLEMENT, 'externalLoad') });
		sandbox.stats.reset();
		const again = await runIfs({ sandbox, parameters: postJournalParameters('PATH-1', SETTLEMENT, 'voucherEntry') });
		expect(traceOf(firstOutput(again)).action).toBe('found');
		expect(writes(sandbox)).toHaveLength(0);
		expect(sandbox.data.count(VEA, 'VoucherEntrySet')).toBe(0);
		expect(sandbox.data.rows(EXT, 'ExternalVouchersSet').filter((row) => row.Reference === 'PATH-1').every((row) => row.Objstate === 'Created')).toBe(true);
	});

	test('several items post several journals, each paired with its input', async () => {
		const items = [1, 2, 3].map((n) => ({ ref: `BATCH-${n}`, lines: [{ account: '1930', debit: `${n}0.10` }, { account: '3010', credit: `${n}0.10` }] }));
		const result = await runIfs({
			sandbox,
			parameters: postJournalParameters('={{ $json.ref }}', '={{ $json.lines }}', 'voucherEntry'),
			items,
		});
		expect(result.error?.message).toBeUndefined();
		const output = result.output(IFS_NODE);
		expect(jsonOf(output).map((row) => row.externalReference)).toEqual(['BATCH-1', 'BATCH-2', 'BATCH-3']);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(rowsOf(sandbox, voucherFor(sandbox, 'BATCH-3'))[0].CurrencyDebitAmount).toBe(30.1);
	});
});

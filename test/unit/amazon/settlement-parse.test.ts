import { Decimal } from '../../../nodes/common/decimal';
import {
	SettlementError,
	SettlementParser,
	amountEvidence,
	dateEvidence,
	decodeLines,
	parseAmount,
	parseDate,
	summariseSettlement,
} from '../../../nodes/AmazonSellerCentral/settlement';
import { HEADER, chunks, component, failure, fixtureText, germanFixture, latin1Bytes, read, summaryRow, v2File } from './settlement-helpers';

describe('amounts', () => {
	it.each([
		['25', 'neutral'],
		['-3', 'neutral'],
		['12.50', '.'],
		['12,50', ','],
		['-0,51', ','],
		['0.123', '.'],
		['1234.567', '.'],
		['1.234,56', ','],
		['1,234.56', '.'],
		['1,234,567', '.'],
		['1.234.567', ','],
		['1,234', 'ambiguous'],
		['-1.234', 'ambiguous'],
		['12.5O', 'malformed'],
		['1.23.4', 'malformed'],
		['1,23,456.00', 'malformed'],
		['€12.50', 'malformed'],
		['.5', 'malformed'],
	])('%s is %s', (text, expected) => {
		const evidence = amountEvidence(text);
		expect(evidence.kind === 'decides' ? evidence.separator : evidence.kind).toBe(expected);
	});

	it('reads exactly once the separator is known, and refuses the other format', () => {
		expect(parseAmount('1.234,56', ',')?.toString()).toBe('1234.56');
		expect(parseAmount('-1,234.56', '.')?.toString()).toBe('-1234.56');
		expect(parseAmount('1,234', '.')?.toString()).toBe('1234');
		expect(parseAmount('1,234', ',')?.toString()).toBe('1.234');
		expect(parseAmount('0.1', '.')?.plus(parseAmount('0,2', ',') as Decimal).toString()).toBe('0.3');
		expect(parseAmount('12,50', '.')).toBeUndefined();
		expect(parseAmount('1.234,56', '.')).toBeUndefined();
	});
});

describe('dates', () => {
	it.each([
		['2026-03-01T00:00:00+00:00', '2026-03-01T00:00:00Z'],
		['2026-03-01T01:00:00+01:00', '2026-03-01T00:00:00Z'],
		['2026-03-01T00:00:00.123Z', '2026-03-01T00:00:00.123Z'],
		['2019-10-04 20:13:55 UTC', '2019-10-04T20:13:55Z'],
		['04.10.2019 20:13:55 UTC', '2019-10-04T20:13:55Z'],
		['4.10.2019 20:13:55 GMT', '2019-10-04T20:13:55Z'],
		['2019/10/04 20:13:55 JST', '2019-10-04T11:13:55Z'],
		['2019-10-04 20:13:55 PDT', '2019-10-05T03:13:55Z'],
		['2019-10-04 20:13:55 +0200', '2019-10-04T18:13:55Z'],
		['2019-10-04 20:13', '2019-10-04T20:13:00Z'],
		['2026-03-02', '2026-03-02T00:00:00Z'],
		['02.03.2026', '2026-03-02T00:00:00Z'],
	])('%s → %s', (text, iso) => {
		const parsed = parseDate(text, undefined);
		expect(typeof parsed === 'string' ? parsed : parsed.iso).toBe(iso);
	});

	it('reads a/b/yyyy in the file order only', () => {
		const dmy = parseDate('04/10/2019 20:13:55 UTC', 'dmy');
		const mdy = parseDate('04/10/2019 20:13:55 UTC', 'mdy');
		expect(typeof dmy !== 'string' && dmy.iso).toBe('2019-10-04T20:13:55Z');
		expect(typeof mdy !== 'string' && mdy.iso).toBe('2019-04-10T20:13:55Z');
		expect(parseDate('04/10/2019', undefined)).toMatch(/order unknown/);
		expect(dateEvidence('25/03/2026')).toEqual({ kind: 'decides', order: 'dmy' });
		expect(dateEvidence('03/25/2026 10:00:00 UTC')).toEqual({ kind: 'decides', order: 'mdy' });
		expect(dateEvidence('03/04/2026')).toEqual({ kind: 'ambiguous' });
		expect(dateEvidence('03/03/2026')).toEqual({ kind: 'neutral' });
		expect(dateEvidence('2026-03-04')).toEqual({ kind: 'neutral' });
	});

	it.each([
		['2026-02-30', /not a calendar date/],
		['2026-13-01 00:00:00 UTC', /month 13/],
		['2019-10-04 25:00:00 UTC', /time of day/],
		// EST is US Eastern and Australian Eastern: refused rather than guessed.
		['2019-10-04 20:13:55 EST', /time zone "EST"/],
		['Mar 4, 2019', /expected e\.g\./],
		['2019-10-04 20:13:55 +1500', /out of range/],
	])('refuses %s', (text, reason) => {
		expect(parseDate(text, 'dmy')).toMatch(reason);
	});
});

async function records(text: string, options = {}) {
	const parser = new SettlementParser(options);
	const result = [];
	for await (const record of parser.records(decodeLines(chunks(latin1Bytes(text), 16)))) result.push(record);
	return { records: result, format: parser.format };
}

describe('V2 flat-file parser', () => {
	it('reads the synthetic fixture: summary row first, then six components with ISO UTC dates', async () => {
		const { records: all, format } = await records(fixtureText());
		expect(all).toHaveLength(7);
		expect(all[0]).toEqual({
			kind: 'summary',
			line: 2,
			settlementId: '11111111111',
			startDate: '2026-03-01T00:00:00Z',
			endDate: '2026-03-15T00:00:00Z',
			depositDate: '2026-03-17T00:00:00Z',
			totalAmount: Decimal.from('16.94'),
			currency: 'USD',
		});
		expect(all[1]).toMatchObject({
			kind: 'component',
			line: 3,
			transactionType: 'Order',
			orderId: '111-0000001-0000001',
			amountType: 'ItemPrice',
			amountDescription: 'Principal',
			currency: 'USD',
			postedDate: '2026-03-02',
			postedDateTime: '2026-03-02T14:23:00Z',
			sku: 'WIDGET-1',
			marketplaceName: 'Amazon.com',
		});
		expect(all.slice(1).map((record) => (record.kind === 'component' ? record.amount.toFixed(2) : ''))).toEqual(['25.00', '2.00', '-4.05', '-5.50', '-0.51', '0.00']);
		expect(format.decimalSeparator).toEqual({ value: '.', source: 'detected', evidence: { line: 2, column: 'total-amount', value: '16.94' } });
		expect(format.missingColumns).toEqual([]);
	});

	it('reads the DE rewrite (decimal comma, dd.MM.yyyy, CRLF) to the same values', async () => {
		const english = await records(fixtureText());
		const german = await records(germanFixture());
		expect(germanFixture()).toContain('01.03.2026 00:00:00 UTC\t15.03.2026 00:00:00 UTC\t17.03.2026 00:00:00 UTC\t16,94');
		expect(german.records).toEqual(english.records);
		expect(german.format.decimalSeparator?.value).toBe(',');
	});

	it('finds columns by name in any order and tolerates missing optional ones', async () => {
		const columns = ['amount', 'amount-description', 'amount-type', 'transaction-type', 'currency', 'total-amount', 'deposit-date', 'settlement-end-date', 'settlement-start-date', 'settlement-id', 'posted-date', 'Order-ID ', 'extra-column'];
		const text = v2File(
			[summaryRow({ 'total-amount': '10.00' }), component({ amount: '12.00' }), component({ 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-2.00' })],
			columns,
		);
		const { records: all, format } = await records(text);
		expect(all[1]).toMatchObject({ amount: Decimal.from(12), orderId: '302-0000001-0000001', postedDate: '2026-03-25', postedDateTime: null, sku: '' });
		expect(format.missingColumns).toContain('sku');
		expect(format.unknownColumns).toEqual(['extra-column']);
	});

	it('names every missing required column', async () => {
		const columns = HEADER.filter((name) => !['currency', 'amount-type', 'posted-date', 'posted-date-time'].includes(name));
		const error = await failure(records(v2File([summaryRow({ 'total-amount': '0' })], columns)));
		expect(error).toBeInstanceOf(SettlementError);
		expect(error.code).toBe('HEADER');
		expect(error.line).toBe(1);
		expect(error.message).toBe('Line 1: Required columns missing: currency, amount-type, posted-date or posted-date-time');
	});

	it('refuses a document that is not tab-separated, is empty, or has no rows', async () => {
		expect((await failure(records('settlement-id,total-amount\n1,2\n'))).message).toMatch(/not tab-separated/);
		expect((await failure(records(''))).code).toBe('HEADER');
		expect((await failure(records(`${HEADER.join('\t')}\n\n`))).code).toBe('SUMMARY');
	});

	it('fails a malformed line with its number: wrong column count', async () => {
		const lines = fixtureText().split('\n');
		lines[4] = lines[4].split('\t').slice(0, 23).join('\t');
		const error = await failure(records(lines.join('\n')));
		expect(error.code).toBe('COLUMNS');
		expect(error.line).toBe(5);
		expect(error.message).toBe('Line 5: 23 tab-separated fields, but the header has 24');
	});

	it('fails a malformed line with its number: bad amount, bad date, empty amount', async () => {
		const bad = (line: number, from: string, to: string) => {
			const lines = fixtureText().split('\n');
			lines[line - 1] = lines[line - 1].replace(from, to);
			return lines.join('\n');
		};
		let error = await failure(records(bad(6, '-5.50', '-5.5O')));
		expect([error.code, error.line, error.context.value]).toEqual(['AMOUNT', 6, '-5.5O']);
		error = await failure(records(bad(4, '2026-03-02 14:23:00 UTC', '2026-02-30 14:23:00 UTC')));
		expect([error.code, error.line]).toEqual(['DATE', 4]);
		expect(error.message).toMatch(/posted-date-time "2026-02-30 14:23:00 UTC" is not a date we can read: 2026-02-30 is not a calendar date/);
		error = await failure(records(bad(7, '-0.51', '')));
		expect([error.code, error.line]).toEqual(['AMOUNT', 7]);
	});

	it('refuses a file that mixes decimal separators, naming the line that decided', async () => {
		const text = v2File([summaryRow({ 'total-amount': '10,00' }), component({ amount: '12,50' }), component({ amount: '-2.50' })]);
		const error = await failure(records(text));
		expect([error.code, error.line]).toEqual(['AMOUNT', 4]);
		expect(error.message).toBe('Line 4: amount "-2.50" is not an amount with a decimal comma (decided by total-amount "10,00" on line 2)');
	});

	it('refuses amounts against an explicit separator option', async () => {
		const error = await failure(records(fixtureText(), { decimalSeparator: ',' }));
		expect([error.code, error.line]).toEqual(['AMOUNT', 2]);
		expect(error.message).toMatch(/with a decimal comma \(set in the options\)/);
	});

	it('holds ambiguous rows until a later value decides, then releases them in order', async () => {
		// 1.234 could be 1234 or 1.234 until line 3 shows the comma is the decimal separator.
		const text = v2File([summaryRow({ 'total-amount': '1.234' }), component({ amount: '1.000,00' }), component({ amount: '234' })]);
		const { records: all, format } = await records(text);
		expect(all.map((record) => record.line)).toEqual([2, 3, 4]);
		expect(all[0]).toMatchObject({ kind: 'summary', totalAmount: Decimal.from(1234) });
		expect(format.decimalSeparator).toMatchObject({ value: ',', evidence: { line: 3 } });
	});

	it('fails on ambiguous separators that nothing in the file decides; the option settles them', async () => {
		const text = v2File([summaryRow({ 'total-amount': '1,234' }), component({ amount: '1,234' }), component({ amount: '0' })]);
		const error = await failure(records(text));
		expect(error).toBeInstanceOf(SettlementError);
		expect([error.code, error.line, error.context.value]).toEqual(['AMBIGUOUS_AMOUNT', 2, '1,234']);
		expect(error.message).toMatch(/can be read with a decimal point or a decimal comma/);
		expect(error.hint).toMatch(/decimal separator option/);
		expect((await read(text, { decimalSeparator: '.' })).totalAmount).toBe('1234.00');
		expect((await read(text, { decimalSeparator: ',' })).totalAmount).toBe('1.234');
		expect((await read(text, { decimalSeparator: ',' })).format.decimalSeparator).toEqual({ value: ',', source: 'option' });
	});

	it('gives up waiting for evidence after maxLookaheadLines', async () => {
		const rows = [summaryRow({ 'total-amount': '1,234' }), ...Array.from({ length: 5 }, () => component({ amount: '0' })), component({ amount: '1,234.00' })];
		expect((await records(v2File(rows))).records).toHaveLength(7);
		const error = await failure(records(v2File(rows), { maxLookaheadLines: 3 }));
		expect([error.code, error.line]).toEqual(['AMBIGUOUS_AMOUNT', 2]);
	});

	it('learns day-first or month-first slash dates from the file and fails when nothing decides', async () => {
		const uk = v2File([
			summaryRow({ 'settlement-start-date': '20/03/2026 00:00:00 UTC', 'settlement-end-date': '03/04/2026 00:00:00 UTC', 'deposit-date': '05/04/2026 00:00:00 UTC', 'total-amount': '1.00' }),
			component({ amount: '1.00', 'posted-date': '02/04/2026', 'posted-date-time': '02/04/2026 10:00:00 UTC' }),
		]);
		const ukRecords = await records(uk);
		expect(ukRecords.records[0]).toMatchObject({ startDate: '2026-03-20T00:00:00Z', depositDate: '2026-04-05T00:00:00Z' });
		expect(ukRecords.records[1]).toMatchObject({ postedDate: '2026-04-02' });
		expect(ukRecords.format.slashDateOrder).toMatchObject({ value: 'dmy', evidence: { line: 2, column: 'settlement-start-date' } });

		const us = uk.replace('20/03/2026', '03/20/2026').replace(/(\d\d)\/(\d\d)\/2026/g, (all, a, b) => (all === '03/20/2026' ? all : `${b}/${a}/2026`));
		expect((await records(us)).records[1]).toMatchObject({ postedDate: '2026-04-02' });

		const unclear = v2File([
			summaryRow({ 'settlement-start-date': '01/03/2026', 'settlement-end-date': '02/04/2026', 'deposit-date': '05/04/2026', 'total-amount': '1.00' }),
			component({ amount: '1.00', 'posted-date': '02/04/2026', 'posted-date-time': '' }),
		]);
		const error = await failure(records(unclear));
		expect([error.code, error.line, error.context.value]).toEqual(['AMBIGUOUS_DATE', 2, '01/03/2026']);
		expect((await records(unclear, { slashDateOrder: 'mdy' })).records[1]).toMatchObject({ postedDate: '2026-02-04' });
	});

	it('refuses a second summary row, another settlement id, or another currency', async () => {
		const base = [summaryRow({ 'total-amount': '1.00' }), component({ amount: '1.00' })];
		let error = await failure(records(v2File([...base, { ...summaryRow({ 'total-amount': '1.00' }) }])));
		expect([error.code, error.line]).toEqual(['ROW', 4]);
		error = await failure(records(v2File([...base, component({ amount: '0.00', 'settlement-id': '999' })])));
		expect([error.code, error.line]).toEqual(['ROW', 4]);
		error = await failure(records(v2File([...base, component({ amount: '0.00', currency: 'GBP' })])));
		expect([error.code, error.line]).toEqual(['ROW', 4]);
		error = await failure(records(v2File([component({ amount: '1.00' })])));
		expect([error.code, error.line]).toEqual(['SUMMARY', 2]);
	});
});

describe('summary and reconciliation', () => {
	it('totals the fixture by type and reconciles 16.94 to the cent', async () => {
		const summary = await read(fixtureText());
		expect(summary).toMatchObject({ settlementId: '11111111111', currency: 'USD', totalAmount: '16.94', componentTotal: '16.94', componentCount: 6, months: ['2026-03'] });
		expect(summary.groups.map((group) => [group.transactionType, group.amountType, group.amountDescription, group.amount, group.count])).toEqual([
			['Order', 'ItemPrice', 'Principal', '25.00', 1],
			['Order', 'ItemPrice', 'Tax', '2.00', 1],
			['Order', 'ItemFees', 'Commission', '-4.05', 1],
			['Order', 'ItemFees', 'FBAPerUnitFulfillmentFee', '-5.50', 1],
			['Order', 'Promotion', 'Shipping', '-0.51', 1],
			['other-transaction', 'other-transaction', 'Subscription Fee', '0.00', 1],
		]);
		expect(summary.groups[0].exampleOrderIds).toEqual(['111-0000001-0000001']);
		expect(summary.format.decimalSeparator?.value).toBe('.');
	});

	it('fails when the components do not add up to total-amount, naming both totals and the difference', async () => {
		const error = await failure(read(fixtureText().replace('\t16.94\t', '\t16.95\t')));
		expect(error).toBeInstanceOf(SettlementError);
		expect(error.code).toBe('RECONCILIATION');
		expect(error.message).toBe(
			'Line 2: Settlement 11111111111 does not reconcile: total-amount is 16.95 USD but the 6 components add up to 16.94 (difference 0.01)',
		);
		expect(error.context).toMatchObject({ totalAmount: '16.95', componentTotal: '16.94', difference: '0.01' });
	});

	it('sums many cents without drift', async () => {
		const rows = [summaryRow({ 'total-amount': '100.00' }), ...Array.from({ length: 10_000 }, (_, i) => component({ amount: '0.01', 'order-id': `o-${i}` }))];
		const summary = await read(v2File(rows));
		expect(summary.componentTotal).toBe('100.00');
		expect(summary.groups[0].exampleOrderIds).toEqual(['o-0', 'o-1', 'o-2']);
	});

	it('assigns posting months in the chosen time zone', async () => {
		const rows = [summaryRow({ 'total-amount': '3.00' }), component({ amount: '1.00', 'posted-date-time': '2026-03-31 23:30:00 UTC', 'posted-date': '2026-03-31' }), component({ amount: '2.00', 'posted-date-time': '', 'posted-date': '2026-03-31' })];
		const utc = await read(v2File(rows));
		expect(utc.groups[0].months).toEqual([{ month: '2026-03', amount: '3.00', count: 2 }]);
		const berlin = await read(v2File(rows), { timeZone: 'Europe/Berlin' });
		// The timed posting is 01:30 on 1 April in Berlin; the date-only one keeps its date.
		expect(berlin.groups[0].months).toEqual([
			{ month: '2026-03', amount: '2.00', count: 1 },
			{ month: '2026-04', amount: '1.00', count: 1 },
		]);
		expect(berlin.lastPostedDate).toBe('2026-04-01');
		expect((await failure(read(v2File(rows), { timeZone: 'Mars/Olympus' }))).code).toBe('OPTIONS');
	});

	it('counts undated components and keeps them in the totals', async () => {
		const rows = [summaryRow({ 'total-amount': '1.00' }), component({ amount: '1.00', 'posted-date': '', 'posted-date-time': '' })];
		const summary = await read(v2File(rows));
		expect(summary.undatedCount).toBe(1);
		expect(summary.groups[0].months).toEqual([{ month: null, amount: '1.00', count: 1 }]);
	});

	it('accepts plain records (no bytes) for callers that parse elsewhere', async () => {
		const parser = new SettlementParser();
		const lines = fixtureText()
			.split('\n')
			.map((text, index) => ({ text, number: index + 1 }));
		expect((await summariseSettlement(parser.records(lines))).totalAmount).toBe('16.94');
	});
});

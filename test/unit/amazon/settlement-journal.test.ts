import { Decimal } from '../../../nodes/common/decimal';
import {
	type AccountMappingRule,
	type SettlementJournal,
	SettlementError,
	buildSettlementJournals,
	charsetFromContentType,
	findRule,
	readSettlement,
} from '../../../nodes/AmazonSellerCentral/settlement';
import { FIXTURE_RULES, chunks, component, failure, fixtureText, germanFixture, gzip, latin1Bytes, read, summaryRow, v2File } from './settlement-helpers';

function expectBalanced(journal: SettlementJournal) {
	const debit = Decimal.sum(journal.lines.map((line) => line.debit));
	const credit = Decimal.sum(journal.lines.map((line) => line.credit));
	expect(debit.toFixed(2)).toBe(credit.toFixed(2));
	expect(journal.totalDebit).toBe(debit.toFixed(2));
	expect(journal.totalCredit).toBe(credit.toFixed(2));
	for (const line of journal.lines) expect(Decimal.from(line.debit).isZero() !== Decimal.from(line.credit).isZero()).toBe(true);
}

const bankLine = (journal: SettlementJournal, account = '1360') => journal.lines.filter((line) => line.account === account);

describe('settlement journal', () => {
	it('turns the fixture into one balanced journal whose bank line is the 16.94 deposit', async () => {
		const result = buildSettlementJournals(await read(fixtureText()), FIXTURE_RULES, { bankAccount: '1360' });
		expect(result.status).toBe('ready');
		expect(result.unmapped).toEqual([]);
		expect(result.journals).toHaveLength(1);
		const [journal] = result.journals;
		expect(journal).toMatchObject({ reference: '11111111111', key: '11111111111', kind: 'settlement', period: '2026-03', date: '2026-03-17', currency: 'USD' });
		expectBalanced(journal);
		expect(journal.lines).toEqual([
			{ account: '4000', text: 'Amazon sales', debit: '0.00', credit: '25.00', currency: 'USD' },
			{ account: '2200', text: 'Output VAT', debit: '0.00', credit: '2.00', currency: 'USD' },
			// Commission and FBA fee share account, cost center and text: one netted line.
			{ account: '6100', costCenter: 'MKT', text: 'Amazon fees', debit: '9.55', credit: '0.00', currency: 'USD' },
			{ account: '4010', text: 'Promotions', debit: '0.51', credit: '0.00', currency: 'USD' },
			{ account: '1360', text: 'Amazon settlement 11111111111 deposit', debit: '16.94', credit: '0.00', currency: 'USD' },
		]);
		expect(journal.totalDebit).toBe('27.00');
		// The zero Subscription Fee is mapped (rule 4) but posts no line.
		expect(result.mapping.find((group) => group.amountDescription === 'Subscription Fee')).toMatchObject({ ruleIndex: 4, account: '6190', amount: '0.00' });
	});

	it('gives identical journal lines for the DE rewrite (decimal comma, DE dates)', async () => {
		const english = buildSettlementJournals(await read(fixtureText()), FIXTURE_RULES, { bankAccount: '1360' });
		const german = buildSettlementJournals(await read(germanFixture()), FIXTURE_RULES, { bankAccount: '1360' });
		expect(german.journals).toEqual(english.journals);
	});

	it('lists unmapped groups with their context and builds no journal', async () => {
		const rules = FIXTURE_RULES.filter((rule) => rule.amountType !== 'ItemFees' && rule.transactionType !== 'other-transaction');
		const result = buildSettlementJournals(await read(fixtureText()), rules, { bankAccount: '1360' });
		expect(result.status).toBe('unmapped');
		expect(result.journals).toEqual([]);
		expect(result.unmapped.map(({ transactionType, amountType, amountDescription, currency, amount, count, exampleOrderIds, firstLine }) => ({ transactionType, amountType, amountDescription, currency, amount, count, exampleOrderIds, firstLine }))).toEqual([
			{ transactionType: 'Order', amountType: 'ItemFees', amountDescription: 'Commission', currency: 'USD', amount: '-4.05', count: 1, exampleOrderIds: ['111-0000001-0000001'], firstLine: 5 },
			{ transactionType: 'Order', amountType: 'ItemFees', amountDescription: 'FBAPerUnitFulfillmentFee', currency: 'USD', amount: '-5.50', count: 1, exampleOrderIds: ['111-0000001-0000001'], firstLine: 6 },
			{ transactionType: 'other-transaction', amountType: 'other-transaction', amountDescription: 'Subscription Fee', currency: 'USD', amount: '0.00', count: 1, exampleOrderIds: [], firstLine: 8 },
		]);
		expect(result.mapping.filter((group) => group.ruleIndex === null)).toHaveLength(3);
	});

	it('lists an unmapped zero-amount group without blocking the journal', async () => {
		const rules = FIXTURE_RULES.filter((rule) => rule.transactionType !== 'other-transaction');
		const result = buildSettlementJournals(await read(fixtureText()), rules, { bankAccount: '1360' });
		expect(result.status).toBe('ready');
		expect(result.unmapped.map((group) => group.amountDescription)).toEqual(['Subscription Fee']);
		expect(result.journals).toHaveLength(1);
	});

	it('posts unmapped groups to a suspense account when one is given (still listing them)', async () => {
		const rules = FIXTURE_RULES.filter((rule) => rule.amountType !== 'Promotion');
		const result = buildSettlementJournals(await read(fixtureText()), rules, { bankAccount: '1360', suspenseAccount: '1599' });
		expect(result.status).toBe('ready');
		expect(result.unmapped.map((group) => group.amountDescription)).toEqual(['Shipping']);
		expect(result.journals[0].lines).toContainEqual({ account: '1599', text: 'Unmapped: Order / Promotion / Shipping', debit: '0.51', credit: '0.00', currency: 'USD' });
		expectBalanced(result.journals[0]);
	});

	it('uses the first matching rule in table order; empty or * matches anything; case and spaces are ignored', () => {
		const rules: AccountMappingRule[] = [
			{ transactionType: 'refund', amountType: ' ItemPrice ', amountDescription: 'principal', account: 'refunds' },
			{ transactionType: '*', amountType: 'ItemPrice', amountDescription: '', account: 'sales' },
			{ account: 'catch-all' },
			{ transactionType: 'Refund', account: 'never reached' },
		];
		expect(findRule(rules, { transactionType: 'Refund', amountType: 'ItemPrice', amountDescription: 'Principal' })).toBe(0);
		expect(findRule(rules, { transactionType: 'Refund', amountType: 'ItemPrice', amountDescription: 'Tax' })).toBe(1);
		expect(findRule(rules, { transactionType: 'Refund', amountType: 'ItemFees', amountDescription: 'Commission' })).toBe(2);
		expect(findRule(rules.slice(0, 2), { transactionType: 'Order', amountType: 'ItemFees', amountDescription: 'Commission' })).toBeNull();
	});

	it('* inside a pattern stands for any characters: *Tax, Shipping*, Marketplace*Tax*', () => {
		const rules: AccountMappingRule[] = [
			{ amountType: 'ItemPrice', amountDescription: '*tax', account: 'tax' },
			{ amountType: 'ItemPrice', amountDescription: 'Shipping*', account: 'shipping' },
			{ amountType: 'ItemWithheldTax', amountDescription: 'Marketplace*Tax*', account: 'withheld' },
			{ amountType: 'Item*Fees', amountDescription: 'a*b*c', account: 'fees' },
		];
		const rule = (amountType: string, amountDescription: string) => findRule(rules, { transactionType: 'Order', amountType, amountDescription });
		expect(rule('ItemPrice', 'Tax')).toBe(0);
		expect(rule('ItemPrice', 'ShippingTax')).toBe(0); // first match wins: tax above shipping
		expect(rule('ItemPrice', 'GiftWrapTax')).toBe(0);
		expect(rule('ItemPrice', 'ShippingCharge')).toBe(1);
		expect(rule('ItemPrice', 'Shipping')).toBe(1);
		expect(rule('ItemPrice', 'Principal')).toBeNull();
		expect(rule('ItemPrice', 'Taxes')).toBeNull(); // anchored at the end
		expect(rule('ItemWithheldTax', 'MarketplaceFacilitatorTax-Principal')).toBe(2);
		expect(rule('ItemWithheldTax', 'LowValueGoodsTax')).toBeNull();
		expect(rule('ItemFees', 'abc')).toBe(3);
		expect(rule('ItemFees', 'aXbYc')).toBe(3);
		expect(rule('ItemFees', 'ac')).toBeNull(); // b is required between them
		expect(rule('ItemFees', 'abcb')).toBeNull(); // c must end it
	});

	it('fills text placeholders and defaults the text to the three keys', async () => {
		const rules: AccountMappingRule[] = [{ amountType: 'ItemPrice', account: '4000', text: '{amountDescription} ({settlementId}, {period})' }, { account: '6000' }];
		const [journal] = buildSettlementJournals(await read(fixtureText()), rules, { bankAccount: '1360', bankText: 'Payout {settlementId}', bankCostCenter: 'HQ' }).journals;
		expect(journal.lines.map((line) => line.text)).toEqual([
			'Principal (11111111111, 2026-03)',
			'Tax (11111111111, 2026-03)',
			'Order / ItemFees / Commission',
			'Order / ItemFees / FBAPerUnitFulfillmentFee',
			'Order / Promotion / Shipping',
			'Payout 11111111111',
		]);
		expect(journal.lines.at(-1)).toMatchObject({ account: '1360', costCenter: 'HQ' });
	});

	it('credits the bank when the settlement is negative (fees above sales)', async () => {
		const rows = [summaryRow({ 'total-amount': '-10.00' }), component({ amount: '5.00' }), component({ 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-15.00' })];
		const [journal] = buildSettlementJournals(await read(v2File(rows)), FIXTURE_RULES, { bankAccount: '1360' }).journals;
		expect(bankLine(journal)).toEqual([{ account: '1360', text: 'Amazon settlement 22222222222 deposit', debit: '0.00', credit: '10.00', currency: 'EUR' }]);
		expectBalanced(journal);
	});

	it('prints amounts with the currency minor digits (JPY has none)', async () => {
		const rows = [summaryRow({ 'total-amount': '1500', currency: 'JPY' }), component({ amount: '2000' }), component({ 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-500' })];
		const [journal] = buildSettlementJournals(await read(v2File(rows)), FIXTURE_RULES, { bankAccount: '1360' }).journals;
		expect(bankLine(journal)[0]).toMatchObject({ debit: '1500', credit: '0', currency: 'JPY' });
	});

	it('validates the mapping table and the options', async () => {
		const summary = await read(fixtureText());
		let error = await failure(Promise.resolve().then(() => buildSettlementJournals(summary, [{ account: ' ' }], { bankAccount: '1360' })));
		expect(error).toBeInstanceOf(SettlementError);
		expect(error.message).toBe('Invalid account mapping: rule 0.account: an account is required');
		error = await failure(Promise.resolve().then(() => buildSettlementJournals(summary, FIXTURE_RULES, { bankAccount: '1360', splitByMonth: true })));
		expect(error.code).toBe('OPTIONS');
		expect(error.message).toMatch(/carryForwardAccount: a carry-forward account is required/);
	});

	describe('month-end split', () => {
		// Postings from 28 March to 3 April, deposit on 5 April.
		const rows = [
			summaryRow({ 'total-amount': '92.00' }),
			component({ 'order-id': 'A', amount: '100.00', 'posted-date': '2026-03-28', 'posted-date-time': '2026-03-28 09:00:00 UTC' }),
			component({ 'order-id': 'A', 'amount-description': 'Tax', amount: '19.00', 'posted-date': '2026-03-28', 'posted-date-time': '2026-03-28 09:00:00 UTC' }),
			component({ 'order-id': 'A', 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-15.00', 'posted-date': '2026-03-28', 'posted-date-time': '2026-03-28 09:00:00 UTC' }),
			component({ 'order-id': 'A', 'amount-type': 'ItemFees', 'amount-description': 'FBAPerUnitFulfillmentFee', amount: '-5.00', 'posted-date': '2026-03-28', 'posted-date-time': '2026-03-28 09:00:00 UTC' }),
			component({ 'transaction-type': 'ServiceFee', 'order-id': '', 'amount-type': 'Cost of Advertising', 'amount-description': 'TransactionTotalAmount', amount: '-39.00', 'posted-date': '2026-03-30', 'posted-date-time': '2026-03-30 12:00:00 UTC' }),
			component({ 'order-id': 'B', amount: '50.00', 'posted-date': '2026-04-02', 'posted-date-time': '2026-04-02 08:00:00 UTC' }),
			component({ 'order-id': 'B', 'amount-description': 'Tax', amount: '9.50', 'posted-date': '2026-04-02', 'posted-date-time': '2026-04-02 08:00:00 UTC' }),
			component({ 'order-id': 'B', 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-7.50', 'posted-date': '2026-04-02', 'posted-date-time': '2026-04-02 08:00:00 UTC' }),
			component({ 'transaction-type': 'Refund', 'order-id': 'C', amount: '-20.00', 'posted-date': '2026-04-03', 'posted-date-time': '2026-04-03 16:00:00 UTC' }),
		];
		const rules: AccountMappingRule[] = [
			{ transactionType: 'Refund', amountType: 'ItemPrice', amountDescription: 'Principal', account: '4000', text: 'Amazon refunds' },
			...FIXTURE_RULES,
			{ transactionType: 'ServiceFee', account: '6200', text: 'Advertising' },
		];
		const options = { bankAccount: '1360', splitByMonth: true, carryForwardAccount: '1390' };

		it('gives two balanced journals; the second releases the carried amount and its bank line equals the deposit', async () => {
			const summary = await read(v2File(rows));
			expect(summary.months).toEqual(['2026-03', '2026-04']);
			const result = buildSettlementJournals(summary, rules, options);
			expect(result.journals.map((journal) => [journal.kind, journal.period, journal.date, journal.key])).toEqual([
				['month-end', '2026-03', '2026-03-31', '22222222222:2026-03'],
				['deposit', '2026-04', '2026-04-05', '22222222222:2026-04'],
			]);
			const [march, april] = result.journals;
			result.journals.forEach(expectBalanced);
			expect(march.lines).toEqual([
				{ account: '4000', text: 'Amazon sales', debit: '0.00', credit: '100.00', currency: 'EUR' },
				{ account: '2200', text: 'Output VAT', debit: '0.00', credit: '19.00', currency: 'EUR' },
				{ account: '6100', costCenter: 'MKT', text: 'Amazon fees', debit: '20.00', credit: '0.00', currency: 'EUR' },
				{ account: '6200', text: 'Advertising', debit: '39.00', credit: '0.00', currency: 'EUR' },
				{ account: '1390', text: 'Amazon settlement 22222222222 carried forward from 2026-03', debit: '60.00', credit: '0.00', currency: 'EUR' },
			]);
			expect(april.lines).toEqual([
				{ account: '4000', text: 'Amazon sales', debit: '0.00', credit: '50.00', currency: 'EUR' },
				{ account: '2200', text: 'Output VAT', debit: '0.00', credit: '9.50', currency: 'EUR' },
				{ account: '6100', costCenter: 'MKT', text: 'Amazon fees', debit: '7.50', credit: '0.00', currency: 'EUR' },
				{ account: '4000', text: 'Amazon refunds', debit: '20.00', credit: '0.00', currency: 'EUR' },
				{ account: '1390', text: 'Amazon settlement 22222222222 release of carry-forward 2026-03', debit: '0.00', credit: '60.00', currency: 'EUR' },
				{ account: '1360', text: 'Amazon settlement 22222222222 deposit', debit: '92.00', credit: '0.00', currency: 'EUR' },
			]);
			expect(bankLine(april)).toEqual([expect.objectContaining({ debit: summary.totalAmount })]);
			// The carry-forward account nets to zero over the settlement.
			const carry = result.journals.flatMap((journal) => journal.lines.filter((line) => line.account === '1390'));
			expect(Decimal.sum(carry.map((line) => Decimal.from(line.debit).minus(line.credit))).isZero()).toBe(true);
		});

		it('has the same net effect per account as the unsplit journal', async () => {
			const summary = await read(v2File(rows));
			const net = (journals: SettlementJournal[]) => {
				const byAccount = new Map<string, Decimal>();
				for (const line of journals.flatMap((journal) => journal.lines)) {
					byAccount.set(line.account, (byAccount.get(line.account) ?? Decimal.ZERO).plus(line.debit).minus(line.credit));
				}
				return Object.fromEntries([...byAccount].filter(([, value]) => !value.isZero()).map(([account, value]) => [account, value.toFixed(2)]));
			};
			const split = buildSettlementJournals(summary, rules, options).journals;
			const single = buildSettlementJournals(summary, rules, { bankAccount: '1360' }).journals;
			expect(single).toHaveLength(1);
			expect(net(split)).toEqual(net(single));
		});

		it('is one journal when every posting falls in the deposit month', async () => {
			const result = buildSettlementJournals(await read(fixtureText()), FIXTURE_RULES, { ...options });
			expect(result.journals.map((journal) => [journal.kind, journal.key])).toEqual([['deposit', '11111111111:2026-03']]);
			expect(bankLine(result.journals[0])[0].debit).toBe('16.94');
		});

		it('carries a month whose deposit comes in the next month even with no postings there', async () => {
			const marchOnly = rows.slice(0, 6).map((row, index) => (index === 0 ? { ...row, 'total-amount': '60.00' } : row));
			const result = buildSettlementJournals(await read(v2File(marchOnly)), rules, options);
			expect(result.journals.map((journal) => journal.kind)).toEqual(['month-end', 'deposit']);
			expect(result.journals[1].lines).toEqual([
				expect.objectContaining({ account: '1390', credit: '60.00' }),
				expect.objectContaining({ account: '1360', debit: '60.00' }),
			]);
			result.journals.forEach(expectBalanced);
		});

		it('follows the chosen time zone for the month end', async () => {
			const late = [summaryRow({ 'total-amount': '10.00' }), component({ amount: '10.00', 'posted-date': '2026-03-31', 'posted-date-time': '2026-03-31 23:30:00 UTC' })];
			const utc = buildSettlementJournals(await read(v2File(late)), FIXTURE_RULES, options);
			const berlin = buildSettlementJournals(await read(v2File(late), { timeZone: 'Europe/Berlin' }), FIXTURE_RULES, options);
			expect(utc.journals.map((journal) => journal.period)).toEqual(['2026-03', '2026-04']);
			expect(berlin.journals.map((journal) => journal.period)).toEqual(['2026-04']);
		});
	});
});

describe('end to end from bytes', () => {
	it('reads a gzipped windows-1252 Amazon.de settlement (Gebühren) into a balanced journal', async () => {
		const text = v2File(
			[
				summaryRow({ 'total-amount': '1.190,00', 'deposit-date': '05.04.2026 00:00:00 UTC', 'settlement-start-date': '20.03.2026 00:00:00 UTC', 'settlement-end-date': '03.04.2026 00:00:00 UTC' }),
				component({ amount: '1.250,00', 'posted-date': '25.03.2026', 'posted-date-time': '25.03.2026 10:00:00 UTC' }),
				component({ 'transaction-type': 'other-transaction', 'order-id': '', 'amount-type': 'other-transaction', 'amount-description': 'Versandgebühren', amount: '-60,00', 'posted-date': '26.03.2026', 'posted-date-time': '26.03.2026 10:00:00 UTC' }),
			],
			undefined,
			'\r\n',
		);
		const bytes = gzip(latin1Bytes(text));
		const summary = await readSettlement(chunks(bytes, 100), { charset: charsetFromContentType('text/plain;charset=Cp1252') });
		expect(summary.groups.map((group) => group.amountDescription)).toEqual(['Principal', 'Versandgebühren']);
		expect(summary.totalAmount).toBe('1190.00');
		const result = buildSettlementJournals(summary, [{ amountDescription: 'VERSANDGEBÜHREN', account: '6110', text: 'Amazon Gebühren' }, { account: '4000', text: 'Umsatz' }], { bankAccount: '1360' });
		expect(result.journals[0].lines).toEqual([
			{ account: '4000', text: 'Umsatz', debit: '0.00', credit: '1250.00', currency: 'EUR' },
			{ account: '6110', text: 'Amazon Gebühren', debit: '60.00', credit: '0.00', currency: 'EUR' },
			{ account: '1360', text: 'Amazon settlement 22222222222 deposit', debit: '1190.00', credit: '0.00', currency: 'EUR' },
		]);
		expect(result.journals[0].date).toBe('2026-04-05');
	});
});

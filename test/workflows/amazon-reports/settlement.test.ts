/**
 * Settlement resource in real workflows: settlement reports the sandbox generated per closed
 * event group (EUR files in German formats and windows-1252), and V2 files added by the tests
 * (the synthetic fixture in point and comma form, month-spanning and broken ones).
 */
import type { IDataObject } from 'n8n-workflow';

import { Decimal } from '../../../nodes/common/decimal';
import { findSecretLeaks } from '../../harness';
import { FIXTURE_RULES, component, fixtureText, germanFixture, summaryRow, v2File } from '../../unit/amazon/settlement-helpers';
import { AMAZON_CREDENTIAL, AMAZON_NODE, type AmazonTestbed, jsonOf, runAmazon, secretsOf, startAmazonTestbed } from '../amazon/helpers';
import { expectCleanContract, expectNoCredentialsAtStorage, operationCount, storageRequests, tsvRows } from './helpers';

const V2 = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
const EU_SELLER = 'A2SANDBOXEU001';
const DAY = 86_400_000;

/** A mapping for the sandbox's EUR settlements, German texts on purpose. */
const EU_RULES = [
	{ amountType: 'ItemPrice', amountDescription: 'Tax', account: '3806', text: 'Umsatzsteuer {period}' },
	{ amountType: 'ItemPrice', amountDescription: 'ShippingTax', account: '3806', text: 'Umsatzsteuer {period}' },
	{ amountType: 'ItemPrice', account: '8400', text: 'Erlöse Amazon' },
	{ amountType: 'ItemFees', account: '4970', costCenter: 'AMZ', text: 'Amazon-Gebühren' },
	{ amountType: 'Promotion', account: '8780', text: 'Aktionen' },
	{ transactionType: 'other-transaction', account: '4950', text: '{amountDescription}' },
];

const table = (rules: IDataObject[]) => ({ rules: rules.map((rule) => ({ transactionType: '', amountType: '', amountDescription: '', costCenter: '', text: '', ...rule })) });

/** German amount text → plain decimal text. */
const deAmount = (text: string) => text.replace(/\./g, '').replace(',', '.');

const withoutRunFields = (items: IDataObject[]) => items.map(({ _trace, reportId: _reportId, reportDocumentId: _reportDocumentId, ...rest }) => rest);

function sum(values: unknown[]): Decimal {
	return values.reduce<Decimal>((total, value) => total.plus(String(value)), Decimal.ZERO);
}

describe('Amazon Seller Central: Settlement', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 400 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => {
		expectCleanContract(bed.sandbox);
		expectNoCredentialsAtStorage(bed.sandbox);
	});

	const run = async (parameters: IDataObject, extra: { seller?: string; node?: IDataObject } = {}) =>
		await runAmazon({ sandbox: bed.sandbox, parameters: { resource: 'settlement', ...parameters }, ...extra });

	/** The newest seeded EUR settlement of the EU seller holding the (monthly) subscription fee and a free-shipping promotion. */
	function euSettlement() {
		const reports = bed.sandbox.data.reports(EU_SELLER).filter((report) => {
			const text = report.reportType === V2 ? bed.sandbox.data.documentText(report.reportDocumentId as string) : '';
			return text.includes('\tEUR\t') && text.includes('Abonnementgebühr') && text.includes('Gratisversand ab 29 € – Aktion');
		});
		expect(reports.length).toBeGreaterThan(0);
		const report = reports[reports.length - 1];
		const rows = tsvRows(bed.sandbox.data.documentText(report.reportDocumentId as string));
		return { report, summary: rows[0], components: rows.slice(1) };
	}

	const addSettlement = (content: string, charset: 'UTF-8' | 'windows-1252' = 'UTF-8') => bed.sandbox.addReport({ reportType: V2, content, charset, sellerId: EU_SELLER });

	it('Get Many lists the DONE V2 settlement reports since a date, without a marketplace filter', async () => {
		const since = new Date(bed.sandbox.clock.now() - 60 * DAY);
		const result = await run({ operation: 'getMany', createdSince: since.toISOString(), returnAll: true }, { seller: 'eu' });
		expect(result.status).toBe('success');
		const listed = jsonOf(result.output(AMAZON_NODE));
		const expected = bed.sandbox.data.reports(EU_SELLER).filter((report) => report.reportType === V2 && report.createdTime >= since.getTime());
		expect(expected.length).toBeGreaterThan(1);
		expect(listed.map((report) => report.reportId).sort()).toEqual(expected.map((report) => report.reportId).sort());
		expect(listed.every((report) => report.reportType === V2 && report.processingStatus === 'DONE' && typeof report.reportDocumentId === 'string')).toBe(true);
		const [first] = bed.sandbox.stats.requests({ operation: 'reports.getReports' });
		expect(Object.keys(first.query).sort()).toEqual(['createdSince', 'pageSize', 'processingStatuses', 'reportTypes']);
	});

	it('Summary of an EU settlement (German formats, windows-1252): totals reconcile to the summary row', async () => {
		const { report, summary, components } = euSettlement();
		const result = await run({ operation: 'get', reportId: report.reportId, outputMode: 'summary' }, { seller: 'eu' });
		expect(result.status).toBe('success');
		const [item] = jsonOf(result.output(AMAZON_NODE));
		expect(item).toMatchObject({
			settlementId: summary['settlement-id'],
			reportId: report.reportId,
			reportDocumentId: report.reportDocumentId,
			currency: 'EUR',
			totalAmount: Decimal.from(deAmount(summary['total-amount'] as string)).toFixed(2),
			componentCount: components.length,
			reconciled: true,
			decimalSeparator: ',',
		});
		expect(item.componentTotal).toBe(item.totalAmount);
		expect(sum(components.map((row) => deAmount(row.amount as string))).equals(String(item.totalAmount))).toBe(true);
		const categories = item.categories as IDataObject[];
		expect(categories.map((category) => category.amountDescription)).toContain('Abonnementgebühr');
	});

	it('Journal lines of an EU settlement: € and umlauts intact, balanced, the bank line equals the summary total', async () => {
		const { report, summary } = euSettlement();
		const total = Decimal.from(deAmount(summary['total-amount'] as string));
		const result = await run({ operation: 'get', reportId: report.reportId, outputMode: 'journalLines', bankAccount: '1360', accountMapping: table(EU_RULES) }, { seller: 'eu' });
		expect(result.status).toBe('success');
		const lines = jsonOf(result.output(AMAZON_NODE));
		expect(lines.length).toBeGreaterThan(3);
		expect(sum(lines.map((line) => line.debit)).equals(sum(lines.map((line) => line.credit)))).toBe(true);
		const bank = lines.filter((line) => line.account === '1360');
		expect(bank).toHaveLength(1);
		expect(Decimal.from(String(bank[0].debit)).minus(String(bank[0].credit)).equals(total)).toBe(true);
		expect(lines.map((line) => line.text)).toEqual(expect.arrayContaining(['Abonnementgebühr', 'Erlöse Amazon', 'Amazon-Gebühren']));
		expect(JSON.stringify(lines)).not.toMatch(/Ã|\uFFFD/);
		for (const line of lines) {
			expect(line).toMatchObject({ settlementId: summary['settlement-id'], reportId: report.reportId, currency: 'EUR', journalKey: summary['settlement-id'], reference: summary['settlement-id'] });
			expect(line._trace).toMatchObject({ source: { system: 'Amazon Seller Central', id: `settlement ${summary['settlement-id']} (report ${report.reportId})` }, action: 'read' });
		}
		expect(new Set(lines.map((line) => line.dedupKey)).size).toBe(lines.length);
		expect(lines.every((line) => String(line.dedupKey).startsWith(`${summary['settlement-id']}:${line.period}:`))).toBe(true);

		// A second run gives the same keys: downstream posting can be idempotent.
		const again = await run({ operation: 'get', reportId: report.reportId, outputMode: 'journalLines', bankAccount: '1360', accountMapping: table(EU_RULES) }, { seller: 'eu' });
		expect(jsonOf(again.output(AMAZON_NODE)).map((line) => line.dedupKey)).toEqual(lines.map((line) => line.dedupKey));
	});

	it('Settlement lines: one item per component, € and – of the promotion intact', async () => {
		const { report, components } = euSettlement();
		const result = await run({ operation: 'get', source: 'reportDocumentId', reportDocumentId: report.reportDocumentId, outputMode: 'lines' }, { seller: 'eu' });
		expect(result.status).toBe('success');
		const lines = jsonOf(result.output(AMAZON_NODE));
		expect(lines).toHaveLength(components.length);
		expect(lines.map((line) => line.amount)).toEqual(components.map((row) => Decimal.from(deAmount(row.amount as string)).toFixed(2)));
		expect(lines.map((line) => line.sku)).toEqual(components.map((row) => row.sku));
		expect(lines[0]).toMatchObject({ line: 3, reportId: null, reportDocumentId: report.reportDocumentId, currency: 'EUR' });
		expect(lines.filter((line) => line.promotionId !== '').map((line) => line.promotionId)).toContain('Gratisversand ab 29 € – Aktion');
		expect(lines.map((line) => line.amountDescription)).toContain('Abonnementgebühr');
	});

	it('the same settlement with decimal points and with decimal commas yields identical journal lines', async () => {
		const point = addSettlement(fixtureText());
		const comma = addSettlement(germanFixture(), 'windows-1252');
		const parameters = { operation: 'get', outputMode: 'journalLines', bankAccount: '1360', mappingSource: 'json', mappingJson: JSON.stringify(FIXTURE_RULES) };
		const pointRun = await run({ ...parameters, reportId: point.reportId }, { seller: 'eu' });
		const commaRun = await run({ ...parameters, reportId: comma.reportId }, { seller: 'eu' });
		expect(pointRun.status).toBe('success');
		const pointLines = jsonOf(pointRun.output(AMAZON_NODE));
		expect(withoutRunFields(jsonOf(commaRun.output(AMAZON_NODE)))).toEqual(withoutRunFields(pointLines));
		expect(withoutRunFields(pointLines).map(({ account, costCenter, text, debit, credit }) => ({ account, costCenter, text, debit, credit }))).toEqual([
			{ account: '4000', costCenter: undefined, text: 'Amazon sales', debit: '0.00', credit: '25.00' },
			{ account: '2200', costCenter: undefined, text: 'Output VAT', debit: '0.00', credit: '2.00' },
			{ account: '6100', costCenter: 'MKT', text: 'Amazon fees', debit: '9.55', credit: '0.00' },
			{ account: '4010', costCenter: undefined, text: 'Promotions', debit: '0.51', credit: '0.00' },
			{ account: '1360', costCenter: undefined, text: 'Amazon settlement 11111111111 deposit', debit: '16.94', credit: '0.00' },
		]);
	});

	it('Journals: one item per journal with its lines', async () => {
		const point = addSettlement(fixtureText());
		const result = await run(
			{ operation: 'get', reportId: point.reportId, outputMode: 'journals', bankAccount: '1360', accountMapping: table(FIXTURE_RULES as IDataObject[]), journalOptions: { referenceTemplate: 'AMZ-{settlementId}', journalDate: 'end' } },
			{ seller: 'eu' },
		);
		const [journal, ...rest] = jsonOf(result.output(AMAZON_NODE));
		expect(rest).toEqual([]);
		expect(journal).toMatchObject({ settlementId: '11111111111', reference: 'AMZ-11111111111', journalKey: '11111111111', kind: 'settlement', date: '2026-03-15', totalDebit: '27.00', totalCredit: '27.00', lineCount: 5 });
	});

	describe('unmapped categories', () => {
		const rulesWithoutFees = FIXTURE_RULES.filter((rule) => rule.amountType !== 'ItemFees') as IDataObject[];
		const parameters = () => ({ operation: 'get', outputMode: 'journalLines', bankAccount: '1360', accountMapping: table(rulesWithoutFees) });

		it('go to the error output, one item per category with its context; no partial journal on the main output', async () => {
			const { reportId } = addSettlement(fixtureText());
			const result = await run({ ...parameters(), reportId }, { seller: 'eu', node: { onError: 'continueErrorOutput' } });
			expect(result.status).toBe('success');
			expect(result.output(AMAZON_NODE, 0)).toEqual([]);
			const errors = jsonOf(result.output(AMAZON_NODE, 1));
			expect(errors.map((item) => item.error)).toEqual([
				'Settlement 11111111111: no account mapping for Order / ItemFees / Commission (-4.05 USD, 1 line)',
				'Settlement 11111111111: no account mapping for Order / ItemFees / FBAPerUnitFulfillmentFee (-5.50 USD, 1 line)',
			]);
			expect(errors[0].details).toEqual({
				itemIndex: 0,
				description: expect.stringMatching(/^Add a mapping rule for transaction type "Order", amount type "ItemFees", amount description "Commission"/),
				context: expect.objectContaining({ settlementId: '11111111111', reportId, transactionType: 'Order', amountType: 'ItemFees', amountDescription: 'Commission', amount: '-4.05', currency: 'USD', lineCount: 1, firstLine: 5, exampleOrderIds: ['111-0000001-0000001'] }),
			});
		});

		it('fail the item with every category and how to fix it when the node stops on errors', async () => {
			const { reportId } = addSettlement(fixtureText());
			const result = await run({ ...parameters(), reportId }, { seller: 'eu' });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				'Settlement 11111111111: 2 categories have no account mapping: Order / ItemFees / Commission (-4.05 USD, 1 line, first on line 5); Order / ItemFees / FBAPerUnitFulfillmentFee (-5.50 USD, 1 line, first on line 6)',
			);
			expect((result.error as { description?: string }).description).toMatch(/Add a mapping rule for each listed/);
		});

		it('arrive as error items on the main output with "Continue" (regular output), without journal lines', async () => {
			const { reportId } = addSettlement(fixtureText());
			const result = await run({ ...parameters(), reportId }, { seller: 'eu', node: { onError: 'continueRegularOutput' } });
			const items = jsonOf(result.output(AMAZON_NODE));
			expect(items).toHaveLength(2);
			expect(items.every((item) => Object.keys(item).sort().join() === 'details,error')).toBe(true);
		});

		it('post to a suspense account when one is set', async () => {
			const { reportId } = addSettlement(fixtureText());
			const result = await run({ ...parameters(), reportId, journalOptions: { suspenseAccount: '1590' } }, { seller: 'eu' });
			const lines = jsonOf(result.output(AMAZON_NODE));
			expect(lines.filter((line) => line.account === '1590').map(({ text, debit }) => ({ text, debit }))).toEqual([
				{ text: 'Unmapped: Order / ItemFees / Commission', debit: '4.05' },
				{ text: 'Unmapped: Order / ItemFees / FBAPerUnitFulfillmentFee', debit: '5.50' },
			]);
		});
	});

	it('a malformed line fails the item with its line number', async () => {
		const { reportId } = addSettlement(fixtureText().replace('-4.05', '-4.0.5'));
		const result = await run({ operation: 'get', reportId, outputMode: 'summary' }, { seller: 'eu' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Settlement report ${reportId}: Line 5: amount "-4.0.5" is not an amount with a decimal point (decided by total-amount "16.94" on line 2)`);
		expect((result.error as { description?: string }).description).toMatch(/mixes number formats/);
	});

	it('a settlement that does not reconcile fails with the difference', async () => {
		const { reportId } = addSettlement(fixtureText().replace('\t16.94\t', '\t16.95\t'));
		const result = await run({ operation: 'get', reportId, outputMode: 'journalLines', bankAccount: '1360', accountMapping: table(FIXTURE_RULES as IDataObject[]) }, { seller: 'eu' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Line 2: Settlement 11111111111 does not reconcile: total-amount is 16.95 USD but the 6 components add up to 16.94 \(difference 0.01\)/);
		expect((result.error as { description?: string }).description).toMatch(/Nothing was posted/);
	});

	it('month-end split: a month-end journal against the carry-forward account, and a deposit journal whose bank line is the deposit', async () => {
		const content = v2File([
			summaryRow({ 'total-amount': '127.50' }),
			component({ amount: '100.00', 'posted-date': '2026-03-25', 'posted-date-time': '2026-03-25 10:00:00 UTC' }),
			component({ 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-15.00', 'posted-date': '2026-03-25', 'posted-date-time': '2026-03-25 10:00:00 UTC' }),
			component({ 'order-id': '302-0000002-0000002', amount: '50.00', 'posted-date': '2026-04-02', 'posted-date-time': '2026-04-02 08:00:00 UTC' }),
			component({ 'order-id': '302-0000002-0000002', 'amount-type': 'ItemFees', 'amount-description': 'Commission', amount: '-7.50', 'posted-date': '2026-04-02', 'posted-date-time': '2026-04-02 08:00:00 UTC' }),
		]);
		const { reportId } = addSettlement(content);
		const rules = [
			{ amountType: 'ItemPrice', account: '8400', text: 'Sales {period}' },
			{ amountType: 'ItemFees', account: '4970', text: 'Fees {period}' },
		];
		const result = await run(
			{ operation: 'get', reportId, outputMode: 'journals', bankAccount: '1360', accountMapping: table(rules), splitByMonth: true, carryForwardAccount: '1369', options: { timeZone: 'Europe/Berlin' } },
			{ seller: 'eu' },
		);
		expect(result.status).toBe('success');
		const journals = jsonOf(result.output(AMAZON_NODE));
		const strip = (journal: IDataObject) => ({
			key: journal.journalKey,
			reference: journal.reference,
			kind: journal.kind,
			date: journal.date,
			lines: (journal.lines as IDataObject[]).map(({ account, text, debit, credit }) => ({ account, text, debit, credit })),
		});
		expect(journals.map(strip)).toEqual([
			{
				key: '22222222222:2026-03',
				reference: '22222222222:2026-03',
				kind: 'month-end',
				date: '2026-03-31',
				lines: [
					{ account: '8400', text: 'Sales 2026-03', debit: '0.00', credit: '100.00' },
					{ account: '4970', text: 'Fees 2026-03', debit: '15.00', credit: '0.00' },
					{ account: '1369', text: 'Amazon settlement 22222222222 carried forward from 2026-03', debit: '85.00', credit: '0.00' },
				],
			},
			{
				key: '22222222222:2026-04',
				reference: '22222222222:2026-04',
				kind: 'deposit',
				date: '2026-04-05',
				lines: [
					{ account: '8400', text: 'Sales 2026-04', debit: '0.00', credit: '50.00' },
					{ account: '4970', text: 'Fees 2026-04', debit: '7.50', credit: '0.00' },
					{ account: '1369', text: 'Amazon settlement 22222222222 release of carry-forward 2026-03', debit: '0.00', credit: '85.00' },
					{ account: '1360', text: 'Amazon settlement 22222222222 deposit', debit: '127.50', credit: '0.00' },
				],
			},
		]);
		for (const journal of journals) expect(journal.totalDebit).toBe(journal.totalCredit);
	});

	it('refuses a report that is not a V2 settlement', async () => {
		const { reportId } = bed.sandbox.addReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', content: 'sku\n', sellerId: EU_SELLER });
		const result = await run({ operation: 'get', reportId, outputMode: 'summary' }, { seller: 'eu' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Report ${reportId} is a GET_MERCHANT_LISTINGS_ALL_DATA report, not a ${V2} settlement`);
		expect(storageRequests(bed.sandbox)).toEqual([]);
	});

	it('checks the account mapping before downloading anything', async () => {
		const { reportId } = addSettlement(fixtureText());
		const result = await run({ operation: 'get', reportId, outputMode: 'journalLines', bankAccount: '1360', mappingSource: 'json', mappingJson: '{"not": "an array"}' }, { seller: 'eu' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Account Mapping (JSON) is not an array');
		expect(operationCount(bed.sandbox, 'reports.getReport')).toBe(0);
	});

	it('no secret reaches outputs, errors or logs (canary)', async () => {
		const { report } = euSettlement();
		const runs = [
			await run({ operation: 'get', reportId: report.reportId, outputMode: 'journalLines', bankAccount: '1360', accountMapping: table(EU_RULES) }, { seller: 'eu' }),
			await run({ operation: 'get', reportId: report.reportId, outputMode: 'journalLines', bankAccount: '1360', accountMapping: table(EU_RULES.slice(0, -1)) }, { seller: 'eu' }),
			await run({ operation: 'getMany', createdSince: new Date(bed.sandbox.clock.now() - 30 * DAY).toISOString(), returnAll: true }, { seller: 'eu' }),
		];
		expect(runs.map((result) => result.status)).toEqual(['success', 'error', 'success']);
		const signatures = storageRequests(bed.sandbox).map((request) => String(request.query['X-Amz-Signature']));
		for (const result of runs) {
			const accessToken = String(result.credentialStore.get(AMAZON_CREDENTIAL).accessToken ?? '');
			expect(accessToken).toMatch(/^Atza\|/);
			const places = { output: result.status === 'success' ? result.output(AMAZON_NODE) : [], error: result.error, logs: result.logs, run: result.run.data.resultData };
			expect(findSecretLeaks([...secretsOf(bed.sandbox, 'eu'), accessToken, ...signatures], places)).toEqual([]);
		}
	});
});

/**
 * Seed of the finance side added after the first data sets: chart of accounts and cost centers
 * for companies '10' and '20', balanced rows for the seeded vouchers, open customer invoices
 * and payment proposals. Own generators, so earlier rows keep their values.
 *
 * Amounts are generated as integer cents and converted once, so sums (voucher balance, proposal
 * totals, open amounts) are exact.
 */
import { formatDate } from './edm-values';
import { CHART_OF_ACCOUNTS, COST_CENTERS, NAMED_ACCOUNTS } from './gl-vouchers';
import { COMPANY_CURRENCY } from './projection-kit';
import { BASE, cents, createRandom, DAY, load, objversionNear, pad, type Entry } from './seed-kit';
import type { Database } from './store';

export interface FinanceCounts {
	accounts: number;
	costCenters: number;
	voucherRows: number;
	customerInvoices: number;
	paymentProposals: number;
	paymentProposalLines: number;
}

const COMPANIES = Object.keys(COMPANY_CURRENCY).sort();

/** All account numbers of the chart, in key (string) order. */
export function chartAccounts(): string[] {
	const out: string[] = [];
	for (const range of CHART_OF_ACCOUNTS) for (let n = range.from; n <= range.to; n += 10) out.push(String(n));
	return out.sort();
}

function seedMasterData(db: Database): { accounts: number; costCenters: number } {
	const objversion = '20230101090000';
	const accounts: Entry[] = [];
	const codeB: Entry[] = [];
	for (const company of COMPANIES) {
		for (const account of chartAccounts()) {
			const range = CHART_OF_ACCOUNTS.find((r) => Number(account) >= r.from && Number(account) <= r.to)!;
			accounts.push({
				values: { Company: company, Account: account, Description: NAMED_ACCOUNTS[account] ?? `${range.label} ${account}`, AccountGroup: range.group },
				objversion,
			});
		}
		for (const code of COST_CENTERS) codeB.push({ values: { Company: company, CodeB: code, Description: `Cost center ${code}` }, objversion });
	}
	load(db.table('AccountsHandling', 'AccountSet'), accounts);
	load(db.table('CodeBHandling', 'CodeBSet'), codeB);
	return { accounts: accounts.length, costCenters: codeB.length };
}

/** 1-3 debit rows and one balancing credit row per seeded voucher, in the company's currency. */
function seedVoucherRows(db: Database, seed: number): number {
	const rnd = createRandom(seed * 7919 + 9);
	const accounts = chartAccounts();
	const rows: Entry[] = [];
	for (const voucher of db.table('VoucherHandling', 'VoucherSet').rows) {
		const v = voucher.values;
		const currency = COMPANY_CURRENCY[String(v.Company)];
		const key = { Company: v.Company, AccountingYear: v.AccountingYear, VoucherType: v.VoucherType, VoucherNo: v.VoucherNo };
		const debits = rnd.int(1, 3);
		let total = 0;
		let rowNo = 0;
		const text = v.VoucherText2 ?? null;
		for (let d = 0; d < debits; d++) {
			const amount = rnd.int(100, 2_500_000);
			total += amount;
			const account = rnd.pick(accounts);
			rows.push({
				values: {
					...key,
					RowNo: ++rowNo,
					Account: account,
					CodeB: account >= '4000' ? rnd.pick(COST_CENTERS) : null,
					CodeC: null,
					CodeD: null,
					CurrencyDebitAmount: cents(amount),
					CurrencyCreditAmount: null,
					CurrencyCode: currency,
					Text: text,
				},
				objversion: voucher.objversion,
			});
		}
		rows.push({
			values: {
				...key,
				RowNo: ++rowNo,
				Account: rnd.pick(['1930', '2440', '1510']),
				CodeB: null,
				CodeC: null,
				CodeD: null,
				CurrencyDebitAmount: null,
				CurrencyCreditAmount: cents(total),
				CurrencyCode: currency,
				Text: text,
			},
			objversion: voucher.objversion,
		});
	}
	load(db.table('VoucherHandling', 'VoucherRowSet'), rows);
	return rows.length;
}

/**
 * Customer invoices (InvoiceNo 'CI<company>-<5 digits>'): mostly open (PostedAuth), some partly
 * paid, a few paid; the currency is the customer's currency in that company.
 */
function seedInvoices(db: Database, seed: number): number {
	const rnd = createRandom(seed * 7919 + 10);
	const customerCompanies = db.table('CustomerHandling', 'CustomerCompanySet').all();
	const rows: Entry[] = [];
	for (const company of COMPANIES) {
		const customers = customerCompanies.filter((c) => c.Company === company);
		const count = company === '10' ? 24 : 12;
		for (let id = 1; id <= count; id++) {
			const customer = rnd.pick(customers);
			const amount = rnd.int(10_000, 2_500_000);
			const roll = rnd.next();
			const state = roll < 0.7 ? 'PostedAuth' : roll < 0.9 ? 'PartlyPaid' : 'Paid';
			const open = state === 'PostedAuth' ? amount : state === 'Paid' ? 0 : amount - rnd.int(1, amount - 1);
			const invoiced = BASE + rnd.int(0, 150) * DAY;
			rows.push({
				values: {
					Company: company,
					InvoiceId: id,
					InvoiceNo: `CI${company}-${pad(id, 5)}`,
					Identity: customer.CustomerId,
					CurrencyCode: customer.CurrencyCode,
					InvoiceAmount: cents(amount),
					OpenAmount: cents(open),
					InvoiceDate: formatDate(invoiced),
					DueDate: formatDate(invoiced + 30 * DAY),
					Objstate: state,
				},
				objversion: objversionNear(rnd, invoiced),
			});
		}
	}
	load(db.table('CustomerInvoiceHandling', 'CustomerInvoiceSet'), rows);
	return rows.length;
}

/** Supplier payment proposals: three for company '10', two for '20', 2-6 lines each. */
function seedPaymentProposals(db: Database, seed: number): { proposals: number; lines: number } {
	const rnd = createRandom(seed * 7919 + 11);
	const proposals: Entry[] = [];
	const lines: Entry[] = [];
	for (const company of COMPANIES) {
		const currency = COMPANY_CURRENCY[company];
		for (let id = 1; id <= (company === '10' ? 3 : 2); id++) {
			const date = BASE + rnd.int(20, 170) * DAY;
			const objversion = objversionNear(rnd, date);
			let total = 0;
			const count = rnd.int(2, 6);
			for (let lineNo = 1; lineNo <= count; lineNo++) {
				const amount = rnd.int(5_000, 1_500_000);
				total += amount;
				lines.push({
					values: {
						Company: company,
						ProposalId: id,
						LineNo: lineNo,
						PartyType: 'Supplier',
						Identity: `S${pad(rnd.int(1, 40), 4)}`,
						InvoiceNo: `SI-${pad(rnd.int(1, 99_999), 5)}`,
						CurrencyCode: currency,
						CurrAmount: cents(amount),
					},
					objversion,
				});
			}
			proposals.push({
				values: {
					Company: company,
					ProposalId: id,
					Description: `Supplier payments ${formatDate(date)}`,
					ProposalDate: formatDate(date),
					CurrencyCode: currency,
					TotalAmount: cents(total),
					Objstate: id === 1 ? 'Approved' : 'Created',
				},
				objversion,
			});
		}
	}
	load(db.table('PaymentProposalHandling', 'PaymentProposalSet'), proposals);
	load(db.table('PaymentProposalHandling', 'PaymentProposalLineSet'), lines);
	return { proposals: proposals.length, lines: lines.length };
}

export function seedFinance(db: Database, seed: number): FinanceCounts {
	const { accounts, costCenters } = seedMasterData(db);
	const voucherRows = seedVoucherRows(db, seed);
	const customerInvoices = seedInvoices(db, seed);
	const { proposals, lines } = seedPaymentProposals(db, seed);
	return { accounts, costCenters, voucherRows, customerInvoices, paymentProposals: proposals, paymentProposalLines: lines };
}

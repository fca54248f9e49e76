/**
 * Shared by the GL Journal and Payment workflow tests: node parameters for the business
 * resources, and readers of what the sandbox holds afterwards (vouchers, rows, invoices, payments).
 */
import type { IDataObject } from 'n8n-workflow';

import type { IfsSandbox, SandboxRow } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, runIfs } from '../ifs/helpers';
import type { RunResult } from '../../harness';

export { IFS_NODE, jsonOf, runIfs };

export const VH = 'VoucherHandling';
export const VEA = 'VoucherEntryAssistantHandling';
export const EXT = 'ExternalVouchers';
export const METHODS = ['voucherEntry', 'externalLoad'] as const;
export type Method = (typeof METHODS)[number];

export interface Line {
	account: string;
	debit?: string | number;
	credit?: string | number;
	amount?: string | number;
	currency?: string;
	text?: string;
	[field: string]: unknown;
}

export function postJournalParameters(reference: string, lines: Line[] | string, method: Method, extra: IDataObject = {}): IDataObject {
	return {
		resource: 'glJournal',
		operation: 'postJournal',
		externalReference: reference,
		voucherDate: '2024-05-31',
		voucherType: 'M',
		currency: 'SEK',
		lines: typeof lines === 'string' ? lines : JSON.stringify(lines),
		text: `Settlement ${reference}`,
		method,
		...extra,
	};
}

export function reverseJournalParameters(originalReference: string, method: Method, extra: IDataObject = {}): IDataObject {
	return { resource: 'glJournal', operation: 'reverseJournal', originalReference, voucherDate: '2024-06-03', method, ...extra };
}

/** Vouchers of `company` whose VoucherText2 (the external reference) is `reference`. */
export function vouchersFor(sandbox: IfsSandbox, reference: string, company = '10'): SandboxRow[] {
	return sandbox.data.rows(VH, 'VoucherSet').filter((voucher) => voucher.Company === company && voucher.VoucherText2 === reference);
}

/** The one voucher for `reference` (fails the test when there are none or several). */
export function voucherFor(sandbox: IfsSandbox, reference: string, company = '10'): SandboxRow {
	const found = vouchersFor(sandbox, reference, company);
	if (found.length !== 1) throw new Error(`expected exactly one voucher for ${reference} in company ${company}, found ${found.length}`);
	return found[0];
}

export const voucherKey = (voucher: Record<string, unknown>) => ({
	Company: voucher.Company,
	AccountingYear: voucher.AccountingYear,
	VoucherType: voucher.VoucherType,
	VoucherNo: voucher.VoucherNo,
});

export function rowsOf(sandbox: IfsSandbox, voucher: Record<string, unknown>): SandboxRow[] {
	const key = voucherKey(voucher);
	return sandbox.data
		.rows(VH, 'VoucherRowSet')
		.filter((row) => Object.entries(key).every(([field, value]) => row[field] === value))
		.sort((a, b) => Number(a.RowNo) - Number(b.RowNo));
}

/** Rows reduced to what a posting says: account, sides, currency, cost center. */
export function postings(rows: Array<Record<string, unknown>>) {
	return rows.map((row) => ({
		Account: row.Account,
		CurrencyDebitAmount: row.CurrencyDebitAmount,
		CurrencyCreditAmount: row.CurrencyCreditAmount,
		CurrencyCode: row.CurrencyCode,
		CodeB: row.CodeB,
	}));
}

export const apiRequests = (sandbox: IfsSandbox) => sandbox.stats.log.filter((entry) => entry.kind === 'api');
export const writes = (sandbox: IfsSandbox) => apiRequests(sandbox).filter((entry) => entry.method !== 'GET');

export function traceOf(row: IDataObject): IDataObject {
	return row._trace as IDataObject;
}

/** The first output item of the IFS node (success output). */
export function firstOutput(result: RunResult): IDataObject {
	const [row] = jsonOf(result.output(IFS_NODE));
	return row;
}

export function errorDescription(result: RunResult): string {
	return String((result.error as { description?: string } | undefined)?.description ?? '');
}

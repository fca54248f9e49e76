import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { Decimal, type DecimalError } from '../../../common/decimal';
import { operationError } from '../../../common/errors';
import type { IfsClient } from '../../transport';
import { optionsCollection, traceOptions } from '../descriptions';
import { companyFor } from '../parameters';
import { CODE_PART, type Journal, checkBalanced, findVoucher, parseLines, voucherRows } from './journal';
import { journalNames, journalNamesCollection } from './names';
import { amountDecimalsOption, methodParameter, postOnce } from './post';

const properties: INodeProperties[] = [
	{
		displayName: 'Original Reference',
		name: 'originalReference',
		type: 'string',
		default: '',
		required: true,
		description: 'External reference of the journal to reverse',
	},
	{
		displayName: 'Reversal Reference',
		name: 'reversalReference',
		type: 'string',
		default: '',
		description: 'Reference of the reversing journal; empty means the original reference followed by "-REV". A reversal is never posted twice.',
	},
	{
		displayName: 'Voucher Date',
		name: 'voucherDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2024-06-01',
		description: 'Date of the reversing voucher (posted vouchers are immutable: the reversal is a new voucher)',
	},
	{
		displayName: 'Voucher Type',
		name: 'voucherType',
		type: 'string',
		default: '',
		description: "Voucher type of the reversal; empty means the original voucher's type",
	},
	methodParameter,
	journalNamesCollection,
	optionsCollection([amountDecimalsOption, ...traceOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['glJournal'], operation: ['reverseJournal'] } }, properties);

/** Posts the offsetting journal of an earlier one: every row with debit and credit swapped. */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = journalNames(context, itemIndex);
	const company = companyFor(context, client, itemIndex);
	const original = String(context.getNodeParameter('originalReference', itemIndex, '') ?? '').trim();
	if (!company || !original) {
		throw operationError(context.getNode(), !original ? 'Original Reference is empty' : 'No company is set', 'Give the reference of the journal to reverse, and the company (Options, or the credential).', itemIndex);
	}
	const reference = String(context.getNodeParameter('reversalReference', itemIndex, '') ?? '').trim() || `${original}-REV`;
	const date = String(context.getNodeParameter('voucherDate', itemIndex, '') ?? '').trim();
	if (!date) throw operationError(context.getNode(), 'Voucher Date is empty', 'Give the date of the reversing voucher, e.g. 2024-06-01.', itemIndex);
	const amountDecimals = Number(context.getNodeParameter('options.amountDecimals', itemIndex, 2));
	const voucher = await findVoucher(client, names, company, original, itemIndex);
	if (!voucher) {
		throw operationError(
			context.getNode(),
			`No voucher with ${names.voucherReferenceField} "${original}" in company ${company}`,
			'Check the original reference and company; only journals posted with an external reference can be reversed here.',
			itemIndex,
		);
	}
	const rows = await voucherRows(client, names, voucher, itemIndex);
	const amountOf = (value: unknown, field: string): Decimal => {
		if (value === null || value === undefined || value === '') return Decimal.ZERO;
		try {
			return Decimal.from(value);
		} catch (error) {
			throw operationError(context.getNode(), `Voucher row of "${original}": ${field} ${(error as DecimalError).message}`, 'Check the amount fields under IFS Names.', itemIndex);
		}
	};
	const raw: IDataObject[] = [];
	for (const row of rows) {
		// The offsetting amount: what was debited is credited. As a signed amount, so rows IFS holds
		// with negative amounts reverse too; rows without an amount offset nothing.
		const offset = amountOf(row[names.creditField], names.creditField).minus(amountOf(row[names.debitField], names.debitField));
		if (offset.isZero()) continue;
		const line: IDataObject = { account: row[names.accountField], currency: row[names.currencyField], text: `Reversal of ${original}`, amount: offset.toString() };
		for (const [field, value] of Object.entries(row)) if (CODE_PART.test(field) && value !== null && value !== '') line[field] = value;
		raw.push(line);
	}
	if (!raw.length) {
		throw operationError(
			context.getNode(),
			`Voucher "${original}" has no rows with an amount in ${names.voucherRowEntitySet}`,
			'Nothing to reverse. Check the Voucher Row Entity Set and amount fields under IFS Names.',
			itemIndex,
		);
	}
	const currency = String(rows[0]?.[names.currencyField] ?? '');
	const lines = parseLines(context, raw, currency, amountDecimals, itemIndex);
	const totals = checkBalanced(context, lines, amountDecimals, itemIndex);
	const journal: Journal = {
		company,
		voucherType: String(context.getNodeParameter('voucherType', itemIndex, '') ?? '').trim() || String(voucher[names.voucherTypeField]),
		date,
		currency,
		reference,
		lines,
		amountDecimals,
	};
	const result = await postOnce(context, client, names, journal, totals, context.getNodeParameter('method', itemIndex, 'voucherEntry') as string, itemIndex);
	return { ...result, reverses: original };
}

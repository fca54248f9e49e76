import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import type { IfsClient } from '../../transport';
import { parseJsonArray } from '../business';
import { optionsCollection, traceOptions } from '../descriptions';
import { companyFor } from '../parameters';
import { type Journal, checkBalanced, parseLines } from './journal';
import { journalNames, journalNamesCollection } from './names';
import { amountDecimalsOption, methodParameter, postOnce } from './post';

const properties: INodeProperties[] = [
	{
		displayName: 'External Reference',
		name: 'externalReference',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. AMZ-SETTLEMENT-{{ $json.settlementId }}',
		description: 'Unique reference of this journal (e.g. a settlement ID); a journal with the same reference is never posted twice',
	},
	{
		displayName: 'Voucher Date',
		name: 'voucherDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2024-05-31',
	},
	{
		displayName: 'Voucher Type',
		name: 'voucherType',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. M',
		description: 'IFS voucher type of the company used for these journals',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'EUR',
		description: 'Currency of lines that do not name one',
	},
	{
		displayName: 'Lines (JSON)',
		name: 'lines',
		type: 'json',
		default: '[]',
		description:
			'One object per line: account, and debit, credit or a signed amount (positive = debit); optional currency, text and IFS posting fields such as CodeB (cost center). Example: [{"account": "1930", "debit": "100.00"}, {"account": "3010", "credit": "100.00", "CodeB": "CC100"}].',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		description: 'Text for lines that carry none',
	},
	methodParameter,
	journalNamesCollection,
	optionsCollection([amountDecimalsOption, ...traceOptions]),
];

export const description = updateDisplayOptions({ show: { resource: ['glJournal'], operation: ['postJournal'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = journalNames(context, itemIndex);
	const text = String(context.getNodeParameter('text', itemIndex, '') ?? '');
	const currency = String(context.getNodeParameter('currency', itemIndex, '') ?? '').trim();
	const amountDecimals = Number(context.getNodeParameter('options.amountDecimals', itemIndex, 2));
	const reference = String(context.getNodeParameter('externalReference', itemIndex, '') ?? '').trim();
	const company = companyFor(context, client, itemIndex);
	const required = { 'External Reference': reference, Company: company, Currency: currency };
	const missing = Object.entries(required).filter(([, value]) => !value);
	if (missing.length) {
		throw operationError(
			context.getNode(),
			`${missing.map(([name]) => name).join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty`,
			'Set them on the node (Company under Options, or the Default Company of the credential).',
			itemIndex,
		);
	}
	// Everything is checked before the first request: an unbalanced journal never reaches IFS.
	const lines = parseLines(context, parseJsonArray(context, 'lines', itemIndex, '[{"account": "1930", "debit": "100.00"}]'), currency, amountDecimals, itemIndex);
	const totals = checkBalanced(context, lines, amountDecimals, itemIndex);
	const journal: Journal = {
		company: company as string,
		voucherType: String(context.getNodeParameter('voucherType', itemIndex, '') ?? '').trim(),
		date: String(context.getNodeParameter('voucherDate', itemIndex, '') ?? '').trim(),
		currency,
		reference,
		text: text || undefined,
		lines,
		amountDecimals,
	};
	if (!journal.voucherType || !journal.date) {
		throw operationError(context.getNode(), 'Voucher Type and Voucher Date are required', 'Use the voucher type your finance team set up for these journals.', itemIndex);
	}
	return await postOnce(context, client, names, journal, totals, context.getNodeParameter('method', itemIndex, 'voucherEntry') as string, itemIndex);
}

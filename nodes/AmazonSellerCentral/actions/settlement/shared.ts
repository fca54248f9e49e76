/**
 * Settlement parameters: the account-mapping table and journal options (what the finance team
 * decides), and how the node reads them for the settlement engine.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import type { AccountMappingRule, JournalOptions } from '../../settlement';

const JOURNAL_MODES = ['journalLines', 'journals'];

const ruleFields: INodeProperties[] = [
	{
		displayName: 'Transaction Type',
		name: 'transactionType',
		type: 'string',
		default: '',
		placeholder: 'e.g. Order',
		description: 'Matches transaction-type (case ignored); empty or * matches any, * inside a pattern any characters (e.g. *Tax)',
	},
	{
		displayName: 'Amount Type',
		name: 'amountType',
		type: 'string',
		default: '',
		placeholder: 'e.g. ItemFees',
		description: 'Matches amount-type (case ignored); empty or * matches any, * inside a pattern any characters (e.g. *Tax)',
	},
	{
		displayName: 'Amount Description',
		name: 'amountDescription',
		type: 'string',
		default: '',
		placeholder: 'e.g. Commission',
		description: 'Matches amount-description (case ignored); empty or * matches any, * inside a pattern any characters (e.g. *Tax)',
	},
	{ displayName: 'GL Account', name: 'account', type: 'string', default: '', placeholder: 'e.g. 6100', required: true },
	{ displayName: 'Cost Center', name: 'costCenter', type: 'string', default: '' },
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
		placeholder: 'e.g. Amazon fees {period}',
		description:
			'Line text; may use {transactionType}, {amountType}, {amountDescription}, {settlementId}, {period}. Lines with the same account, cost center and text are netted.',
	},
];

export function journalParameters(show: IDataObject): INodeProperties[] {
	const journal = { ...show, outputMode: JOURNAL_MODES };
	return [
		{
			displayName: 'Bank / Clearing Account',
			name: 'bankAccount',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 1360',
			displayOptions: { show: journal },
			description: 'GL account debited with the deposit (the bank, or an Amazon clearing account)',
		},
		{
			displayName: 'Account Mapping Source',
			name: 'mappingSource',
			type: 'options',
			default: 'table',
			displayOptions: { show: journal },
			options: [
				{ name: 'Table', value: 'table', description: 'Rules entered below' },
				{ name: 'JSON', value: 'json', description: 'Rules as a JSON array, e.g. from a data table or an earlier node' },
			],
		},
		{
			displayName: 'Account Mapping',
			name: 'accountMapping',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			placeholder: 'Add Rule',
			displayOptions: { show: { ...journal, mappingSource: ['table'] } },
			description: 'Rules are tried top to bottom; the first rule matching all three fields wins. Put specific rules above catch-alls.',
			options: [{ displayName: 'Rule', name: 'rules', values: ruleFields }],
		},
		{
			displayName: 'Account Mapping (JSON)',
			name: 'mappingJson',
			type: 'json',
			default: '[]',
			displayOptions: { show: { ...journal, mappingSource: ['json'] } },
			description:
				'Array of rules in table order: {"transactionType": "Order", "amountType": "ItemFees", "amountDescription": "*", "account": "6100", "costCenter": "MKT", "text": "Amazon fees"}',
		},
		{
			displayName: 'Split by Month',
			name: 'splitByMonth',
			type: 'boolean',
			default: false,
			displayOptions: { show: journal },
			description:
				'Whether to post each month of a settlement that spans a month end in its own month: month-end journals against a carry-forward account, released in the deposit journal, so the bank line still equals the deposit',
		},
		{
			displayName: 'Carry-Forward Account',
			name: 'carryForwardAccount',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 1369',
			displayOptions: { show: { ...journal, splitByMonth: [true] } },
			description: 'Balance-sheet account (Amazon receivable) that carries a month into the deposit journal',
		},
		{
			displayName: 'Journal Options',
			name: 'journalOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: journal },
			options: [
				{ displayName: 'Bank Cost Center', name: 'bankCostCenter', type: 'string', default: '' },
				{ displayName: 'Bank Line Text', name: 'bankText', type: 'string', default: '', placeholder: 'Amazon settlement {settlementId} deposit' },
				{ displayName: 'Carry-Forward Cost Center', name: 'carryForwardCostCenter', type: 'string', default: '' },
				{
					displayName: 'Carry-Forward Release Text',
					name: 'carryForwardReleaseText',
					type: 'string',
					default: '',
					placeholder: 'Amazon settlement {settlementId} release of carry-forward {period}',
				},
				{
					displayName: 'Carry-Forward Text',
					name: 'carryForwardText',
					type: 'string',
					default: '',
					placeholder: 'Amazon settlement {settlementId} carried forward from {period}',
				},
				{
					displayName: 'Journal Date',
					name: 'journalDate',
					type: 'options',
					default: 'deposit',
					options: [
						{ name: 'Deposit Date', value: 'deposit', description: 'The day Amazon pays out' },
						{ name: 'Settlement End Date', value: 'end', description: 'The last day of the settlement period' },
					],
				},
				{
					displayName: 'Journal Reference',
					name: 'referenceTemplate',
					type: 'string',
					default: '{key}',
					description:
						'Reference of each journal in the ERP; {key} is the settlement ID (plus :yyyy-MM per month when split), also {settlementId} and {period}. Keep it unique per journal so posting stays idempotent.',
				},
				{
					displayName: 'Suspense Account',
					name: 'suspenseAccount',
					type: 'string',
					default: '',
					description: 'Post categories without a mapping rule here instead of failing; empty means they go to the error output',
				},
				{ displayName: 'Suspense Cost Center', name: 'suspenseCostCenter', type: 'string', default: '' },
			],
		},
	];
}

/** Options for reading the flat file, for the Options collection. */
export const parseOptionFields: INodeProperties[] = [
	{
		displayName: 'Charset',
		name: 'charset',
		type: 'string',
		default: '',
		placeholder: 'e.g. windows-1252',
		description: 'Empty uses the Content-Type of the download, else windows-1252 (EU flat files); Shift_JIS for Japan',
	},
	{
		displayName: 'Date Order',
		name: 'slashDateOrder',
		type: 'options',
		default: 'auto',
		description: 'Order of dates written a/b/yyyy',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'From the first date that can only be read one way' },
			{ name: 'Day First (UK, FR)', value: 'dmy' },
			{ name: 'Month First (US)', value: 'mdy' },
		],
	},
	{
		displayName: 'Decimal Separator',
		name: 'decimalSeparator',
		type: 'options',
		default: 'auto',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'From the first amount that can only be read one way' },
			{ name: 'Comma (1.234,56)', value: ',' },
			{ name: 'Point (1,234.56)', value: '.' },
		],
	},
	{
		displayName: 'Max Lines',
		name: 'maxLines',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 100000,
		description: 'Lines output only: a settlement with more lines fails instead of filling memory (use Summary or Journal output). 0 means no limit.',
	},
	{
		displayName: 'Time Zone',
		name: 'timeZone',
		type: 'string',
		default: 'UTC',
		placeholder: 'e.g. Europe/Berlin',
		description: 'IANA zone whose calendar decides posting months and journal dates (your books\' zone)',
	},
];

export function readMappingRules(context: IExecuteFunctions, itemIndex: number): AccountMappingRule[] {
	if (context.getNodeParameter('mappingSource', itemIndex, 'table') === 'json') {
		let value = context.getNodeParameter('mappingJson', itemIndex, '[]') as unknown;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value || '[]');
			} catch (error) {
				throw operationError(context.getNode(), `Account Mapping (JSON) is not valid JSON: ${(error as Error).message}`, 'Give an array of rules, e.g. [{"amountType": "ItemFees", "account": "6100"}].', itemIndex);
			}
		}
		if (!Array.isArray(value)) throw operationError(context.getNode(), 'Account Mapping (JSON) is not an array', 'Give an array of rules, e.g. [{"amountType": "ItemFees", "account": "6100"}].', itemIndex);
		return value as AccountMappingRule[];
	}
	const rows = (context.getNodeParameter('accountMapping.rules', itemIndex, []) as IDataObject[]) ?? [];
	return rows.map((row) => ({
		transactionType: String(row.transactionType ?? ''),
		amountType: String(row.amountType ?? ''),
		amountDescription: String(row.amountDescription ?? ''),
		account: String(row.account ?? ''),
		costCenter: String(row.costCenter ?? ''),
		text: String(row.text ?? ''),
	}));
}

export interface NodeJournalOptions {
	journal: JournalOptions;
	/** 'end': the journal is dated at the settlement end instead of the deposit. */
	journalDate: 'deposit' | 'end';
	referenceTemplate: string;
}

export function readJournalOptions(context: IExecuteFunctions, itemIndex: number): NodeJournalOptions {
	const options = context.getNodeParameter('journalOptions', itemIndex, {}) as IDataObject;
	const text = (value: unknown) => (value === undefined || value === null ? undefined : String(value));
	const splitByMonth = context.getNodeParameter('splitByMonth', itemIndex, false) as boolean;
	return {
		journal: {
			bankAccount: String(context.getNodeParameter('bankAccount', itemIndex, '') ?? ''),
			bankCostCenter: text(options.bankCostCenter),
			bankText: text(options.bankText),
			splitByMonth,
			carryForwardAccount: splitByMonth ? String(context.getNodeParameter('carryForwardAccount', itemIndex, '') ?? '') : undefined,
			carryForwardCostCenter: text(options.carryForwardCostCenter),
			carryForwardText: text(options.carryForwardText),
			carryForwardReleaseText: text(options.carryForwardReleaseText),
			suspenseAccount: text(options.suspenseAccount),
			suspenseCostCenter: text(options.suspenseCostCenter),
		},
		journalDate: options.journalDate === 'end' ? 'end' : 'deposit',
		referenceTemplate: String(options.referenceTemplate ?? '') || '{key}',
	};
}

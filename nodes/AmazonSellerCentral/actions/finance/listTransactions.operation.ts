import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { dateWindow, optionsCollection, readLimit, returnAllAndLimit } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Select By',
		name: 'selectBy',
		type: 'options',
		default: 'postedDate',
		options: [
			{ name: 'Posted Date', value: 'postedDate', description: 'Transactions posted in a window (at most 180 days)' },
			{ name: 'Financial Event Group', value: 'eventGroup', description: 'Transactions of one settlement/disbursement group' },
		],
	},
	{
		displayName: 'Posted After',
		name: 'postedAfter',
		type: 'dateTime',
		default: '',
		required: true,
		displayOptions: { show: { selectBy: ['postedDate'] } },
	},
	{
		displayName: 'Posted Before',
		name: 'postedBefore',
		type: 'dateTime',
		default: '',
		displayOptions: { show: { selectBy: ['postedDate'] } },
		description: 'Empty or later than 2 minutes ago means 2 minutes ago',
	},
	{
		displayName: 'Financial Event Group ID',
		name: 'eventGroupId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { selectBy: ['eventGroup'] } },
	},
	...returnAllAndLimit,
	optionsCollection([
		{ displayName: 'Marketplace ID', name: 'marketplaceId', type: 'string', default: '' },
		{
			displayName: 'Transaction Status',
			name: 'transactionStatus',
			type: 'options',
			default: '',
			options: [
				{ name: 'Any', value: '' },
				{ name: 'Deferred', value: 'DEFERRED' },
				{ name: 'Deferred Released', value: 'DEFERRED_RELEASED' },
				{ name: 'Released', value: 'RELEASED' },
			],
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['finance'], operation: ['listTransactions'] } }, properties);

/** Finances 2024-06-19: amounts are numbers in `currencyAmount`; keep them exact downstream (decimal). */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const byGroup = context.getNodeParameter('selectBy', itemIndex, 'postedDate') === 'eventGroup';
	const query: Record<string, string | undefined> = {
		marketplaceId: String(context.getNodeParameter('options.marketplaceId', itemIndex, '') ?? '') || undefined,
		transactionStatus: String(context.getNodeParameter('options.transactionStatus', itemIndex, '') ?? '') || undefined,
	};
	if (byGroup) {
		query.relatedIdentifierName = 'FINANCIAL_EVENT_GROUP_ID';
		query.relatedIdentifierValue = String(context.getNodeParameter('eventGroupId', itemIndex, '')).trim();
	} else {
		const window = dateWindow(context.getNode(), itemIndex, context.getNodeParameter('postedAfter', itemIndex, ''), context.getNodeParameter('postedBefore', itemIndex, ''));
		query.postedAfter = window.after;
		query.postedBefore = window.before;
	}
	return await client.collect<IDataObject>(async (next) => {
		const response = await client.call<{ payload?: { transactions?: IDataObject[]; nextToken?: string } }>(
			{ operation: OPERATIONS.listTransactions, query: { ...query, nextToken: next } },
			itemIndex,
		);
		return { items: response.body.payload?.transactions ?? [], next: response.body.payload?.nextToken };
	}, readLimit(context, itemIndex));
}

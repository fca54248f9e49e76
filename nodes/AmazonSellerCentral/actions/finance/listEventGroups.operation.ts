import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { dateWindow, optionsCollection, readLimit, returnAllAndLimit } from '../shared';

const properties: INodeProperties[] = [
	{ displayName: 'Started After', name: 'startedAfter', type: 'dateTime', default: '', required: true },
	{
		displayName: 'Started Before',
		name: 'startedBefore',
		type: 'dateTime',
		default: '',
		description: 'Empty or later than 2 minutes ago means 2 minutes ago',
	},
	...returnAllAndLimit,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['finance'], operation: ['listEventGroups'] } }, properties);

/** Financial event groups (≈ settlements/disbursements); a closed group's ID matches the settlement. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const window = dateWindow(context.getNode(), itemIndex, context.getNodeParameter('startedAfter', itemIndex, ''), context.getNodeParameter('startedBefore', itemIndex, ''));
	return await client.collect<IDataObject>(async (next) => {
		const response = await client.call<{ payload?: { FinancialEventGroupList?: IDataObject[]; NextToken?: string } }>(
			{
				operation: OPERATIONS.listFinancialEventGroups,
				query: { FinancialEventGroupStartedAfter: window.after, FinancialEventGroupStartedBefore: window.before, MaxResultsPerPage: 100, NextToken: next },
			},
			itemIndex,
		);
		return { items: response.body.payload?.FinancialEventGroupList ?? [], next: response.body.payload?.NextToken };
	}, readLimit(context, itemIndex));
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection, readLimit, returnAllAndLimit } from '../shared';

const properties: INodeProperties[] = [
	{ displayName: 'Financial Event Group ID', name: 'eventGroupId', type: 'string', default: '', required: true },
	...returnAllAndLimit,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['finance'], operation: ['listEventsByGroup'] } }, properties);

/**
 * Finances v0 (deprecated by Amazon, while available): one output item per event, with its list
 * name as `eventType` (ShipmentEvent, RefundEvent, ServiceFeeEvent, …). Empty pages are skipped.
 */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const groupId = String(context.getNodeParameter('eventGroupId', itemIndex, '')).trim();
	return await client.collect<IDataObject>(async (next) => {
		const response = await client.call<{ payload?: { FinancialEvents?: Record<string, IDataObject[]>; NextToken?: string } }>(
			{ operation: OPERATIONS.listFinancialEventsByGroupId, pathParameters: { eventGroupId: groupId }, query: { MaxResultsPerPage: 100, NextToken: next } },
			itemIndex,
		);
		const events = Object.entries(response.body.payload?.FinancialEvents ?? {}).flatMap(([list, entries]) =>
			(Array.isArray(entries) ? entries : []).map((event) => ({ eventType: list.replace(/List$/, ''), financialEventGroupId: groupId, ...event })),
		);
		return { items: events, next: response.body.payload?.NextToken };
	}, readLimit(context, itemIndex));
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { COMMON_REPORT_TYPES, REPORT_TYPE_PATTERN, SETTLEMENT_REPORT_TYPE } from '../../reports/reportTypes';
import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { list, optionsCollection, readLimit, returnAllAndLimit } from '../shared';
import { readTimestamp } from './shared';

const PROCESSING_STATUSES = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'];

const properties: INodeProperties[] = [
	{
		displayName: 'Report Types',
		name: 'reportTypes',
		type: 'multiOptions',
		default: [],
		options: [...COMMON_REPORT_TYPES, { name: 'Settlement (V2 Flat File)', value: SETTLEMENT_REPORT_TYPE }],
		description: 'Together with Other Report Types: 1 to 10 types',
	},
	{
		displayName: 'Other Report Types',
		name: 'otherReportTypes',
		type: 'string',
		default: '',
		placeholder: 'e.g. GET_FBA_INVENTORY_PLANNING_DATA',
		description: 'Comma-separated report types not in the list',
	},
	...returnAllAndLimit,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{ displayName: 'Created Since', name: 'createdSince', type: 'dateTime', default: '', description: 'Default (and limit): 90 days ago' },
			{ displayName: 'Created Until', name: 'createdUntil', type: 'dateTime', default: '', description: 'Default: now' },
			{ displayName: 'Marketplace IDs', name: 'marketplaceIds', type: 'string', default: '', description: 'Comma-separated; reports covering any of them' },
			{
				displayName: 'Processing Statuses',
				name: 'processingStatuses',
				type: 'multiOptions',
				default: [],
				options: PROCESSING_STATUSES.map((status) => ({ name: status.replace(/_/g, ' ').toLowerCase().replace(/\b\w/g, (c) => c.toUpperCase()), value: status })),
			},
		],
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['report'], operation: ['getMany'] } }, properties);

/**
 * getReports, every page: the first call carries the filters, later calls only the nextToken
 * (Amazon refuses a nextToken sent with anything else).
 */
export async function listReports(client: SpApiClient, query: Record<string, string | string[] | number | undefined>, limit: number | undefined, itemIndex: number): Promise<IDataObject[]> {
	const pageSize = limit === undefined ? 100 : Math.min(100, Math.max(1, limit));
	return await client.collect<IDataObject>(async (next) => {
		const response = await client.call<{ reports?: IDataObject[]; nextToken?: string }>(
			{ operation: OPERATIONS.getReports, query: next ? { nextToken: next } : { ...query, pageSize } },
			itemIndex,
		);
		return { items: response.body.reports ?? [], next: response.body.nextToken };
	}, limit);
}

export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const chosen = (context.getNodeParameter('reportTypes', itemIndex, []) as string[]) ?? [];
	const other = (list(context.getNodeParameter('otherReportTypes', itemIndex, '')) ?? []).map((type) => type.toUpperCase());
	const reportTypes = [...new Set([...chosen, ...other])];
	const invalid = reportTypes.filter((type) => !REPORT_TYPE_PATTERN.test(type));
	if (invalid.length) throw operationError(context.getNode(), `Not report types: ${invalid.join(', ')}`, 'Report types look like GET_MERCHANT_LISTINGS_ALL_DATA.', itemIndex);
	if (reportTypes.length < 1 || reportTypes.length > 10) {
		throw operationError(context.getNode(), `${reportTypes.length} report types chosen`, 'Amazon lists reports for 1 to 10 report types per request; choose accordingly.', itemIndex);
	}
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const statuses = (filters.processingStatuses as string[] | undefined) ?? [];
	return await listReports(
		client,
		{
			reportTypes,
			processingStatuses: statuses.length ? statuses : undefined,
			marketplaceIds: list(filters.marketplaceIds),
			createdSince: readTimestamp(context, filters.createdSince, 'Created Since', itemIndex),
			createdUntil: readTimestamp(context, filters.createdUntil, 'Created Until', itemIndex),
		},
		readLimit(context, itemIndex),
		itemIndex,
	);
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { dateWindow, optionsCollection, readLimit, returnAllAndLimit } from '../shared';
import { type OrderSearch, type OrdersApiVersion, searchOrdersPage } from './search';
import { apiVersion, includedDataOption, includePersonalData, orderFilters, searchFilters } from './shared';

const properties: INodeProperties[] = [
	apiVersion,
	{
		displayName: 'Date Filter',
		name: 'dateFilter',
		type: 'options',
		default: 'lastUpdated',
		options: [
			{ name: 'Last Updated', value: 'lastUpdated', description: 'Orders created or changed in the window' },
			{ name: 'Created', value: 'created', description: 'Orders placed in the window' },
		],
	},
	{
		displayName: 'After',
		name: 'after',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Start of the window (UTC)',
	},
	{
		displayName: 'Before',
		name: 'before',
		type: 'dateTime',
		default: '',
		description: 'End of the window; empty or later than 2 minutes ago means 2 minutes ago (Amazon\'s limit)',
	},
	...returnAllAndLimit,
	orderFilters,
	includePersonalData,
	optionsCollection([
		includedDataOption,

	]),
];

export const description = updateDisplayOptions({ show: { resource: ['order'], operation: ['getMany'] } }, properties);

/** Orders in a window, page by page through next tokens; the getOrders quota is ~1 call per minute after a burst. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const version = context.getNodeParameter('apiVersion', itemIndex, '2026-01-01') as OrdersApiVersion;
	const window = dateWindow(context.getNode(), itemIndex, context.getNodeParameter('after', itemIndex, ''), context.getNodeParameter('before', itemIndex, ''));
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const limit = readLimit(context, itemIndex);
	const search: OrderSearch = {
		version,
		byCreation: context.getNodeParameter('dateFilter', itemIndex, 'lastUpdated') === 'created',
		...window,
		...searchFilters(filters, version, client.marketplaceIds),
		personal: context.getNodeParameter('includePersonalData', itemIndex, false) as boolean,
		includedData: version === 'v0' ? undefined : ((context.getNodeParameter('options.includedData', itemIndex, []) as string[]) ?? []),
		pageSize: Math.min(100, limit ?? 100),
	};
	return await client.collect<IDataObject>(async (token) => {
		const page = await searchOrdersPage(client, search, token, itemIndex);
		return { items: page.orders, next: page.next };
	}, limit);
}

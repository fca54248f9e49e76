import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { dateWindow, list, optionsCollection, readLimit, returnAllAndLimit } from '../shared';
import { type OrderSearch, type OrdersApiVersion, searchOrdersPage } from './search';
import { V0_STATUSES, V2026_INCLUDED_DATA, V2026_STATUSES, apiVersion, includePersonalData } from './shared';

const toOption = (value: string) => ({ name: value.replace(/_/g, ' ').toLowerCase().replace(/^./, (first) => first.toUpperCase()), value });

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
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Fulfilled By',
				name: 'fulfilledBy',
				type: 'options',
				default: '',
				options: [
					{ name: 'Any', value: '' },
					{ name: 'Amazon (FBA)', value: 'AMAZON' },
					{ name: 'Merchant', value: 'MERCHANT' },
				],
			},
			{
				displayName: 'Marketplace IDs',
				name: 'marketplaceIds',
				type: 'string',
				default: '',
				placeholder: 'A1PA6795UKMFR9, A13V1IB3VIYZZH',
				description: "Comma-separated; empty means the credential's marketplaces",
			},
			{
				displayName: 'Statuses (2026-01-01)',
				name: 'fulfillmentStatuses',
				type: 'multiOptions',
				default: [],
				options: V2026_STATUSES.map(toOption),
			},
			{
				displayName: 'Statuses (V0)',
				name: 'orderStatuses',
				type: 'multiOptions',
				default: [],
				options: V0_STATUSES.map((value) => ({ name: value, value })),
			},
		],
	},
	includePersonalData,
	optionsCollection([
		{
			displayName: 'Included Data (2026-01-01)',
			name: 'includedData',
			type: 'multiOptions',
			default: [],
			options: V2026_INCLUDED_DATA.map(toOption),
			description: 'Further data sets to include with each order',
		},
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
		marketplaceIds: list(filters.marketplaceIds) ?? client.marketplaceIds,
		statuses: list(version === 'v0' ? filters.orderStatuses : filters.fulfillmentStatuses),
		fulfilledBy: (filters.fulfilledBy as OrderSearch['fulfilledBy']) || undefined,
		personal: context.getNodeParameter('includePersonalData', itemIndex, false) as boolean,
		includedData: version === 'v0' ? undefined : ((context.getNodeParameter('options.includedData', itemIndex, []) as string[]) ?? []),
		pageSize: Math.min(100, limit ?? 100),
	};
	return await client.collect<IDataObject>(async (token) => {
		const page = await searchOrdersPage(client, search, token, itemIndex);
		return { items: page.orders, next: page.next };
	}, limit);
}

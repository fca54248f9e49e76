import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { toUtcTimestamp } from '../../../common/dates';
import { operationError } from '../../../common/errors';
import { inGroupsOf } from '../../../common/paging';
import { type SpApiClient } from '../../transport';
import { list, optionsCollection, readLimit, returnAllAndLimit } from '../shared';
import { readInventorySummaries } from './summaries';

/** Amazon accepts at most 50 SKUs per request. */
const SKUS_PER_REQUEST = 50;
const properties: INodeProperties[] = [
	{
		displayName: 'Marketplace Name or ID',
		name: 'marketplaceId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCredentialMarketplaces' },
		default: '',
		description:
			'FBA inventory is reported per marketplace. Empty means the first marketplace of the credential. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Include Details',
		name: 'details',
		type: 'boolean',
		default: true,
		description: 'Whether to include the quantity breakdown (fulfillable, inbound, reserved, researching, unfulfillable)',
	},
	{
		displayName: 'Changed Since',
		name: 'changedSince',
		type: 'dateTime',
		default: '',
		description:
			'Only SKUs whose quantities changed since then (at most 18 months back). Amazon ignores the SKU filter when this is set, and does not report changes of inbound quantities.',
	},
	{
		displayName: 'Seller SKUs',
		name: 'sellerSkus',
		type: 'string',
		default: '',
		placeholder: 'SKU-1, SKU-2',
		description: 'Comma-separated SKUs (any number: they are asked for 50 at a time); empty means all',
		displayOptions: { show: { changedSince: [''] } },
	},
	...returnAllAndLimit,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['inventory'], operation: ['getSummaries'] } }, properties);

/** FBA inventory summaries of one marketplace, every page, SKUs in groups of 50. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const marketplaceId = String(context.getNodeParameter('marketplaceId', itemIndex, '') || client.marketplaceIds[0]).trim();
	if (!client.marketplaceIds.includes(marketplaceId)) {
		throw operationError(
			client.node,
			`The marketplace ${marketplaceId} is not one of the credential's marketplaces`,
			`Choose one of ${client.marketplaceIds.join(', ')}, or add the marketplace to the credential (same region only).`,
			itemIndex,
		);
	}
	const details = context.getNodeParameter('details', itemIndex, true) as boolean;
	const changedSinceValue = context.getNodeParameter('changedSince', itemIndex, '');
	let changedSince: string | undefined;
	if (changedSinceValue) {
		try {
			changedSince = toUtcTimestamp(changedSinceValue);
		} catch (error) {
			throw operationError(client.node, `Changed Since: ${(error as Error).message}`, 'Use an ISO 8601 date/time, e.g. 2026-05-01T00:00:00Z.', itemIndex);
		}
	}
	const skus = changedSince ? undefined : list(context.getNodeParameter('sellerSkus', itemIndex, ''));
	const limit = readLimit(context, itemIndex);
	const skuGroups: Array<string[] | undefined> = skus ? inGroupsOf(skus, SKUS_PER_REQUEST) : [undefined];

	const results: IDataObject[] = [];
	for (const group of skuGroups) {
		if (limit !== undefined && results.length >= limit) break;
		const wanted = limit === undefined ? undefined : limit - results.length;
		results.push(...(await readInventorySummaries(client, { marketplaceId, details, changedSince, skus: group }, wanted, itemIndex)));
	}
	return results.map((summary) => ({ ...summary, marketplaceId }));
}

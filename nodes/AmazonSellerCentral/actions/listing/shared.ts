/** Parameters and checks shared by the listing quantity operations. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import type { SpApiClient } from '../../transport';
import { list } from '../shared';

export const FULFILLMENT_AVAILABILITY = '/attributes/fulfillment_availability';
/** Merchant-fulfilled; the AMAZON_* codes are FBA, whose quantity Amazon manages itself. */
export const MERCHANT_CHANNEL = 'DEFAULT';

export const sellerIdParameter: INodeProperties = {
	displayName: 'Seller ID (Merchant Token)',
	name: 'sellerId',
	type: 'string',
	default: '',
	description: "Empty means the credential's Seller ID",
};

export const skuParameter: INodeProperties = {
	displayName: 'SKU',
	name: 'sku',
	type: 'string',
	default: '',
	required: true,
	description: 'Seller SKU of the listing (any characters; it is URL-encoded for you)',
};

export const quantityParameter: INodeProperties = {
	displayName: 'Quantity',
	name: 'quantity',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 0 },
	default: 0,
	required: true,
	description: 'Units available for sale, merchant-fulfilled (FBA quantities are managed by Amazon)',
};

export const marketplaceParameter: INodeProperties = {
	displayName: 'Marketplace IDs',
	name: 'marketplaceIds',
	type: 'string',
	default: '',
	placeholder: 'ATVPDKIKX0DER',
	description: "Comma-separated; empty means the credential's first marketplace",
};

export const quantityOptions: INodeProperties[] = [
	{
		displayName: 'Handling Time (Days)',
		name: 'handlingTime',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 30, numberPrecision: 0 },
		default: 0,
		description: 'Sets lead_time_to_ship_max_days too; 0 means leave it as it is',
	},
	{
		displayName: 'Product Type',
		name: 'productType',
		type: 'string',
		default: '',
		placeholder: 'PRODUCT',
		description: "The listing's Amazon product type; empty means PRODUCT, which Amazon accepts for offer-only changes",
	},
	{
		displayName: 'Restock Date',
		name: 'restockDate',
		type: 'dateTime',
		default: '',
		description: 'When a sold-out item will be back in stock (shown to buyers)',
	},
];

export function sellerIdOf(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): string {
	const sellerId = String(context.getNodeParameter('sellerId', itemIndex, '') || client.sellerId).trim();
	if (!sellerId) {
		throw operationError(
			client.node,
			'No Seller ID (merchant token) is set',
			'Listings calls need it: copy it from Seller Central → Settings → Account Info → Merchant Token into the credential (Seller ID) or the node parameter.',
			itemIndex,
		);
	}
	return sellerId;
}

export function marketplacesOf(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): string[] {
	const chosen = list(context.getNodeParameter('marketplaceIds', itemIndex, '')) ?? [client.marketplaceIds[0]];
	const foreign = chosen.filter((id) => !client.marketplaceIds.includes(id));
	if (foreign.length) {
		throw operationError(client.node, `Not a marketplace of the credential: ${foreign.join(', ')}`, `Use ${client.marketplaceIds.join(', ')}, or add the marketplace to the credential (same region only).`, itemIndex);
	}
	return chosen;
}

/** A whole number of units, 0 or more; anything else is refused before Amazon sees it. */
export function quantityOf(client: SpApiClient, value: unknown, sku: string, itemIndex: number): number {
	const quantity = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 0) {
		throw operationError(client.node, `Quantity for SKU "${sku}" must be a whole number of 0 or more, not ${JSON.stringify(value)}`, 'Map the quantity from a numeric field, e.g. {{ Math.max(0, Math.floor($json.available)) }}.', itemIndex);
	}
	return quantity;
}

/** The merge patch on fulfillment_availability: only the given fields of the merchant channel change. */
export function quantityPatch(quantity: number, options: IDataObject): IDataObject {
	const value: IDataObject = { fulfillment_channel_code: MERCHANT_CHANNEL, quantity };
	const handlingTime = Number(options.handlingTime ?? 0);
	if (handlingTime > 0) value.lead_time_to_ship_max_days = handlingTime;
	if (options.restockDate) value.restock_date = String(options.restockDate).slice(0, 10);
	return { op: 'merge', path: FULFILLMENT_AVAILABILITY, value: [value] };
}

/** ERROR issues of a submission, as one readable line. */
export function describeIssues(issues: unknown): string {
	return (Array.isArray(issues) ? (issues as IDataObject[]) : [])
		.filter((issue) => issue.severity === 'ERROR')
		.map((issue) => `${String(issue.code ?? 'error')}: ${String(issue.message ?? '')}`)
		.join('; ');
}

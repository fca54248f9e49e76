import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { buildTrace, readTraceSource, traceOptions, withTrace } from '../../../common/trace';
import { AMAZON_SYSTEM, type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';
import {
	MERCHANT_CHANNEL,
	describeIssues,
	marketplaceParameter,
	marketplacesOf,
	quantityOf,
	quantityOptions,
	quantityParameter,
	quantityPatch,
	sellerIdOf,
	sellerIdParameter,
	skuParameter,
} from './shared';

const properties: INodeProperties[] = [
	skuParameter,
	quantityParameter,
	marketplaceParameter,
	sellerIdParameter,
	optionsCollection([
		...quantityOptions,
		...traceOptions,
		{
			displayName: 'Allow Conversion to Merchant-Fulfilled',
			name: 'allowFbaConversion',
			type: 'boolean',
			default: false,
			description: 'Whether a quantity may be set for an FBA listing, which makes it merchant-fulfilled (otherwise such an item fails)',
		},
		{
			displayName: 'Skip If Unchanged',
			name: 'skipUnchanged',
			type: 'boolean',
			default: true,
			description: 'Whether to read the listing first and send nothing when Amazon already has this quantity',
		},
		{
			displayName: 'Validation Preview',
			name: 'validationPreview',
			type: 'boolean',
			default: false,
			description: 'Whether to only validate the change (Amazon answers VALID or INVALID and changes nothing)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['listing'], operation: ['updateQuantity'] } }, properties);

/** The listing's fulfillment channels as Amazon has them now (code → quantity). */
async function readAvailability(client: SpApiClient, sellerId: string, sku: string, marketplaceIds: string[], itemIndex: number): Promise<Map<string, number | undefined>> {
	const response = await client.call<{ fulfillmentAvailability?: IDataObject[] }>(
		{ operation: OPERATIONS.getListingsItem, pathParameters: { sellerId, sku }, query: { marketplaceIds, includedData: ['fulfillmentAvailability'] } },
		itemIndex,
	);
	return new Map(
		(response.body.fulfillmentAvailability ?? []).map((entry) => [String(entry.fulfillmentChannelCode), typeof entry.quantity === 'number' ? entry.quantity : undefined]),
	);
}

/**
 * Sets the merchant-fulfilled quantity of one SKU with a merge patch (other fields of the offer
 * stay). Setting an absolute quantity is idempotent, so a retried run is harmless. ACCEPTED means
 * queued: Amazon applies it within minutes. INVALID fails the item with Amazon's issues.
 */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const sku = String(context.getNodeParameter('sku', itemIndex, '')).trim();
	if (!sku) throw operationError(client.node, 'SKU is empty', 'Map the seller SKU of the listing.', itemIndex);
	const quantity = quantityOf(client, context.getNodeParameter('quantity', itemIndex, undefined), sku, itemIndex);
	const sellerId = sellerIdOf(context, client, itemIndex);
	const marketplaceIds = marketplacesOf(context, client, itemIndex);
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const preview = options.validationPreview === true;
	const source = readTraceSource(context, itemIndex);
	const target = { system: AMAZON_SYSTEM, id: `listing ${sellerId}/${sku}` };

	// Read first: an FBA listing must not be turned merchant-fulfilled by a stock sync, and an
	// unchanged quantity needs no write.
	const availability = await readAvailability(client, sellerId, sku, marketplaceIds, itemIndex);
	const fbaChannel = [...availability.keys()].find((code) => code.startsWith('AMAZON_'));
	if (fbaChannel && !availability.has(MERCHANT_CHANNEL) && options.allowFbaConversion !== true) {
		throw operationError(
			client.node,
			`SKU "${sku}" is fulfilled by Amazon (${fbaChannel}); its quantity comes from FBA inventory`,
			'Setting a merchant quantity would convert the listing to merchant-fulfilled. Leave FBA SKUs out of the sync, or turn on "Allow Conversion to Merchant-Fulfilled" if that is intended.',
			itemIndex,
		);
	}
	const unchanged = availability.get(MERCHANT_CHANNEL) === quantity && !options.handlingTime && !options.restockDate;
	if (options.skipUnchanged !== false && !preview && unchanged) {
		return withTrace({ sku, quantity, status: 'UNCHANGED', marketplaceIds }, buildTrace(source, target, 'unchanged'));
	}
	const response = await client.call<IDataObject>(
		{
			operation: OPERATIONS.patchListingsItem,
			pathParameters: { sellerId, sku },
			query: { marketplaceIds, includedData: ['issues'], mode: preview ? 'VALIDATION_PREVIEW' : undefined },
			body: { productType: String(options.productType || 'PRODUCT'), patches: [quantityPatch(quantity, options)] },
		},
		itemIndex,
	);
	const result = response.body;
	if (result.status === 'INVALID') {
		throw operationError(
			client.node,
			`Amazon refused the quantity for SKU "${sku}": ${describeIssues(result.issues) || 'INVALID'}`,
			'Fix what the issues name (e.g. the SKU is FBA, or the product type is wrong: set Product Type in the options) and run again.',
			itemIndex,
		);
	}
	return withTrace(
		{ sku, quantity, status: result.status, submissionId: result.submissionId, issues: result.issues ?? [], marketplaceIds },
		buildTrace(source, target, preview ? 'read' : 'updated'),
	);
}

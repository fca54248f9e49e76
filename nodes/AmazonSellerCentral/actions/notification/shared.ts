/** Notification types offered by name, and the payload version Amazon expects for each. */
import type { INodeProperties } from 'n8n-workflow';

/** Payload versions Amazon documents per type where it is not 1.0. */
const PAYLOAD_VERSIONS: Record<string, string> = {
	FEED_PROCESSING_FINISHED: '2020-09-04',
	REPORT_PROCESSING_FINISHED: '2020-09-04',
};

export function payloadVersionOf(notificationType: string): string {
	return PAYLOAD_VERSIONS[notificationType] ?? '1.0';
}

export const notificationType: INodeProperties = {
	displayName: 'Notification Type',
	name: 'notificationType',
	type: 'options',
	default: 'ORDER_CHANGE',
	options: [
		{ name: 'Any Offer Changed', value: 'ANY_OFFER_CHANGED', description: 'Offer changes on ASINs the seller sells' },
		{ name: 'FBA Inventory Availability Changes', value: 'FBA_INVENTORY_AVAILABILITY_CHANGES', description: 'FBA quantities changed' },
		{ name: 'Feed Processing Finished', value: 'FEED_PROCESSING_FINISHED', description: 'A feed finished processing' },
		{ name: 'Fulfillment Order Status', value: 'FULFILLMENT_ORDER_STATUS', description: 'Multi-channel fulfillment order status changed' },
		{ name: 'Listings Item Issues Change', value: 'LISTINGS_ITEM_ISSUES_CHANGE', description: 'Issues of a listing changed' },
		{ name: 'Listings Item MFN Quantity Change', value: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE', description: 'Merchant-fulfilled quantity changed' },
		{ name: 'Listings Item Status Change', value: 'LISTINGS_ITEM_STATUS_CHANGE', description: 'A listing became buyable or not' },
		{ name: 'Order Change', value: 'ORDER_CHANGE', description: 'An order changed (status, buyer-requested cancellation, …)' },
		{ name: 'Report Processing Finished', value: 'REPORT_PROCESSING_FINISHED', description: 'A report finished processing' },
		{ name: 'Transaction Update', value: 'TRANSACTION_UPDATE', description: 'A financial transaction was posted or changed' },
	],
	description: 'Other types can be given with an expression (e.g. {{ "B2B_ANY_OFFER_CHANGED" }})',
};

export const destinationId: INodeProperties = {
	displayName: 'Destination ID',
	name: 'destinationId',
	type: 'string',
	default: '',
	required: true,
	description: 'From Create Destination or Get Many Destinations',
};

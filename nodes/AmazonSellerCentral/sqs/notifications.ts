/**
 * SP-API notifications as they arrive in SQS message bodies. Amazon writes most types in
 * PascalCase (`NotificationType`, `Payload`, `NotificationMetadata.NotificationId`) and some in
 * camelCase (REPORT_PROCESSING_FINISHED, FEED_PROCESSING_FINISHED: `notificationType`,
 * `payload`, `notificationMetadata.notificationId`); both are read. The identifiers a workflow
 * needs next (order id, report document id, SKU…) are lifted to the top of the item.
 */
import type { IDataObject } from 'n8n-workflow';

/** Types that can be delivered to SQS (Amazon's "Set up notifications using SQS" list); empty filter = all, so new types still arrive. */
export const NOTIFICATION_TYPES: Array<{ name: string; value: string }> = [
	{ name: 'Account Status Changed', value: 'ACCOUNT_STATUS_CHANGED' },
	{ name: 'Any Offer Changed', value: 'ANY_OFFER_CHANGED' },
	{ name: 'B2B Any Offer Changed', value: 'B2B_ANY_OFFER_CHANGED' },
	{ name: 'Detail Page Traffic Event', value: 'DETAIL_PAGE_TRAFFIC_EVENT' },
	{ name: 'External Fulfillment Shipment Status Change', value: 'EXTERNAL_FULFILLMENT_SHIPMENT_STATUS_CHANGE' },
	{ name: 'FBA Inventory Availability Changes', value: 'FBA_INVENTORY_AVAILABILITY_CHANGES' },
	{ name: 'FBA Outbound Shipment Status', value: 'FBA_OUTBOUND_SHIPMENT_STATUS' },
	{ name: 'Fee Promotion', value: 'FEE_PROMOTION' },
	{ name: 'Feed Processing Finished', value: 'FEED_PROCESSING_FINISHED' },
	{ name: 'Fulfillment Order Status', value: 'FULFILLMENT_ORDER_STATUS' },
	{ name: 'Item Inventory Event Change', value: 'ITEM_INVENTORY_EVENT_CHANGE' },
	{ name: 'Item Sales Event Change', value: 'ITEM_SALES_EVENT_CHANGE' },
	{ name: 'Listings Item Issues Change', value: 'LISTINGS_ITEM_ISSUES_CHANGE' },
	{ name: 'Listings Item MFN Quantity Change', value: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE' },
	{ name: 'Listings Item Status Change', value: 'LISTINGS_ITEM_STATUS_CHANGE' },
	{ name: 'Order Change', value: 'ORDER_CHANGE' },
	{ name: 'Pricing Health', value: 'PRICING_HEALTH' },
	{ name: 'Report Processing Finished', value: 'REPORT_PROCESSING_FINISHED' },
	{ name: 'Transaction Update', value: 'TRANSACTION_UPDATE' },
];

export interface ParsedNotification {
	ok: true;
	notification: IDataObject;
	/** Identifiers and times lifted from the notification (camelCase, whatever Amazon used). */
	summary: IDataObject;
	notificationType: string;
	notificationId?: string;
	/** The body was an SNS envelope whose Message held the notification. */
	unwrappedFrom?: 'sns';
}

export interface InvalidMessage {
	ok: false;
	/** Why the body is not an SP-API notification. */
	error: string;
}

type Json = IDataObject | undefined;

const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field in either spelling (`payload` / `Payload`). */
function field(source: unknown, name: string): unknown {
	if (!isObject(source)) return undefined;
	for (const key of [name, upperFirst(name), lowerFirst(name), name.toUpperCase()]) {
		if (source[key] !== undefined) return source[key];
	}
	return undefined;
}

function text(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim()) return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return undefined;
}

/** The first value found under any alias in `source` or one level below (payloads nest one wrapper deep). */
function find(source: unknown, aliases: string[], depth = 2): unknown {
	if (!isObject(source) || depth < 0) return undefined;
	for (const alias of aliases) {
		const value = field(source, alias);
		if (value !== undefined && value !== null && !isObject(value)) return value;
	}
	for (const child of Object.values(source)) {
		if (isObject(child)) {
			const value = find(child, aliases, depth - 1);
			if (value !== undefined) return value;
		}
	}
	return undefined;
}

/** Shallow-to-deep search for the seller: SellerId, SellingPartnerId, MerchantId. */
const SELLER = ['sellerId', 'sellingPartnerId', 'merchantId'];

function setIf(target: IDataObject, key: string, value: unknown): void {
	if (value === undefined || value === null || value === '') return;
	target[key] = value as IDataObject[string];
}

/** Type-specific identifiers, for the types with official schemas; a generic search for the rest. */
function identifiers(type: string, payload: Json): IDataObject {
	const ids: IDataObject = {};
	switch (type) {
		case 'ORDER_CHANGE': {
			const change = field(payload, 'OrderChangeNotification');
			const summary = field(change, 'Summary');
			setIf(ids, 'sellerId', text(field(change, 'SellerId')));
			setIf(ids, 'amazonOrderId', text(field(change, 'AmazonOrderId')));
			setIf(ids, 'orderChangeType', text(field(change, 'OrderChangeType')));
			setIf(ids, 'notificationLevel', text(field(change, 'NotificationLevel')));
			setIf(ids, 'marketplaceId', text(field(summary, 'MarketplaceId')));
			setIf(ids, 'orderStatus', text(field(summary, 'OrderStatus')));
			setIf(ids, 'fulfillmentType', text(field(summary, 'FulfillmentType')));
			const items = field(summary, 'OrderItems');
			if (Array.isArray(items)) {
				const skus = items.map((item) => text(field(item, 'SellerSKU')) ?? text(field(item, 'SellerSku'))).filter((sku): sku is string => sku !== undefined);
				if (skus.length) ids.skus = skus;
			}
			break;
		}
		case 'REPORT_PROCESSING_FINISHED': {
			const report = field(payload, 'reportProcessingFinishedNotification');
			for (const key of ['sellerId', 'accountId', 'reportId', 'reportType', 'processingStatus', 'reportDocumentId']) setIf(ids, key, text(field(report, key)));
			break;
		}
		case 'FEED_PROCESSING_FINISHED': {
			const feed = field(payload, 'feedProcessingFinishedNotification');
			for (const key of ['sellerId', 'accountId', 'feedId', 'feedType', 'processingStatus', 'resultFeedDocumentId']) setIf(ids, key, text(field(feed, key)));
			break;
		}
		case 'TRANSACTION_UPDATE': {
			const transaction = field(payload, 'TransactionUpdateNotification');
			const partner = field(transaction, 'SellingPartnerMetadata');
			setIf(ids, 'sellerId', text(field(partner, 'SellingPartnerId')));
			setIf(ids, 'marketplaceId', text(field(partner, 'MarketplaceId')));
			setIf(ids, 'accountType', text(field(partner, 'AccountType')));
			setIf(ids, 'transactionType', text(field(transaction, 'TransactionType')));
			setIf(ids, 'postedDate', text(field(transaction, 'PostedDate')));
			const total = field(transaction, 'TotalAmount');
			if (isObject(total)) ids.totalAmount = { currencyAmount: field(total, 'CurrencyAmount') as number, currencyCode: field(total, 'CurrencyCode') as string };
			const related = field(transaction, 'RelatedIdentifiers');
			if (Array.isArray(related)) {
				for (const entry of related) {
					const name = text(field(entry, 'RelatedIdentifierName'));
					const value = text(field(entry, 'RelatedIdentifierValue'));
					if (name && value) setIf(ids, name === 'OrderId' ? 'amazonOrderId' : lowerFirst(name), value);
				}
			}
			break;
		}
		case 'FBA_INVENTORY_AVAILABILITY_CHANGES': {
			setIf(ids, 'sellerId', text(field(payload, 'SellerId')));
			setIf(ids, 'sku', text(field(payload, 'SKU')) ?? text(field(payload, 'Sku')));
			setIf(ids, 'asin', text(field(payload, 'ASIN')) ?? text(field(payload, 'Asin')));
			setIf(ids, 'fnsku', text(field(payload, 'FNSKU')) ?? text(field(payload, 'Fnsku')));
			const markets = field(payload, 'FulfillmentInventoryByMarketplace');
			if (Array.isArray(markets)) {
				const marketplaceIds = markets.map((entry) => text(field(entry, 'MarketplaceId'))).filter((id): id is string => id !== undefined);
				if (marketplaceIds.length) ids.marketplaceIds = marketplaceIds;
			}
			break;
		}
		case 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE': {
			setIf(ids, 'sellerId', text(field(payload, 'SellerId')));
			setIf(ids, 'sku', text(field(payload, 'Sku')));
			setIf(ids, 'fulfillmentChannelCode', text(field(payload, 'FulfillmentChannelCode')));
			const quantity = field(payload, 'Quantity');
			if (typeof quantity === 'number') ids.quantity = quantity;
			break;
		}
		default:
			break;
	}
	// Generic: most other types carry these names somewhere near the top of the payload.
	if (ids.sellerId === undefined) setIf(ids, 'sellerId', text(find(payload, SELLER)));
	if (ids.amazonOrderId === undefined) setIf(ids, 'amazonOrderId', text(find(payload, ['amazonOrderId'])));
	if (ids.marketplaceId === undefined && ids.marketplaceIds === undefined) setIf(ids, 'marketplaceId', text(find(payload, ['marketplaceId'])));
	if (ids.sku === undefined && ids.skus === undefined) setIf(ids, 'sku', text(find(payload, ['sku', 'sellerSku', 'sellerSKU'])));
	if (ids.asin === undefined) setIf(ids, 'asin', text(find(payload, ['asin'])));
	return ids;
}

function parseJson(body: string): { value?: unknown; error?: string } {
	try {
		return { value: JSON.parse(body) as unknown };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/**
 * Reads one SQS message body. A notification needs a notification type and a payload; the
 * notification id may be missing (de-duplication then falls back to the SQS message id).
 */
export function parseNotificationBody(body: string | undefined): ParsedNotification | InvalidMessage {
	if (body === undefined || body === '') return { ok: false, error: 'The message has an empty body, not an SP-API notification' };
	const parsed = parseJson(body);
	if (parsed.error !== undefined) return { ok: false, error: `The message body is not JSON (${parsed.error}), so it is not an SP-API notification` };
	let value = parsed.value;
	let unwrappedFrom: 'sns' | undefined;
	// SQS subscribed to an SNS topic: the notification is the envelope's Message string.
	if (isObject(value) && value.Type === 'Notification' && typeof value.Message === 'string' && typeof value.TopicArn === 'string') {
		const inner = parseJson(value.Message);
		if (inner.error !== undefined) return { ok: false, error: `The SNS envelope's Message is not JSON (${inner.error}), so it is not an SP-API notification` };
		value = inner.value;
		unwrappedFrom = 'sns';
	}
	if (!isObject(value)) return { ok: false, error: `The message body is JSON but not an object (${Array.isArray(value) ? 'an array' : typeof value}), so it is not an SP-API notification` };
	const notificationType = text(field(value, 'notificationType'));
	if (!notificationType) return { ok: false, error: 'The message body has no NotificationType/notificationType: it is not an SP-API notification' };
	const payload = field(value, 'payload');
	if (!isObject(payload)) return { ok: false, error: `The ${notificationType} notification has no Payload/payload object` };
	const metadata = field(value, 'notificationMetadata');
	const notificationId = text(field(metadata, 'notificationId'));
	const summary: IDataObject = {
		notificationType,
		notificationId: notificationId ?? null,
		eventTime: text(field(value, 'eventTime')) ?? null,
		publishTime: text(field(metadata, 'publishTime')) ?? null,
		payloadVersion: text(field(value, 'payloadVersion')) ?? null,
		notificationVersion: text(field(value, 'notificationVersion')) ?? null,
		applicationId: text(field(metadata, 'applicationId')) ?? null,
		subscriptionId: text(field(metadata, 'subscriptionId')) ?? null,
		sellerId: null,
		...identifiers(notificationType, payload),
	};
	return { ok: true, notification: value, summary, notificationType, notificationId, unwrappedFrom };
}

/** Whether a type passes the filter (an empty filter passes everything). */
export function typeSelected(type: string, selected: string[]): boolean {
	return selected.length === 0 || selected.includes(type);
}


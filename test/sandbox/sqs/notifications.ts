/**
 * SP-API notification bodies as Amazon puts them on an SQS queue, one builder per type with a
 * stored JSON Schema (validated against it in test/unit/amazon/sqs-notifications.test.ts). Field
 * names and casing follow the schemas: PascalCase for most types, camelCase for
 * REPORT_PROCESSING_FINISHED (and FEED_PROCESSING_FINISHED, which has no stored schema).
 */
import { randomUUID } from 'node:crypto';

export type NotificationKind = 'ORDER_CHANGE' | 'REPORT_PROCESSING_FINISHED' | 'TRANSACTION_UPDATE' | 'FBA_INVENTORY_AVAILABILITY_CHANGES' | 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE' | 'FEED_PROCESSING_FINISHED';

export const SCHEMA_KINDS: NotificationKind[] = ['ORDER_CHANGE', 'REPORT_PROCESSING_FINISHED', 'TRANSACTION_UPDATE', 'FBA_INVENTORY_AVAILABILITY_CHANGES', 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE'];

const APPLICATION_ID = 'amzn1.sellerapps.app.aacccfff-4455-4b7c-4422-664ecacdd336';

export interface NotificationInput {
	notificationId?: string;
	sellerId?: string;
	/** Index used to vary ids (order ids, SKUs, report ids). */
	n?: number;
	eventTime?: string;
}

function metadataPascal(id: string, at: string) {
	return { ApplicationId: APPLICATION_ID, SubscriptionId: `subscription-id-${id}`, PublishTime: at, NotificationId: id };
}

function orderId(n: number): string {
	return `902-${String(3000000 + (n % 7000000)).padStart(7, '0')}-${String(1000000 + n).padStart(7, '0').slice(-7)}`;
}

export function orderChange(input: NotificationInput = {}): Record<string, unknown> {
	const n = input.n ?? 1;
	const id = input.notificationId ?? randomUUID();
	const at = input.eventTime ?? new Date(Date.UTC(2026, 9, 1, 12, 0, n % 60)).toISOString();
	return {
		NotificationVersion: '1.0',
		NotificationType: 'ORDER_CHANGE',
		PayloadVersion: '1.0',
		EventTime: at,
		Payload: {
			OrderChangeNotification: {
				NotificationLevel: 'OrderLevel',
				SellerId: input.sellerId ?? 'A3TH9S8BH6GOGM',
				AmazonOrderId: orderId(n),
				OrderChangeType: n % 5 === 0 ? 'BuyerRequestedChange' : 'OrderStatusChange',
				OrderChangeTrigger: { TimeOfOrderChange: at, ChangeReason: n % 5 === 0 ? 'Buyer Requested Cancel' : 'Order status changed' },
				Summary: {
					MarketplaceId: 'ATVPDKIKX0DER',
					OrderStatus: n % 3 === 0 ? 'Shipped' : 'Unshipped',
					PurchaseDate: at,
					DestinationPostalCode: '48110',
					FulfillmentType: n % 2 === 0 ? 'AFN' : 'MFN',
					OrderType: 'StandardOrder',
					NumberOfItemsShipped: 0,
					NumberOfItemsUnshipped: 2,
					OrderItems: [
						{ OrderItemId: `OIID${n}A`, SellerSKU: `SKU-${n}-A`, SupplySourceId: randomUUID(), OrderItemStatus: 'Unshipped', Quantity: 1, QuantityShipped: 0, IsBuyerRequestedCancel: false },
						{ OrderItemId: `OIID${n}B`, SellerSKU: `SKU-${n}-B`, SupplySourceId: randomUUID(), OrderItemStatus: 'Unshipped', Quantity: 1, QuantityShipped: 0, IsBuyerRequestedCancel: false },
					],
				},
			},
		},
		NotificationMetadata: metadataPascal(id, at),
	};
}

export function reportProcessingFinished(input: NotificationInput = {}): Record<string, unknown> {
	const n = input.n ?? 1;
	const id = input.notificationId ?? randomUUID();
	const at = input.eventTime ?? new Date(Date.UTC(2026, 9, 1, 13, 0, n % 60)).toISOString();
	const seller = input.sellerId ?? 'A3TH9S8BH6GOGM';
	return {
		notificationVersion: '2020-09-04',
		notificationType: 'REPORT_PROCESSING_FINISHED',
		payloadVersion: '2020-09-04',
		eventTime: at,
		payload: {
			reportProcessingFinishedNotification: {
				sellerId: seller,
				accountId: `amzn1.merchant.o.${seller}`,
				reportId: String(54517018000 + n),
				reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
				processingStatus: 'DONE',
				reportDocumentId: `amzn1.tortuga.3.${randomUUID()}.T${n}`,
			},
		},
		notificationMetadata: { applicationId: APPLICATION_ID, subscriptionId: `subscription-id-${id}`, publishTime: at, notificationId: id },
	};
}

export function feedProcessingFinished(input: NotificationInput = {}): Record<string, unknown> {
	const n = input.n ?? 1;
	const id = input.notificationId ?? randomUUID();
	const at = input.eventTime ?? new Date(Date.UTC(2026, 9, 1, 14, 0, n % 60)).toISOString();
	const seller = input.sellerId ?? 'A3TH9S8BH6GOGM';
	return {
		notificationVersion: '2020-09-04',
		notificationType: 'FEED_PROCESSING_FINISHED',
		payloadVersion: '2020-09-04',
		eventTime: at,
		payload: {
			feedProcessingFinishedNotification: {
				sellerId: seller,
				accountId: `amzn1.merchant.o.${seller}`,
				feedId: String(7000 + n),
				feedType: 'JSON_LISTINGS_FEED',
				processingStatus: 'DONE',
				resultFeedDocumentId: `amzn1.tortuga.4.${randomUUID()}`,
			},
		},
		notificationMetadata: { applicationId: APPLICATION_ID, subscriptionId: `subscription-id-${id}`, publishTime: at, notificationId: id },
	};
}

export function transactionUpdate(input: NotificationInput = {}): Record<string, unknown> {
	const n = input.n ?? 1;
	const id = input.notificationId ?? randomUUID();
	const at = input.eventTime ?? new Date(Date.UTC(2026, 9, 1, 15, 0, n % 60)).toISOString();
	return {
		NotificationVersion: '1.0',
		NotificationType: 'TRANSACTION_UPDATE',
		PayloadVersion: '1.0',
		EventTime: at,
		NotificationMetadata: metadataPascal(id, at),
		Payload: {
			TransactionUpdateNotification: {
				SellingPartnerMetadata: { SellingPartnerId: input.sellerId ?? 'A3TH9S8BH6GOGM', MarketplaceId: 'ATVPDKIKX0DER', AccountType: 'PAYABLE' },
				RelatedIdentifiers: [{ RelatedIdentifierName: 'OrderId', RelatedIdentifierValue: orderId(n) }],
				TransactionType: 'Shipment',
				PostedDate: at,
				TotalAmount: { CurrencyAmount: 10 + (n % 90) + 0.25, CurrencyCode: 'USD' },
			},
		},
	};
}

export function fbaInventoryAvailabilityChanges(input: NotificationInput = {}): Record<string, unknown> {
	const n = input.n ?? 1;
	const id = input.notificationId ?? randomUUID();
	const at = input.eventTime ?? new Date(Date.UTC(2026, 9, 1, 16, 0, n % 60)).toISOString();
	return {
		NotificationVersion: '1.0',
		NotificationType: 'FBA_INVENTORY_AVAILABILITY_CHANGES',
		PayloadVersion: '1.0',
		EventTime: at,
		Payload: {
			SellerId: input.sellerId ?? 'A3TH9S8BH6GOGM',
			FNSKU: `X00${String(n).padStart(7, '0')}`,
			ASIN: `B0${String(n).padStart(8, '0')}`,
			SKU: `FBA-SKU-${n}`,
			FulfillmentInventoryByMarketplace: [
				{
					MarketplaceId: 'ATVPDKIKX0DER',
					ItemName: `Item ${n}`,
					FulfillmentInventory: {
						InboundQuantityBreakdown: { Working: 0, Shipped: 5, Receiving: 10 },
						Fulfillable: 50 + n,
						Unfulfillable: 0,
						Researching: 0,
						ReservedQuantityBreakdown: { WarehouseProcessing: 5, WarehouseTransfer: 15, PendingCustomerOrder: 10 },
						FutureSupplyBuyable: 10,
						PendingCustomerOrderInTransit: 0,
					},
					Stores: [],
				},
			],
		},
		NotificationMetadata: metadataPascal(id, at),
	};
}

export function listingsItemMfnQuantityChange(input: NotificationInput = {}): Record<string, unknown> {
	const n = input.n ?? 1;
	const id = input.notificationId ?? randomUUID();
	const at = input.eventTime ?? new Date(Date.UTC(2026, 9, 1, 17, 0, n % 60)).toISOString();
	return {
		NotificationVersion: '1.0',
		NotificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE',
		PayloadVersion: '1.0',
		EventTime: at,
		Payload: { SellerId: input.sellerId ?? 'A3TH9S8BH6GOGM', FulfillmentChannelCode: 'DEFAULT', Sku: `MFN-SKU-${n}`, Quantity: n % 100 },
		NotificationMetadata: metadataPascal(id, at),
	};
}

export const BUILDERS: Record<NotificationKind, (input?: NotificationInput) => Record<string, unknown>> = {
	ORDER_CHANGE: orderChange,
	REPORT_PROCESSING_FINISHED: reportProcessingFinished,
	TRANSACTION_UPDATE: transactionUpdate,
	FBA_INVENTORY_AVAILABILITY_CHANGES: fbaInventoryAvailabilityChanges,
	LISTINGS_ITEM_MFN_QUANTITY_CHANGE: listingsItemMfnQuantityChange,
	FEED_PROCESSING_FINISHED: feedProcessingFinished,
};

/** The notification id of a built notification, whatever its casing. */
export function notificationIdOf(notification: Record<string, unknown>): string {
	const metadata = (notification.NotificationMetadata ?? notification.notificationMetadata) as Record<string, string>;
	return metadata.NotificationId ?? metadata.notificationId;
}

/**
 * The sandbox's internal records. One neutral model feeds every API: an order is rendered as a
 * v0 Order (PascalCase, Money {CurrencyCode, Amount:string}) or a 2026-01-01 Order (camelCase,
 * Money {currencyCode, amount:string}); a financial event as a v0 ShipmentEvent (Currency
 * {CurrencyCode, CurrencyAmount:number}), a 2024-06-19 Transaction ({currencyCode,
 * currencyAmount:number}) and rows of a settlement flat file. Amounts are integer minor units.
 */
import type { Region } from './marketplaces';

export type OrderStatusV0 = 'PendingAvailability' | 'Pending' | 'Unshipped' | 'PartiallyShipped' | 'Shipped' | 'Canceled' | 'Unfulfillable' | 'InvoiceUnconfirmed';

export const ORDER_STATUSES_V0: readonly OrderStatusV0[] = [
	'PendingAvailability',
	'Pending',
	'Unshipped',
	'PartiallyShipped',
	'Shipped',
	'Canceled',
	'Unfulfillable',
	'InvoiceUnconfirmed',
];

export const FULFILLMENT_STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export function fulfillmentStatusOf(status: OrderStatusV0): FulfillmentStatus {
	switch (status) {
		case 'PendingAvailability':
			return 'PENDING_AVAILABILITY';
		case 'Pending':
			return 'PENDING';
		case 'Unshipped':
			return 'UNSHIPPED';
		case 'PartiallyShipped':
			return 'PARTIALLY_SHIPPED';
		case 'Canceled':
			return 'CANCELLED';
		case 'Unfulfillable':
			return 'UNFULFILLABLE';
		default:
			return 'SHIPPED';
	}
}

export interface Product {
	sku: string;
	asin: string;
	fnSku: string;
	title: string;
	/** List price in US cents; converted per marketplace. */
	usdCents: number;
	/** FBA fee per unit in US cents. */
	fbaFeeUsdCents: number;
	fba: boolean;
}

export interface Address {
	name: string;
	companyName?: string;
	addressLine1: string;
	addressLine2?: string;
	city: string;
	stateOrRegion: string;
	postalCode: string;
	countryCode: string;
	phone: string;
	addressType: 'Residential' | 'Commercial';
}

export interface Buyer {
	name: string;
	email: string;
	companyName?: string;
	purchaseOrderNumber?: string;
	taxRegistrationId?: string;
}

export interface OrderItemRecord {
	orderItemId: string;
	sku: string;
	asin: string;
	title: string;
	quantity: number;
	quantityShipped: number;
	/** Per unit. */
	unitPrice: number;
	/** Totals for the line (minor units). */
	itemTax: number;
	shippingPrice: number;
	shippingTax: number;
	/** Shipping promotion (positive number; rendered as discount). */
	promotionDiscount: number;
	promotionId?: string;
	isGift: boolean;
	giftMessage?: string;
}

export interface OrderRecord {
	amazonOrderId: string;
	sellerId: string;
	marketplaceId: string;
	currency: string;
	sellerOrderId?: string;
	purchaseDate: number;
	lastUpdateDate: number;
	status: OrderStatusV0;
	fulfillmentChannel: 'AFN' | 'MFN';
	serviceLevel: 'Standard' | 'Expedited' | 'NextDay' | 'SecondDay';
	isPrime: boolean;
	isBusiness: boolean;
	earliestShipDate: number;
	latestShipDate: number;
	earliestDeliveryDate: number;
	latestDeliveryDate: number;
	shipDate?: number;
	carrier?: string;
	trackingNumber?: string;
	buyer: Buyer;
	address: Address;
	items: OrderItemRecord[];
}

export interface Component {
	type: string;
	/** Signed, seller's perspective, minor units. */
	amount: number;
}

export interface PromotionComponent extends Component {
	id: string;
}

export interface EventItem {
	sku: string;
	asin: string;
	title: string;
	orderItemId: string;
	orderAdjustmentItemId?: string;
	quantity: number;
	charges: Component[];
	fees: Component[];
	withheld: Component[];
	promotions: PromotionComponent[];
}

export type TransactionStatus = 'RELEASED' | 'DEFERRED' | 'DEFERRED_RELEASED';

export interface FinancialEvent {
	transactionId: string;
	kind: 'Shipment' | 'Refund' | 'ServiceFee';
	sellerId: string;
	marketplaceId: string;
	currency: string;
	postedDate: number;
	status: TransactionStatus;
	/** Deferred events: when the money is (or will be) released. */
	maturityDate?: number;
	orderId?: string;
	sellerOrderId?: string;
	shipmentId?: string;
	adjustmentId?: string;
	fulfillment?: 'AFN' | 'MFN';
	items: EventItem[];
	/** Event-level fees (service fees). */
	fees: Component[];
	feeDescription?: string;
	groupId?: string;
}

export interface EventGroup {
	groupId: string;
	settlementId: string;
	sellerId: string;
	currency: string;
	marketplaceIds: string[];
	start: number;
	/** Exclusive end of the period. */
	end: number;
	processingStatus: 'Open' | 'Closed';
	fundTransferStatus: 'Succeeded' | 'Initiated' | 'Unknown';
	fundTransferDate?: number;
	traceId?: string;
	accountTail: string;
	events: FinancialEvent[];
	total: number;
}

export interface InventoryRecord {
	sellerId: string;
	marketplaceId: string;
	sku: string;
	asin: string;
	fnSku: string;
	productName: string;
	condition: string;
	lastUpdatedTime: number;
	fulfillable: number;
	inboundWorking: number;
	inboundShipped: number;
	inboundReceiving: number;
	reserved: { pendingCustomerOrder: number; pendingTransshipment: number; fcProcessing: number };
	researching: { shortTerm: number; midTerm: number; longTerm: number };
	unfulfillable: { customerDamaged: number; warehouseDamaged: number; distributorDamaged: number; carrierDamaged: number; defective: number; expired: number };
}

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED';
export const PROCESSING_STATUSES: readonly ProcessingStatus[] = ['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE'];

export interface ReportRecord {
	reportId: string;
	sellerId: string;
	/** The LWA client that created it via createReport (REPORT_PROCESSING_FINISHED goes to that app only). */
	clientId?: string;
	reportType: string;
	marketplaceIds: string[];
	dataStartTime?: number;
	dataEndTime?: number;
	reportOptions?: Record<string, string>;
	reportScheduleId?: string;
	createdTime: number;
	status: ProcessingStatus;
	/** Where a created report ends up. */
	outcome: 'DONE' | 'FATAL' | 'CANCELLED';
	processingStartTime?: number;
	processingEndTime?: number;
	reportDocumentId?: string;
	/** getReport responses given so far (drives the lifecycle). */
	polls: number;
}

export interface DocumentRecord {
	documentId: string;
	sellerId: string;
	region: Region;
	/** Report documents (default) and feed documents live in one store but are never mixed up. */
	kind?: 'report' | 'feed';
	contentType: string;
	/** Feed input documents: created empty by createFeedDocument, filled by the pre-signed PUT. */
	awaitingUpload?: boolean;
	uploadedAt?: number;
	compression?: 'GZIP';
	/** Bytes as stored (gzip when compression is GZIP); built on first use when lazy. */
	bytes?: Buffer;
	build?: () => Buffer;
}

// ---- listings (Listings Items 2021-08-01) ----------------------------------------------------

/** One value of an attribute as the Listings API carries it (snake_case keys, arrays of objects). */
export type AttributeValue = Record<string, unknown>;

export interface ListingIssue {
	code: string;
	message: string;
	severity: 'ERROR' | 'WARNING' | 'INFO';
	attributeNames?: string[];
	categories: string[];
	marketplaceIds?: string[];
}

export interface ListingRecord {
	sellerId: string;
	sku: string;
	asin: string;
	/** FBA listings only. */
	fnSku?: string;
	productType: string;
	conditionType: string;
	itemName: string;
	/** Listed in these marketplaces (the seller's). */
	marketplaceIds: string[];
	createdDate: number;
	lastUpdatedDate: number;
	/** Top-level attributes, e.g. fulfillment_availability: [{ fulfillment_channel_code, quantity }]. */
	attributes: Record<string, AttributeValue[]>;
	issues: ListingIssue[];
}

export interface ListingSubmissionRecord {
	submissionId: string;
	sellerId: string;
	sku: string;
	/** Where it came from: patchListingsItem or a JSON_LISTINGS_FEED message. */
	source: 'patchListingsItem' | 'feed';
	feedId?: string;
	submittedAt: number;
	/** Sandbox time at which the change is applied. */
	applyAt: number;
	status: 'PENDING' | 'APPLIED' | 'DISCARDED';
}

// ---- feeds (Feeds 2021-06-30) --------------------------------------------------------------------

export interface FeedRecord {
	feedId: string;
	sellerId: string;
	/** The LWA client that created it (FEED_PROCESSING_FINISHED goes to that app only). */
	clientId: string;
	feedType: string;
	marketplaceIds: string[];
	feedOptions?: Record<string, string>;
	inputFeedDocumentId: string;
	createdTime: number;
	status: ProcessingStatus;
	outcome: 'DONE' | 'FATAL' | 'CANCELLED';
	processingStartTime?: number;
	processingEndTime?: number;
	resultFeedDocumentId?: string;
	/** getFeed responses given so far. */
	polls: number;
}

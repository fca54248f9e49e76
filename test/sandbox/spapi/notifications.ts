/**
 * Notifications API v1 (reference §10) and the delivery of notifications.
 *
 * Destinations are per application and region and need a grantless token (client_credentials,
 * scope sellingpartnerapi::notifications); subscriptions are per application + seller + type and
 * are created / read with the seller's token, while getSubscriptionById, deleteSubscriptionById
 * and sendTestNotification (sandbox hosts only) are grantless. The token kinds are enforced in
 * api-server.ts from the operation table.
 *
 * Delivery: events in the sandbox (orders added/changed through the data API, created reports and
 * feeds finishing, merchant quantities applied, FBA inventory updated) are turned into the
 * notification JSON exactly as SP-API puts it into the SQS message body, with
 * NotificationMetadata (camelCase for the camelCase types), and handed to the sink
 * (`sandbox.notifications.onDeliver`). Every delivery is also recorded.
 */
import { randomUUID } from 'node:crypto';

import type { ResolvedConfig } from './config';
import type { ApiContext, ApiResult, AppContext } from './context';
import { invalidInput, SpApiError } from './errors';
import { isFbaChannel } from './listings-seed';
import { marketplace, type Region } from './marketplaces';
import type { FeedRecord, FinancialEvent, InventoryRecord, OrderRecord, ReportRecord } from './model';
import { checkMaxItems, parseIntParam } from './query';
import type { DataStore, SellerData } from './store';
import { isoMillis, minorToNumber } from './util';

// ---- notification types ------------------------------------------------------------------

interface TypeSpec {
	payloadVersion: string;
	/** camelCase envelope (notificationVersion, notificationMetadata.applicationId, …) or PascalCase. */
	casing: 'pascal' | 'camel';
	/** The eventFilterType the type accepts in processingDirective.eventFilter, if any. */
	eventFilterType?: 'ORDER_CHANGE' | 'ANY_OFFER_CHANGED';
}

/** Types the sandbox accepts subscriptions for (Amazon's notification type values; payload versions per type). */
export const NOTIFICATION_TYPES: Readonly<Record<string, TypeSpec>> = {
	ANY_OFFER_CHANGED: { payloadVersion: '1.0', casing: 'pascal', eventFilterType: 'ANY_OFFER_CHANGED' },
	B2B_ANY_OFFER_CHANGED: { payloadVersion: '1.0', casing: 'pascal', eventFilterType: 'ANY_OFFER_CHANGED' },
	ORDER_CHANGE: { payloadVersion: '1.0', casing: 'pascal', eventFilterType: 'ORDER_CHANGE' },
	REPORT_PROCESSING_FINISHED: { payloadVersion: '2020-09-04', casing: 'camel' },
	FEED_PROCESSING_FINISHED: { payloadVersion: '2020-09-04', casing: 'camel' },
	LISTINGS_ITEM_MFN_QUANTITY_CHANGE: { payloadVersion: '1.0', casing: 'pascal' },
	LISTINGS_ITEM_STATUS_CHANGE: { payloadVersion: '1.0', casing: 'pascal' },
	LISTINGS_ITEM_ISSUES_CHANGE: { payloadVersion: '1.0', casing: 'pascal' },
	FBA_INVENTORY_AVAILABILITY_CHANGES: { payloadVersion: '1.0', casing: 'pascal' },
	TRANSACTION_UPDATE: { payloadVersion: '1.0', casing: 'pascal' },
	FULFILLMENT_ORDER_STATUS: { payloadVersion: '1.0', casing: 'pascal' },
};

/** Types the sandbox can produce payloads for (events and test notifications). */
export const DELIVERABLE_TYPES = [
	'ORDER_CHANGE',
	'REPORT_PROCESSING_FINISHED',
	'FEED_PROCESSING_FINISHED',
	'LISTINGS_ITEM_MFN_QUANTITY_CHANGE',
	'FBA_INVENTORY_AVAILABILITY_CHANGES',
	'TRANSACTION_UPDATE',
] as const;
export type DeliverableType = (typeof DELIVERABLE_TYPES)[number];

const ORDER_CHANGE_TYPES = ['BuyerRequestedChange', 'DeliveryTipChange', 'OrderStatusChange'];
const EVENT_FILTER_TYPES = ['ANY_OFFER_CHANGED', 'ORDER_CHANGE', 'SHIPMENT_TRACKING_MILESTONE_CHANGED'];
const AGGREGATION_PERIODS = ['FiveMinutes', 'TenMinutes'];
/** arn:aws:sqs:<region>:<12-digit account>:<queue name> (standard queues; names up to 80 characters). */
const SQS_ARN = /^arn:aws:sqs:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):([A-Za-z0-9_-]{1,80})$/;
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';

// ---- records -----------------------------------------------------------------------------

export interface DestinationResource {
	sqs?: { arn: string };
	eventBridge?: { name: string; region: string; accountId: string };
}

export interface NotificationDestination {
	destinationId: string;
	name: string;
	resource: DestinationResource;
	/** The application (LWA client) the destination belongs to. */
	clientId: string;
	/** The SP-API region it was created in. */
	region: Region;
}

export interface EventFilter {
	eventFilterType: string;
	marketplaceIds?: string[];
	orderChangeTypes?: string[];
	aggregationSettings?: { aggregationTimePeriod: string };
}

export interface ProcessingDirective {
	eventFilter?: EventFilter;
	filterExpression?: string;
}

export interface NotificationSubscription {
	subscriptionId: string;
	notificationType: string;
	payloadVersion: string;
	destinationId: string;
	processingDirective?: ProcessingDirective;
	clientId: string;
	sellerId: string;
	createdAt: number;
}

export interface DeliveredNotification {
	/** Sandbox time of delivery. */
	at: number;
	notificationType: string;
	notificationId: string;
	subscriptionId: string;
	destinationId: string;
	clientId: string;
	sellerId?: string;
	/** The SQS message body: the notification JSON text. */
	body: string;
	/** A second delivery of an earlier message (same NotificationId), as at-least-once delivery allows. */
	duplicate: boolean;
}

/** Receives every delivered message body (what would land in the SQS queue / EventBridge bus). */
export type NotificationSink = (destination: NotificationDestination, messageBody: string, delivery: DeliveredNotification) => void;

interface NotificationEvent {
	notificationType: DeliverableType;
	sellerId: string;
	/** Only this application's subscriptions (report/feed results go to the app that asked). */
	clientId?: string;
	marketplaceId?: string;
	orderChangeType?: string;
	eventTime: number;
	payload: Record<string, unknown>;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function parseBody(body: Buffer): Record<string, unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		throw invalidInput('The request body is not valid JSON.');
	}
	if (!isPlainObject(parsed)) throw invalidInput('The request body must be a JSON object.');
	return parsed;
}

const notFound = (details: string) => new SpApiError(404, 'NotFound', 'The resource specified does not exist.', details);

function renderDestination(d: NotificationDestination): Record<string, unknown> {
	return { name: d.name, destinationId: d.destinationId, resource: structuredClone(d.resource) };
}

function renderSubscription(s: NotificationSubscription): Record<string, unknown> {
	const out: Record<string, unknown> = { subscriptionId: s.subscriptionId, payloadVersion: s.payloadVersion, destinationId: s.destinationId };
	if (s.processingDirective) out.processingDirective = structuredClone(s.processingDirective);
	return out;
}

// ---- payloads ----------------------------------------------------------------------------

export function orderChangePayload(o: OrderRecord, changeType: string, at: number): Record<string, unknown> {
	const shipped = o.items.reduce((n, i) => n + i.quantityShipped, 0);
	const ordered = o.items.reduce((n, i) => n + i.quantity, 0);
	const programs = [...(o.isBusiness ? ['Business'] : []), ...(o.isPrime ? ['Prime'] : [])];
	return {
		OrderChangeNotification: {
			NotificationLevel: 'OrderLevel',
			SellerId: o.sellerId,
			AmazonOrderId: o.amazonOrderId,
			OrderChangeType: changeType,
			OrderChangeTrigger: { TimeOfOrderChange: isoMillis(at), ChangeReason: changeType === 'BuyerRequestedChange' ? 'Buyer Requested Cancel' : 'Order status changed' },
			Summary: {
				MarketplaceId: o.marketplaceId,
				OrderStatus: o.status,
				PurchaseDate: isoMillis(o.purchaseDate),
				DestinationPostalCode: o.address.postalCode,
				FulfillmentType: o.fulfillmentChannel,
				OrderType: 'StandardOrder',
				NumberOfItemsShipped: shipped,
				NumberOfItemsUnshipped: ordered - shipped,
				EarliestDeliveryDate: isoMillis(o.earliestDeliveryDate),
				LatestDeliveryDate: isoMillis(o.latestDeliveryDate),
				EarliestShipDate: isoMillis(o.earliestShipDate),
				LatestShipDate: isoMillis(o.latestShipDate),
				OrderPrograms: programs,
				ShippingPrograms: [],
				OrderItems: o.items.map((i) => ({
					OrderItemId: i.orderItemId,
					SellerSKU: i.sku,
					SupplySourceId: null,
					OrderItemStatus: i.quantityShipped >= i.quantity ? 'Shipped' : 'Unshipped',
					Quantity: i.quantity,
					QuantityShipped: i.quantityShipped,
					IsBuyerRequestedCancel: changeType === 'BuyerRequestedChange',
				})),
			},
		},
	};
}

export function reportFinishedPayload(r: ReportRecord): Record<string, unknown> {
	const body: Record<string, unknown> = {
		sellerId: r.sellerId,
		accountId: `amzn1.merchant.o.${r.sellerId}`,
		reportId: r.reportId,
		reportType: r.reportType,
		processingStatus: r.status,
	};
	if (r.reportDocumentId) body.reportDocumentId = r.reportDocumentId;
	return { reportProcessingFinishedNotification: body };
}

export function feedFinishedPayload(f: FeedRecord): Record<string, unknown> {
	const body: Record<string, unknown> = {
		sellerId: f.sellerId,
		accountId: `amzn1.merchant.o.${f.sellerId}`,
		feedId: f.feedId,
		feedType: f.feedType,
		processingStatus: f.status,
	};
	if (f.resultFeedDocumentId) body.resultFeedDocumentId = f.resultFeedDocumentId;
	return { feedProcessingFinishedNotification: body };
}

export function mfnQuantityPayload(sellerId: string, sku: string, code: string, quantity: number): Record<string, unknown> {
	return { SellerId: sellerId, FulfillmentChannelCode: code, Sku: sku, Quantity: quantity };
}

export function fbaInventoryPayload(seller: SellerData, sku: string): Record<string, unknown> | undefined {
	const rows = seller.marketplaceIds.flatMap((id) => seller.inventory.get(id)?.filter((r) => r.sku === sku) ?? []);
	if (rows.length === 0) return undefined;
	const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
	return {
		SellerId: seller.sellerId,
		FNSKU: rows[0].fnSku,
		ASIN: rows[0].asin,
		SKU: sku,
		FulfillmentInventoryByMarketplace: rows.map((r: InventoryRecord) => ({
			MarketplaceId: r.marketplaceId,
			ItemName: r.productName,
			FulfillmentInventory: {
				InboundQuantityBreakdown: { Working: r.inboundWorking, Shipped: r.inboundShipped, Receiving: r.inboundReceiving },
				Fulfillable: r.fulfillable,
				Unfulfillable: sum(r.unfulfillable),
				Researching: sum(r.researching),
				ReservedQuantityBreakdown: { WarehouseProcessing: r.reserved.fcProcessing, WarehouseTransfer: r.reserved.pendingTransshipment, PendingCustomerOrder: r.reserved.pendingCustomerOrder },
				FutureSupplyBuyable: 0,
				PendingCustomerOrderInTransit: 0,
			},
			Stores: [],
		})),
	};
}

export function transactionPayload(e: FinancialEvent): Record<string, unknown> {
	const items = e.items.flatMap((i) => [...i.charges, ...i.fees, ...i.withheld, ...i.promotions]);
	const total = [...items, ...e.fees].reduce((n, c) => n + c.amount, 0);
	const related = e.orderId ? [{ RelatedIdentifierName: 'OrderId', RelatedIdentifierValue: e.orderId }] : [];
	return {
		TransactionUpdateNotification: {
			SellingPartnerMetadata: { SellingPartnerId: e.sellerId, MarketplaceId: e.marketplaceId, AccountType: 'Standard Orders' },
			RelatedIdentifiers: related,
			TransactionType: e.kind,
			PostedDate: isoMillis(e.postedDate),
			TotalAmount: { CurrencyAmount: minorToNumber(total, e.currency), CurrencyCode: e.currency },
		},
	};
}

// ---- the service --------------------------------------------------------------------------

export class NotificationService {
	readonly destinations = new Map<string, NotificationDestination>();
	readonly subscriptions = new Map<string, NotificationSubscription>();
	readonly deliveries: DeliveredNotification[] = [];
	/** Errors thrown by the sink (delivery is not retried). */
	readonly sinkErrors: string[] = [];
	onDeliver: NotificationSink | undefined;

	constructor(
		private readonly config: ResolvedConfig,
		private readonly store: DataStore,
		private readonly now: () => number,
	) {}

	applicationId(clientId: string): string {
		return this.config.apps.find((a) => a.clientId === clientId)?.applicationId ?? clientId;
	}

	/** Destinations and subscriptions gone, deliveries forgotten (reset). The sink stays. */
	clear(): void {
		this.destinations.clear();
		this.subscriptions.clear();
		this.deliveries.length = 0;
		this.sinkErrors.length = 0;
	}

	// ---- destinations and subscriptions (shared by the API and the data helpers) ----------

	createDestination(clientId: string, region: Region, name: unknown, spec: unknown): NotificationDestination {
		if (typeof name !== 'string' || name.trim() === '') throw invalidInput('name is required: a developer-defined name for the destination.');
		if (name.length > 256) throw invalidInput('name must be at most 256 characters.');
		if (!isPlainObject(spec)) throw invalidInput('resourceSpecification is required: { sqs: { arn } } or { eventBridge: { region, accountId } }.');
		const kinds = ['sqs', 'eventBridge'].filter((k) => spec[k] !== undefined);
		if (kinds.length !== 1) throw invalidInput('resourceSpecification must name exactly one resource type: sqs or eventBridge.');
		const resource: DestinationResource = {};
		const mine = [...this.destinations.values()].filter((d) => d.clientId === clientId && d.region === region);
		const applicationId = this.applicationId(clientId);
		if (spec.sqs !== undefined) {
			const sqs = spec.sqs as { arn?: unknown };
			if (!isPlainObject(sqs) || typeof sqs.arn !== 'string') throw invalidInput('resourceSpecification.sqs.arn is required.');
			if (!SQS_ARN.test(sqs.arn)) {
				throw invalidInput(`Invalid SQS ARN: ${sqs.arn}.`, 'Expected arn:aws:sqs:<region>:<12-digit account id>:<queue name> of a standard queue.');
			}
			if (mine.some((d) => d.resource.sqs?.arn === sqs.arn)) {
				throw new SpApiError(409, 'Conflict', 'The requested resource conflict with a resource in the server.', `A destination with arn ${sqs.arn} already exists for the application ${applicationId}`);
			}
			resource.sqs = { arn: sqs.arn };
		} else {
			const eb = spec.eventBridge as { region?: unknown; accountId?: unknown };
			if (!isPlainObject(eb) || typeof eb.region !== 'string' || typeof eb.accountId !== 'string') throw invalidInput('resourceSpecification.eventBridge needs region and accountId.');
			if (!AWS_REGION.test(eb.region)) throw invalidInput(`Invalid AWS region: ${eb.region}.`);
			if (!/^\d{12}$/.test(eb.accountId)) throw invalidInput(`Invalid AWS account id: ${eb.accountId}. Expected 12 digits.`);
			if (mine.some((d) => d.resource.eventBridge?.accountId === eb.accountId && d.resource.eventBridge?.region === eb.region)) {
				throw new SpApiError(
					409,
					'Conflict',
					'The requested resource conflict with a resource in the server.',
					`An EventBridge destination for account ${eb.accountId} in ${eb.region} already exists for the application ${applicationId}`,
				);
			}
			resource.eventBridge = { name: `aws.partner/sellingpartnerapi.amazon/${eb.accountId}/${applicationId}`, region: eb.region, accountId: eb.accountId };
		}
		const destination: NotificationDestination = { destinationId: randomUUID(), name, resource, clientId, region };
		this.destinations.set(destination.destinationId, destination);
		return destination;
	}

	deleteDestination(clientId: string, region: Region, destinationId: string): void {
		const d = this.destinations.get(destinationId);
		if (!d || d.clientId !== clientId || d.region !== region) throw notFound(`Destination ${destinationId} was not found.`);
		if ([...this.subscriptions.values()].some((s) => s.destinationId === destinationId)) {
			throw new SpApiError(403, 'Unauthorized', 'The requested action is forbidden.', 'Destination has subscriptions');
		}
		this.destinations.delete(destinationId);
	}

	private checkDirective(type: string, spec: TypeSpec, raw: unknown): ProcessingDirective | undefined {
		if (raw === undefined) return undefined;
		if (!isPlainObject(raw)) throw invalidInput('processingDirective must be an object.');
		const unknown = Object.keys(raw).filter((k) => k !== 'eventFilter' && k !== 'filterExpression');
		if (unknown.length) throw invalidInput(`processingDirective: unknown properties ${unknown.join(', ')}.`);
		const { eventFilter, filterExpression } = raw;
		if (eventFilter !== undefined && filterExpression !== undefined) throw invalidInput('processingDirective: eventFilter and filterExpression are mutually exclusive.');
		const out: ProcessingDirective = {};
		if (filterExpression !== undefined) {
			if (typeof filterExpression !== 'string' || filterExpression.length < 1 || filterExpression.length > 256) throw invalidInput('processingDirective.filterExpression must be a CEL expression of 1 to 256 characters.');
			out.filterExpression = filterExpression;
		}
		if (eventFilter !== undefined) {
			if (!isPlainObject(eventFilter)) throw invalidInput('processingDirective.eventFilter must be an object.');
			const filterType = eventFilter.eventFilterType;
			if (typeof filterType !== 'string' || !EVENT_FILTER_TYPES.includes(filterType)) throw invalidInput(`processingDirective.eventFilter.eventFilterType must be one of ${EVENT_FILTER_TYPES.join(', ')}.`);
			if (!spec.eventFilterType) throw invalidInput(`Notification type ${type} does not support eventFilter.`);
			if (filterType !== spec.eventFilterType) throw invalidInput(`eventFilterType ${filterType} does not apply to notification type ${type}; use ${spec.eventFilterType}.`);
			const filter: EventFilter = { eventFilterType: filterType };
			const { marketplaceIds, orderChangeTypes, aggregationSettings } = eventFilter;
			if (marketplaceIds !== undefined) {
				if (!Array.isArray(marketplaceIds) || marketplaceIds.some((m) => typeof m !== 'string' || !marketplace(m))) throw invalidInput('eventFilter.marketplaceIds must be a list of marketplace ids.');
				filter.marketplaceIds = [...(marketplaceIds as string[])];
			}
			if (orderChangeTypes !== undefined) {
				if (filterType !== 'ORDER_CHANGE') throw invalidInput('eventFilter.orderChangeTypes applies to ORDER_CHANGE only.');
				if (!Array.isArray(orderChangeTypes) || orderChangeTypes.some((t) => typeof t !== 'string' || !ORDER_CHANGE_TYPES.includes(t))) {
					throw invalidInput(`eventFilter.orderChangeTypes must be a list of ${ORDER_CHANGE_TYPES.join(', ')}.`);
				}
				filter.orderChangeTypes = [...(orderChangeTypes as string[])];
			}
			if (aggregationSettings !== undefined) {
				if (filterType !== 'ANY_OFFER_CHANGED') throw invalidInput('eventFilter.aggregationSettings applies to ANY_OFFER_CHANGED only.');
				const period = isPlainObject(aggregationSettings) ? aggregationSettings.aggregationTimePeriod : undefined;
				if (typeof period !== 'string' || !AGGREGATION_PERIODS.includes(period)) throw invalidInput(`eventFilter.aggregationSettings.aggregationTimePeriod must be one of ${AGGREGATION_PERIODS.join(', ')}.`);
				filter.aggregationSettings = { aggregationTimePeriod: period };
			}
			out.eventFilter = filter;
		}
		return out;
	}

	createSubscription(clientId: string, sellerId: string, region: Region, type: string, body: Record<string, unknown>): NotificationSubscription {
		const spec = typeSpec(type);
		const { payloadVersion, destinationId, processingDirective } = body;
		if (typeof destinationId !== 'string' || destinationId === '') throw invalidInput('destinationId is required.');
		if (typeof payloadVersion !== 'string' || payloadVersion === '') throw invalidInput('payloadVersion is required.');
		if (payloadVersion !== spec.payloadVersion) throw invalidInput(`Invalid payloadVersion ${payloadVersion} for notification type ${type}; supported: ${spec.payloadVersion}.`);
		const destination = this.destinations.get(destinationId);
		if (!destination || destination.clientId !== clientId || destination.region !== region) {
			throw invalidInput(`No destination with id '${destinationId}' for applicationId '${this.applicationId(clientId)}'.`);
		}
		const directive = this.checkDirective(type, spec, processingDirective);
		if (this.findSubscription(clientId, sellerId, type)) {
			throw new SpApiError(409, 'StateConflict', 'The resource specified conflicts with the current state.', `Subscription already exist for notification type ${type}`);
		}
		const subscription: NotificationSubscription = { subscriptionId: randomUUID(), notificationType: type, payloadVersion, destinationId, clientId, sellerId, createdAt: this.now() };
		if (directive) subscription.processingDirective = directive;
		this.subscriptions.set(subscription.subscriptionId, subscription);
		return subscription;
	}

	findSubscription(clientId: string, sellerId: string, type: string, payloadVersion?: string): NotificationSubscription | undefined {
		return [...this.subscriptions.values()].find((s) => s.clientId === clientId && s.sellerId === sellerId && s.notificationType === type && (!payloadVersion || s.payloadVersion === payloadVersion));
	}

	// ---- delivery -------------------------------------------------------------------------

	private matches(s: NotificationSubscription, event: NotificationEvent): boolean {
		if (s.sellerId !== event.sellerId || s.notificationType !== event.notificationType) return false;
		if (event.clientId && s.clientId !== event.clientId) return false;
		const f = s.processingDirective?.eventFilter;
		if (f?.marketplaceIds && event.marketplaceId && !f.marketplaceIds.includes(event.marketplaceId)) return false;
		if (f?.orderChangeTypes && event.orderChangeType && !f.orderChangeTypes.includes(event.orderChangeType)) return false;
		return true;
	}

	/** The message body for one subscription, as SP-API writes it to SQS. */
	private message(type: string, subscription: NotificationSubscription | { subscriptionId: string; clientId: string }, eventTime: number, payload: Record<string, unknown>, notificationId: string): string {
		const spec = typeSpec(type);
		const publishTime = isoMillis(this.now());
		const applicationId = this.applicationId(subscription.clientId);
		if (spec.casing === 'camel') {
			return JSON.stringify({
				notificationVersion: spec.payloadVersion,
				notificationType: type,
				payloadVersion: spec.payloadVersion,
				eventTime: isoMillis(eventTime),
				payload,
				notificationMetadata: { applicationId, subscriptionId: subscription.subscriptionId, publishTime, notificationId },
			});
		}
		return JSON.stringify({
			NotificationVersion: '1.0',
			NotificationType: type,
			PayloadVersion: spec.payloadVersion,
			EventTime: isoMillis(eventTime),
			Payload: payload,
			NotificationMetadata: { ApplicationId: applicationId, SubscriptionId: subscription.subscriptionId, PublishTime: publishTime, NotificationId: notificationId },
		});
	}

	private deliver(destination: NotificationDestination, delivery: DeliveredNotification): DeliveredNotification {
		this.deliveries.push(delivery);
		if (this.onDeliver) {
			try {
				this.onDeliver(structuredClone(destination), delivery.body, { ...delivery });
			} catch (error) {
				this.sinkErrors.push(`${delivery.notificationId}: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		return delivery;
	}

	/** Delivers an event to every matching subscription; returns the deliveries. */
	publish(event: NotificationEvent): DeliveredNotification[] {
		const out: DeliveredNotification[] = [];
		for (const s of this.subscriptions.values()) {
			if (!this.matches(s, event)) continue;
			const destination = this.destinations.get(s.destinationId);
			if (!destination) continue;
			const notificationId = randomUUID();
			out.push(
				this.deliver(destination, {
					at: this.now(),
					notificationType: event.notificationType,
					notificationId,
					subscriptionId: s.subscriptionId,
					destinationId: destination.destinationId,
					clientId: s.clientId,
					sellerId: event.sellerId,
					body: this.message(event.notificationType, s, event.eventTime, event.payload, notificationId),
					duplicate: false,
				}),
			);
		}
		return out;
	}

	/** Delivers an earlier message again, byte for byte (same NotificationId). */
	redeliver(notificationId: string): DeliveredNotification {
		const first = this.deliveries.find((d) => d.notificationId === notificationId && !d.duplicate);
		if (!first) throw new Error(`redeliver: no delivered notification ${notificationId}`);
		const destination = this.destinations.get(first.destinationId);
		if (!destination) throw new Error(`redeliver: destination ${first.destinationId} is gone`);
		return this.deliver(destination, { ...first, at: this.now(), duplicate: true });
	}

	orderChanged(o: OrderRecord, at: number, changeType = 'OrderStatusChange'): DeliveredNotification[] {
		return this.publish({ notificationType: 'ORDER_CHANGE', sellerId: o.sellerId, marketplaceId: o.marketplaceId, orderChangeType: changeType, eventTime: at, payload: orderChangePayload(o, changeType, at) });
	}

	reportFinished(r: ReportRecord, at: number): DeliveredNotification[] {
		if (!r.clientId) return [];
		return this.publish({ notificationType: 'REPORT_PROCESSING_FINISHED', sellerId: r.sellerId, clientId: r.clientId, eventTime: at, payload: reportFinishedPayload(r) });
	}

	feedFinished(f: FeedRecord, at: number): DeliveredNotification[] {
		return this.publish({ notificationType: 'FEED_PROCESSING_FINISHED', sellerId: f.sellerId, clientId: f.clientId, eventTime: at, payload: feedFinishedPayload(f) });
	}

	mfnQuantityChanged(sellerId: string, sku: string, code: string, quantity: number, at: number): DeliveredNotification[] {
		if (isFbaChannel(code)) return [];
		return this.publish({ notificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE', sellerId, eventTime: at, payload: mfnQuantityPayload(sellerId, sku, code, quantity) });
	}

	inventoryChanged(seller: SellerData, sku: string, at: number): DeliveredNotification[] {
		const payload = fbaInventoryPayload(seller, sku);
		return payload ? this.publish({ notificationType: 'FBA_INVENTORY_AVAILABILITY_CHANGES', sellerId: seller.sellerId, eventTime: at, payload }) : [];
	}

	/** A realistic payload of a type from the seller's data (test notifications, deliverBatch). */
	samplePayload(type: string, seller: SellerData, index: number): { payload: Record<string, unknown>; marketplaceId?: string } {
		const pick = <T>(items: T[]): T => {
			if (items.length === 0) throw invalidInput(`The sandbox has no data for a ${type} test notification for seller ${seller.sellerId}.`);
			return items[(items.length - 1 - (index % items.length) + items.length) % items.length];
		};
		switch (type) {
			case 'ORDER_CHANGE': {
				const o = pick(seller.orders);
				return { payload: orderChangePayload(o, 'OrderStatusChange', o.lastUpdateDate), marketplaceId: o.marketplaceId };
			}
			case 'REPORT_PROCESSING_FINISHED': {
				const done = seller.reports.filter((r) => r.status === 'DONE');
				const r = done.length ? pick(done) : undefined;
				return { payload: reportFinishedPayload(r ?? { reportId: '0', sellerId: seller.sellerId, reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [], createdTime: 0, status: 'CANCELLED', outcome: 'CANCELLED', polls: 0 }) };
			}
			case 'FEED_PROCESSING_FINISHED': {
				const f = seller.feeds.length ? pick(seller.feeds) : undefined;
				const feed: FeedRecord = f && (f.status === 'DONE' || f.status === 'FATAL' || f.status === 'CANCELLED') ? f : { feedId: String(50_000 + index), sellerId: seller.sellerId, clientId: '', feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [], inputFeedDocumentId: '', createdTime: 0, status: 'CANCELLED', outcome: 'CANCELLED', polls: 0 };
				return { payload: feedFinishedPayload(feed) };
			}
			case 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE': {
				const listing = pick([...seller.listings.values()].filter((l) => (l.attributes.fulfillment_availability ?? []).some((v) => v.fulfillment_channel_code === 'DEFAULT')));
				const v = listing.attributes.fulfillment_availability.find((x) => x.fulfillment_channel_code === 'DEFAULT')!;
				return { payload: mfnQuantityPayload(seller.sellerId, listing.sku, 'DEFAULT', typeof v.quantity === 'number' ? v.quantity : 0) };
			}
			case 'FBA_INVENTORY_AVAILABILITY_CHANGES': {
				const row = pick(seller.inventory.get(seller.marketplaceIds[0]) ?? []);
				return { payload: fbaInventoryPayload(seller, row.sku)!, marketplaceId: row.marketplaceId };
			}
			case 'TRANSACTION_UPDATE': {
				const e = pick(seller.events);
				return { payload: transactionPayload(e), marketplaceId: e.marketplaceId };
			}
			default:
				throw invalidInput(`The sandbox cannot produce ${type} notifications; supported: ${DELIVERABLE_TYPES.join(', ')}.`);
		}
	}

	/**
	 * `count` distinct notifications of a type for a seller's subscriptions, plus deliberate
	 * duplicates: each of the first `duplicates` messages is delivered a second time (same body,
	 * same NotificationId) after the message that follows it, so duplicates also arrive out of order.
	 */
	deliverBatch(options: { notificationType?: DeliverableType; count: number; duplicates?: number; sellerId?: string }): DeliveredNotification[] {
		const type = options.notificationType ?? 'ORDER_CHANGE';
		const sellerId = options.sellerId ?? this.store.firstSellerId();
		const seller = this.store.seller(sellerId);
		const duplicates = options.duplicates ?? 0;
		if (!Number.isInteger(options.count) || options.count < 1) throw new Error('deliverBatch: count must be a positive integer');
		if (!Number.isInteger(duplicates) || duplicates < 0 || duplicates > options.count) throw new Error('deliverBatch: duplicates must be an integer between 0 and count');
		if (![...this.subscriptions.values()].some((s) => s.sellerId === sellerId && s.notificationType === type)) {
			throw new Error(`deliverBatch: seller ${sellerId} has no ${type} subscription; create a destination and a subscription first (API or sandbox.notifications.subscribe)`);
		}
		const out: DeliveredNotification[] = [];
		const perEvent: DeliveredNotification[][] = [];
		const again = (i: number) => {
			for (const d of perEvent[i]) out.push(this.redeliver(d.notificationId));
		};
		for (let i = 0; i < options.count; i++) {
			const { payload, marketplaceId } = this.samplePayload(type, seller, i);
			const delivered = this.publish({ notificationType: type, sellerId, marketplaceId, orderChangeType: 'OrderStatusChange', eventTime: this.now(), payload });
			out.push(...delivered);
			perEvent.push(delivered);
			if (i >= 1 && i - 1 < duplicates) again(i - 1);
		}
		if (duplicates === options.count) again(options.count - 1);
		return out;
	}

	/** sendTestNotification: one message of the type to one destination (or the app's subscribed ones). */
	sendTest(ctx: AppContext, type: string, body: Record<string, unknown>): DeliveredNotification[] {
		const spec = typeSpec(type);
		const test = body.testNotification;
		if (!isPlainObject(test)) throw invalidInput('testNotification is required: { payloadVersion, testScenario }.');
		if (typeof test.payloadVersion !== 'string' || test.payloadVersion !== spec.payloadVersion) throw invalidInput(`testNotification.payloadVersion must be ${spec.payloadVersion} for ${type}.`);
		if (typeof test.testScenario !== 'string' || test.testScenario.trim() === '') throw invalidInput('testNotification.testScenario must not be empty.');
		const clientId = ctx.token.clientId;
		let targets: Array<{ destination: NotificationDestination; subscriptionId: string; sellerId?: string }>;
		if (body.destinationId !== undefined) {
			const d = typeof body.destinationId === 'string' ? this.destinations.get(body.destinationId) : undefined;
			if (!d || d.clientId !== clientId || d.region !== ctx.region) throw invalidInput(`No destination with id '${String(body.destinationId)}' for applicationId '${this.applicationId(clientId)}'.`);
			const sub = [...this.subscriptions.values()].find((s) => s.clientId === clientId && s.notificationType === type && s.destinationId === d.destinationId);
			targets = [{ destination: d, subscriptionId: sub?.subscriptionId ?? `test-subscription-${randomUUID()}`, sellerId: sub?.sellerId }];
		} else {
			targets = [...this.subscriptions.values()]
				.filter((s) => s.clientId === clientId && s.notificationType === type && this.destinations.get(s.destinationId)?.region === ctx.region)
				.map((s) => ({ destination: this.destinations.get(s.destinationId)!, subscriptionId: s.subscriptionId, sellerId: s.sellerId }));
			if (targets.length === 0) throw invalidInput(`The application has no ${type} subscription in this region; pass a destinationId.`);
		}
		return targets.map((t) => {
			const sellerId = t.sellerId ?? this.sampleSellerFor(clientId, ctx.region);
			const { payload } = this.samplePayload(type, this.store.seller(sellerId), 0);
			const notificationId = randomUUID();
			return this.deliver(t.destination, {
				at: this.now(),
				notificationType: type,
				notificationId,
				subscriptionId: t.subscriptionId,
				destinationId: t.destination.destinationId,
				clientId,
				sellerId,
				body: this.message(type, { subscriptionId: t.subscriptionId, clientId }, this.now(), payload, notificationId),
				duplicate: false,
			});
		});
	}

	private sampleSellerFor(clientId: string, region: Region): string {
		const authorized = this.config.authorizations.find((a) => a.clientId === clientId && this.store.sellers.get(a.sellerId)?.region === region);
		const inRegion = [...this.store.sellers.values()].find((s) => s.region === region);
		const sellerId = authorized?.sellerId ?? inRegion?.sellerId;
		if (!sellerId) throw invalidInput(`The sandbox has no seller in region ${region} for a test notification.`);
		return sellerId;
	}
}

function typeSpec(type: string): TypeSpec {
	const spec = NOTIFICATION_TYPES[type];
	if (!spec) throw invalidInput(`Invalid notification type: ${type}.`, `Supported in the sandbox: ${Object.keys(NOTIFICATION_TYPES).join(', ')}.`);
	return spec;
}

// ---- handlers: grantless (destinations, subscriptions by id, test notification) -------------

export function checkNotificationsScope(ctx: AppContext): void {
	if (ctx.token.scope !== NOTIFICATIONS_SCOPE) {
		throw new SpApiError(403, 'Unauthorized', 'Access to requested resource is denied.', `This grantless operation needs a token with scope ${NOTIFICATIONS_SCOPE} (the token has ${ctx.token.scope ?? 'none'}).`);
	}
}

export function getDestinations(ctx: AppContext): ApiResult {
	const list = [...ctx.state.notifications.destinations.values()].filter((d) => d.clientId === ctx.token.clientId && d.region === ctx.region);
	return { status: 200, body: { payload: list.map(renderDestination) } };
}

export function createDestination(ctx: AppContext): ApiResult {
	const body = parseBody(ctx.body);
	const d = ctx.state.notifications.createDestination(ctx.token.clientId, ctx.region, body.name, body.resourceSpecification);
	return { status: 200, body: { payload: renderDestination(d) } };
}

function ownDestination(ctx: AppContext): NotificationDestination {
	const d = ctx.state.notifications.destinations.get(ctx.params.destinationId);
	if (!d || d.clientId !== ctx.token.clientId || d.region !== ctx.region) throw notFound(`Destination ${ctx.params.destinationId} was not found.`);
	return d;
}

export function getDestination(ctx: AppContext): ApiResult {
	return { status: 200, body: { payload: renderDestination(ownDestination(ctx)) } };
}

export function deleteDestination(ctx: AppContext): ApiResult {
	ctx.state.notifications.deleteDestination(ctx.token.clientId, ctx.region, ctx.params.destinationId);
	return { status: 200, body: {} };
}

function ownSubscriptionById(ctx: AppContext): NotificationSubscription {
	typeSpec(ctx.params.notificationType);
	const s = ctx.state.notifications.subscriptions.get(ctx.params.subscriptionId);
	const d = s && ctx.state.notifications.destinations.get(s.destinationId);
	if (!s || s.clientId !== ctx.token.clientId || s.notificationType !== ctx.params.notificationType || d?.region !== ctx.region) {
		throw notFound(`Subscription ${ctx.params.subscriptionId} for notification type ${ctx.params.notificationType} was not found.`);
	}
	return s;
}

export function getSubscriptionById(ctx: AppContext): ApiResult {
	return { status: 200, body: { payload: renderSubscription(ownSubscriptionById(ctx)) } };
}

export function deleteSubscriptionById(ctx: AppContext): ApiResult {
	const s = ownSubscriptionById(ctx);
	ctx.state.notifications.subscriptions.delete(s.subscriptionId);
	return { status: 200, body: {} };
}

export function sendTestNotification(ctx: AppContext): ApiResult {
	ctx.state.notifications.sendTest(ctx, ctx.params.notificationType, parseBody(ctx.body));
	return { status: 200, body: {} };
}

// ---- handlers: the seller's token -----------------------------------------------------------

export function createSubscription(ctx: ApiContext): ApiResult {
	const s = ctx.state.notifications.createSubscription(ctx.token.clientId, ctx.seller.sellerId, ctx.region, ctx.params.notificationType, parseBody(ctx.body));
	return { status: 200, body: { payload: renderSubscription(s) } };
}

export function getSubscription(ctx: ApiContext): ApiResult {
	const type = ctx.params.notificationType;
	typeSpec(type);
	const s = ctx.state.notifications.findSubscription(ctx.token.clientId, ctx.seller.sellerId, type, ctx.query.get('payloadVersion'));
	if (!s) throw notFound(`There is no subscription for notification type ${type}.`);
	return { status: 200, body: { payload: renderSubscription(s) } };
}

interface SubscriptionsToken {
	type: string;
	payloadVersion?: string;
	pageSize: number;
	offset: number;
}

export function getSubscriptions(ctx: ApiContext): ApiResult {
	const q = ctx.query;
	const types = checkMaxItems('notificationTypes', q.list('notificationTypes'), 1);
	if (!types) throw invalidInput('notificationTypes is required (one notification type per request).');
	typeSpec(types[0]);
	let state: SubscriptionsToken;
	const token = q.get('nextToken');
	if (token !== undefined) {
		const r = ctx.state.paging.resolve<SubscriptionsToken>(token, ctx.seller.sellerId, ctx.operation.name);
		if (!r.ok || r.state.type !== types[0]) throw invalidInput('Invalid nextToken.');
		state = r.state;
	} else {
		state = { type: types[0], payloadVersion: q.get('payloadVersion'), pageSize: parseIntParam('pageSize', q.get('pageSize'), 30, 100, 30), offset: 0 };
	}
	const all = [...ctx.state.notifications.subscriptions.values()]
		.filter((s) => s.clientId === ctx.token.clientId && s.sellerId === ctx.seller.sellerId && s.notificationType === state.type && (!state.payloadVersion || s.payloadVersion === state.payloadVersion))
		.sort((a, b) => a.createdAt - b.createdAt);
	const page = all.slice(state.offset, state.offset + state.pageSize);
	const payload: Record<string, unknown> = { subscriptions: page.map(renderSubscription) };
	if (state.offset + state.pageSize < all.length) payload.nextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { ...state, offset: state.offset + state.pageSize });
	return { status: 200, body: { payload } };
}

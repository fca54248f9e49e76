/**
 * Amazon Selling Partner API sandbox: local servers (127.0.0.1, random ports) that behave like
 * Login with Amazon, the SP-API endpoints of all three regions and the S3 storage behind report
 * documents, with seeded data, usage plans, fault injection, a contract hook and request stats.
 *
 * Plain Node module (no jest imports): usable from tests, demo scripts and benchmarks.
 *
 *   const sandbox = await startSpApiSandbox({ timeScale: 1000 });
 *   const undo = routeAmazonToSandbox(sandbox);   // real Amazon host names -> the sandbox (nock)
 *   // ... run the node against https://api.amazon.com and https://sellingpartnerapi-na.amazon.com
 *   undo();
 *   await sandbox.close();
 */
import { gunzipSync } from 'node:zlib';

import { ApiServer, type ContractViolation } from './api-server';
import { SandboxClock, type SpApiClockControls } from './clock';
import { resolveOptions, type RequestValidator, type ResolvedConfig, type SpApiSandboxOptions } from './config';
import type { SandboxState } from './context';
import { FaultController, type SpApiFaultControls } from './faults';
import { LwaServer, TokenService } from './lwa';
import { spApiHostName, type Region } from './marketplaces';
import type { AttributeValue, EventGroup, FeedRecord, FinancialEvent, InventoryRecord, ListingIssue, ListingRecord, ListingSubmissionRecord, OrderRecord, OrderStatusV0, ReportRecord } from './model';
import { NextTokenStore } from './paging';
import { TokenBucketLimiter } from './rate-limit';
import type { OrderOverrides } from './seed';
import { Stats, type SpApiStatsView } from './stats';
import { DataStore, type AddReportInput, type SeedCounts, type SellerData } from './store';
import { StorageServer, StorageService, type StorageViolation } from './storage';
import { applyPatches, mfnQuantities, notifyQuantityChanges, type PatchOperation } from './listings';
import { fbaChannelCode } from './listings-seed';
import { NotificationService, NOTIFICATION_TYPES, type DeliverableType, type DeliveredNotification, type NotificationDestination, type NotificationSink, type NotificationSubscription, type ProcessingDirective } from './notifications';
import { Scheduler } from './scheduler';
import { decodeWindows1252 } from './util';

export type { ContractViolation } from './api-server';
export type { SpApiClockControls } from './clock';
export type {
	ReportOutcome,
	ReportProcessingOptions,
	RequestValidator,
	SpApiAppOptions,
	SpApiAuthorizationOptions,
	SpApiSandboxOptions,
	SpApiSellerOptions,
	ValidatedRequest,
} from './config';
export { DEFAULT_APP, DEFAULT_SELLERS, defaultRefreshToken } from './config';
export type { FaultOptions, RequestMatcher, SpApiFaultControls } from './faults';
export { LWA_HOST, LWA_ORIGIN, MARKETPLACES, MARKETPLACE_IDS, SP_API_HOSTS, spApiHostName, type Region } from './marketplaces';
export type {
	AttributeValue,
	EventGroup,
	FeedRecord,
	FinancialEvent,
	InventoryRecord,
	ListingIssue,
	ListingRecord,
	ListingSubmissionRecord,
	OrderRecord,
	OrderStatusV0,
	ReportRecord,
} from './model';
export { FEED_ISSUE_CODES, JSON_LISTINGS_FEED } from './feeds';
export { INVALID_ATTRIBUTE_CODE } from './listings';
export { fbaChannelCode, isFbaChannel } from './listings-seed';
export { DELIVERABLE_TYPES, NOTIFICATION_TYPES } from './notifications';
export type { DeliverableType, DeliveredNotification, DestinationResource, EventFilter, NotificationDestination, NotificationSink, NotificationSubscription, ProcessingDirective } from './notifications';
export { SELLERS_MODEL_INFERRED } from './sellers';
export { OPERATIONS, type OperationName } from './operations';
export { routeAmazonToSandbox, type RouteOptions, type SpApiEndpoints } from './route';
export { SETTLEMENT_COLUMNS, SETTLEMENT_REPORT_TYPES } from './settlement';
export type { RequestLogEntry, ServerKind, SpApiStatsView, OperationStats } from './stats';
export type { AddReportInput, SeedCounts } from './store';
export type { StorageViolation } from './storage';
export { decodeWindows1252, encodeWindows1252 } from './util';

/** One seller authorization as a node credential would hold it. */
export interface SpApiCredentials {
	clientId: string;
	clientSecret: string;
	refreshToken: string;
	sellerId: string;
	region: Region;
	marketplaceIds: string[];
}

export interface SpApiSandboxData {
	/** Counts of the last seeding. */
	readonly seeded: SeedCounts;
	/** The instant the seeded data ends at (option `anchor`). */
	readonly anchor: number;
	sellerIds(): string[];
	/** Copies, sorted by purchase date. */
	orders(sellerId?: string): OrderRecord[];
	order(amazonOrderId: string): OrderRecord | undefined;
	/** A new order "placed now" (sandbox clock) unless `purchaseDate` is given. Default status Unshipped. */
	addOrder(input?: OrderOverrides & { sellerId?: string }): OrderRecord;
	/** Amazon changes an order: new status and/or LastUpdateDate (default: the sandbox clock's now). */
	updateOrder(amazonOrderId: string, changes: { status?: OrderStatusV0; lastUpdateDate?: number | string | Date }): OrderRecord;
	/** Financial event groups (with their events) of a seller. */
	financialEventGroups(sellerId?: string): EventGroup[];
	financialEvents(sellerId?: string): FinancialEvent[];
	inventory(sellerId?: string, marketplaceId?: string): InventoryRecord[];
	updateInventory(sku: string, changes: { fulfillable?: number; inboundWorking?: number; inboundShipped?: number; inboundReceiving?: number }, where?: { sellerId?: string; marketplaceId?: string }): InventoryRecord;
	reports(sellerId?: string): ReportRecord[];
	/** Listings as they are now (accepted submissions still pending are not applied), by SKU. */
	listings(sellerId?: string): ListingRecord[];
	listing(sku: string, sellerId?: string): ListingRecord | undefined;
	/**
	 * Amazon changes (or creates) a listing at once, without a submission: `quantity` sets the
	 * merchant quantity of `fulfillmentChannelCode` (default DEFAULT) and publishes
	 * LISTINGS_ITEM_MFN_QUANTITY_CHANGE when it changed; `attributes` replace the named top-level
	 * attributes; `issues` replace the listing's issues. A new SKU becomes an MFN listing (or FBA
	 * with `fba: true`).
	 */
	setListing(sku: string, input: ListingInput, sellerId?: string): ListingRecord;
	removeListing(sku: string, sellerId?: string): boolean;
	/** Accepted listings submissions (patchListingsItem and feed messages) with PENDING / APPLIED. */
	listingSubmissions(sellerId?: string): ListingSubmissionRecord[];
	feeds(sellerId?: string): FeedRecord[];
	/** A document's bytes as the storage serves them (gzip when compressed). */
	documentBytes(reportDocumentId: string): Buffer;
	/** A document's text (report, feed input or feed result): gunzipped and decoded with its charset. */
	documentText(reportDocumentId: string): string;
	/** Back to the seeded data. */
	reset(): void;
}

export interface ListingInput {
	quantity?: number;
	fulfillmentChannelCode?: string;
	attributes?: Record<string, AttributeValue[]>;
	issues?: ListingIssue[];
	productType?: string;
	itemName?: string;
	/** New listings only: Amazon-fulfilled (the region's AMAZON_* channel, no quantity). */
	fba?: boolean;
}

/** Notifications: what was delivered, the sink, and helpers that skip the HTTP calls. */
export interface SpApiNotificationControls {
	/** Called with every delivered message body (what SP-API writes into the SQS queue). */
	onDeliver: NotificationSink | undefined;
	/** Copies of the deliveries so far, oldest first. */
	deliveries(filter?: { notificationType?: string; destinationId?: string; sellerId?: string }): DeliveredNotification[];
	clearDeliveries(): void;
	destinations(): NotificationDestination[];
	subscriptions(): NotificationSubscription[];
	/** As createDestination does (same checks, 409 as SpApiError). Default app: the first; region: its first authorization's. */
	createDestination(input: { name?: string; sqsArn?: string; eventBridge?: { region: string; accountId: string }; clientId?: string; region?: Region }): NotificationDestination;
	/** As createSubscription does. Defaults: the first seller, its first authorization's app, the type's payloadVersion. */
	subscribe(input: { notificationType: string; destinationId: string; sellerId?: string; clientId?: string; payloadVersion?: string; processingDirective?: ProcessingDirective }): NotificationSubscription;
	/**
	 * `count` distinct notifications of a type (default ORDER_CHANGE) from the seller's data, to
	 * its subscriptions; the first `duplicates` of them are delivered a second time (same body and
	 * NotificationId) after the next one.
	 */
	deliverBatch(options: { notificationType?: DeliverableType; count: number; duplicates?: number; sellerId?: string }): DeliveredNotification[];
	/** Deliver an earlier message again (same NotificationId). */
	redeliver(notificationId: string): DeliveredNotification;
	/** Errors the sink threw. */
	readonly sinkErrors: readonly string[];
}

export interface SpApiSandbox {
	/** http://127.0.0.1:<port> of the LWA server (api.amazon.com). */
	readonly lwaUrl: string;
	/** `<lwaUrl>/auth/o2/token` */
	readonly tokenUrl: string;
	/** http://127.0.0.1:<port> of the SP-API server (all regions). */
	readonly apiUrl: string;
	/** http://127.0.0.1:<port> of the report storage. */
	readonly storageUrl: string;
	/** Host name in pre-signed document URLs (routeAmazonToSandbox intercepts it). */
	readonly storageHost: string;
	readonly ports: { lwa: number; api: number; storage: number };
	readonly timeScale: number;
	/** Every configured authorization with its app's client id/secret. */
	readonly authorizations: readonly SpApiCredentials[];
	/** Credentials of a seller's first authorization (default: the first seller). */
	credentials(sellerIdOrRegion?: string): SpApiCredentials;
	/** `{ 'x-forwarded-host': 'sellingpartnerapi-<region>.amazon.com' }` for direct calls to apiUrl. */
	hostHeaders(region: Region, sandboxHost?: boolean): Record<string, string>;
	/** Mint a seller access token without HTTP (not counted as issued). */
	issueAccessToken(sellerIdOrRefreshToken?: string): string;
	revokeRefreshToken(refreshToken: string): void;
	/** The old secret stops working (invalid_client). */
	rotateClientSecret(clientId: string, newSecret: string): void;
	setRestrictedRole(clientId: string, value: boolean): void;
	/** Every access token and RDT becomes invalid (same as faults.expireAllTokens()). */
	expireAllTokens(): void;
	/** A report (with its document) as Amazon would have it; DONE by default. */
	addReport(input: AddReportInput): { reportId: string; reportDocumentId?: string };
	/** Final status of reports created from now on. */
	setReportOutcome(reportType: string, outcome: 'DONE' | 'FATAL' | 'CANCELLED'): void;
	/** Final status of feeds created from now on. */
	setFeedOutcome(feedType: string, outcome: 'DONE' | 'FATAL' | 'CANCELLED'): void;
	/** Mint an application's grantless token (scope sellingpartnerapi::notifications) without HTTP. */
	issueGrantlessToken(clientId?: string, scope?: string): string;
	readonly notifications: SpApiNotificationControls;
	/** Errors thrown by background work (applying submissions, finishing reports/feeds); should stay empty. */
	readonly backgroundErrors: readonly string[];
	/** The contract hook (option validateRequest); assign or clear at any time. */
	validateRequest: RequestValidator | undefined;
	/** Requests the hook found fault with, oldest first. */
	readonly contractViolations: readonly ContractViolation[];
	/** Storage requests that carried x-amz-access-token or Authorization (refused with 403). */
	readonly storageViolations: readonly StorageViolation[];
	readonly faults: SpApiFaultControls;
	readonly stats: SpApiStatsView;
	readonly clock: SpApiClockControls;
	readonly data: SpApiSandboxData;
	/**
	 * Re-seed data, clear faults, stats, rate buckets, next tokens, violations and revocations /
	 * rotations, pending background work, destinations, subscriptions and deliveries (the sink
	 * stays); clock back to real time; report and feed outcomes back to the options. Issued access
	 * tokens stay valid.
	 */
	reset(): void;
	/** Close all servers and sockets. */
	close(): Promise<void>;
}

const instant = (v: number | string | Date) => (typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v.getTime());

export async function startSpApiSandbox(options: SpApiSandboxOptions = {}): Promise<SpApiSandbox> {
	const config: ResolvedConfig = resolveOptions(options);
	const clock = new SandboxClock();
	const stats = new Stats(config.requestLogLimit);
	const tokens = new TokenService(config, clock.now);
	const faults = new FaultController(() => tokens.expireAll());
	const store = new DataStore(config);
	store.seed();
	const paging = new NextTokenStore(clock.now);
	const storage = new StorageService(config, clock.now);
	const limiter = new TokenBucketLimiter(config.timeScale, config.usagePlans, config.rateLimits);
	const scheduler = new Scheduler(clock.now, () => clock.frozen);
	clock.onChange = () => scheduler.pump();
	storage.documentKind = (id) => store.documents.get(id)?.kind;
	const notifications = new NotificationService(config, store, clock.now);
	notifications.onDeliver = options.onNotification;
	const state: SandboxState = {
		config,
		now: clock.now,
		store,
		tokens,
		paging,
		presigner: storage,
		scheduler,
		notifications,
		reportOutcomes: { ...config.reportOutcomes },
		feedOutcomes: { ...config.feedOutcomes },
	};
	let validator: RequestValidator | undefined = config.validateRequest;

	const lwa = new LwaServer(stats, faults, config.maxBodyBytes, tokens);
	const api = new ApiServer(stats, faults, config.maxBodyBytes, state, limiter, () => validator);
	const storageServer = new StorageServer(stats, faults, config.maxBodyBytes, storage, store, clock.now);
	const [lwaUrl, apiUrl, storageUrl] = await Promise.all([lwa.listen(config.ports.lwa), api.listen(config.ports.api), storageServer.listen(config.ports.storage)]);
	storage.localOrigin = storageUrl;

	const appOf = (clientId: string) => config.apps.find((a) => a.clientId === clientId)!;
	const authorizations: SpApiCredentials[] = config.authorizations.map((a) => {
		const seller = config.sellers.find((s) => s.sellerId === a.sellerId)!;
		return { clientId: a.clientId, clientSecret: appOf(a.clientId).clientSecret, refreshToken: a.refreshToken, sellerId: a.sellerId, region: seller.region, marketplaceIds: [...seller.marketplaceIds] };
	});
	const sellerId = (id?: string) => id ?? store.firstSellerId();
	/** Reads of data Amazon changes in the background first run the work that is due. */
	const due = () => scheduler.pump();
	const copy = <T>(v: T): T => structuredClone(v);

	const data: SpApiSandboxData = {
		get seeded() {
			return { ...store.seeded };
		},
		anchor: config.anchor,
		sellerIds: () => [...store.sellers.keys()],
		orders: (id) => copy(store.seller(sellerId(id)).orders),
		order: (orderId) => {
			const o = store.findOrder(orderId);
			return o && copy(o);
		},
		addOrder: (input = {}) => {
			const { sellerId: id, ...overrides } = input;
			const order = store.addOrder(sellerId(id), overrides, clock.now());
			notifications.orderChanged(order, order.lastUpdateDate);
			return copy(order);
		},
		updateOrder: (orderId, changes) => {
			const order = store.updateOrder(orderId, { status: changes.status, lastUpdateDate: changes.lastUpdateDate === undefined ? undefined : instant(changes.lastUpdateDate) }, clock.now());
			notifications.orderChanged(order, order.lastUpdateDate);
			return copy(order);
		},
		financialEventGroups: (id) => copy(store.seller(sellerId(id)).groups),
		financialEvents: (id) => copy(store.seller(sellerId(id)).events),
		inventory: (id, marketplaceId) => {
			const s = store.seller(sellerId(id));
			return copy(s.inventory.get(marketplaceId ?? s.marketplaceIds[0]) ?? []);
		},
		updateInventory: (sku, changes, where = {}) => {
			const s = store.seller(sellerId(where.sellerId));
			const row = store.updateInventory(s.sellerId, where.marketplaceId ?? s.marketplaceIds[0], sku, changes, clock.now());
			notifications.inventoryChanged(s, sku, row.lastUpdatedTime);
			return copy(row);
		},
		reports: (id) => {
			due();
			return copy(store.seller(sellerId(id)).reports);
		},
		listings: (id) => {
			due();
			return copy([...store.seller(sellerId(id)).listings.values()]);
		},
		listing: (sku, id) => {
			due();
			const l = store.seller(sellerId(id)).listings.get(sku);
			return l && copy(l);
		},
		setListing: (sku, input, id) => copy(setListing(sku, input, store.seller(sellerId(id)))),
		removeListing: (sku, id) => store.seller(sellerId(id)).listings.delete(sku),
		listingSubmissions: (id) => {
			due();
			return copy(store.seller(sellerId(id)).submissions);
		},
		feeds: (id) => {
			due();
			return copy(store.seller(sellerId(id)).feeds);
		},
		documentBytes: (docId) => {
			const doc = store.documents.get(docId);
			if (!doc) throw new Error(`unknown document ${docId}`);
			return Buffer.from(store.documentBytes(doc));
		},
		documentText: (docId) => {
			const doc = store.documents.get(docId);
			if (!doc) throw new Error(`unknown document ${docId}`);
			const stored = store.documentBytes(doc);
			const raw = doc.compression === 'GZIP' ? gunzipSync(stored) : stored;
			const charset = /charset=([^;]+)/i.exec(doc.contentType)?.[1]?.toLowerCase() ?? 'utf-8';
			return charset === 'windows-1252' ? decodeWindows1252(raw) : charset === 'iso-8859-1' ? raw.toString('latin1') : raw.toString('utf8');
		},
		reset: () => {
			scheduler.clear();
			store.seed();
			paging.clear();
		},
	};

	function setListing(sku: string, input: ListingInput, seller: SellerData): ListingRecord {
		const now = clock.now();
		let listing = seller.listings.get(sku);
		const before = mfnQuantities(listing);
		if (!listing) {
			const code = input.fba ? fbaChannelCode(seller.region) : (input.fulfillmentChannelCode ?? 'DEFAULT');
			listing = {
				sellerId: seller.sellerId,
				sku,
				asin: `B0${Buffer.from(sku).toString('hex').slice(0, 8).toUpperCase().padEnd(8, '0')}`,
				productType: input.productType ?? 'PRODUCT',
				conditionType: 'new_new',
				itemName: input.itemName ?? sku,
				marketplaceIds: [...seller.marketplaceIds],
				createdDate: Math.floor(now / 1000) * 1000,
				lastUpdatedDate: Math.floor(now / 1000) * 1000,
				attributes: { fulfillment_availability: [input.fba ? { fulfillment_channel_code: code } : { fulfillment_channel_code: code, quantity: 0 }] },
				issues: [],
			};
			seller.listings.set(sku, listing);
		}
		if (input.productType) listing.productType = input.productType;
		if (input.itemName) listing.itemName = input.itemName;
		if (input.issues) listing.issues = structuredClone(input.issues);
		const patches: PatchOperation[] = Object.entries(input.attributes ?? {}).map(([name, value]) => ({ op: 'replace', path: `/attributes/${name}`, value }));
		if (input.quantity !== undefined) {
			if (!Number.isInteger(input.quantity) || input.quantity < 0) throw new Error(`setListing: quantity must be a whole number of at least 0, got ${input.quantity}`);
			patches.push({ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: input.fulfillmentChannelCode ?? 'DEFAULT', quantity: input.quantity }] });
		}
		applyPatches(listing, patches, now);
		notifyQuantityChanges(state, seller.sellerId, sku, before, mfnQuantities(listing), now);
		return listing;
	}

	const defaultClient = (sellerIdValue?: string) => config.authorizations.find((a) => sellerIdValue === undefined || a.sellerId === sellerIdValue)?.clientId ?? config.apps[0].clientId;
	const notificationControls: SpApiNotificationControls = {
		get onDeliver() {
			return notifications.onDeliver;
		},
		set onDeliver(sink: NotificationSink | undefined) {
			notifications.onDeliver = sink;
		},
		deliveries: (filter = {}) => {
			due();
			return copy(
				notifications.deliveries.filter(
					(d) =>
						(!filter.notificationType || d.notificationType === filter.notificationType) &&
						(!filter.destinationId || d.destinationId === filter.destinationId) &&
						(!filter.sellerId || d.sellerId === filter.sellerId),
				),
			);
		},
		clearDeliveries: () => {
			notifications.deliveries.length = 0;
		},
		destinations: () => copy([...notifications.destinations.values()]),
		subscriptions: () => copy([...notifications.subscriptions.values()]),
		createDestination: (input) => {
			const clientId = input.clientId ?? config.apps[0].clientId;
			const firstAuth = authorizations.find((a) => a.clientId === clientId);
			const spec = input.sqsArn !== undefined ? { sqs: { arn: input.sqsArn } } : input.eventBridge !== undefined ? { eventBridge: input.eventBridge } : undefined;
			return copy(notifications.createDestination(clientId, input.region ?? firstAuth?.region ?? config.defaultRegion, input.name ?? 'sandbox-destination', spec));
		},
		subscribe: (input) => {
			const seller = store.seller(sellerId(input.sellerId));
			const clientId = input.clientId ?? defaultClient(seller.sellerId);
			const body: Record<string, unknown> = {
				destinationId: input.destinationId,
				payloadVersion: input.payloadVersion ?? NOTIFICATION_TYPES[input.notificationType]?.payloadVersion,
			};
			if (input.processingDirective) body.processingDirective = input.processingDirective;
			return copy(notifications.createSubscription(clientId, seller.sellerId, seller.region, input.notificationType, body));
		},
		deliverBatch: (options) => copy(notifications.deliverBatch(options)),
		redeliver: (id) => copy(notifications.redeliver(id)),
		get sinkErrors() {
			return [...notifications.sinkErrors];
		},
	};

	return {
		lwaUrl,
		tokenUrl: `${lwaUrl}/auth/o2/token`,
		apiUrl,
		storageUrl,
		storageHost: config.storageHost,
		ports: { lwa: lwa.port, api: api.port, storage: storageServer.port },
		timeScale: config.timeScale,
		authorizations,
		credentials: (key) => {
			const found = key === undefined ? authorizations[0] : authorizations.find((a) => a.sellerId === key || a.region === key);
			if (!found) throw new Error(`credentials: no authorization for ${key}`);
			return { ...found, marketplaceIds: [...found.marketplaceIds] };
		},
		hostHeaders: (region, sandboxHost = false) => ({ 'x-forwarded-host': spApiHostName(region, sandboxHost) }),
		issueAccessToken: (key) => {
			const a = key === undefined ? authorizations[0] : authorizations.find((x) => x.sellerId === key || x.refreshToken === key);
			if (!a) throw new Error(`issueAccessToken: no authorization for ${key}`);
			return tokens.mintAccess(a.refreshToken).token;
		},
		revokeRefreshToken: (rt) => tokens.revokeRefreshToken(rt),
		rotateClientSecret: (clientId, secret) => tokens.rotateClientSecret(clientId, secret),
		setRestrictedRole: (clientId, value) => tokens.setRestrictedRole(clientId, value),
		expireAllTokens: () => tokens.expireAll(),
		addReport: (input) => {
			const r = store.addReport(input, clock.now());
			return { reportId: r.reportId, reportDocumentId: r.reportDocumentId };
		},
		setReportOutcome: (reportType, outcome) => {
			state.reportOutcomes[reportType] = outcome;
		},
		setFeedOutcome: (feedType, outcome) => {
			state.feedOutcomes[feedType] = outcome;
		},
		issueGrantlessToken: (clientId = config.apps[0].clientId, scope = 'sellingpartnerapi::notifications') => {
			if (!tokens.app(clientId)) throw new Error(`issueGrantlessToken: unknown client ${clientId}`);
			return tokens.mintGrantless(clientId, scope).token;
		},
		notifications: notificationControls,
		get backgroundErrors() {
			return [...scheduler.errors];
		},
		get validateRequest() {
			return validator;
		},
		set validateRequest(fn: RequestValidator | undefined) {
			validator = fn;
		},
		contractViolations: api.contractViolations,
		storageViolations: storage.violations,
		faults,
		stats,
		clock,
		data,
		reset: () => {
			scheduler.clear();
			clock.real();
			store.seed();
			notifications.clear();
			paging.clear();
			faults.clear();
			stats.reset();
			limiter.reset();
			tokens.load();
			storage.clear();
			api.contractViolations.length = 0;
			state.reportOutcomes = { ...config.reportOutcomes };
			state.feedOutcomes = { ...config.feedOutcomes };
		},
		close: async () => {
			scheduler.stop();
			await Promise.all([lwa.close(), api.close(), storageServer.close()]);
		},
	};
}


/**
 * All seeded and test-added data, per seller: catalog, orders, financial events and groups, FBA
 * inventory, reports, listings, listings submissions and feeds; plus report and feed documents
 * (shared id space). `seed()` rebuilds everything deterministically from the options.
 */
import { gzipSync } from 'node:zlib';

import type { ResolvedConfig } from './config';
import { marketplace, type Region } from './marketplaces';
import { seedListings } from './listings-seed';
import type {
	DocumentRecord,
	EventGroup,
	FeedRecord,
	FinancialEvent,
	InventoryRecord,
	ListingRecord,
	ListingSubmissionRecord,
	OrderRecord,
	OrderStatusV0,
	Product,
	ReportRecord,
} from './model';
import { applyStatus, buildCatalog, createSellerRandom, generateOrder, seedFinances, seedInventory, seedOrders, type OrderOverrides, type OrderSeedContext } from './seed';
import { settlementBytes, settlementStyleOf } from './settlement';
import { createRandom, encodeText, HOUR, MINUTE, type Random } from './util';

export interface SellerData {
	sellerId: string;
	region: Region;
	marketplaceIds: string[];
	catalog: Product[];
	/** Sorted by purchaseDate. */
	orders: OrderRecord[];
	ordersById: Map<string, OrderRecord>;
	/** Sorted by postedDate. */
	events: FinancialEvent[];
	groups: EventGroup[];
	/** Per marketplace, sorted by SKU. */
	inventory: Map<string, InventoryRecord[]>;
	/** In creation order. */
	reports: ReportRecord[];
	/** Listings by SKU (Listings Items API), seeded from the catalog. */
	listings: Map<string, ListingRecord>;
	/** Accepted listings submissions (patchListingsItem, feed messages), oldest first. */
	submissions: ListingSubmissionRecord[];
	/** In creation order. */
	feeds: FeedRecord[];
	/** Sellers API: marketplaces with suspended listings. */
	suspendedListingsIn: string[];
	rnd: Random;
	orderCtx: OrderSeedContext;
}

export interface SeedCounts {
	orders: number;
	orderItems: number;
	financialEvents: number;
	eventGroups: number;
	settlementReports: number;
	inventorySummaries: number;
	listings: number;
}

export interface AddReportInput {
	reportType: string;
	/** Text (encoded with `charset`) or bytes (served as given, gzip applied on top when `gzip`). */
	content: Uint8Array | string;
	/** Charset of the document; also in its Content-Type. Default 'UTF-8'. */
	charset?: string;
	/** Store gzip-compressed and answer compressionAlgorithm GZIP. Default false. */
	gzip?: boolean;
	/** Content-Type without charset. Default 'text/plain'. */
	mediaType?: string;
	sellerId?: string;
	marketplaceIds?: string[];
	createdTime?: number | string | Date;
	dataStartTime?: number | string | Date;
	dataEndTime?: number | string | Date;
	/** Default DONE (a document is attached for DONE and FATAL). */
	processingStatus?: 'DONE' | 'FATAL' | 'CANCELLED' | 'IN_QUEUE' | 'IN_PROGRESS';
}

const toMs = (v: number | string | Date | undefined): number | undefined => (v === undefined ? undefined : typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : v.getTime());

export class DataStore {
	readonly sellers = new Map<string, SellerData>();
	readonly documents = new Map<string, DocumentRecord>();
	seeded: SeedCounts = { orders: 0, orderItems: 0, financialEvents: 0, eventGroups: 0, settlementReports: 0, inventorySummaries: 0, listings: 0 };
	private idRnd: Random = createRandom(1);
	private nextReportNumber = 0;
	private nextFeedNumber = 0;
	private nextItemNumber = 0;

	constructor(private readonly config: ResolvedConfig) {}

	seed(): void {
		const { config } = this;
		this.sellers.clear();
		this.documents.clear();
		this.idRnd = createRandom(config.seed * 31 + 7);
		this.nextReportNumber = 50_000_000_000 + config.seed * 1_000_000;
		this.nextFeedNumber = 60_000_000_000 + config.seed * 1_000_000;
		this.nextItemNumber = 10_000_000_000_000 + config.seed * 100_000_000_000;
		const usedOrderIds = new Set<string>();
		const counts: SeedCounts = { orders: 0, orderItems: 0, financialEvents: 0, eventGroups: 0, settlementReports: 0, inventorySummaries: 0, listings: 0 };
		config.sellers.forEach((seller, index) => {
			const rnd = createSellerRandom(config.seed, index);
			const catalog = buildCatalog(rnd, config.catalogSize, index, seller.region);
			const orderCtx: OrderSeedContext = {
				rnd,
				seller,
				catalog,
				anchor: config.anchor,
				historyDays: config.historyDays,
				usedOrderIds,
				nextItemId: () => String(this.nextItemNumber++),
			};
			const orders = seedOrders(orderCtx, seller.orders);
			const finance = seedFinances(rnd, seller, orders, catalog, config.anchor, config.historyDays);
			const data: SellerData = {
				sellerId: seller.sellerId,
				region: seller.region,
				marketplaceIds: [...seller.marketplaceIds],
				catalog,
				orders,
				ordersById: new Map(orders.map((o) => [o.amazonOrderId, o])),
				events: finance.events,
				groups: finance.groups,
				inventory: seedInventory(rnd, seller, catalog, config.anchor),
				reports: [],
				listings: new Map(),
				submissions: [],
				feeds: [],
				suspendedListingsIn: [...seller.suspendedListingsIn],
				rnd,
				orderCtx,
			};
			this.sellers.set(seller.sellerId, data);
			for (const group of finance.groups) {
				if (group.processingStatus !== 'Closed') continue;
				const created = group.end + 2 * HOUR + rnd.int(0, 240) * MINUTE;
				if (created > config.anchor) continue;
				const { charset } = settlementStyleOf(group);
				const documentId = this.newDocumentId(seller.region);
				this.documents.set(documentId, {
					documentId,
					sellerId: seller.sellerId,
					region: seller.region,
					contentType: `text/plain; charset=${charset}`,
					build: () => settlementBytes(group),
				});
				data.reports.push({
					reportId: this.newReportId(),
					sellerId: seller.sellerId,
					reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
					marketplaceIds: [...group.marketplaceIds],
					dataStartTime: group.start,
					dataEndTime: group.end,
					createdTime: created,
					status: 'DONE',
					outcome: 'DONE',
					processingStartTime: created,
					processingEndTime: created + rnd.int(1, 10) * MINUTE,
					reportDocumentId: documentId,
					polls: 0,
				});
				counts.settlementReports++;
			}
			data.reports.sort((a, b) => a.createdTime - b.createdTime);
			counts.orders += orders.length;
			counts.orderItems += orders.reduce((s, o) => s + o.items.length, 0);
			counts.financialEvents += finance.events.length;
			counts.eventGroups += finance.groups.length;
			for (const rows of data.inventory.values()) counts.inventorySummaries += rows.length;
			// Own random stream: adding listings must not change the orders, finances or reports of a seed.
			for (const listing of seedListings(createRandom(config.seed * 7919 + index * 104_729 + 11), seller, catalog, config.anchor)) data.listings.set(listing.sku, listing);
			counts.listings += data.listings.size;
		});
		this.seeded = counts;
	}

	seller(sellerId: string): SellerData {
		const s = this.sellers.get(sellerId);
		if (!s) throw new Error(`unknown seller ${sellerId}`);
		return s;
	}

	firstSellerId(): string {
		return this.sellers.keys().next().value as string;
	}

	newReportId(): string {
		return String(this.nextReportNumber++);
	}

	newFeedId(): string {
		return String(this.nextFeedNumber++);
	}

	newDocumentId(region: Region, kind: 'report' | 'feed' = 'report'): string {
		const r = this.idRnd;
		const hex = (n: number) => r.alnum(n, '0123456789abcdef');
		const uuid = `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
		return kind === 'feed' ? `amzn1.tortuga.4.${region}.${uuid}.T${r.alnum(13)}` : `amzn1.spdoc.1.4.${region}.${uuid}.T${r.alnum(13)}.${r.int(1000, 9999)}`;
	}

	/** Document bytes as stored (built on first use). */
	documentBytes(doc: DocumentRecord): Buffer {
		if (!doc.bytes) {
			const raw = doc.build ? doc.build() : Buffer.alloc(0);
			doc.bytes = doc.compression === 'GZIP' ? gzipSync(raw) : raw;
			doc.build = undefined;
		}
		return doc.bytes;
	}

	addDocument(sellerId: string, content: Uint8Array | string, charset: string, gzip: boolean, mediaType = 'text/plain', kind: 'report' | 'feed' = 'report'): string {
		const seller = this.seller(sellerId);
		const raw = typeof content === 'string' ? encodeText(content, charset) : Buffer.from(content);
		const documentId = this.newDocumentId(seller.region, kind);
		this.documents.set(documentId, {
			documentId,
			sellerId,
			region: seller.region,
			kind,
			contentType: `${mediaType}; charset=${charset}`,
			compression: gzip ? 'GZIP' : undefined,
			bytes: gzip ? gzipSync(raw) : raw,
		});
		return documentId;
	}

	addReport(input: AddReportInput, now: number): ReportRecord {
		const sellerId = input.sellerId ?? this.firstSellerId();
		const seller = this.seller(sellerId);
		const status = input.processingStatus ?? 'DONE';
		const created = toMs(input.createdTime) ?? now;
		const documentId = status === 'DONE' || status === 'FATAL' ? this.addDocument(sellerId, input.content, input.charset ?? 'UTF-8', input.gzip ?? false, input.mediaType) : undefined;
		const report: ReportRecord = {
			reportId: this.newReportId(),
			sellerId,
			reportType: input.reportType,
			marketplaceIds: input.marketplaceIds ?? [seller.marketplaceIds[0]],
			dataStartTime: toMs(input.dataStartTime),
			dataEndTime: toMs(input.dataEndTime),
			createdTime: created,
			status,
			outcome: status === 'FATAL' || status === 'CANCELLED' ? status : 'DONE',
			processingStartTime: status === 'IN_QUEUE' ? undefined : created,
			processingEndTime: status === 'DONE' || status === 'FATAL' || status === 'CANCELLED' ? created : undefined,
			reportDocumentId: documentId,
			polls: 0,
		};
		seller.reports.push(report);
		return report;
	}

	/** An empty feed document waiting for its pre-signed PUT. */
	addUploadSlot(sellerId: string, contentType: string): DocumentRecord {
		const seller = this.seller(sellerId);
		const doc: DocumentRecord = { documentId: this.newDocumentId(seller.region, 'feed'), sellerId, region: seller.region, kind: 'feed', contentType, awaitingUpload: true };
		this.documents.set(doc.documentId, doc);
		return doc;
	}

	findReport(sellerId: string, reportId: string): ReportRecord | undefined {
		return this.sellers.get(sellerId)?.reports.find((r) => r.reportId === reportId);
	}

	// ---- orders changed by "Amazon" during a test ------------------------------------------

	addOrder(sellerId: string, overrides: OrderOverrides & { purchaseDate?: number }, now: number): OrderRecord {
		const seller = this.seller(sellerId);
		if (overrides.marketplaceId && !seller.marketplaceIds.includes(overrides.marketplaceId)) {
			throw new Error(`addOrder: seller ${sellerId} does not sell in ${overrides.marketplaceId}`);
		}
		if (overrides.amazonOrderId && seller.orderCtx.usedOrderIds.has(overrides.amazonOrderId)) throw new Error(`addOrder: ${overrides.amazonOrderId} exists`);
		if (overrides.amazonOrderId) seller.orderCtx.usedOrderIds.add(overrides.amazonOrderId);
		const purchaseDate = Math.floor((overrides.purchaseDate ?? now) / 1000) * 1000;
		const order = generateOrder({ ...seller.orderCtx, anchor: now }, purchaseDate, { status: 'Unshipped', ...overrides });
		seller.orders.push(order);
		seller.orders.sort((a, b) => a.purchaseDate - b.purchaseDate);
		seller.ordersById.set(order.amazonOrderId, order);
		return order;
	}

	updateOrder(orderId: string, changes: { status?: OrderStatusV0; lastUpdateDate?: number }, now: number): OrderRecord {
		const order = this.findOrder(orderId);
		if (!order) throw new Error(`updateOrder: unknown order ${orderId}`);
		const seller = this.seller(order.sellerId);
		const at = Math.floor((changes.lastUpdateDate ?? now) / 1000) * 1000;
		if (changes.status) applyStatus(seller.rnd, order, changes.status, at, at);
		order.lastUpdateDate = at;
		return order;
	}

	findOrder(orderId: string): OrderRecord | undefined {
		for (const s of this.sellers.values()) {
			const o = s.ordersById.get(orderId);
			if (o) return o;
		}
		return undefined;
	}

	findFeed(sellerId: string, feedId: string): FeedRecord | undefined {
		return this.sellers.get(sellerId)?.feeds.find((f) => f.feedId === feedId);
	}

	updateInventory(sellerId: string, marketplaceId: string, sku: string, changes: Partial<Pick<InventoryRecord, 'fulfillable' | 'inboundWorking' | 'inboundShipped' | 'inboundReceiving'>>, now: number): InventoryRecord {
		const rows = this.seller(sellerId).inventory.get(marketplaceId);
		const row = rows?.find((r) => r.sku === sku);
		if (!row) throw new Error(`updateInventory: no inventory for ${sku} in ${marketplaceId}`);
		Object.assign(row, changes);
		row.lastUpdatedTime = Math.floor(now / 1000) * 1000;
		return row;
	}

	marketplaceOk(sellerId: string, marketplaceId: string): boolean {
		return this.seller(sellerId).marketplaceIds.includes(marketplaceId) && marketplace(marketplaceId) !== undefined;
	}
}

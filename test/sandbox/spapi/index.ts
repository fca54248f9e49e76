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
import type { EventGroup, FinancialEvent, InventoryRecord, OrderRecord, OrderStatusV0, ReportRecord } from './model';
import { NextTokenStore } from './paging';
import { TokenBucketLimiter } from './rate-limit';
import type { OrderOverrides } from './seed';
import { Stats, type SpApiStatsView } from './stats';
import { DataStore, type AddReportInput, type SeedCounts } from './store';
import { StorageServer, StorageService, type StorageViolation } from './storage';
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
export type { EventGroup, FinancialEvent, InventoryRecord, OrderRecord, OrderStatusV0, ReportRecord } from './model';
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
	/** A document's bytes as the storage serves them (gzip when compressed). */
	documentBytes(reportDocumentId: string): Buffer;
	/** A document's text: gunzipped and decoded with its charset. */
	documentText(reportDocumentId: string): string;
	/** Back to the seeded data. */
	reset(): void;
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
	 * rotations; clock back to real time; report outcomes back to the options. Issued access
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
	const state: SandboxState = { config, now: clock.now, store, tokens, paging, presigner: storage, reportOutcomes: { ...config.reportOutcomes } };
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
			return copy(store.addOrder(sellerId(id), overrides, clock.now()));
		},
		updateOrder: (orderId, changes) =>
			copy(store.updateOrder(orderId, { status: changes.status, lastUpdateDate: changes.lastUpdateDate === undefined ? undefined : instant(changes.lastUpdateDate) }, clock.now())),
		financialEventGroups: (id) => copy(store.seller(sellerId(id)).groups),
		financialEvents: (id) => copy(store.seller(sellerId(id)).events),
		inventory: (id, marketplaceId) => {
			const s = store.seller(sellerId(id));
			return copy(s.inventory.get(marketplaceId ?? s.marketplaceIds[0]) ?? []);
		},
		updateInventory: (sku, changes, where = {}) => {
			const s = store.seller(sellerId(where.sellerId));
			return copy(store.updateInventory(s.sellerId, where.marketplaceId ?? s.marketplaceIds[0], sku, changes, clock.now()));
		},
		reports: (id) => copy(store.seller(sellerId(id)).reports),
		documentBytes: (docId) => {
			const doc = store.documents.get(docId);
			if (!doc) throw new Error(`unknown report document ${docId}`);
			return Buffer.from(store.documentBytes(doc));
		},
		documentText: (docId) => {
			const doc = store.documents.get(docId);
			if (!doc) throw new Error(`unknown report document ${docId}`);
			const stored = store.documentBytes(doc);
			const raw = doc.compression === 'GZIP' ? gunzipSync(stored) : stored;
			const charset = /charset=([^;]+)/i.exec(doc.contentType)?.[1]?.toLowerCase() ?? 'utf-8';
			return charset === 'windows-1252' ? decodeWindows1252(raw) : charset === 'iso-8859-1' ? raw.toString('latin1') : raw.toString('utf8');
		},
		reset: () => {
			store.seed();
			paging.clear();
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
			clock.real();
			store.seed();
			paging.clear();
			faults.clear();
			stats.reset();
			limiter.reset();
			tokens.load();
			storage.clear();
			api.contractViolations.length = 0;
			state.reportOutcomes = { ...config.reportOutcomes };
		},
		close: async () => {
			await Promise.all([lwa.close(), api.close(), storageServer.close()]);
		},
	};
}


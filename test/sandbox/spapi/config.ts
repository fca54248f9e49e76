/**
 * Options of the sandbox and their defaults: LWA applications, sellers (one region each) and the
 * authorizations (refresh tokens) that connect them, plus data, timing and report settings.
 */
import { createHash } from 'node:crypto';

import { MARKETPLACE_IDS, marketplace, type Region } from './marketplaces';
import type { NotificationSink } from './notifications';
import type { OperationName } from './operations';
import type { UsagePlan } from './rate-limit';
import { SECOND } from './util';

export interface SpApiAppOptions {
	clientId: string;
	clientSecret: string;
	/**
	 * Restricted role (e.g. Direct-to-Consumer Shipping): needed for Restricted Data Tokens and
	 * for BUYER / RECIPIENT data in Orders 2026-01-01. Default true.
	 */
	restrictedRole?: boolean;
	/** amzn1.sp.solution.… id: NotificationMetadata.ApplicationId. Default: derived from the client id. */
	applicationId?: string;
}

export interface SpApiSellerOptions {
	sellerId: string;
	region: Region;
	/** Marketplaces the seller sells in (all in `region`). */
	marketplaceIds: string[];
	/** Seeded orders. Defaults: 6000 (na), 2000 (eu), 500 (fe). */
	orders?: number;
	/** Sellers API storeName. Default "Sandbox Store <SELLERID>". */
	storeName?: string;
	/** Marketplaces where getMarketplaceParticipations says hasSuspendedListings: true. */
	suspendedListingsIn?: string[];
}

export interface SpApiAuthorizationOptions {
	/** The `Atzr|…` refresh token: one seller, one app, one region. */
	refreshToken: string;
	clientId: string;
	sellerId: string;
}

export type ReportOutcome = 'DONE' | 'FATAL' | 'CANCELLED';

export interface ReportProcessingOptions {
	/** getReport responses that still say IN_QUEUE. Default 1. */
	inQueuePolls?: number;
	/** getReport responses that say IN_PROGRESS after that. Default 1. */
	inProgressPolls?: number;
	/** Minimum time in IN_QUEUE, Amazon time (divided by timeScale), from creation. Default 0. */
	inQueueMs?: number;
	/** Minimum time until the final status, Amazon time (divided by timeScale), from creation. Default 0. */
	minProcessingMs?: number;
	/**
	 * true (default): the polls above are needed as well as the times (deterministic tests).
	 * false: processing is driven by time alone and finishes in the background, without polls
	 * (what a client waiting for REPORT/FEED_PROCESSING_FINISHED notifications needs).
	 */
	requirePolls?: boolean;
}

/** What the contract hook sees of every SP-API request. */
export interface ValidatedRequest {
	method: string;
	/** Path without query, as received (percent-encoded). */
	path: string;
	/** Decoded query; repeated keys as arrays, comma-separated values left as sent. */
	query: Record<string, string | string[]>;
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body is JSON, else the text; undefined when empty. */
	body: unknown;
	/** The Amazon host name the client addressed (extra; not needed by a generic validator). */
	host?: string;
}

export type RequestValidator = (req: ValidatedRequest) => string[];

export interface SpApiSandboxOptions {
	apps?: SpApiAppOptions[];
	sellers?: SpApiSellerOptions[];
	authorizations?: SpApiAuthorizationOptions[];
	/** LWA access-token lifetime (expires_in). Default 3600. Not scaled by timeScale. */
	tokenLifetimeSeconds?: number;
	/** Restricted Data Token lifetime (expiresIn). Default 3600. */
	rdtLifetimeSeconds?: number;
	/**
	 * Speed-up for time-based rules: rates × timeScale; next-token expiry (FBA 30 s), pre-signed URL
	 * expiry (5 min) and report processing time ÷ timeScale. Default 1.
	 */
	timeScale?: number;
	/** Token buckets on (default) or off. */
	rateLimits?: boolean;
	/** Replace an operation's default usage plan (before timeScale). */
	usagePlans?: Partial<Record<OperationName, UsagePlan>>;
	/** Contract hook called on every SP-API request; violations land in sandbox.contractViolations. */
	validateRequest?: RequestValidator;
	/** Notification sink (also settable as sandbox.notifications.onDeliver). */
	onNotification?: NotificationSink;
	/** Data seed. Default 1. */
	seed?: number;
	/** "Now" of the seeded data (orders up to it, finance and reports before it). Default: start time (whole second). */
	anchor?: number | string | Date;
	/** Days of order history. Default 120. */
	historyDays?: number;
	/** Overrides every seller's `orders`. */
	ordersPerSeller?: number;
	/** Products per seller. Default 120. */
	catalogSize?: number;
	/** getOrderItems page size (Amazon documents none). Default 10. */
	orderItemsPageSize?: number;
	/** listTransactions page size. Default 100. */
	transactionsPageSize?: number;
	/** listTransactions scans its window in slices of this many days; a slice without data is an empty page. Default 14. */
	transactionsSliceDays?: number;
	/** getInventorySummaries page size. Default 50. */
	inventoryPageSize?: number;
	reportProcessing?: ReportProcessingOptions;
	/** Final status per report type for createReport (default DONE). */
	reportOutcomes?: Record<string, ReportOutcome>;
	/** Created report documents are gzip-compressed (compressionAlgorithm GZIP). Default true. */
	gzipCreatedReports?: boolean;
	/** Lifecycle of created feeds (same rules as reportProcessing). */
	feedProcessing?: ReportProcessingOptions;
	/** Final status per feed type for createFeed (default DONE). */
	feedOutcomes?: Record<string, ReportOutcome>;
	/** Feed processing reports are gzip-compressed (compressionAlgorithm GZIP). Default false. */
	gzipFeedResults?: boolean;
	/**
	 * Amazon time (divided by timeScale) between an ACCEPTED listings submission (patchListingsItem
	 * or a feed message) and the moment it is applied. Default 5000.
	 */
	listingsApplyDelayMs?: number;
	/**
	 * patchListingsItem / feed messages for a SKU the seller has no listing for: 'notFound'
	 * (default: 404 NOT_FOUND, feed message ERROR) or 'accepted' (what Amazon does in practice: the
	 * submission is ACCEPTED and nothing visible changes).
	 */
	listingsUnknownSku?: 'notFound' | 'accepted';
	/** Host name in pre-signed document URLs. Default 'spapi-sandbox-reports.s3.amazonaws.com'. */
	storageHost?: string;
	/** 'amazon' (default): https://<storageHost>/…, needs routeAmazonToSandbox; 'local': the storage server's own URL. */
	storageUrlStyle?: 'amazon' | 'local';
	/** Region for requests that name no SP-API host (direct calls to 127.0.0.1). Default 'na'. */
	defaultRegion?: Region;
	/** Request log entries kept. Default 20 000. */
	requestLogLimit?: number;
	maxBodyBytes?: number;
	/** Fixed ports (default random). */
	ports?: { lwa?: number; api?: number; storage?: number };
}

export const DEFAULT_APP: Required<SpApiAppOptions> = {
	clientId: 'amzn1.application-oa2-client.5b1d8e0c2f7a4e6b9c3d1a0f8e7b6c5d',
	clientSecret: 'amzn1.oa2-cs.v1.3f9a1c7e5b2d4f6a8c0e2b4d6f8a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a',
	restrictedRole: true,
	applicationId: 'amzn1.sp.solution.0e4c6b2a-8d1f-4a3b-9c5e-7f2d1b0a9e8c',
};

export const DEFAULT_SELLERS: SpApiSellerOptions[] = [
	{ sellerId: 'A1SANDBOXNA001', region: 'na', marketplaceIds: [MARKETPLACE_IDS.US, MARKETPLACE_IDS.CA, MARKETPLACE_IDS.MX], orders: 6000 },
	{
		sellerId: 'A2SANDBOXEU001',
		region: 'eu',
		marketplaceIds: [MARKETPLACE_IDS.UK, MARKETPLACE_IDS.DE, MARKETPLACE_IDS.FR, MARKETPLACE_IDS.IT, MARKETPLACE_IDS.ES],
		orders: 2000,
	},
	{ sellerId: 'A3SANDBOXFE001', region: 'fe', marketplaceIds: [MARKETPLACE_IDS.JP, MARKETPLACE_IDS.AU], orders: 500 },
];

export function defaultRefreshToken(sellerId: string, clientId = DEFAULT_APP.clientId): string {
	return `Atzr|IwEBI-sandbox-${sellerId}-${clientId.slice(-8)}`;
}

export type ResolvedConfig = ReturnType<typeof resolveOptions>;

/** A stable amzn1.sp.solution.<uuid> for an app configured without one (notification metadata needs it). */
function derivedApplicationId(clientId: string): string {
	const h = createHash('sha256').update(clientId).digest('hex');
	return `amzn1.sp.solution.${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function resolveOptions(options: SpApiSandboxOptions) {
	const apps = (options.apps ?? [DEFAULT_APP]).map((a) => ({ restrictedRole: true, ...a, applicationId: a.applicationId || derivedApplicationId(a.clientId) }));
	if (apps.length === 0) throw new Error('startSpApiSandbox: at least one app is required');
	const sellers = (options.sellers ?? DEFAULT_SELLERS).map((s) => ({
		...s,
		storeName: s.storeName ?? `Sandbox Store ${s.sellerId}`,
		suspendedListingsIn: [...(s.suspendedListingsIn ?? [])],
		orders: options.ordersPerSeller ?? s.orders ?? (s.region === 'na' ? 6000 : s.region === 'eu' ? 2000 : 500),
	}));
	for (const s of sellers) {
		if (s.marketplaceIds.length === 0) throw new Error(`seller ${s.sellerId}: marketplaceIds is empty`);
		for (const id of s.marketplaceIds) {
			const mp = marketplace(id);
			if (!mp) throw new Error(`seller ${s.sellerId}: unknown marketplace ${id}`);
			if (mp.region !== s.region) throw new Error(`seller ${s.sellerId}: marketplace ${id} is not in region ${s.region}`);
		}
	}
	const authorizations =
		options.authorizations ?? sellers.map((s) => ({ refreshToken: defaultRefreshToken(s.sellerId, apps[0].clientId), clientId: apps[0].clientId, sellerId: s.sellerId }));
	for (const a of authorizations) {
		if (!apps.some((app) => app.clientId === a.clientId)) throw new Error(`authorization ${a.refreshToken}: unknown app ${a.clientId}`);
		if (!sellers.some((s) => s.sellerId === a.sellerId)) throw new Error(`authorization ${a.refreshToken}: unknown seller ${a.sellerId}`);
	}
	const timeScale = options.timeScale ?? 1;
	if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error('startSpApiSandbox: timeScale must be a positive number');
	const positiveInt = (name: string, v: number | undefined, d: number) => {
		const value = v ?? d;
		if (!Number.isInteger(value) || value < 1) throw new Error(`startSpApiSandbox: ${name} must be a positive integer`);
		return value;
	};
	const nonNegative = (name: string, v: number | undefined, d: number) => {
		const value = v ?? d;
		if (!Number.isFinite(value) || value < 0) throw new Error(`startSpApiSandbox: ${name} must be a non-negative number`);
		return value;
	};
	const processing = (p: ReportProcessingOptions | undefined): Required<ReportProcessingOptions> => ({
		inQueuePolls: p?.inQueuePolls ?? 1,
		inProgressPolls: p?.inProgressPolls ?? 1,
		inQueueMs: p?.inQueueMs ?? 0,
		minProcessingMs: p?.minProcessingMs ?? 0,
		requirePolls: p?.requirePolls ?? true,
	});
	const anchorInput = options.anchor;
	const anchor =
		anchorInput === undefined
			? Math.floor(Date.now() / SECOND) * SECOND
			: typeof anchorInput === 'number'
				? anchorInput
				: typeof anchorInput === 'string'
					? Date.parse(anchorInput)
					: anchorInput.getTime();
	if (!Number.isFinite(anchor)) throw new Error('startSpApiSandbox: anchor is not a valid instant');
	return {
		apps,
		sellers,
		authorizations,
		tokenLifetimeSeconds: positiveInt('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 3600),
		rdtLifetimeSeconds: positiveInt('rdtLifetimeSeconds', options.rdtLifetimeSeconds, 3600),
		timeScale,
		rateLimits: options.rateLimits ?? true,
		usagePlans: options.usagePlans ?? {},
		validateRequest: options.validateRequest,
		seed: options.seed ?? 1,
		anchor,
		historyDays: positiveInt('historyDays', options.historyDays, 120),
		catalogSize: positiveInt('catalogSize', options.catalogSize, 120),
		orderItemsPageSize: positiveInt('orderItemsPageSize', options.orderItemsPageSize, 10),
		transactionsPageSize: positiveInt('transactionsPageSize', options.transactionsPageSize, 100),
		transactionsSliceDays: positiveInt('transactionsSliceDays', options.transactionsSliceDays, 14),
		inventoryPageSize: positiveInt('inventoryPageSize', options.inventoryPageSize, 50),
		reportProcessing: processing(options.reportProcessing),
		reportOutcomes: { ...(options.reportOutcomes ?? {}) },
		gzipCreatedReports: options.gzipCreatedReports ?? true,
		feedProcessing: processing(options.feedProcessing),
		feedOutcomes: { ...(options.feedOutcomes ?? {}) },
		gzipFeedResults: options.gzipFeedResults ?? false,
		listingsApplyDelayMs: nonNegative('listingsApplyDelayMs', options.listingsApplyDelayMs, 5000),
		listingsUnknownSku: options.listingsUnknownSku ?? 'notFound',
		storageHost: (options.storageHost ?? 'spapi-sandbox-reports.s3.amazonaws.com').toLowerCase(),
		storageUrlStyle: options.storageUrlStyle ?? 'amazon',
		defaultRegion: options.defaultRegion ?? 'na',
		requestLogLimit: positiveInt('requestLogLimit', options.requestLogLimit, 20_000),
		maxBodyBytes: positiveInt('maxBodyBytes', options.maxBodyBytes, 10 * 1024 * 1024),
		ports: options.ports ?? {},
	};
}

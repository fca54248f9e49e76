/**
 * Feeds API 2021-06-30 (reference §9 "bulk alternative"): createFeedDocument (201, pre-signed
 * PUT URL on the storage host), createFeed (202; the input document must have been uploaded),
 * getFeed with the reports' lifecycle (lifecycle.ts), getFeeds (feedTypes or nextToken alone),
 * cancelFeed (IN_QUEUE only), getFeedDocument (pre-signed GET URL).
 *
 * JSON_LISTINGS_FEED documents are processed when the feed reaches DONE: the document is checked
 * against listings-feed-schema-v2.json (test/contract's validateJsonListingsFeed), every message
 * is checked like patchListingsItem checks a request, accepted messages are queued like
 * ACCEPTED submissions, and the result document is a processing report that follows
 * listings-feed-processing-report-schema-v2.json. Problems with the document as a whole
 * (not JSON, header errors, no messages array) are reported as issues without a messageId, as
 * that schema describes ("not provided if the error is not related to a message"), and the feed
 * is still DONE; FATAL comes only from setFeedOutcome / feedOutcomes.
 */
import { validateJsonListingsFeed } from '../../contract/spapi-contract';

import type { ApiContext, ApiResult, SandboxState } from './context';
import { invalidInput, notFound } from './errors';
import { advanceJob, cancelJob, listJobs, scheduleJob } from './lifecycle';
import { applyPatches, checkPatches, GET_INCLUDED_DATA, mfnQuantities, notifyQuantityChanges, renderListing, submitListingChange, submitPatches, type PatchOperation } from './listings';
import { marketplace } from './marketplaces';
import { type AttributeValue, type FeedRecord, type ListingIssue, type ListingRecord } from './model';
import { parseBoolParam } from './query';
import type { SellerData } from './store';
import { DAY, isoMillis } from './util';

const RETENTION = 90 * DAY;
export const JSON_LISTINGS_FEED = 'JSON_LISTINGS_FEED';
/** Feed types Amazon retired in 2025 (reference §9): createFeed refuses them. */
export const RETIRED_FEED_TYPES = ['POST_INVENTORY_AVAILABILITY_DATA', 'POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA'];

/** Issue codes of the sandbox's processing reports (Amazon documents none for these cases). */
export const FEED_ISSUE_CODES = {
	invalidJson: '4000001',
	schema: '4000002',
	duplicateMessageId: '4000003',
	skuNotFound: '4000004',
	sellerMismatch: '4000005',
	fatal: '4000000',
} as const;

export function renderFeed(f: FeedRecord): Record<string, unknown> {
	const out: Record<string, unknown> = { feedId: f.feedId, feedType: f.feedType };
	if (f.marketplaceIds.length) out.marketplaceIds = [...f.marketplaceIds];
	out.createdTime = isoMillis(f.createdTime);
	out.processingStatus = f.status;
	if (f.processingStartTime !== undefined) out.processingStartTime = isoMillis(f.processingStartTime);
	if (f.processingEndTime !== undefined) out.processingEndTime = isoMillis(f.processingEndTime);
	if (f.resultFeedDocumentId) out.resultFeedDocumentId = f.resultFeedDocumentId;
	return out;
}

function parseObject(body: Buffer, what: string): Record<string, unknown> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		throw invalidInput('The request body is not valid JSON.');
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidInput(`The request body must be a ${what} object.`);
	return parsed as Record<string, unknown>;
}

// ---- documents -----------------------------------------------------------------------------

export function createFeedDocument(ctx: ApiContext): ApiResult {
	const spec = parseObject(ctx.body, 'CreateFeedDocumentSpecification');
	if (typeof spec.contentType !== 'string' || spec.contentType.trim() === '') throw invalidInput('contentType is required, e.g. "application/json; charset=UTF-8".');
	const doc = ctx.state.store.addUploadSlot(ctx.seller.sellerId, spec.contentType.trim());
	return { status: 201, body: { feedDocumentId: doc.documentId, url: ctx.state.presigner.presignUpload(doc.documentId, doc.contentType) } };
}

export function getFeedDocument(ctx: ApiContext): ApiResult {
	const id = ctx.params.feedDocumentId;
	const doc = ctx.state.store.documents.get(id);
	if (!doc || doc.kind !== 'feed' || doc.sellerId !== ctx.seller.sellerId || doc.region !== ctx.region) throw notFound(`Feed document ${id} was not found.`);
	const gzipHeader = parseBoolParam('enableContentEncodingUrlHeader', ctx.query.get('enableContentEncodingUrlHeader')) ?? false;
	const body: Record<string, unknown> = { feedDocumentId: id, url: ctx.state.presigner.presign(id, { contentEncodingGzip: gzipHeader && doc.compression === 'GZIP' }) };
	if (doc.compression) body.compressionAlgorithm = doc.compression;
	return { status: 200, body };
}

// ---- feeds -----------------------------------------------------------------------------------

export function createFeed(ctx: ApiContext): ApiResult {
	const spec = parseObject(ctx.body, 'CreateFeedSpecification');
	const { feedType, marketplaceIds, inputFeedDocumentId, feedOptions } = spec;
	if (typeof feedType !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(feedType)) throw invalidInput('feedType is required, e.g. JSON_LISTINGS_FEED.');
	if (RETIRED_FEED_TYPES.includes(feedType)) throw invalidInput(`Feed type ${feedType} is no longer supported.`, 'Use JSON_LISTINGS_FEED or the Listings Items API.');
	if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0 || marketplaceIds.length > 25 || marketplaceIds.some((m) => typeof m !== 'string')) {
		throw invalidInput('marketplaceIds is required: 1 to 25 marketplace ids.');
	}
	const bad = (marketplaceIds as string[]).filter((id) => marketplace(id)?.region !== ctx.region || !ctx.seller.marketplaceIds.includes(id));
	if (bad.length) throw invalidInput(`Invalid marketplaceIds: ${bad.join(', ')}.`);
	if (typeof inputFeedDocumentId !== 'string' || inputFeedDocumentId === '') throw invalidInput('inputFeedDocumentId is required: the feedDocumentId from createFeedDocument.');
	const doc = ctx.state.store.documents.get(inputFeedDocumentId);
	if (!doc || doc.kind !== 'feed' || doc.sellerId !== ctx.seller.sellerId || doc.region !== ctx.region) throw invalidInput(`Invalid inputFeedDocumentId: ${inputFeedDocumentId}.`, 'Create it with createFeedDocument first.');
	if (doc.awaitingUpload) throw invalidInput(`The feed document ${inputFeedDocumentId} has no content.`, 'Upload the document to the url from createFeedDocument (PUT, same Content-Type) before createFeed.');
	let options: Record<string, string> | undefined;
	if (feedOptions !== undefined) {
		if (!feedOptions || typeof feedOptions !== 'object' || Array.isArray(feedOptions) || Object.values(feedOptions).some((v) => typeof v !== 'string')) throw invalidInput('feedOptions must be an object of string values.');
		options = feedOptions as Record<string, string>;
	}
	const feed: FeedRecord = {
		feedId: ctx.state.store.newFeedId(),
		sellerId: ctx.seller.sellerId,
		clientId: ctx.token.clientId,
		feedType,
		marketplaceIds: [...(marketplaceIds as string[])],
		feedOptions: options,
		inputFeedDocumentId,
		createdTime: ctx.now,
		status: 'IN_QUEUE',
		outcome: ctx.state.feedOutcomes[feedType] ?? 'DONE',
		polls: 0,
	};
	ctx.seller.feeds.push(feed);
	scheduleJob(ctx.state, ctx.seller, feed, ctx.state.config.feedProcessing, (at) => advanceFeed(ctx.state, ctx.seller, feed, at, false));
	return { status: 202, body: { feedId: feed.feedId } };
}

/** Moves a feed along; DONE processes the input and attaches the result document. */
export function advanceFeed(state: SandboxState, seller: SellerData, f: FeedRecord, now: number, poll: boolean): void {
	advanceJob(f, state.config.feedProcessing, state.config.timeScale, now, poll, (at) => {
		if (f.outcome === 'DONE') f.resultFeedDocumentId = processFeed(state, seller, f, at);
		else if (f.outcome === 'FATAL') f.resultFeedDocumentId = fatalResult(state, seller, f);
		state.notifications.feedFinished(f, at);
	});
}

function findFeed(ctx: ApiContext): FeedRecord {
	const f = ctx.state.store.findFeed(ctx.seller.sellerId, ctx.params.feedId);
	if (!f || f.createdTime < ctx.now - RETENTION) throw notFound(`Feed ${ctx.params.feedId} was not found.`);
	return f;
}

export function getFeed(ctx: ApiContext): ApiResult {
	const f = findFeed(ctx);
	advanceFeed(ctx.state, ctx.seller, f, ctx.now, true);
	return { status: 200, body: renderFeed(f) };
}

export function cancelFeed(ctx: ApiContext): ApiResult {
	const f = findFeed(ctx);
	advanceFeed(ctx.state, ctx.seller, f, ctx.now, false);
	return cancelJob(f, `Feed ${f.feedId}`, ctx.now, () => ctx.state.notifications.feedFinished(f, ctx.now));
}

export function getFeeds(ctx: ApiContext): ApiResult {
	return listJobs(ctx, {
		typesParam: 'feedTypes',
		typeOf: (f) => f.feedType,
		idOf: (f) => f.feedId,
		marketplacesOf: (f) => f.marketplaceIds,
		listKey: 'feeds',
		jobs: ctx.seller.feeds,
		retentionMs: RETENTION,
		advance: (f) => advanceFeed(ctx.state, ctx.seller, f, ctx.now, false),
		render: renderFeed,
	});
}

// ---- processing ------------------------------------------------------------------------------

interface ReportIssue {
	messageId?: number;
	sku?: string;
	code: string;
	severity: 'ERROR' | 'WARNING' | 'INFO';
	message: string;
	attributeName?: string;
}

interface ListingsMessage {
	messageId: number;
	sku: string;
	operationType: 'UPDATE' | 'PARTIAL_UPDATE' | 'PATCH' | 'DELETE';
	productType?: string;
	attributes?: Record<string, AttributeValue[]>;
	patches?: PatchOperation[];
}

function storeResult(state: SandboxState, seller: SellerData, content: string, mediaType = 'application/json'): string {
	return state.store.addDocument(seller.sellerId, content, 'UTF-8', state.config.gzipFeedResults, mediaType, 'feed');
}

function fatalResult(state: SandboxState, seller: SellerData, f: FeedRecord): string {
	if (f.feedType !== JSON_LISTINGS_FEED) return storeResult(state, seller, `Feed ${f.feedId} (${f.feedType}) was aborted: a fatal error occurred while processing it.\n`, 'text/plain');
	const report = {
		header: { sellerId: seller.sellerId, version: '2.0', feedId: f.feedId },
		issues: [{ code: FEED_ISSUE_CODES.fatal, severity: 'ERROR', message: `Feed ${f.feedId} was aborted: a fatal error occurred while processing it. Submit the feed again.` }],
		summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 },
	};
	return storeResult(state, seller, JSON.stringify(report));
}

function inputText(state: SandboxState, f: FeedRecord): string {
	const doc = state.store.documents.get(f.inputFeedDocumentId);
	const text = doc ? state.store.documentBytes(doc).toString('utf8') : '';
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function processFeed(state: SandboxState, seller: SellerData, f: FeedRecord, at: number): string {
	if (f.feedType !== JSON_LISTINGS_FEED) {
		return storeResult(state, seller, `Feed Processing Summary:\n\tFeed ${f.feedId} (${f.feedType}) was processed by the sandbox without changes.\n`, 'text/plain');
	}
	return storeResult(state, seller, JSON.stringify(processListingsFeed(state, seller, f, at)));
}

const toIssue = (messageId: number, sku: string | undefined, i: ListingIssue): ReportIssue => {
	const out: ReportIssue = { messageId, code: i.code, severity: i.severity, message: i.message };
	if (sku) out.sku = sku;
	if (i.attributeNames?.length) out.attributeName = i.attributeNames[0];
	return out;
};

/** The processing report of a JSON_LISTINGS_FEED; accepted messages are queued for application. */
export function processListingsFeed(state: SandboxState, seller: SellerData, f: FeedRecord, at: number): Record<string, unknown> {
	const header = { sellerId: seller.sellerId, version: '2.0', feedId: f.feedId };
	const report = (issues: ReportIssue[], processed: number, accepted: number, invalid: number, items?: Array<Record<string, unknown>>) => {
		const out: Record<string, unknown> = {
			header,
			issues,
			summary: {
				errors: issues.filter((i) => i.severity === 'ERROR').length,
				warnings: issues.filter((i) => i.severity === 'WARNING').length,
				messagesProcessed: processed,
				messagesAccepted: accepted,
				messagesInvalid: invalid,
			},
		};
		if (items) {
			(out.summary as Record<string, unknown>).itemSummary = { items: items.length, errors: 0, warnings: 0 };
			out.items = items;
		}
		return out;
	};
	let doc: unknown;
	try {
		doc = JSON.parse(inputText(state, f));
	} catch (error) {
		return report([{ code: FEED_ISSUE_CODES.invalidJson, severity: 'ERROR', message: `The feed document is not valid JSON: ${error instanceof Error ? error.message : String(error)}` }], 0, 0, 0);
	}
	const violations = validateJsonListingsFeed(doc, { unknownProperties: 'allow' }).violations;
	const perMessage = new Map<number, string[]>();
	const documentLevel: string[] = [];
	for (const v of violations) {
		const m = /^\$\.messages\[(\d+)\]/.exec(v);
		if (m) {
			const list = perMessage.get(Number(m[1])) ?? [];
			list.push(v);
			perMessage.set(Number(m[1]), list);
		} else documentLevel.push(v);
	}
	if (documentLevel.length) {
		return report(
			documentLevel.map((v) => ({ code: FEED_ISSUE_CODES.schema, severity: 'ERROR', message: `The feed document does not follow the JSON_LISTINGS_FEED schema: ${v}` })),
			0,
			0,
			0,
		);
	}
	const feedDoc = doc as { header: { sellerId: string; report?: { includedData: string[] } }; messages: unknown[] };
	if (feedDoc.header.sellerId !== seller.sellerId) {
		return report(
			[{ code: FEED_ISSUE_CODES.sellerMismatch, severity: 'ERROR', message: `The sellerId ${feedDoc.header.sellerId} in the feed header is not the selling partner of the feed (${seller.sellerId}).` }],
			0,
			0,
			0,
		);
	}
	const issues: ReportIssue[] = [];
	const seen = new Set<number>();
	const acceptedSkus: string[] = [];
	let accepted = 0;
	let invalid = 0;
	feedDoc.messages.forEach((raw, index) => {
		const schemaProblems = perMessage.get(index);
		const partial = raw as Partial<ListingsMessage>;
		const messageId = typeof partial.messageId === 'number' && Number.isInteger(partial.messageId) && partial.messageId >= 1 ? partial.messageId : undefined;
		const sku = typeof partial.sku === 'string' && partial.sku !== '' ? partial.sku : undefined;
		const reject = (found: ReportIssue[]) => {
			issues.push(...found);
			invalid++;
		};
		if (schemaProblems) {
			reject(schemaProblems.map((v) => ({ ...(messageId ? { messageId } : {}), ...(sku ? { sku } : {}), code: FEED_ISSUE_CODES.schema, severity: 'ERROR' as const, message: `The message does not follow the JSON_LISTINGS_FEED schema: ${v}` })));
			return;
		}
		const message = raw as ListingsMessage;
		if (seen.has(message.messageId)) {
			reject([{ messageId: message.messageId, sku: message.sku, code: FEED_ISSUE_CODES.duplicateMessageId, severity: 'ERROR', message: `messageId ${message.messageId} is used by more than one message; messageIds must be unique within a feed.` }]);
			return;
		}
		seen.add(message.messageId);
		const listing = seller.listings.get(message.sku);
		if (!listing && message.operationType !== 'UPDATE') {
			if (state.config.listingsUnknownSku === 'notFound') {
				reject([{ messageId: message.messageId, sku: message.sku, code: FEED_ISSUE_CODES.skuNotFound, severity: 'ERROR', message: `SKU '${message.sku}' does not exist for this selling partner.` }]);
				return;
			}
			accepted++;
			return;
		}
		const patches = messagePatches(message);
		const found = checkPatches(patches).filter((i) => i.severity === 'ERROR');
		if (found.length) {
			reject(found.map((i) => toIssue(message.messageId, message.sku, i)));
			return;
		}
		accepted++;
		acceptedSkus.push(message.sku);
		queueMessage(state, seller, message, patches, f.feedId, at);
	});
	const includedData = feedDoc.header.report?.includedData.filter((d) => (GET_INCLUDED_DATA as readonly string[]).includes(d));
	const items = includedData
		? acceptedSkus.flatMap((sku) => {
				const l = seller.listings.get(sku);
				return l ? [renderListing(seller, l, includedData, f.marketplaceIds)] : [];
			})
		: undefined;
	return report(issues, feedDoc.messages.length, accepted, invalid, items);
}

/** A message as patches on top-level attributes (PARTIAL_UPDATE and UPDATE replace the attributes they name). */
function messagePatches(m: ListingsMessage): PatchOperation[] {
	if (m.operationType === 'PATCH') return m.patches ?? [];
	if (m.operationType === 'DELETE') return [];
	return Object.entries(m.attributes ?? {}).map(([name, value]) => ({ op: 'replace' as const, path: `/attributes/${name}`, value: Array.isArray(value) ? value : [] }));
}

function queueMessage(state: SandboxState, seller: SellerData, m: ListingsMessage, patches: PatchOperation[], feedId: string, now: number): void {
	if (m.operationType === 'PATCH' || m.operationType === 'PARTIAL_UPDATE') {
		submitPatches(state, seller, m.sku, patches, 'feed', now, feedId);
		return;
	}
	submitListingChange(
		state,
		seller,
		m.sku,
		'feed',
		now,
		(at) => {
			const existing = seller.listings.get(m.sku);
			const before = mfnQuantities(existing);
			if (m.operationType === 'DELETE') {
				seller.listings.delete(m.sku);
				return;
			}
			// UPDATE: the listing's attributes become exactly the message's (a new SKU becomes a listing).
			const listing: ListingRecord = existing ?? {
				sellerId: seller.sellerId,
				sku: m.sku,
				asin: `B0${Buffer.from(m.sku).toString('hex').slice(0, 8).toUpperCase().padEnd(8, '0')}`,
				productType: m.productType ?? 'PRODUCT',
				conditionType: 'new_new',
				itemName: m.sku,
				marketplaceIds: [...seller.marketplaceIds],
				createdDate: Math.floor(at / 1000) * 1000,
				lastUpdatedDate: Math.floor(at / 1000) * 1000,
				attributes: {},
				issues: [],
			};
			listing.attributes = {};
			if (m.productType) listing.productType = m.productType;
			applyPatches(listing, patches, at);
			seller.listings.set(m.sku, listing);
			notifyQuantityChanges(state, seller.sellerId, m.sku, before, mfnQuantities(listing), at);
		},
		feedId,
	);
}

/**
 * Listings Items API 2021-08-01 (reference §9): getListingsItem and patchListingsItem, plus the
 * patch rules the JSON_LISTINGS_FEED shares (feeds.ts).
 *
 * - The sellerId in the path must be the token's selling partner (403 otherwise), the SKU is one
 *   percent-encoded path segment (a raw `/` makes another segment and misses the route).
 * - `merge` on /attributes/fulfillment_availability needs `fulfillment_channel_code` in every
 *   value and changes only the fields given; `replace` overwrites the whole attribute; a quantity
 *   for an Amazon channel (AMAZON_NA, AMAZON_EU, …) or a negative / non-integer quantity makes the
 *   submission INVALID with an ERROR issue.
 * - ACCEPTED means queued: the change is applied `listingsApplyDelayMs` (÷ timeScale) later on the
 *   sandbox clock (scheduler.ts), so "accepted but not yet applied" is observable. Applying a
 *   changed merchant quantity publishes LISTINGS_ITEM_MFN_QUANTITY_CHANGE.
 */
import { randomBytes } from 'node:crypto';

import type { ApiContext, ApiResult, SandboxState } from './context';
import { accessDenied, invalidInput, SpApiError } from './errors';
import { isFbaChannel } from './listings-seed';
import { marketplace } from './marketplaces';
import type { AttributeValue, ListingIssue, ListingRecord, ListingSubmissionRecord } from './model';
import { checkEnum } from './query';
import { localPrice } from './seed';
import type { SellerData } from './store';
import { formatMinor, isoSeconds } from './util';

export const GET_INCLUDED_DATA = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'] as const;
export const PATCH_INCLUDED_DATA = ['identifiers', 'issues'] as const;
export const PATCH_OPS = ['add', 'replace', 'merge', 'delete'] as const;

export interface PatchOperation {
	op: (typeof PATCH_OPS)[number];
	path: string;
	value?: AttributeValue[];
}

/** Issue code Amazon uses for attribute validation failures ("The attributes are invalid."). */
export const INVALID_ATTRIBUTE_CODE = '90000900';
const FULFILLMENT = 'fulfillment_availability';
/** Attributes the `merge` op supports (Amazon changelog, June 2025). */
const MERGEABLE = new Set([FULFILLMENT, 'purchasable_offer']);
const TOP_LEVEL_PATH = /^\/attributes\/([a-z][a-z0-9_]*)$/;

function attributeIssue(message: string, attributeNames: string[]): ListingIssue {
	return { code: INVALID_ATTRIBUTE_CODE, message, severity: 'ERROR', attributeNames, categories: ['INVALID_ATTRIBUTE'] };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isWholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Checks the fulfillment_availability values of one operation; `op` decides which fields must be there. */
function checkFulfillmentValues(op: PatchOperation['op'], values: AttributeValue[] | undefined): ListingIssue[] {
	const issues: ListingIssue[] = [];
	(values ?? []).forEach((v, i) => {
		const code = v.fulfillment_channel_code;
		if (typeof code !== 'string' || code.trim() === '') {
			issues.push(
				attributeIssue(
					op === 'merge'
						? `The merge operation requires a non-empty selector 'fulfillment_channel_code' in every value of 'fulfillment_availability' (value ${i} has none).`
						: `'fulfillment_channel_code' is required in every value of 'fulfillment_availability' (value ${i} has none).`,
					[FULFILLMENT],
				),
			);
			return;
		}
		if (v.quantity !== undefined) {
			if (!isWholeNumber(v.quantity)) {
				issues.push(attributeIssue(`The value ${JSON.stringify(v.quantity)} for 'quantity' of fulfillment channel ${code} is invalid: it must be a whole number of at least 0.`, [FULFILLMENT]));
			} else if (isFbaChannel(code)) {
				issues.push(
					attributeIssue(
						`'quantity' cannot be set for fulfillment channel ${code}: Amazon manages the inventory of Amazon-fulfilled (FBA) offers. Only merchant-fulfilled channels (DEFAULT) take a quantity.`,
						[FULFILLMENT],
					),
				);
			}
		}
		if (v.lead_time_to_ship_max_days !== undefined && !isWholeNumber(v.lead_time_to_ship_max_days)) {
			issues.push(attributeIssue(`The value ${JSON.stringify(v.lead_time_to_ship_max_days)} for 'lead_time_to_ship_max_days' is invalid: it must be a whole number of at least 0.`, [FULFILLMENT]));
		}
	});
	return issues;
}

/**
 * The checks Amazon makes before accepting a set of patches (issues with severity ERROR make the
 * submission INVALID). Structure (op enum, value present) is checked by the caller: the API
 * answers 400, the feed reports a schema issue.
 */
export function checkPatches(patches: PatchOperation[]): ListingIssue[] {
	const issues: ListingIssue[] = [];
	for (const p of patches) {
		const m = TOP_LEVEL_PATH.exec(p.path);
		if (!m) {
			issues.push(attributeIssue(`Only top-level attributes can be patched ('/attributes/<attribute name>'); '${p.path}' is not one. Patching nested attributes is not supported.`, []));
			continue;
		}
		const name = m[1];
		if (p.op === 'merge' && !MERGEABLE.has(name)) {
			issues.push(attributeIssue(`The merge operation is supported for fulfillment_availability and purchasable_offer only, not for '${name}'.`, [name]));
			continue;
		}
		if (name === FULFILLMENT) issues.push(...checkFulfillmentValues(p.op, p.value));
	}
	return issues;
}

function selectorOf(attribute: string): string {
	return attribute === FULFILLMENT ? 'fulfillment_channel_code' : 'marketplace_id';
}

/** Applies checked patches to a listing (mutates it). */
export function applyPatches(listing: ListingRecord, patches: PatchOperation[], at: number): void {
	for (const p of patches) {
		const name = TOP_LEVEL_PATH.exec(p.path)![1];
		const selector = selectorOf(name);
		const values = structuredClone(p.value ?? []);
		switch (p.op) {
			case 'add':
			case 'replace':
				listing.attributes[name] = values;
				break;
			case 'merge': {
				const current = listing.attributes[name] ?? [];
				for (const v of values) {
					const i = current.findIndex((c) => c[selector] !== undefined && c[selector] === v[selector]);
					if (i >= 0) current[i] = { ...current[i], ...v };
					else current.push(v);
				}
				listing.attributes[name] = current;
				break;
			}
			case 'delete': {
				if (values.length === 0) delete listing.attributes[name];
				else {
					const remaining = (listing.attributes[name] ?? []).filter((c) => !values.some((v) => v[selector] !== undefined && v[selector] === c[selector]));
					if (remaining.length) listing.attributes[name] = remaining;
					else delete listing.attributes[name];
				}
				break;
			}
		}
	}
	listing.lastUpdatedDate = Math.floor(at / 1000) * 1000;
}

/** Merchant-fulfilled channel code -> quantity (the numbers LISTINGS_ITEM_MFN_QUANTITY_CHANGE reports). */
export function mfnQuantities(listing: ListingRecord | undefined): Map<string, number> {
	const out = new Map<string, number>();
	for (const v of listing?.attributes[FULFILLMENT] ?? []) {
		const code = v.fulfillment_channel_code;
		if (typeof code === 'string' && !isFbaChannel(code) && isWholeNumber(v.quantity)) out.set(code, v.quantity);
	}
	return out;
}

/** Publishes LISTINGS_ITEM_MFN_QUANTITY_CHANGE for every merchant quantity that differs. */
export function notifyQuantityChanges(state: SandboxState, sellerId: string, sku: string, before: Map<string, number>, after: Map<string, number>, at: number): void {
	for (const [code, quantity] of after) {
		if (before.get(code) !== quantity) state.notifications.mfnQuantityChanged(sellerId, sku, code, quantity, at);
	}
}

/**
 * Queues an accepted change: `change(at)` runs `listingsApplyDelayMs ÷ timeScale` later on the
 * sandbox clock. The submission record tracks PENDING → APPLIED.
 */
export function submitListingChange(
	state: SandboxState,
	seller: SellerData,
	sku: string,
	source: ListingSubmissionRecord['source'],
	now: number,
	change: (at: number) => void,
	feedId?: string,
): ListingSubmissionRecord {
	const submission: ListingSubmissionRecord = {
		submissionId: randomBytes(16).toString('hex'),
		sellerId: seller.sellerId,
		sku,
		source,
		feedId,
		submittedAt: now,
		applyAt: now + state.config.listingsApplyDelayMs / state.config.timeScale,
		status: 'PENDING',
	};
	seller.submissions.push(submission);
	state.scheduler.schedule(submission.applyAt, (at) => {
		// A reset() re-seeds the store: a submission from before it has nothing left to change.
		if (state.store.sellers.get(seller.sellerId) !== seller) return;
		change(at);
		submission.status = 'APPLIED';
	});
	return submission;
}

/** Queues patches for a listing; applying them publishes quantity changes. */
export function submitPatches(state: SandboxState, seller: SellerData, sku: string, patches: PatchOperation[], source: ListingSubmissionRecord['source'], now: number, feedId?: string): ListingSubmissionRecord {
	return submitListingChange(
		state,
		seller,
		sku,
		source,
		now,
		(at) => {
			const listing = seller.listings.get(sku);
			if (!listing) return;
			const before = mfnQuantities(listing);
			applyPatches(listing, patches, at);
			notifyQuantityChanges(state, seller.sellerId, sku, before, mfnQuantities(listing), at);
		},
		feedId,
	);
}

// ---- rendering ---------------------------------------------------------------------------

function fbaQuantity(seller: SellerData, sku: string, marketplaceId: string): number | undefined {
	return seller.inventory.get(marketplaceId)?.find((r) => r.sku === sku)?.fulfillable;
}

function forMarketplaces(values: AttributeValue[], marketplaceIds: string[]): AttributeValue[] {
	return values.filter((v) => typeof v.marketplace_id !== 'string' || marketplaceIds.includes(v.marketplace_id));
}

/** Item (getListingsItem) with the requested data sets, for the requested marketplaces. */
export function renderListing(seller: SellerData, listing: ListingRecord, includedData: readonly string[], marketplaceIds: string[]): Record<string, unknown> {
	const item: Record<string, unknown> = { sku: listing.sku };
	const mps = marketplaceIds.filter((id) => listing.marketplaceIds.includes(id));
	const fulfillment = (listing.attributes[FULFILLMENT] ?? []).map((v) => {
		const code = String(v.fulfillment_channel_code);
		const out: Record<string, unknown> = { fulfillmentChannelCode: code };
		const quantity = isFbaChannel(code) ? fbaQuantity(seller, listing.sku, mps[0] ?? listing.marketplaceIds[0]) : v.quantity;
		if (isWholeNumber(quantity)) out.quantity = quantity;
		return out;
	});
	const buyable = fulfillment.some((f) => typeof f.quantity === 'number' && f.quantity > 0);
	for (const set of includedData) {
		switch (set) {
			case 'summaries':
				item.summaries = mps.map((id) => {
					const s: Record<string, unknown> = {
						marketplaceId: id,
						asin: listing.asin,
						productType: listing.productType,
						conditionType: listing.conditionType,
						status: buyable ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
					};
					if (listing.fnSku) s.fnSku = listing.fnSku;
					s.itemName = (listing.attributes.item_name ?? []).find((v) => v.marketplace_id === id)?.value ?? listing.itemName;
					s.createdDate = isoSeconds(listing.createdDate);
					s.lastUpdatedDate = isoSeconds(listing.lastUpdatedDate);
					s.mainImage = { link: `https://m.media-amazon.com/images/I/${listing.asin}.jpg`, height: 500, width: 500 };
					return s;
				});
				break;
			case 'attributes':
				item.attributes = Object.fromEntries(Object.entries(listing.attributes).map(([k, v]) => [k, structuredClone(forMarketplaces(v, mps))]));
				break;
			case 'issues':
				item.issues = listing.issues.filter((i) => !i.marketplaceIds || i.marketplaceIds.some((m) => mps.includes(m))).map((i) => structuredClone(i));
				break;
			case 'offers':
				item.offers = mps.flatMap((id) => {
					const offer = (listing.attributes.purchasable_offer ?? []).find((v) => v.marketplace_id === id);
					if (!offer) return [];
					const currency = typeof offer.currency === 'string' ? offer.currency : (marketplace(id)?.currency ?? 'USD');
					const price = (offer.our_price as Array<{ schedule?: Array<{ value_with_tax?: number }> }> | undefined)?.[0]?.schedule?.[0]?.value_with_tax;
					const amount = typeof price === 'number' ? price.toFixed(currency === 'JPY' ? 0 : 2) : formatMinor(localPrice(1999, currency), currency);
					return [{ marketplaceId: id, offerType: 'B2C', price: { currencyCode: currency, amount }, audience: { value: 'ALL', displayName: 'Sell on Amazon' } }];
				});
				break;
			case 'fulfillmentAvailability':
				item.fulfillmentAvailability = fulfillment;
				break;
			case 'procurement':
				// Vendor data: sellers have none.
				item.procurement = [];
				break;
			case 'relationships':
				item.relationships = mps.map((id) => ({ marketplaceId: id, relationships: [] }));
				break;
			case 'productTypes':
				item.productTypes = mps.map((id) => ({ marketplaceId: id, productType: listing.productType }));
				break;
		}
	}
	return item;
}

// ---- request checks ---------------------------------------------------------------------

/** The path's sellerId must be the selling partner the token was issued for. */
function checkSeller(ctx: ApiContext): void {
	if (ctx.params.sellerId !== ctx.seller.sellerId) {
		throw accessDenied(`The sellerId ${ctx.params.sellerId} in the path is not the selling partner this access token was issued for.`);
	}
}

function requestedMarketplaces(ctx: ApiContext): string[] {
	const ids = ctx.query.list('marketplaceIds');
	if (!ids) throw invalidInput('Missing required parameter: marketplaceIds.');
	const bad = ids.filter((id) => marketplace(id)?.region !== ctx.region || !ctx.seller.marketplaceIds.includes(id));
	if (bad.length) throw invalidInput(`Invalid marketplaceIds: ${bad.join(', ')}.`, 'Use marketplaces the selling partner participates in, in the region of this endpoint.');
	return ids;
}

function listingNotFound(sku: string, marketplaceIds: string[]): SpApiError {
	return new SpApiError(404, 'NOT_FOUND', `SKU '${sku}' not found in marketplace(s) ${marketplaceIds.join(', ')}.`);
}

export function getListingsItem(ctx: ApiContext): ApiResult {
	checkSeller(ctx);
	const marketplaceIds = requestedMarketplaces(ctx);
	const includedData = checkEnum('includedData', ctx.query.list('includedData'), GET_INCLUDED_DATA) ?? ['summaries'];
	const listing = ctx.seller.listings.get(ctx.params.sku);
	if (!listing || !marketplaceIds.some((id) => listing.marketplaceIds.includes(id))) throw listingNotFound(ctx.params.sku, marketplaceIds);
	return { status: 200, body: renderListing(ctx.seller, listing, includedData, marketplaceIds) };
}

const badRequest = (message: string) => new SpApiError(400, 'InvalidInput', message, '');

/** The ListingsItemPatchRequest body: structure errors are 400s, as Amazon answers them. */
export function parsePatchRequest(body: Buffer): { productType: string; patches: PatchOperation[] } {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		throw badRequest('Request has missing or invalid parameters and cannot be parsed.');
	}
	if (!isPlainObject(parsed)) throw badRequest('Request has missing or invalid parameters and cannot be parsed.');
	const { productType, patches } = parsed;
	if (typeof productType !== 'string' || productType.trim() === '') throw badRequest('productType is required.');
	if (!Array.isArray(patches) || patches.length === 0) throw badRequest('patches is required and must contain at least one patch.');
	const checked = patches.map((p, i): PatchOperation => {
		if (!isPlainObject(p)) throw badRequest(`Patch at index of ${i} must be an object.`);
		if (typeof p.op !== 'string' || !(PATCH_OPS as readonly string[]).includes(p.op)) throw badRequest(`Invalid op for patch at index of ${i}: expected one of ${PATCH_OPS.join(', ')}.`);
		if (typeof p.path !== 'string' || p.path === '') throw badRequest(`Path is missing for patch at index of ${i}.`);
		if (p.value === undefined && p.op !== 'delete') throw badRequest(`Value is missing for patch at index of ${i}.`);
		if (p.value !== undefined && (!Array.isArray(p.value) || p.value.some((v) => !isPlainObject(v)))) throw badRequest(`Value for patch at index of ${i} must be an array of objects.`);
		return { op: p.op as PatchOperation['op'], path: p.path, value: p.value as AttributeValue[] | undefined };
	});
	return { productType, patches: checked };
}

export function patchListingsItem(ctx: ApiContext): ApiResult {
	checkSeller(ctx);
	const marketplaceIds = requestedMarketplaces(ctx);
	const includedData = checkEnum('includedData', ctx.query.list('includedData'), PATCH_INCLUDED_DATA) ?? ['issues'];
	const mode = ctx.query.get('mode');
	if (mode !== undefined && mode !== 'VALIDATION_PREVIEW') throw invalidInput(`Invalid mode: ${mode}. Allowed values: VALIDATION_PREVIEW.`);
	const preview = mode === 'VALIDATION_PREVIEW';
	if (includedData.includes('identifiers') && !preview) throw invalidInput('includedData identifiers can only be requested when mode is VALIDATION_PREVIEW.');
	const { patches } = parsePatchRequest(ctx.body);
	const sku = ctx.params.sku;
	const listing = ctx.seller.listings.get(sku);
	if (!listing && ctx.state.config.listingsUnknownSku === 'notFound') throw listingNotFound(sku, marketplaceIds);
	const issues = checkPatches(patches);
	const invalid = issues.some((i) => i.severity === 'ERROR');
	let status: 'ACCEPTED' | 'INVALID' | 'VALID';
	let submissionId: string;
	if (preview || invalid) {
		status = invalid ? 'INVALID' : 'VALID';
		submissionId = randomBytes(16).toString('hex');
	} else {
		status = 'ACCEPTED';
		submissionId = submitPatches(ctx.state, ctx.seller, sku, patches, 'patchListingsItem', ctx.now).submissionId;
	}
	const body: Record<string, unknown> = { sku, status, submissionId };
	if (includedData.includes('issues')) body.issues = issues;
	if (includedData.includes('identifiers')) body.identifiers = listing ? marketplaceIds.map((id) => ({ marketplaceId: id, asin: listing.asin })) : [];
	return { status: 200, body };
}

/**
 * FBA Inventory v1 getInventorySummaries (reference §8): `payload` + top-level `pagination`,
 * nextToken expiring 30 s after issue (÷ timeScale, on the sandbox clock), startDateTime (≤ 18
 * months back) makes sellerSkus / sellerSku ignored, details=true adds inventoryDetails.
 */
import type { ApiContext, ApiResult } from './context';
import { invalidInput } from './errors';
import { marketplace } from './marketplaces';
import type { InventoryRecord } from './model';
import { checkEnum, checkMaxItems, parseBoolParam, parseDateParam } from './query';
import { DAY, isoSeconds } from './util';

const TOKEN_TTL_MS = 30_000;
const MAX_LOOKBACK = 548 * DAY;

interface InventoryToken {
	marketplaceId: string;
	startDateTime?: number;
	skus?: string[];
	offset: number;
}

function total(r: InventoryRecord): number {
	const reserved = r.reserved.pendingCustomerOrder + r.reserved.pendingTransshipment + r.reserved.fcProcessing;
	const researching = r.researching.shortTerm + r.researching.midTerm + r.researching.longTerm;
	const u = r.unfulfillable;
	const unfulfillable = u.customerDamaged + u.warehouseDamaged + u.distributorDamaged + u.carrierDamaged + u.defective + u.expired;
	return r.fulfillable + r.inboundWorking + r.inboundShipped + r.inboundReceiving + reserved + researching + unfulfillable;
}

export function renderSummary(r: InventoryRecord, details: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = {
		asin: r.asin,
		fnSku: r.fnSku,
		sellerSku: r.sku,
		condition: r.condition,
	};
	if (details) {
		const u = r.unfulfillable;
		out.inventoryDetails = {
			fulfillableQuantity: r.fulfillable,
			inboundWorkingQuantity: r.inboundWorking,
			inboundShippedQuantity: r.inboundShipped,
			inboundReceivingQuantity: r.inboundReceiving,
			reservedQuantity: {
				totalReservedQuantity: r.reserved.pendingCustomerOrder + r.reserved.pendingTransshipment + r.reserved.fcProcessing,
				pendingCustomerOrderQuantity: r.reserved.pendingCustomerOrder,
				pendingTransshipmentQuantity: r.reserved.pendingTransshipment,
				fcProcessingQuantity: r.reserved.fcProcessing,
			},
			researchingQuantity: {
				totalResearchingQuantity: r.researching.shortTerm + r.researching.midTerm + r.researching.longTerm,
				researchingQuantityBreakdown: [
					{ name: 'researchingQuantityInShortTerm', quantity: r.researching.shortTerm },
					{ name: 'researchingQuantityInMidTerm', quantity: r.researching.midTerm },
					{ name: 'researchingQuantityInLongTerm', quantity: r.researching.longTerm },
				],
			},
			unfulfillableQuantity: {
				totalUnfulfillableQuantity: u.customerDamaged + u.warehouseDamaged + u.distributorDamaged + u.carrierDamaged + u.defective + u.expired,
				customerDamagedQuantity: u.customerDamaged,
				warehouseDamagedQuantity: u.warehouseDamaged,
				distributorDamagedQuantity: u.distributorDamaged,
				carrierDamagedQuantity: u.carrierDamaged,
				defectiveQuantity: u.defective,
				expiredQuantity: u.expired,
			},
		};
	}
	out.lastUpdatedTime = isoSeconds(r.lastUpdatedTime);
	out.productName = r.productName;
	out.totalQuantity = total(r);
	return out;
}

export function getInventorySummaries(ctx: ApiContext): ApiResult {
	const q = ctx.query;
	const granularityType = q.get('granularityType');
	if (granularityType === undefined) throw invalidInput('granularityType is required.');
	checkEnum('granularityType', [granularityType], ['Marketplace']);
	const granularityId = q.get('granularityId');
	if (granularityId === undefined) throw invalidInput('granularityId is required.');
	const marketplaceIds = checkMaxItems('marketplaceIds', q.list('marketplaceIds'), 1);
	if (!marketplaceIds) throw invalidInput('marketplaceIds is required.');
	const mpId = marketplaceIds[0];
	for (const [name, id] of [
		['granularityId', granularityId],
		['marketplaceIds', mpId],
	] as const) {
		if (marketplace(id)?.region !== ctx.region || !ctx.seller.marketplaceIds.includes(id)) throw invalidInput(`Invalid ${name}: ${id}.`);
	}
	if (granularityId !== mpId) throw invalidInput(`granularityId ${granularityId} must be the marketplace in marketplaceIds (${mpId}).`);
	const details = parseBoolParam('details', q.get('details')) ?? false;
	const startDateTime = parseDateParam('startDateTime', q.get('startDateTime'));
	if (startDateTime !== undefined && startDateTime < ctx.now - MAX_LOOKBACK) throw invalidInput('startDateTime must be no earlier than 18 months before the time of the request.');
	if (startDateTime !== undefined && startDateTime > ctx.now) throw invalidInput('startDateTime must not be in the future.');
	const skus = startDateTime !== undefined ? undefined : (checkMaxItems('sellerSkus', q.list('sellerSkus'), 50) ?? (q.get('sellerSku') !== undefined ? [q.get('sellerSku')!] : undefined));
	let state: InventoryToken = { marketplaceId: mpId, startDateTime, skus, offset: 0 };
	const token = q.get('nextToken');
	if (token !== undefined) {
		const r = ctx.state.paging.resolve<InventoryToken>(token, ctx.seller.sellerId, ctx.operation.name);
		if (!r.ok) {
			throw invalidInput(
				r.reason === 'expired' ? 'The nextToken has expired.' : 'Invalid nextToken.',
				r.reason === 'expired' ? 'A nextToken expires 30 seconds after it was issued; request the next page immediately.' : undefined,
			);
		}
		if (r.state.marketplaceId !== mpId) throw invalidInput('The nextToken belongs to another marketplace.');
		if (r.state.startDateTime !== undefined && startDateTime === undefined) throw invalidInput('Send the same startDateTime together with the nextToken.');
		state = r.state;
	}
	const rows = (ctx.seller.inventory.get(mpId) ?? []).filter(
		(r) => (state.startDateTime === undefined || r.lastUpdatedTime >= state.startDateTime) && (!state.skus || state.skus.includes(r.sku)),
	);
	const pageSize = ctx.state.config.inventoryPageSize;
	const page = rows.slice(state.offset, state.offset + pageSize);
	const body: Record<string, unknown> = {
		pagination: {},
		payload: { granularity: { granularityType, granularityId }, inventorySummaries: page.map((r) => renderSummary(r, details)) },
	};
	if (state.offset + pageSize < rows.length) {
		body.pagination = { nextToken: ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { ...state, offset: state.offset + pageSize }, TOKEN_TTL_MS / ctx.state.config.timeScale) };
	} else {
		delete body.pagination;
	}
	return { status: 200, body };
}

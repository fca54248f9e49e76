/**
 * Finances v0 (listFinancialEventGroups, listFinancialEventsByGroupId: `payload` wrapper,
 * PascalCase, Currency {CurrencyCode, CurrencyAmount:number}) and 2024-06-19 listTransactions
 * (`payload` wrapper per its model, camelCase, {currencyCode, currencyAmount:number}).
 */
import type { ApiContext, ApiResult } from './context';
import { invalidInput, notFound } from './errors';
import { marketplace } from './marketplaces';
import type { Component, EventGroup, EventItem, FinancialEvent, TransactionStatus } from './model';
import { parseDateParam, parseIntParam } from './query';
import { eventTotal } from './seed';
import { DAY, isoMillis, MINUTE, minorToNumber } from './util';

const TWO_MINUTES = 2 * MINUTE;
const MAX_WINDOW = 180 * DAY;

/** All FinancialEvents lists of the v0 model, in model order. */
const EVENT_LISTS = [
	'ShipmentEventList',
	'ShipmentSettleEventList',
	'RefundEventList',
	'GuaranteeClaimEventList',
	'EBTRefundReimbursementOnlyEventList',
	'ChargebackEventList',
	'PayWithAmazonEventList',
	'ServiceProviderCreditEventList',
	'RetrochargeEventList',
	'RentalTransactionEventList',
	'ProductAdsPaymentEventList',
	'ServiceFeeEventList',
	'SellerDealPaymentEventList',
	'DebtRecoveryEventList',
	'LoanServicingEventList',
	'AdjustmentEventList',
	'SAFETReimbursementEventList',
	'SellerReviewEnrollmentPaymentEventList',
	'FBALiquidationEventList',
	'CouponPaymentEventList',
	'ImagingServicesFeeEventList',
	'NetworkComminglingTransactionEventList',
	'AffordabilityExpenseEventList',
	'AffordabilityExpenseReversalEventList',
	'RemovalShipmentEventList',
	'RemovalShipmentAdjustmentEventList',
	'TrialShipmentEventList',
	'TDSReimbursementEventList',
	'AdhocDisbursementEventList',
	'TaxWithholdingEventList',
	'ChargeRefundEventList',
	'FailedAdhocDisbursementEventList',
	'ValueAddedServiceChargeEventList',
	'CapacityReservationBillingEventList',
] as const;

/** Reject tokens used with other filter arguments than the call that produced them. */
function fingerprint(ctx: ApiContext, names: string[]): string {
	return JSON.stringify(names.map((n) => ctx.query.get(n) ?? null));
}

function resolveToken<T extends { fingerprint: string }>(ctx: ApiContext, token: string, fp: string): T {
	const r = ctx.state.paging.resolve<T>(token, ctx.seller.sellerId, ctx.operation.name);
	if (!r.ok) throw invalidInput('Invalid NextToken.', 'The NextToken is invalid or expired.');
	if (r.state.fingerprint !== fp) throw invalidInput('Invalid NextToken.', 'Call this operation with the NextToken and the same arguments as the call that produced it.');
	return r.state;
}

function postedWindow(ctx: ApiContext, afterName: string, beforeName: string, afterRequired: boolean): { after?: number; before: number; empty: boolean } {
	const after = parseDateParam(afterName, ctx.query.get(afterName));
	const beforeGiven = parseDateParam(beforeName, ctx.query.get(beforeName));
	const latest = ctx.now - TWO_MINUTES;
	if (after === undefined && afterRequired) throw invalidInput(`${afterName} is required.`);
	if (after !== undefined && after > latest) throw invalidInput(`${afterName} must be more than two minutes before the time of the request.`);
	if (beforeGiven !== undefined) {
		if (beforeGiven > latest) throw invalidInput(`${beforeName} must be more than two minutes before the time of the request.`);
		if (after !== undefined && beforeGiven <= after) throw invalidInput(`${beforeName} must be later than ${afterName}.`);
	}
	const before = beforeGiven ?? latest;
	return { after, before, empty: after !== undefined && before - after > MAX_WINDOW };
}

// ---- v0 ------------------------------------------------------------------------------------

const currencyV0 = (minor: number, currency: string) => ({ CurrencyCode: currency, CurrencyAmount: minorToNumber(minor, currency) });

export function renderGroupV0(g: EventGroup): Record<string, unknown> {
	const out: Record<string, unknown> = {
		FinancialEventGroupId: g.groupId,
		ProcessingStatus: g.processingStatus,
		FundTransferStatus: g.fundTransferStatus,
		OriginalTotal: currencyV0(g.total, g.currency),
		ConvertedTotal: currencyV0(g.total, g.currency),
	};
	if (g.fundTransferDate !== undefined) out.FundTransferDate = isoMillis(g.fundTransferDate);
	if (g.traceId !== undefined) out.TraceId = g.traceId;
	out.AccountTail = g.accountTail;
	out.BeginningBalance = currencyV0(0, g.currency);
	out.FinancialEventGroupStart = isoMillis(g.start);
	if (g.processingStatus === 'Closed') out.FinancialEventGroupEnd = isoMillis(g.end);
	return out;
}

interface GroupsToken {
	fingerprint: string;
	offset: number;
}

export function listFinancialEventGroups(ctx: ApiContext): ApiResult {
	const pageSize = parseIntParam('MaxResultsPerPage', ctx.query.get('MaxResultsPerPage'), 1, 100, 10);
	const names = ['FinancialEventGroupStartedAfter', 'FinancialEventGroupStartedBefore'];
	const window = postedWindow(ctx, names[0], names[1], false);
	const fp = fingerprint(ctx, names);
	const token = ctx.query.get('NextToken');
	const offset = token !== undefined ? resolveToken<GroupsToken>(ctx, token, fp).offset : 0;
	const groups = window.empty
		? []
		: ctx.seller.groups
				.filter((g) => (window.after === undefined || g.start >= window.after) && g.start < window.before)
				.sort((a, b) => a.start - b.start || (a.currency < b.currency ? -1 : 1));
	const page = groups.slice(offset, offset + pageSize);
	const payload: Record<string, unknown> = { FinancialEventGroupList: page.map(renderGroupV0) };
	if (offset + pageSize < groups.length) {
		payload.NextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { fingerprint: fp, offset: offset + pageSize } satisfies GroupsToken);
	}
	return { status: 200, body: { payload } };
}

const chargesV0 = (list: Component[], currency: string) => list.map((c) => ({ ChargeType: c.type, ChargeAmount: currencyV0(c.amount, currency) }));
const feesV0 = (list: Component[], currency: string) => list.map((c) => ({ FeeType: c.type, FeeAmount: currencyV0(c.amount, currency) }));

function itemV0(item: EventItem, currency: string, adjustment: boolean): Record<string, unknown> {
	const out: Record<string, unknown> = { SellerSKU: item.sku, OrderItemId: item.orderItemId };
	if (item.orderAdjustmentItemId) out.OrderAdjustmentItemId = item.orderAdjustmentItemId;
	out.QuantityShipped = item.quantity;
	out[adjustment ? 'ItemChargeAdjustmentList' : 'ItemChargeList'] = chargesV0(item.charges, currency);
	out[adjustment ? 'ItemFeeAdjustmentList' : 'ItemFeeList'] = feesV0(item.fees, currency);
	if (item.withheld.length) out.ItemTaxWithheldList = [{ TaxCollectionModel: 'MarketplaceFacilitator', TaxesWithheld: chargesV0(item.withheld, currency) }];
	if (item.promotions.length) {
		out[adjustment ? 'PromotionAdjustmentList' : 'PromotionList'] = item.promotions.map((p) => ({ PromotionType: p.type, PromotionId: p.id, PromotionAmount: currencyV0(p.amount, currency) }));
	}
	return out;
}

export function renderEventV0(e: FinancialEvent): { list: (typeof EVENT_LISTS)[number]; event: Record<string, unknown> } {
	const mpName = marketplace(e.marketplaceId)?.name;
	if (e.kind === 'ServiceFee') {
		return { list: 'ServiceFeeEventList', event: { FeeList: feesV0(e.fees, e.currency), FeeDescription: e.feeDescription } };
	}
	const event: Record<string, unknown> = { AmazonOrderId: e.orderId };
	if (e.sellerOrderId) event.SellerOrderId = e.sellerOrderId;
	event.MarketplaceName = mpName;
	event.PostedDate = isoMillis(e.postedDate);
	if (e.kind === 'Refund') {
		event.ShipmentItemAdjustmentList = e.items.map((i) => itemV0(i, e.currency, true));
		return { list: 'RefundEventList', event };
	}
	event.ShipmentItemList = e.items.map((i) => itemV0(i, e.currency, false));
	return { list: 'ShipmentEventList', event };
}

interface EventsToken {
	fingerprint: string;
	offset: number;
}

export function listFinancialEventsByGroupId(ctx: ApiContext): ApiResult {
	const group = ctx.seller.groups.find((g) => g.groupId === ctx.params.eventGroupId);
	if (!group) throw notFound(`Financial event group ${ctx.params.eventGroupId} was not found.`);
	const pageSize = parseIntParam('MaxResultsPerPage', ctx.query.get('MaxResultsPerPage'), 1, 100, 100);
	if (ctx.query.get('PostedBefore') !== undefined && ctx.query.get('PostedAfter') === undefined) throw invalidInput('PostedBefore requires PostedAfter.');
	const window = postedWindow(ctx, 'PostedAfter', 'PostedBefore', false);
	const fp = fingerprint(ctx, ['PostedAfter', 'PostedBefore']);
	const token = ctx.query.get('NextToken');
	const offset = token !== undefined ? resolveToken<EventsToken>(ctx, token, fp).offset : 0;
	const events = window.empty ? [] : group.events.filter((e) => (window.after === undefined || e.postedDate >= window.after) && e.postedDate < window.before);
	const page = events.slice(offset, offset + pageSize);
	const lists: Record<string, unknown[]> = Object.fromEntries(EVENT_LISTS.map((l) => [l, []]));
	for (const e of page) {
		const { list, event } = renderEventV0(e);
		lists[list].push(event);
	}
	const payload: Record<string, unknown> = { FinancialEvents: lists };
	if (offset + pageSize < events.length) {
		payload.NextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { fingerprint: fp, offset: offset + pageSize } satisfies EventsToken);
	}
	return { status: 200, body: { payload } };
}

// ---- 2024-06-19 ----------------------------------------------------------------------------

interface Breakdown {
	breakdownType: string;
	breakdownAmount: { currencyCode: string; currencyAmount: number };
	breakdowns?: Breakdown[];
}

interface Node {
	type: string;
	amount: number;
	children: Node[];
}

const CHARGE_GROUP: Record<string, [string, string]> = {
	Principal: ['ProductCharges', 'OurPricePrincipal'],
	Tax: ['ProductCharges', 'OurPriceTax'],
	ShippingCharge: ['Shipping', 'ShippingPrincipal'],
	ShippingTax: ['Shipping', 'ShippingTax'],
};

function addPath(roots: Node[], path: string[], amount: number): void {
	let level = roots;
	for (const type of path) {
		let node = level.find((n) => n.type === type);
		if (!node) {
			node = { type, amount: 0, children: [] };
			level.push(node);
		}
		node.amount += amount;
		level = node.children;
	}
}

function eventTree(items: EventItem[], fees: Component[]): Node[] {
	const roots: Node[] = [];
	for (const item of items) {
		for (const c of item.charges) addPath(roots, ['Sales', ...(CHARGE_GROUP[c.type] ?? ['OtherCharges', c.type])], c.amount);
		for (const p of item.promotions) addPath(roots, ['Sales', 'Discounts', `${p.type}Promotion`], p.amount);
		for (const f of item.fees) addPath(roots, ['Expenses', 'AmazonFees', f.type], f.amount);
		for (const w of item.withheld) addPath(roots, ['Tax', 'MarketplaceFacilitatorTax', w.type.replace('MarketplaceFacilitatorTax-', '')], w.amount);
	}
	for (const f of fees) addPath(roots, ['Expenses', 'ServiceFees', f.type], f.amount);
	return roots;
}

function toBreakdowns(nodes: Node[], currency: string): Breakdown[] {
	return nodes.map((n) => {
		const b: Breakdown = { breakdownType: n.type, breakdownAmount: { currencyCode: currency, currencyAmount: minorToNumber(n.amount, currency) } };
		if (n.children.length) b.breakdowns = toBreakdowns(n.children, currency);
		return b;
	});
}

const itemTotal = (i: EventItem) => [i.charges, i.fees, i.withheld, i.promotions].reduce((s, l) => s + l.reduce((t, c) => t + c.amount, 0), 0);

export function renderTransaction(e: FinancialEvent): Record<string, unknown> {
	const money = (minor: number) => ({ currencyCode: e.currency, currencyAmount: minorToNumber(minor, e.currency) });
	const related: Array<{ relatedIdentifierName: string; relatedIdentifierValue: string }> = [];
	if (e.orderId) related.push({ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: e.orderId });
	if (e.shipmentId) related.push({ relatedIdentifierName: 'SHIPMENT_ID', relatedIdentifierValue: e.shipmentId });
	if (e.adjustmentId) related.push({ relatedIdentifierName: 'REFUND_ID', relatedIdentifierValue: e.adjustmentId });
	if (e.groupId) related.push({ relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: e.groupId });
	const mp = marketplace(e.marketplaceId);
	const tx: Record<string, unknown> = {
		sellingPartnerMetadata: { sellingPartnerId: e.sellerId, accountType: 'Standard Orders', marketplaceId: e.marketplaceId },
		relatedIdentifiers: related,
		transactionType: e.kind,
		transactionId: e.transactionId,
		transactionStatus: e.status,
		description: e.kind === 'Shipment' ? 'Order Payment' : e.kind === 'Refund' ? 'Refund Order' : (e.feeDescription ?? 'Service Fee'),
		postedDate: isoMillis(e.postedDate),
		totalAmount: money(eventTotal(e)),
		marketplaceDetails: { marketplaceId: e.marketplaceId, marketplaceName: mp?.name ?? '' },
		items: e.items.map((i) => ({
			description: i.title,
			relatedIdentifiers: i.orderAdjustmentItemId ? [{ itemRelatedIdentifierName: 'ORDER_ADJUSTMENT_ITEM_ID', itemRelatedIdentifierValue: i.orderAdjustmentItemId }] : [],
			totalAmount: money(itemTotal(i)),
			breakdowns: toBreakdowns(eventTree([i], []), e.currency),
			contexts: [{ contextType: 'ProductContext', asin: i.asin, sku: i.sku, quantityShipped: i.quantity, fulfillmentNetwork: e.fulfillment ?? 'MFN' }],
		})),
		breakdowns: toBreakdowns(eventTree(e.items, e.fees), e.currency),
	};
	if (e.maturityDate !== undefined) tx.contexts = [{ contextType: 'DeferredContext', deferralReason: 'DD7', maturityDate: isoMillis(e.maturityDate) }];
	return tx;
}

const TRANSACTION_STATUSES: TransactionStatus[] = ['DEFERRED', 'RELEASED', 'DEFERRED_RELEASED'];
const FILTER_IDENTIFIERS = ['FINANCIAL_EVENT_GROUP_ID', 'ORDER_ID'];

interface TransactionsToken {
	fingerprint: string;
	/** postedBefore as resolved by the first call (its default moves with the clock). */
	before: number;
	sliceStart: number;
	offset: number;
}

export function listTransactions(ctx: ApiContext): ApiResult {
	const q = ctx.query;
	const identifierName = q.get('relatedIdentifierName');
	const identifierValue = q.get('relatedIdentifierValue');
	if ((identifierName === undefined) !== (identifierValue === undefined)) throw invalidInput('relatedIdentifierName and relatedIdentifierValue must be provided together.');
	if (identifierName !== undefined && !FILTER_IDENTIFIERS.includes(identifierName)) {
		throw invalidInput(`Invalid relatedIdentifierName: ${identifierName}. Only ${FILTER_IDENTIFIERS.join(' and ')} can be used for filtering.`);
	}
	const status = q.get('transactionStatus');
	if (status !== undefined && !TRANSACTION_STATUSES.includes(status as TransactionStatus)) {
		throw invalidInput(`Invalid transactionStatus: ${status}. Allowed values: ${TRANSACTION_STATUSES.join(', ')}.`);
	}
	const marketplaceId = q.get('marketplaceId');
	if (marketplaceId !== undefined && marketplace(marketplaceId)?.region !== ctx.region) throw invalidInput(`Invalid marketplaceId: ${marketplaceId}.`);
	const names = ['postedAfter', 'postedBefore', 'marketplaceId', 'transactionStatus', 'relatedIdentifierName', 'relatedIdentifierValue'];
	const fp = fingerprint(ctx, names);
	const token = q.get('nextToken');
	const position = token !== undefined ? resolveToken<TransactionsToken>(ctx, token, fp) : undefined;
	const window = postedWindow(ctx, 'postedAfter', 'postedBefore', identifierName === undefined);
	if (position) window.before = position.before;
	const pageSize = ctx.state.config.transactionsPageSize;
	if (window.empty) return { status: 200, body: { payload: { transactions: [] } } };
	const matches = (e: FinancialEvent) => {
		if (window.after !== undefined && e.postedDate < window.after) return false;
		if (e.postedDate >= window.before) return false;
		if (status !== undefined && e.status !== status) return false;
		if (marketplaceId !== undefined) {
			if (e.marketplaceId !== marketplaceId) return false;
			// Documented note: US MFN orders come only when marketplaceId is omitted.
			if (marketplaceId === 'ATVPDKIKX0DER' && e.fulfillment === 'MFN' && e.kind !== 'ServiceFee') return false;
		}
		if (identifierName === 'ORDER_ID' && e.orderId !== identifierValue) return false;
		if (identifierName === 'FINANCIAL_EVENT_GROUP_ID' && e.groupId !== identifierValue) return false;
		return true;
	};
	const slice = ctx.state.config.transactionsSliceDays * DAY;
	// Identifier lookups are not sliced; date windows are scanned slice by slice (empty pages possible).
	const start = position?.sliceStart ?? window.after ?? -Infinity;
	const end = window.after === undefined ? window.before : Math.min(start + slice, window.before);
	const inSlice = ctx.seller.events.filter((e) => e.postedDate >= start && e.postedDate < end && matches(e));
	const offset = position?.offset ?? 0;
	const page = inSlice.slice(offset, offset + pageSize);
	let next: TransactionsToken | undefined;
	if (offset + pageSize < inSlice.length) next = { fingerprint: fp, before: window.before, sliceStart: start, offset: offset + pageSize };
	else if (end < window.before) next = { fingerprint: fp, before: window.before, sliceStart: end, offset: 0 };
	const payload: Record<string, unknown> = {};
	if (next) payload.nextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, next);
	payload.transactions = page.map(renderTransaction);
	return { status: 200, body: { payload } };
}

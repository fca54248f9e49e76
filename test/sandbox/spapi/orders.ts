/**
 * Orders API v0 (getOrders, getOrder, getOrderItems; `payload` wrapper, PascalCase, Money
 * {CurrencyCode, Amount:string}, PII only with a Restricted Data Token) and v2026-01-01
 * (searchOrders, getOrder; unwrapped, camelCase, Money {amount:string, currencyCode}, items
 * always included, BUYER / RECIPIENT only for apps with the restricted role).
 */
import type { ApiContext, ApiResult } from './context';
import { invalidInput, notFound } from './errors';
import { marketplace } from './marketplaces';
import { FULFILLMENT_STATUSES, fulfillmentStatusOf, ORDER_STATUSES_V0, type FulfillmentStatus, type OrderItemRecord, type OrderRecord, type OrderStatusV0 } from './model';
import { checkEnum, checkMaxItems, parseDateParam, parseIntParam } from './query';
import type { SellerData } from './store';
import { DAY, formatMinor, isoSeconds, MINUTE } from './util';

const TWO_MINUTES = 2 * MINUTE;
const ORDER_ID = /^\d{3}-\d{7}-\d{7}$/;

export const INCLUDED_DATA = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'] as const;

// ---- shared query engine -------------------------------------------------------------------

interface OrderQueryState {
	field: 'created' | 'updated';
	after: number;
	before: number;
	marketplaceIds: string[];
	statuses?: OrderStatusV0[];
	channels?: Array<'AFN' | 'MFN'>;
	paymentMethods?: string[];
	buyerEmail?: string;
	sellerOrderId?: string;
	amazonOrderIds?: string[];
	/** Last (time, id) of the previous page. */
	cursor?: { t: number; id: string };
}

const timeOf = (o: OrderRecord, field: OrderQueryState['field']) => (field === 'created' ? o.purchaseDate : o.lastUpdateDate);

function runQuery(seller: SellerData, state: OrderQueryState, pageSize: number): { page: OrderRecord[]; more: boolean } {
	const statuses = state.statuses && new Set(state.statuses);
	const mps = new Set(state.marketplaceIds);
	const candidates = seller.orders.filter((o) => {
		const t = timeOf(o, state.field);
		if (t < state.after || t > state.before || !mps.has(o.marketplaceId)) return false;
		if (statuses && !statuses.has(o.status)) return false;
		if (state.channels && !state.channels.includes(o.fulfillmentChannel)) return false;
		if (state.paymentMethods && !state.paymentMethods.includes('Other')) return false;
		if (state.buyerEmail && o.buyer.email !== state.buyerEmail) return false;
		if (state.sellerOrderId && o.sellerOrderId !== state.sellerOrderId) return false;
		if (state.amazonOrderIds && !state.amazonOrderIds.includes(o.amazonOrderId)) return false;
		if (state.cursor) {
			const c = state.cursor;
			if (t < c.t || (t === c.t && o.amazonOrderId <= c.id)) return false;
		}
		return true;
	});
	candidates.sort((a, b) => timeOf(a, state.field) - timeOf(b, state.field) || (a.amazonOrderId < b.amazonOrderId ? -1 : 1));
	return { page: candidates.slice(0, pageSize), more: candidates.length > pageSize };
}

function checkMarketplaces(ctx: ApiContext, name: string, ids: string[]): void {
	const bad = ids.filter((id) => !marketplace(id) || marketplace(id)!.region !== ctx.region || !ctx.seller.marketplaceIds.includes(id));
	if (bad.length) throw invalidInput(`Invalid ${name}: ${bad.join(', ')}. The seller does not participate in these marketplaces in this region.`);
}

/** Exactly-one-of and 2-minute rules shared by v0 (PascalCase) and 2026-01-01 (camelCase). */
function dateWindow(
	ctx: ApiContext,
	names: { createdAfter: string; createdBefore: string; lastUpdatedAfter: string; lastUpdatedBefore: string },
): { field: 'created' | 'updated'; after: number; before: number } {
	const q = ctx.query;
	const opts = { utcOnly: true };
	const createdAfter = parseDateParam(names.createdAfter, q.get(names.createdAfter), opts);
	const createdBefore = parseDateParam(names.createdBefore, q.get(names.createdBefore), opts);
	const updatedAfter = parseDateParam(names.lastUpdatedAfter, q.get(names.lastUpdatedAfter), opts);
	const updatedBefore = parseDateParam(names.lastUpdatedBefore, q.get(names.lastUpdatedBefore), opts);
	if (createdAfter === undefined && updatedAfter === undefined) {
		throw invalidInput(`Exactly one of ${names.createdAfter} and ${names.lastUpdatedAfter} is required; neither was provided.`);
	}
	if (createdAfter !== undefined && updatedAfter !== undefined) {
		throw invalidInput(`Exactly one of ${names.createdAfter} and ${names.lastUpdatedAfter} is allowed; both were provided.`);
	}
	if (createdAfter !== undefined && updatedBefore !== undefined) throw invalidInput(`${names.lastUpdatedBefore} cannot be set when ${names.createdAfter} is set.`);
	if (updatedAfter !== undefined && createdBefore !== undefined) throw invalidInput(`${names.createdBefore} cannot be set when ${names.lastUpdatedAfter} is set.`);
	const field = createdAfter !== undefined ? 'created' : 'updated';
	const after = (createdAfter ?? updatedAfter)!;
	const beforeGiven = field === 'created' ? createdBefore : updatedBefore;
	const [afterName, beforeName] = field === 'created' ? [names.createdAfter, names.createdBefore] : [names.lastUpdatedAfter, names.lastUpdatedBefore];
	const latest = ctx.now - TWO_MINUTES;
	if (beforeGiven !== undefined) {
		if (beforeGiven < after) throw invalidInput(`${beforeName} must be equal to or after ${afterName}.`);
		if (beforeGiven > latest) throw invalidInput(`${beforeName} must be at least two minutes before the time of the request (${isoSeconds(ctx.now)}).`);
	} else if (after > latest) {
		throw invalidInput(`${afterName} must be at least two minutes before the time of the request (${isoSeconds(ctx.now)}).`);
	}
	const before = Math.floor((beforeGiven ?? latest) / 1000) * 1000;
	return { field, after, before };
}

function findOrder(ctx: ApiContext, orderId: string): OrderRecord {
	if (!ORDER_ID.test(orderId)) throw invalidInput(`Invalid orderId '${orderId}': an Amazon order id has the form 3-7-7 digits.`);
	const order = ctx.seller.ordersById.get(orderId);
	if (!order || marketplace(order.marketplaceId)?.region !== ctx.region) throw notFound(`Order ${orderId} was not found.`);
	return order;
}

const priced = (o: OrderRecord) => o.status !== 'Pending' && o.status !== 'PendingAvailability' && o.status !== 'Canceled';

function orderTotal(o: OrderRecord): number {
	return o.items.reduce((s, i) => s + i.unitPrice * i.quantity + i.itemTax + i.shippingPrice + i.shippingTax - i.promotionDiscount, 0);
}

// ---- v0 ------------------------------------------------------------------------------------

/** PII granted by the request's RDT: buyerInfo, shippingAddress, buyerTaxInformation. */
export function grantedDataElements(ctx: ApiContext): Set<string> {
	const out = new Set<string>();
	if (ctx.token.kind !== 'rdt') return out;
	for (const r of ctx.token.resources ?? []) {
		if (r.method === ctx.method && pathCovers(r.path, ctx.path)) r.dataElements.forEach((d) => out.add(d));
	}
	return out;
}

/** A restricted resource path covers a request path: equal, or a `{param}` segment matches any one segment. */
export function pathCovers(resourcePath: string, requestPath: string): boolean {
	const a = resourcePath.split('/');
	const b = requestPath.split('/');
	if (a.length !== b.length) return false;
	return a.every((seg, i) => seg === b[i] || (/^\{[^/{}]+\}$/.test(seg) && b[i] !== ''));
}

const LEVEL_V0: Record<OrderRecord['serviceLevel'], string> = { Standard: 'Std', Expedited: 'Exp', SecondDay: 'Second', NextDay: 'Next' };

function moneyV0(minor: number, currency: string) {
	return { CurrencyCode: currency, Amount: formatMinor(minor, currency) };
}

export function renderOrderV0(o: OrderRecord, pii: Set<string>): Record<string, unknown> {
	const mp = marketplace(o.marketplaceId)!;
	const shipped = o.items.reduce((s, i) => s + i.quantityShipped, 0);
	const total = o.items.reduce((s, i) => s + i.quantity, 0);
	const open = o.status === 'Canceled' || o.status === 'Unfulfillable' ? 0 : total - shipped;
	const order: Record<string, unknown> = {
		AmazonOrderId: o.amazonOrderId,
		SellerOrderId: o.sellerOrderId,
		PurchaseDate: isoSeconds(o.purchaseDate),
		LastUpdateDate: isoSeconds(o.lastUpdateDate),
		OrderStatus: o.status,
		FulfillmentChannel: o.fulfillmentChannel,
		SalesChannel: mp.name,
		ShipServiceLevel: `${LEVEL_V0[o.serviceLevel]} ${mp.country} D2D Dom`,
		OrderTotal: priced(o) ? moneyV0(orderTotal(o), o.currency) : undefined,
		NumberOfItemsShipped: shipped,
		NumberOfItemsUnshipped: open,
		PaymentMethod: 'Other',
		PaymentMethodDetails: ['Standard'],
		MarketplaceId: o.marketplaceId,
		ShipmentServiceLevelCategory: o.serviceLevel,
		OrderType: o.status === 'PendingAvailability' ? 'Preorder' : 'StandardOrder',
		EarliestShipDate: isoSeconds(o.earliestShipDate),
		LatestShipDate: isoSeconds(o.latestShipDate),
		EarliestDeliveryDate: o.fulfillmentChannel === 'MFN' ? isoSeconds(o.earliestDeliveryDate) : undefined,
		LatestDeliveryDate: o.fulfillmentChannel === 'MFN' ? isoSeconds(o.latestDeliveryDate) : undefined,
		IsBusinessOrder: o.isBusiness,
		IsPrime: o.isPrime,
		IsPremiumOrder: false,
		IsGlobalExpressEnabled: false,
		IsReplacementOrder: false,
		IsSoldByAB: false,
		IsIBA: false,
		IsISPU: false,
		IsAccessPointOrder: false,
		HasRegulatedItems: false,
		AutomatedShippingSettings: o.fulfillmentChannel === 'MFN' ? { HasAutomatedShippingSettings: false } : undefined,
		DefaultShipFromLocationAddress:
			o.fulfillmentChannel === 'MFN'
				? { Name: 'Sandbox Seller Warehouse', AddressLine1: '1 Depot Road', City: 'Springfield', StateOrRegion: 'Region', PostalCode: '12345', CountryCode: mp.country }
				: undefined,
	};
	if (pii.has('shippingAddress')) {
		const a = o.address;
		order.ShippingAddress = {
			Name: a.name,
			CompanyName: a.companyName,
			AddressLine1: a.addressLine1,
			AddressLine2: a.addressLine2,
			City: a.city,
			StateOrRegion: a.stateOrRegion,
			PostalCode: a.postalCode,
			CountryCode: a.countryCode,
			Phone: a.phone,
			AddressType: a.addressType,
		};
	}
	if (pii.has('buyerInfo')) {
		order.BuyerInfo = {
			BuyerEmail: o.buyer.email,
			BuyerName: o.buyer.name,
			BuyerTaxInfo: o.buyer.companyName ? { CompanyLegalName: o.buyer.companyName } : undefined,
			PurchaseOrderNumber: o.buyer.purchaseOrderNumber,
		};
	}
	if (pii.has('buyerTaxInformation') && o.isBusiness) {
		order.BuyerTaxInformation = {
			BuyerLegalCompanyName: o.buyer.companyName,
			BuyerBusinessAddress: `${o.address.addressLine1}, ${o.address.postalCode} ${o.address.city}`,
			BuyerTaxRegistrationId: o.buyer.taxRegistrationId,
		};
	}
	return prune(order);
}

export function renderOrderItemV0(o: OrderRecord, item: OrderItemRecord, pii: Set<string>): Record<string, unknown> {
	const m = (minor: number) => moneyV0(minor, o.currency);
	const out: Record<string, unknown> = {
		ASIN: item.asin,
		SellerSKU: item.sku,
		OrderItemId: item.orderItemId,
		Title: item.title,
		QuantityOrdered: item.quantity,
		QuantityShipped: item.quantityShipped,
		ProductInfo: { NumberOfItems: '1' },
		ConditionId: 'New',
		ConditionSubtypeId: 'New',
		IsTransparency: false,
		SerialNumberRequired: false,
	};
	if (priced(o)) {
		Object.assign(out, {
			ItemPrice: m(item.unitPrice * item.quantity),
			ShippingPrice: m(item.shippingPrice),
			ItemTax: m(item.itemTax),
			ShippingTax: m(item.shippingTax),
			ShippingDiscount: m(item.promotionDiscount),
			ShippingDiscountTax: m(0),
			PromotionDiscount: m(0),
			PromotionDiscountTax: m(0),
			PromotionIds: item.promotionId ? [item.promotionId] : [],
			IsGift: String(item.isGift),
		});
		if (o.marketplaceId === 'ATVPDKIKX0DER') out.TaxCollection = { Model: 'MarketplaceFacilitator', ResponsibleParty: 'Amazon Services, Inc.' };
	}
	if (pii.has('buyerInfo') && item.isGift) out.BuyerInfo = { GiftMessageText: item.giftMessage, GiftWrapLevel: 'Classic', GiftWrapPrice: m(0), GiftWrapTax: m(0) };
	return prune(out);
}

/** Drops undefined properties, recursively (arrays included). */
function prune<T extends Record<string, unknown>>(o: T): T {
	for (const k of Object.keys(o)) {
		const v = o[k];
		if (v === undefined) delete o[k];
		else if (Array.isArray(v)) v.forEach((e) => e && typeof e === 'object' && prune(e as Record<string, unknown>));
		else if (v && typeof v === 'object') prune(v as Record<string, unknown>);
	}
	return o;
}

interface V0TokenState extends OrderQueryState {
	pageSize: number;
}

export function getOrdersV0(ctx: ApiContext): ApiResult {
	const q = ctx.query;
	const marketplaceIds = checkMaxItems('MarketplaceIds', q.list('MarketplaceIds'), 50);
	if (!marketplaceIds) throw invalidInput('Missing required parameter: MarketplaceIds.');
	checkMarketplaces(ctx, 'MarketplaceIds', marketplaceIds);
	const pageSizeParam = q.get('MaxResultsPerPage');
	const pageSize = parseIntParam('MaxResultsPerPage', pageSizeParam, 1, 100, 100);
	const nextToken = q.get('NextToken');
	let state: V0TokenState;
	if (nextToken !== undefined) {
		const r = ctx.state.paging.resolve<V0TokenState>(nextToken, ctx.seller.sellerId, ctx.operation.name);
		if (!r.ok) throw invalidInput('Invalid NextToken.', 'The NextToken is invalid or expired. NextToken values must be URL-encoded.');
		state = { ...r.state, pageSize: pageSizeParam !== undefined ? pageSize : r.state.pageSize };
	} else {
		const window = dateWindow(ctx, { createdAfter: 'CreatedAfter', createdBefore: 'CreatedBefore', lastUpdatedAfter: 'LastUpdatedAfter', lastUpdatedBefore: 'LastUpdatedBefore' });
		const sellerOrderId = q.get('SellerOrderId');
		const statuses = checkEnum('OrderStatuses', q.list('OrderStatuses'), ORDER_STATUSES_V0) as OrderStatusV0[] | undefined;
		const channels = checkEnum('FulfillmentChannels', q.list('FulfillmentChannels'), ['AFN', 'MFN']) as Array<'AFN' | 'MFN'> | undefined;
		const paymentMethods = checkEnum('PaymentMethods', q.list('PaymentMethods'), ['COD', 'CVS', 'Other']);
		const buyerEmail = q.get('BuyerEmail');
		if (sellerOrderId !== undefined && (statuses || channels || paymentMethods || buyerEmail || window.field === 'updated')) {
			throw invalidInput('SellerOrderId cannot be combined with FulfillmentChannels, OrderStatuses, PaymentMethod, LastUpdatedAfter, LastUpdatedBefore or BuyerEmail.');
		}
		state = {
			...window,
			marketplaceIds,
			statuses,
			channels,
			paymentMethods,
			buyerEmail,
			sellerOrderId,
			amazonOrderIds: checkMaxItems('AmazonOrderIds', q.list('AmazonOrderIds'), 50),
			pageSize,
		};
	}
	const { page, more } = runQuery(ctx.seller, state, state.pageSize);
	const pii = grantedDataElements(ctx);
	const payload: Record<string, unknown> = { Orders: page.map((o) => renderOrderV0(o, pii)) };
	if (more) {
		const last = page[page.length - 1];
		payload.NextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { ...state, cursor: { t: timeOf(last, state.field), id: last.amazonOrderId } });
	}
	payload[state.field === 'created' ? 'CreatedBefore' : 'LastUpdatedBefore'] = isoSeconds(state.before);
	return { status: 200, body: { payload } };
}

export function getOrderV0(ctx: ApiContext): ApiResult {
	const order = findOrder(ctx, ctx.params.orderId);
	return { status: 200, body: { payload: renderOrderV0(order, grantedDataElements(ctx)) } };
}

export function getOrderItemsV0(ctx: ApiContext): ApiResult {
	const order = findOrder(ctx, ctx.params.orderId);
	const pageSize = ctx.state.config.orderItemsPageSize;
	let offset = 0;
	const nextToken = ctx.query.get('NextToken');
	if (nextToken !== undefined) {
		const r = ctx.state.paging.resolve<{ orderId: string; offset: number }>(nextToken, ctx.seller.sellerId, ctx.operation.name);
		if (!r.ok || r.state.orderId !== order.amazonOrderId) throw invalidInput('Invalid NextToken.', 'The NextToken is invalid or belongs to another order.');
		offset = r.state.offset;
	}
	const pii = grantedDataElements(ctx);
	const items = order.items.slice(offset, offset + pageSize);
	const payload: Record<string, unknown> = { OrderItems: items.map((i) => renderOrderItemV0(order, i, pii)), AmazonOrderId: order.amazonOrderId };
	if (offset + pageSize < order.items.length) {
		payload.NextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { orderId: order.amazonOrderId, offset: offset + pageSize });
	}
	return { status: 200, body: { payload } };
}

// ---- 2026-01-01 ----------------------------------------------------------------------------

const LEVEL_2026: Record<OrderRecord['serviceLevel'], string> = { Standard: 'STANDARD', Expedited: 'EXPEDITED', SecondDay: 'SECOND_DAY', NextDay: 'NEXT_DAY' };

export function renderOrder2026(o: OrderRecord, included: Set<string>, restrictedRole: boolean, now: number): Record<string, unknown> {
	const mp = marketplace(o.marketplaceId)!;
	const money = (minor: number) => ({ amount: formatMinor(minor, o.currency), currencyCode: o.currency });
	const isPriced = priced(o);
	const programs = [...(o.isPrime ? ['PRIME'] : []), ...(o.isBusiness ? ['AMAZON_BUSINESS'] : [])];
	const order: Record<string, unknown> = {
		orderId: o.amazonOrderId,
		orderAliases: o.sellerOrderId ? [{ aliasId: o.sellerOrderId, aliasType: 'SELLER_ORDER_ID' }] : undefined,
		createdTime: isoSeconds(o.purchaseDate),
		lastUpdatedTime: isoSeconds(o.lastUpdateDate),
		programs: programs.length ? programs : undefined,
		salesChannel: { channelName: 'AMAZON', marketplaceId: o.marketplaceId, marketplaceName: mp.name },
	};
	if (included.has('BUYER') && restrictedRole) {
		order.buyer = {
			buyerName: o.buyer.name,
			buyerEmail: o.fulfillmentChannel === 'MFN' ? o.buyer.email : undefined,
			buyerCompanyName: o.buyer.companyName,
			buyerPurchaseOrderNumber: o.buyer.purchaseOrderNumber,
		};
	}
	if (included.has('RECIPIENT') && restrictedRole) {
		const a = o.address;
		order.recipient = {
			deliveryAddress: {
				name: a.name,
				companyName: a.companyName,
				addressLine1: a.addressLine1,
				addressLine2: a.addressLine2,
				city: a.city,
				stateOrRegion: a.stateOrRegion,
				postalCode: a.postalCode,
				countryCode: a.countryCode,
				phone: a.phone,
				addressType: a.addressType === 'Commercial' ? 'COMMERCIAL' : 'RESIDENTIAL',
			},
		};
	}
	const sum = (f: (i: OrderItemRecord) => number) => o.items.reduce((s, i) => s + f(i), 0);
	if (included.has('PROCEEDS') && isPriced) {
		const shipping = sum((i) => i.shippingPrice);
		const discount = sum((i) => i.promotionDiscount);
		order.proceeds = {
			grandTotal: money(orderTotal(o)),
			breakdowns: [
				{ type: 'ITEM', subtotal: money(sum((i) => i.unitPrice * i.quantity)) },
				...(shipping ? [{ type: 'SHIPPING', subtotal: money(shipping) }] : []),
				{ type: 'TAX', subtotal: money(sum((i) => i.itemTax + i.shippingTax)) },
				...(discount ? [{ type: 'DISCOUNT', subtotal: money(-discount) }] : []),
			],
		};
	}
	if (included.has('FULFILLMENT')) {
		order.fulfillment = {
			fulfillmentStatus: fulfillmentStatusOf(o.status),
			fulfilledBy: o.fulfillmentChannel === 'AFN' ? 'AMAZON' : 'MERCHANT',
			fulfillmentServiceLevel: LEVEL_2026[o.serviceLevel],
			shipByWindow: { earliestDateTime: isoSeconds(o.earliestShipDate), latestDateTime: isoSeconds(o.latestShipDate) },
			deliverByWindow: { earliestDateTime: isoSeconds(o.earliestDeliveryDate), latestDateTime: isoSeconds(o.latestDeliveryDate) },
		};
	}
	order.orderItems = o.items.map((i) => renderItem2026(o, i, included, money));
	if (included.has('PACKAGES') && o.fulfillmentChannel === 'MFN' && o.shipDate) {
		order.packages = [
			{
				packageReferenceId: '1',
				createdTime: isoSeconds(o.shipDate),
				packageStatus: { status: o.shipDate + 3 * DAY <= now ? 'DELIVERED' : 'SHIPPED' },
				carrier: o.carrier,
				shipTime: isoSeconds(o.shipDate),
				shippingService: o.serviceLevel,
				trackingNumber: o.trackingNumber,
				packageItems: o.items.filter((i) => i.quantityShipped > 0).map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantityShipped })),
			},
		];
	}
	return prune(order);
}

function renderItem2026(o: OrderRecord, i: OrderItemRecord, included: Set<string>, money: (minor: number) => { amount: string; currencyCode: string }): Record<string, unknown> {
	const isPriced = priced(o);
	const item: Record<string, unknown> = {
		orderItemId: i.orderItemId,
		quantityOrdered: i.quantity,
		product: {
			asin: i.asin,
			title: i.title,
			sellerSku: i.sku,
			condition: { conditionType: 'NEW', conditionSubtype: 'NEW' },
			price: isPriced ? { unitPrice: money(i.unitPrice) } : undefined,
		},
	};
	if (included.has('PROCEEDS') && isPriced) {
		const total = i.unitPrice * i.quantity + i.itemTax + i.shippingPrice + i.shippingTax - i.promotionDiscount;
		item.proceeds = {
			proceedsTotal: money(total),
			breakdowns: [
				{ type: 'ITEM', subtotal: money(i.unitPrice * i.quantity) },
				...(i.shippingPrice ? [{ type: 'SHIPPING', subtotal: money(i.shippingPrice) }] : []),
				{
					type: 'TAX',
					subtotal: money(i.itemTax + i.shippingTax),
					detailedBreakdowns: [{ subtype: 'ITEM', value: money(i.itemTax) }, ...(i.shippingTax ? [{ subtype: 'SHIPPING', value: money(i.shippingTax) }] : [])],
				},
				...(i.promotionDiscount ? [{ type: 'DISCOUNT', subtotal: money(-i.promotionDiscount), detailedBreakdowns: [{ subtype: 'SHIPPING', value: money(-i.promotionDiscount) }] }] : []),
			],
		};
	}
	if (included.has('EXPENSE') && o.currency === 'JPY' && isPriced) {
		const points = Math.floor((i.unitPrice * i.quantity) / 100);
		item.expense = { pointsCost: { pointsGranted: { pointsNumber: points, pointsMonetaryValue: money(points) } } };
	}
	if (included.has('PROMOTION') && i.promotionId) item.promotion = { breakdowns: [{ promotionId: i.promotionId }] };
	if (included.has('CANCELLATION') && o.status === 'Canceled') {
		item.cancellation = { cancellationExecution: { cancelledBy: 'MERCHANT', cancelReason: 'NoInventory' } };
	}
	if (included.has('FULFILLMENT')) {
		const closed = o.status === 'Canceled' || o.status === 'Unfulfillable';
		item.fulfillment = { quantityFulfilled: i.quantityShipped, quantityUnfulfilled: closed ? 0 : i.quantity - i.quantityShipped };
	}
	if (included.has('TAX') && o.marketplaceId === 'ATVPDKIKX0DER') {
		item.tax = { taxCollections: [{ model: 'MARKETPLACE_FACILITATOR', responsibleParty: 'Amazon Services, Inc.' }] };
	}
	return item;
}

interface SearchState extends OrderQueryState {
	pageSize: number;
	fulfillmentStatuses?: FulfillmentStatus[];
	fulfilledBy?: string[];
}

export function searchOrders(ctx: ApiContext): ApiResult {
	const q = ctx.query;
	const included = new Set(checkEnum('includedData', q.list('includedData'), INCLUDED_DATA) ?? []);
	const pageSizeParam = q.get('maxResultsPerPage');
	const pageSize = parseIntParam('maxResultsPerPage', pageSizeParam, 1, 100, 100);
	const token = q.get('paginationToken');
	let state: SearchState;
	if (token !== undefined) {
		const r = ctx.state.paging.resolve<SearchState>(token, ctx.seller.sellerId, ctx.operation.name);
		if (!r.ok) throw invalidInput('Invalid paginationToken.', 'The paginationToken is invalid or expired.');
		state = { ...r.state, pageSize: pageSizeParam !== undefined ? pageSize : r.state.pageSize };
	} else {
		const window = dateWindow(ctx, { createdAfter: 'createdAfter', createdBefore: 'createdBefore', lastUpdatedAfter: 'lastUpdatedAfter', lastUpdatedBefore: 'lastUpdatedBefore' });
		const marketplaceIds = checkMaxItems('marketplaceIds', q.list('marketplaceIds'), 50);
		if (marketplaceIds) checkMarketplaces(ctx, 'marketplaceIds', marketplaceIds);
		const statuses = checkEnum('fulfillmentStatuses', q.list('fulfillmentStatuses'), FULFILLMENT_STATUSES) as FulfillmentStatus[] | undefined;
		const fulfilledBy = checkEnum('fulfilledBy', q.list('fulfilledBy'), ['MERCHANT', 'AMAZON']);
		state = {
			...window,
			marketplaceIds: marketplaceIds ?? ctx.seller.marketplaceIds.filter((id) => marketplace(id)?.region === ctx.region),
			statuses: statuses && ORDER_STATUSES_V0.filter((s) => statuses.includes(fulfillmentStatusOf(s))),
			channels: fulfilledBy?.map((f) => (f === 'AMAZON' ? 'AFN' : 'MFN')),
			fulfillmentStatuses: statuses,
			fulfilledBy,
			pageSize,
		};
	}
	const { page, more } = runQuery(ctx.seller, state, state.pageSize);
	const body: Record<string, unknown> = { orders: page.map((o) => renderOrder2026(o, included, ctx.restrictedRole, ctx.now)) };
	if (more) {
		const last = page[page.length - 1];
		body.pagination = { nextToken: ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { ...state, cursor: { t: timeOf(last, state.field), id: last.amazonOrderId } }) };
	}
	body[state.field === 'created' ? 'createdBefore' : 'lastUpdatedBefore'] = isoSeconds(state.before);
	return { status: 200, body };
}

export function getOrder2026(ctx: ApiContext): ApiResult {
	const order = findOrder(ctx, ctx.params.orderId);
	const included = new Set(checkEnum('includedData', ctx.query.list('includedData'), INCLUDED_DATA) ?? []);
	return { status: 200, body: { order: renderOrder2026(order, included, ctx.restrictedRole, ctx.now) } };
}

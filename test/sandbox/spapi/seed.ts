/**
 * Deterministic seed data per seller: a product catalog (with SKUs that need URL-encoding), orders
 * across the seller's marketplaces, statuses and the last `historyDays` days, the financial events
 * those orders cause (shipments, refunds, monthly subscription fees; some NA MFN payments
 * deferred), 14-day financial event groups per currency, and FBA inventory. Same seed + anchor =
 * same data.
 */
import type { ResolvedConfig } from './config';
import { marketplace, USD_RATE, type MarketplaceInfo } from './marketplaces';
import type {
	Address,
	Buyer,
	Component,
	EventGroup,
	EventItem,
	FinancialEvent,
	InventoryRecord,
	OrderItemRecord,
	OrderRecord,
	OrderStatusV0,
	Product,
	PromotionComponent,
} from './model';
import { base64Id, createRandom, DAY, HOUR, MINUTE, type Random } from './util';

type SellerConfig = ResolvedConfig['sellers'][number];

// ---- catalog -------------------------------------------------------------------------------

const ADJECTIVES = ['Stainless', 'Bamboo', 'Organic', 'Compact', 'Wireless', 'Ergonomic', 'Foldable', 'Insulated', 'Vintage', 'Heavy-Duty', 'Eco', 'Premium'];
const NOUNS = ['Water Bottle', 'Desk Lamp', 'Yoga Mat', 'Phone Stand', 'Travel Mug', 'Cutting Board', 'Backpack', 'Notebook Set', 'Garden Hose', 'Bike Light', 'Tea Infuser', 'Cable Organizer'];
const VARIANTS = ['Black', 'White', 'Blue', 'Green', '500 ml', '750 ml', 'Large', 'Small', '2-Pack', '3-Pack'];

/** SKUs with characters that must be URL-encoded exactly once (peer lessons §3). */
const SPECIAL_SKUS = ['BUNDLE A&B/2', 'MUG+LID #4', 'TEE "CLASSIC" L', 'SKU WITH SPACES 7', 'MÜSLI-RIEGEL-12', "KID'S-CUP-100%"];

export function buildCatalog(rnd: Random, size: number, sellerIndex: number, region: string): Product[] {
	const products: Product[] = [];
	for (let i = 0; i < size; i++) {
		const special = i % 20 === 7 ? SPECIAL_SKUS[Math.floor(i / 20)] : undefined;
		// European sellers: some SKUs with umlauts (they end up in windows-1252 settlement files).
		const local = region === 'eu' && i % 10 === 3 ? `-GRÖSSE-${rnd.pick(['S', 'M', 'L', 'XL'])}` : '';
		const sku = special ?? `SKU-${sellerIndex + 1}${String(i + 1).padStart(4, '0')}-${rnd.alnum(3)}${local}`;
		const title = `${rnd.pick(ADJECTIVES)} ${rnd.pick(NOUNS)}, ${rnd.pick(VARIANTS)}`;
		products.push({
			sku,
			asin: `B0${rnd.alnum(8)}`,
			fnSku: `X00${rnd.alnum(7)}`,
			title,
			usdCents: rnd.int(5, 150) * 100 - 1,
			fbaFeeUsdCents: rnd.int(300, 650),
			fba: rnd.chance(0.6),
		});
	}
	return products;
}

/** A price in US cents converted to the currency (x.99 prices; JPY in whole tens). */
export function localPrice(usdCents: number, currency: string): number {
	const rate = USD_RATE[currency] ?? 1;
	if (currency === 'JPY') return Math.max(10, Math.round((usdCents * rate) / 1000) * 10);
	return Math.max(99, Math.round((usdCents * rate) / 100) * 100 - 1);
}

/** A fee in US cents converted (not rounded to .99). */
export function localFee(usdCents: number, currency: string): number {
	const rate = USD_RATE[currency] ?? 1;
	if (currency === 'JPY') return Math.round((usdCents * rate) / 100);
	return Math.round(usdCents * rate);
}

// ---- people and places ---------------------------------------------------------------------

const FIRST = ['John', 'Mary', 'Carlos', 'Aiko', 'Jürgen', 'Amélie', 'Sofia', 'Liam', 'Noah', 'Chloé', 'Hiroshi', 'Olivia', 'Zoë', 'Mateo'];
const LAST = ['Smith', 'Müller', 'García', 'Tanaka', 'Dubois', 'Rossi', 'Brown', 'Schäfer', 'López', 'Suzuki', 'Wilson', 'Ó Briain'];
const COMPANIES = ['Smith Industries LLC', 'Müller & Söhne GmbH', 'Acme Supplies Ltd', 'Tanaka Trading K.K.', 'Rossi S.r.l.'];
const STREETS = ['Main Street', 'Hauptstraße', 'Rue de la Paix', 'Via Roma', 'Calle Mayor', 'High Street', 'Oak Avenue', 'Sakura-dori'];

const CITIES: Record<string, Array<[string, string, string]>> = {
	US: [
		['Seattle', 'WA', '98101'],
		['Austin', 'TX', '73301'],
		['Columbus', 'OH', '43004'],
		['Denver', 'CO', '80202'],
	],
	CA: [
		['Toronto', 'ON', 'M5H 2N2'],
		['Vancouver', 'BC', 'V6B 1A1'],
	],
	MX: [
		['Ciudad de México', 'CDMX', '06600'],
		['Guadalajara', 'JAL', '44100'],
	],
	GB: [
		['London', 'England', 'SW1A 1AA'],
		['Manchester', 'England', 'M1 1AE'],
	],
	DE: [
		['Berlin', 'Berlin', '10115'],
		['München', 'Bayern', '80331'],
		['Köln', 'Nordrhein-Westfalen', '50667'],
	],
	FR: [
		['Paris', 'Île-de-France', '75001'],
		['Lyon', 'Auvergne-Rhône-Alpes', '69001'],
	],
	IT: [['Milano', 'MI', '20121']],
	ES: [['Madrid', 'Madrid', '28001']],
	JP: [
		['Tokyo', 'Tokyo', '150-0002'],
		['Osaka', 'Osaka', '530-0001'],
	],
	AU: [['Sydney', 'NSW', '2000']],
};

function address(rnd: Random, mp: MarketplaceInfo, buyer: Buyer): Address {
	const [city, state, zip] = rnd.pick(CITIES[mp.country] ?? [['Capital City', 'Region', '10000']]);
	return {
		name: buyer.name,
		companyName: buyer.companyName,
		addressLine1: `${rnd.int(1, 250)} ${rnd.pick(STREETS)}`,
		addressLine2: rnd.chance(0.2) ? `Apt ${rnd.int(1, 40)}` : undefined,
		city,
		stateOrRegion: state,
		postalCode: zip,
		countryCode: mp.country,
		phone: `+${rnd.int(1, 99)} ${rnd.digits(3)} ${rnd.digits(7)}`,
		addressType: buyer.companyName ? 'Commercial' : 'Residential',
	};
}

function buyer(rnd: Random, mp: MarketplaceInfo, business: boolean): Buyer {
	const domain = mp.name.replace(/^Amazon\./, '');
	return {
		name: `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`,
		email: `${rnd.alnum(16, 'abcdefghijklmnopqrstuvwxyz0123456789')}@marketplace.amazon.${domain}`,
		companyName: business ? rnd.pick(COMPANIES) : undefined,
		purchaseOrderNumber: business && rnd.chance(0.6) ? `PO-${rnd.digits(6)}` : undefined,
		taxRegistrationId: business ? `${mp.country}${rnd.digits(9)}` : undefined,
	};
}

// ---- orders --------------------------------------------------------------------------------

const CARRIERS = ['UPS', 'USPS', 'FedEx', 'DHL', 'Royal Mail', 'Yamato'];

export interface OrderSeedContext {
	rnd: Random;
	seller: SellerConfig;
	catalog: Product[];
	anchor: number;
	historyDays: number;
	usedOrderIds: Set<string>;
	nextItemId: () => string;
}

function newOrderId(ctx: OrderSeedContext, mp: MarketplaceInfo): string {
	for (;;) {
		const id = `${ctx.rnd.pick(mp.orderPrefixes)}-${ctx.rnd.digits(7)}-${ctx.rnd.digits(7)}`;
		if (!ctx.usedOrderIds.has(id)) {
			ctx.usedOrderIds.add(id);
			return id;
		}
	}
}

function pickStatus(rnd: Random, ageMs: number, channel: 'AFN' | 'MFN', itemCount: number): OrderStatusV0 {
	if (ageMs < 30 * MINUTE) return rnd.chance(0.5) ? 'Pending' : 'Unshipped';
	if (ageMs < 2 * DAY) {
		return rnd.weighted<OrderStatusV0>([
			['Unshipped', 45],
			['Shipped', 40],
			['PartiallyShipped', itemCount > 1 && channel === 'MFN' ? 6 : 0],
			['Canceled', 5],
			['Pending', 4],
		]);
	}
	return rnd.weighted<OrderStatusV0>([
		['Shipped', 90],
		['Canceled', 6],
		['Unfulfillable', channel === 'AFN' ? 1 : 0],
		['Unshipped', 1.5],
		['PendingAvailability', 0.5],
		['PartiallyShipped', itemCount > 1 && channel === 'MFN' ? 1 : 0],
	]);
}

export interface OrderOverrides {
	marketplaceId?: string;
	purchaseDate?: number;
	status?: OrderStatusV0;
	fulfillmentChannel?: 'AFN' | 'MFN';
	items?: Array<{ sku?: string; quantity?: number; unitPrice?: number }>;
	sellerOrderId?: string;
	amazonOrderId?: string;
	/** An Amazon Business order (a company buyer), or a consumer's. */
	isBusiness?: boolean;
}

export function generateOrder(ctx: OrderSeedContext, purchaseDate: number, overrides: OrderOverrides = {}): OrderRecord {
	const { rnd, seller, catalog, anchor } = ctx;
	const mpId = overrides.marketplaceId ?? rnd.weighted(seller.marketplaceIds.map((id, i) => [id, i === 0 ? 6 : 2] as const));
	const mp = marketplace(mpId)!;
	const channel = overrides.fulfillmentChannel ?? (rnd.chance(0.55) ? 'AFN' : 'MFN');
	const itemCount = overrides.items?.length ?? rnd.weighted([
		[1, 70],
		[2, 20],
		[3, 8],
		[rnd.int(12, 25), 2],
	]);
	const age = anchor - purchaseDate;
	const status = overrides.status ?? pickStatus(rnd, age, channel, itemCount);
	const businessRoll = rnd.chance(0.1);
	const isBusiness = overrides.isBusiness ?? businessRoll;
	const isPrime = channel === 'AFN' ? rnd.chance(0.7) : rnd.chance(0.15);
	const serviceLevel = rnd.weighted<OrderRecord['serviceLevel']>([
		['Standard', 80],
		['Expedited', 12],
		['SecondDay', 5],
		['NextDay', 3],
	]);
	const b = buyer(rnd, mp, isBusiness);
	const freeShipping = channel === 'AFN' || isPrime;
	const shippingPerLine = freeShipping ? 0 : localPrice(499, mp.currency);
	const promo = !freeShipping && rnd.chance(0.1);
	const items: OrderItemRecord[] = [];
	const used = new Set<string>();
	for (let i = 0; i < itemCount; i++) {
		const wanted = overrides.items?.[i];
		let product = wanted?.sku ? catalog.find((p) => p.sku === wanted.sku) : undefined;
		for (let attempt = 0; !product && attempt < 20; attempt++) {
			const candidate = rnd.pick(catalog);
			if ((channel === 'MFN' || candidate.fba) && !used.has(candidate.sku)) product = candidate;
		}
		product ??= rnd.pick(catalog);
		used.add(product.sku);
		const quantity = wanted?.quantity ?? (rnd.chance(0.85) ? 1 : rnd.int(2, 4));
		const unitPrice = wanted?.unitPrice ?? localPrice(product.usdCents, mp.currency);
		const shippingPrice = i === 0 ? shippingPerLine : 0;
		items.push({
			orderItemId: ctx.nextItemId(),
			sku: product.sku,
			asin: product.asin,
			title: product.title,
			quantity,
			quantityShipped: 0,
			unitPrice,
			itemTax: Math.round((unitPrice * quantity * mp.taxBp) / 10000),
			shippingPrice,
			shippingTax: Math.round((shippingPrice * mp.taxBp) / 10000),
			promotionDiscount: promo && i === 0 ? shippingPrice : 0,
			promotionId: promo && i === 0 ? (mp.currency === 'EUR' ? 'Gratisversand ab 29 € – Aktion' : 'Core Free Shipping Promotion 1') : undefined,
			isGift: rnd.chance(0.03),
			giftMessage: undefined,
		});
	}
	for (const item of items) if (item.isGift) item.giftMessage = 'Happy birthday!';

	const earliestShipDate = purchaseDate + 2 * HOUR;
	const latestShipDate = purchaseDate + (serviceLevel === 'Standard' ? 2 : 1) * DAY;
	const earliestDeliveryDate = latestShipDate + DAY;
	const latestDeliveryDate = latestShipDate + (serviceLevel === 'Standard' ? 5 : 2) * DAY;
	const order: OrderRecord = {
		amazonOrderId: overrides.amazonOrderId ?? newOrderId(ctx, mp),
		sellerId: seller.sellerId,
		marketplaceId: mp.id,
		currency: mp.currency,
		sellerOrderId: overrides.sellerOrderId ?? (rnd.chance(0.4) ? `SO-${rnd.digits(8)}` : undefined),
		purchaseDate,
		lastUpdateDate: purchaseDate,
		status,
		fulfillmentChannel: channel,
		serviceLevel,
		isPrime,
		isBusiness,
		earliestShipDate,
		latestShipDate,
		earliestDeliveryDate,
		latestDeliveryDate,
		buyer: b,
		address: address(rnd, mp, b),
		items,
	};
	applyStatus(ctx.rnd, order, status, anchor);
	return order;
}

/** Sets ship date, shipped quantities and the last update for a status (time never beyond `limit`). */
export function applyStatus(rnd: Random, order: OrderRecord, status: OrderStatusV0, limit: number, updateAt?: number): void {
	order.status = status;
	const cap = (t: number) => Math.min(t, limit);
	if (status === 'Shipped' || status === 'PartiallyShipped' || status === 'InvoiceUnconfirmed') {
		order.shipDate ??= cap(updateAt ?? order.purchaseDate + rnd.int(4, 72) * HOUR);
		order.carrier ??= order.fulfillmentChannel === 'AFN' ? 'AMZN_US' : rnd.pick(CARRIERS);
		order.trackingNumber ??= `1Z${rnd.alnum(16)}`;
		order.items.forEach((item, i) => {
			item.quantityShipped = status === 'PartiallyShipped' ? (i === 0 ? item.quantity : 0) : item.quantity;
		});
		order.lastUpdateDate = updateAt ?? cap(order.shipDate + rnd.int(0, 48) * HOUR);
	} else {
		order.items.forEach((item) => (item.quantityShipped = 0));
		const after = status === 'Canceled' || status === 'Unfulfillable' ? rnd.int(1, 24) * HOUR : status === 'Unshipped' ? rnd.int(1, 60) * MINUTE : 0;
		order.lastUpdateDate = updateAt ?? cap(order.purchaseDate + after);
	}
	if (order.lastUpdateDate < order.purchaseDate) order.lastUpdateDate = order.purchaseDate;
	// Second resolution, like the API's timestamps.
	order.lastUpdateDate = Math.floor(order.lastUpdateDate / 1000) * 1000;
	if (order.shipDate !== undefined) order.shipDate = Math.floor(order.shipDate / 1000) * 1000;
}

export function seedOrders(ctx: OrderSeedContext, count: number): OrderRecord[] {
	const { rnd, anchor, historyDays } = ctx;
	const span = historyDays * DAY;
	const recent = Math.min(count, 6);
	const times: number[] = [];
	for (let i = 0; i < count - recent; i++) times.push(anchor - 15 * MINUTE - Math.floor(rnd.next() * (span - 15 * MINUTE)));
	// A few orders from the last minutes: inside the 2-minute blind spot of every "before" bound.
	for (let i = 0; i < recent; i++) times.push(anchor - (i < recent / 2 ? rnd.int(5, 100) : rnd.int(121, 14 * 60)) * 1000);
	times.sort((a, b) => a - b);
	return times.map((t) => generateOrder(ctx, Math.floor(t / 1000) * 1000));
}

// ---- finances ------------------------------------------------------------------------------

const PERIOD = 14 * DAY;

function shipmentItems(order: OrderRecord, product: (sku: string) => Product | undefined): EventItem[] {
	const us = order.marketplaceId === 'ATVPDKIKX0DER';
	return order.items
		.filter((item) => item.quantityShipped > 0)
		.map((item) => {
			const principal = item.unitPrice * item.quantityShipped;
			const charges: Component[] = [
				{ type: 'Principal', amount: principal },
				{ type: 'Tax', amount: item.itemTax },
			];
			if (item.shippingPrice) charges.push({ type: 'ShippingCharge', amount: item.shippingPrice }, { type: 'ShippingTax', amount: item.shippingTax });
			const fees: Component[] = [{ type: 'Commission', amount: -Math.max(Math.round(principal * 0.15), order.currency === 'JPY' ? 30 : 30) }];
			const p = product(item.sku);
			if (order.fulfillmentChannel === 'AFN') fees.push({ type: 'FBAPerUnitFulfillmentFee', amount: -localFee(p?.fbaFeeUsdCents ?? 400, order.currency) * item.quantityShipped });
			const withheld: Component[] = [];
			if (us) {
				withheld.push({ type: 'MarketplaceFacilitatorTax-Principal', amount: -item.itemTax });
				if (item.shippingTax) withheld.push({ type: 'MarketplaceFacilitatorTax-Shipping', amount: -item.shippingTax });
			}
			const promotions: PromotionComponent[] = item.promotionDiscount ? [{ type: 'Shipping', id: item.promotionId ?? 'Promotion', amount: -item.promotionDiscount }] : [];
			return { sku: item.sku, asin: item.asin, title: item.title, orderItemId: item.orderItemId, quantity: item.quantityShipped, charges, fees, withheld, promotions };
		});
}

export function eventTotal(event: FinancialEvent): number {
	let total = event.fees.reduce((s, c) => s + c.amount, 0);
	for (const item of event.items) {
		for (const list of [item.charges, item.fees, item.withheld, item.promotions]) total += list.reduce((s, c) => s + c.amount, 0);
	}
	return total;
}

export interface FinanceSeed {
	events: FinancialEvent[];
	groups: EventGroup[];
}

export function seedFinances(rnd: Random, seller: SellerConfig, orders: OrderRecord[], catalog: Product[], anchor: number, historyDays: number): FinanceSeed {
	const bySku = new Map(catalog.map((p) => [p.sku, p]));
	const product = (sku: string) => bySku.get(sku);
	const events: FinancialEvent[] = [];
	const txId = () => base64Id(rnd, 43);
	for (const order of orders) {
		if (!order.shipDate || order.items.every((i) => i.quantityShipped === 0)) continue;
		const posted = order.shipDate + rnd.int(1, 30) * HOUR + rnd.int(0, 3599) * 1000;
		if (posted > anchor - 10 * MINUTE) continue;
		const deferred = seller.region === 'na' && order.fulfillmentChannel === 'MFN' && rnd.chance(0.25);
		const maturity = deferred ? posted + 7 * DAY : undefined;
		const shipment: FinancialEvent = {
			transactionId: txId(),
			kind: 'Shipment',
			sellerId: seller.sellerId,
			marketplaceId: order.marketplaceId,
			currency: order.currency,
			postedDate: posted,
			status: deferred ? (maturity! <= anchor ? 'DEFERRED_RELEASED' : 'DEFERRED') : 'RELEASED',
			maturityDate: maturity,
			orderId: order.amazonOrderId,
			sellerOrderId: order.sellerOrderId,
			shipmentId: `D${rnd.alnum(8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`,
			fulfillment: order.fulfillmentChannel,
			items: shipmentItems(order, product),
			fees: [],
		};
		events.push(shipment);
		if (rnd.chance(0.04)) {
			const refundPosted = posted + rnd.int(3, 25) * DAY + rnd.int(0, 86_399) * 1000;
			if (refundPosted <= anchor - 10 * MINUTE) {
				const source = shipment.items[0];
				const principal = source.charges.find((c) => c.type === 'Principal')!.amount;
				const tax = source.charges.find((c) => c.type === 'Tax')!.amount;
				const commission = -source.fees.find((c) => c.type === 'Commission')!.amount;
				const refundCommission = Math.min(Math.round(commission * 0.2), order.currency === 'JPY' ? 500 : 500);
				events.push({
					transactionId: txId(),
					kind: 'Refund',
					sellerId: seller.sellerId,
					marketplaceId: order.marketplaceId,
					currency: order.currency,
					postedDate: refundPosted,
					status: 'RELEASED',
					orderId: order.amazonOrderId,
					sellerOrderId: order.sellerOrderId,
					adjustmentId: rnd.digits(14),
					fulfillment: order.fulfillmentChannel,
					items: [
						{
							sku: source.sku,
							asin: source.asin,
							title: source.title,
							orderItemId: source.orderItemId,
							orderAdjustmentItemId: rnd.digits(14),
							quantity: source.quantity,
							charges: [
								{ type: 'Principal', amount: -principal },
								{ type: 'Tax', amount: -tax },
							],
							fees: [
								{ type: 'Commission', amount: commission },
								{ type: 'RefundCommission', amount: -refundCommission },
							],
							withheld: order.marketplaceId === 'ATVPDKIKX0DER' ? [{ type: 'MarketplaceFacilitatorTax-Principal', amount: tax }] : [],
							promotions: [],
						},
					],
					fees: [],
				});
			}
		}
	}
	// Monthly subscription fee per currency account (on the first marketplace of that currency).
	const accounts = new Map<string, string>();
	for (const id of seller.marketplaceIds) {
		const mp = marketplace(id)!;
		if (!accounts.has(mp.currency)) accounts.set(mp.currency, id);
	}
	const first = new Date(anchor - historyDays * DAY);
	for (let month = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 1); month <= anchor; ) {
		for (const [currency, mpId] of accounts) {
			const posted = month + rnd.int(1, 6) * HOUR;
			if (posted > anchor - 10 * MINUTE) continue;
			events.push({
				transactionId: txId(),
				kind: 'ServiceFee',
				sellerId: seller.sellerId,
				marketplaceId: mpId,
				currency,
				postedDate: posted,
				status: 'RELEASED',
				items: [],
				fees: [{ type: 'Subscription', amount: -localFee(3999, currency) }],
				feeDescription: currency === 'EUR' ? 'Abonnementgebühr' : 'Subscription Fee',
			});
		}
		const d = new Date(month);
		month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
	}
	events.sort((a, b) => a.postedDate - b.postedDate || (a.transactionId < b.transactionId ? -1 : 1));

	// 14-day groups per currency, aligned to the epoch; the one containing the anchor is Open.
	const groups: EventGroup[] = [];
	const firstStart = Math.floor((anchor - historyDays * DAY) / PERIOD) * PERIOD;
	for (const [currency] of accounts) {
		const mpIds = seller.marketplaceIds.filter((id) => marketplace(id)!.currency === currency);
		for (let start = firstStart; start <= anchor; start += PERIOD) {
			const end = start + PERIOD;
			const closed = end <= anchor;
			const transferred = closed && end + DAY <= anchor;
			groups.push({
				groupId: base64Id(rnd, 43),
				settlementId: `${rnd.int(1, 9)}${rnd.digits(10)}`,
				sellerId: seller.sellerId,
				currency,
				marketplaceIds: mpIds,
				start,
				end,
				processingStatus: closed ? 'Closed' : 'Open',
				fundTransferStatus: transferred ? 'Succeeded' : closed ? 'Initiated' : 'Unknown',
				fundTransferDate: transferred ? end + DAY + rnd.int(0, 12) * HOUR : undefined,
				traceId: transferred ? rnd.digits(14) : undefined,
				accountTail: rnd.digits(3),
				events: [],
				total: 0,
			});
		}
	}
	for (const event of events) {
		if (event.status === 'DEFERRED') continue;
		const effective = event.status === 'DEFERRED_RELEASED' ? event.maturityDate! : event.postedDate;
		const group = groups.find((g) => g.currency === event.currency && effective >= g.start && effective < g.end);
		if (!group) continue;
		event.groupId = group.groupId;
		group.events.push(event);
		group.total += eventTotal(event);
	}
	return { events, groups };
}

// ---- inventory -----------------------------------------------------------------------------

export function seedInventory(rnd: Random, seller: SellerConfig, catalog: Product[], anchor: number): Map<string, InventoryRecord[]> {
	const out = new Map<string, InventoryRecord[]>();
	for (const mpId of seller.marketplaceIds) {
		const rows: InventoryRecord[] = [];
		for (const p of catalog) {
			if (!p.fba) continue;
			const empty = rnd.chance(0.05);
			const q = (max: number) => (empty ? 0 : rnd.int(0, max));
			rows.push({
				sellerId: seller.sellerId,
				marketplaceId: mpId,
				sku: p.sku,
				asin: p.asin,
				fnSku: p.fnSku,
				productName: p.title,
				condition: 'NewItem',
				lastUpdatedTime: Math.floor((anchor - (rnd.chance(0.1) ? rnd.int(0, DAY) : rnd.int(DAY, 60 * DAY))) / 1000) * 1000,
				fulfillable: q(400),
				inboundWorking: q(20),
				inboundShipped: q(50),
				inboundReceiving: q(10),
				reserved: { pendingCustomerOrder: q(8), pendingTransshipment: q(5), fcProcessing: q(3) },
				researching: { shortTerm: q(2), midTerm: q(1), longTerm: 0 },
				unfulfillable: { customerDamaged: q(2), warehouseDamaged: q(1), distributorDamaged: 0, carrierDamaged: q(1), defective: q(1), expired: 0 },
			});
		}
		rows.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
		out.set(mpId, rows);
	}
	return out;
}

export function createSellerRandom(seed: number, sellerIndex: number): Random {
	return createRandom(seed * 7919 + sellerIndex * 104_729 + 1);
}

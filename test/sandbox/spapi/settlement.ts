/**
 * GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 documents (reference §7): 24 tab-separated columns,
 * header row, then a summary row (settlement id, period, deposit date, total, currency), then one
 * row per amount component. The components sum exactly to total-amount.
 *
 * Style per currency: EUR files use German formatting (dates `01.03.2026 14:23:00 UTC`, posted
 * date `01.03.2026`, decimal commas) and every EU file is windows-1252; others use the
 * `2026-03-01 14:23:00 UTC` / `12.34` form of the synthetic fixture, in UTF-8.
 */
import { marketplace } from './marketplaces';
import type { EventGroup, FinancialEvent } from './model';
import { DAY, encodeText, formatMinor } from './util';

export const SETTLEMENT_REPORT_TYPES = [
	'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
	'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE',
	'GET_V2_SETTLEMENT_REPORT_DATA_XML',
] as const;

export const SETTLEMENT_COLUMNS = [
	'settlement-id',
	'settlement-start-date',
	'settlement-end-date',
	'deposit-date',
	'total-amount',
	'currency',
	'transaction-type',
	'order-id',
	'merchant-order-id',
	'adjustment-id',
	'shipment-id',
	'marketplace-name',
	'amount-type',
	'amount-description',
	'amount',
	'fulfillment-id',
	'posted-date',
	'posted-date-time',
	'order-item-code',
	'merchant-order-item-id',
	'merchant-adjustment-item-id',
	'sku',
	'quantity-purchased',
	'promotion-id',
] as const;

type Column = (typeof SETTLEMENT_COLUMNS)[number];
type Row = Partial<Record<Column, string>>;

export interface SettlementStyle {
	style: 'iso' | 'de';
	charset: 'UTF-8' | 'windows-1252';
}

export function settlementStyleOf(group: EventGroup): SettlementStyle {
	const mp = marketplace(group.marketplaceIds[0])!;
	return { style: mp.settlementStyle, charset: mp.flatFileCharset };
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatDateTime(ms: number, style: 'iso' | 'de'): string {
	const d = new Date(ms);
	const date = style === 'de' ? `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}` : `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

function formatDate(ms: number, style: 'iso' | 'de'): string {
	return formatDateTime(ms, style).slice(0, 10);
}

const CHARGE_DESCRIPTION: Record<string, string> = { Principal: 'Principal', Tax: 'Tax', ShippingCharge: 'Shipping', ShippingTax: 'ShippingTax' };

function eventRows(event: FinancialEvent, style: 'iso' | 'de'): Row[] {
	const amount = (minor: number) => formatMinor(minor, event.currency, style === 'de');
	const mpName = marketplace(event.marketplaceId)?.name ?? '';
	const posted = event.status === 'DEFERRED_RELEASED' ? event.maturityDate! : event.postedDate;
	const common: Row = { 'posted-date': formatDate(posted, style), 'posted-date-time': formatDateTime(posted, style) };
	if (event.kind === 'ServiceFee') {
		return event.fees.map((fee) => ({
			...common,
			'transaction-type': 'other-transaction',
			'amount-type': 'other-transaction',
			'amount-description': event.feeDescription ?? fee.type,
			amount: amount(fee.amount),
		}));
	}
	const rows: Row[] = [];
	const refund = event.kind === 'Refund';
	for (const item of event.items) {
		const base: Row = {
			...common,
			'transaction-type': refund ? 'Refund' : 'Order',
			'order-id': event.orderId,
			'merchant-order-id': event.sellerOrderId,
			'adjustment-id': event.adjustmentId,
			'shipment-id': event.shipmentId,
			'marketplace-name': mpName,
			'fulfillment-id': event.fulfillment,
			'order-item-code': item.orderItemId,
			sku: item.sku,
		};
		for (const c of item.charges) {
			rows.push({ ...base, 'amount-type': 'ItemPrice', 'amount-description': CHARGE_DESCRIPTION[c.type] ?? c.type, amount: amount(c.amount), 'quantity-purchased': String(item.quantity) });
		}
		for (const c of item.withheld) rows.push({ ...base, 'amount-type': 'ItemWithheldTax', 'amount-description': c.type, amount: amount(c.amount) });
		for (const c of item.fees) rows.push({ ...base, 'amount-type': 'ItemFees', 'amount-description': c.type, amount: amount(c.amount) });
		for (const p of item.promotions) rows.push({ ...base, 'amount-type': 'Promotion', 'amount-description': p.type, amount: amount(p.amount), 'promotion-id': p.id });
	}
	return rows;
}

/** The flat file text of one closed group. */
export function settlementText(group: EventGroup): string {
	const { style } = settlementStyleOf(group);
	const line = (row: Row) => SETTLEMENT_COLUMNS.map((c) => (row[c] ?? '').replace(/[\t\r\n]/g, ' ')).join('\t');
	const lines = [SETTLEMENT_COLUMNS.join('\t')];
	lines.push(
		line({
			'settlement-id': group.settlementId,
			'settlement-start-date': formatDateTime(group.start, style),
			'settlement-end-date': formatDateTime(group.end, style),
			'deposit-date': formatDateTime(group.end + DAY, style),
			'total-amount': formatMinor(group.total, group.currency, style === 'de'),
			currency: group.currency,
		}),
	);
	for (const event of group.events) {
		for (const row of eventRows(event, style)) lines.push(line({ 'settlement-id': group.settlementId, ...row }));
	}
	return `${lines.join('\n')}\n`;
}

export function settlementBytes(group: EventGroup): Buffer {
	return encodeText(settlementText(group), settlementStyleOf(group).charset);
}

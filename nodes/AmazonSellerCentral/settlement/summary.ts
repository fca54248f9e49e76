/**
 * Records → settlement summary: totals per (transaction-type, amount-type, amount-description,
 * currency) and per posting month, counts, and the reconciliation against total-amount. Only one
 * accumulator per group and month is kept, so memory grows with the number of distinct groups,
 * never with the number of lines.
 */
import { DateTime } from 'luxon';

import { Decimal } from '../../common/decimal';
import { SettlementError } from './errors';
import { formatAmount } from './money';
import type { SettlementRecord, SettlementSummaryRow } from './parser';

export interface SummariseOptions {
	/**
	 * IANA zone whose calendar decides the posting month (and journal dates), e.g. `Europe/Berlin`
	 * when the books close at local month end. Default `UTC`. Date-only postings keep their date.
	 */
	timeZone?: string;
	/** Order ids kept per group as examples for unmapped types; default 3. */
	maxExampleOrderIds?: number;
}

export interface SettlementGroupMonth {
	/** `yyyy-MM`, or null for components without a posted date. */
	month: string | null;
	amount: string;
	count: number;
}

export interface SettlementGroup {
	transactionType: string;
	amountType: string;
	amountDescription: string;
	currency: string;
	/** Exact sum of the group's amounts (seller's view: positive = owed to the seller). */
	amount: string;
	count: number;
	/** Line of the group's first component, for finding it in the file. */
	firstLine: number;
	exampleOrderIds: string[];
	/** Per posting month, ascending; undated (null) last. */
	months: SettlementGroupMonth[];
}

export interface SettlementSummary {
	settlementId: string;
	currency: string;
	/** ISO 8601 UTC (as in the summary row), or null. */
	startDate: string | null;
	endDate: string | null;
	depositDate: string | null;
	/** total-amount of the summary row: the deposit. */
	totalAmount: string;
	/** Sum of all components; equals totalAmount (checked). */
	componentTotal: string;
	componentCount: number;
	/** The zone used for months and dates. */
	timeZone: string;
	/** Posting months present, ascending (`yyyy-MM`). */
	months: string[];
	/** First and last posting date (`yyyy-MM-dd` in timeZone), or null when nothing is dated. */
	firstPostedDate: string | null;
	lastPostedDate: string | null;
	undatedCount: number;
	/** In the order of their first appearance in the file. */
	groups: SettlementGroup[];
}

/** An exact running sum in integer units at the largest scale seen (cheaper than a Decimal per add). */
class Sum {
	units = 0n;
	scale = 0;

	add(value: Decimal): void {
		if (value.scale > this.scale) {
			this.units *= 10n ** BigInt(value.scale - this.scale);
			this.scale = value.scale;
		}
		this.units += value.scale === this.scale ? value.units : value.units * 10n ** BigInt(this.scale - value.scale);
	}

	toDecimal(): Decimal {
		const negative = this.units < 0n;
		const digits = (negative ? -this.units : this.units).toString().padStart(this.scale + 1, '0');
		const point = digits.length - this.scale;
		return Decimal.from(`${negative ? '-' : ''}${digits.slice(0, point)}${this.scale ? `.${digits.slice(point)}` : ''}`);
	}
}

interface GroupState {
	transactionType: string;
	amountType: string;
	amountDescription: string;
	currency: string;
	count: number;
	firstLine: number;
	examples: string[];
	months: Map<string, { sum: Sum; count: number }>;
}

export function checkTimeZone(zone: string): string {
	if (!DateTime.now().setZone(zone).isValid) {
		throw new SettlementError('OPTIONS', `Unknown time zone "${zone}"`, { hint: 'Use an IANA zone such as UTC or Europe/Berlin.', context: { timeZone: zone } });
	}
	return zone;
}

/** `yyyy-MM-dd` of an ISO instant in `zone`. */
export function dateInZone(iso: string, zone: string): string {
	return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toISODate() as string;
}

/**
 * Consumes the records (summary first) and returns the reconciled summary; fails when the
 * components do not add up to total-amount to the last digit.
 */
export async function summariseSettlement(
	records: AsyncIterable<SettlementRecord> | Iterable<SettlementRecord>,
	options: SummariseOptions = {},
): Promise<SettlementSummary> {
	const zone = checkTimeZone(options.timeZone ?? 'UTC');
	// In UTC the parser's UTC date is already the answer; other zones convert the instant.
	const probe = DateTime.now().setZone(zone);
	const utc = probe.zone.isUniversal && probe.offset === 0;
	const maxExamples = options.maxExampleOrderIds ?? 3;
	let summary: SettlementSummaryRow | undefined;
	const groups = new Map<string, GroupState>();
	const total = new Sum();
	let componentCount = 0;
	let undatedCount = 0;
	let firstPosted: string | null = null;
	let lastPosted: string | null = null;
	// Components of one order share a posting instant: remember the last conversion.
	let lastMs = Number.NaN;
	let lastDate = '';

	for await (const record of records) {
		if (record.kind === 'summary') {
			if (summary) throw new SettlementError('SUMMARY', 'A second settlement summary row', { line: record.line });
			summary = record;
			continue;
		}
		if (!summary) throw new SettlementError('SUMMARY', 'A component row came before the settlement summary row', { line: record.line });
		componentCount++;
		total.add(record.amount);

		let date: string | null = null;
		if (record.postedDateTime !== null && record.postedMs !== null && !utc) {
			if (record.postedMs !== lastMs) {
				lastMs = record.postedMs;
				lastDate = DateTime.fromMillis(record.postedMs, { zone }).toISODate() as string;
			}
			date = lastDate;
		} else date = record.postedDate;
		if (date === null) undatedCount++;
		else {
			if (firstPosted === null || date < firstPosted) firstPosted = date;
			if (lastPosted === null || date > lastPosted) lastPosted = date;
		}

		const key = `${record.transactionType}\u0000${record.amountType}\u0000${record.amountDescription}\u0000${record.currency}`;
		let group = groups.get(key);
		if (!group) {
			group = {
				transactionType: record.transactionType,
				amountType: record.amountType,
				amountDescription: record.amountDescription,
				currency: record.currency,
				count: 0,
				firstLine: record.line,
				examples: [],
				months: new Map(),
			};
			groups.set(key, group);
		}
		group.count++;
		if (record.orderId !== '' && group.examples.length < maxExamples && !group.examples.includes(record.orderId)) {
			group.examples.push(record.orderId);
		}
		const month = date === null ? '' : date.slice(0, 7);
		let bucket = group.months.get(month);
		if (!bucket) group.months.set(month, (bucket = { sum: new Sum(), count: 0 }));
		bucket.sum.add(record.amount);
		bucket.count++;
	}

	if (!summary) throw new SettlementError('SUMMARY', 'No settlement summary row');

	const months = new Set<string>();
	const result: SettlementGroup[] = [...groups.values()].map((group) => {
		const entries = [...group.months.entries()].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
		let amount = Decimal.ZERO;
		const perMonth = entries.map(([month, bucket]) => {
			const value = bucket.sum.toDecimal();
			amount = amount.plus(value);
			if (month !== '') months.add(month);
			return { month: month === '' ? null : month, amount: formatAmount(value, group.currency), count: bucket.count };
		});
		return {
			transactionType: group.transactionType,
			amountType: group.amountType,
			amountDescription: group.amountDescription,
			currency: group.currency,
			amount: formatAmount(amount, group.currency),
			count: group.count,
			firstLine: group.firstLine,
			exampleOrderIds: group.examples,
			months: perMonth,
		};
	});

	const componentTotal = total.toDecimal();
	if (!componentTotal.equals(summary.totalAmount)) {
		const money = (value: Decimal) => formatAmount(value, summary?.currency ?? '');
		const difference = summary.totalAmount.minus(componentTotal);
		throw new SettlementError(
			'RECONCILIATION',
			`Settlement ${summary.settlementId} does not reconcile: total-amount is ${money(summary.totalAmount)} ${summary.currency} but the ${componentCount} components add up to ${money(componentTotal)} (difference ${money(difference)})`,
			{
				line: summary.line,
				hint: 'The document is incomplete or altered; download it again. Nothing was posted.',
				context: {
					settlementId: summary.settlementId,
					totalAmount: money(summary.totalAmount),
					componentTotal: money(componentTotal),
					difference: money(difference),
					currency: summary.currency,
				},
			},
		);
	}

	return {
		settlementId: summary.settlementId,
		currency: summary.currency,
		startDate: summary.startDate,
		endDate: summary.endDate,
		depositDate: summary.depositDate,
		totalAmount: formatAmount(summary.totalAmount, summary.currency),
		componentTotal: formatAmount(componentTotal, summary.currency),
		componentCount,
		timeZone: zone,
		months: [...months].sort(),
		firstPostedDate: firstPosted,
		lastPostedDate: lastPosted,
		undatedCount,
		groups: result,
	};
}

/**
 * GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 lines → records. Columns are found by header name (any
 * order, optional ones may be missing); the first data row is the settlement summary and every
 * other row one amount component. Every value is checked; a bad line fails with its number.
 *
 * The decimal separator and the day/month order of `a/b/yyyy` dates are decided once per file (an
 * option, or the first value that can only be read one way). Rows whose values are ambiguous until
 * then are held back — at most `maxLookaheadLines`, so memory stays bounded — and released in order
 * as soon as the file has decided; a file that never decides fails naming the first such value.
 */
import type { Decimal } from '../../common/decimal';
import { type DecimalSeparator, amountEvidence, parseAmount } from './amounts';
import { type ParsedDate, type SlashDateOrder, dateEvidence, parseDate } from './dates';
import type { TextLine } from './decode';
import { SettlementError } from './errors';

/** The 24 documented columns, by our field name. */
export const SETTLEMENT_COLUMNS = {
	settlementId: 'settlement-id',
	settlementStartDate: 'settlement-start-date',
	settlementEndDate: 'settlement-end-date',
	depositDate: 'deposit-date',
	totalAmount: 'total-amount',
	currency: 'currency',
	transactionType: 'transaction-type',
	orderId: 'order-id',
	merchantOrderId: 'merchant-order-id',
	adjustmentId: 'adjustment-id',
	shipmentId: 'shipment-id',
	marketplaceName: 'marketplace-name',
	amountType: 'amount-type',
	amountDescription: 'amount-description',
	amount: 'amount',
	fulfillmentId: 'fulfillment-id',
	postedDate: 'posted-date',
	postedDateTime: 'posted-date-time',
	orderItemCode: 'order-item-code',
	merchantOrderItemId: 'merchant-order-item-id',
	merchantAdjustmentItemId: 'merchant-adjustment-item-id',
	sku: 'sku',
	quantityPurchased: 'quantity-purchased',
	promotionId: 'promotion-id',
} as const;

type ColumnKey = keyof typeof SETTLEMENT_COLUMNS;

/** Without these the settlement cannot be summarised; `posted-date` or `posted-date-time` is needed as well. */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = [
	'settlementId',
	'settlementStartDate',
	'settlementEndDate',
	'depositDate',
	'totalAmount',
	'currency',
	'transactionType',
	'amountType',
	'amountDescription',
	'amount',
];

export interface SettlementParseOptions {
	/** `'auto'` (default) learns it from the file; set it when a file has only ambiguous amounts. */
	decimalSeparator?: 'auto' | DecimalSeparator;
	/** Order of `a/b/yyyy` dates: `'dmy'` (UK/FR), `'mdy'` (US) or `'auto'` (default). */
	slashDateOrder?: 'auto' | SlashDateOrder;
	/** How many rows may wait for the file to decide an ambiguous format; default 20 000. */
	maxLookaheadLines?: number;
}

export interface SettlementSummaryRow {
	kind: 'summary';
	line: number;
	settlementId: string;
	/** ISO 8601 UTC, or null when the cell is empty. */
	startDate: string | null;
	endDate: string | null;
	depositDate: string | null;
	totalAmount: Decimal;
	currency: string;
}

export interface SettlementComponent {
	kind: 'component';
	line: number;
	settlementId: string;
	transactionType: string;
	amountType: string;
	amountDescription: string;
	amount: Decimal;
	/** The row's currency, or the summary's when the row leaves it empty (as V2 files do). */
	currency: string;
	orderId: string;
	merchantOrderId: string;
	adjustmentId: string;
	shipmentId: string;
	marketplaceName: string;
	fulfillmentId: string;
	/** `yyyy-MM-dd` (UTC) from posted-date-time, else posted-date; null when both are empty. */
	postedDate: string | null;
	/** ISO 8601 UTC when the row has a time of day (posted-date-time), else null. */
	postedDateTime: string | null;
	/** Epoch ms of the posting (midnight UTC for date-only); null when undated. */
	postedMs: number | null;
	orderItemCode: string;
	merchantOrderItemId: string;
	merchantAdjustmentItemId: string;
	sku: string;
	/** As written (not needed for the totals, so not interpreted). */
	quantityPurchased: string;
	promotionId: string;
}

export type SettlementRecord = SettlementSummaryRow | SettlementComponent;

interface Decision<T> {
	value: T;
	source: 'option' | 'detected';
	/** The value that decided it (detected only). */
	evidence?: { line: number; column: string; value: string };
}

export interface SettlementFormat {
	decimalSeparator: Decision<DecimalSeparator> | null;
	slashDateOrder: Decision<SlashDateOrder> | null;
	/** Header names in file order. */
	columns: string[];
	/** Documented columns the file does not have. */
	missingColumns: string[];
	/** Columns we do not know (kept out of the records). */
	unknownColumns: string[];
}

interface Row {
	fields: string[];
	line: number;
	/** Set by observe(): this row has an amount / a date that cannot be read until the file decides. */
	needsSeparator: boolean;
	needsOrder: boolean;
}

const AMOUNT_HINT = 'Set the decimal separator option (point or comma) for this marketplace.';
const DATE_HINT = 'Set the date order option (day first or month first) for this marketplace.';
const SUMMARY_DATE_COLUMNS: ColumnKey[] = ['settlementStartDate', 'settlementEndDate', 'depositDate'];
const COMPONENT_DATE_COLUMNS: ColumnKey[] = ['postedDate', 'postedDateTime'];

export class SettlementParser {
	private readonly maxLookahead: number;
	private separator: Decision<DecimalSeparator> | null = null;
	private order: Decision<SlashDateOrder> | null = null;
	private header: { width: number; index: Partial<Record<ColumnKey, number>>; names: string[] } | undefined;
	private dataRows = 0;
	private summary: SettlementSummaryRow | undefined;
	private readonly dateCache = new Map<ColumnKey, { text: string; parsed: ParsedDate }>();

	constructor(options: SettlementParseOptions = {}) {
		this.maxLookahead = options.maxLookaheadLines ?? 20_000;
		if (options.decimalSeparator && options.decimalSeparator !== 'auto') {
			this.separator = { value: options.decimalSeparator, source: 'option' };
		}
		if (options.slashDateOrder && options.slashDateOrder !== 'auto') {
			this.order = { value: options.slashDateOrder, source: 'option' };
		}
	}

	/** What the file turned out to use (complete once {@link records} has finished). */
	get format(): SettlementFormat {
		const names = this.header?.names ?? [];
		const known = new Set<string>(Object.values(SETTLEMENT_COLUMNS));
		return {
			decimalSeparator: this.separator,
			slashDateOrder: this.order,
			columns: names,
			missingColumns: this.header ? Object.values(SETTLEMENT_COLUMNS).filter((name) => !names.includes(name)) : [],
			unknownColumns: names.filter((name) => !known.has(name)),
		};
	}

	/** Streams the records: the summary first, then the components in file order. */
	async *records(lines: AsyncIterable<TextLine> | Iterable<TextLine>): AsyncGenerator<SettlementRecord> {
		// Held rows live in an array read from `next`; it is emptied whenever it drains.
		let held: Row[] = [];
		let next = 0;
		for await (const { text, number } of lines) {
			if (text.trim() === '') continue;
			if (!this.header) {
				this.readHeader(text, number);
				continue;
			}
			const fields = text.split('\t');
			if (fields.length !== this.header.width) {
				throw new SettlementError('COLUMNS', `${fields.length} tab-separated fields, but the header has ${this.header.width}`, {
					line: number,
					hint: 'The line is truncated or has extra tabs; check the downloaded document.',
					context: { fields: fields.length, expected: this.header.width },
				});
			}
			const row: Row = { fields, line: number, needsSeparator: false, needsOrder: false };
			this.observe(row);
			if (next < held.length || this.waiting(row)) {
				held.push(row);
				if (held.length - next > this.maxLookahead) this.failUndecided(held[next]);
			} else {
				yield this.build(row);
			}
			while (next < held.length && !this.waiting(held[next])) yield this.build(held[next++]);
			if (next === held.length && next > 0) {
				held = [];
				next = 0;
			}
		}
		if (next < held.length) this.failUndecided(held[next]);
		if (!this.header) throw new SettlementError('HEADER', 'The document is empty (no header line)');
		if (!this.summary) {
			throw new SettlementError('SUMMARY', 'The document has a header but no rows; the settlement summary row is missing');
		}
	}

	private readHeader(text: string, line: number): void {
		const names = text
			.replace(/^\uFEFF/, '')
			.split('\t')
			.map((name) => name.trim().toLowerCase());
		if (names.length === 1) {
			throw new SettlementError('HEADER', 'The header has a single column: the document is not tab-separated', {
				line,
				hint: 'Expected the GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 flat file (tab-separated).',
				context: { header: text.slice(0, 200) },
			});
		}
		const index: Partial<Record<ColumnKey, number>> = {};
		const byName = new Map<string, number>();
		names.forEach((name, position) => {
			if (name !== '' && byName.has(name)) {
				throw new SettlementError('HEADER', `Column "${name}" appears twice in the header`, { line, context: { column: name } });
			}
			byName.set(name, position);
		});
		for (const [key, name] of Object.entries(SETTLEMENT_COLUMNS) as Array<[ColumnKey, string]>) {
			const position = byName.get(name);
			if (position !== undefined) index[key] = position;
		}
		const missing: string[] = REQUIRED_COLUMNS.filter((key) => index[key] === undefined).map((key) => SETTLEMENT_COLUMNS[key]);
		if (index.postedDate === undefined && index.postedDateTime === undefined) missing.push('posted-date or posted-date-time');
		if (missing.length) {
			throw new SettlementError('HEADER', `Required column${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`, {
				line,
				hint: 'Is this a GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 document?',
				context: { missing, columns: names },
			});
		}
		this.header = { width: names.length, index, names };
	}

	private cell(row: Row, key: ColumnKey): string {
		const position = (this.header as NonNullable<typeof this.header>).index[key];
		return position === undefined ? '' : row.fields[position].trim();
	}

	/** Learns the file's formats from this row and fails on values no format can read. */
	private observe(row: Row): void {
		const isSummary = this.dataRows++ === 0;
		for (const key of isSummary ? (['totalAmount'] as ColumnKey[]) : (['amount'] as ColumnKey[])) {
			const text = this.cell(row, key);
			if (text === '' || this.separator) continue;
			const evidence = amountEvidence(text);
			if (evidence.kind === 'malformed') this.failAmount(row, key, text);
			if (evidence.kind === 'ambiguous') row.needsSeparator = true;
			if (evidence.kind === 'decides') {
				this.separator = { value: evidence.separator, source: 'detected', evidence: { line: row.line, column: SETTLEMENT_COLUMNS[key], value: text } };
			}
		}
		for (const key of isSummary ? SUMMARY_DATE_COLUMNS : COMPONENT_DATE_COLUMNS) {
			const text = this.cell(row, key);
			if (text === '' || this.order) continue;
			const evidence = dateEvidence(text);
			if (evidence.kind === 'malformed') this.failDate(row, key, text, evidence.reason);
			if (evidence.kind === 'ambiguous') row.needsOrder = true;
			if (evidence.kind === 'decides') {
				this.order = { value: evidence.order, source: 'detected', evidence: { line: row.line, column: SETTLEMENT_COLUMNS[key], value: text } };
			}
		}
	}

	private waiting(row: Row): boolean {
		return (row.needsSeparator && !this.separator) || (row.needsOrder && !this.order);
	}

	private failUndecided(row: Row): never {
		if (row.needsSeparator && !this.separator) {
			const key: ColumnKey = this.cell(row, 'totalAmount') !== '' && amountEvidence(this.cell(row, 'totalAmount')).kind === 'ambiguous' ? 'totalAmount' : 'amount';
			const value = this.cell(row, key);
			throw new SettlementError(
				'AMBIGUOUS_AMOUNT',
				`${SETTLEMENT_COLUMNS[key]} "${value}" can be read with a decimal point or a decimal comma, and no other amount in the ${this.lookaheadScope()} decides which`,
				{ line: row.line, hint: AMOUNT_HINT, context: { column: SETTLEMENT_COLUMNS[key], value } },
			);
		}
		const key =
			[...SUMMARY_DATE_COLUMNS, ...COMPONENT_DATE_COLUMNS].find((candidate) => {
				const text = this.cell(row, candidate);
				return text !== '' && dateEvidence(text).kind === 'ambiguous';
			}) ?? 'postedDate';
		const value = this.cell(row, key);
		throw new SettlementError(
			'AMBIGUOUS_DATE',
			`${SETTLEMENT_COLUMNS[key]} "${value}" can be read day-first or month-first, and no other date in the ${this.lookaheadScope()} decides which`,
			{ line: row.line, hint: DATE_HINT, context: { column: SETTLEMENT_COLUMNS[key], value } },
		);
	}

	private lookaheadScope(): string {
		return `next ${this.maxLookahead} rows (or the rest of the file)`;
	}

	private failAmount(row: Row, key: ColumnKey, text: string): never {
		const decided = this.separator;
		const why = decided
			? ` with a decimal ${decided.value === '.' ? 'point' : 'comma'} (${decided.source === 'option' ? 'set in the options' : `decided by ${decided.evidence?.column} "${decided.evidence?.value}" on line ${decided.evidence?.line}`})`
			: '';
		throw new SettlementError('AMOUNT', `${SETTLEMENT_COLUMNS[key]} "${text}" is not an amount${why}`, {
			line: row.line,
			hint: decided ? 'The file mixes number formats, or the decimal separator option is wrong.' : 'Amounts look like 12.50, -4,05, 1,234.56 or 1.234,56.',
			context: { column: SETTLEMENT_COLUMNS[key], value: text },
		});
	}

	private failDate(row: Row, key: ColumnKey, text: string, reason: string): never {
		const decided = this.order;
		const why = decided
			? `; dates here are ${decided.value === 'dmy' ? 'day-first' : 'month-first'} (${decided.source === 'option' ? 'set in the options' : `decided by ${decided.evidence?.column} "${decided.evidence?.value}" on line ${decided.evidence?.line}`})`
			: '';
		throw new SettlementError('DATE', `${SETTLEMENT_COLUMNS[key]} "${text}" is not a date we can read: ${reason}${why}`, {
			line: row.line,
			context: { column: SETTLEMENT_COLUMNS[key], value: text },
		});
	}

	private amount(row: Row, key: ColumnKey): Decimal {
		const text = this.cell(row, key);
		const separator = this.separator?.value;
		// A file of whole numbers only never decides; they read the same either way.
		const value = parseAmount(text, separator ?? '.');
		if (!value || (!separator && amountEvidence(text).kind !== 'neutral')) this.failAmount(row, key, text);
		return value;
	}

	private date(row: Row, key: ColumnKey): ParsedDate | null {
		const text = this.cell(row, key);
		if (text === '') return null;
		// Consecutive rows of one order share their timestamps: a one-entry cache per column saves most parses.
		const cached = this.dateCache.get(key);
		if (cached && cached.text === text) return cached.parsed;
		const parsed = parseDate(text, this.order?.value);
		if (typeof parsed === 'string') this.failDate(row, key, text, parsed);
		this.dateCache.set(key, { text, parsed });
		return parsed;
	}

	private build(row: Row): SettlementRecord {
		if (!this.summary) return (this.summary = this.buildSummary(row));
		const summary = this.summary;
		const settlementId = this.cell(row, 'settlementId');
		if (settlementId !== '' && settlementId !== summary.settlementId) {
			throw new SettlementError('ROW', `settlement-id ${settlementId} differs from the summary row's ${summary.settlementId}`, {
				line: row.line,
				hint: 'One document must hold exactly one settlement.',
				context: { settlementId, expected: summary.settlementId },
			});
		}
		if (this.cell(row, 'totalAmount') !== '') {
			throw new SettlementError('ROW', 'A second row with total-amount: only the first data row may be the settlement summary', {
				line: row.line,
				context: { totalAmount: this.cell(row, 'totalAmount') },
			});
		}
		if (this.cell(row, 'amount') === '') {
			throw new SettlementError('AMOUNT', 'amount is empty', { line: row.line, context: { column: 'amount' } });
		}
		const currency = this.cell(row, 'currency').toUpperCase() || summary.currency;
		if (currency !== summary.currency) {
			throw new SettlementError('ROW', `currency ${currency} differs from the settlement currency ${summary.currency}`, {
				line: row.line,
				context: { currency, expected: summary.currency },
			});
		}
		// Both are read (and so checked); the one with a time of day is the more precise posting instant.
		const dateTime = this.date(row, 'postedDateTime');
		const dateOnly = this.date(row, 'postedDate');
		const timed = dateTime?.hasTime ? dateTime : dateOnly?.hasTime ? dateOnly : null;
		const posted = timed ?? dateTime ?? dateOnly;
		return {
			kind: 'component',
			line: row.line,
			settlementId: summary.settlementId,
			transactionType: this.cell(row, 'transactionType'),
			amountType: this.cell(row, 'amountType'),
			amountDescription: this.cell(row, 'amountDescription'),
			amount: this.amount(row, 'amount'),
			currency,
			orderId: this.cell(row, 'orderId'),
			merchantOrderId: this.cell(row, 'merchantOrderId'),
			adjustmentId: this.cell(row, 'adjustmentId'),
			shipmentId: this.cell(row, 'shipmentId'),
			marketplaceName: this.cell(row, 'marketplaceName'),
			fulfillmentId: this.cell(row, 'fulfillmentId'),
			postedDate: posted ? posted.date : null,
			postedDateTime: timed ? timed.iso : null,
			postedMs: posted ? posted.ms : null,
			orderItemCode: this.cell(row, 'orderItemCode'),
			merchantOrderItemId: this.cell(row, 'merchantOrderItemId'),
			merchantAdjustmentItemId: this.cell(row, 'merchantAdjustmentItemId'),
			sku: this.cell(row, 'sku'),
			quantityPurchased: this.cell(row, 'quantityPurchased'),
			promotionId: this.cell(row, 'promotionId'),
		};
	}

	private buildSummary(row: Row): SettlementSummaryRow {
		const settlementId = this.cell(row, 'settlementId');
		const total = this.cell(row, 'totalAmount');
		const currency = this.cell(row, 'currency');
		const problems: string[] = [];
		if (settlementId === '') problems.push('settlement-id is empty');
		if (total === '') problems.push('total-amount is empty');
		if (currency === '') problems.push('currency is empty');
		if (this.cell(row, 'amount') !== '') problems.push('it has an amount, like a component row');
		if (problems.length) {
			throw new SettlementError('SUMMARY', `The first data row is not a settlement summary row: ${problems.join('; ')}`, {
				line: row.line,
				hint: 'V2 settlement files start with a summary row holding settlement-id, dates, total-amount and currency.',
				context: { problems },
			});
		}
		const iso = (key: ColumnKey) => this.date(row, key)?.iso ?? null;
		return {
			kind: 'summary',
			line: row.line,
			settlementId,
			startDate: iso('settlementStartDate'),
			endDate: iso('settlementEndDate'),
			depositDate: iso('depositDate'),
			totalAmount: this.amount(row, 'totalAmount'),
			currency: currency.toUpperCase(),
		};
	}
}

/**
 * Child-process workload for settlement-memory.perf.test.ts (run with `node --expose-gc`, compiled
 * by the test, no jest in the process): generates a gzipped V2 settlement of LINES lines lazily,
 * chunk by chunk, and streams it through decode → parse → summarise → journal. Prints one JSON
 * line with the totals, the peak RSS and heap samples taken after forced GCs along the way.
 *
 *   node --expose-gc settlement-memory-run.js [lines]
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

import { buildSettlementJournals, readSettlement } from '../../../../nodes/AmazonSellerCentral/settlement';

const LINES = Number(process.argv[2] ?? 1_000_000);
const COMPONENTS = LINES - 2; // minus header and summary row
const SETTLEMENT_ID = '12345678901';
const LINES_PER_CHUNK = 2_000;
const SAMPLE_EVERY = 100_000;

/** Deterministic per-row randomness (mulberry32 keyed by row), so the pre-pass and the file agree. */
function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Component {
	transactionType: string;
	amountType: string;
	amountDescription: string;
	cents: number;
	order: number;
	/** Seconds after START_MS; the postings run 15 days, 24 March to 7 April. */
	second: number;
	promotion: boolean;
}

const START_MS = Date.UTC(2026, 2, 24);
const SPAN_SECONDS = 15 * 86_400;

/** Components of "order" n: a sale (4–6 rows), a refund (3 rows) or a fee row, about five per order. */
function orderComponents(n: number): Component[] {
	const rnd = random(n + 1);
	// About 4.05 components per order: spreads the orders evenly over the span.
	const second = Math.min(SPAN_SECONDS - 1, Math.floor(((n * 4.05) / COMPONENTS) * SPAN_SECONDS));
	const kind = rnd();
	const price = 500 + Math.floor(rnd() * 20_000);
	const tax = Math.round(price * 0.19);
	const base = { order: n, second, promotion: false };
	if (kind < 0.85) {
		const rows: Component[] = [
			{ ...base, transactionType: 'Order', amountType: 'ItemPrice', amountDescription: 'Principal', cents: price },
			{ ...base, transactionType: 'Order', amountType: 'ItemPrice', amountDescription: 'Tax', cents: tax },
			{ ...base, transactionType: 'Order', amountType: 'ItemFees', amountDescription: 'Commission', cents: -Math.round(price * 0.15) },
			{ ...base, transactionType: 'Order', amountType: 'ItemFees', amountDescription: 'FBAPerUnitFulfillmentFee', cents: -(250 + Math.floor(rnd() * 400)) },
		];
		if (rnd() < 0.3) rows.push({ ...base, transactionType: 'Order', amountType: 'Promotion', amountDescription: 'Shipping', cents: -Math.floor(rnd() * 499), promotion: true });
		return rows;
	}
	if (kind < 0.97) {
		return [
			{ ...base, transactionType: 'Refund', amountType: 'ItemPrice', amountDescription: 'Principal', cents: -price },
			{ ...base, transactionType: 'Refund', amountType: 'ItemPrice', amountDescription: 'Tax', cents: -tax },
			{ ...base, transactionType: 'Refund', amountType: 'ItemFees', amountDescription: 'RefundCommission', cents: Math.round(price * 0.03) },
		];
	}
	return [
		rnd() < 0.5
			? { ...base, transactionType: 'ServiceFee', amountType: 'Cost of Advertising', amountDescription: 'TransactionTotalAmount', cents: -Math.floor(rnd() * 5_000) }
			: { ...base, transactionType: 'other-transaction', amountType: 'FBA Inventory Reimbursement', amountDescription: 'WAREHOUSE_DAMAGE', cents: Math.floor(rnd() * 3_000) },
	];
}

/** Exactly COMPONENTS components, order after order. */
function* components(): Generator<Component> {
	let emitted = 0;
	for (let n = 0; emitted < COMPONENTS; n++) {
		for (const row of orderComponents(n)) {
			if (emitted++ === COMPONENTS) return;
			yield row;
		}
	}
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
/** `12,34` / `-0,05`: Amazon.de writes decimal commas. */
const amountText = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${pad(Math.abs(cents) % 100)}`;
function deDate(ms: number, withTime: boolean): string {
	const d = new Date(ms);
	const date = `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
	return withTime ? `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC` : date;
}
const monthOf = (second: number) => new Date(START_MS + second * 1000).toISOString().slice(0, 7);

// Pre-pass over the same deterministic rows: the summary row (first in the file) needs the total.
let expectedCents = 0;
const expectedByMonth: Record<string, number> = {};
for (const row of components()) {
	expectedCents += row.cents;
	const month = monthOf(row.second);
	expectedByMonth[month] = (expectedByMonth[month] ?? 0) + row.cents;
}

const HEADER = [
	'settlement-id', 'settlement-start-date', 'settlement-end-date', 'deposit-date', 'total-amount', 'currency', 'transaction-type', 'order-id',
	'merchant-order-id', 'adjustment-id', 'shipment-id', 'marketplace-name', 'amount-type', 'amount-description', 'amount', 'fulfillment-id',
	'posted-date', 'posted-date-time', 'order-item-code', 'merchant-order-item-id', 'merchant-adjustment-item-id', 'sku', 'quantity-purchased', 'promotion-id',
].join('\t');

const samples: Array<{ line: number; heapUsedMB: number; arrayBuffersMB: number; rssMB: number }> = [];
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
function sample(line: number) {
	(globalThis as { gc?: () => void }).gc?.();
	const usage = process.memoryUsage();
	samples.push({ line, heapUsedMB: mb(usage.heapUsed), arrayBuffersMB: mb(usage.arrayBuffers), rssMB: mb(usage.rss) });
}

/** The file as text chunks of LINES_PER_CHUNK lines, encoded one at a time (never one string). */
async function* fileChunks(): AsyncGenerator<Uint8Array> {
	const encoder = new TextEncoder();
	let lines = [
		HEADER,
		[SETTLEMENT_ID, deDate(START_MS, true), deDate(START_MS + SPAN_SECONDS * 1000, true), deDate(START_MS + (SPAN_SECONDS + 2 * 86_400) * 1000, true), amountText(expectedCents), 'EUR', ...Array(18).fill('')].join('\t'),
	];
	let line = 2;
	for (const row of components()) {
		line++;
		const ms = START_MS + row.second * 1000;
		const orderId = `302-${pad(1_000_000 + (row.order % 9_000_000), 7)}-${pad(row.order % 10_000_000, 7)}`;
		const isOrder = row.transactionType === 'Order' || row.transactionType === 'Refund';
		lines.push(
			[
				SETTLEMENT_ID, '', '', '', '', '', row.transactionType, isOrder ? orderId : '', '', row.transactionType === 'Refund' ? `A${row.order}` : '',
				isOrder ? `D${row.order.toString(36)}` : '', 'Amazon.de', row.amountType, row.amountDescription, amountText(row.cents), isOrder ? 'AFN' : '',
				deDate(ms, false), deDate(ms, true), isOrder ? `${40_000_000_000_000 + row.order}` : '', '', '', isOrder ? `SKU-${row.order % 5_000}` : '',
				isOrder && row.amountType === 'ItemPrice' ? '1' : '', row.promotion ? 'Versandkostenfrei Aktion' : '',
			].join('\t'),
		);
		if (lines.length === LINES_PER_CHUNK) {
			yield encoder.encode(lines.join('\n') + '\n');
			lines = [];
		}
		if (line % SAMPLE_EVERY === 0) sample(line);
	}
	if (lines.length) yield encoder.encode(lines.join('\n') + '\n');
}

let compressedBytes = 0;
/**
 * Gzip with backpressure: the generator runs only as fast as the pipeline reads. node:zlib here,
 * not the web CompressionStream: Node 20's CompressionStream keeps every input chunk alive (its
 * arrayBuffers grow with the file), which would be measured as if it were ours.
 */
async function* gzipped(source: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
	for await (const chunk of Readable.from(source).pipe(createGzip())) {
		compressedBytes += (chunk as Buffer).length;
		yield chunk as Buffer;
	}
}

async function main() {
	sample(0);
	const started = performance.now();
	const summary = await readSettlement(gzipped(fileChunks()), { gzip: true, charset: 'windows-1252' });
	const readSeconds = (performance.now() - started) / 1000;
	const result = buildSettlementJournals(
		summary,
		[
			{ transactionType: 'Order', amountType: 'ItemPrice', amountDescription: 'Principal', account: '4000', text: 'Amazon sales' },
			{ transactionType: 'Refund', amountType: 'ItemPrice', amountDescription: 'Principal', account: '4000', text: 'Amazon refunds' },
			{ amountType: 'ItemPrice', amountDescription: 'Tax', account: '2200', text: 'Output VAT' },
			{ amountType: 'ItemFees', account: '6100', text: 'Amazon fees' },
			{ amountType: 'Promotion', account: '4010' },
			{ transactionType: 'ServiceFee', account: '6200' },
			{ transactionType: 'other-transaction', account: '4900' },
		],
		{ bankAccount: '1360', splitByMonth: true, carryForwardAccount: '1390' },
	);
	const seconds = (performance.now() - started) / 1000;
	sample(LINES);
	const money = (cents: number) => amountText(cents).replace(',', '.');
	process.stdout.write(
		`${JSON.stringify({
			lines: LINES,
			compressedMB: mb(compressedBytes),
			seconds: Math.round(seconds * 10) / 10,
			readSeconds: Math.round(readSeconds * 10) / 10,
			peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
			samples,
			expected: { total: money(expectedCents), byMonth: Object.fromEntries(Object.entries(expectedByMonth).map(([month, cents]) => [month, money(cents)])) },
			summary: {
				totalAmount: summary.totalAmount,
				componentTotal: summary.componentTotal,
				componentCount: summary.componentCount,
				months: summary.months,
				groups: summary.groups.length,
				decimalSeparator: summary.format.decimalSeparator?.value,
			},
			status: result.status,
			journals: result.journals.map((journal) => ({ kind: journal.kind, period: journal.period, date: journal.date, totalDebit: journal.totalDebit, totalCredit: journal.totalCredit, lines: journal.lines })),
		})}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});

/**
 * Shared builders for the settlement tests: V2 files from rows, byte sources in chunks, gzip, and a
 * mapping table for the synthetic fixture.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

import {
	type AccountMappingRule,
	type ReadSettlementOptions,
	SETTLEMENT_COLUMNS,
	type TextLine,
	decodeLines,
	readSettlement,
} from '../../../nodes/AmazonSellerCentral/settlement';

/** Copy of /work/shared/reference/fixtures/amazon-settlement-v2-synthetic.tsv (synthetic, not vendor data). */
export const FIXTURE_PATH = path.join(__dirname, 'fixtures', 'amazon-settlement-v2-synthetic.tsv');
export const fixtureText = (): string => fs.readFileSync(FIXTURE_PATH, 'latin1');

/** The fixture with decimal commas and DE dates (dd.MM.yyyy HH:mm:ss UTC, dd.MM.yyyy). */
export function germanFixture(): string {
	const [header, ...rows] = fixtureText().split('\n');
	const names = header.split('\t');
	const de = (value: string) =>
		value
			.replace(/^(\d{4})-(\d{2})-(\d{2})/, (_all, y, m, d) => `${d}.${m}.${y}`)
			.replace(/^(-?\d+)\.(\d+)$/, '$1,$2');
	return [header, ...rows.map((row) => (row === '' ? row : row.split('\t').map((value, index) => (/date|amount/.test(names[index]) ? de(value) : value)).join('\t')))].join('\r\n');
}

export const HEADER = Object.values(SETTLEMENT_COLUMNS);
export type Column = (typeof HEADER)[number];
export type RowValues = Partial<Record<Column, string>>;

/** A tab-separated V2 file: the header (all 24 columns unless given) and one line per row. */
export function v2File(rows: RowValues[], columns: readonly string[] = HEADER, eol = '\n'): string {
	const lines = [columns.join('\t'), ...rows.map((row) => columns.map((column) => row[column.trim().toLowerCase() as Column] ?? '').join('\t'))];
	return lines.join(eol) + eol;
}

export const summaryRow = (values: RowValues = {}): RowValues => ({
	'settlement-id': '22222222222',
	'settlement-start-date': '2026-03-20 00:00:00 UTC',
	'settlement-end-date': '2026-04-03 00:00:00 UTC',
	'deposit-date': '2026-04-05 00:00:00 UTC',
	currency: 'EUR',
	...values,
});

export const component = (values: RowValues): RowValues => ({
	'settlement-id': '22222222222',
	'transaction-type': 'Order',
	'order-id': '302-0000001-0000001',
	'marketplace-name': 'Amazon.de',
	'amount-type': 'ItemPrice',
	'amount-description': 'Principal',
	'posted-date': '2026-03-25',
	'posted-date-time': '2026-03-25 10:00:00 UTC',
	...values,
});

export function latin1Bytes(text: string): Uint8Array {
	for (const char of text) if (char.codePointAt(0)! > 0xff) throw new Error(`not latin-1: ${char}`);
	return new Uint8Array(Buffer.from(text, 'latin1'));
}

export const utf8Bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

export const gzip = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes));

/** The bytes as an async stream of `size`-byte chunks (1 splits every multi-byte character and CRLF). */
export async function* chunks(bytes: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
	for (let offset = 0; offset < bytes.length; offset += size) yield bytes.slice(offset, offset + size);
}

export async function lines(bytes: Uint8Array, options: Parameters<typeof decodeLines>[1] = {}, size = 7): Promise<TextLine[]> {
	const result: TextLine[] = [];
	for await (const line of decodeLines(chunks(bytes, size), options)) result.push(line);
	return result;
}

export const read = (text: string, options: ReadSettlementOptions = {}, size = 64) => readSettlement(chunks(latin1Bytes(text), size), options);

/** Catches the rejection so its fields can be checked. */
export async function failure(promise: Promise<unknown>): Promise<any> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a failure');
}

/** A mapping for the fixture: specific rules first, catch-alls below them. */
export const FIXTURE_RULES: AccountMappingRule[] = [
	{ transactionType: 'Order', amountType: 'ItemPrice', amountDescription: 'Principal', account: '4000', text: 'Amazon sales' },
	{ transactionType: '*', amountType: 'ItemPrice', amountDescription: 'Tax', account: '2200', text: 'Output VAT' },
	{ amountType: 'ItemFees', account: '6100', costCenter: 'MKT', text: 'Amazon fees' },
	{ amountType: 'Promotion', account: '4010', text: 'Promotions' },
	{ transactionType: 'other-transaction', account: '6190' },
];

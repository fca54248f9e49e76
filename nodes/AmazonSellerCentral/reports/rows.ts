/**
 * Report document text → rows. Amazon's flat files are tab-separated with a header line and no
 * quoting (a `"` is an ordinary character, e.g. in a product title); CSV documents follow RFC 4180
 * (quoted fields, `""` escapes, line breaks inside quotes); JSON documents are parsed whole.
 * Values stay strings: number and date formats differ per marketplace, so converting them is a
 * decision for the workflow, not a guess here.
 */
import type { TextLine } from '../settlement/decode';

export type RowFormat = 'tsv' | 'csv' | 'json';
export type DocumentFormat = RowFormat | 'xml';

export class RowsError extends Error {
	constructor(
		message: string,
		readonly line?: number,
		readonly hint?: string,
	) {
		super(line === undefined ? message : `Line ${line}: ${message}`);
		this.name = 'RowsError';
	}
}

export interface Row {
	/** 1-based line of the row's first physical line. */
	line: number;
	values: Record<string, string>;
}

/** `text/csv; charset=…` → `text/csv`. */
export function mediaTypeOf(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The document's format: from its media type, else its report type, else its first line.
 * Amazon serves most flat files as text/plain, so the first line often decides.
 */
export function detectFormat(contentType: string | undefined, reportType: string | undefined, firstLine: string): DocumentFormat {
	const media = mediaTypeOf(contentType);
	if (media === 'application/json' || media.endsWith('+json')) return 'json';
	if (media === 'text/csv') return 'csv';
	if (media === 'text/tab-separated-values') return 'tsv';
	if (media === 'application/xml' || media === 'text/xml') return 'xml';
	const start = firstLine.replace(/^\uFEFF/, '').trimStart();
	if (start.startsWith('{') || start.startsWith('[')) return 'json';
	if (start.startsWith('<')) return 'xml';
	if (/_XML(_|$)/.test(reportType ?? '')) return 'xml';
	if (firstLine.includes('\t')) return 'tsv';
	if (firstLine.includes(',')) return 'csv';
	return 'tsv';
}

/** Header names → unique, non-empty keys (`sku`, `sku_2`; an empty name becomes `column_3`). */
export function headerKeys(fields: string[]): string[] {
	const seen = new Map<string, number>();
	return fields.map((raw, index) => {
		const name = raw.replace(/^\uFEFF/, '').trim() || `column_${index + 1}`;
		const count = (seen.get(name) ?? 0) + 1;
		seen.set(name, count);
		return count === 1 ? name : `${name}_${count}`;
	});
}

/** Tab-separated records: one physical line each, empty lines skipped. */
async function* tsvRecords(lines: AsyncIterable<TextLine> | Iterable<TextLine>): AsyncGenerator<{ line: number; fields: string[] }> {
	for await (const { text, number } of lines) {
		if (text === '') continue;
		yield { line: number, fields: text.split('\t') };
	}
}

/** RFC 4180 records; a quoted field may span lines (joined with \n). */
async function* csvRecords(lines: AsyncIterable<TextLine> | Iterable<TextLine>): AsyncGenerator<{ line: number; fields: string[] }> {
	let fields: string[] = [];
	let field = '';
	let quoted = false;
	let start = 0;
	for await (const { text, number } of lines) {
		if (quoted) field += '\n';
		else {
			if (text === '') continue;
			start = number;
		}
		for (let index = 0; index < text.length; index++) {
			const char = text[index];
			if (quoted) {
				if (char !== '"') field += char;
				else if (text[index + 1] === '"') {
					field += '"';
					index++;
				} else quoted = false;
			} else if (char === '"' && field === '') quoted = true;
			else if (char === ',') {
				fields.push(field);
				field = '';
			} else field += char;
		}
		if (!quoted) {
			fields.push(field);
			yield { line: start, fields };
			fields = [];
			field = '';
		}
	}
	if (quoted) throw new RowsError('A quoted field is never closed', start, 'The CSV document is truncated or not CSV; choose binary output to get the file as it is.');
}

/**
 * Delimited text → rows keyed by the header line. A row with fewer fields than the header gets
 * empty strings; extra fields are refused unless they are empty (trailing tabs).
 */
export async function* delimitedRows(lines: AsyncIterable<TextLine> | Iterable<TextLine>, format: 'tsv' | 'csv'): AsyncGenerator<Row> {
	let keys: string[] | undefined;
	for await (const record of format === 'csv' ? csvRecords(lines) : tsvRecords(lines)) {
		if (!keys) {
			keys = headerKeys(record.fields);
			continue;
		}
		const { fields } = record;
		if (fields.length > keys.length && fields.slice(keys.length).some((value) => value !== '')) {
			throw new RowsError(
				`${fields.length} ${format === 'csv' ? 'comma' : 'tab'}-separated fields, but the header has ${keys.length}`,
				record.line,
				`The document is not ${format === 'csv' ? 'CSV' : 'tab-separated'} with one header line, or a value contains the separator; set "Parse As" or choose binary output.`,
			);
		}
		const values: Record<string, string> = {};
		keys.forEach((key, index) => (values[key] = fields[index] ?? ''));
		yield { line: record.line, values };
	}
}

/** A JSON document → items: an array gives one item per element, anything else one item. */
export function jsonItems(text: string): Array<Record<string, unknown>> {
	let parsed: unknown;
	let failure: string | undefined;
	try {
		parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		failure = (error as Error).message;
	}
	if (failure !== undefined) throw new RowsError(`The document is not valid JSON: ${failure}`, undefined, 'Set "Parse As" to the document\'s format, or choose binary output.');
	const wrap = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value });
	return Array.isArray(parsed) ? parsed.map(wrap) : [wrap(parsed)];
}

/**
 * A report document as node output: parsed rows (one item per row), or the file as n8n binary
 * data. Both read the download as a stream; rows are decoded with the document's charset.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { ExecutionItems, type ItemResult } from '../../../common/items';
import { continueAfter } from '../../../common/streams';
import { type DocumentFormat, RowsError, delimitedRows, detectFormat, jsonItems, mediaTypeOf } from '../../reports/rows';
import { SettlementError, type TextLine, charsetFromContentType, decodeLines, gunzipBytes } from '../../settlement';
import type { SpApiClient } from '../../transport';
import { type ByteStream, type DocumentBody, ReportDocumentDownloader } from '../../transport/download';

export type DocumentOutput = 'rows' | 'binary';

/** Where a document came from, echoed on binary items and in errors. */
export interface DocumentSource {
	reportDocumentId: string;
	reportId?: string;
	reportType?: string;
}

export interface DocumentOptions {
	parseAs: 'auto' | 'tsv' | 'csv' | 'json';
	/** Overrides the Content-Type charset; empty = from the Content-Type, else UTF-8. */
	charset: string;
	/** 0 = no limit. */
	maxRows: number;
	/** Rows output switches to binary when the download is larger; 0 = never. */
	binaryAboveBytes: number;
	binaryPropertyName: string;
}

export function outputParameter(operations: string[], withMetadata = false): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'rows',
		displayOptions: { show: { resource: ['report'], operation: operations } },
		options: [
			{ name: 'Binary File', value: 'binary', description: 'The document as a file (decompressed), for large reports or to store it' },
			...(withMetadata ? [{ name: 'Metadata Only', value: 'metadata', description: 'Document ID and compression, no download' }] : []),
			{ name: 'Parsed Rows', value: 'rows', description: 'One item per row (tab-separated, CSV) or per JSON array element' },
		],
	};
}

/** Entries for the operation's Options collection. */
export const documentOptionFields: INodeProperties[] = [
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary property that holds the file (binary output)',
	},
	{
		displayName: 'Charset',
		name: 'charset',
		type: 'string',
		default: '',
		placeholder: 'e.g. windows-1252',
		description: "Charset of the document; empty uses the one Amazon's storage declares, else UTF-8. EU flat files are usually windows-1252, JP ones Shift_JIS.",
	},
	{
		displayName: 'Max Rows',
		name: 'maxRows',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 100000,
		description: 'A document with more rows fails instead of filling memory; choose binary output for larger ones. 0 means no limit.',
	},
	{
		displayName: 'Output as Binary Above (MB)',
		name: 'binaryAboveMb',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 0,
		description: 'With parsed rows: a download larger than this (compressed size for GZIP documents) is returned as a binary file instead. 0 means never.',
	},
	{
		displayName: 'Parse As',
		name: 'parseAs',
		type: 'options',
		default: 'auto',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'From the content type and the first line' },
			{ name: 'CSV', value: 'csv' },
			{ name: 'JSON', value: 'json' },
			{ name: 'Tab-Separated (Flat File)', value: 'tsv' },
		],
	},
];

export function readDocumentOptions(context: IExecuteFunctions, itemIndex: number): DocumentOptions {
	const option = <T>(name: string, fallback: T): T => context.getNodeParameter(`options.${name}`, itemIndex, fallback) as T;
	return {
		parseAs: option('parseAs', 'auto'),
		charset: String(option('charset', '') ?? '').trim(),
		maxRows: Math.max(0, Number(option('maxRows', 100000)) || 0),
		binaryAboveBytes: Math.max(0, Number(option('binaryAboveMb', 0)) || 0) * 1024 * 1024,
		binaryPropertyName: String(option('binaryPropertyName', 'data') || 'data').trim() || 'data',
	};
}

/** Downloads the document and returns it in the requested form. */
export async function documentItems(
	context: IExecuteFunctions,
	client: SpApiClient,
	itemIndex: number,
	source: DocumentSource,
	output: DocumentOutput,
	options: DocumentOptions = readDocumentOptions(context, itemIndex),
): Promise<ItemResult> {
	const downloader = new ReportDocumentDownloader(context, client, itemIndex);
	// Binary output streams into n8n's binary store; for a GZIP document the storage is asked for
	// Content-Encoding so the HTTP client decompresses on the way (rows decode gzip themselves).
	const mayBeBinary = output === 'binary' || options.binaryAboveBytes > 0;
	return await downloader.download(
		source.reportDocumentId,
		async (body) => {
			const asBinary = output === 'binary' || (options.binaryAboveBytes > 0 && (body.contentLength ?? 0) > options.binaryAboveBytes);
			if (asBinary) return await binaryItems(context, body, source, options.binaryPropertyName);
			return await rowItems(context, body, source, options, itemIndex);
		},
		{ contentEncoding: mayBeBinary },
	);
}

/** Text lines of a document body: gunzipped when the bytes are gzip, decoded with its charset. */
export function documentLines(body: DocumentBody, charset = ''): AsyncGenerator<TextLine> {
	return decodeLines(body.stream, { gzip: 'auto', charset: charset || charsetFromContentType(body.contentType), defaultCharset: 'utf-8' });
}

function documentError(context: IExecuteFunctions, error: unknown, source: DocumentSource, itemIndex: number): Error {
	if (error instanceof RowsError || error instanceof SettlementError) {
		const fallback = 'Set "Parse As" and "Charset" in the options, or choose binary output to get the file as it is.';
		return operationError(context.getNode(), `Report document ${source.reportDocumentId}${source.reportType ? ` (${source.reportType})` : ''}: ${error.message}`, error.hint ?? fallback, itemIndex);
	}
	return error as Error;
}

async function rowItems(context: IExecuteFunctions, body: DocumentBody, source: DocumentSource, options: DocumentOptions, itemIndex: number): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	const tooMany = () =>
		operationError(
			context.getNode(),
			`Report document ${source.reportDocumentId} has more than ${options.maxRows} rows`,
			'Choose "Binary File" output (or "Output as Binary Above (MB)") for large reports, or raise "Max Rows" if memory allows.',
			itemIndex,
		);
	try {
		const lines = documentLines(body, options.charset)[Symbol.asyncIterator]();
		let first = await lines.next();
		while (!first.done && first.value.text.trim() === '') first = await lines.next();
		if (first.done) return [];
		const all = continueAfter([first.value], lines);
		const format: DocumentFormat = options.parseAs === 'auto' ? detectFormat(body.contentType, source.reportType, first.value.text) : options.parseAs;
		if (format === 'xml') {
			await all.return(undefined);
			throw new RowsError('XML documents are not parsed into rows', undefined, 'Choose "Binary File" output and read the XML with an XML node.');
		}
		if (format === 'json') {
			const parts: string[] = [];
			for await (const line of all) parts.push(line.text);
			const items = jsonItems(parts.join('\n'));
			if (options.maxRows && items.length > options.maxRows) throw tooMany();
			return items as IDataObject[];
		}
		for await (const row of delimitedRows(all, format)) {
			if (options.maxRows && rows.length >= options.maxRows) throw tooMany();
			rows.push(row.values);
		}
		return rows;
	} catch (error) {
		throw documentError(context, error, source, itemIndex);
	}
}

const EXTENSIONS: Record<string, string> = {
	'application/json': 'json',
	'application/xml': 'xml',
	'text/xml': 'xml',
	'text/csv': 'csv',
	'text/tab-separated-values': 'tsv',
	'text/plain': 'txt',
	'application/pdf': 'pdf',
};

/** `GET_MERCHANT_LISTINGS_ALL_DATA-123456.txt`: report type and id, extension from the media type. */
export function documentFileName(source: DocumentSource, contentType: string | undefined): string {
	const media = mediaTypeOf(contentType);
	const extension = EXTENSIONS[media] ?? (/_XML(_|$)/.test(source.reportType ?? '') ? 'xml' : 'txt');
	const base = [source.reportType, source.reportId ?? source.reportDocumentId].filter(Boolean).join('-');
	return `${base.replace(/[^A-Za-z0-9._-]+/g, '_')}.${extension}`;
}

/**
 * Waits until the stream has data and returns its first chunk without consuming it (Readable's
 * read/unshift), so the stream can still be handed over whole.
 */
async function peek(stream: ByteStream): Promise<Uint8Array> {
	for (let waits = 0; waits < 1_000_000; waits++) {
		const chunk = stream.read();
		if (chunk !== null) {
			stream.unshift(chunk);
			return chunk;
		}
		if (stream.readableEnded || stream.destroyed) return new Uint8Array(0);
		await new Promise<void>((resolve) => {
			const events = ['readable', 'end', 'error', 'close'];
			const done = () => {
				for (const event of events) stream.off(event, done);
				resolve();
			};
			for (const event of events) stream.on(event, done);
		});
	}
	return new Uint8Array(0);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
	const parts: Uint8Array[] = [];
	for await (const chunk of chunks) parts.push(chunk);
	return Buffer.concat(parts);
}

type BinaryInput = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

export async function binaryItems(context: IExecuteFunctions, body: DocumentBody, source: DocumentSource, property: string): Promise<ExecutionItems> {
	let data: BinaryInput = body.stream as unknown as BinaryInput;
	const compressed = body.document.compressionAlgorithm === 'GZIP';
	if (compressed) {
		const head = await peek(body.stream);
		if (head[0] === 0x1f && head[1] === 0x8b) {
			// The storage did not apply Content-Encoding (or it was not asked for): gunzip here. This
			// holds the decompressed file in memory once, as bytes.
			context.logger.debug('Report document arrived gzip-compressed; decompressing it in the node', { reportDocumentId: source.reportDocumentId });
			data = await collect(gunzipBytes(body.stream));
		}
	}
	const contentType = body.contentType || 'application/octet-stream';
	const fileName = documentFileName(source, contentType);
	// A file name is always given: without one n8n would take the name (and directory) from the pre-signed URL.
	const binary = await context.helpers.prepareBinaryData(data, fileName, contentType);
	const json: IDataObject = {
		...(source.reportId ? { reportId: source.reportId } : {}),
		...(source.reportType ? { reportType: source.reportType } : {}),
		reportDocumentId: source.reportDocumentId,
		fileName,
		mimeType: contentType,
		...(charsetFromContentType(body.contentType) ? { charset: charsetFromContentType(body.contentType) } : {}),
		...(compressed ? { compressionAlgorithm: 'GZIP', decompressed: true } : {}),
		...(binary.bytes !== undefined ? { bytes: binary.bytes } : {}),
	};
	return new ExecutionItems([{ json, binary: { [property]: binary } }]);
}

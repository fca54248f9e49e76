/**
 * Bytes → text lines, streaming: optional gunzip (web DecompressionStream, since node:zlib is not
 * allowed in community nodes), charset from the Content-Type, TextDecoder in streaming mode, and
 * CRLF / LF / CR line breaks. Only the current partial line is held between chunks, so memory does
 * not grow with the file.
 */
import { continueAfter } from '../../common/streams';
import { SettlementError } from './errors';

export interface TextLine {
	/** The line without its line break. */
	text: string;
	/** 1-based physical line number in the decoded text. */
	number: number;
}

export interface DecodeOptions {
	/** `true`: the bytes are gzip; `false`: plain; `'auto'` (default): gzip when they start with 1f 8b. */
	gzip?: boolean | 'auto';
	/** The charset of the document, usually from {@link charsetFromContentType}. A BOM overrides it. */
	charset?: string;
	/**
	 * Used when neither `charset` nor a BOM says otherwise. Amazon's EU flat files are
	 * windows-1252 (the default); pass `shift_jis` for the JP marketplace.
	 */
	defaultCharset?: string;
	/** A longer line means this is not a flat file (or the line breaks are lost); default 1 000 000 characters. */
	maxLineLength?: number;
}

export const DEFAULT_FLAT_FILE_CHARSET = 'windows-1252';

/** `text/tab-separated-values; charset="Cp1252"` → `cp1252`; undefined when there is none. */
export function charsetFromContentType(value: string | null | undefined): string | undefined {
	if (!value) return undefined;
	for (const parameter of value.split(';').slice(1)) {
		const separator = parameter.indexOf('=');
		if (separator < 0) continue;
		if (parameter.slice(0, separator).trim().toLowerCase() !== 'charset') continue;
		const charset = parameter
			.slice(separator + 1)
			.trim()
			.replace(/^"(.*)"$/, '$1')
			.trim()
			.toLowerCase();
		return charset || undefined;
	}
	return undefined;
}

/** The WHATWG name TextDecoder uses for `label` (`latin1` → `windows-1252`), or a clear error. */
export function resolveCharset(label: string): string {
	let encoding: string | undefined;
	try {
		encoding = new TextDecoder(label.trim()).encoding;
	} catch {
		encoding = undefined;
	}
	if (encoding === undefined) {
		throw new SettlementError('DECODE', `Unknown charset "${label}"`, {
			hint: 'Use a charset TextDecoder knows, e.g. utf-8, windows-1252, iso-8859-1 or shift_jis.',
			context: { charset: label },
		});
	}
	return encoding;
}

type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

async function* asAsync(source: ByteSource): AsyncGenerator<Uint8Array> {
	yield* source;
}

/** Reads chunks until at least `count` bytes (or the end) and returns them joined, plus the rest. */
async function peek(source: AsyncIterator<Uint8Array>, count: number): Promise<{ head: Uint8Array; rest: AsyncIterator<Uint8Array> }> {
	const parts: Uint8Array[] = [];
	let length = 0;
	while (length < count) {
		const next = await source.next();
		if (next.done) break;
		parts.push(next.value);
		length += next.value.length;
	}
	const head = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		head.set(part, offset);
		offset += part.length;
	}
	return { head, rest: source };
}

function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
 * Gunzips a byte stream with backpressure: the source is pulled only as fast as we read. The
 * DecompressionStream is fed by hand, one awaited write at a time, rather than with pipeThrough:
 * Node 20's pipe keeps every piped chunk alive until the stream ends, so memory grew with the file.
 */
async function* gunzip(source: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
	const stream = new DecompressionStream('gzip');
	const writer = stream.writable.getWriter();
	const reader = stream.readable.getReader();
	// A failure of the source itself (say, a dropped download) is re-thrown as it is, not as a gzip error.
	let sourceFailure: { error: unknown } | undefined;
	const feeding = (async () => {
		for (;;) {
			let next: IteratorResult<Uint8Array>;
			try {
				next = await source.next();
			} catch (error) {
				sourceFailure = { error };
				await writer.abort(error).catch(() => undefined);
				return;
			}
			if (next.done) {
				// A truncated stream rejects here and in reader.read(), which reports it.
				await writer.close().catch(() => undefined);
				return;
			}
			const written = await writer.write(next.value).then(
				() => true,
				() => false,
			);
			if (!written) {
				// Bad gzip data or the reader was cancelled: stop pulling the source.
				await source.return?.();
				return;
			}
		}
	})();
	let finished = false;
	try {
		for (;;) {
			let result: ReadableStreamReadResult<Uint8Array> | undefined;
			let failure: { error: unknown } | undefined;
			try {
				result = await reader.read();
			} catch (error) {
				failure = { error };
			}
			if (sourceFailure) throw sourceFailure.error;
			if (failure || !result) {
				throw new SettlementError('DECODE', `The gzip data cannot be decompressed: ${errorText(failure?.error)}`, {
					hint: 'The download may be truncated, or the document is not gzip (check compressionAlgorithm).',
				});
			}
			if (result.done) {
				finished = true;
				return;
			}
			yield result.value;
		}
	} finally {
		if (!finished) await reader.cancel().catch(() => undefined);
		await feeding;
	}
}

/** Gunzips a byte stream as it is read (backpressure kept), for consumers that need bytes, not lines. */
export function gunzipBytes(chunks: ByteSource): AsyncGenerator<Uint8Array> {
	return gunzip(asAsync(chunks)[Symbol.asyncIterator]());
}

/** WHATWG BOM sniffing: a BOM wins over the declared charset. */
function charsetFromBom(head: Uint8Array): string | undefined {
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
	if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
	if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
	return undefined;
}

/** windows-1252 characters at bytes 0x80–0x9F (the five undefined bytes stay C1 controls). */
const WINDOWS_1252_HIGH: Record<number, string> = {
	0x80: '\u20ac', 0x82: '\u201a', 0x83: '\u0192', 0x84: '\u201e', 0x85: '\u2026', 0x86: '\u2020',
	0x87: '\u2021', 0x88: '\u02c6', 0x89: '\u2030', 0x8a: '\u0160', 0x8b: '\u2039', 0x8c: '\u0152',
	0x8e: '\u017d', 0x91: '\u2018', 0x92: '\u2019', 0x93: '\u201c', 0x94: '\u201d', 0x95: '\u2022',
	0x96: '\u2013', 0x97: '\u2014', 0x98: '\u02dc', 0x99: '\u2122', 0x9a: '\u0161', 0x9b: '\u203a',
	0x9c: '\u0153', 0x9e: '\u017e', 0x9f: '\u0178',
};

/**
 * Some Node builds (those without full ICU, e.g. Node 20's small-icu) decode windows-1252 as
 * latin1, so `€` (0x80) comes out as U+0080. Map those C1 code points to what windows-1252 means.
 */
function repairWindows1252(text: string): string {
	return /[\u0080-\u009f]/.test(text)
		? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0)] ?? c)
		: text;
}

/**
 * Decodes a (possibly gzipped) byte stream into lines. Invalid bytes for the charset fail loudly
 * (TextDecoder `fatal`) instead of turning into U+FFFD, naming the line where they occur.
 */
export async function* decodeLines(chunks: ByteSource, options: DecodeOptions = {}): AsyncGenerator<TextLine> {
	const maxLineLength = options.maxLineLength ?? 1_000_000;
	const declared = options.charset ? resolveCharset(options.charset) : undefined;
	const fallback = resolveCharset(options.defaultCharset ?? DEFAULT_FLAT_FILE_CHARSET);

	let bytes: AsyncIterator<Uint8Array> = asAsync(chunks)[Symbol.asyncIterator]();
	const gzip = options.gzip ?? 'auto';
	if (gzip !== false) {
		const { head, rest } = await peek(bytes, 2);
		const isGzip = head[0] === 0x1f && head[1] === 0x8b;
		if (gzip === true && head.length > 0 && !isGzip) {
			await rest.return?.();
			throw new SettlementError('DECODE', 'The document was expected to be gzip but does not start with the gzip signature', {
				hint: 'Set gzip to false (or auto) for uncompressed documents.',
			});
		}
		bytes = continueAfter(head.length ? [head] : [], rest);
		if (isGzip) bytes = gunzip(bytes);
	}

	const { head, rest } = await peek(bytes, 3);
	const encoding = charsetFromBom(head) ?? declared ?? fallback;
	// ignoreBOM false: the decoder drops a BOM of its own encoding, so the header's first name stays clean.
	const decoder = new TextDecoder(encoding, { fatal: true });

	let pending = '';
	let number = 0;
	// `\r` at the very end of a chunk may be the first half of `\r\n`: it is kept until the next chunk.
	const breaks = /\r\n|\r|\n/g;

	function* split(text: string, final: boolean): Generator<TextLine> {
		const buffer = pending + text;
		let start = 0;
		breaks.lastIndex = 0;
		for (let match = breaks.exec(buffer); match; match = breaks.exec(buffer)) {
			if (!final && match[0] === '\r' && match.index === buffer.length - 1) break;
			yield { text: buffer.slice(start, match.index), number: ++number };
			start = match.index + match[0].length;
		}
		pending = buffer.slice(start);
		if (pending.length > maxLineLength) {
			throw new SettlementError('DECODE', `Line longer than ${maxLineLength} characters`, {
				line: number + 1,
				hint: 'This does not look like a tab-separated flat file (or its line breaks are missing).',
			});
		}
		if (final && pending !== '') {
			yield { text: pending, number: ++number };
			pending = '';
		}
	}

	function decode(chunk: Uint8Array | undefined): string {
		let text: string | undefined;
		let failure: unknown;
		try {
			text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
		} catch (error) {
			failure = error;
		}
		if (text === undefined) {
			throw new SettlementError('DECODE', `The bytes are not valid ${encoding}: ${errorText(failure)}`, {
				line: number + 1,
				hint: 'The Content-Type charset is wrong or missing; set the charset explicitly (e.g. windows-1252 for EU files, shift_jis for JP).',
				context: { charset: encoding },
			});
		}
		return encoding === 'windows-1252' ? repairWindows1252(text) : text;
	}

	const source = continueAfter(head.length ? [head] : [], rest);
	for await (const chunk of source) yield* split(decode(chunk), false);
	yield* split(decode(undefined), true);
}

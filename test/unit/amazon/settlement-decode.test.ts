import { gunzipSync } from 'node:zlib';

import { SettlementError, charsetFromContentType, decodeLines, resolveCharset } from '../../../nodes/AmazonSellerCentral/settlement';
import { chunks, failure, gzip, latin1Bytes, lines, utf8Bytes } from './settlement-helpers';

const texts = (result: Array<{ text: string }>) => result.map((line) => line.text);

describe('charsetFromContentType', () => {
	it.each([
		['text/tab-separated-values; charset=UTF-8', 'utf-8'],
		['text/plain;charset="Cp1252"', 'cp1252'],
		['text/plain; format=flowed; Charset = iso-8859-1 ', 'iso-8859-1'],
		['text/plain; charset=Shift_JIS', 'shift_jis'],
		['text/plain', undefined],
		['text/plain; charset=', undefined],
		['', undefined],
		[undefined, undefined],
	])('%p → %p', (value, charset) => {
		expect(charsetFromContentType(value)).toBe(charset);
	});

	it('resolves labels the way TextDecoder does and refuses unknown ones', () => {
		expect(resolveCharset('latin1')).toBe('windows-1252');
		expect(resolveCharset('ISO-8859-1')).toBe('windows-1252');
		expect(resolveCharset('cp1252')).toBe('windows-1252');
		expect(resolveCharset('Shift_JIS')).toBe('shift_jis');
		expect(() => resolveCharset('ebcdic-37')).toThrow(/Unknown charset "ebcdic-37"/);
	});
});

describe('decodeLines', () => {
	const german = 'marketplace-name\tamount-description\nAmazon.de\tGebühren für Versand durch Amazon\nAmazon.de\tRückerstattung\n';

	it('decodes windows-1252 bytes by default (no charset given): Amazon.de + Gebühren', async () => {
		const result = await lines(latin1Bytes(german), {}, 1);
		expect(texts(result)).toEqual(['marketplace-name\tamount-description', 'Amazon.de\tGebühren für Versand durch Amazon', 'Amazon.de\tRückerstattung']);
		expect(result.map((line) => line.number)).toEqual([1, 2, 3]);
	});

	it('uses the Content-Type charset (iso-8859-1 is windows-1252 in WHATWG; € is 0x80)', async () => {
		const bytes = new Uint8Array([...latin1Bytes('Geb\u00fchr '), 0x80, 0x0a]);
		expect(texts(await lines(bytes, { charset: charsetFromContentType('text/plain; charset=ISO-8859-1') }))).toEqual(['Gebühr €']);
	});

	it('maps every windows-1252 character at 0x80–0x9F (– “ ” ™ Ÿ), split across chunks, whatever ICU Node has', async () => {
		const bytes = new Uint8Array([0x80, 0x20, 0x96, 0x20, 0x93, 0x41, 0x94, 0x99, 0x9f, 0x8a, 0x0a]);
		const chunked = await lines(bytes, { charset: 'windows-1252' }, 3);
		expect(texts(chunked)).toEqual(['\u20ac \u2013 \u201cA\u201d\u2122\u0178\u0160']);
	});

	it('fails loudly, naming the line, when the declared charset does not fit the bytes (never U+FFFD)', async () => {
		const error = await failure(lines(latin1Bytes(german), { charset: 'utf-8' }));
		expect(error).toBeInstanceOf(SettlementError);
		expect(error.code).toBe('DECODE');
		expect(error.line).toBe(2);
		expect(error.message).toMatch(/not valid utf-8/);
	});

	it('lets a UTF-8 BOM override the windows-1252 default and strips it', async () => {
		const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8Bytes(german)]);
		expect(texts(await lines(bytes, {}, 1))).toEqual(['marketplace-name\tamount-description', 'Amazon.de\tGebühren für Versand durch Amazon', 'Amazon.de\tRückerstattung']);
	});

	it('decodes Shift_JIS (JP) across chunk boundaries that split characters', async () => {
		// 手数料 ("fee") in Shift_JIS.
		const bytes = new Uint8Array([...latin1Bytes('Amazon.co.jp\t'), 0x8e, 0xe8, 0x90, 0x94, 0x97, 0xbf, 0x0d, 0x0a]);
		expect(texts(await lines(bytes, { charset: 'shift_jis' }, 1))).toEqual(['Amazon.co.jp\t手数料']);
	});

	it('splits CRLF, LF and CR, also when \\r and \\n arrive in different chunks; keeps empty lines, drops the final break', async () => {
		const bytes = latin1Bytes('a\r\nb\nc\rd\r\n\r\ne');
		for (const size of [1, 2, 3, 100]) {
			const result = await lines(bytes, {}, size);
			expect(texts(result)).toEqual(['a', 'b', 'c', 'd', '', 'e']);
			expect(result.map((line) => line.number)).toEqual([1, 2, 3, 4, 5, 6]);
		}
		expect(texts(await lines(latin1Bytes('a\r\nb\r\n'), {}, 1))).toEqual(['a', 'b']);
		expect(texts(await lines(latin1Bytes('a\r'), {}, 1))).toEqual(['a']);
	});

	it('gunzips gzip input (auto-detected, or declared), streaming in small chunks', async () => {
		const compressed = gzip(latin1Bytes(german));
		expect(gunzipSync(compressed).length).toBe(latin1Bytes(german).length);
		for (const gzipOption of ['auto', true] as const) {
			for (const size of [1, 5, 1000]) expect(texts(await lines(compressed, { gzip: gzipOption }, size))).toEqual(texts(await lines(latin1Bytes(german))));
		}
	});

	it('reads gzip bytes as text only when told gzip: false (then they fail as text)', async () => {
		const error = await failure(lines(gzip(utf8Bytes('a\n')), { gzip: false, charset: 'utf-8' }));
		expect(error.code).toBe('DECODE');
	});

	it('refuses plain bytes declared as gzip, and a truncated gzip stream', async () => {
		expect((await failure(lines(latin1Bytes('a\tb\n'), { gzip: true }))).message).toMatch(/gzip signature/);
		const compressed = gzip(latin1Bytes(german.repeat(50)));
		const truncated = compressed.slice(0, compressed.length - 12);
		const error = await failure(lines(truncated, { gzip: true }));
		expect(error).toBeInstanceOf(SettlementError);
		expect(error.message).toMatch(/cannot be decompressed/);
	});

	it('passes a failure of the byte source through unchanged', async () => {
		async function* broken() {
			yield gzip(latin1Bytes(german)).slice(0, 10);
			throw new Error('socket hang up');
		}
		await expect(lines(new Uint8Array(), {})).resolves.toEqual([]);
		const error = await failure(
			(async () => {
				for await (const _line of decodeLines(broken(), { gzip: true })) void _line;
			})(),
		);
		expect(error.message).toBe('socket hang up');
	});

	it('accepts a plain iterable of byte arrays', async () => {
		const result = [];
		for await (const line of decodeLines([latin1Bytes('a\n'), latin1Bytes('b')])) result.push(line.text);
		expect(result).toEqual(['a', 'b']);
	});

	it('stops a large gzip stream early without hanging, also while the decompressor is backed up', async () => {
		let pulled = 0;
		let released = false;
		const compressed = gzip(latin1Bytes(Array.from({ length: 200_000 }, (_, i) => `line ${i}\t${(i * 7919) % 100_003}`).join('\n')));
		async function* source() {
			try {
				for await (const chunk of chunks(compressed, 4096)) {
					pulled++;
					yield chunk;
				}
			} finally {
				released = true;
			}
		}
		for await (const line of decodeLines(source())) if (line.number === 2) break;
		expect(released).toBe(true);
		// Backpressure: only the first few chunks were pulled, not the whole download.
		expect(pulled).toBeLessThan(Math.ceil(compressed.length / 4096) / 2);
	});

	it('stops at a runaway line instead of buffering it', async () => {
		const error = await failure(lines(latin1Bytes('x'.repeat(5000)), { maxLineLength: 1000 }, 512));
		expect(error.code).toBe('DECODE');
		expect(error.line).toBe(1);
	});

	it('releases the source when the consumer stops early', async () => {
		let released = false;
		async function* source() {
			try {
				yield* chunks(latin1Bytes('a\nb\nc\n'), 1);
				for (;;) yield latin1Bytes('z\n');
			} finally {
				released = true;
			}
		}
		for await (const line of decodeLines(source())) if (line.number === 2) break;
		expect(released).toBe(true);
		released = false;
		async function* gzSource() {
			try {
				yield gzip(latin1Bytes('a\nb\nc\n'.repeat(1000)));
			} finally {
				released = true;
			}
		}
		for await (const line of decodeLines(gzSource())) if (line.number === 2) break;
		expect(released).toBe(true);
	});
});

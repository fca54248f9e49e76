/**
 * Small shared helpers: deterministic random numbers, money in minor units, time formats,
 * opaque identifiers and a windows-1252 codec (Node's TextDecoder treats 'windows-1252' as
 * latin1 and Buffer has no cp1252, so the sandbox carries its own table).
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** mulberry32: tiny, fast, good enough for demo data (same generator as the IFS sandbox). */
export function createRandom(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
	return {
		next,
		int,
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
		chance: (p: number) => next() < p,
		digits: (n: number) => {
			let s = '';
			for (let i = 0; i < n; i++) s += String.fromCharCode(48 + Math.floor(next() * 10));
			return s;
		},
		alnum: (n: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789') => {
			let s = '';
			for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
			return s;
		},
		/** Picks by weight: [[value, weight], ...]. */
		weighted: <T>(entries: ReadonlyArray<readonly [T, number]>): T => {
			const total = entries.reduce((s, [, w]) => s + w, 0);
			let r = next() * total;
			for (const [value, weight] of entries) {
				r -= weight;
				if (r < 0) return value;
			}
			return entries[entries.length - 1][0];
		},
	};
}
export type Random = ReturnType<typeof createRandom>;

export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

// ---- money ---------------------------------------------------------------------------------

const ZERO_DECIMAL = new Set(['JPY']);

export function currencyDecimals(currency: string): number {
	return ZERO_DECIMAL.has(currency) ? 0 : 2;
}

/** Minor units -> decimal text ("12.34", "-4.05", "1980" for JPY), optionally with a decimal comma. */
export function formatMinor(minor: number, currency: string, decimalComma = false): string {
	const decimals = currencyDecimals(currency);
	const negative = minor < 0;
	const abs = Math.abs(Math.round(minor));
	let text: string;
	if (decimals === 0) text = String(abs);
	else {
		const s = String(abs).padStart(decimals + 1, '0');
		text = `${s.slice(0, -decimals)}${decimalComma ? ',' : '.'}${s.slice(-decimals)}`;
	}
	return negative && abs !== 0 ? `-${text}` : text;
}

/** Minor units -> JSON number (exact for 0/2-decimal currencies). */
export function minorToNumber(minor: number, currency: string): number {
	return Number(formatMinor(minor, currency));
}

// ---- time ----------------------------------------------------------------------------------

/** ISO 8601 UTC without milliseconds: 2026-03-01T12:00:00Z (Orders, Inventory). */
export function isoSeconds(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** ISO 8601 UTC with milliseconds (Reports, Finances). */
export function isoMillis(ms: number): string {
	return new Date(ms).toISOString();
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface ParsedInstant {
	ms: number;
	/** The text carried an offset other than Z / +00:00 (text without a zone counts as UTC). */
	nonUtcOffset: boolean;
}

/** Parses ISO 8601 date or date-time text; undefined when it is not ISO 8601. */
export function parseIsoInstant(text: string): ParsedInstant | undefined {
	const m = ISO_DATE_TIME.exec(text.trim());
	if (!m) return undefined;
	const [, y, mo, d, h, mi, s, frac, zone] = m;
	const base = Date.UTC(+y, +mo - 1, +d, h ? +h : 0, mi ? +mi : 0, s ? +s : 0, frac ? Math.floor(Number(`0${frac}`) * 1000) : 0);
	if (!Number.isFinite(base)) return undefined;
	const check = new Date(base);
	if (check.getUTCFullYear() !== +y || check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d) return undefined;
	let offsetMin = 0;
	if (zone && zone !== 'Z') {
		const sign = zone[0] === '-' ? -1 : 1;
		const digits = zone.slice(1).replace(':', '');
		offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
	}
	return { ms: base - offsetMin * MINUTE, nonUtcOffset: offsetMin !== 0 };
}

// ---- identifiers ---------------------------------------------------------------------------

/** base64url of n random bytes. */
export function randomToken(bytes = 32): string {
	return randomBytes(bytes).toString('base64url');
}

/**
 * An opaque pagination token in standard base64 that always contains '+', '/' and '=': a
 * client that does not URL-encode it sends a different token (a '+' becomes a space).
 */
export function opaqueNextToken(): string {
	const body = Buffer.concat([Buffer.from([0xfb, 0xff, 0xbf]), randomBytes(28)]);
	return body.toString('base64');
}

export function requestId(): string {
	return randomUUID();
}

/** A 43-character id like Amazon's FinancialEventGroupId / transactionId. */
export function base64Id(rnd: Random, length = 43): string {
	return rnd.alnum(length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');
}

// ---- windows-1252 --------------------------------------------------------------------------

/** Code points of bytes 0x80-0x9F in windows-1252 (undefined = unassigned). */
const CP1252_HIGH: Array<number | undefined> = [
	0x20ac, undefined, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, undefined, 0x017d, undefined,
	undefined, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, undefined, 0x017e, 0x0178,
];
const CP1252_REVERSE = new Map<number, number>(CP1252_HIGH.flatMap((cp, i) => (cp === undefined ? [] : [[cp, 0x80 + i] as [number, number]])));

/** Encodes text as windows-1252; characters it cannot represent become '?'. */
export function encodeWindows1252(text: string): Buffer {
	const out = Buffer.alloc(text.length * 2);
	let n = 0;
	for (const ch of text) {
		const cp = ch.codePointAt(0)!;
		if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) out[n++] = cp;
		else out[n++] = CP1252_REVERSE.get(cp) ?? 0x3f;
	}
	return out.subarray(0, n);
}

export function decodeWindows1252(bytes: Uint8Array): string {
	let s = '';
	for (const b of bytes) s += String.fromCodePoint(b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? b) : b);
	return s;
}

/** Encodes text for a charset label the sandbox supports (utf-8, windows-1252, iso-8859-1). */
export function encodeText(text: string, charset: string): Buffer {
	const c = charset.toLowerCase();
	if (c === 'windows-1252' || c === 'cp1252') return encodeWindows1252(text);
	if (c === 'iso-8859-1' || c === 'latin1') return Buffer.from(text, 'latin1');
	if (c === 'utf-8' || c === 'utf8') return Buffer.from(text, 'utf8');
	throw new Error(`unsupported charset ${charset} (use utf-8, windows-1252 or iso-8859-1, or pass bytes)`);
}

/**
 * Settlement date text → UTC instant. Seen in V2 files: `2026-03-01T00:00:00+00:00`,
 * `2019-10-04 20:13:55 UTC`, `04.10.2019 20:13:55 UTC` (DE, always day first), `04/10/2019 …`
 * (UK/FR day first, US month first), `2019/10/04 …` (JP), and date-only `posted-date` values in
 * each of these forms. Like the decimal separator, the order of `a/b/yyyy` is a property of the
 * file: learned from the first value with a part above 12 and never guessed.
 *
 * A value without a zone is read as UTC: Amazon documents settlement times as UTC. Zone
 * abbreviations are accepted only where they have one meaning (see ZONE_OFFSETS).
 */

export type SlashDateOrder = 'dmy' | 'mdy';

export interface ParsedDate {
	/** Epoch milliseconds of the instant (midnight UTC for a date without time). */
	ms: number;
	/** Whether the text had a time of day. */
	hasTime: boolean;
	/** `yyyy-MM-ddTHH:mm:ss(.SSS)Z`. */
	iso: string;
	/** The UTC calendar date `yyyy-MM-dd` (for a date-only value: that date). */
	date: string;
}

export type DateEvidence =
	| { kind: 'neutral' }
	| { kind: 'decides'; order: SlashDateOrder }
	/** `a/b/yyyy` with both parts ≤ 12 and different: day-first and month-first disagree. */
	| { kind: 'ambiguous' }
	| { kind: 'malformed'; reason: string };

/** Offsets in minutes for abbreviations with a single meaning; anything else is refused. */
const ZONE_OFFSETS: Record<string, number> = {
	Z: 0,
	UT: 0,
	UTC: 0,
	GMT: 0,
	PST: -480,
	PDT: -420,
	CET: 60,
	CEST: 120,
	JST: 540,
};

const TIME = String.raw`(?:[T ]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?`;
const ZONE = String.raw`\s*(Z|[A-Za-z]{2,5}|[+-]\d{2}(?::?\d{2})?)?`;
const FORMS: Array<{ form: 'ymd' | 'dmy' | 'slash'; pattern: RegExp }> = [
	{ form: 'ymd', pattern: new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}${ZONE}$`) },
	{ form: 'ymd', pattern: new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}${ZONE}$`) },
	{ form: 'dmy', pattern: new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME}${ZONE}$`) },
	{ form: 'slash', pattern: new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}${ZONE}$`) },
];

interface Scanned {
	form: 'ymd' | 'dmy' | 'slash';
	parts: string[];
}

function scan(text: string): Scanned | undefined {
	for (const { form, pattern } of FORMS) {
		const match = pattern.exec(text);
		if (match) return { form, parts: match.slice(1) };
	}
	return undefined;
}

const MALFORMED_HELP = 'expected e.g. 2026-03-01T00:00:00+00:00, 2026-03-01 00:00:00 UTC, 01.03.2026 00:00:00 UTC or 2026-03-01';

/** What one date text says about the file's `a/b/yyyy` order (text already trimmed, non-empty). */
export function dateEvidence(text: string): DateEvidence {
	const scanned = scan(text);
	if (!scanned) return { kind: 'malformed', reason: MALFORMED_HELP };
	if (scanned.form !== 'slash') return { kind: 'neutral' };
	const a = Number(scanned.parts[0]);
	const b = Number(scanned.parts[1]);
	if (a > 12 && b > 12) return { kind: 'malformed', reason: 'neither part can be a month' };
	if (a > 12) return { kind: 'decides', order: 'dmy' };
	if (b > 12) return { kind: 'decides', order: 'mdy' };
	return a === b ? { kind: 'neutral' } : { kind: 'ambiguous' };
}

function pad(value: number, width = 2): string {
	return String(value).padStart(width, '0');
}

/**
 * Reads a date with a known (or irrelevant) slash order. Returns a reason string instead of a date
 * when the text is not a valid date, so the caller can name the line and column.
 */
export function parseDate(text: string, order: SlashDateOrder | undefined): ParsedDate | string {
	const scanned = scan(text);
	if (!scanned) return MALFORMED_HELP;
	const [p0, p1, p2, hour = '0', minute = '0', second = '0', fraction = '', zone] = scanned.parts;
	let year: number, month: number, day: number;
	if (scanned.form === 'ymd') [year, month, day] = [Number(p0), Number(p1), Number(p2)];
	else if (scanned.form === 'dmy') [day, month, year] = [Number(p0), Number(p1), Number(p2)];
	else {
		if (!order && Number(p0) !== Number(p1)) return 'day and month order unknown';
		[day, month, year] = order === 'mdy' ? [Number(p1), Number(p0), Number(p2)] : [Number(p0), Number(p1), Number(p2)];
	}
	const h = Number(hour);
	const mi = Number(minute);
	const s = Number(second);
	if (month < 1 || month > 12) return `month ${month} is out of range`;
	if (h > 23 || mi > 59 || s > 59) return 'time of day is out of range';

	let offset = 0;
	if (zone) {
		const named = ZONE_OFFSETS[zone.toUpperCase()];
		if (named !== undefined) offset = named;
		else if (/^[+-]/.test(zone)) {
			const digits = zone.slice(1).replace(':', '');
			const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
			if (Number(digits.slice(2) || '0') > 59 || minutes > 14 * 60) return `offset ${zone} is out of range`;
			offset = zone.startsWith('-') ? -minutes : minutes;
		} else return `time zone "${zone}" is not one we can read unambiguously (use UTC or an offset such as +01:00)`;
	}

	const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
	const local = Date.UTC(year, month - 1, day, h, mi, s, millis);
	const check = new Date(local);
	// Date.UTC rolls 31 April over to 1 May; a changed day means the date does not exist.
	if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
		return `${pad(year, 4)}-${pad(month)}-${pad(day)} is not a calendar date`;
	}
	const ms = local - offset * 60_000;
	const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
	return { ms, hasTime: scanned.parts[3] !== undefined, iso, date: iso.slice(0, 10) };
}

/**
 * Date handling for API literals and headers (luxon, which n8n provides).
 */
import { DateTime } from 'luxon';

export class DateInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DateInputError';
	}
}

/**
 * Accepts what n8n users actually hand over: ISO strings (with or without time or zone), JS Dates,
 * luxon DateTimes (n8n's `$now`), epoch milliseconds. A value without a zone is read in `zone`.
 */
export function toDateTime(value: unknown, zone = 'UTC'): DateTime {
	let parsed: DateTime | undefined;
	if (DateTime.isDateTime(value)) parsed = value;
	else if (value instanceof Date) parsed = DateTime.fromJSDate(value, { zone });
	else if (typeof value === 'number' && Number.isFinite(value)) parsed = DateTime.fromMillis(value, { zone });
	else if (typeof value === 'string' && value.trim() !== '') {
		const text = value.trim();
		parsed = DateTime.fromISO(text, { zone, setZone: true });
		if (!parsed.isValid) parsed = DateTime.fromRFC2822(text, { zone, setZone: true });
		if (!parsed.isValid) parsed = DateTime.fromSQL(text, { zone, setZone: true });
	}
	if (!parsed || !parsed.isValid) {
		throw new DateInputError(
			`"${String(value)}" is not a date/time we can read; use ISO 8601, e.g. 2024-05-31 or 2024-05-31T14:30:00Z`,
		);
	}
	return parsed;
}

/** Calendar date `yyyy-MM-dd` as written in `zone` (a date has no zone of its own). */
export function toIsoDate(value: unknown, zone = 'UTC'): string {
	return toDateTime(value, zone).toISODate() as string;
}

/** Instant in UTC without milliseconds: `yyyy-MM-ddTHH:mm:ssZ`. */
export function toUtcTimestamp(value: unknown, zone = 'UTC'): string {
	return toDateTime(value, zone).toUTC().set({ millisecond: 0 }).toISO({ suppressMilliseconds: true }) as string;
}

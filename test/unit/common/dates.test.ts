import { DateTime } from 'luxon';

import { DateInputError, toDateTime, toIsoDate, toUtcTimestamp } from '../../../nodes/common/dates';

describe('toDateTime', () => {
	it('reads an ISO date without a zone in the given zone (UTC by default)', () => {
		expect(toDateTime('2024-05-31').toISO()).toBe('2024-05-31T00:00:00.000Z');
		expect(toDateTime('2024-05-31T14:30', 'Europe/Stockholm').toISO()).toBe('2024-05-31T14:30:00.000+02:00');
	});

	it('keeps the zone an ISO string states', () => {
		const parsed = toDateTime('2024-05-31T14:30:00-05:00', 'Asia/Tokyo');
		expect(parsed.offset).toBe(-300);
		expect(parsed.toUTC().toISO()).toBe('2024-05-31T19:30:00.000Z');
	});

	it('reads JS Dates, epoch milliseconds and luxon DateTimes', () => {
		const instant = Date.UTC(2024, 4, 31, 14, 30);
		expect(toDateTime(new Date(instant)).toMillis()).toBe(instant);
		expect(toDateTime(instant).toMillis()).toBe(instant);
		const luxon = DateTime.fromMillis(instant, { zone: 'America/New_York' });
		expect(toDateTime(luxon)).toBe(luxon);
	});

	it('reads RFC 2822 and SQL forms', () => {
		expect(toDateTime('Fri, 31 May 2024 14:30:00 +0000').toUTC().toISO()).toBe('2024-05-31T14:30:00.000Z');
		expect(toDateTime('2024-05-31 14:30:00').toISO()).toBe('2024-05-31T14:30:00.000Z');
	});

	it('trims surrounding whitespace', () => {
		expect(toIsoDate('  2024-05-31  ')).toBe('2024-05-31');
	});

	it.each([['tomorrow'], [''], ['   '], ['2024-13-45'], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [undefined], [true], [{}]])(
		'refuses %p with a message that shows the expected format',
		(value) => {
			expect(() => toDateTime(value)).toThrow(DateInputError);
			expect(() => toDateTime(value)).toThrow(/ISO 8601, e\.g\. 2024-05-31/);
		},
	);

	it('names the value it could not read', () => {
		expect(() => toDateTime('31/05/2024')).toThrow('"31/05/2024" is not a date/time we can read');
	});

	it('refuses an invalid luxon DateTime', () => {
		expect(() => toDateTime(DateTime.invalid('broken'))).toThrow(DateInputError);
	});
});

describe('toIsoDate', () => {
	it('gives the calendar date', () => {
		expect(toIsoDate('2024-05-31T23:30:00Z')).toBe('2024-05-31');
		expect(toIsoDate('2024-02-29')).toBe('2024-02-29');
	});

	it('gives the date of an instant as seen in the given zone', () => {
		const lateEvening = new Date(Date.UTC(2024, 4, 31, 23, 30));
		expect(toIsoDate(lateEvening)).toBe('2024-05-31');
		expect(toIsoDate(lateEvening, 'Asia/Tokyo')).toBe('2024-06-01');
		expect(toIsoDate(lateEvening.getTime(), 'America/Los_Angeles')).toBe('2024-05-31');
	});
});

describe('toUtcTimestamp', () => {
	it('converts to UTC and drops milliseconds', () => {
		expect(toUtcTimestamp('2024-05-31T16:30:00.789+02:00')).toBe('2024-05-31T14:30:00Z');
		expect(toUtcTimestamp(0)).toBe('1970-01-01T00:00:00Z');
	});

	it('reads a local time in the given zone', () => {
		expect(toUtcTimestamp('2024-05-31T14:30', 'Europe/Stockholm')).toBe('2024-05-31T12:30:00Z');
		expect(toUtcTimestamp('2024-01-15T14:30', 'Europe/Stockholm')).toBe('2024-01-15T13:30:00Z');
	});

	it('treats a date alone as midnight in the zone', () => {
		expect(toUtcTimestamp('2024-05-31')).toBe('2024-05-31T00:00:00Z');
	});
});

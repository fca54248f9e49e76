import { LiteralError, encodeLiteral, formatLiteral, keyPredicate, quoteString } from '../../../nodes/IfsCloud/odata/literals';

const STATE = 'IfsApp.CustomerOrderHandling.CustomerOrderState';
const ENUMS = new Set([STATE]);

/** Like a server: split a path into segments, then decode each. */
const segmentsOf = (path: string) => path.split('/').map((segment) => decodeURIComponent(segment));

describe('quoteString', () => {
	it('quotes and doubles single quotes', () => {
		expect(quoteString('C1')).toBe("'C1'");
		expect(quoteString("O'Brien")).toBe("'O''Brien'");
		expect(quoteString("''")).toBe("''''''");
		expect(quoteString('')).toBe("''");
	});
});

describe('formatLiteral', () => {
	it('writes null for null and undefined', () => {
		expect(formatLiteral(null, 'Edm.String')).toBe('null');
		expect(formatLiteral(undefined, 'Edm.Int32')).toBe('null');
	});

	it.each(['Edm.Byte', 'Edm.SByte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64'])('writes %s as a bare whole number', (type) => {
		expect(formatLiteral(42, type)).toBe('42');
		expect(formatLiteral(' 7 ', type)).toBe('7');
		expect(formatLiteral(-3, type)).toBe('-3');
		expect(() => formatLiteral(4.5, type)).toThrow(LiteralError);
		expect(() => formatLiteral('12abc', type)).toThrow(`"12abc" is not a whole number (${type})`);
		expect(() => formatLiteral(true, type)).toThrow(LiteralError);
	});

	// An empty text field must not silently become the number 0.
	it.each(['', '   '])('does not turn %p into 0 for an integer type', (value) => {
		let written: string | undefined;
		let failure: unknown;
		try {
			written = formatLiteral(value, 'Edm.Int32');
		} catch (error) {
			failure = error;
		}
		expect(written).not.toBe('0');
		if (written === undefined) expect(failure).toBeInstanceOf(LiteralError);
		else expect(written).toBe('null');
	});

	// Int64 keys beyond 2^53 must keep every digit: 9007199254740993 is another row than …992.
	it('keeps every digit of a large Edm.Int64', () => {
		expect(formatLiteral('9007199254740993', 'Edm.Int64')).toBe('9007199254740993');
		expect(formatLiteral('-9223372036854775808', 'Edm.Int64')).toBe('-9223372036854775808');
	});

	it.each(['Edm.Decimal', 'Edm.Double', 'Edm.Single'])('writes %s as a bare number, as given', (type) => {
		expect(formatLiteral('12.50', type)).toBe('12.50');
		expect(formatLiteral(3, type)).toBe('3');
		expect(formatLiteral(-0.25, type)).toBe('-0.25');
		expect(formatLiteral('1.5e3', type)).toBe('1.5e3');
		expect(formatLiteral(' 8 ', type)).toBe('8');
		expect(() => formatLiteral('12,5', type)).toThrow(`"12,5" is not a number (${type})`);
		expect(() => formatLiteral('abc', type)).toThrow(LiteralError);
		expect(() => formatLiteral('', type)).toThrow(LiteralError);
	});

	it('keeps every digit of a Decimal given as text', () => {
		expect(formatLiteral('12345678901234567890.123456789', 'Edm.Decimal')).toBe('12345678901234567890.123456789');
	});

	it('writes Edm.Boolean as true/false', () => {
		expect(formatLiteral(true, 'Edm.Boolean')).toBe('true');
		expect(formatLiteral('false', 'Edm.Boolean')).toBe('false');
		expect(() => formatLiteral('yes', 'Edm.Boolean')).toThrow('"yes" is not true or false');
		expect(() => formatLiteral(1, 'Edm.Boolean')).toThrow(LiteralError);
	});

	it('writes Edm.Date as a bare yyyy-MM-dd', () => {
		expect(formatLiteral('2024-05-31', 'Edm.Date')).toBe('2024-05-31');
		expect(formatLiteral('2024-05-31T23:30:00Z', 'Edm.Date')).toBe('2024-05-31');
		expect(formatLiteral(new Date(Date.UTC(2024, 0, 2, 12)), 'Edm.Date')).toBe('2024-01-02');
		expect(() => formatLiteral('someday', 'Edm.Date')).toThrow(/not a date/);
	});

	it('writes Edm.DateTimeOffset as a bare UTC timestamp', () => {
		expect(formatLiteral('2024-05-31T16:30:00+02:00', 'Edm.DateTimeOffset')).toBe('2024-05-31T14:30:00Z');
		expect(formatLiteral(Date.UTC(2024, 4, 31, 14, 30), 'Edm.DateTimeOffset')).toBe('2024-05-31T14:30:00Z');
	});

	// OData ABNF: timeOfDayValue = hour ":" minute [ ":" second … ], written without quotes.
	it('writes Edm.TimeOfDay as a bare time', () => {
		expect(formatLiteral('14:30:00', 'Edm.TimeOfDay')).toBe('14:30:00');
	});

	it('writes Edm.Guid bare after checking its form', () => {
		expect(formatLiteral(' 0E984725-C51C-4BF4-9960-E1C80E27ABA0 ', 'Edm.Guid')).toBe('0E984725-C51C-4BF4-9960-E1C80E27ABA0');
		expect(() => formatLiteral('not-a-guid', 'Edm.Guid')).toThrow('"not-a-guid" is not a GUID');
		expect(() => formatLiteral("0E984725-C51C-4BF4-9960-E1C80E27ABA0' or 1 eq 1", 'Edm.Guid')).toThrow(LiteralError);
	});

	it('writes strings quoted, with quotes doubled', () => {
		expect(formatLiteral('C1', 'Edm.String')).toBe("'C1'");
		expect(formatLiteral("it's", 'Edm.String')).toBe("'it''s'");
		expect(formatLiteral(1000, 'Edm.String')).toBe("'1000'");
		expect(formatLiteral('', 'Edm.String')).toBe("''");
	});

	it('writes enum members as Namespace.Type\'Member\'', () => {
		expect(formatLiteral('Released', STATE, ENUMS)).toBe(`${STATE}'Released'`);
		expect(formatLiteral("Odd'Name", STATE, ENUMS)).toBe(`${STATE}'Odd''Name'`);
	});

	it('writes an enum type it was not told about as a plain string', () => {
		expect(formatLiteral('Released', STATE)).toBe("'Released'");
	});

	it('cannot be broken out of by quotes in a string value', () => {
		const literal = formatLiteral("x' or 1 eq 1 or 'y", 'Edm.String');
		expect(literal).toBe("'x'' or 1 eq 1 or ''y'");
		// Exactly one quoted token: strip doubled quotes, then only the outer pair is left.
		expect(literal.replace(/''/g, '').match(/'/g)).toHaveLength(2);
	});
});

describe('encodeLiteral', () => {
	it('percent-encodes path-breaking characters and keeps quotes and colons readable', () => {
		expect(encodeLiteral("'A/B#C?D&E+F%G H'")).toBe("'A%2FB%23C%3FD%26E%2BF%25G%20H'");
		expect(encodeLiteral('2024-05-31T14:30:00Z')).toBe('2024-05-31T14:30:00Z');
	});
});

describe('keyPredicate', () => {
	it('writes a single key', () => {
		expect(keyPredicate([{ name: 'OrderNo', type: 'Edm.String' }], { OrderNo: 'C1' })).toBe("(OrderNo='C1')");
	});

	it('writes composite keys in key order, Int32 parts bare', () => {
		const keys = [
			{ name: 'OrderNo', type: 'Edm.String' },
			{ name: 'LineNo', type: 'Edm.String' },
			{ name: 'RelNo', type: 'Edm.String' },
			{ name: 'LineItemNo', type: 'Edm.Int32' },
		];
		expect(keyPredicate(keys, { LineItemNo: '0', RelNo: '1', LineNo: '2', OrderNo: 'C1', Extra: 'ignored' })).toBe(
			"(OrderNo='C1',LineNo='2',RelNo='1',LineItemNo=0)",
		);
	});

	it('writes enum and date key parts', () => {
		const keys = [
			{ name: 'State', type: STATE },
			{ name: 'ValidFrom', type: 'Edm.Date' },
		];
		expect(keyPredicate(keys, { State: 'Planned', ValidFrom: '2024-05-31' }, ENUMS)).toBe(`(State=${STATE}'Planned',ValidFrom=2024-05-31)`);
	});

	it.each([
		'SKU/123',
		'A#1',
		'what?',
		'R&D',
		'A+B',
		'100%',
		'two words',
		"O'Brien",
		"a/b#c?d&e+f%g h'i",
		'Ünïcødé ✓',
		'(paren),comma=eq',
	])('keeps %p in one path segment that decodes back to the literal', (value) => {
		const predicate = keyPredicate([{ name: 'CatalogNo', type: 'Edm.String' }], { CatalogNo: value });
		const path = `SalesPartSet${predicate}/Details`;
		const segments = segmentsOf(path);
		expect(segments).toHaveLength(2);
		expect(segments[0]).toBe(`SalesPartSet(CatalogNo=${quoteString(value)})`);
		expect(predicate).not.toMatch(/[/#? &+]/);
		// No raw %, except as the start of an escape.
		expect(predicate).not.toMatch(/%(?![0-9A-F]{2})/);
		// As a URL, nothing leaks into the query or fragment.
		const url = new URL(`https://t.ifs.cloud/svc/${path}`);
		expect(url.search).toBe('');
		expect(url.hash).toBe('');
		expect(decodeURIComponent(url.pathname)).toBe(`/svc/SalesPartSet(CatalogNo=${quoteString(value)})/Details`);
	});

	it('reports every missing key by name', () => {
		const keys = [
			{ name: 'OrderNo', type: 'Edm.String' },
			{ name: 'SequenceNo', type: 'Edm.Int32' },
		];
		expect(() => keyPredicate(keys, {})).toThrow('Missing key values: OrderNo, SequenceNo');
		expect(() => keyPredicate(keys, { OrderNo: 'C1', SequenceNo: null })).toThrow('Missing key value: SequenceNo');
		expect(() => keyPredicate(keys, { OrderNo: '', SequenceNo: 1 })).toThrow(LiteralError);
	});

	it('accepts 0 and false as key values', () => {
		expect(keyPredicate([{ name: 'SequenceNo', type: 'Edm.Int32' }], { SequenceNo: 0 })).toBe('(SequenceNo=0)');
		expect(keyPredicate([{ name: 'Flag', type: 'Edm.Boolean' }], { Flag: false })).toBe('(Flag=false)');
	});

	it('rejects a key value of the wrong type', () => {
		expect(() => keyPredicate([{ name: 'SequenceNo', type: 'Edm.Int32' }], { SequenceNo: 'ten' })).toThrow(LiteralError);
	});
});

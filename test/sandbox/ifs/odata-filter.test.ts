import { ODataError } from './errors';
import { prop, type EnumTypeDef, type PropertyDef } from './model';
import { compileFilter, compileOrderBy, parseExpression, sortRows, tokenize, type FilterScope } from './odata-filter';
import { computeEtag, nextObjversion } from './store';

type Row = Record<string, string | number | boolean | null>;

const STATE: EnumTypeDef = { name: 'State', members: ['Open', 'Closed'] };
const props: PropertyDef[] = [
	prop.string('Name', 50),
	prop.decimal('Amount'),
	prop.int32('Qty'),
	prop.boolean('Active'),
	prop.date('Due'),
	prop.dateTimeOffset('Stamp'),
	prop.enumeration('State', STATE),
];
const scope: FilterScope<Row> = {
	typeName: 'IfsApp.Test.Thing',
	property: (name) => props.find((p) => p.name === name),
	read: (row, name) => row[name] ?? null,
	navigation: () => undefined,
	enumType: (q) => (q === 'IfsApp.Test.State' ? STATE : undefined),
};

const rows: Row[] = [
	{ Name: "O'Brien", Amount: 10.5, Qty: 3, Active: true, Due: '2024-05-31', Stamp: '2024-05-31T10:00:00Z', State: 'Open' },
	{ Name: 'Smith', Amount: null, Qty: 7, Active: false, Due: '2024-06-01', Stamp: '2024-05-30T23:00:00Z', State: 'Closed' },
	{ Name: null, Amount: 99, Qty: 0, Active: null, Due: null, Stamp: null, State: 'Open' },
];

const names = (filter: string) => rows.filter(compileFilter(filter, scope)).map((r) => r.Name);

function error(fn: () => unknown): ODataError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ODataError) return e;
		throw e;
	}
	throw new Error('expected an ODataError');
}

describe('odata-filter: tokenizer and parser', () => {
	it('reads typed literals', () => {
		const kinds = tokenize("'it''s' 12 -3.5 1e3 2024-05-31 2024-05-31T10:00:00+02:00 IfsApp.Test.State'Open' duration'P1D' null", '$filter').map((t) => t.kind);
		expect(kinds).toEqual(['string', 'number', 'number', 'number', 'date', 'dateTimeOffset', 'enum', 'duration', 'identifier', 'end']);
		expect(tokenize("'it''s'", '$filter')[0].value).toBe("it's");
	});

	it('reports syntax errors with the position', () => {
		expect(error(() => parseExpression("Name eq 'x' or")).message).toMatch(/position 14: unexpected end of input/);
		expect(error(() => tokenize('Name+eq', '$filter')).message).toMatch(/position 4/);
		expect(error(() => tokenize('Due eq 2024-13-01', '$filter')).message).toMatch(/invalid Edm.Date literal/);
		expect(error(() => tokenize('Stamp eq 2024-05-31T10:00:00', '$filter')).message).toMatch(/invalid Edm.DateTimeOffset literal/);
		expect(error(() => tokenize('Qty eq 5L', '$filter')).message).toMatch(/invalid number literal/);
	});

	it('parses precedence: not > mul > add > comparison > and > or', () => {
		const ast = parseExpression('not Active or Qty add 2 mul 3 gt 8 and Name eq null');
		expect(ast).toMatchObject({
			type: 'binary',
			op: 'or',
			left: { type: 'unary', op: 'not' },
			right: { type: 'binary', op: 'and', left: { op: 'gt', left: { op: 'add', right: { op: 'mul' } } } },
		});
	});
});

describe('odata-filter: evaluation', () => {
	it('uses SQL-like three-valued logic for null', () => {
		expect(names('Amount gt 5')).toEqual(["O'Brien", null]);
		expect(names('not (Amount gt 5)')).toEqual([]);
		expect(names('Amount eq null')).toEqual(['Smith']);
		expect(names('Amount ne null')).toEqual(["O'Brien", null]);
		expect(names('Amount gt 5 or Qty eq 7')).toEqual(["O'Brien", 'Smith', null]);
		expect(names("contains(Name,'i')")).toEqual(["O'Brien", 'Smith']);
		expect(names('Active eq false')).toEqual(['Smith']);
	});

	it('compares dates, offsets and enums by value', () => {
		expect(names('Due lt 2024-06-01')).toEqual(["O'Brien"]);
		expect(names('Stamp gt 2024-05-31T00:30:00+01:00')).toEqual(["O'Brien"]);
		expect(names("State eq IfsApp.Test.State'Closed'")).toEqual(['Smith']);
		expect(names("State lt IfsApp.Test.State'Closed'")).toEqual(["O'Brien", null]);
		expect(names('hour(Stamp) eq 23 and day(Due) eq 1')).toEqual(['Smith']);
	});

	it('does integer and decimal arithmetic', () => {
		expect(names('Qty div 2 eq 1')).toEqual(["O'Brien"]);
		expect(names('Amount div 2 eq 5.25')).toEqual(["O'Brien"]);
		expect(names('-Qty lt -5')).toEqual(['Smith']);
		expect(error(() => names('Qty div 0 eq 1')).message).toMatch(/division by zero/);
	});

	it('type-checks before evaluating', () => {
		expect(error(() => compileFilter("Qty eq '3'", scope)).message).toMatch(/incompatible operand types Edm.Int32 and Edm.String/);
		expect(error(() => compileFilter("State eq 'Open'", scope)).message).toMatch(/IfsApp.Test.State'Open'/);
		expect(error(() => compileFilter("State eq IfsApp.Other.State'Open'", scope)).message).toMatch(/unknown enumeration type/);
		expect(error(() => compileFilter('Active gt true', scope)).message).toMatch(/not defined for Edm.Boolean/);
		expect(error(() => compileFilter('Name and Active', scope)).message).toMatch(/needs boolean operands/);
		expect(error(() => compileFilter('Stamp sub Stamp gt 0', scope)).code).toBe('ODP_NOT_SUPPORTED');
	});

	it('sorts with nulls last ascending and first descending, stable on ties', () => {
		const byAmount = sortRows(rows, compileOrderBy('Amount', scope)).map((r) => r.Name);
		expect(byAmount).toEqual(["O'Brien", null, 'Smith']);
		const desc = sortRows(rows, compileOrderBy('Amount desc', scope)).map((r) => r.Name);
		expect(desc).toEqual(['Smith', null, "O'Brien"]);
		const byState = sortRows(rows, compileOrderBy('State desc,Qty', scope)).map((r) => r.Name);
		expect(byState).toEqual(['Smith', null, "O'Brien"]);
	});
});

describe('store: ETag and Objversion', () => {
	it('ETags are weak base64 of W/"Objid:Objversion" (Vy8i... like the IFS docs sample)', () => {
		const etag = computeEtag('AAAR0oAAFAAABAAAAA', '20240319014924');
		expect(etag).toMatch(/^W\/"Vy8i/);
		expect(Buffer.from(etag.slice(3, -1), 'base64').toString()).toBe('W/"AAAR0oAAFAAABAAAAA:20240319014924"');
	});

	it('Objversion strictly increases, bumping one second when the clock has not moved', () => {
		const now = Date.UTC(2024, 4, 31, 23, 59, 59);
		const first = nextObjversion(undefined, now);
		expect(first).toBe('20240531235959');
		const second = nextObjversion(first, now);
		expect(second).toBe('20240601000000');
		expect(nextObjversion(second, now)).toBe('20240601000001');
		expect(nextObjversion('20200101000000', now)).toBe(first);
	});
});

/**
 * The small JSON Schema checker behind the contract validator. (Its verdicts were also compared
 * with ajv 6 on ~15 000 mutated feeds and request bodies: no disagreement outside formats.)
 */
import { checkFormat, checkSchema, collectRefs, findUnsupportedKeywords, parseDateTimeZone, resolvePointer, type Schema } from './json-schema';

const issues = (schema: Schema, value: unknown, options = {}) => checkSchema(schema, value, options).map((i) => `${i.path}: ${i.message}`);

describe('formats', () => {
	it.each([
		['2025-01-31T23:59:59Z', 'Z'],
		['2025-01-31T23:59:59.123Z', 'Z'],
		['2025-01-31t23:59:59z', 'Z'],
		['2025-01-31T23:59Z', 'Z'],
		['2025-01-31T23:59:59+09:00', '+09:00'],
		['2025-01-31T23:59:59-0530', '-05:30'],
		['2025-01-31T23:59:59+01', '+01:00'],
		['2024-02-29T00:00:00Z', 'Z'],
	])('%s is a date-time with zone %s', (value, zone) => {
		expect(parseDateTimeZone(value)).toBe(zone);
	});

	it.each(['2025-01-31', '2025-01-31T23:59:59', '2025-01-31 23:59:59Z', '2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-31T24:00:00Z', '2025-01-31T23:59:59+24:00', '1.569521782042E9', ''])(
		'%j is not',
		(value) => {
			expect(parseDateTimeZone(value)).toBeUndefined();
			expect(checkFormat('date-time', value)).toMatch(/is not an ISO 8601 date-time/);
		},
	);

	it('date, int32, int64; unknown formats and non-matching types are ignored', () => {
		expect(checkFormat('date', '2025-01-12')).toBeUndefined();
		expect(checkFormat('date', '2025-01-32')).toBe('"2025-01-32" is not an ISO 8601 date (YYYY-MM-DD)');
		expect(checkFormat('int32', 2147483648)).toBe('2147483648 is not a 32-bit integer');
		expect(checkFormat('int64', 2 ** 60)).toMatch(/64-bit/);
		expect(checkFormat('uri', 'not a uri')).toBeUndefined();
		expect(checkFormat('date-time', 5)).toBeUndefined();
	});
});

describe('keywords', () => {
	it('type, enum, const; enum is not checked again after a type error', () => {
		expect(issues({ type: 'string', enum: ['a'] }, 5)).toEqual(['$: expected string, got integer 5']);
		expect(issues({ type: ['string', 'null'] }, null)).toEqual([]);
		expect(issues({ type: 'integer' }, 1.5)).toEqual(['$: expected integer, got number 1.5']);
		expect(issues({ type: 'number' }, 1)).toEqual([]);
		expect(issues({ enum: [{ a: [1] }] }, { a: [1] })).toEqual([]);
		expect(issues({ const: 'x' }, 'y')).toEqual(['$: "y" must be "x"']);
	});

	it('numbers: draft-04 boolean and draft-06 numeric exclusive bounds, multipleOf', () => {
		expect(issues({ minimum: 1, exclusiveMinimum: true }, 1)).toEqual(['$: 1 is less than the exclusive minimum 1']);
		expect(issues({ maximum: 5, exclusiveMaximum: true }, 5)).toEqual(['$: 5 is greater than the exclusive maximum 5']);
		expect(issues({ exclusiveMinimum: 0 }, 0)).toEqual(['$: 0 must be greater than 0']);
		expect(issues({ multipleOf: 0.01 }, 1.23)).toEqual([]);
		expect(issues({ multipleOf: 0.01 }, 1.234)).toEqual(['$: 1.234 is not a multiple of 0.01']);
	});

	it('strings count code points', () => {
		expect(issues({ maxLength: 2 }, '😀😀')).toEqual([]);
		expect(issues({ minLength: 3 }, '😀😀')).toEqual(['$: "😀😀" is shorter than 3 character(s)']);
		expect(issues({ pattern: '^[A-Z]+$' }, 'abc')).toEqual(['$: "abc" does not match pattern ^[A-Z]+$']);
	});

	it('arrays: items (schema and tuple), additionalItems, uniqueItems, contains', () => {
		expect(issues({ items: { type: 'string' } }, ['a', 1])).toEqual(['$[1]: expected string, got integer 1']);
		expect(issues({ items: [{ type: 'string' }], additionalItems: false }, ['a', 1])).toEqual(['$[1]: is not allowed here']);
		expect(issues({ uniqueItems: true }, [{ a: 1 }, { a: 1 }])).toEqual(['$: items 0 and 1 are equal (uniqueItems)']);
		expect(issues({ contains: { const: 3 } }, [1, 2])).toEqual(['$: contains no item matching "contains"']);
	});

	it('objects: required, additionalProperties false/schema, patternProperties, propertyNames, dependencies, min/maxProperties', () => {
		expect(issues({ properties: { a: {} }, additionalProperties: false, required: ['a'] }, { b: 1 })).toEqual(['$: required property "a" is missing', '$.b: additional property is not allowed']);
		expect(issues({ additionalProperties: { type: 'string' } }, { 'a b': 1 })).toEqual(['$["a b"]: expected string, got integer 1']);
		expect(issues({ patternProperties: { '^x-': { type: 'string' } }, additionalProperties: false }, { 'x-a': 's', y: 1 })).toEqual(['$.y: additional property is not allowed']);
		expect(issues({ propertyNames: { maxLength: 2 } }, { abc: 1 })).toEqual(['$.abc: property name does not match "propertyNames"']);
		expect(issues({ dependencies: { a: ['b'] } }, { a: 1 })).toEqual(['$: property "b" is required when "a" is present']);
		expect(issues({ maxProperties: 1 }, { a: 1, b: 2 })).toEqual(['$: has 2 properties, more than the maximum 1']);
	});

	it('combinators: allOf, anyOf, oneOf (none / several), not, if-then-else', () => {
		expect(issues({ allOf: [{ required: ['a'] }, { required: ['b'] }] }, {})).toEqual(['$: required property "a" is missing', '$: required property "b" is missing']);
		expect(issues({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, true)).toEqual([
			'$: matches none of the 2 anyOf alternatives (closest, #1: $: expected string, got boolean)',
		]);
		expect(issues({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1)).toEqual(['$: matches 2 of the oneOf alternatives (must match exactly one)']);
		expect(issues({ not: { type: 'string' } }, 'x')).toEqual(['$: must not match the schema in "not"']);
		const ifThen = { if: { properties: { kind: { const: 'a' } } }, then: { required: ['x'] }, else: { required: ['y'] } };
		expect(issues(ifThen, { kind: 'a' })).toEqual(['$: required property "x" is missing']);
		expect(issues(ifThen, { kind: 'b' })).toEqual(['$: required property "y" is missing']);
	});

	it('$ref through a resolver, including recursion', () => {
		const defs: Record<string, Schema> = { Node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/definitions/Node' } }, name: { type: 'string' } } } };
		const resolveRef = (ref: string) => resolvePointer({ definitions: defs }, ref) as Schema;
		expect(issues({ $ref: '#/definitions/Node' }, { children: [{ children: [{ name: 1 }] }] }, { resolveRef })).toEqual(['$.children[0].children[0].name: expected string, got integer 1']);
		expect(() => issues({ $ref: '#/definitions/Node' }, {})).toThrow(/no resolveRef/);
		expect(collectRefs({ allOf: [{ $ref: '#/a' }, { properties: { b: { items: { $ref: '#/c' } } } }] })).toEqual(['#/a', '#/c']);
		expect(resolvePointer({ 'a/b': { '~c': 1 } }, '#/a~1b/~0c')).toBe(1);
	});
});

describe('closed-world mode (unknownProperties: error)', () => {
	const schema: Schema = {
		allOf: [{ properties: { a: { type: 'string' } } }, { properties: { b: { type: 'object', properties: { c: {} } } } }],
	};

	it('merges the properties of every allOf branch at one location and checks each nested object on its own', () => {
		expect(issues(schema, { a: 'x', b: { c: 1 } }, { unknownProperties: 'error' })).toEqual([]);
		expect(issues(schema, { a: 'x', z: 1, b: { c: 1, d: 2 } }, { unknownProperties: 'error' })).toEqual([
			'$.b.d: unknown property (not defined in the schema)',
			'$.z: unknown property (not defined in the schema)',
		]);
		expect(issues(schema, { z: 1 })).toEqual([]);
	});

	it('objects that declare no properties, or allow additional ones, stay open', () => {
		expect(issues({ type: 'object' }, { z: 1 }, { unknownProperties: 'error' })).toEqual([]);
		expect(issues({ properties: { a: {} }, additionalProperties: true }, { z: 1 }, { unknownProperties: 'error' })).toEqual([]);
		expect(issues({ properties: { a: {} }, additionalProperties: { type: 'integer' } }, { z: 1 }, { unknownProperties: 'error' })).toEqual([]);
	});
});

describe('findUnsupportedKeywords', () => {
	it('reports keywords the checker would silently ignore, with their location', () => {
		expect(findUnsupportedKeywords({ properties: { a: { discriminator: 'kind', 'x-amzn-note': 1, description: 'ok' } }, unevaluatedProperties: false, format: 'color' })).toEqual([
			'#: unevaluatedProperties',
			'#: format color',
			'#/properties.a: discriminator',
		]);
		expect(findUnsupportedKeywords({ type: 'string', title: 't', examples: ['x'], $comment: 'c' })).toEqual([]);
	});
});

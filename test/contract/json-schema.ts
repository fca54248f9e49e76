/**
 * A small JSON Schema checker for contract tests: the Swagger 2.0 schema objects (a draft-04
 * subset) in Amazon's SP-API models and the draft-07 documents next to them (listings feed,
 * notification payloads). No dependencies.
 *
 * Supported: `$ref` (through a caller-supplied resolver), boolean schemas, `type` (single or
 * list), `enum`, `const`, `allOf` / `anyOf` / `oneOf` / `not`, `if` / `then` / `else`,
 * `properties`, `required`, `additionalProperties`, `patternProperties`, `propertyNames`,
 * `dependencies`, `minProperties` / `maxProperties`, `items` (schema or tuple),
 * `additionalItems`, `contains`, `minItems` / `maxItems`, `uniqueItems`,
 * `minLength` / `maxLength` (code points), `pattern`, `minimum` / `maximum`,
 * `exclusiveMinimum` / `exclusiveMaximum` (draft-04 booleans and draft-06+ numbers),
 * `multipleOf`, and the formats `date-time`, `date`, `int32`, `int64` (others are annotations).
 *
 * Any other keyword is rejected by {@link findUnsupportedKeywords} so a schema can never pass
 * "by accident" because the checker ignored part of it. Annotations (`title`, `description`,
 * `example(s)`, `default`, `$comment`, `$id`, `x-…`, …) are ignored.
 *
 * Optional "closed world" mode (`unknownProperties: 'error'`): an object whose schema declares
 * `properties` but says nothing about additional ones is treated as closed, i.e. a property no
 * `properties` / `patternProperties` / `additionalProperties` at that location (including its
 * `allOf` / `$ref` / matching `oneOf` branches) evaluates is reported. JSON Schema itself allows
 * such properties; we use the mode for requests we send, where an unknown property is almost
 * always a typo that Amazon would silently ignore.
 */

export type Schema = boolean | { [keyword: string]: unknown };

export interface SchemaIssue {
	/** Where in the instance, e.g. `body.patches[0].op` or `$.messages[2]`. */
	path: string;
	message: string;
}

export interface SchemaCheckOptions {
	/** Resolves a `$ref` string (e.g. `#/definitions/Foo`) to a schema; required if schemas use `$ref`. */
	resolveRef?: (ref: string) => Schema;
	/** `'error'` = closed-world objects (see the module comment). Default `'allow'`. */
	unknownProperties?: 'allow' | 'error';
	/** Root path name used in issue paths. Default `$`. */
	rootPath?: string;
}

const ANNOTATIONS = new Set([
	'$schema',
	'$id',
	'id',
	'$comment',
	'title',
	'description',
	'default',
	'examples',
	'example',
	'readOnly',
	'writeOnly',
	'deprecated',
	'definitions',
	'$defs',
	'externalDocs',
	'xml',
	'contentMediaType',
	'contentEncoding',
]);

const VALIDATION_KEYWORDS = new Set([
	'$ref',
	'type',
	'enum',
	'const',
	'allOf',
	'anyOf',
	'oneOf',
	'not',
	'if',
	'then',
	'else',
	'properties',
	'required',
	'additionalProperties',
	'patternProperties',
	'propertyNames',
	'dependencies',
	'minProperties',
	'maxProperties',
	'items',
	'additionalItems',
	'contains',
	'minItems',
	'maxItems',
	'uniqueItems',
	'minLength',
	'maxLength',
	'pattern',
	'format',
	'minimum',
	'maximum',
	'exclusiveMinimum',
	'exclusiveMaximum',
	'multipleOf',
]);

/** Subschema-holding keywords, for walking a schema tree. */
function subschemas(schema: Schema): Array<[string, Schema]> {
	if (typeof schema !== 'object' || schema === null) return [];
	const out: Array<[string, Schema]> = [];
	const single = ['additionalProperties', 'additionalItems', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];
	for (const key of single) {
		const sub = schema[key];
		if (typeof sub === 'object' || typeof sub === 'boolean') out.push([key, sub as Schema]);
	}
	for (const key of ['allOf', 'anyOf', 'oneOf']) {
		const list = schema[key];
		if (Array.isArray(list)) list.forEach((sub, i) => out.push([`${key}[${i}]`, sub as Schema]));
	}
	if (Array.isArray(schema.items)) schema.items.forEach((sub, i) => out.push([`items[${i}]`, sub as Schema]));
	else if (schema.items !== undefined) out.push(['items', schema.items as Schema]);
	for (const key of ['properties', 'patternProperties', 'definitions', '$defs']) {
		const map = schema[key];
		if (map && typeof map === 'object') for (const [name, sub] of Object.entries(map)) out.push([`${key}.${name}`, sub as Schema]);
	}
	const deps = schema.dependencies;
	if (deps && typeof deps === 'object') {
		for (const [name, sub] of Object.entries(deps)) if (!Array.isArray(sub)) out.push([`dependencies.${name}`, sub as Schema]);
	}
	return out;
}

/**
 * Lists keywords this checker does not understand (not a validation keyword, not a known
 * annotation, not `x-…`) anywhere in `schema`, as `location: keyword`.
 */
export function findUnsupportedKeywords(schema: Schema, location = '#'): string[] {
	const found: string[] = [];
	const seen = new Set<unknown>();
	const walk = (node: Schema, where: string) => {
		if (typeof node !== 'object' || node === null || seen.has(node)) return;
		seen.add(node);
		for (const key of Object.keys(node)) {
			if (key.startsWith('x-') || ANNOTATIONS.has(key) || VALIDATION_KEYWORDS.has(key)) continue;
			found.push(`${where}: ${key}`);
		}
		if (typeof node.format === 'string' && !KNOWN_FORMATS.has(node.format)) found.push(`${where}: format ${node.format}`);
		for (const [key, sub] of subschemas(node)) walk(sub, `${where}/${key}`);
	};
	walk(schema, location);
	return found;
}

/** Collects every `$ref` string inside `schema` (for load-time resolution checks). */
export function collectRefs(schema: Schema): string[] {
	const refs: string[] = [];
	const seen = new Set<unknown>();
	const walk = (node: Schema) => {
		if (typeof node !== 'object' || node === null || seen.has(node)) return;
		seen.add(node);
		if (typeof node.$ref === 'string') refs.push(node.$ref);
		for (const [, sub] of subschemas(node)) walk(sub);
	};
	walk(schema);
	return refs;
}

// ---------------------------------------------------------------------------------------------
// Formats

const KNOWN_FORMATS = new Set(['date-time', 'date', 'int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'uri', 'email', 'uuid']);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(year: number, month: number, day: number): boolean {
	if (month < 1 || month > 12 || day < 1) return false;
	const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
	return day <= days[month - 1];
}

/**
 * ISO 8601 / RFC 3339 date-time **with** a zone designator (`Z` or `±hh[:mm]`); seconds and
 * fractions optional. Returns the offset (`Z`, `+09:00`…) or undefined when invalid.
 */
export function parseDateTimeZone(value: string): string | undefined {
	const m = DATE_TIME.exec(value);
	if (!m) return undefined;
	const [, y, mo, d, h, mi, s, z, sign, oh, om] = m;
	if (!validDate(Number(y), Number(mo), Number(d))) return undefined;
	if (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 60)) return undefined;
	if (z) return 'Z';
	if (Number(oh) > 23 || (om !== undefined && Number(om) > 59)) return undefined;
	return `${sign}${oh}:${om ?? '00'}`;
}

export function isIsoDate(value: string): boolean {
	const m = DATE.exec(value);
	return !!m && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Returns a problem description, or undefined when `value` satisfies `format`. */
export function checkFormat(format: string, value: unknown): string | undefined {
	switch (format) {
		case 'date-time':
			if (typeof value !== 'string') return undefined;
			return parseDateTimeZone(value) === undefined ? `${describe(value)} is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)` : undefined;
		case 'date':
			if (typeof value !== 'string') return undefined;
			return isIsoDate(value) ? undefined : `${describe(value)} is not an ISO 8601 date (YYYY-MM-DD)`;
		case 'int32':
			if (typeof value !== 'number') return undefined;
			return Number.isInteger(value) && value >= -2147483648 && value <= 2147483647 ? undefined : `${describe(value)} is not a 32-bit integer`;
		case 'int64':
			if (typeof value !== 'number') return undefined;
			return Number.isSafeInteger(value) ? undefined : `${describe(value)} is not a (safe) 64-bit integer`;
		default:
			return undefined;
	}
}

// ---------------------------------------------------------------------------------------------
// Helpers

export function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function matchesType(type: string, value: unknown): boolean {
	switch (type) {
		case 'null':
			return value === null;
		case 'array':
			return Array.isArray(value);
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value);
		case 'integer':
			return typeof value === 'number' && Number.isInteger(value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		case 'string':
			return typeof value === 'string';
		case 'boolean':
			return typeof value === 'boolean';
		default:
			return false;
	}
}

/** Short, readable rendering of a value for messages. */
export function describe(value: unknown): string {
	if (typeof value === 'string') {
		const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
		return JSON.stringify(text);
	}
	if (value === undefined) return 'undefined';
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
	if (Array.isArray(value)) return `an array of ${value.length}`;
	return 'an object';
}

function listValues(values: unknown[]): string {
	return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

export function childPath(base: string, key: string | number): string {
	if (typeof key === 'number') return `${base}[${key}]`;
	return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const bb = b as unknown[];
		return a.length === bb.length && a.every((item, i) => deepEqual(item, bb[i]));
	}
	const ka = Object.keys(a as object);
	const kb = Object.keys(b as object);
	return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
	let re = regexCache.get(pattern);
	if (!re) {
		try {
			re = new RegExp(pattern, 'u');
		} catch {
			re = new RegExp(pattern);
		}
		regexCache.set(pattern, re);
	}
	return re;
}

// ---------------------------------------------------------------------------------------------
// The checker

interface Evaluation {
	issues: SchemaIssue[];
	/** Properties of an object instance evaluated at this location (for closed-world checks). */
	evaluated: Set<string>;
	/** Some schema at this location declares `properties`. */
	declaresProperties: boolean;
	/** Some schema at this location admits any extra property (`additionalProperties` true/schema). */
	open: boolean;
}

class Checker {
	private readonly closedWorld: boolean;

	constructor(private readonly options: SchemaCheckOptions) {
		this.closedWorld = options.unknownProperties === 'error';
	}

	/** Validates `value` at a new instance location (adds the closed-world check). */
	at(schema: Schema, value: unknown, path: string): SchemaIssue[] {
		const result = this.evaluate(schema, value, path);
		if (this.closedWorld && result.declaresProperties && !result.open && matchesType('object', value)) {
			for (const key of Object.keys(value as object)) {
				if (!result.evaluated.has(key)) result.issues.push({ path: childPath(path, key), message: 'unknown property (not defined in the schema)' });
			}
		}
		return result.issues;
	}

	private resolve(ref: string): Schema {
		if (!this.options.resolveRef) throw new Error(`Schema uses $ref ${ref} but no resolveRef was given`);
		return this.options.resolveRef(ref);
	}

	evaluate(schema: Schema, value: unknown, path: string): Evaluation {
		const out: Evaluation = { issues: [], evaluated: new Set(), declaresProperties: false, open: false };
		if (schema === true) {
			out.open = true;
			return out;
		}
		if (schema === false) {
			out.issues.push({ path, message: 'is not allowed here' });
			return out;
		}
		if (typeof schema !== 'object' || schema === null) return out;
		const s = schema;

		if (typeof s.$ref === 'string') {
			// Draft-04..07 and Swagger 2.0: siblings of $ref are ignored.
			return this.evaluate(this.resolve(s.$ref), value, path);
		}

		const issues = out.issues;
		const merge = (sub: Evaluation) => {
			issues.push(...sub.issues);
			sub.evaluated.forEach((k) => out.evaluated.add(k));
			if (sub.declaresProperties) out.declaresProperties = true;
			if (sub.open) out.open = true;
		};
		const mergeAnnotations = (sub: Evaluation) => {
			sub.evaluated.forEach((k) => out.evaluated.add(k));
			if (sub.declaresProperties) out.declaresProperties = true;
			if (sub.open) out.open = true;
		};

		// type
		let typeOk = true;
		if (s.type !== undefined) {
			const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
			if (!types.some((t) => matchesType(t, value))) {
				typeOk = false;
				issues.push({ path, message: `expected ${types.join(' or ')}, got ${typeOf(value)}${typeof value === 'string' || typeof value === 'number' ? ` ${describe(value)}` : ''}` });
			}
		}

		if (typeOk) {
			if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) {
				issues.push({ path, message: `${describe(value)} is not one of ${listValues(s.enum)}` });
			}
			if ('const' in s && !deepEqual(s.const, value)) {
				issues.push({ path, message: `${describe(value)} must be ${JSON.stringify(s.const)}` });
			}
			if (typeof s.format === 'string') {
				const problem = checkFormat(s.format, value);
				if (problem) issues.push({ path, message: problem });
			}
			if (typeof value === 'string') this.string(s, value, path, issues);
			if (typeof value === 'number') this.number(s, value, path, issues);
			if (Array.isArray(value)) this.array(s, value, path, issues);
			if (matchesType('object', value)) this.object(s, value as Record<string, unknown>, path, out);
		}

		// combinators
		if (Array.isArray(s.allOf)) for (const sub of s.allOf) merge(this.evaluate(sub as Schema, value, path));
		if (Array.isArray(s.anyOf)) this.anyOf(s.anyOf as Schema[], value, path, out, mergeAnnotations);
		if (Array.isArray(s.oneOf)) this.oneOf(s.oneOf as Schema[], value, path, out, mergeAnnotations);
		if (s.not !== undefined) {
			const sub = this.evaluate(s.not as Schema, value, path);
			if (sub.issues.length === 0) issues.push({ path, message: 'must not match the schema in "not"' });
		}
		if (s.if !== undefined) {
			const cond = this.evaluate(s.if as Schema, value, path);
			if (cond.issues.length === 0) {
				mergeAnnotations(cond);
				if (s.then !== undefined) merge(this.evaluate(s.then as Schema, value, path));
			} else if (s.else !== undefined) {
				merge(this.evaluate(s.else as Schema, value, path));
			}
		}
		return out;
	}

	private string(s: Record<string, unknown>, value: string, path: string, issues: SchemaIssue[]) {
		const length = [...value].length;
		if (typeof s.minLength === 'number' && length < s.minLength) issues.push({ path, message: `${describe(value)} is shorter than ${s.minLength} character(s)` });
		if (typeof s.maxLength === 'number' && length > s.maxLength) issues.push({ path, message: `string of ${length} characters is longer than ${s.maxLength}` });
		if (typeof s.pattern === 'string' && !regex(s.pattern).test(value)) issues.push({ path, message: `${describe(value)} does not match pattern ${s.pattern}` });
	}

	private number(s: Record<string, unknown>, value: number, path: string, issues: SchemaIssue[]) {
		const exMin = s.exclusiveMinimum;
		const exMax = s.exclusiveMaximum;
		if (typeof s.minimum === 'number') {
			if (exMin === true ? value <= s.minimum : value < s.minimum) issues.push({ path, message: `${value} is less than the ${exMin === true ? 'exclusive ' : ''}minimum ${s.minimum}` });
		}
		if (typeof s.maximum === 'number') {
			if (exMax === true ? value >= s.maximum : value > s.maximum) issues.push({ path, message: `${value} is greater than the ${exMax === true ? 'exclusive ' : ''}maximum ${s.maximum}` });
		}
		if (typeof exMin === 'number' && value <= exMin) issues.push({ path, message: `${value} must be greater than ${exMin}` });
		if (typeof exMax === 'number' && value >= exMax) issues.push({ path, message: `${value} must be less than ${exMax}` });
		if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
			const q = value / s.multipleOf;
			if (Math.abs(q - Math.round(q)) > 1e-9) issues.push({ path, message: `${value} is not a multiple of ${s.multipleOf}` });
		}
	}

	private array(s: Record<string, unknown>, value: unknown[], path: string, issues: SchemaIssue[]) {
		if (typeof s.minItems === 'number' && value.length < s.minItems) issues.push({ path, message: `has ${value.length} item(s), fewer than the minimum ${s.minItems}` });
		if (typeof s.maxItems === 'number' && value.length > s.maxItems) issues.push({ path, message: `has ${value.length} item(s), more than the maximum ${s.maxItems}` });
		if (s.uniqueItems === true) {
			for (let i = 1; i < value.length; i++) {
				const j = value.slice(0, i).findIndex((other) => deepEqual(other, value[i]));
				if (j >= 0) {
					issues.push({ path, message: `items ${j} and ${i} are equal (uniqueItems)` });
					break;
				}
			}
		}
		if (Array.isArray(s.items)) {
			const tuple = s.items as Schema[];
			value.forEach((item, i) => {
				if (i < tuple.length) issues.push(...this.at(tuple[i], item, childPath(path, i)));
				else if (s.additionalItems !== undefined) issues.push(...this.at(s.additionalItems as Schema, item, childPath(path, i)));
			});
		} else if (s.items !== undefined) {
			value.forEach((item, i) => issues.push(...this.at(s.items as Schema, item, childPath(path, i))));
		}
		if (s.contains !== undefined && !value.some((item, i) => this.at(s.contains as Schema, item, childPath(path, i)).length === 0)) {
			issues.push({ path, message: 'contains no item matching "contains"' });
		}
	}

	private object(s: Record<string, unknown>, value: Record<string, unknown>, path: string, out: Evaluation) {
		const issues = out.issues;
		const keys = Object.keys(value);
		if (Array.isArray(s.required)) {
			for (const name of s.required as string[]) {
				if (!Object.prototype.hasOwnProperty.call(value, name) || value[name] === undefined) issues.push({ path, message: `required property "${name}" is missing` });
			}
		}
		if (typeof s.minProperties === 'number' && keys.length < s.minProperties) issues.push({ path, message: `has ${keys.length} propert${keys.length === 1 ? 'y' : 'ies'}, fewer than the minimum ${s.minProperties}` });
		if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) issues.push({ path, message: `has ${keys.length} properties, more than the maximum ${s.maxProperties}` });

		const props = (s.properties && typeof s.properties === 'object' ? s.properties : undefined) as Record<string, Schema> | undefined;
		const patterns = (s.patternProperties && typeof s.patternProperties === 'object' ? s.patternProperties : undefined) as Record<string, Schema> | undefined;
		if (props) out.declaresProperties = true;
		for (const key of keys) {
			if (value[key] === undefined) continue;
			let matched = false;
			if (props && Object.prototype.hasOwnProperty.call(props, key)) {
				matched = true;
				issues.push(...this.at(props[key], value[key], childPath(path, key)));
			}
			if (patterns) {
				for (const [pattern, sub] of Object.entries(patterns)) {
					if (regex(pattern).test(key)) {
						matched = true;
						issues.push(...this.at(sub, value[key], childPath(path, key)));
					}
				}
			}
			if (matched) {
				out.evaluated.add(key);
			} else if (s.additionalProperties !== undefined) {
				if (s.additionalProperties === false) issues.push({ path: childPath(path, key), message: 'additional property is not allowed' });
				else issues.push(...this.at(s.additionalProperties as Schema, value[key], childPath(path, key)));
				out.evaluated.add(key);
			}
		}
		if (s.additionalProperties !== undefined && s.additionalProperties !== false) out.open = true;
		if (s.propertyNames !== undefined) {
			for (const key of keys) {
				if (this.at(s.propertyNames as Schema, key, childPath(path, key)).length) issues.push({ path: childPath(path, key), message: 'property name does not match "propertyNames"' });
			}
		}
		if (s.dependencies && typeof s.dependencies === 'object') {
			for (const [name, dep] of Object.entries(s.dependencies as Record<string, unknown>)) {
				if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
				if (Array.isArray(dep)) {
					for (const needed of dep as string[]) if (!(needed in value)) issues.push({ path, message: `property "${needed}" is required when "${name}" is present` });
				} else {
					const sub = this.evaluate(dep as Schema, value, path);
					issues.push(...sub.issues);
				}
			}
		}
	}

	private anyOf(branches: Schema[], value: unknown, path: string, out: Evaluation, mergeAnnotations: (e: Evaluation) => void) {
		const results = branches.map((b) => this.evaluate(b, value, path));
		const passing = results.filter((r) => r.issues.length === 0);
		if (passing.length) {
			passing.forEach(mergeAnnotations);
			return;
		}
		out.issues.push(...this.explainNoMatch('anyOf', branches, results, value, path));
	}

	private oneOf(branches: Schema[], value: unknown, path: string, out: Evaluation, mergeAnnotations: (e: Evaluation) => void) {
		const results = branches.map((b) => this.evaluate(b, value, path));
		const passing = results.filter((r) => r.issues.length === 0);
		if (passing.length === 1) {
			mergeAnnotations(passing[0]);
			return;
		}
		if (passing.length > 1) {
			out.issues.push({ path, message: `matches ${passing.length} of the oneOf alternatives (must match exactly one)` });
			return;
		}
		out.issues.push(...this.explainNoMatch('oneOf', branches, results, value, path));
	}

	/**
	 * When no alternative matches: if exactly one alternative is selected by a discriminating
	 * property (`properties.X.const` / single `enum` equal to the instance's X), report that
	 * alternative's problems (with its `$comment` / `description` if any); otherwise one summary
	 * issue naming the closest alternative's problems.
	 */
	private explainNoMatch(keyword: string, branches: Schema[], results: Evaluation[], value: unknown, path: string): SchemaIssue[] {
		const selected: number[] = [];
		if (matchesType('object', value)) {
			branches.forEach((branch, i) => {
				const b = this.deref(branch);
				if (typeof b !== 'object' || !b.properties || typeof b.properties !== 'object') return;
				let discriminated = false;
				let mismatch = false;
				for (const [name, sub] of Object.entries(b.properties as Record<string, Schema>)) {
					const ss = this.deref(sub);
					if (typeof ss !== 'object') continue;
					const fixed = 'const' in ss ? [ss.const] : Array.isArray(ss.enum) && ss.enum.length === 1 ? ss.enum : undefined;
					if (!fixed) continue;
					const v = (value as Record<string, unknown>)[name];
					if (v === undefined) continue;
					discriminated = true;
					if (!deepEqual(fixed[0], v)) mismatch = true;
				}
				if (discriminated && !mismatch) selected.push(i);
			});
		}
		if (selected.length === 1) {
			const b = this.deref(branches[selected[0]]);
			const note = typeof b === 'object' ? ((b.$comment ?? b.description) as string | undefined) : undefined;
			return results[selected[0]].issues.map((issue) => ({ path: issue.path, message: note ? `${issue.message} (${note})` : issue.message }));
		}
		let best = 0;
		results.forEach((r, i) => {
			if (r.issues.length < results[best].issues.length) best = i;
		});
		const detail = results[best].issues.map((i) => `${i.path}: ${i.message}`).join('; ');
		return [{ path, message: `matches none of the ${branches.length} ${keyword} alternatives (closest, #${best + 1}: ${detail})` }];
	}

	private deref(schema: Schema): Schema {
		let s = schema;
		for (let i = 0; i < 32 && typeof s === 'object' && s !== null && typeof s.$ref === 'string'; i++) s = this.resolve(s.$ref);
		return s;
	}
}

/** Checks `value` against `schema`; returns every problem found (empty = valid). */
export function checkSchema(schema: Schema, value: unknown, options: SchemaCheckOptions = {}): SchemaIssue[] {
	return new Checker(options).at(schema, value, options.rootPath ?? '$');
}

/** Resolves a local JSON pointer (`#/a/b~1c`) inside `document`; undefined when absent. */
export function resolvePointer(document: unknown, ref: string): unknown {
	if (!ref.startsWith('#')) return undefined;
	const pointer = decodeURIComponent(ref.slice(1));
	if (pointer === '') return document;
	if (!pointer.startsWith('/')) return undefined;
	let node: unknown = document;
	for (const raw of pointer.slice(1).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
		if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
		node = (node as Record<string, unknown>)[key];
	}
	return node;
}

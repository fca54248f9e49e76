/**
 * URL-level parsing: query string, system query options, $select, $expand, resource path
 * segments, key predicates and function parameters.
 *
 * The query string is decoded with strict percent-decoding only: '+' is a literal plus, not
 * a space (RFC 3986, as OData servers read URLs). A form-encoded `$filter=A+eq+'x'` therefore
 * fails with a syntax error, like on a real server; `%20` is the space.
 */
import { coerceJsonValue, isValidDate } from './edm-values';
import { badRequest, ErrorCode, notSupported, ODataError } from './errors';
import type { EntityTypeDef, NavigationDef, ParameterDef, PropertyType, RowValues, Value } from './model';

export interface QueryPair {
	name: string;
	value: string;
}

export function decodeStrict(text: string, what: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		throw badRequest(`Malformed percent-encoding in ${what}`);
	}
}

export function parseQueryString(raw: string): QueryPair[] {
	if (raw === '') return [];
	return raw
		.split('&')
		.filter((part) => part !== '')
		.map((part) => {
			const eq = part.indexOf('=');
			const name = decodeStrict(eq < 0 ? part : part.slice(0, eq), 'the query string');
			const value = eq < 0 ? '' : decodeStrict(part.slice(eq + 1), `query option ${name}`);
			return { name, value };
		});
}

/** Percent-encode a query value for links we emit; keeps OData punctuation readable. */
export function encodeQueryValue(value: string): string {
	return encodeURIComponent(value).replace(/%(27|28|29|2C|24|3A|2F|40)/g, (m) => decodeURIComponent(m));
}

export function buildQueryString(pairs: QueryPair[]): string {
	return pairs.map((p) => `${encodeURIComponent(p.name).replace('%24', '$')}=${encodeQueryValue(p.value)}`).join('&');
}

export interface SystemQueryOptions {
	filter?: string;
	select?: string;
	orderby?: string;
	expand?: string;
	top?: number;
	skip?: number;
	count?: boolean;
	/** Parameter aliases (@name=value) for function calls. */
	aliases: Map<string, string>;
}

const SUPPORTED = new Set(['$filter', '$select', '$orderby', '$expand', '$top', '$skip', '$count', '$format']);
const NOT_SUPPORTED = new Set(['$search', '$levels', '$compute', '$index', '$schemaversion', '$deltatoken', '$id', '$skiptoken']);

function nonNegativeInteger(name: string, value: string): number {
	if (!/^\d+$/.test(value)) throw badRequest(`${name} must be a non-negative integer, got '${value}'`);
	const n = Number(value);
	if (!Number.isSafeInteger(n)) throw badRequest(`${name} is too large`);
	return n;
}

export function parseSystemQueryOptions(pairs: QueryPair[]): SystemQueryOptions {
	const options: SystemQueryOptions = { aliases: new Map() };
	const seen = new Set<string>();
	for (const { name, value } of pairs) {
		if (name.startsWith('@')) {
			options.aliases.set(name, value);
			continue;
		}
		if (!name.startsWith('$')) continue; // custom query options are ignored
		if (seen.has(name)) throw badRequest(`Query option ${name} is given more than once`);
		seen.add(name);
		if (name === '$apply') throw new ODataError(501, ErrorCode.notImplemented, 'The IFS sandbox does not implement $apply');
		if (NOT_SUPPORTED.has(name)) throw notSupported(`Query option ${name} is not supported`);
		if (!SUPPORTED.has(name)) throw badRequest(`Unknown system query option '${name}' (names are case-sensitive)`);
		switch (name) {
			case '$filter':
				options.filter = value;
				break;
			case '$select':
				options.select = value;
				break;
			case '$orderby':
				options.orderby = value;
				break;
			case '$expand':
				options.expand = value;
				break;
			case '$top':
				options.top = nonNegativeInteger('$top', value);
				break;
			case '$skip':
				options.skip = nonNegativeInteger('$skip', value);
				break;
			case '$count':
				if (value !== 'true' && value !== 'false') throw badRequest(`$count must be true or false, got '${value}'`);
				options.count = value === 'true';
				break;
			case '$format':
				if (!/^(json|application\/json(;.*)?)$/.test(value)) throw badRequest(`Unsupported $format '${value}'`);
				break;
		}
	}
	return options;
}

// ---------------------------------------------------------------------------------------------
// Splitting helpers that respect quotes and parentheses.

function splitTopLevel(text: string, separator: string): string[] {
	const parts: string[] = [];
	let depth = 0;
	let quoted = false;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (c === "'") quoted = !quoted; // '' inside a literal toggles twice: still correct
		else if (!quoted && c === '(') depth++;
		else if (!quoted && c === ')') depth--;
		else if (!quoted && depth === 0 && c === separator) {
			parts.push(text.slice(start, i));
			start = i + 1;
		}
	}
	if (quoted) throw badRequest(`Unterminated string literal in '${text}'`);
	if (depth !== 0) throw badRequest(`Unbalanced parentheses in '${text}'`);
	parts.push(text.slice(start));
	return parts;
}

/** Split a decoded resource path into segments (a '/' inside a quoted key is kept). */
export function splitPath(path: string): string[] {
	return splitTopLevel(path, '/');
}

export interface PathSegment {
	name: string;
	/** Text inside the trailing parentheses (key predicate or function parameters). */
	args?: string;
}

export function parseSegment(segment: string): PathSegment {
	const open = segment.indexOf('(');
	if (open < 0) return { name: segment };
	if (!segment.endsWith(')')) throw badRequest(`Malformed path segment '${segment}'`);
	return { name: segment.slice(0, open), args: segment.slice(open + 1, -1) };
}

// ---------------------------------------------------------------------------------------------
// Literals in key predicates and function parameters.

function parseLiteral(text: string, type: PropertyType, what: string): Value {
	const fail = () => badRequest(`Invalid literal ${text} for ${what}`);
	if (text === 'null') return null;
	if (type.kind === 'enum') {
		const m = /^(?:[A-Za-z_][\w.]*)?'(.*)'$/.exec(text);
		if (!m || !type.enumType.members.includes(m[1])) throw fail();
		return m[1];
	}
	switch (type.edm) {
		case 'Edm.String': {
			if (text.length < 2 || !text.startsWith("'") || !text.endsWith("'")) {
				throw badRequest(`Invalid literal ${text} for ${what}: string values must be quoted, e.g. '${text}'`);
			}
			const inner = text.slice(1, -1);
			if (inner.replace(/''/g, '').includes("'")) throw fail();
			return inner.replace(/''/g, "'");
		}
		case 'Edm.Int32':
		case 'Edm.Int64':
			if (!/^-?\d+$/.test(text)) throw badRequest(`Invalid literal ${text} for ${what}: expected an integer without quotes`);
			return Number(text);
		case 'Edm.Decimal':
		case 'Edm.Double':
			if (!/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw fail();
			return Number(text);
		case 'Edm.Boolean':
			if (text !== 'true' && text !== 'false') throw fail();
			return text === 'true';
		case 'Edm.Date':
			if (!isValidDate(text)) throw fail();
			return text;
		case 'Edm.DateTimeOffset':
			return coerceJsonValue(what, type, false, undefined, text);
	}
	throw fail();
}

function assignments(content: string): Array<{ name?: string; literal: string }> {
	return splitTopLevel(content, ',').map((part) => {
		const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(part);
		return m ? { name: m[1], literal: m[2] } : { literal: part };
	});
}

/**
 * `(OrderNo='C1')`, `('C1')` or `(Company='10',AccountingYear=2024,...)`. Keys already fixed by
 * a navigation (e.g. OrderNo under CustomerOrderSet(...)/OrderLinesArray) may be omitted.
 */
export function parseKeyPredicate(content: string, type: EntityTypeDef, fixed: RowValues = {}): RowValues {
	const keys: RowValues = { ...fixed };
	const open = type.keys.filter((k) => !(k in fixed));
	const parts = assignments(content);
	if (parts.length === 1 && parts[0].name === undefined) {
		if (open.length !== 1) {
			throw badRequest(`Key predicate (${content}) must name every key of ${type.name}: ${type.keys.join(', ')}`);
		}
		keys[open[0]] = parseLiteral(parts[0].literal, type.propertyMap.get(open[0])!.type, `key ${open[0]}`);
		return keys;
	}
	const given = new Set<string>();
	for (const part of parts) {
		if (part.name === undefined) throw badRequest(`Malformed key predicate (${content})`);
		if (!type.keys.includes(part.name)) throw badRequest(`'${part.name}' is not a key of ${type.name} (keys: ${type.keys.join(', ')})`);
		if (given.has(part.name)) throw badRequest(`Key ${part.name} is given more than once`);
		given.add(part.name);
		const value = parseLiteral(part.literal, type.propertyMap.get(part.name)!.type, `key ${part.name}`);
		if (part.name in fixed && fixed[part.name] !== value) {
			throw notFoundKey(type, content);
		}
		keys[part.name] = value;
	}
	const missing = open.filter((k) => !given.has(k));
	if (missing.length > 0) throw badRequest(`Key predicate (${content}) is missing key(s) ${missing.join(', ')} of ${type.name}`);
	if (Object.values(keys).some((v) => v === null)) throw badRequest(`Key values must not be null`);
	return keys;
}

function notFoundKey(type: EntityTypeDef, content: string): ODataError {
	return new ODataError(404, ErrorCode.notFound, `No ${type.name} with key (${content})`);
}

export function parseFunctionParameters(
	content: string,
	parameters: ParameterDef[],
	aliases: Map<string, string>,
): Record<string, Value> {
	const values: Record<string, Value> = {};
	if (content.trim() !== '') {
		for (const part of assignments(content)) {
			if (part.name === undefined) throw badRequest(`Function parameters must be written Name=value`);
			const def = parameters.find((p) => p.name === part.name);
			if (!def) throw badRequest(`Unknown function parameter '${part.name}'`);
			let literal = part.literal;
			if (literal.startsWith('@')) {
				const aliased = aliases.get(literal);
				if (aliased === undefined) throw badRequest(`Parameter alias ${literal} has no value`);
				literal = aliased;
			}
			values[def.name] = parseLiteral(literal, def.type, `parameter ${def.name}`);
		}
	}
	for (const def of parameters) {
		if (!(def.name in values)) {
			if (!def.nullable) throw badRequest(`Missing required parameter '${def.name}'`);
			values[def.name] = null;
		}
	}
	return values;
}

// ---------------------------------------------------------------------------------------------
// $select / $expand

/** Structural properties to return; undefined = all. */
export function parseSelect(text: string, type: EntityTypeDef): Set<string> | undefined {
	const items = text.split(',').map((s) => s.trim());
	if (items.some((s) => s === '')) throw badRequest(`Malformed $select '${text}'`);
	if (items.includes('*')) return undefined;
	const selected = new Set<string>();
	for (const item of items) {
		if (type.propertyMap.has(item)) {
			selected.add(item);
			continue;
		}
		if (type.navigationMap.has(item)) {
			throw notSupported(`$select of navigation property '${item}' is not supported; use $expand`);
		}
		throw badRequest(`Property '${item}' in $select does not exist in type ${type.name}`);
	}
	return selected;
}

export interface ExpandItem {
	navigation: NavigationDef;
	targetType: EntityTypeDef;
	select?: Set<string>;
	expand: ExpandItem[];
}

export function parseExpand(
	text: string,
	type: EntityTypeDef,
	targetTypeOf: (nav: NavigationDef) => EntityTypeDef,
): ExpandItem[] {
	if (text.trim() === '') throw badRequest('$expand must not be empty');
	const items: ExpandItem[] = [];
	for (const raw of splitTopLevel(text, ',')) {
		const { name, args } = parseSegment(raw.trim());
		if (name === '*') throw notSupported('$expand=* is not supported: only one-to-one associations can be expanded');
		if (name.includes('/')) throw notSupported(`$expand path '${name}' is not supported`);
		const navigation = type.navigationMap.get(name);
		if (!navigation) throw badRequest(`'${name}' in $expand is not a navigation property of ${type.name}`);
		if (navigation.collection || !navigation.expandable) {
			throw notSupported(
				`$expand is only supported for one-to-one associations; '${name}' is a collection. Read it with .../${name} on the entity instead`,
			);
		}
		const targetType = targetTypeOf(navigation);
		const item: ExpandItem = { navigation, targetType, expand: [] };
		if (args !== undefined) {
			for (const option of splitTopLevel(args, ';')) {
				const eq = option.indexOf('=');
				const optName = eq < 0 ? option : option.slice(0, eq);
				const value = eq < 0 ? '' : option.slice(eq + 1);
				if (optName === '$select') item.select = parseSelect(value, targetType);
				else if (optName === '$expand') item.expand = parseExpand(value, targetType, targetTypeOf);
				else throw notSupported(`Option ${optName} inside $expand is not supported for one-to-one associations`);
			}
		}
		items.push(item);
	}
	return items;
}

/**
 * OData v4 literals and key predicates, typed from `$metadata`.
 */
import { toIsoDate, toUtcTimestamp } from '../../common/dates';
import { DECIMAL_TYPES, INTEGER_TYPES } from './edm';

export class LiteralError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'LiteralError';
	}
}


export function quoteString(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Formats `value` as a literal of `type`. `enumTypes` lists the qualified enum type names of the
 * service; an enum literal is written `Namespace.Type'Member'`.
 */
export function formatLiteral(value: unknown, type: string, enumTypes: ReadonlySet<string> = new Set()): string {
	if (value === null || value === undefined) return 'null';
	if (INTEGER_TYPES.has(type)) {
		// Digits are kept as text: Int64 keys beyond 2^53 must not be rounded to another row's key.
		const text = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : '') : String(value).trim();
		if (!/^-?\d+$/.test(text)) throw new LiteralError(`"${String(value)}" is not a whole number (${type})`);
		return text.replace(/^(-?)0+(?=\d)/, '$1');
	}
	if (DECIMAL_TYPES.has(type)) {
		const text = String(value).trim();
		if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) throw new LiteralError(`"${text}" is not a number (${type})`);
		return text;
	}
	if (type === 'Edm.Boolean') {
		if (value === true || value === 'true') return 'true';
		if (value === false || value === 'false') return 'false';
		throw new LiteralError(`"${String(value)}" is not true or false`);
	}
	if (type === 'Edm.Date') return toIsoDate(value);
	if (type === 'Edm.DateTimeOffset') return toUtcTimestamp(value);
	if (type === 'Edm.TimeOfDay') {
		const text = String(value).trim();
		if (!/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text)) throw new LiteralError(`"${text}" is not a time of day (HH:mm:ss)`);
		return text;
	}
	if (type === 'Edm.Guid') {
		const text = String(value).trim();
		if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) {
			throw new LiteralError(`"${text}" is not a GUID`);
		}
		return text;
	}
	if (enumTypes.has(type)) return `${type}${quoteString(String(value))}`;
	return quoteString(String(value));
}

export interface KeyPart {
	name: string;
	type: string;
}

/**
 * `(OrderNo='C1')` or `(Company='10',AccountingYear=2024)`, each value percent-encoded so SKUs and
 * order numbers containing `/`, `#`, `?`, `&`, `+` or spaces stay one path segment.
 */
export function keyPredicate(keys: KeyPart[], values: Record<string, unknown>, enumTypes?: ReadonlySet<string>): string {
	const missing = keys.filter((key) => values[key.name] === undefined || values[key.name] === null || values[key.name] === '');
	if (missing.length) {
		throw new LiteralError(`Missing key value${missing.length > 1 ? 's' : ''}: ${missing.map((key) => key.name).join(', ')}`);
	}
	const parts = keys.map((key) => `${key.name}=${encodeLiteral(formatLiteral(values[key.name], key.type, enumTypes))}`);
	return `(${parts.join(',')})`;
}

/** Percent-encodes a literal for a URL, leaving OData's quote and structure characters readable. */
export function encodeLiteral(literal: string): string {
	return encodeURIComponent(literal).replace(/%3A/gi, ':');
}

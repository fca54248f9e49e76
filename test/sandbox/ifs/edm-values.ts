/**
 * EDM value rules shared by the query engine, the key parser and the write handlers:
 * validation of JSON input, Date / DateTimeOffset literals, ordering and key formatting.
 */
import { deserializationError } from './errors';
import type { EntityTypeDef, PropertyType, RowValues, Value } from './model';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DTO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,12})?)?(Z|[+-]\d{2}:\d{2})$/;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function isValidDate(text: string): boolean {
	const m = DATE_RE.exec(text);
	if (!m) return false;
	return validCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function validCalendarDate(y: number, mo: number, d: number): boolean {
	if (mo < 1 || mo > 12 || d < 1) return false;
	const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
	return d <= daysInMonth;
}

/** Epoch ms of an Edm.DateTimeOffset literal, or undefined when it is not one. */
export function parseDateTimeOffset(text: string): number | undefined {
	const m = DTO_RE.exec(text);
	if (!m) return undefined;
	const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
	const s = m[6] ? Number(m[6]) : 0;
	if (!validCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
	const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
	let offsetMinutes = 0;
	if (m[8] !== 'Z') {
		const sign = m[8][0] === '-' ? -1 : 1;
		const oh = Number(m[8].slice(1, 3));
		const om = Number(m[8].slice(4, 6));
		if (oh > 14 || om > 59) return undefined;
		offsetMinutes = sign * (oh * 60 + om);
	}
	return Date.UTC(y, mo - 1, d, h, mi, s, fraction) - offsetMinutes * 60_000;
}

/** IFS keeps timestamps with second precision; the sandbox stores them in UTC. */
export function formatDateTimeOffset(epochMs: number): string {
	return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function formatDate(epochMs: number): string {
	return new Date(epochMs).toISOString().slice(0, 10);
}

export function typeLabel(t: PropertyType): string {
	return t.kind === 'primitive' ? t.edm : t.enumType.name;
}

/**
 * Validate one JSON value sent by a client for a property or action parameter.
 * Returns the value in stored form; throws the IFS deserialization error otherwise.
 */
export function coerceJsonValue(
	name: string,
	t: PropertyType,
	nullable: boolean,
	maxLength: number | undefined,
	raw: unknown,
): Value {
	const fail = (why: string) => deserializationError(`Invalid value for '${name}' (${typeLabel(t)}): ${why}`);
	if (raw === null) {
		if (!nullable) throw fail('null is not allowed');
		return null;
	}
	if (t.kind === 'enum') {
		if (typeof raw !== 'string' || !t.enumType.members.includes(raw)) {
			throw fail(`expected one of ${t.enumType.members.join(', ')}`);
		}
		return raw;
	}
	switch (t.edm) {
		case 'Edm.String':
			if (typeof raw !== 'string') throw fail('expected a string');
			if (maxLength !== undefined && raw.length > maxLength) {
				throw fail(`value is longer than the maximum length ${maxLength}`);
			}
			return raw;
		case 'Edm.Int32':
		case 'Edm.Int64':
			if (typeof raw !== 'number' || !Number.isInteger(raw)) throw fail('expected an integer');
			if (t.edm === 'Edm.Int32' && (raw < INT32_MIN || raw > INT32_MAX)) throw fail('out of range');
			return raw;
		case 'Edm.Decimal':
		case 'Edm.Double':
			// IEEE754Compatible is not requested by clients of this sandbox: decimals are JSON numbers.
			if (typeof raw !== 'number' || !Number.isFinite(raw)) throw fail('expected a number');
			return raw;
		case 'Edm.Boolean':
			if (typeof raw !== 'boolean') throw fail('expected true or false');
			return raw;
		case 'Edm.Date':
			if (typeof raw !== 'string' || !isValidDate(raw)) throw fail('expected YYYY-MM-DD');
			return raw;
		case 'Edm.DateTimeOffset': {
			const ms = typeof raw === 'string' ? parseDateTimeOffset(raw) : undefined;
			if (ms === undefined) throw fail('expected YYYY-MM-DDThh:mm:ss with Z or an offset');
			return formatDateTimeOffset(ms);
		}
	}
	throw fail('unsupported type');
}

/** Total order used for keys and $orderby; nulls are handled by the caller. */
export function compareNonNull(t: PropertyType, a: Value, b: Value): number {
	if (t.kind === 'enum') {
		return t.enumType.members.indexOf(a as string) - t.enumType.members.indexOf(b as string);
	}
	if (t.edm === 'Edm.DateTimeOffset') {
		return (parseDateTimeOffset(a as string) ?? 0) - (parseDateTimeOffset(b as string) ?? 0);
	}
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	const sa = String(a);
	const sb = String(b);
	return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** OData URL literal of a key value: strings quoted with '' escaping, numbers bare. */
export function formatLiteral(t: PropertyType, value: Value): string {
	if (value === null) return 'null';
	if (t.kind === 'enum') return `'${value}'`;
	if (t.edm === 'Edm.String') return `'${String(value).replace(/'/g, "''")}'`;
	return String(value);
}

/** `(OrderNo='C1')` or `(Company='10',AccountingYear=2024,...)` for Location / OData-EntityId. */
export function formatKeyPredicate(type: EntityTypeDef, values: RowValues): string {
	const parts = type.keys.map((k) => `${k}=${formatLiteral(type.propertyMap.get(k)!.type, values[k])}`);
	return `(${parts.join(',')})`;
}

/** IFS keyref: `ORDER_NO=C1^` / `COMPANY=10^ACCOUNTING_YEAR=2024^...^`. */
export function formatKeyref(type: EntityTypeDef, values: RowValues): string {
	let out = '';
	for (const k of type.keys) out += `${type.propertyMap.get(k)!.column}=${values[k] ?? ''}^`;
	return out;
}

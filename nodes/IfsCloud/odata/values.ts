/**
 * Converting n8n values to the JSON IFS expects for each property type, and comparing them with
 * what IFS returns (to skip writes that would change nothing).
 */
import type { IDataObject } from 'n8n-workflow';

import { toDateTime, toIsoDate, toUtcTimestamp } from '../../common/dates';
import type { EdmEntityType, EdmProperty } from './csdl';
import { DECIMAL_TYPES, INTEGER_TYPES } from './edm';

export class ValueError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ValueError';
	}
}


export function toEdmValue(value: unknown, property: EdmProperty, enumMembers?: string[]): unknown {
	let reason = '';
	try {
		return convert(value, property, enumMembers);
	} catch (error) {
		reason = (error as Error).message;
	}
	throw new ValueError(`Field ${property.name} (${property.type.replace('Edm.', '')}): "${String(value)}" — ${reason}`);
}

function convert(value: unknown, property: EdmProperty, enumMembers?: string[]): unknown {
	const { type } = property;
	if (value === null || value === undefined) return null;
	if (type !== 'Edm.String' && typeof value === 'string' && value.trim() === '') return null;
	{
		if (INTEGER_TYPES.has(type)) {
			const number = typeof value === 'number' ? value : /^\s*-?\d+\s*$/.test(String(value)) ? Number(String(value)) : NaN;
			if (!Number.isInteger(number)) throw new ValueError('expected a whole number');
			if (!Number.isSafeInteger(number)) throw new ValueError('too large to send exactly as a JSON number (more than 15 digits)');
			return number;
		}
		if (DECIMAL_TYPES.has(type)) {
			const number = typeof value === 'number' ? value : /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(String(value)) ? Number(String(value)) : NaN;
			if (!Number.isFinite(number)) throw new ValueError('expected a number');
			return number;
		}
		if (type === 'Edm.Boolean') {
			if (typeof value === 'boolean') return value;
			const text = String(value).trim().toLowerCase();
			if (text === 'true') return true;
			if (text === 'false') return false;
			throw new ValueError('expected true or false');
		}
		if (type === 'Edm.Date') return toIsoDate(value);
		if (type === 'Edm.DateTimeOffset') return toUtcTimestamp(value);
		if (type === 'Edm.TimeOfDay') return toDateTime(`1970-01-01T${String(value).trim()}`).toFormat('HH:mm:ss');
		if (enumMembers) {
			const text = String(value);
			if (!enumMembers.includes(text)) throw new ValueError(`expected one of ${enumMembers.join(', ')}`);
			return text;
		}
		if (type === 'Edm.String') {
			const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
			if (property.maxLength !== undefined && text.length > property.maxLength) {
				throw new ValueError(`at most ${property.maxLength} characters allowed, got ${text.length}`);
			}
			return text;
		}
		return value;
	}
}

export interface PayloadResult {
	payload: IDataObject;
	/** Fields given that the entity does not have. */
	unknown: string[];
}

/**
 * Keeps the entity's fields from `data`, converted to their types. Properties starting with `@`
 * (OData annotations) and our own `_trace` are never sent.
 */
export function buildPayload(
	type: EdmEntityType,
	data: IDataObject,
	enumMembers: (typeName: string) => string[] | undefined,
): PayloadResult {
	const payload: IDataObject = {};
	const unknown: string[] = [];
	for (const [field, value] of Object.entries(data)) {
		if (field.startsWith('@') || field === '_trace') continue;
		const property = type.properties[field];
		if (!property) {
			unknown.push(field);
			continue;
		}
		payload[field] = toEdmValue(value, property, enumMembers(property.type)) as IDataObject[string];
	}
	return { payload, unknown };
}

/** Whether IFS's current value already equals the value we would send. */
export function sameValue(current: unknown, wanted: unknown, type: string): boolean {
	if (current === wanted) return true;
	if (current === null || current === undefined || wanted === null || wanted === undefined) {
		return (current ?? null) === (wanted ?? null);
	}
	if (INTEGER_TYPES.has(type) || DECIMAL_TYPES.has(type)) return Number(current) === Number(wanted);
	if (type === 'Edm.DateTimeOffset') {
		try {
			return toDateTime(current).toMillis() === toDateTime(wanted).toMillis();
		} catch {
			return false;
		}
	}
	if (type === 'Edm.Date') return String(current).slice(0, 10) === String(wanted).slice(0, 10);
	if (typeof current === 'object' || typeof wanted === 'object') return canonical(current) === canonical(wanted);
	return String(current) === String(wanted);
}

/** JSON with object keys sorted, so equal structures compare equal whatever their key order. */
function canonical(value: unknown): string {
	return JSON.stringify(value, (_key, entry: unknown) =>
		entry && typeof entry === 'object' && !Array.isArray(entry)
			? Object.fromEntries(Object.entries(entry as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
			: entry,
	);
}

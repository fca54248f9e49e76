/**
 * Query parameters as SP-API reads them: form-style decoding ('+' is a space, so an unencoded
 * NextToken containing '+' arrives changed), arrays as comma-separated values (Swagger 2.0
 * `csv`, the models' default) or repeated keys, and the validation helpers shared by the
 * operations (ISO 8601 dates, integers, enums).
 */
import { invalidInput } from './errors';
import { parseIsoInstant } from './util';

export class QueryParams {
	private constructor(private readonly values: Map<string, string[]>) {}

	/** Throws 400 InvalidInput on malformed percent-encoding. */
	static parse(raw: string): QueryParams {
		const values = new Map<string, string[]>();
		if (raw !== '') {
			for (const part of raw.split('&')) {
				if (part === '') continue;
				const eq = part.indexOf('=');
				const key = decodePart(eq < 0 ? part : part.slice(0, eq));
				const value = eq < 0 ? '' : decodePart(part.slice(eq + 1));
				const list = values.get(key);
				if (list) list.push(value);
				else values.set(key, [value]);
			}
		}
		return new QueryParams(values);
	}

	/** Lenient variant for logging: undecodable parts are kept as sent. */
	static parseLenient(raw: string): QueryParams {
		try {
			return QueryParams.parse(raw);
		} catch {
			return new QueryParams(new Map([['', [raw]]]));
		}
	}

	has(name: string): boolean {
		return this.values.has(name);
	}

	names(): string[] {
		return [...this.values.keys()];
	}

	/** Last value of a single-valued parameter; '' counts as absent. */
	get(name: string): string | undefined {
		const list = this.values.get(name);
		if (!list || list.length === 0) return undefined;
		const v = list[list.length - 1];
		return v === '' ? undefined : v;
	}

	/** Array parameter: comma-separated and/or repeated; empty items dropped. */
	list(name: string): string[] | undefined {
		const list = this.values.get(name);
		if (!list) return undefined;
		const items = list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
		return items.length ? items : undefined;
	}

	/** As handed to validateRequest: repeated keys become arrays. */
	toRecord(): Record<string, string | string[]> {
		const out: Record<string, string | string[]> = {};
		for (const [k, v] of this.values) out[k] = v.length === 1 ? v[0] : [...v];
		return out;
	}
}

function decodePart(text: string): string {
	try {
		return decodeURIComponent(text.replace(/\+/g, ' '));
	} catch {
		throw invalidInput(`Malformed percent-encoding in query string near '${text.slice(0, 40)}'`);
	}
}

// ---- validators ----------------------------------------------------------------------------

export interface DateRules {
	/** Reject offsets other than Z / +00:00 (Orders). */
	utcOnly?: boolean;
}

export function parseDateParam(name: string, value: string | undefined, rules: DateRules = {}): number | undefined {
	if (value === undefined) return undefined;
	const parsed = parseIsoInstant(value);
	if (!parsed) throw invalidInput(`Invalid ${name}: '${value}' is not an ISO 8601 date-time.`);
	if (rules.utcOnly && parsed.nonUtcOffset) {
		throw invalidInput(`Invalid ${name}: '${value}'. Specify the date-time in UTC (ISO 8601 with 'Z').`);
	}
	return parsed.ms;
}

export function parseIntParam(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
	if (value === undefined) return fallback;
	if (!/^-?\d+$/.test(value)) throw invalidInput(`Invalid ${name}: '${value}' is not an integer.`);
	const n = Number(value);
	if (n < min || n > max) throw invalidInput(`Invalid ${name}: ${n}. The value must be between ${min} and ${max}.`);
	return n;
}

export function parseBoolParam(name: string, value: string | undefined): boolean | undefined {
	if (value === undefined) return undefined;
	if (value === 'true') return true;
	if (value === 'false') return false;
	throw invalidInput(`Invalid ${name}: '${value}' is not a boolean.`);
}

export function checkEnum(name: string, values: string[] | undefined, allowed: readonly string[]): string[] | undefined {
	if (!values) return undefined;
	const bad = values.filter((v) => !allowed.includes(v));
	if (bad.length) throw invalidInput(`Invalid ${name}: ${bad.join(', ')}. Allowed values: ${allowed.join(', ')}.`);
	return values;
}

export function checkMaxItems(name: string, values: string[] | undefined, max: number): string[] | undefined {
	if (values && values.length > max) throw invalidInput(`Invalid ${name}: at most ${max} values are allowed, got ${values.length}.`);
	return values;
}

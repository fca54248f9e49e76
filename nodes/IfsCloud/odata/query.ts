/**
 * Building OData system query options. We write the query string ourselves: the HTTP client's
 * serializer encodes spaces as `+`, which OData servers read literally.
 */

export interface QueryOptions {
	filter?: string;
	select?: string;
	orderby?: string;
	expand?: string;
	top?: number;
	skip?: number;
	count?: boolean;
}

export function encodeQueryValue(value: string): string {
	return encodeURIComponent(value).replace(/%24/g, '$').replace(/%2C/gi, ',').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

export function buildQueryString(options: QueryOptions): string {
	const parts: string[] = [];
	const add = (name: string, value: string | number | undefined) => {
		if (value === undefined || value === '') return;
		parts.push(`$${name}=${encodeQueryValue(String(value))}`);
	};
	add('filter', options.filter?.trim());
	add('select', options.select?.replace(/\s+/g, ''));
	add('expand', options.expand?.trim());
	add('orderby', options.orderby?.trim());
	add('top', options.top);
	add('skip', options.skip || undefined);
	if (options.count) parts.push('$count=true');
	return parts.join('&');
}

/** Field names of an `$orderby` value (`Name desc, Date` → `Name`, `Date`). */
export function orderbyFields(orderby: string | undefined): string[] {
	if (!orderby?.trim()) return [];
	return orderby
		.split(',')
		.map((part) => part.trim().split(/\s+/)[0])
		.filter(Boolean);
}

/**
 * Adds the key fields missing from `orderby`, so rows with equal sort values still come in one
 * fixed order and `$skip` paging neither repeats nor skips rows.
 */
export function totalOrder(orderby: string | undefined, keys: string[]): string {
	const present = new Set(orderbyFields(orderby));
	const extra = keys.filter((key) => !present.has(key));
	return [orderby?.trim(), ...extra].filter(Boolean).join(',');
}

/**
 * A row's identity by its key fields, for dropping rows that shifted between pages. One
 * JSON.stringify of the key values: unambiguous (strings stay quoted, so '1' and 1 differ), and
 * about twice as fast over 100 000 rows as stringifying each key and joining. Key fields are never
 * missing here (they are always selected), so undefined reading as null does not matter.
 */
export function keyIdentity(keys: readonly string[]): (row: Record<string, unknown>) => string {
	return (row) => {
		const values = new Array<unknown>(keys.length);
		for (let index = 0; index < keys.length; index++) values[index] = row[keys[index]];
		return JSON.stringify(values);
	};
}

/** `(user filter) and Company eq '10'` unless the user already filters on the field. */
export function andFilter(filter: string | undefined, clause: string): string {
	const trimmed = filter?.trim();
	return trimmed ? `(${trimmed}) and ${clause}` : clause;
}

export function filterMentions(filter: string | undefined, field: string): boolean {
	if (!filter) return false;
	// Ignore string literals so a value containing the word does not count.
	const withoutStrings = filter.replace(/'(?:[^']|'')*'/g, "''");
	// A navigation path (`Customer/Company`) names another entity's field, not ours.
	return new RegExp(`(^|[^\\w./])${field}([^\\w/]|$)`).test(withoutStrings);
}

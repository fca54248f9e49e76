/**
 * Paging primitives shared by connectors. They know nothing about HTTP: each takes a function that
 * fetches one page. Every loop is bounded by `maxPages`.
 */
import { mapBounded } from './concurrency';

export class PagingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PagingError';
	}
}

export interface OffsetPage<T> {
	items: T[];
	/** Total number of matching items, when the server reports it (e.g. OData `@odata.count`). */
	total?: number;
}

export interface OffsetPagingOptions<T> {
	pageSize: number;
	/** Stop after this many items (undefined = all). */
	limit?: number;
	/** Pages fetched at once once the total is known. */
	concurrency: number;
	maxPages?: number;
	/** Fetches `size` items starting at `offset`. The first call asks for the total as well. */
	fetchPage: (offset: number, size: number, pageIndex: number) => Promise<OffsetPage<T>>;
	/** Drops items already seen (rows shifting between pages when others insert or delete). */
	identity?: (item: T) => string;
}

/**
 * Offset paging (`$skip`/`$top`, `offset`/`limit`). The first page comes alone and reports the
 * total; the remaining pages are then fetched `concurrency` at a time and returned in order.
 * Without a total it falls back to one page after another until a short page.
 *
 * Rows inserted while we page (servers rarely page from a snapshot) would sit beyond the counted
 * total: the last page is therefore always asked for in full, and when the total ends exactly on
 * a page boundary one more page is fetched in the same batch; a full last page means reading on.
 */
export async function collectOffsetPages<T>(options: OffsetPagingOptions<T>): Promise<T[]> {
	const { limit } = options;
	let pageSize = options.pageSize;
	const maxPages = options.maxPages ?? 100_000;
	if (!(pageSize > 0)) throw new PagingError('Page size must be positive');
	const sizeAt = (offset: number) => (limit === undefined ? pageSize : Math.min(pageSize, limit - offset));
	const merged = new InOrderMerge(options.identity);

	const first = await options.fetchPage(0, sizeAt(0), 0);
	const pages: T[][] = [first.items];
	merged.add(0, first.items);
	const fetched = first.items.length;
	// A server that caps pages below what we asked (without a next link) sets the real page size;
	// stepping by our own size would leave gaps.
	if (first.total !== undefined && fetched > 0 && fetched < sizeAt(0) && first.total > fetched) pageSize = fetched;

	const firstIsFull = fetched > 0 && fetched >= sizeAt(0);
	if (first.total === undefined) {
		if (firstIsFull) await readUntilShort(options, pages, merged, fetched, maxPages, sizeAt);
		return merged.result(limit);
	}

	const wanted = limit === undefined ? first.total : Math.min(first.total, limit);
	const offsets: number[] = [];
	for (let offset = fetched; offset < wanted && fetched > 0; offset += pageSize) offsets.push(offset);
	// Counted rows ending exactly on a page boundary: the page after them, fetched in the same batch.
	const endsOnBoundary = limit === undefined && firstIsFull && (wanted - fetched) % pageSize === 0;
	if (endsOnBoundary && offsets.length + 2 <= maxPages) offsets.push(Math.max(wanted, fetched));
	if (offsets.length + 1 > maxPages) {
		throw new PagingError(`The result needs ${offsets.length + 1} pages, more than the limit of ${maxPages}`);
	}

	const rest = await mapBounded(offsets, options.concurrency, async (offset, index) => {
		const { items } = await options.fetchPage(offset, sizeAt(offset), index + 1);
		// Merged as soon as the pages before it are in, while later pages are still on their way.
		merged.add(index + 1, items);
		return items;
	});
	pages.push(...rest);
	const lastOffset = offsets.length ? offsets[offsets.length - 1] : 0;
	const last = pages[pages.length - 1];
	// Within the page budget, a full last page means more rows arrived after the count: read on.
	if (limit === undefined && last.length > 0 && last.length >= sizeAt(lastOffset) && pages.length < maxPages) {
		await readUntilShort(options, pages, merged, lastOffset + last.length, maxPages, sizeAt);
	}
	return merged.result(limit);
}

async function readUntilShort<T>(
	options: OffsetPagingOptions<T>,
	pages: T[][],
	merged: InOrderMerge<T>,
	start: number,
	maxPages: number,
	sizeAt: (offset: number) => number,
): Promise<void> {
	let offset = start;
	for (;;) {
		const size = sizeAt(offset);
		if (size <= 0) return;
		if (pages.length >= maxPages) throw new PagingError(`Stopped paging: the limit of ${maxPages} pages was reached`);
		const { items } = await options.fetchPage(offset, size, pages.length);
		merged.add(pages.length, items);
		pages.push(items);
		offset += items.length;
		if (items.length < size || items.length === 0) return;
	}
}

/**
 * Joins pages in page order as they arrive (out of order when fetched concurrently), dropping
 * items already seen. The work is done while later pages are still in flight instead of in one
 * pass after the last page, which would add to every read's wall time.
 */
class InOrderMerge<T> {
	private readonly waiting = new Map<number, T[]>();
	private next = 0;
	private readonly items: T[] = [];
	private readonly seen = new Set<string>();

	constructor(private readonly identity: ((item: T) => string) | undefined) {}

	add(pageIndex: number, page: T[]): void {
		this.waiting.set(pageIndex, page);
		for (let ready = this.waiting.get(this.next); ready; ready = this.waiting.get(this.next)) {
			this.waiting.delete(this.next);
			this.next++;
			this.append(ready);
		}
	}

	result(limit: number | undefined): T[] {
		return limit === undefined || this.items.length <= limit ? this.items : this.items.slice(0, limit);
	}

	private append(page: T[]): void {
		const { identity, seen, items } = this;
		if (!identity) {
			for (const item of page) items.push(item);
			return;
		}
		for (const item of page) {
			const id = identity(item);
			if (seen.has(id)) continue;
			seen.add(id);
			items.push(item);
		}
	}
}

export interface CursorPage<T, C> {
	items: T[];
	/** The cursor of the next page (next link, next token, cursor); undefined on the last page. */
	next?: C;
}

/**
 * Cursor-style paging (OData next links, SP-API next tokens, GraphQL cursors): one page after
 * another, since each page names the next. A cursor seen twice means the server is looping
 * (it happens: some APIs return the last page again) and stops the walk with an error.
 */
export async function* walkCursor<T, C>(
	fetchPage: (cursor: C | undefined, pageIndex: number) => Promise<CursorPage<T, C>>,
	options: { maxPages?: number; cursorKey?: (cursor: C) => string; start?: C } = {},
): AsyncGenerator<T[], void, undefined> {
	const maxPages = options.maxPages ?? 100_000;
	const keyOf = options.cursorKey ?? ((cursor: C) => (typeof cursor === 'string' ? cursor : JSON.stringify(cursor)));
	const seen = new Set<string>();
	let cursor = options.start;
	if (cursor !== undefined) seen.add(keyOf(cursor));
	for (let pageIndex = 0; pageIndex < maxPages; pageIndex++) {
		const page = await fetchPage(cursor, pageIndex);
		yield page.items;
		if (page.next === undefined || page.next === null || page.next === '') return;
		const key = keyOf(page.next);
		if (seen.has(key)) throw new PagingError('The server returned the same next-page cursor twice; stopped to avoid a loop');
		seen.add(key);
		cursor = page.next;
	}
	throw new PagingError(`Stopped paging after ${maxPages} pages`);
}

export async function collectCursor<T, C>(
	fetchPage: (cursor: C | undefined, pageIndex: number) => Promise<CursorPage<T, C>>,
	options: { maxPages?: number; limit?: number; start?: C } = {},
): Promise<T[]> {
	const items: T[] = [];
	for await (const page of walkCursor(fetchPage, options)) {
		items.push(...page);
		if (options.limit !== undefined && items.length >= options.limit) return items.slice(0, options.limit);
	}
	return items;
}

/** `values` in consecutive groups of at most `size` (APIs that take N identifiers per request). */
export function inGroupsOf<T>(values: readonly T[], size: number): T[][] {
	const groups: T[][] = [];
	for (let start = 0; start < values.length; start += Math.max(1, size)) groups.push(values.slice(start, start + Math.max(1, size)));
	return groups;
}

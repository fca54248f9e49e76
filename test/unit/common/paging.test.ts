import { type CursorPage, PagingError, collectCursor, collectOffsetPages, inGroupsOf, walkCursor } from '../../../nodes/common/paging';
import { flushPromises, seededRandom } from '../helpers/clock';

interface Row {
	id: string;
}

const rows = (count: number, prefix = 'R'): Row[] => Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}` }));
const ids = (list: Row[]) => list.map((row) => row.id);

async function turns(count: number): Promise<void> {
	for (let i = 0; i < count; i++) await flushPromises();
}

interface Call {
	offset: number;
	size: number;
	pageIndex: number;
	inFlightAtStart: number;
}

/**
 * An offset-paging server over `data` (which a test may change between calls). Tracks calls and
 * how many were in flight at once; pages finish after a random number of event-loop turns.
 */
function offsetServer(data: Row[], options: { cap?: number; total?: 'none' | number; seed?: number; onCall?: (call: Call) => void } = {}) {
	const random = seededRandom(options.seed ?? 7);
	const calls: Call[] = [];
	let inFlight = 0;
	let maxInFlight = 0;
	const fetchPage = async (offset: number, size: number, pageIndex: number) => {
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		const call = { offset, size, pageIndex, inFlightAtStart: inFlight };
		calls.push(call);
		options.onCall?.(call);
		await turns(1 + Math.floor(random() * 4));
		const take = Math.min(size, options.cap ?? Number.POSITIVE_INFINITY);
		const items = data.slice(offset, offset + take);
		inFlight--;
		if (options.total === 'none') return { items };
		return { items, total: options.total ?? data.length };
	};
	return {
		fetchPage,
		calls,
		get maxInFlight() {
			return maxInFlight;
		},
	};
}

describe('collectOffsetPages with a total', () => {
	it('fetches the first page alone, then the rest concurrently, in order', async () => {
		const data = rows(95);
		const server = offsetServer(data);
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 3, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
		expect(server.calls[0]).toMatchObject({ offset: 0, size: 10, pageIndex: 0, inFlightAtStart: 1 });
		// The second call only starts after the first page (with the total) came back.
		expect(server.calls[1].inFlightAtStart).toBe(1);
		expect(server.calls.map((call) => call.offset)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
		// The last page is asked for in full: rows added after the count would show up in it.
		expect(server.calls[server.calls.length - 1].size).toBe(10);
		expect(server.maxInFlight).toBe(3);
	});

	it.each([1, 2, 4, 8])('never has more than %i pages in flight', async (concurrency) => {
		const data = rows(205);
		const server = offsetServer(data, { seed: concurrency });
		const result = await collectOffsetPages({ pageSize: 10, concurrency, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
		expect(server.maxInFlight).toBe(concurrency);
		expect(server.calls.every((call) => call.inFlightAtStart <= concurrency)).toBe(true);
	});

	it('passes increasing page indexes', async () => {
		const server = offsetServer(rows(35));
		await collectOffsetPages({ pageSize: 10, concurrency: 2, fetchPage: server.fetchPage });
		expect(server.calls.map((call) => call.pageIndex).sort((a, b) => a - b)).toEqual([0, 1, 2, 3]);
	});

	it('respects the limit: never asks past it and returns exactly that many', async () => {
		const data = rows(100);
		const server = offsetServer(data);
		const result = await collectOffsetPages({ pageSize: 10, limit: 25, concurrency: 4, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data.slice(0, 25)));
		expect(server.calls.map((call) => [call.offset, call.size])).toEqual([
			[0, 10],
			[10, 10],
			[20, 5],
		]);
	});

	it('asks for no more than the limit on the first page', async () => {
		const server = offsetServer(rows(100));
		const result = await collectOffsetPages({ pageSize: 10, limit: 3, concurrency: 4, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(['R0', 'R1', 'R2']);
		expect(server.calls.map((call) => [call.offset, call.size])).toEqual([[0, 3]]);
	});

	it('returns everything when the limit exceeds the total', async () => {
		const data = rows(23);
		const server = offsetServer(data);
		const result = await collectOffsetPages({ pageSize: 10, limit: 1000, concurrency: 2, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
	});

	it('steps by the server’s real page size when it caps pages below ours (no gaps)', async () => {
		const data = rows(95);
		const server = offsetServer(data, { cap: 30 });
		const result = await collectOffsetPages({ pageSize: 100, concurrency: 2, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
		expect(server.calls.map((call) => call.offset)).toEqual([0, 30, 60, 90]);
	});

	it('handles a server cap together with a limit', async () => {
		const data = rows(500);
		const server = offsetServer(data, { cap: 40 });
		const result = await collectOffsetPages({ pageSize: 100, limit: 130, concurrency: 3, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data.slice(0, 130)));
	});

	it('returns nothing for an empty result after one call', async () => {
		const server = offsetServer([]);
		expect(await collectOffsetPages({ pageSize: 10, concurrency: 4, fetchPage: server.fetchPage })).toEqual([]);
		expect(server.calls).toHaveLength(1);
	});

	it('picks up rows added after the count was taken (count a multiple of the page size)', async () => {
		const data = rows(34);
		const server = offsetServer(data, { total: 30 });
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 2, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
	});

	it('picks up rows added after the count was taken (count not a multiple of the page size)', async () => {
		const data = rows(27);
		const server = offsetServer(data, { total: 25 });
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 2, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
	});

	it('drops rows seen twice when an insert shifts rows between pages', async () => {
		const data = rows(30);
		let inserted = false;
		const server = offsetServer(data, {
			total: 30,
			onCall: (call) => {
				// Someone inserts a row at the top right after our first page.
				if (call.pageIndex > 0 && !inserted) {
					inserted = true;
					data.unshift({ id: 'NEW' });
				}
			},
		});
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 2, fetchPage: server.fetchPage, identity: (row) => row.id });
		const seen = ids(result);
		expect(new Set(seen).size).toBe(seen.length);
		// Every row that existed when we started is there, once.
		for (const id of ids(rows(30))) expect(seen).toContain(id);
	});

	it('pages answered in reverse order still come out in page order, each row once, the first copy kept', async () => {
		// While pages 1–4 are out, 15 rows are inserted at the top before page 3 is read: it repeats
		// rows of pages 1 and 2 (not only its neighbour), so the check must span every page so far.
		const data = rows(50).map((row) => ({ ...row, copy: 'first' }));
		const answered: number[] = [];
		const gates: Array<() => void> = [];
		const fetchPage = async (offset: number, size: number, pageIndex: number) => {
			if (pageIndex > 0) await new Promise<void>((resolve) => gates.push(resolve));
			const start = pageIndex === 3 ? offset - 15 : offset;
			answered.push(pageIndex);
			return { items: data.slice(start, start + size).map((row) => (pageIndex === 3 ? { ...row, copy: 'second' } : row)), total: 50 };
		};
		const pending = collectOffsetPages({ pageSize: 10, concurrency: 4, fetchPage, identity: (row) => row.id });
		for (let step = 0; step < 50 && gates.length < 4; step++) await turns(1);
		expect(gates).toHaveLength(4);
		// Last asked, first answered; then the page past the count.
		for (const open of gates.splice(0).reverse()) {
			open();
			await turns(2);
		}
		for (let step = 0; step < 50 && gates.length < 1; step++) await turns(1);
		gates.splice(0).forEach((open) => open());
		const result = await pending;
		expect(answered).toEqual([0, 4, 3, 2, 1, 5]);
		expect(ids(result)).toEqual([...ids(data.slice(0, 30)), ...ids(data.slice(40))]);
		expect(result.every((row) => row.copy === 'first')).toBe(true);
	});

	it('keeps duplicates when no identity is given', async () => {
		const data: Row[] = [{ id: 'A' }, { id: 'A' }, { id: 'B' }];
		const server = offsetServer(data);
		expect(ids(await collectOffsetPages({ pageSize: 2, concurrency: 2, fetchPage: server.fetchPage }))).toEqual(['A', 'A', 'B']);
	});

	it('refuses to start when the total needs more than maxPages pages', async () => {
		const server = offsetServer(rows(100));
		await expect(collectOffsetPages({ pageSize: 10, concurrency: 2, maxPages: 5, fetchPage: server.fetchPage })).rejects.toThrow(
			PagingError,
		);
		expect(server.calls).toHaveLength(1);
	});

	it('allows exactly maxPages pages', async () => {
		const server = offsetServer(rows(50));
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 2, maxPages: 5, fetchPage: server.fetchPage });
		expect(result).toHaveLength(50);
	});

	it('rejects a page size that is not positive', async () => {
		const server = offsetServer(rows(5));
		await expect(collectOffsetPages({ pageSize: 0, concurrency: 2, fetchPage: server.fetchPage })).rejects.toThrow(PagingError);
		await expect(collectOffsetPages({ pageSize: Number.NaN, concurrency: 2, fetchPage: server.fetchPage })).rejects.toThrow(
			PagingError,
		);
		expect(server.calls).toHaveLength(0);
	});

	it('rethrows a page failure and launches no page after it', async () => {
		const data = rows(200);
		const started: number[] = [];
		const failure = new Error('page 3 failed');
		const fetchPage = async (offset: number, size: number) => {
			started.push(offset);
			await turns(offset === 30 ? 1 : 3);
			if (offset === 30) throw failure;
			return { items: data.slice(offset, offset + size), total: data.length };
		};
		await expect(collectOffsetPages({ pageSize: 10, concurrency: 2, fetchPage })).rejects.toBe(failure);
		// 0 alone, then 10 and 20 together, then 30 fails while 40 may already run: nothing later.
		expect(Math.max(...started)).toBeLessThanOrEqual(40);
	});
});

describe('collectOffsetPages without a total', () => {
	it('reads one page after another until a short page', async () => {
		const data = rows(47);
		const server = offsetServer(data, { total: 'none' });
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 4, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
		expect(server.maxInFlight).toBe(1);
		expect(server.calls.map((call) => call.offset)).toEqual([0, 10, 20, 30, 40]);
	});

	it('stops at an empty page when the rows fill whole pages', async () => {
		const data = rows(30);
		const server = offsetServer(data, { total: 'none' });
		const result = await collectOffsetPages({ pageSize: 10, concurrency: 4, fetchPage: server.fetchPage });
		expect(ids(result)).toEqual(ids(data));
		expect(server.calls.map((call) => call.offset)).toEqual([0, 10, 20, 30]);
	});

	it('stops after the first page when it is short or empty', async () => {
		for (const count of [0, 4]) {
			const server = offsetServer(rows(count), { total: 'none' });
			const result = await collectOffsetPages({ pageSize: 10, concurrency: 4, fetchPage: server.fetchPage });
			expect(result).toHaveLength(count);
			expect(server.calls).toHaveLength(1);
		}
	});

	it('stops at the limit without asking for more', async () => {
		const server = offsetServer(rows(100), { total: 'none' });
		const result = await collectOffsetPages({ pageSize: 10, limit: 25, concurrency: 4, fetchPage: server.fetchPage });
		expect(result).toHaveLength(25);
		expect(server.calls.map((call) => [call.offset, call.size])).toEqual([
			[0, 10],
			[10, 10],
			[20, 5],
		]);
	});

	it('is bounded by maxPages', async () => {
		const server = offsetServer(rows(1000), { total: 'none' });
		await expect(collectOffsetPages({ pageSize: 10, concurrency: 1, maxPages: 4, fetchPage: server.fetchPage })).rejects.toThrow(
			PagingError,
		);
		expect(server.calls).toHaveLength(4);
	});
});

describe('walkCursor / collectCursor', () => {
	/** Pages named by cursor; `links` maps a cursor (or 'start') to the next one. */
	function cursorServer(pages: Record<string, { items: number[]; next?: string | null }>) {
		const seen: Array<string | undefined> = [];
		const fetchPage = async (cursor: string | undefined): Promise<CursorPage<number, string>> => {
			seen.push(cursor);
			await flushPromises();
			const page = pages[cursor ?? 'start'];
			return { items: page.items, next: page.next ?? undefined };
		};
		return { fetchPage, seen };
	}

	it('follows cursors until there is none', async () => {
		const server = cursorServer({ start: { items: [1, 2], next: 'b' }, b: { items: [3], next: 'c' }, c: { items: [4] } });
		expect(await collectCursor(server.fetchPage)).toEqual([1, 2, 3, 4]);
		expect(server.seen).toEqual([undefined, 'b', 'c']);
	});

	it('treats an empty-string or null cursor as the end', async () => {
		const empty = cursorServer({ start: { items: [1], next: '' } });
		expect(await collectCursor(empty.fetchPage)).toEqual([1]);
		const pages: Array<CursorPage<number, string | null>> = [{ items: [1], next: null }];
		expect(await collectCursor(async () => pages[0])).toEqual([1]);
	});

	it('yields page by page and passes page indexes', async () => {
		const indexes: number[] = [];
		const pages: number[][] = [];
		const fetchPage = async (cursor: number | undefined, pageIndex: number) => {
			indexes.push(pageIndex);
			const at = cursor ?? 0;
			return { items: [at], next: at < 2 ? at + 1 : undefined };
		};
		for await (const page of walkCursor(fetchPage)) pages.push(page);
		expect(pages).toEqual([[0], [1], [2]]);
		expect(indexes).toEqual([0, 1, 2]);
	});

	it('starts from a given cursor', async () => {
		const server = cursorServer({ start: { items: [0], next: 'b' }, b: { items: [3], next: 'c' }, c: { items: [4] } });
		expect(await collectCursor(server.fetchPage, { start: 'b' })).toEqual([3, 4]);
		expect(server.seen[0]).toBe('b');
	});

	it('stops with a PagingError when the server repeats a cursor', async () => {
		const server = cursorServer({ start: { items: [1], next: 'b' }, b: { items: [2], next: 'c' }, c: { items: [3], next: 'b' } });
		await expect(collectCursor(server.fetchPage)).rejects.toThrow(PagingError);
		expect(server.seen).toEqual([undefined, 'b', 'c']);
	});

	it('detects repeats of object cursors by value, or by a given key', async () => {
		const loop = async (cursor: { token: string } | undefined) => ({ items: [cursor?.token ?? 'first'], next: { token: 'same' } });
		await expect(collectCursor(loop)).rejects.toThrow(/same next-page cursor twice/);

		let n = 0;
		const distinctButSameKey = async () => ({ items: [n], next: { token: `t${n++}`, page: 1 } });
		const walk = walkCursor(distinctButSameKey, { cursorKey: (cursor) => String(cursor.page) });
		const collected: number[][] = [];
		await expect(
			(async () => {
				for await (const page of walk) collected.push(page);
			})(),
		).rejects.toThrow(PagingError);
		expect(collected).toEqual([[0], [1]]);
	});

	it('is bounded by maxPages', async () => {
		let n = 0;
		const endless = async () => ({ items: [n], next: `c${++n}` });
		await expect(collectCursor(endless, { maxPages: 5 })).rejects.toThrow(/after 5 pages/);
		expect(n).toBe(5);
	});

	it('allows exactly maxPages pages when the last one has no cursor', async () => {
		const server = cursorServer({ start: { items: [1], next: 'b' }, b: { items: [2] } });
		expect(await collectCursor(server.fetchPage, { maxPages: 2 })).toEqual([1, 2]);
	});

	it('collectCursor stops fetching once the limit is reached', async () => {
		let calls = 0;
		const endless = async (cursor: number | undefined) => {
			calls++;
			const at = cursor ?? 0;
			return { items: [at * 10, at * 10 + 1, at * 10 + 2], next: at + 1 };
		};
		expect(await collectCursor(endless, { limit: 7 })).toEqual([0, 1, 2, 10, 11, 12, 20]);
		expect(calls).toBe(3);
	});

	it('passes a fetch failure through', async () => {
		const failure = new Error('boom');
		await expect(
			collectCursor(async (cursor: string | undefined) => {
				if (cursor) throw failure;
				return { items: [1], next: 'x' };
			}),
		).rejects.toBe(failure);
	});
});

describe('inGroupsOf', () => {
	it('splits into consecutive groups of at most n, keeping order; empty in, empty out', () => {
		expect(inGroupsOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
		expect(inGroupsOf(Array.from({ length: 100 }, (_, i) => i), 50).map((group) => group.length)).toEqual([50, 50]);
		expect(inGroupsOf([], 50)).toEqual([]);
	});
});

/**
 * The IFS Cloud polling trigger against the IFS sandbox, tick by tick through n8n-core's
 * PollContext/PollTriggerExecutor (`runPoll`), with static data and the OAuth2 token kept across
 * ticks like an active workflow.
 *
 * Every change a test makes is observable: it gives the row a version marker of its own
 * (`Note = 'v<n>'`), so "exactly once" is checked as a multiset of emitted (OrderNo, Note) pairs
 * against the versions created, not as a count that two errors could balance out.
 */
import type { IDataObject } from 'n8n-workflow';

import { INVENTORY_KEYS, startIfsSandbox, type IfsSandbox } from '../../sandbox/ifs';
import { ActiveTrigger, emittedRows, ORDERS, STOCK } from './poll-helpers';

/** A fixed instant after the seeded data (whose ChangeDates end mid-2024). */
const T0 = Date.parse('2025-03-01T09:00:00Z');
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const NEW_ORDER = { Contract: 'S100', CustomerNo: '10002', CurrencyCode: 'SEK', WantedDeliveryDate: '2025-04-01' };

/** mulberry32: a seeded PRNG, so a failure replays identically. */
function random(seed: number): () => number {
	let state = seed | 0;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

type Row = Record<string, unknown>;
const versionOf = (row: Row) => `${String(row.OrderNo)}|${String(row.Note)}`;
const sorted = (values: string[]) => [...values].sort();
const seenSize = (trigger: ActiveTrigger) => Object.keys((trigger.cursor()?.seen as IDataObject | undefined) ?? {}).length;

let sandbox: IfsSandbox;

beforeAll(async () => {
	// No server-side rate limit: the long test sends a few thousand requests in seconds.
	sandbox = await startIfsSandbox({ rateLimit: false, inventoryRows: 400 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.reset();
});

describe('timestamp mode: exactly once', () => {
	test('10 000 changes over many polls, many sharing a second, some during a poll and some committed late: each version emitted exactly once', async () => {
		const began = performance.now();
		const TOTAL = 10_000;
		const PAGE = 25;
		const MAX_ROWS = 150;
		const OVERLAP = 120;
		const MAX_ORDERS = 400;
		const HOT_ROWS = 60;
		const rnd = random(20_250_301);
		sandbox.clock.set(T0);

		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', options: { pageSize: PAGE, overlapSeconds: OVERLAP, maxRows: MAX_ROWS } });
		expect(await trigger.rows()).toEqual([]); // activation: the seeded orders are old

		const versions: string[] = []; // every version created, as "OrderNo|Note"
		const latest = new Map<string, string>(); // OrderNo → Note of its current version
		const pending = new Set<string>(); // rows whose current version has not been emitted yet
		const orderNos = sandbox.data.rows(ORDERS.projection, ORDERS.entitySet).map((row) => String(row.OrderNo));
		const counts = { betweenPolls: 0, duringPolls: 0, inserts: 0, late: 0 };

		const record = (orderNo: string, note: string) => {
			versions.push(`${orderNo}|${note}`);
			latest.set(orderNo, note);
			pending.add(orderNo);
		};
		// A row is changed again only after its current version was emitted: a version replaced
		// before any poll read it never existed for the trigger (IFS keeps no history; a poll sees
		// only the current row), so no trigger could emit it and counting it would test nothing.
		// Most changes hit a few hot rows, the rest any row: cold rows keep versions of every age,
		// so some current versions always sit at the edge of the overlap window, where pruning
		// must not forget a version the next sweep reads again.
		const settledRow = (): string | undefined => {
			for (let tries = 0; tries < 40; tries++) {
				const orderNo = orderNos[Math.floor(rnd() * (rnd() < 0.85 ? HOT_ROWS : orderNos.length))];
				if (!pending.has(orderNo)) return orderNo;
			}
			return undefined;
		};
		const change = (): boolean => {
			if (versions.length >= TOTAL) return false;
			const note = `v${versions.length + 1}`;
			if (orderNos.length < MAX_ORDERS && rnd() < 0.1) {
				const orderNo = String(sandbox.data.insert(ORDERS.projection, ORDERS.entitySet, { ...NEW_ORDER, Note: note }).OrderNo);
				orderNos.push(orderNo);
				record(orderNo, note);
				counts.inserts++;
				return true;
			}
			const orderNo = settledRow();
			if (!orderNo) return false;
			const changes: IDataObject = { Note: note };
			// Committed late: the transaction started 3 s ago, so its ChangeDate is older than rows
			// the trigger may already have read (well inside the overlap window).
			if (rnd() < 0.03) {
				changes.ChangeDate = iso(sandbox.clock.now() - 3000);
				counts.late++;
			}
			sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: orderNo }, changes);
			record(orderNo, note);
			return true;
		};
		// Other users keep working while the trigger pages through the set.
		sandbox.hooks.beforeApiRequest = ({ method, path }) => {
			if (method !== 'GET' || !path.endsWith('/CustomerOrderSet') || rnd() < 0.4) return;
			const n = 1 + Math.floor(rnd() * 6);
			for (let i = 0; i < n; i++) if (change()) counts.duringPolls++;
		};

		const emitted: string[] = [];
		const emittedAt: string[] = [];
		const ticks = { polls: 0, resumed: 0, maxEmitted: 0, maxSeen: 0, prunes: 0, jumps: 0 };
		const poll = async () => {
			const before = seenSize(trigger);
			const tick = await trigger.poll();
			ticks.polls++;
			expect(tick.error).toBeUndefined();
			const rows = emittedRows(tick);
			ticks.maxEmitted = Math.max(ticks.maxEmitted, rows.length);
			for (const row of rows) {
				emitted.push(versionOf(row));
				emittedAt.push(String(row.ChangeDate));
				if (latest.get(String(row.OrderNo)) === row.Note) pending.delete(String(row.OrderNo));
			}
			const cursor = trigger.cursor() as IDataObject;
			if (cursor.resume) ticks.resumed++;
			const after = seenSize(trigger);
			ticks.maxSeen = Math.max(ticks.maxSeen, after);
			if (after < before) ticks.prunes++;
			return { rows, cursor };
		};

		while (versions.length < TOTAL) {
			// Bursts larger than Max Rows per Poll make the sweep stop and resume in the next poll.
			const burst = rnd() < 0.1 ? 300 : Math.floor(rnd() * 80);
			for (let i = 0; i < burst; i++) if (change()) counts.betweenPolls++;
			const { cursor } = await poll();
			// The clock is frozen: rounds share a second (ties far larger than a page) or move on one
			// second, and between sweeps some jump 15 s, so versions keep leaving the 120 s overlap
			// window and are pruned from the seen-set.
			const step = rnd();
			if (step < 0.5) sandbox.clock.advance(1000);
			else if (step < 0.6 && !cursor.resume) {
				sandbox.clock.advance(15_000);
				ticks.jumps++;
			}
		}
		sandbox.hooks.beforeApiRequest = undefined;
		for (let drain = 0; drain < 40 && pending.size > 0; drain++) await poll();
		const { rows: last } = await poll();
		expect(last).toEqual([]);

		// The acceptance criterion: the emitted multiset is exactly the set of versions created.
		expect(versions).toHaveLength(TOTAL);
		expect(new Set(versions).size).toBe(TOTAL);
		expect(pending.size).toBe(0);
		expect(emitted).toHaveLength(TOTAL);
		expect(sorted(emitted)).toEqual(sorted(versions));

		// …and the run exercised what it claims to.
		const perSecond = new Map<string, number>();
		for (const row of sandbox.data.rows(ORDERS.projection, ORDERS.entitySet)) {
			perSecond.set(String(row.ChangeDate), (perSecond.get(String(row.ChangeDate)) ?? 0) + 1);
		}
		expect(Math.max(...perSecond.values())).toBeGreaterThan(4 * PAGE); // a tie spans several pages, even among current rows
		expect(counts.duringPolls).toBeGreaterThan(1000);
		expect(counts.betweenPolls).toBeGreaterThan(5000);
		expect(counts.inserts).toBeGreaterThan(300);
		expect(counts.late).toBeGreaterThan(100);
		expect(ticks.polls).toBeGreaterThan(100);
		expect(ticks.resumed).toBeGreaterThan(10);
		expect(ticks.maxEmitted).toBeLessThanOrEqual(MAX_ROWS + PAGE - 1);
		expect(ticks.jumps).toBeGreaterThan(5);
		expect(ticks.prunes).toBeGreaterThanOrEqual(3);
		// Pruning keeps exactly the emitted versions still inside the overlap window.
		const cursor = trigger.cursor() as { newest: string; seen: Record<string, string> };
		const floor = Date.parse(cursor.newest) - OVERLAP * 1000;
		expect(Object.keys(cursor.seen)).toHaveLength(emittedAt.filter((at) => Date.parse(at) >= floor).length);
		expect(Object.values(cursor.seen).every((value) => Date.parse(value) >= floor)).toBe(true);
		expect(ticks.maxSeen).toBeLessThan(TOTAL);

		const durationMs = performance.now() - began;
		console.log(
			`poll trigger: ${TOTAL} versions (${counts.betweenPolls} between polls, ${counts.duringPolls} during polls, ${counts.inserts} inserts, ${counts.late} late), ` +
				`${ticks.polls} polls (${ticks.resumed} resumed, ${ticks.jumps} clock jumps), largest tie ${Math.max(...perSecond.values())}, max seen ${ticks.maxSeen}, ${ticks.prunes} prunes, ` +
				`${sandbox.stats.apiRequests} API requests (${sandbox.stats.authRequests} token requests), ${Math.round(durationMs)} ms`,
		);
	}, 60_000);

	test('a change that moves ChangeDate but keeps the ETag (an order line added) is a new version', async () => {
		sandbox.clock.set(T0);
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', options: { overlapSeconds: 300 } });
		expect(await trigger.rows()).toEqual([]);

		sandbox.clock.advance(10_000);
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000007' }, { Note: 'v1' });
		const first = await trigger.rows();
		expect(first.map(versionOf)).toEqual(['C1000007|v1']);

		// 20 s later (well inside the overlap window) someone adds a line: the order's total and
		// ChangeDate move, its ETag does not (as in IFS, where the header's Objversion stays).
		sandbox.clock.advance(20_000);
		sandbox.data.insert(ORDERS.projection, 'CustomerOrderLineSet', { OrderNo: 'C1000007', LineNo: '90', CatalogNo: 'P-000001', BuyQtyDue: 3 });
		const after = sandbox.data.get(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000007' })!;
		expect(after['@odata.etag']).toBe(first[0]['@odata.etag']);
		expect(after.ChangeDate).not.toBe(first[0].ChangeDate);

		const second = await trigger.rows();
		expect(second.map((row) => [row.OrderNo, row.ChangeDate, row.TotalAmount])).toEqual([['C1000007', after.ChangeDate, after.TotalAmount]]);
		expect(await trigger.rows()).toEqual([]);
	});
});

describe('timestamp mode: where to start', () => {
	/** Old changes spread over the 300 s before T0: all inside the overlap window at activation. */
	function oldChangesInWindow(count: number) {
		const orderNos = sandbox.data.rows(ORDERS.projection, ORDERS.entitySet).map((row) => String(row.OrderNo)).slice(0, count);
		orderNos.forEach((orderNo, index) => {
			sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: orderNo }, { Note: `old-${index}`, ChangeDate: iso(T0 - 290_000 + index * 7000) });
		});
		return orderNos;
	}

	test('"Now" emits nothing that existed at activation, overlap window included, then each new change once', async () => {
		sandbox.clock.set(T0);
		oldChangesInWindow(40);
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', options: { pageSize: 6, overlapSeconds: 300 } });
		expect(await trigger.rows()).toEqual([]);
		expect(trigger.cursor()).toMatchObject({ newest: iso(T0 - 290_000 + 39 * 7000) });
		expect(await trigger.rows()).toEqual([]); // the next sweep re-reads the window: all of it already recorded

		sandbox.clock.advance(5000);
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000003' }, { Note: 'new-1' });
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000044' }, { Note: 'new-2' });
		const inserted = String(sandbox.data.insert(ORDERS.projection, ORDERS.entitySet, { ...NEW_ORDER, Note: 'new-3' }).OrderNo);
		expect(sorted((await trigger.rows()).map(versionOf))).toEqual(sorted(['C1000003|new-1', 'C1000044|new-2', `${inserted}|new-3`]));
		expect(await trigger.rows()).toEqual([]);
	});

	test('"Now" with a first sweep longer than the poll budget: old rows stay quiet, changes made meanwhile are emitted', async () => {
		sandbox.clock.set(T0);
		oldChangesInWindow(40);
		sandbox.faults.collectionLatencyMs = 120; // 40 rows, 4 per page: the recording sweep needs ~1.3 s
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', options: { pageSize: 4, overlapSeconds: 300 } });
		const first = await trigger.poll({ pollBudgetMs: 1000 });
		expect(emittedRows(first)).toEqual([]);
		expect(trigger.cursor()).toMatchObject({ priming: true, resume: expect.any(Object) });

		// While the first sweep is unfinished, users change two rows.
		sandbox.clock.advance(10_000);
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000002' }, { Note: 'during-priming-1' });
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000049' }, { Note: 'during-priming-2' });

		const emitted: IDataObject[] = [];
		for (let i = 0; i < 10; i++) {
			emitted.push(...emittedRows(await trigger.poll({ pollBudgetMs: 1000 })));
			if (!trigger.cursor()?.resume && !trigger.cursor()?.priming) break;
		}
		expect(trigger.cursor()).not.toHaveProperty('priming');
		sandbox.faults.collectionLatencyMs = 0;
		emitted.push(...(await trigger.rows()));
		expect(sorted(emitted.map(versionOf))).toEqual(['C1000002|during-priming-1', 'C1000049|during-priming-2']);
	});

	test('"Now" whose first poll runs out of budget before the first page still records before emitting', async () => {
		sandbox.clock.set(T0);
		oldChangesInWindow(10);
		// $metadata takes longer than the whole fetch budget.
		sandbox.faults.latencyMs = 1100;
		sandbox.faults.latencyMatch = '$metadata';
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', options: { overlapSeconds: 300 } });
		expect(emittedRows(await trigger.poll({ pollBudgetMs: 1000 }))).toEqual([]);
		sandbox.faults.latencyMs = 0;
		expect(await trigger.rows()).toEqual([]);
		expect(await trigger.rows()).toEqual([]);
		sandbox.clock.advance(1000);
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000010' }, { Note: 'new' });
		expect((await trigger.rows()).map(versionOf)).toEqual(['C1000010|new']);
	});

	test('"The Beginning" emits every existing row once, across polls, ties larger than a page included', async () => {
		sandbox.clock.set(T0);
		for (let i = 0; i < 70; i++) sandbox.data.insert(ORDERS.projection, ORDERS.entitySet, { ...NEW_ORDER, Note: `same-second-${i}` });
		const all = sandbox.data.rows(ORDERS.projection, ORDERS.entitySet).map((row) => String(row.OrderNo));
		expect(all).toHaveLength(120);

		const trigger = new ActiveTrigger(sandbox, { startFrom: 'beginning', options: { pageSize: 7, maxRows: 30 } });
		const emitted: string[] = [];
		let polls = 0;
		for (; polls < 20; polls++) {
			const rows = await trigger.rows();
			expect(rows.length).toBeLessThanOrEqual(30 + 7 - 1);
			emitted.push(...rows.map((row) => String(row.OrderNo)));
			if (!rows.length) break;
		}
		expect(polls).toBeGreaterThanOrEqual(4);
		expect(sorted(emitted)).toEqual(sorted(all));
		expect(await trigger.rows()).toEqual([]);
	});
});

describe('timestamp mode: test events, configuration, errors, budget', () => {
	test('Fetch Test Event returns a small sample, newest first, and leaves the cursor where it was', async () => {
		sandbox.clock.set(T0);
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now' });

		// Before activation: a sample, and no cursor is created.
		const fresh = await trigger.poll({ mode: 'manual' });
		expect(fresh.error).toBeUndefined();
		expect(fresh.persisted).toBe(false);
		expect(fresh.staticData).toEqual({});
		const sample = emittedRows(fresh);
		const newestFirst = sandbox.data
			.rows(ORDERS.projection, ORDERS.entitySet)
			.sort((a, b) => String(b.ChangeDate).localeCompare(String(a.ChangeDate)) || String(b.OrderNo).localeCompare(String(a.OrderNo)))
			.slice(0, 5)
			.map((row) => row.OrderNo);
		expect(sample.map((row) => row.OrderNo)).toEqual(newestFirst);

		expect(await trigger.rows()).toEqual([]); // activation
		sandbox.clock.advance(2000);
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: 'C1000020' }, { Note: 'pending' });
		const stored = trigger.staticData.get();
		const savesBefore = trigger.staticData.saves.length;

		const manual = await trigger.poll({ mode: 'manual' });
		expect(emittedRows(manual)[0]).toMatchObject({ OrderNo: 'C1000020', Note: 'pending' });
		expect(emittedRows(manual).length).toBeLessThanOrEqual(5);
		expect(manual.persisted).toBe(false);
		expect(manual.staticData).toEqual(stored[`node:IFS Cloud Trigger`]);
		expect(trigger.staticData.get()).toEqual(stored);
		expect(trigger.staticData.saves).toHaveLength(savesBefore);

		// The change shown as a sample is still emitted by the active trigger, once.
		expect((await trigger.rows()).map(versionOf)).toEqual(['C1000020|pending']);
		expect(await trigger.rows()).toEqual([]);
	});

	test('changing the timestamp field or the entity set starts a new cursor', async () => {
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'beginning', options: { pageSize: 20 } });
		const orders = sandbox.data.rows(ORDERS.projection, ORDERS.entitySet).map((row) => String(row.OrderNo));
		const drain = async () => {
			const out: IDataObject[] = [];
			for (let i = 0; i < 10; i++) {
				const rows = await trigger.rows();
				if (!rows.length) break;
				out.push(...rows);
			}
			return out;
		};
		expect(sorted((await drain()).map((row) => String(row.OrderNo)))).toEqual(sorted(orders));
		const byChangeDate = trigger.cursor()?.config;

		trigger.parameters = { ...trigger.parameters, timestampField: 'DateEntered' };
		expect(sorted((await drain()).map((row) => String(row.OrderNo)))).toEqual(sorted(orders));
		expect(trigger.cursor()?.config).not.toBe(byChangeDate);

		trigger.parameters = { ...trigger.parameters, projection: 'ShipmentHandling', entitySet: 'ShipmentSet', timestampField: 'ChangeDate' };
		const shipments = sandbox.data.rows('ShipmentHandling', 'ShipmentSet').map((row) => row.ShipmentId);
		expect(shipments.length).toBeGreaterThan(0);
		expect(sorted((await drain()).map((row) => String(row.ShipmentId)))).toEqual(sorted(shipments.map(String)));

		trigger.parameters = { ...trigger.parameters, projection: ORDERS.projection, entitySet: ORDERS.entitySet };
		expect(await drain()).toHaveLength(orders.length);
	});

	test('the filter limits which rows are watched; changing it starts a new cursor', async () => {
		sandbox.clock.set(T0);
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', filter: "Contract eq 'S200'", options: { pageSize: 3 } });
		expect(await trigger.rows()).toEqual([]);
		const byContract = (contract: string) =>
			sandbox.data
				.rows(ORDERS.projection, ORDERS.entitySet)
				.filter((row) => row.Contract === contract)
				.map((row) => String(row.OrderNo));
		const [s100, s200] = [byContract('S100'), byContract('S200')];
		sandbox.clock.advance(1000);
		for (const orderNo of [...s100.slice(0, 4), ...s200.slice(0, 4)]) {
			sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: orderNo }, { Note: `f-${orderNo}` });
		}
		expect(sorted((await trigger.rows()).map(versionOf))).toEqual(sorted(s200.slice(0, 4).map((orderNo) => `${orderNo}|f-${orderNo}`)));

		// Another filter is another cursor: "Now" again, so the S100 changes already made stay quiet.
		trigger.parameters = { ...trigger.parameters, filter: "Contract eq 'S100'" };
		expect(await trigger.rows()).toEqual([]);
		sandbox.clock.advance(1000);
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: s100[5] }, { Note: 'after' });
		sandbox.data.update(ORDERS.projection, ORDERS.entitySet, { OrderNo: s200[5] }, { Note: 'after' });
		expect((await trigger.rows()).map(versionOf)).toEqual([`${s100[5]}|after`]);
	});

	test.each([
		['a field that does not exist', 'ChangeDat', /CustomerOrderSet has no field "ChangeDat"/],
		['a text field', 'Note', /Note is a String field, not a date or timestamp/],
		['a number field', 'TotalAmount', /TotalAmount is a Decimal field, not a date or timestamp/],
	])('%s as timestamp field: a clear error naming the usable fields, cursor untouched', async (_label, timestampField, message) => {
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'now', timestampField });
		const tick = await trigger.poll();
		expect(tick.error?.name).toBe('NodeOperationError');
		expect(tick.error?.message).toMatch(message);
		const description = String((tick.error as { description?: string }).description);
		expect(description).toContain('DateEntered');
		expect(description).toContain('ChangeDate');
		expect(description).toContain('WantedDeliveryDate');
		expect(description).not.toContain('Note');
		expect(tick.persisted).toBe(false);
		expect(tick.staticData).toEqual({});
		expect(trigger.staticData.saves).toHaveLength(0);
	});

	test('a poll stays within its budget and the next one resumes where it stopped', async () => {
		sandbox.faults.collectionLatencyMs = 80;
		const trigger = new ActiveTrigger(sandbox, { startFrom: 'beginning', options: { pageSize: 2 } });
		const emitted: string[] = [];
		const durations: number[] = [];
		for (let i = 0; i < 10; i++) {
			const tick = await trigger.poll({ pollBudgetMs: 2000 });
			expect(tick.error).toBeUndefined();
			durations.push(tick.durationMs);
			emitted.push(...emittedRows(tick).map((row) => String(row.OrderNo)));
			if (!trigger.cursor()?.resume) break;
		}
		// 50 rows, 2 per page, 80 ms a page: ~2 s of reading in polls of 1.2 s (60 % of the budget).
		expect(durations.length).toBeGreaterThanOrEqual(2);
		for (const duration of durations) expect(duration).toBeLessThan(2000);
		console.log(`poll budget 2000 ms (fetching 1200 ms): ${durations.length} polls of ${durations.map((ms) => Math.round(ms)).join(', ')} ms`);
		expect(sorted(emitted)).toEqual(sorted(sandbox.data.rows(ORDERS.projection, ORDERS.entitySet).map((row) => String(row.OrderNo))));
	});
});

describe('snapshot mode', () => {
	const compareFields = 'QtyOnhand,AvailableQty';
	const keyOf = (row: Row) => INVENTORY_KEYS.map((key) => String(row[key])).join('|');
	const keysOf = (row: Row) => Object.fromEntries(INVENTORY_KEYS.map((key) => [key, row[key]]));
	const snapshot = (options: IDataObject = {}, startFrom: 'now' | 'beginning' = 'now') =>
		new ActiveTrigger(sandbox, { ...STOCK, mode: 'snapshot', startFrom, options: { compareFields, pageSize: 50, ...options } });

	test('emits exactly the new, changed and (when asked) deleted rows', async () => {
		const rows = sandbox.data.rows(STOCK.projection, STOCK.entitySet);
		const trigger = snapshot({ emitDeleted: true });
		const quiet = snapshot({ emitDeleted: false });
		expect(await trigger.rows()).toEqual([]);
		expect(await quiet.rows()).toEqual([]);

		const changed = [rows[3], rows[120], rows[399]];
		changed.forEach((row, i) => sandbox.data.update(STOCK.projection, STOCK.entitySet, keysOf(row), { QtyOnhand: Number(row.QtyOnhand) + 1 + i, AvailableQty: Number(row.AvailableQty) + 1 + i }));
		// Not compared: not a change for this trigger.
		sandbox.data.update(STOCK.projection, STOCK.entitySet, keysOf(rows[10]), { AvailabilityControlId: 'BLOCKED' });
		const inserted = sandbox.data.insert(STOCK.projection, STOCK.entitySet, { ...keysOf(rows[0]), LocationNo: 'Z99-99', QtyOnhand: 5, QtyReserved: 0, AvailableQty: 5 });
		const removed = [rows[50], rows[250]];
		for (const row of removed) expect(sandbox.data.remove(STOCK.projection, STOCK.entitySet, keysOf(row))).toBe(true);

		const emitted = await trigger.rows();
		const byChange = (change: string) => sorted(emitted.filter((row) => row._change === change).map(keyOf));
		expect(emitted).toHaveLength(6);
		expect(byChange('changed')).toEqual(sorted(changed.map(keyOf)));
		expect(byChange('new')).toEqual([keyOf(inserted)]);
		expect(byChange('deleted')).toEqual(sorted(removed.map(keyOf)));
		const changedRow = emitted.find((row) => row._change === 'changed' && keyOf(row) === keyOf(changed[0]))!;
		expect(changedRow.QtyOnhand).toBe(Number(changed[0].QtyOnhand) + 1);

		const withoutDeleted = await quiet.rows();
		expect(withoutDeleted.map((row) => row._change).sort()).toEqual(['changed', 'changed', 'changed', 'new']);

		expect(await trigger.rows()).toEqual([]);
		expect(await quiet.rows()).toEqual([]);
	});

	test('rows inserted and deleted while the snapshot is read are not mistaken for other rows', async () => {
		const rows = sandbox.data.rows(STOCK.projection, STOCK.entitySet);
		const trigger = snapshot({ emitDeleted: true, pageSize: 40 });
		expect(await trigger.rows()).toEqual([]);

		// During the next read, after the first page, another user deletes two rows that page held
		// and inserts one before it: offset paging would shift rows past us.
		let collectionRequests = 0;
		const removed = [rows[5], rows[6]];
		let inserted: Row | undefined;
		sandbox.hooks.beforeApiRequest = ({ method, path }) => {
			if (method !== 'GET' || !path.endsWith('/InventoryPartInStockSet')) return;
			collectionRequests++;
			if (collectionRequests === 2) {
				for (const row of removed) sandbox.data.remove(STOCK.projection, STOCK.entitySet, keysOf(row));
				inserted = sandbox.data.insert(STOCK.projection, STOCK.entitySet, { ...keysOf(rows[0]), LocationNo: 'A00-00', QtyOnhand: 1, QtyReserved: 0, AvailableQty: 1 });
			}
		};
		const during = await trigger.rows();
		sandbox.hooks.beforeApiRequest = undefined;
		expect(collectionRequests).toBeGreaterThan(2);
		const next = await trigger.rows();
		// The deleted rows were already read when they went (reported now or next poll); the inserted
		// row sits before the read position (this read may miss it, the next one must not). Nothing
		// else is reported: no untouched row is mistaken for deleted, then for new.
		const events = (rows: IDataObject[]) => rows.map((row) => `${String(row._change)}:${keyOf(row)}`);
		expect(sorted([...events(during), ...events(next)])).toEqual(sorted([...removed.map((row) => `deleted:${keyOf(row)}`), `new:${keyOf(inserted!)}`]));
		expect(await trigger.rows()).toEqual([]);
	});

	test('"The Beginning" emits every row once as new; a wrong compared field names the valid ones; a test event is a sample', async () => {
		const filter = "Contract eq 'S100'";
		const expected = sandbox.data.rows(STOCK.projection, STOCK.entitySet).filter((row) => row.Contract === 'S100');
		const trigger = new ActiveTrigger(sandbox, { ...STOCK, mode: 'snapshot', startFrom: 'beginning', filter, options: { compareFields, pageSize: 30 } });
		const sample = await trigger.rows({ mode: 'manual' });
		expect(sample.length).toBeGreaterThan(0);
		expect(sample.length).toBeLessThanOrEqual(5);
		expect(sample.every((row) => row._change === 'sample')).toBe(true);
		expect(trigger.staticData.saves).toHaveLength(0);

		const first = await trigger.rows();
		expect(first.every((row) => row._change === 'new')).toBe(true);
		expect(sorted(first.map(keyOf))).toEqual(sorted(expected.map(keyOf)));
		expect(await trigger.rows()).toEqual([]);

		const wrong = await trigger.poll({ parameters: { ...trigger.parameters, options: { compareFields: 'QtyOnHand' } } });
		expect(wrong.error?.message).toMatch(/InventoryPartInStockSet has no field QtyOnHand/);
		expect(String((wrong.error as { description?: string }).description)).toContain('QtyOnhand');
	});
});

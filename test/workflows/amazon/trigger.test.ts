/**
 * Amazon Seller Central Trigger (polling) through n8n-core's real PollContext against the SP-API
 * sandbox: orders created or updated (2-minute horizon, overlap de-duplication, sweeps that span
 * polls, the getOrders quota) and new settlement reports. Time is moved for the node (Date.now)
 * and the sandbox (its clock) together, so "three minutes later" takes no time.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { CredentialStore, type PollResult, runPoll, StaticDataStore } from '../../harness';
import { type AmazonTestbed, amazonCredentials, packageTypes, startAmazonTestbed } from './helpers';

const TRIGGER = 'Amazon Seller Central Trigger';
const MINUTE = 60_000;
const DAY = 86_400_000;

function triggerNode(parameters: IDataObject): INode {
	return {
		id: '7c1e0d2a-0000-4000-8000-00000000b001',
		name: TRIGGER,
		type: 'n8n-nodes-ml-connector.amazonSellerCentralTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: { event: 'order', apiVersion: 'v0', startFrom: 'now', filters: {}, options: {}, ...parameters } as never,
		credentials: { amazonSellingPartnerApi: { id: 'mlcAmazonSandbox001', name: 'Amazon sandbox seller' } },
	};
}

/** One active workflow: static data and the stored access token live across ticks. */
class ActiveTrigger {
	readonly staticData = new StaticDataStore();
	readonly credentialStore = new CredentialStore();

	constructor(
		private readonly bed: AmazonTestbed,
		private readonly parameters: IDataObject,
	) {}

	async poll(options: { mode?: 'trigger' | 'manual'; pollBudgetMs?: number } = {}): Promise<PollResult> {
		return await runPoll({
			node: triggerNode(this.parameters),
			types: packageTypes(),
			credentials: amazonCredentials(this.bed.sandbox),
			credentialStore: this.credentialStore,
			staticData: this.staticData,
			mode: options.mode ?? 'trigger',
			pollBudgetMs: options.pollBudgetMs,
			timeoutMs: 60_000,
		});
	}

	async emitted(options: Parameters<ActiveTrigger['poll']>[0] = {}): Promise<IDataObject[]> {
		const tick = await this.poll(options);
		if (tick.error) throw tick.error;
		return (tick.items?.[0] ?? []).map((item) => item.json);
	}
}

describe('Amazon Seller Central Trigger: orders', () => {
	let bed: AmazonTestbed;
	let now: number;
	let nowSpy: jest.SpyInstance<number, []>;

	/** Moves "now" for the node and the sandbox together. */
	const setNow = (at: number) => {
		now = at;
		bed.sandbox.clock.set(at);
	};

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 2000, ordersPerSeller: 1200 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => {
		bed.sandbox.reset();
		now = Date.now();
		nowSpy = jest.spyOn(Date, 'now').mockImplementation(() => now);
		setNow(now);
	});
	afterEach(() => {
		nowSpy.mockRestore();
		expect(bed.sandbox.contractViolations).toEqual([]);
	});

	it('from now: nothing on the first poll; then new and changed orders once each, once they are 2 minutes old', async () => {
		const trigger = new ActiveTrigger(bed, {});
		expect(await trigger.emitted()).toEqual([]);
		const start = now;

		const placed = bed.sandbox.data.addOrder({ purchaseDate: start + MINUTE });
		const old = bed.sandbox.data.orders().find((order) => order.status === 'Unshipped' && order.lastUpdateDate < start - 10 * DAY)!;
		setNow(start + 2 * MINUTE);
		bed.sandbox.data.updateOrder(old.amazonOrderId, { status: 'Shipped' });

		// One minute after the order was placed it is inside Amazon's 2-minute horizon: not yet.
		const early = await trigger.emitted();
		expect(early.map((order) => order.AmazonOrderId)).not.toContain(placed.amazonOrderId);

		setNow(start + 6 * MINUTE);
		const later = await trigger.emitted();
		// Besides ours: the seeded orders updated in the 2 minutes before activation, which Amazon
		// did not show yet when the trigger started. Each once; nothing older.
		const hidden = bed.sandbox.data
			.orders()
			.filter((order) => order.lastUpdateDate > start - 130_000 && order.lastUpdateDate <= start)
			.map((order) => order.amazonOrderId);
		expect(hidden.length).toBeGreaterThan(0);
		expect([...early, ...later].map((order) => String(order.AmazonOrderId)).sort()).toEqual([...hidden, placed.amazonOrderId, old.amazonOrderId].sort());
		const ours = later.filter((order) => [placed.amazonOrderId, old.amazonOrderId].includes(String(order.AmazonOrderId)));
		expect(ours.map((order) => [order.AmazonOrderId, order._event, order.OrderStatus])).toEqual([
			[placed.amazonOrderId, 'created', 'Unshipped'],
			[old.amazonOrderId, 'updated', 'Shipped'],
		]);

		// Overlapping windows re-read both: not emitted again.
		setNow(start + 8 * MINUTE);
		expect(await trigger.emitted()).toEqual([]);

		// A further change is a new version: emitted again.
		bed.sandbox.data.updateOrder(placed.amazonOrderId, { status: 'Canceled', lastUpdateDate: start + 8 * MINUTE });
		setNow(start + 11 * MINUTE);
		expect((await trigger.emitted()).map((order) => [order.AmazonOrderId, order.OrderStatus])).toEqual([[placed.amazonOrderId, 'Canceled']]);
	});

	it('a backlog larger than one poll is swept across polls from a stored page token: every order exactly once', async () => {
		const trigger = new ActiveTrigger(bed, { startFrom: 'lookback', lookbackHours: 24 * 30, options: { maxOrders: 150 } });
		const horizon = now - 2 * MINUTE - 10_000;
		const expected = bed.sandbox.data
			.orders()
			.filter((order) => order.lastUpdateDate >= horizon - 30 * DAY && order.lastUpdateDate <= horizon)
			.map((order) => order.amazonOrderId)
			.sort();
		expect(expected.length).toBeGreaterThan(300);

		const seen: string[] = [];
		let polls = 0;
		while (polls < 20) {
			polls++;
			const tick = await trigger.poll();
			const batch = (tick.items?.[0] ?? []).map((item) => item.json);
			seen.push(...batch.map((order) => String(order.AmazonOrderId)));
			if (!(tick.staticData.orders as { sweep?: unknown }).sweep) break;
			expect(batch.length).toBeGreaterThanOrEqual(150);
		}
		expect(polls).toBeGreaterThanOrEqual(2);
		expect([...seen].sort()).toEqual(expected);
		const resumed = bed.sandbox.stats.requests({ operation: 'ordersV0.getOrders' }).filter((entry) => entry.query.NextToken);
		expect(resumed.length).toBeGreaterThan(0);
	});

	it('a page token Amazon no longer accepts restarts the sweep from the cursor, without duplicates', async () => {
		const trigger = new ActiveTrigger(bed, { startFrom: 'lookback', lookbackHours: 24 * 10, options: { maxOrders: 100 } });
		const first = await trigger.emitted();
		expect(first.length).toBeGreaterThan(50);
		bed.sandbox.faults.failNext(1, 400, { operation: 'ordersV0.getOrders', match: 'NextToken=' });
		const ids = first.map((order) => String(order.AmazonOrderId));
		for (let polls = 0; polls < 20; polls++) {
			const tick = await trigger.poll();
			ids.push(...(tick.items?.[0] ?? []).map((item) => String(item.json.AmazonOrderId)));
			if (!(tick.staticData.orders as { sweep?: unknown }).sweep) break;
		}
		expect(new Set(ids).size).toBe(ids.length);
		const horizon = now - 2 * MINUTE - 10_000;
		expect(ids.sort()).toEqual(
			bed.sandbox.data
				.orders()
				.filter((order) => order.lastUpdateDate >= horizon - 10 * DAY && order.lastUpdateDate <= horizon)
				.map((order) => order.amazonOrderId)
				.sort(),
		);
	});

	it('2026-01-01 orders with lookback, and "Fetch Test Event" shows a sample without remembering anything', async () => {
		const trigger = new ActiveTrigger(bed, { apiVersion: '2026-01-01', startFrom: 'lookback', lookbackHours: 48 });
		const sample = await trigger.poll({ mode: 'manual' });
		expect(sample.items?.[0].length).toBeGreaterThan(0);
		expect(sample.items?.[0].length).toBeLessThanOrEqual(5);
		expect(sample.persisted).toBe(false);
		const orders = await trigger.emitted();
		expect(orders.length).toBeGreaterThan(5);
		expect(orders.every((order) => typeof order.orderId === 'string' && order._event)).toBe(true);
		expect(bed.sandbox.stats.requests({ operation: 'orders2026.searchOrders' }).length).toBeGreaterThanOrEqual(2);
	});
});

describe('Amazon Seller Central Trigger: the getOrders quota', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		// Amazon's real rate, with a burst of 3: the fourth page needs a minute.
		bed = await startAmazonTestbed({ timeScale: 1, ordersPerSeller: 1200, usagePlans: { 'ordersV0.getOrders': { rate: 0.0167, burst: 3 } } });
	});
	afterAll(async () => await bed.close());

	it('a poll that runs into the quota emits what it read and the next poll continues; never a failed execution', async () => {
		const trigger = new ActiveTrigger(bed, { startFrom: 'lookback', lookbackHours: 24 * 60 });
		const first = await trigger.poll({ pollBudgetMs: 5_000 });
		expect(first.error).toBeUndefined();
		expect(first.items?.[0]).toHaveLength(300);
		expect(first.durationMs).toBeLessThan(5_000);
		const state = first.staticData.orders as { sweep?: { next: string } };
		expect(state.sweep?.next).toEqual(expect.any(String));

		// The sandbox's bucket is empty now: Amazon answers 429 until the poll's time is up.
		const second = await trigger.poll({ pollBudgetMs: 5_000 });
		expect(second.error).toBeUndefined();
		expect(second.items).toBeNull();
		expect((second.staticData.orders as { sweep?: { next: string } }).sweep).toEqual(state.sweep);
		expect(bed.sandbox.stats.count429('ordersV0.getOrders')).toBeGreaterThan(0);
		expect(bed.sandbox.contractViolations).toEqual([]);
	});
});

describe('Amazon Seller Central Trigger: settlement reports', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 300 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => expect(bed.sandbox.contractViolations).toEqual([]));

	const settlementsOf = (since: number) =>
		bed.sandbox.data
			.reports()
			.filter((report) => report.reportType === 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2' && report.createdTime >= since)
			.map((report) => report.reportId)
			.sort();

	it('from now: remembers what exists, then emits each new settlement report once', async () => {
		const trigger = new ActiveTrigger(bed, { event: 'settlementReport' });
		expect(await trigger.emitted()).toEqual([]);
		expect(settlementsOf(0).length).toBeGreaterThan(3);

		const { reportId } = bed.sandbox.addReport({
			reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
			content: 'settlement-id\tsettlement-start-date\n',
			// Listed late, with a createdTime a day back.
			createdTime: Date.now() - DAY,
		});
		const next = await trigger.emitted();
		expect(next.map((report) => report.reportId)).toEqual([reportId]);
		expect(await trigger.emitted()).toEqual([]);
		const [list] = bed.sandbox.stats.requests({ operation: 'reports.getReports' });
		expect(list.query).toMatchObject({ reportTypes: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', processingStatuses: 'DONE' });
	});

	it('look back: the first poll emits the settlement reports of that period, oldest first', async () => {
		const since = Date.now() - 45 * DAY;
		const trigger = new ActiveTrigger(bed, { event: 'settlementReport', startFrom: 'lookback', lookbackHours: 45 * 24 });
		const reports = await trigger.emitted();
		expect(reports.map((report) => String(report.reportId)).sort()).toEqual(settlementsOf(since + 60_000));
		const created = reports.map((report) => String(report.createdTime));
		expect([...created].sort()).toEqual(created);
	});
});

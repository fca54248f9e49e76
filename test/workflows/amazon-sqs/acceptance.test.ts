/**
 * Issue 4 acceptance: "SQS trigger: 1 000 notifications with duplicates and a crash between emit
 * and delete → every notification emitted, none lost."
 *
 * 1 000 SP-API notifications of the five types with official schemas (each validated against
 * Amazon's schema) plus 150 duplicate deliveries (same NotificationId, new SQS message: 100 right
 * behind their original, 50 arriving later), polled once a "minute" (the sandbox clock moves 60 s
 * per poll) through n8n-core's real poll executor.
 *
 * - Without a crash: every notification is emitted exactly once and the queue ends empty.
 * - With crashes: (A) a poll emits and n8n dies before its static data is saved, so the next
 *   process starts from the state before that poll; (B) after a saved poll, the process is down
 *   longer than the visibility timeout and someone fetches a test event meanwhile, so the saved
 *   receipts go stale. Every notification is still emitted, none lost, the queue ends empty;
 *   only (A)'s notifications are emitted a second time, with the same notificationId.
 */
import type { IDataObject } from 'n8n-workflow';

import { validateNotificationPayload } from '../../contract/spapi-contract';
import { StaticDataStore } from '../../harness';
import { type SqsSandbox } from '../../sandbox/sqs';
import { BUILDERS, SCHEMA_KINDS } from '../../sandbox/sqs/notifications';
import { ActiveSqsTrigger, emitted, startSqsTestbed, type SqsTestbed } from './helpers';

const TOTAL = 1_000;
const POLL_INTERVAL_MS = 60_000;
const MAX_POLLS = 80;

function buildNotifications(): Array<Record<string, unknown>> {
	const list: Array<Record<string, unknown>> = [];
	for (let n = 0; n < TOTAL; n++) {
		const kind = SCHEMA_KINDS[n % SCHEMA_KINDS.length];
		const notification = BUILDERS[kind]({ n, notificationId: `acceptance-${String(n).padStart(4, '0')}` });
		const { violations } = validateNotificationPayload(kind, notification);
		if (violations.length) throw new Error(`fixture ${n} (${kind}) violates Amazon's schema: ${violations.join('; ')}`);
		list.push(notification);
	}
	return list;
}

interface Delivery {
	messageIds: string[];
	late: Array<Record<string, unknown>>;
}

/** Every notification once, every 10th twice in a row; 50 more duplicates kept for later. */
function deliverAll(sqs: SqsSandbox, notifications: Array<Record<string, unknown>>): Delivery {
	const messageIds: string[] = [];
	notifications.forEach((notification, n) => {
		messageIds.push(sqs.send('sp-api-notifications', JSON.stringify(notification)));
		if (n % 10 === 0) messageIds.push(sqs.send('sp-api-notifications', JSON.stringify(notification)));
	});
	const late = notifications.filter((_, n) => n % 20 === 5);
	return { messageIds, late };
}

function deliverLate(sqs: SqsSandbox, delivery: Delivery): void {
	for (const notification of delivery.late) delivery.messageIds.push(sqs.send('sp-api-notifications', JSON.stringify(notification)));
}

async function drain(trigger: ActiveSqsTrigger, sqs: SqsSandbox, afterPoll?: (poll: number) => Promise<void>): Promise<void> {
	for (let poll = 0; poll < MAX_POLLS; poll++) {
		const tick = await trigger.poll();
		if (tick.error) throw tick.error;
		await afterPoll?.(poll);
		sqs.clock.advance(POLL_INTERVAL_MS);
		if (tick.items === null && sqs.counts().total === 0 && (trigger.state().pending as unknown[]).length === 0) return;
	}
	throw new Error(`the queue did not drain within ${MAX_POLLS} polls: ${JSON.stringify(sqs.counts())}`);
}

function emittedItems(trigger: ActiveSqsTrigger): IDataObject[] {
	return trigger.ticks.flatMap(emitted);
}

describe('acceptance: 1 000 notifications with duplicates', () => {
	let bed: SqsTestbed;
	let notifications: Array<Record<string, unknown>>;
	const allIds = Array.from({ length: TOTAL }, (_, n) => `acceptance-${String(n).padStart(4, '0')}`);

	beforeAll(() => {
		notifications = buildNotifications();
	});
	beforeEach(async () => {
		bed = await startSqsTestbed();
	});
	afterEach(async () => {
		await bed.close();
	});

	it('without a crash: every notification emitted exactly once, the queue ends empty', async () => {
		const delivery = deliverAll(bed.sqs, notifications);
		const trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
		await drain(trigger, bed.sqs, async (poll) => {
			if (poll === 3) deliverLate(bed.sqs, delivery);
		});

		const items = emittedItems(trigger);
		const ids = items.map((item) => String(item.notificationId));
		expect(delivery.messageIds).toHaveLength(TOTAL + 100 + 50);
		expect(new Set(ids).size).toBe(ids.length); // nothing twice
		expect([...ids].sort()).toEqual(allIds);
		for (const item of items) {
			expect(item.valid).toBe(true);
			expect(validateNotificationPayload(String(item.notificationType), item.notification).violations).toEqual([]);
		}
		expect(bed.sqs.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0, total: 0 });
		expect(new Set(bed.sqs.deletedIds())).toEqual(new Set(delivery.messageIds));
	});

	it('with a crash between emit and delete: every notification emitted, none lost; re-emissions carry the same notificationId', async () => {
		const delivery = deliverAll(bed.sqs, notifications);
		const trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());

		// Two ordinary polls.
		for (let i = 0; i < 2; i++) {
			expect((await trigger.poll()).error).toBeUndefined();
			bed.sqs.clock.advance(POLL_INTERVAL_MS);
		}

		// Crash B: a saved poll, then the process is down longer than the visibility timeout and
		// someone fetches a test event meanwhile: the saved receipts are stale when it restarts.
		const saved = await trigger.poll();
		expect(saved.persisted).toBe(true);
		const crashBIds = new Set(emitted(saved).map((item) => String(item.notificationId)));
		bed.sqs.clock.advance(601_000);
		const testFetch = await trigger.poll({ mode: 'manual' });
		const fetched = emitted(testFetch).map((item) => String(item.notificationId));
		expect(fetched.length).toBeGreaterThan(0);
		expect(fetched.every((id) => crashBIds.has(id))).toBe(true);
		const restart = await trigger.poll();
		expect(restart.error).toBeUndefined();
		bed.sqs.clock.advance(POLL_INTERVAL_MS);

		// Crash A: the poll emits (n8n starts the execution), then the process dies before the
		// static data is saved. The restarted process has the state from before this poll.
		const lostSave = await trigger.poll({ staticData: new StaticDataStore(trigger.staticData.get()) });
		expect(lostSave.error).toBeUndefined();
		const crashA = emitted(lostSave);
		expect(crashA.length).toBeGreaterThan(0);
		const crashAIds = new Set(crashA.map((item) => String(item.notificationId)));
		bed.sqs.clock.advance(POLL_INTERVAL_MS);

		// More polls; late duplicates arrive.
		for (let i = 0; i < 2; i++) {
			expect((await trigger.poll()).error).toBeUndefined();
			bed.sqs.clock.advance(POLL_INTERVAL_MS);
		}
		deliverLate(bed.sqs, delivery);

		await drain(trigger, bed.sqs);

		// Emissions of the active workflow, in order: every tick (the crashed one included: n8n got
		// its items) but the editor's test fetch.
		const activeItems = trigger.ticks.filter((tick) => tick !== testFetch).flatMap(emitted);
		const ids = activeItems.map((item) => String(item.notificationId));

		// Every notification emitted, none lost.
		expect([...new Set(ids)].sort()).toEqual(allIds);
		// The queue ends empty and every delivered message was deleted.
		expect(bed.sqs.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0, total: 0 });
		expect(new Set(bed.sqs.deletedIds())).toEqual(new Set(delivery.messageIds));

		// Duplicates: only crash A's notifications (its receipts and seen-set were never saved)
		// come twice, once each, with the same notificationId and notification.
		const counts = new Map<string, number>();
		for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
		const twice = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
		expect(twice.length).toBeGreaterThan(0);
		for (const id of twice) {
			expect(crashAIds.has(id)).toBe(true);
			expect(counts.get(id)).toBe(2);
			const copies = activeItems.filter((item) => item.notificationId === id);
			expect(copies[1].notification).toEqual(copies[0].notification);
		}
		// Crash B's notifications were recognised from the saved seen-set: never emitted again.
		for (const id of crashBIds) expect(counts.get(id)).toBe(1);
		// …and the stale receipts really made them come back: the first poll after the restart
		// received the test-fetched messages again and deleted them as known duplicates.
		const finished = restart.logs.find((log) => log.message === 'Amazon SQS trigger: poll finished');
		expect(Number(finished?.metadata?.duplicates)).toBeGreaterThanOrEqual(fetched.length);
		for (const id of fetched) expect(counts.get(id)).toBe(1);
	});
});

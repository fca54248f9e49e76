/**
 * The Amazon SQS Notification Trigger through n8n-core's real PollContext and poll executor
 * (test/harness runPoll), against the SQS sandbox under the real host name.
 */
import { validateNotificationPayload } from '../../contract/spapi-contract';
import { findSecretLeaks } from '../../harness';
import { BUILDERS, notificationIdOf } from '../../sandbox/sqs/notifications';
import { ActiveSqsTrigger, deliver, emitted, startSqsTestbed, type SqsTestbed } from './helpers';

describe('Amazon SQS Notification Trigger', () => {
	let bed: SqsTestbed;
	let trigger: ActiveSqsTrigger;

	beforeEach(async () => {
		bed = await startSqsTestbed();
		trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
	});
	afterEach(async () => {
		await bed.close();
	});

	it('emits parsed notifications and deletes them only at the next poll, after n8n has them', async () => {
		const notifications = [BUILDERS.ORDER_CHANGE({ n: 1 }), BUILDERS.REPORT_PROCESSING_FINISHED({ n: 2 }), BUILDERS.FBA_INVENTORY_AVAILABILITY_CHANGES({ n: 3 })];
		const messageIds = deliver(bed.sqs, notifications);

		const first = await trigger.poll();
		expect(first.error).toBeUndefined();
		expect(first.persisted).toBe(true);
		const items = emitted(first);
		expect(items.map((item) => item.notificationId)).toEqual(notifications.map(notificationIdOf));
		expect(items[0]).toMatchObject({
			valid: true,
			notificationType: 'ORDER_CHANGE',
			amazonOrderId: expect.stringMatching(/^\d{3}-\d{7}-\d{7}$/),
			sellerId: 'A3TH9S8BH6GOGM',
			messageId: messageIds[0],
			receiveCount: 1,
			sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			notification: notifications[0],
			_trace: { source: { system: 'Amazon Seller Central', id: notificationIdOf(notifications[0]) }, target: { system: 'Amazon SQS', id: messageIds[0] }, action: 'read' },
		});
		expect(items[1]).toMatchObject({ notificationType: 'REPORT_PROCESSING_FINISHED', reportId: '54517018002', reportDocumentId: expect.stringMatching(/^amzn1\.tortuga/) });
		expect(items[2]).toMatchObject({ notificationType: 'FBA_INVENTORY_AVAILABILITY_CHANGES', sku: 'FBA-SKU-3', asin: 'B000000003' });
		for (const item of items) expect(validateNotificationPayload(String(item.notificationType), item.notification).violations).toEqual([]);

		// Nothing deleted yet: the messages are in flight, their receipts are in static data.
		expect(bed.sqs.deletedIds()).toEqual([]);
		expect(bed.sqs.counts()).toMatchObject({ inFlight: 3, visible: 0 });
		expect(trigger.state().pending).toHaveLength(3);

		const second = await trigger.poll();
		expect(second.items).toBeNull();
		expect(bed.sqs.deletedIds().sort()).toEqual([...messageIds].sort());
		expect(bed.sqs.counts().total).toBe(0);
		expect(trigger.state().pending).toEqual([]);
		expect(Object.keys(trigger.state().seen as object).sort()).toEqual(notifications.map(notificationIdOf).sort());
	});

	it('asks SQS for up to 10 messages per call with long polling, its visibility timeout and the receive attributes', async () => {
		deliver(bed.sqs, Array.from({ length: 25 }, (_, n) => BUILDERS.ORDER_CHANGE({ n })));
		trigger.parameters = { options: { visibilityTimeout: 900, waitTime: 15 } };
		expect(await trigger.items()).toHaveLength(25);
		const receives = bed.sqs.stats.requests({ action: 'ReceiveMessage' });
		expect(receives.map((entry) => entry.returned)).toEqual([10, 10, 5, 0]);
		expect(bed.sqs.messages().every((message) => message.visibleAt - bed.sqs.clock.now() > 899_000)).toBe(true);
	});

	it('Max Messages per Poll bounds a poll; the rest waits for the next one', async () => {
		deliver(bed.sqs, Array.from({ length: 35 }, (_, n) => BUILDERS.LISTINGS_ITEM_MFN_QUANTITY_CHANGE({ n })));
		trigger.parameters = { options: { maxMessages: 15 } };
		expect(await trigger.items()).toHaveLength(15);
		expect(await trigger.items()).toHaveLength(15);
		expect(await trigger.items()).toHaveLength(5);
		expect(await trigger.items()).toHaveLength(0);
		expect(bed.sqs.counts().total).toBe(0);
	});

	it('manual mode ("Fetch Test Event") shows notifications but deletes and remembers nothing', async () => {
		deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 }), BUILDERS.TRANSACTION_UPDATE({ n: 2 })]);
		const test = await trigger.poll({ mode: 'manual' });
		expect(emitted(test).map((item) => item.notificationType)).toEqual(['ORDER_CHANGE', 'TRANSACTION_UPDATE']);
		expect(test.persisted).toBe(false);
		expect(trigger.staticData.saves).toEqual([]);
		expect(bed.sqs.stats.count('DeleteMessageBatch')).toBe(0);
		expect(bed.sqs.counts()).toMatchObject({ visible: 2, inFlight: 0 });
		// The active workflow still gets both.
		expect(await trigger.items()).toHaveLength(2);
	});

	it('filters by notification type; other types are deleted without emitting, or left when asked', async () => {
		const order = BUILDERS.ORDER_CHANGE({ n: 1 });
		deliver(bed.sqs, [order, BUILDERS.REPORT_PROCESSING_FINISHED({ n: 1 }), BUILDERS.TRANSACTION_UPDATE({ n: 1 })]);
		trigger.parameters = { notificationTypes: ['ORDER_CHANGE'] };
		expect((await trigger.items()).map((item) => item.notificationId)).toEqual([notificationIdOf(order)]);
		expect(bed.sqs.deletedIds()).toHaveLength(2); // the two other types, at once
		await trigger.items();
		expect(bed.sqs.counts().total).toBe(0);

		deliver(bed.sqs, [BUILDERS.REPORT_PROCESSING_FINISHED({ n: 2 })]);
		trigger.parameters = { notificationTypes: ['ORDER_CHANGE'], options: { otherTypes: 'leave' } };
		expect(await trigger.items()).toEqual([]);
		expect(bed.sqs.counts()).toMatchObject({ total: 1, inFlight: 1 });
	});

	it('a body that is not an SP-API notification is emitted flagged with the reason, then deleted like the rest', async () => {
		const [id] = deliver(bed.sqs, [{ hello: 'world' }]);
		bed.sqs.send('sp-api-notifications', 'plain text');
		const items = await trigger.items();
		expect(items).toEqual([
			expect.objectContaining({ valid: false, error: expect.stringMatching(/no NotificationType/), body: '{"hello":"world"}', messageId: id, notificationId: null }),
			expect.objectContaining({ valid: false, error: expect.stringMatching(/not JSON/), body: 'plain text' }),
		]);
		await trigger.items();
		expect(bed.sqs.counts().total).toBe(0);
	});

	it('"Leave in Queue" for invalid messages: never emitted or deleted, so a dead-letter queue can take them', async () => {
		await bed.close();
		bed = await startSqsTestbed({ queues: [{ name: 'sp-api-notifications', redrive: { deadLetterQueue: 'dlq', maxReceiveCount: 2 } }, { name: 'dlq' }] });
		trigger = new ActiveSqsTrigger(() => bed.sqs.credentials({ queue: 'sp-api-notifications' }), { options: { invalidMessages: 'leave', visibilityTimeout: 60 } });
		const [id] = deliver(bed.sqs, [{ not: 'a notification' }]);
		for (let i = 0; i < 3; i++) {
			expect(await trigger.items()).toEqual([]);
			bed.sqs.clock.advance(61_000);
		}
		expect(bed.sqs.deletedIds()).toEqual([]);
		expect(bed.sqs.messages('dlq').map((message) => message.messageId)).toEqual([id]);
	});

	it('duplicates by notification id (in one poll and across polls) are emitted once and all deleted', async () => {
		const a = BUILDERS.ORDER_CHANGE({ n: 1 });
		const b = BUILDERS.ORDER_CHANGE({ n: 2 });
		deliver(bed.sqs, [a, b, a]);
		expect((await trigger.items()).map((item) => item.notificationId)).toEqual([notificationIdOf(a), notificationIdOf(b)]);
		deliver(bed.sqs, [b, a]);
		expect(await trigger.items()).toEqual([]);
		await trigger.items();
		expect(bed.sqs.counts().total).toBe(0);
		expect(bed.sqs.deletedIds()).toHaveLength(5);
	});

	it('a message back before it was deleted (someone else received it in between) is recognised and deleted, not emitted twice', async () => {
		const [id] = deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		expect(await trigger.items()).toHaveLength(1);
		// "Fetch Test Event" in the editor receives it again: the trigger's receipt is now stale.
		bed.sqs.clock.advance(601_000);
		expect(await trigger.items({ mode: 'manual' })).toHaveLength(1);
		const next = await trigger.poll();
		expect(next.items).toBeNull();
		expect(bed.sqs.deletedIds()).toEqual([id]);
		expect(bed.sqs.counts().total).toBe(0);
	});

	it('a body whose MD5 does not match is neither emitted nor deleted; its redelivery is', async () => {
		const [id] = deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		bed.sqs.faults.damageNextBodies(1);
		const damaged = await trigger.poll();
		expect(damaged.items).toBeNull();
		expect(damaged.logs.some((log) => log.level === 'warn' && /does not match its MD5/.test(log.message))).toBe(true);
		expect(bed.sqs.deletedIds()).toEqual([]);
		bed.sqs.clock.advance(601_000);
		expect((await trigger.items()).map((item) => item.messageId)).toEqual([id]);
	});

	it('a poll that fails after nothing was deleted loses nothing: the messages come back and are emitted', async () => {
		deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		bed.sqs.faults.failNext(50, 503, { action: 'ReceiveMessage' });
		const failed = await trigger.poll({ pollBudgetMs: 3_000 });
		expect(failed.error?.message).toMatch(/Amazon SQS failed \(HTTP 503\) for ReceiveMessage/);
		expect(failed.persisted).toBe(false);
		bed.sqs.faults.clear();
		expect(await trigger.items()).toHaveLength(1);
	});
});

describe('Amazon SQS Notification Trigger: secrets', () => {
	it('a canary secret and session token never appear in outputs, errors or logs', async () => {
		const secret = 'CANARY/secret+AbCdEfGhIjKlMnOpQrStUvWxYz0123';
		const token = 'CANARY-session-token-0123456789abcdefghijklmnop';
		const bed = await startSqsTestbed({ keys: [{ accessKeyId: 'ASIACANARYKEY0000001', secretAccessKey: secret, sessionToken: token }] });
		try {
			const trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
			deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
			const ok = await trigger.poll();
			const manual = await trigger.poll({ mode: 'manual' });
			bed.sqs.faults.failNext(50, 'RequestThrottled');
			const throttled = await trigger.poll({ pollBudgetMs: 2_000 });
			bed.sqs.faults.clear();
			const wrongSecret = await trigger.poll({ credentials: { ...bed.sqs.credentials(), secretAccessKey: `${secret}X` } });
			bed.sqs.key().expired = true;
			const expired = await trigger.poll();
			expect(throttled.error).toBeDefined();
			expect(wrongSecret.error).toBeDefined();
			expect(expired.error?.message).toMatch(/session token .* has expired/);
			for (const tick of [ok, manual, throttled, wrongSecret, expired]) {
				expect(findSecretLeaks([secret, token, encodeURIComponent(secret)], { items: tick.items, error: tick.error, logs: tick.logs, staticData: tick.staticData })).toEqual([]);
			}
		} finally {
			await bed.close();
		}
	});
});


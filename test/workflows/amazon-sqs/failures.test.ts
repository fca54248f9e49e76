/**
 * The SQS trigger under failure: transient faults retried, delete failures that lose nothing and
 * do not block the trigger, errors that say what to fix, the poll budget, the host lock, and the
 * credential test as n8n runs it.
 */
import nock from 'nock';

import { findSecretLeaks, loadPackageNodeTypes, loadWorkflowJson, runCredentialTest, runWorkflow } from '../../harness';
import { createHarnessHttpNode, HARNESS_HTTP_TYPE } from '../../harness/fixtures/HarnessHttp.node';
import { BUILDERS, notificationIdOf } from '../../sandbox/sqs/notifications';
import { ActiveSqsTrigger, CREDENTIAL_TYPE, deliver, emitted, startSqsTestbed, type SqsTestbed } from './helpers';

// Unpatch Node's http module after the last test: jest shares it with the next file of this worker.
afterAll(() => nock.restore());

describe('SQS trigger: transient faults are retried', () => {
	let bed: SqsTestbed;
	let trigger: ActiveSqsTrigger;

	beforeEach(async () => {
		bed = await startSqsTestbed();
		trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
	});
	afterEach(async () => {
		await bed.close();
	});

	it.each([
		['503', () => bed.sqs.faults.failNext(2, 503, { action: 'ReceiveMessage' })],
		['500', () => bed.sqs.faults.failNext(2, 500, { action: 'ReceiveMessage' })],
		['ThrottlingException (400)', () => bed.sqs.faults.failNext(2, 'ThrottlingException', { action: 'ReceiveMessage' })],
		['RequestThrottled (403)', () => bed.sqs.faults.failNext(2, 'RequestThrottled', { action: 'ReceiveMessage' })],
		['a reset connection', () => bed.sqs.faults.resetNext(2, { action: 'ReceiveMessage' })],
	])('ReceiveMessage after %s', async (_name, arm) => {
		deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		arm();
		const tick = await trigger.poll();
		expect(tick.error).toBeUndefined();
		expect(emitted(tick)).toHaveLength(1);
		const attempts = bed.sqs.stats.requests({ action: 'ReceiveMessage' });
		expect(attempts.slice(0, 3).map((entry) => entry.injected || entry.reset)).toEqual([true, true, false]);
	});

	it('DeleteMessageBatch after 503 and throttling', async () => {
		deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		await trigger.items();
		bed.sqs.faults.failNext(1, 503, { action: 'DeleteMessageBatch' });
		bed.sqs.faults.failNext(1, 'RequestThrottled', { action: 'DeleteMessageBatch' });
		await trigger.items();
		expect(bed.sqs.counts().total).toBe(0);
		expect(bed.sqs.stats.requests({ action: 'DeleteMessageBatch' }).map((entry) => entry.status)).toEqual([503, 403, 200]);
	});
});

describe('SQS trigger: delete failures lose nothing and do not block', () => {
	let bed: SqsTestbed;
	let trigger: ActiveSqsTrigger;

	beforeEach(async () => {
		bed = await startSqsTestbed();
		trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
	});
	afterEach(async () => {
		await bed.close();
	});

	it('partial batch failure: failed entries stay pending and are deleted next poll', async () => {
		const ids = deliver(bed.sqs, Array.from({ length: 5 }, (_, n) => BUILDERS.ORDER_CHANGE({ n })));
		await trigger.items();
		bed.sqs.faults.failBatchEntries(2, { code: 'InternalError', senderFault: false });
		await trigger.items();
		expect(bed.sqs.counts().total).toBe(2);
		expect(trigger.state().pending).toHaveLength(2);
		await trigger.items();
		expect(bed.sqs.counts().total).toBe(0);
		expect(bed.sqs.deletedIds().sort()).toEqual([...ids].sort());
	});

	it('a receipt SQS calls invalid is dropped with a warning; the message, if it returns, is recognised', async () => {
		deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		await trigger.items();
		bed.sqs.faults.failBatchEntries(1, { code: 'ReceiptHandleIsInvalid', senderFault: true, message: 'The receipt handle has expired.' });
		const tick = await trigger.poll();
		expect(tick.items).toBeNull();
		expect(tick.logs.some((log) => log.level === 'warn' && /refused a receipt handle/.test(log.message))).toBe(true);
		expect(trigger.state().pending).toEqual([]);
		bed.sqs.clock.advance(601_000);
		const again = await trigger.poll();
		expect(again.items).toBeNull(); // recognised by its notification id and deleted
		expect(bed.sqs.counts().total).toBe(0);
	});

	it('deletes failing after every retry: the poll still emits new notifications, and the deletes happen later', async () => {
		const first = deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 1 })]);
		await trigger.items();
		deliver(bed.sqs, [BUILDERS.ORDER_CHANGE({ n: 2 })]);
		bed.sqs.faults.failNext(6, 503, { action: 'DeleteMessageBatch' });
		const tick = await trigger.poll();
		expect(tick.error).toBeUndefined();
		expect(emitted(tick)).toHaveLength(1);
		expect(tick.logs.some((log) => log.level === 'warn' && /tried again next poll/.test(log.message))).toBe(true);
		expect(trigger.state().pending).toHaveLength(2);
		await trigger.items();
		expect(bed.sqs.deletedIds()).toContain(first[0]);
		expect(bed.sqs.counts().total).toBe(0);
	});

	it('missing sqs:DeleteMessage permission fails the poll with what to fix; after the fix nothing is lost or emitted twice', async () => {
		const key = bed.sqs.key();
		key.deny = ['DeleteMessageBatch'];
		const notifications = [BUILDERS.ORDER_CHANGE({ n: 1 }), BUILDERS.ORDER_CHANGE({ n: 2 })];
		deliver(bed.sqs, notifications);
		const first = await trigger.poll();
		expect(emitted(first)).toHaveLength(2);
		const denied = await trigger.poll();
		expect(denied.error?.message).toMatch(/AWS denied DeleteMessageBatch on sp-api-notifications/);
		expect((denied.error as { description?: string }).description).toMatch(/sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on arn:aws:sqs:us-east-1:/);
		expect(denied.errorKind).toBe('auth');
		expect(denied.persisted).toBe(false);
		key.deny = [];
		bed.sqs.clock.advance(601_000); // the messages even came back meanwhile
		const fixed = await trigger.poll();
		expect(fixed.items).toBeNull();
		expect(bed.sqs.counts().total).toBe(0);
		const emittedIds = trigger.ticks.flatMap(emitted).map((item) => item.notificationId);
		expect(emittedIds.sort()).toEqual(notifications.map(notificationIdOf).sort());
	});
});

describe('SQS trigger: errors that say what to fix', () => {
	let bed: SqsTestbed;

	beforeAll(async () => {
		bed = await startSqsTestbed({ extraRegions: ['eu-west-1'], queues: [{ name: 'sp-api-notifications' }] });
	});
	afterAll(async () => {
		await bed.close();
	});
	beforeEach(() => {
		bed.sqs.stats.reset();
		bed.sqs.awsClockOffsetMs = 0;
	});

	const pollWith = async (credentials: Record<string, unknown>) => await new ActiveSqsTrigger(() => ({ ...bed.sqs.credentials(), ...credentials })).poll();

	it('an unknown access key → 403, errorKind auth, names the access key', async () => {
		const tick = await pollWith({ accessKeyId: 'AKIANOTAREALKEY00000' });
		expect(tick.error?.message).toBe('AWS does not know the access key of the AWS SQS credential: The security token included in the request is invalid. [InvalidClientTokenId]');
		expect((tick.error as { httpCode?: string }).httpCode).toBe('403');
		expect(tick.errorKind).toBe('auth');
	});

	it('a wrong secret → 403 SignatureDoesNotMatch, pointing at the secret', async () => {
		const tick = await pollWith({ secretAccessKey: 'wrong-secret-value-000000000000000000000' });
		expect(tick.error?.message).toMatch(/^AWS rejected the request signature: .*\[SignatureDoesNotMatch\]$/);
		expect((tick.error as { description?: string }).description).toMatch(/Secret Access Key does not belong to the Access Key ID/);
		expect(findSecretLeaks(['wrong-secret-value-000000000000000000000'], { error: tick.error, logs: tick.logs })).toEqual([]);
	});

	it('the n8n host clock off by 20 minutes → "Signature expired", pointing at the clock', async () => {
		bed.sqs.awsClockOffsetMs = 20 * 60_000;
		const tick = await pollWith({});
		expect(tick.error?.message).toMatch(/^AWS rejected the request time: Signature expired/);
		expect((tick.error as { description?: string }).description).toMatch(/clock of the n8n host is off/);
	});

	it('a region that does not match the queue URL fails before any request', async () => {
		const tick = await pollWith({ region: 'eu-west-1' });
		expect(tick.error?.message).toBe("The credential's region (eu-west-1) does not match the queue URL's region (us-east-1)");
		expect((tick.error as { description?: string }).description).toMatch(/set Region to us-east-1/);
		expect(bed.sqs.stats.log).toEqual([]);
	});

	it('a queue that does not exist (or lives in another region) → clear message', async () => {
		const missing = await pollWith({ queueUrl: `https://sqs.us-east-1.amazonaws.com/${bed.sqs.accountId}/no-such-queue` });
		expect(missing.error?.message).toBe(`The queue no-such-queue does not exist in us-east-1 for account ${bed.sqs.accountId}`);
		const elsewhere = await pollWith({ region: 'eu-west-1', queueUrl: `https://sqs.eu-west-1.amazonaws.com/${bed.sqs.accountId}/sp-api-notifications` });
		expect(elsewhere.error?.message).toBe(`The queue sp-api-notifications does not exist in eu-west-1 for account ${bed.sqs.accountId}`);
	});

	it('a queue URL that is not an SQS host is refused before anything is sent', async () => {
		const tick = await pollWith({ queueUrl: 'https://evil.example.com/123456789012/q' });
		expect(tick.error?.message).toBe('evil.example.com is not an Amazon SQS queue host');
		expect(bed.sqs.stats.log).toEqual([]);
	});
});

describe('SQS trigger: the poll budget', () => {
	it('an empty queue: the long poll shrinks to fit the budget', async () => {
		const bed = await startSqsTestbed({ waitScale: 1 });
		try {
			const trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
			const tick = await trigger.poll({ pollBudgetMs: 2_500 });
			expect(tick.items).toBeNull();
			expect(tick.durationMs).toBeLessThan(2_500);
			const waits = bed.sqs.stats.requests({ action: 'ReceiveMessage' });
			expect(waits).toHaveLength(1);
		} finally {
			await bed.close();
		}
	});

	it('an empty queue with room in the budget: one long poll, as long as the budget allows', async () => {
		const bed = await startSqsTestbed({ waitScale: 0.5 });
		try {
			const trigger = new ActiveSqsTrigger(() => bed.sqs.credentials());
			const tick = await trigger.poll({ pollBudgetMs: 6_000 }); // 3.6 s to spend: WaitTimeSeconds 2 (1 s real here)
			expect(tick.items).toBeNull();
			expect(tick.durationMs).toBeGreaterThanOrEqual(900);
			expect(tick.durationMs).toBeLessThan(3_600);
			expect(bed.sqs.stats.requests({ action: 'ReceiveMessage' })).toHaveLength(1);
		} finally {
			await bed.close();
		}
	});

	it('a full queue on a slow link: the poll stops within its budget and the rest stays queued', async () => {
		const bed = await startSqsTestbed();
		try {
			deliver(bed.sqs, Array.from({ length: 200 }, (_, n) => BUILDERS.ORDER_CHANGE({ n })));
			bed.sqs.faults.latencyMs = 150;
			bed.sqs.faults.latencyAction = 'ReceiveMessage';
			const trigger = new ActiveSqsTrigger(() => bed.sqs.credentials(), { options: { maxMessages: 1000 } });
			const tick = await trigger.poll({ pollBudgetMs: 4_000 }); // 2.4 s of it for SQS, 150 ms per receive
			const count = emitted(tick).length;
			expect(tick.durationMs).toBeLessThan(4_000);
			expect(count).toBeGreaterThanOrEqual(50);
			expect(count).toBeGreaterThan(0);
			expect(count).toBeLessThan(200);
			expect(bed.sqs.counts()).toMatchObject({ inFlight: count, visible: 200 - count });
		} finally {
			await bed.close();
		}
	});
});

describe('AWS SQS credential', () => {
	let bed: SqsTestbed;

	beforeAll(async () => {
		bed = await startSqsTestbed({ keys: [{ accessKeyId: 'AKIACREDTEST00000001', secretAccessKey: 'CANARY/credential+test/secret/000000000000' }] });
	});
	afterAll(async () => {
		await bed.close();
	});

	it('the credential test (as n8n runs it) passes with a working key and calls GetQueueAttributes', async () => {
		const result = await runCredentialTest({ type: CREDENTIAL_TYPE, data: bed.sqs.credentials() });
		expect(result).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		expect(bed.sqs.stats.requests({ action: 'GetQueueAttributes' }).at(-1)).toMatchObject({ status: 200, accessKeyId: 'AKIACREDTEST00000001' });
	});

	it.each([
		[{ secretAccessKey: 'wrong' }, /AWS refused the key \(HTTP 403\)/],
		[{ accessKeyId: 'AKIAUNKNOWN000000000' }, /AWS refused the key \(HTTP 403\)/],
		[{ queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/missing' }, /queue in the Queue URL may not exist/],
		[{ region: 'eu-west-1' }, /does not match the queue URL's region \(us-east-1\)/],
		[{ queueUrl: 'https://evil.example.com/123456789012/q' }, /not an Amazon SQS queue host/],
	])('fails with a message that says what to fix: %j', async (change, message) => {
		const result = await runCredentialTest({ type: CREDENTIAL_TYPE, data: { ...bed.sqs.credentials(), ...change } });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toContain('CANARY');
	});

	it('credentials are never sent to another host: authenticate refuses before anything leaves', async () => {
		let reached = 0;
		const interceptor = nock('https://evil.example.com').get(/.*/);
		interceptor.reply(() => {
			reached++;
			return [200, {}];
		});
		try {
			const types = loadPackageNodeTypes({ extraNodeTypes: { [HARNESS_HTTP_TYPE]: createHarnessHttpNode(undefined, CREDENTIAL_TYPE) } });
			const workflow = loadWorkflowJson('test/harness/fixtures/oauth-items.workflow.json', { __API_BASE__: 'https://evil.example.com', '"harnessOAuth2Api"': `"${CREDENTIAL_TYPE}"` });
			const result = await runWorkflow({ workflow, types, credentials: { [CREDENTIAL_TYPE]: bed.sqs.credentials() }, startItems: [{ json: { id: 1 } }], timeoutMs: 10_000 });
			expect(result.status).toBe('error');
			expect(String(result.error?.message)).toMatch(/Refused to sign a request for https:\/\/evil\.example\.com/);
			expect(reached).toBe(0);
			expect(findSecretLeaks([bed.sqs.key().secretAccessKey], { error: result.error, logs: result.logs })).toEqual([]);
		} finally {
			nock.removeInterceptor(interceptor);
		}
	});
});

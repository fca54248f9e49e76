/**
 * SQS queue behaviour over real HTTP (signed requests to 127.0.0.1): receive, delete, batches,
 * visibility, receipt handles, long polling, attributes, purge, redrive, regions.
 */
import { createHash } from 'node:crypto';

import { type SqsSandbox, startSqsSandbox } from './index';
import { type SqsCallOptions, sqsCall } from './test-client';

describe('SQS sandbox: queues', () => {
	let sqs: SqsSandbox;
	let options: SqsCallOptions;
	let queueUrl: string;

	beforeEach(async () => {
		sqs = await startSqsSandbox({
			waitScale: 0.02,
			queues: [{ name: 'sp-api-notifications', visibilityTimeout: 30 }, { name: 'dead-letters' }, { name: 'with-dlq', redrive: { deadLetterQueue: 'dead-letters', maxReceiveCount: 2 } }],
		});
		const key = sqs.key();
		options = { endpoint: sqs.url, region: sqs.region, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } };
		queueUrl = sqs.queueUrl();
	});
	afterEach(async () => {
		await sqs.close();
	});

	const call = (action: string, payload: Record<string, unknown>) => sqsCall(action, { QueueUrl: queueUrl, ...payload }, options);

	it('ReceiveMessage returns the wire shape: MessageId, ReceiptHandle, MD5OfBody, Body, requested Attributes; an empty queue answers {}', async () => {
		const id = sqs.send('sp-api-notifications', '{"hello":"wörld"}');
		const answer = await call('ReceiveMessage', { MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'] });
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.0');
		expect(answer.headers.get('x-amzn-requestid')).toEqual(expect.any(String));
		const messages = answer.body.Messages as Array<Record<string, unknown>>;
		expect(messages).toHaveLength(1);
		expect(messages[0]).toEqual({
			MessageId: id,
			ReceiptHandle: expect.stringMatching(/^AQEB/),
			MD5OfBody: createHash('md5').update('{"hello":"wörld"}', 'utf8').digest('hex'),
			Body: '{"hello":"wörld"}',
			Attributes: { ApproximateReceiveCount: '1', SentTimestamp: expect.stringMatching(/^\d{13}$/) },
		});
		const empty = await call('ReceiveMessage', {});
		expect(empty.status).toBe(200);
		expect(empty.body).toEqual({});
	});

	it('the deprecated AttributeNames and "All" are honoured too', async () => {
		sqs.send('sp-api-notifications', 'x');
		const answer = await call('ReceiveMessage', { AttributeNames: ['All'] });
		const attributes = (answer.body.Messages as Array<{ Attributes: Record<string, string> }>)[0].Attributes;
		expect(Object.keys(attributes).sort()).toEqual(['ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
	});

	it('MaxNumberOfMessages 1–10, WaitTimeSeconds 0–20 and VisibilityTimeout 0–43200 are enforced', async () => {
		for (const [name, value] of [
			['MaxNumberOfMessages', 0],
			['MaxNumberOfMessages', 11],
			['WaitTimeSeconds', 21],
			['VisibilityTimeout', 43_201],
		] as const) {
			const answer = await call('ReceiveMessage', { [name]: value });
			expect(answer.status).toBe(400);
			expect(answer.code).toBe('InvalidParameterValue');
			expect(String(answer.body.message)).toContain(name);
		}
		for (let i = 0; i < 15; i++) sqs.send('sp-api-notifications', `m${i}`);
		const ten = await call('ReceiveMessage', { MaxNumberOfMessages: 10 });
		expect((ten.body.Messages as unknown[]).length).toBe(10);
		const one = await call('ReceiveMessage', {});
		expect((one.body.Messages as unknown[]).length).toBe(1);
	});

	it('visibility timeout: hidden until it passes on the sandbox clock, then redelivered with a new handle and a higher receive count', async () => {
		const id = sqs.send('sp-api-notifications', 'once');
		const first = (await call('ReceiveMessage', { VisibilityTimeout: 60, AttributeNames: ['ApproximateReceiveCount'] })).body.Messages as Array<Record<string, any>>;
		expect(sqs.counts()).toEqual({ visible: 0, inFlight: 1, delayed: 0, total: 1 });
		expect((await call('ReceiveMessage', {})).body).toEqual({});
		sqs.clock.advance(59_000);
		expect((await call('ReceiveMessage', {})).body).toEqual({});
		sqs.clock.advance(2_000);
		const second = (await call('ReceiveMessage', { AttributeNames: ['ApproximateReceiveCount'] })).body.Messages as Array<Record<string, any>>;
		expect(second[0].MessageId).toBe(id);
		expect(second[0].ReceiptHandle).not.toBe(first[0].ReceiptHandle);
		expect(second[0].Attributes.ApproximateReceiveCount).toBe('2');
		// The queue default (30 s) applies when VisibilityTimeout is not sent.
		sqs.clock.advance(31_000);
		expect(((await call('ReceiveMessage', {})).body.Messages as unknown[]).length).toBe(1);
	});

	it('receipt handles: a stale handle of a re-received message succeeds but does not delete; the latest deletes; deleting again succeeds; unknown handles are invalid', async () => {
		const id = sqs.send('sp-api-notifications', 'h');
		const stale = ((await call('ReceiveMessage', { VisibilityTimeout: 1 })).body.Messages as Array<Record<string, string>>)[0].ReceiptHandle;
		sqs.clock.advance(2_000);
		const latest = ((await call('ReceiveMessage', { VisibilityTimeout: 30 })).body.Messages as Array<Record<string, string>>)[0].ReceiptHandle;
		const staleDelete = await call('DeleteMessage', { ReceiptHandle: stale });
		expect(staleDelete.status).toBe(200);
		expect(sqs.messages().map((m) => m.messageId)).toEqual([id]);
		expect((await call('DeleteMessage', { ReceiptHandle: latest })).status).toBe(200);
		expect(sqs.messages()).toEqual([]);
		expect(sqs.deletedIds()).toEqual([id]);
		expect((await call('DeleteMessage', { ReceiptHandle: latest })).status).toBe(200);
		const invalid = await call('DeleteMessage', { ReceiptHandle: 'not-a-handle' });
		expect(invalid.status).toBe(400);
		expect(invalid.code).toBe('ReceiptHandleIsInvalid');
		expect(invalid.body.__type).toBe('com.amazonaws.sqs#ReceiptHandleIsInvalid');
		const stats = sqs.stats.requests({ action: 'DeleteMessage' }).map((entry) => entry.deleted ?? null);
		expect(stats).toEqual([0, 1, 0, null]);
	});

	it('a handle that outlived its visibility timeout still deletes while nobody received the message again', async () => {
		sqs.send('sp-api-notifications', 'late');
		const handle = ((await call('ReceiveMessage', { VisibilityTimeout: 1 })).body.Messages as Array<Record<string, string>>)[0].ReceiptHandle;
		sqs.clock.advance(10_000);
		expect((await call('DeleteMessage', { ReceiptHandle: handle })).status).toBe(200);
		expect(sqs.counts().total).toBe(0);
	});

	it('DeleteMessageBatch: up to 10 entries, failures reported per entry (invalid handle, injected partial failure)', async () => {
		for (let i = 0; i < 4; i++) sqs.send('sp-api-notifications', `b${i}`);
		const handles = ((await call('ReceiveMessage', { MaxNumberOfMessages: 10 })).body.Messages as Array<Record<string, string>>).map((m) => m.ReceiptHandle);
		sqs.faults.failBatchEntries(1, { code: 'InternalError', senderFault: false });
		const answer = await call('DeleteMessageBatch', {
			Entries: [
				{ Id: 'a', ReceiptHandle: handles[0] },
				{ Id: 'b', ReceiptHandle: handles[1] },
				{ Id: 'c', ReceiptHandle: 'bogus' },
				{ Id: 'd', ReceiptHandle: handles[3] },
			],
		});
		expect(answer.status).toBe(200);
		expect(answer.body.Successful).toEqual([{ Id: 'b' }, { Id: 'd' }]);
		expect(answer.body.Failed).toEqual([
			{ Id: 'a', SenderFault: false, Code: 'InternalError', Message: expect.any(String) },
			{ Id: 'c', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.any(String) },
		]);
		expect(sqs.counts().total).toBe(2);

		const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, ReceiptHandle: handles[0] }));
		expect((await call('DeleteMessageBatch', { Entries: eleven })).code).toBe('AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
		expect((await call('DeleteMessageBatch', { Entries: [] })).code).toBe('AWS.SimpleQueueService.EmptyBatchRequest');
		expect((await call('DeleteMessageBatch', { Entries: [{ Id: 'x', ReceiptHandle: handles[0] }, { Id: 'x', ReceiptHandle: handles[2] }] })).code).toBe('AWS.SimpleQueueService.BatchEntryIdsNotDistinct');
		expect((await call('DeleteMessageBatch', { Entries: [{ Id: 'bad id!', ReceiptHandle: handles[0] }] })).code).toBe('AWS.SimpleQueueService.InvalidBatchEntryId');
	});

	it('ChangeMessageVisibility: 0 makes a message receivable at once; a message not in flight is refused', async () => {
		sqs.send('sp-api-notifications', 'v');
		const handle = ((await call('ReceiveMessage', { VisibilityTimeout: 300 })).body.Messages as Array<Record<string, string>>)[0].ReceiptHandle;
		expect((await call('ChangeMessageVisibility', { ReceiptHandle: handle, VisibilityTimeout: 0 })).status).toBe(200);
		expect(((await call('ReceiveMessage', {})).body.Messages as unknown[]).length).toBe(1);
		const refused = await call('ChangeMessageVisibility', { ReceiptHandle: handle, VisibilityTimeout: 10 });
		expect(refused.status).toBe(400);
		expect(refused.code).toBe('AWS.SimpleQueueService.MessageNotInflight');
	});

	it('SendMessage and SendMessageBatch (the delivery path Amazon uses) with MD5 of the body and delays', async () => {
		const sent = await call('SendMessage', { MessageBody: 'héllo' });
		expect(sent.status).toBe(200);
		expect(sent.body).toEqual({ MessageId: expect.any(String), MD5OfMessageBody: createHash('md5').update('héllo', 'utf8').digest('hex') });
		const batch = await call('SendMessageBatch', { Entries: [{ Id: 'one', MessageBody: 'a' }, { Id: 'two', MessageBody: 'b', DelaySeconds: 60 }, { Id: 'three', MessageBody: '' }] });
		expect((batch.body.Successful as unknown[]).length).toBe(2);
		expect(batch.body.Failed).toEqual([{ Id: 'three', SenderFault: true, Code: 'MissingParameter', Message: expect.any(String) }]);
		expect(sqs.counts()).toEqual({ visible: 2, inFlight: 0, delayed: 1, total: 3 });
		sqs.clock.advance(61_000);
		expect(sqs.counts().visible).toBe(3);
		const received = (await call('ReceiveMessage', { MaxNumberOfMessages: 10 })).body.Messages as Array<Record<string, string>>;
		const byBody = Object.fromEntries(received.map((m) => [m.Body, m.MD5OfBody]));
		expect(byBody['héllo']).toBe(sent.body.MD5OfMessageBody);
	});

	it('GetQueueAttributes: QueueArn and counts; unknown names refused; All returns everything', async () => {
		sqs.send('sp-api-notifications', '1');
		sqs.send('sp-api-notifications', '2');
		await call('ReceiveMessage', {});
		const answer = await call('GetQueueAttributes', { AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] });
		expect(answer.body).toEqual({
			Attributes: { QueueArn: `arn:aws:sqs:us-east-1:${sqs.accountId}:sp-api-notifications`, ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesNotVisible: '1' },
		});
		expect((await call('GetQueueAttributes', { AttributeNames: ['Nope'] })).code).toBe('InvalidAttributeName');
		const all = (await call('GetQueueAttributes', { AttributeNames: ['All'] })).body.Attributes as Record<string, string>;
		expect(all.VisibilityTimeout).toBe('30');
		expect(all.MessageRetentionPeriod).toBe('345600');
	});

	it('PurgeQueue empties the queue; a second purge within 60 s is refused', async () => {
		sqs.send('sp-api-notifications', 'p');
		expect((await call('PurgeQueue', {})).status).toBe(200);
		expect(sqs.counts().total).toBe(0);
		const again = await call('PurgeQueue', {});
		expect(again.status).toBe(403);
		expect(again.code).toBe('AWS.SimpleQueueService.PurgeQueueInProgress');
		sqs.clock.advance(61_000);
		expect((await call('PurgeQueue', {})).status).toBe(200);
	});

	it('long polling returns as soon as a message arrives, and waits WaitTimeSeconds × waitScale when none does', async () => {
		const started = Date.now();
		const empty = await call('ReceiveMessage', { WaitTimeSeconds: 10 });
		const waited = Date.now() - started;
		expect(empty.body).toEqual({});
		expect(waited).toBeGreaterThanOrEqual(190); // 10 s × 0.02
		expect(waited).toBeLessThan(2_000);

		// Unscaled: a 20 s long poll that must end as soon as the message arrives.
		const real = await startSqsSandbox({ waitScale: 1 });
		try {
			const key = real.key();
			const polling = sqsCall('ReceiveMessage', { QueueUrl: real.queueUrl(), WaitTimeSeconds: 20 }, { endpoint: real.url, region: real.region, credentials: key });
			await new Promise((resolve) => setTimeout(resolve, 50));
			const t0 = Date.now();
			real.send('sp-api-notifications', 'arrived');
			const answer = await polling;
			expect((answer.body.Messages as Array<Record<string, string>>)[0].Body).toBe('arrived');
			expect(Date.now() - t0).toBeLessThan(5_000);
		} finally {
			await real.close();
		}
	});

	it('a long poll wakes when the clock moves a hidden message past its visibility timeout', async () => {
		sqs.send('sp-api-notifications', 'hidden');
		await call('ReceiveMessage', { VisibilityTimeout: 600 });
		const polling = call('ReceiveMessage', { WaitTimeSeconds: 20 });
		await new Promise((resolve) => setTimeout(resolve, 30));
		sqs.clock.advance(601_000);
		const answer = await polling;
		expect((answer.body.Messages as Array<Record<string, string>>)[0].Body).toBe('hidden');
	});

	it('redrive: received more than maxReceiveCount times, a message moves to the dead-letter queue', async () => {
		const id = sqs.send('with-dlq', 'poison');
		const dlqCall = (q: string) => sqsCall('ReceiveMessage', { QueueUrl: sqs.queueUrl(q), VisibilityTimeout: 1, AttributeNames: ['All'] }, options);
		expect(((await dlqCall('with-dlq')).body.Messages as unknown[]).length).toBe(1);
		sqs.clock.advance(2_000);
		expect(((await dlqCall('with-dlq')).body.Messages as unknown[]).length).toBe(1);
		sqs.clock.advance(2_000);
		expect((await dlqCall('with-dlq')).body).toEqual({});
		const dead = (await dlqCall('dead-letters')).body.Messages as Array<{ MessageId: string; Attributes: Record<string, string> }>;
		expect(dead[0].MessageId).toBe(id);
		expect(dead[0].Attributes.DeadLetterQueueSourceArn).toBe(sqs.queue('with-dlq').arn);
	});

	it('queues are per account: an unknown queue or another account\'s → QueueDoesNotExist; QueueUrl is required; the legacy host form works', async () => {
		const missing = await sqsCall('ReceiveMessage', { QueueUrl: `https://sqs.us-east-1.amazonaws.com/${sqs.accountId}/nope` }, options);
		expect(missing.status).toBe(400);
		expect(missing.code).toBe('AWS.SimpleQueueService.NonExistentQueue');
		expect(missing.body).toEqual({ __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
		expect((await sqsCall('ReceiveMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/999999999999/sp-api-notifications' }, options)).code).toBe('AWS.SimpleQueueService.NonExistentQueue');
		expect((await sqsCall('ReceiveMessage', {}, options)).code).toBe('MissingParameter');
		// The legacy host form names the same queue.
		expect((await sqsCall('GetQueueAttributes', { QueueUrl: `https://us-east-1.queue.amazonaws.com/${sqs.accountId}/sp-api-notifications`, AttributeNames: ['QueueArn'] }, options)).status).toBe(200);
	});

	it('unknown actions, bad JSON and non-POST requests are refused', async () => {
		expect((await call('CreateQueue', { QueueName: 'x' })).code).toBe('UnknownOperationException');
		const badJson = await sqsCall('ReceiveMessage', {}, { ...options, rawBody: '{not json' });
		expect(badJson.status).toBe(400);
		expect(badJson.code).toBe('SerializationException');
		expect((await sqsCall('ReceiveMessage', {}, { ...options, rawBody: '[1]' })).code).toBe('SerializationException');
		const get = await sqsCall('ReceiveMessage', {}, { ...options, method: 'GET' });
		expect(get.status).toBe(400);
		expect(get.code).toBe('UnknownOperationException');
	});

	it('retention: messages older than MessageRetentionPeriod are gone', async () => {
		sqs.send('sp-api-notifications', 'old');
		sqs.clock.advance(345_601_000);
		expect((await call('ReceiveMessage', {})).body).toEqual({});
	});
});

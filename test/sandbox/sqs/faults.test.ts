/**
 * Fault injection, statistics and a quick close() in the SQS sandbox.
 */
import { type SqsSandbox, startSqsSandbox } from './index';
import { type SqsCallOptions, sqsCall } from './test-client';

describe('SQS sandbox: faults, stats, close', () => {
	let sqs: SqsSandbox;
	let options: SqsCallOptions;

	beforeEach(async () => {
		sqs = await startSqsSandbox({ waitScale: 1 });
		const key = sqs.key();
		options = { endpoint: sqs.url, region: sqs.region, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } };
	});
	afterEach(async () => {
		await sqs.close();
	});

	const receive = () => sqsCall('ReceiveMessage', { QueueUrl: sqs.queueUrl() }, options);

	it.each([
		[503, 503, 'ServiceUnavailable;Receiver', 'com.amazon.coral.availability#ServiceUnavailableException'],
		[500, 500, 'InternalError;Receiver', 'com.amazon.coral.service#InternalFailure'],
		['ThrottlingException', 400, 'ThrottlingException;Sender', 'com.amazon.coral.availability#ThrottlingException'],
		['RequestThrottled', 403, 'RequestThrottled;Sender', 'com.amazonaws.sqs#RequestThrottled'],
	] as const)('failNext(%s) answers %i with %s', async (kind, status, queryError, type) => {
		sqs.faults.failNext(1, kind, { action: 'ReceiveMessage' });
		const failed = await receive();
		expect(failed.status).toBe(status);
		expect(failed.headers.get('x-amzn-query-error')).toBe(queryError);
		expect(failed.body.__type).toBe(type);
		expect((await receive()).status).toBe(200);
		expect(sqs.stats.requests({ action: 'ReceiveMessage' }).map((entry) => entry.injected)).toEqual([true, false]);
	});

	it('faults for one action leave the others alone', async () => {
		sqs.faults.failNext(2, 503, { action: 'DeleteMessageBatch' });
		expect((await receive()).status).toBe(200);
	});

	it('resetNext drops the connection without an answer', async () => {
		sqs.faults.resetNext(1);
		await expect(receive()).rejects.toThrow();
		expect((await receive()).status).toBe(200);
		expect(sqs.stats.log.map((entry) => entry.reset)).toEqual([true, false]);
	});

	it('latency delays answers', async () => {
		sqs.faults.latencyMs = 150;
		const started = Date.now();
		await receive();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('stats count requests per action with what they returned and deleted', async () => {
		sqs.send('sp-api-notifications', 'a');
		const handle = ((await receive()).body.Messages as Array<{ ReceiptHandle: string }>)[0].ReceiptHandle;
		await sqsCall('DeleteMessageBatch', { QueueUrl: sqs.queueUrl(), Entries: [{ Id: 'a', ReceiptHandle: handle }] }, options);
		expect(sqs.stats.count('ReceiveMessage')).toBe(1);
		expect(sqs.stats.requests({ action: 'ReceiveMessage' })[0].returned).toBe(1);
		expect(sqs.stats.requests({ action: 'DeleteMessageBatch' })[0]).toMatchObject({ status: 200, deleted: 1, queue: 'sp-api-notifications' });
		sqs.stats.reset();
		expect(sqs.stats.log).toEqual([]);
	});

	it('close() returns at once, even with a 20-second long poll open', async () => {
		const polling = sqsCall('ReceiveMessage', { QueueUrl: sqs.queueUrl(), WaitTimeSeconds: 20 }, options).catch((error: unknown) => error);
		await new Promise((resolve) => setTimeout(resolve, 50));
		const started = Date.now();
		await sqs.close();
		expect(Date.now() - started).toBeLessThan(500);
		// fetch rejects (its TypeError comes from another realm, so match the message).
		expect(String((await polling as { message?: unknown }).message)).toMatch(/fetch failed|socket|closed/i);
	});
});

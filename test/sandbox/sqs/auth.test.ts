/**
 * SigV4 verification in the SQS sandbox: every request is checked like AWS checks it, and each
 * failure has AWS's status, query code and JSON error shape.
 */
import { type SqsSandbox, startSqsSandbox } from './index';
import { type SqsCallOptions, sqsCall } from './test-client';

const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLE//////////sessiontoken+value==';

describe('SQS sandbox: SigV4 verification', () => {
	let sqs: SqsSandbox;
	let options: SqsCallOptions;
	let queueUrl: string;

	beforeAll(async () => {
		sqs = await startSqsSandbox({
			keys: [
				{ accessKeyId: 'AKIASANDBOXLONGTERM1', secretAccessKey: 'long/term+secret/key/value/0000000000000', userName: 'reader' },
				{ accessKeyId: 'ASIASANDBOXTEMPORARY', secretAccessKey: 'temporary/secret/key/value/00000000000000', sessionToken: TOKEN },
				{ accessKeyId: 'AKIASANDBOXNODELETE1', secretAccessKey: 'no/delete/secret/key/value/0000000000000', deny: ['DeleteMessage', 'DeleteMessageBatch'], userName: 'no-delete' },
			],
		});
		queueUrl = sqs.queueUrl();
	});
	beforeEach(() => {
		const key = sqs.key('AKIASANDBOXLONGTERM1');
		options = { endpoint: sqs.url, region: 'us-east-1', credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } };
		sqs.stats.reset();
	});
	afterAll(async () => {
		await sqs.close();
	});

	const attributes = (override: Partial<SqsCallOptions> = {}) => sqsCall('GetQueueAttributes', { QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }, { ...options, ...override });

	it('a correctly signed request is served', async () => {
		const answer = await attributes();
		expect(answer.status).toBe(200);
		expect(sqs.stats.authFailures).toEqual([]);
		expect(sqs.stats.log[0]).toMatchObject({ action: 'GetQueueAttributes', status: 200, accessKeyId: 'AKIASANDBOXLONGTERM1' });
	});

	it('a wrong secret → 403 SignatureDoesNotMatch in the JSON error shape', async () => {
		const answer = await attributes({ credentials: { ...options.credentials, secretAccessKey: 'wrong/secret' } });
		expect(answer.status).toBe(403);
		expect(answer.headers.get('x-amzn-query-error')).toBe('SignatureDoesNotMatch;Sender');
		expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#InvalidSignatureException', message: expect.stringContaining('does not match the signature you provided') });
		expect(sqs.stats.authFailures).toEqual([{ at: expect.any(Number), host: expect.any(String), code: 'SignatureDoesNotMatch', reason: 'signature mismatch', accessKeyId: 'AKIASANDBOXLONGTERM1' }]);
	});

	it('an unknown access key → 403 InvalidClientTokenId', async () => {
		const answer = await attributes({ credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } });
		expect(answer.status).toBe(403);
		expect(answer.code).toBe('InvalidClientTokenId');
		expect(answer.body).toEqual({ __type: 'com.amazon.coral.service#UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
	});

	it('X-Amz-Date more than 15 minutes off real time → 403 "Signature expired" / "not yet current"; 14 minutes is fine', async () => {
		const past = await attributes({ date: new Date(Date.now() - 16 * 60_000) });
		expect(past.status).toBe(403);
		expect(past.code).toBe('SignatureDoesNotMatch');
		expect(String(past.body.message)).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
		const future = await attributes({ date: new Date(Date.now() + 16 * 60_000) });
		expect(future.status).toBe(403);
		expect(String(future.body.message)).toMatch(/^Signature not yet current/);
		expect((await attributes({ date: new Date(Date.now() - 14 * 60_000) })).status).toBe(200);
		// The sandbox clock (visibility timeouts) does not move the signature window.
		sqs.clock.advance(3_600_000);
		expect((await attributes()).status).toBe(200);
		sqs.clock.real();
	});

	it('no Authorization header → 403 MissingAuthenticationToken', async () => {
		const answer = await attributes({ unsigned: true });
		expect(answer.status).toBe(403);
		expect(answer.code).toBe('MissingAuthenticationToken');
	});

	it('a body changed after signing, a scope for another region or service → 403', async () => {
		expect((await attributes({ sendBody: JSON.stringify({ QueueUrl: queueUrl, AttributeNames: ['All'] }) })).code).toBe('SignatureDoesNotMatch');
		const region = await attributes({ region: 'eu-west-1' });
		expect(region.status).toBe(403);
		expect(String(region.body.message)).toContain('Credential should be scoped to a valid region');
		expect(String((await attributes({ service: 's3' })).body.message)).toContain("correct service: 'sqs'");
	});

	it('temporary keys need their session token; a wrong or expired token is refused', async () => {
		const temporary = sqs.key('ASIASANDBOXTEMPORARY');
		const credentials = { accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey };
		expect((await attributes({ credentials: { ...credentials, sessionToken: TOKEN } })).status).toBe(200);
		expect((await attributes({ credentials })).code).toBe('InvalidClientTokenId');
		expect((await attributes({ credentials: { ...credentials, sessionToken: 'other-token' } })).code).toBe('InvalidClientTokenId');
		temporary.expired = true;
		const expired = await attributes({ credentials: { ...credentials, sessionToken: TOKEN } });
		expect(expired.status).toBe(403);
		expect(expired.code).toBe('ExpiredToken');
		temporary.expired = false;
	});

	it('an IAM user without sqs:DeleteMessage* gets 403 AccessDenied naming the action and the queue', async () => {
		const key = sqs.key('AKIASANDBOXNODELETE1');
		const answer = await sqsCall('DeleteMessageBatch', { QueueUrl: queueUrl, Entries: [{ Id: 'a', ReceiptHandle: 'x' }] }, { ...options, credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } });
		expect(answer.status).toBe(403);
		expect(answer.code).toBe('AccessDenied');
		expect(String(answer.body.message)).toBe(
			`User: arn:aws:iam::${sqs.accountId}:user/no-delete is not authorized to perform: sqs:DeleteMessageBatch on resource: ${sqs.queue().arn} because no identity-based policy allows the sqs:DeleteMessageBatch action`,
		);
	});

	it('the request log and auth failures never hold secrets, tokens or signatures', async () => {
		const temporary = sqs.key('ASIASANDBOXTEMPORARY');
		await attributes({ credentials: { accessKeyId: temporary.accessKeyId, secretAccessKey: temporary.secretAccessKey, sessionToken: TOKEN } });
		await attributes({ credentials: { ...options.credentials, secretAccessKey: 'wrong' } });
		const dump = JSON.stringify({ log: sqs.stats.log, failures: sqs.stats.authFailures });
		for (const secret of [TOKEN, temporary.secretAccessKey, sqs.key().secretAccessKey, 'Signature=']) expect(dump).not.toContain(secret);
	});
});

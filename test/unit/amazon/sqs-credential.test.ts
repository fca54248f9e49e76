/**
 * The AWS SQS credential: queue URL validation, region check, and `authenticate` — which signs
 * only requests to the queue URL's host, with exactly the bytes that will be sent. Also the
 * mapping of SQS error answers to messages that say what to fix.
 */
import { AwsSqsApi } from '../../../credentials/AwsSqsApi.credentials';
import { buildCanonicalRequest, sha256Hex, signatureFor } from '../../../nodes/common/awsSigV4';
import { describeSqsFailure, isPermanent, isThrottle, sqsErrorOf } from '../../../nodes/AmazonSellerCentral/sqs/errors';
import { AWS_REGIONS, assertRegionMatches, parseQueueUrl } from '../../../nodes/AmazonSellerCentral/sqs/queueUrl';
import { signSqsRequest } from '../../../nodes/AmazonSellerCentral/sqs/signing';

const CREDENTIAL = {
	accessKeyId: 'AKIAEXAMPLEKEY000001',
	secretAccessKey: 'canary/SECRET+value/0123456789abcdefghijklm',
	sessionToken: '',
	region: 'eu-west-1',
	queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications',
};

describe('queue URLs', () => {
	it('splits a regional queue URL', () => {
		expect(parseQueueUrl(' https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications/ ')).toEqual({
			url: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications',
			origin: 'https://sqs.eu-west-1.amazonaws.com',
			host: 'sqs.eu-west-1.amazonaws.com',
			region: 'eu-west-1',
			accountId: '123456789012',
			queueName: 'sp-api-notifications',
			fifo: false,
			legacy: false,
			arn: 'arn:aws:sqs:eu-west-1:123456789012:sp-api-notifications',
		});
	});

	it('accepts the legacy host form, FIFO queues and GovCloud', () => {
		expect(parseQueueUrl('https://us-west-2.queue.amazonaws.com/123456789012/orders.fifo')).toMatchObject({ host: 'us-west-2.queue.amazonaws.com', region: 'us-west-2', fifo: true, legacy: true });
		expect(parseQueueUrl('https://sqs.us-gov-west-1.amazonaws.com/123456789012/q').arn).toBe('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q');
	});

	it.each([
		['', /empty/],
		['sqs.eu-west-1.amazonaws.com/123456789012/q', /not a URL/],
		['http://sqs.eu-west-1.amazonaws.com/123456789012/q', /https/],
		['https://evil.example.com/123456789012/q', /not an Amazon SQS queue host/],
		['https://sqs.eu-west-1.amazonaws.com.evil.com/123456789012/q', /not an Amazon SQS queue host/],
		['https://user:pw@sqs.eu-west-1.amazonaws.com/123456789012/q', /user, port, query/],
		['https://sqs.eu-west-1.amazonaws.com:8443/123456789012/q', /user, port, query/],
		['https://sqs.eu-west-1.amazonaws.com/123456789012', /12-digit account id>\/<queue name>/],
		['https://sqs.eu-west-1.amazonaws.com/12345/q', /12-digit AWS account id/],
		['https://sqs.eu-west-1.amazonaws.com/123456789012/bad name!', /not a valid queue name/],
		[`https://sqs.eu-west-1.amazonaws.com/123456789012/${'a'.repeat(81)}`, /not a valid queue name/],
	])('refuses %j', (url, message) => {
		expect(() => parseQueueUrl(url)).toThrow(message);
	});

	it('the region must be the queue URL\'s', () => {
		const location = parseQueueUrl(CREDENTIAL.queueUrl);
		expect(() => assertRegionMatches('eu-west-1', location)).not.toThrow();
		expect(() => assertRegionMatches('us-east-1', location)).toThrow("The credential's region (us-east-1) does not match the queue URL's region (eu-west-1)");
	});

	it('every offered region yields a valid queue host', () => {
		for (const region of AWS_REGIONS) expect(parseQueueUrl(`https://sqs.${region.value}.amazonaws.com/123456789012/q`).region).toBe(region.value);
	});
});

describe('authenticate (SigV4 for sqs, only for the queue host)', () => {
	const credential = new AwsSqsApi();
	const now = new Date('2026-10-01T12:00:00Z');
	const request = {
		method: 'POST' as const,
		url: 'https://sqs.eu-west-1.amazonaws.com/',
		headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.ReceiveMessage', 'User-Agent': 'n8n' },
		body: JSON.stringify({ QueueUrl: CREDENTIAL.queueUrl }),
	};

	it('adds X-Amz-Date and an Authorization scoped to the queue region and sqs, over the exact body', () => {
		const signed = signSqsRequest(CREDENTIAL, request, now);
		const headers = signed.headers as Record<string, string>;
		expect(headers['X-Amz-Date']).toBe('20261001T120000Z');
		expect(headers.Authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEKEY000001\/20261001\/eu-west-1\/sqs\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
		expect(headers['X-Amz-Security-Token']).toBeUndefined();
		expect(signed.body).toBe(request.body);
		// Recompute independently from what will be sent.
		const canonical = buildCanonicalRequest({
			method: 'POST',
			path: '/',
			query: '',
			headers: { 'content-type': 'application/x-amz-json-1.0', host: 'sqs.eu-west-1.amazonaws.com', 'x-amz-date': '20261001T120000Z', 'x-amz-target': 'AmazonSQS.ReceiveMessage' },
			signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-target'],
			payloadHash: sha256Hex(request.body),
		});
		const stringToSign = `AWS4-HMAC-SHA256\n20261001T120000Z\n20261001/eu-west-1/sqs/aws4_request\n${sha256Hex(canonical)}`;
		expect(headers.Authorization.endsWith(`Signature=${signatureFor(CREDENTIAL.secretAccessKey, '20261001', 'eu-west-1', 'sqs', stringToSign)}`)).toBe(true);
	});

	it('the credential class delegates to it (n8n calls authenticate(credentials, options))', async () => {
		const signed = await credential.authenticate(CREDENTIAL, { ...request });
		expect((signed.headers as Record<string, string>).Authorization).toMatch(/eu-west-1\/sqs\/aws4_request/);
	});

	it('a session token is sent and signed', () => {
		const signed = signSqsRequest({ ...CREDENTIAL, sessionToken: 'TOKEN-VALUE-123' }, request, now);
		const headers = signed.headers as Record<string, string>;
		expect(headers['X-Amz-Security-Token']).toBe('TOKEN-VALUE-123');
		expect(headers.Authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,');
	});

	it.each([
		['another host', 'https://evil.example.com/', /Refused to sign a request for https:\/\/evil\.example\.com/],
		['another region\'s SQS host', 'https://sqs.us-east-1.amazonaws.com/', /Refused to sign a request for https:\/\/sqs\.us-east-1\.amazonaws\.com/],
		['plain http to the queue host', 'http://sqs.eu-west-1.amazonaws.com/', /Refused to sign a request for http:/],
		['a look-alike host', 'https://sqs.eu-west-1.amazonaws.com.evil.com/', /Refused to sign/],
		['the queue host on another port', 'https://sqs.eu-west-1.amazonaws.com:444/', /Refused to sign/],
	])('refuses %s and never produces a signature', (_name, url, message) => {
		expect(() => signSqsRequest(CREDENTIAL, { ...request, url }, now)).toThrow(message);
	});

	it('the refusal never names the secret', () => {
		try {
			signSqsRequest(CREDENTIAL, { ...request, url: 'https://evil.example.com/' }, now);
		} catch (error) {
			expect(String((error as Error).message)).not.toContain(CREDENTIAL.secretAccessKey);
		}
	});

	it('baseURL + url (the credential test request) and qs are resolved into the signed URL', () => {
		const signed = signSqsRequest(CREDENTIAL, { method: 'POST', baseURL: 'https://sqs.eu-west-1.amazonaws.com', url: '/', qs: { a: 'b c' }, body: { QueueUrl: CREDENTIAL.queueUrl } }, now);
		expect(signed.url).toBe('https://sqs.eu-west-1.amazonaws.com/?a=b+c');
		expect(signed.baseURL).toBeUndefined();
		expect(signed.qs).toBeUndefined();
		expect(signed.body).toBe(JSON.stringify({ QueueUrl: CREDENTIAL.queueUrl }));
	});

	it('a credential whose region does not match its queue URL, or without keys, signs nothing', () => {
		expect(() => signSqsRequest({ ...CREDENTIAL, region: 'us-east-1' }, request, now)).toThrow(/does not match the queue URL's region/);
		expect(() => signSqsRequest({ ...CREDENTIAL, accessKeyId: ' ' }, request, now)).toThrow(/no Access Key ID/);
		expect(() => signSqsRequest({ ...CREDENTIAL, secretAccessKey: '' }, request, now)).toThrow(/no Secret Access Key/);
	});

	it('the credential test asks GetQueueAttributes on the queue\'s own host', () => {
		const test = credential.test.request;
		expect(test).toMatchObject({ url: '/', method: 'POST', headers: { 'X-Amz-Target': 'AmazonSQS.GetQueueAttributes', 'Content-Type': 'application/x-amz-json-1.0' } });
		expect(credential.properties.find((p) => p.name === 'secretAccessKey')?.typeOptions?.password).toBe(true);
		expect(credential.properties.find((p) => p.name === 'sessionToken')?.typeOptions?.password).toBe(true);
	});
});

describe('SQS error answers', () => {
	const queue = parseQueueUrl(CREDENTIAL.queueUrl);
	const retry = { attempts: 1, waitedMs: 0 };
	const answer = (status: number, code: string, type: string, message: string) => ({ statusCode: status, headers: { 'x-amzn-query-error': `${code};Sender` }, body: { __type: type, message } });

	it('reads the code from x-amzn-query-error, else from __type', () => {
		expect(sqsErrorOf(answer(400, 'AWS.SimpleQueueService.NonExistentQueue', 'com.amazonaws.sqs#QueueDoesNotExist', 'x'))).toEqual({ code: 'AWS.SimpleQueueService.NonExistentQueue', type: 'QueueDoesNotExist', message: 'x', senderFault: true });
		expect(sqsErrorOf({ headers: {}, body: '{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}' })).toEqual({ code: 'ThrottlingException', type: 'ThrottlingException', message: 'Rate exceeded', senderFault: undefined });
		expect(sqsErrorOf({ headers: {}, body: '' })).toBeUndefined();
	});

	it('throttling (either spelling, even as 403) is retryable, not permanent', () => {
		const requestThrottled = sqsErrorOf(answer(403, 'RequestThrottled', 'com.amazonaws.sqs#RequestThrottled', 'x'));
		expect(isThrottle(requestThrottled)).toBe(true);
		expect(isPermanent(requestThrottled, 403)).toBe(false);
		expect(isThrottle(sqsErrorOf(answer(400, 'ThrottlingException', 'x#ThrottlingException', 'x')))).toBe(true);
	});

	it.each([
		[answer(403, 'InvalidClientTokenId', 'com.amazon.coral.service#UnrecognizedClientException', 'The security token included in the request is invalid.'), /does not know the access key/, /Access Key ID/],
		[answer(403, 'SignatureDoesNotMatch', 'x#InvalidSignatureException', 'The request signature we calculated does not match'), /request signature/, /Secret Access Key/],
		[answer(403, 'SignatureDoesNotMatch', 'x#InvalidSignatureException', 'Signature expired: 20261001T000000Z is now earlier than …'), /request time/, /clock of the n8n host/],
		[answer(403, 'ExpiredToken', 'x#ExpiredTokenException', 'The security token included in the request is expired'), /session token .* has expired/, /long-term access key/],
		[answer(403, 'AccessDenied', 'x#AccessDeniedException', 'User: arn:aws:iam::1:user/u is not authorized'), /AWS denied ReceiveMessage on sp-api-notifications/, /sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on arn:aws:sqs:eu-west-1:123456789012:sp-api-notifications/],
		[answer(400, 'AWS.SimpleQueueService.NonExistentQueue', 'com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.'), /does not exist in eu-west-1 for account 123456789012/, /queues are regional/],
		[answer(400, 'KMS.AccessDeniedException', 'x#KmsAccessDenied', 'denied'), /KMS key/, /kms:Decrypt/],
	])('%# says what happened and how to fix it', (response, message, description) => {
		const report = describeSqsFailure(response, 'ReceiveMessage', queue, retry);
		expect(report.message).toMatch(message);
		expect(report.description).toMatch(description);
		expect(isPermanent(sqsErrorOf(response), response.statusCode)).toBe(true);
	});

	it('5xx after retries says nothing was lost', () => {
		const report = describeSqsFailure({ statusCode: 503, headers: {}, body: {} }, 'ReceiveMessage', queue, { attempts: 6, waitedMs: 12_000, exhausted: 'attempts' });
		expect(report.description).toMatch(/Retried 6 times over 12 s. Nothing was lost/);
		expect(isPermanent(undefined, 503)).toBe(false);
	});
});

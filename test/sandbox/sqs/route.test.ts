/**
 * The trigger only ever calls https://sqs.<region>.amazonaws.com: routeSqsToSandbox must carry
 * those calls (fetch, and n8n-core's own httpRequest helper = axios, the path of
 * httpRequestWithAuthentication) to the sandbox and back, with signatures intact.
 */
import { getRequestHelperFunctions } from 'n8n-core/dist/execution-engine/node-execution-context/utils/request-helpers/factory';
import type { INode, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

import { signSqsRequest } from '../../../nodes/AmazonSellerCentral/sqs/signing';
import { type SqsSandbox, routeSqsToSandbox, startSqsSandbox } from './index';
import { sqsCall } from './test-client';

describe('SQS sandbox: routing the real SQS host names (nock)', () => {
	let sqs: SqsSandbox;
	let undo: () => void;

	beforeAll(async () => {
		sqs = await startSqsSandbox({ region: 'eu-west-1', extraRegions: ['us-east-1'], waitScale: 0.01 });
		undo = routeSqsToSandbox(sqs);
	});
	afterAll(async () => {
		undo();
		await sqs.close();
	});

	it('routes the regional host and the legacy host of every configured region', () => {
		expect(sqs.hosts).toEqual(['sqs.eu-west-1.amazonaws.com', 'eu-west-1.queue.amazonaws.com', 'sqs.us-east-1.amazonaws.com', 'us-east-1.queue.amazonaws.com']);
	});

	it('fetch to https://sqs.eu-west-1.amazonaws.com is verified against the real host name (Host signed as sent)', async () => {
		const credentials = sqs.credentials();
		const id = sqs.send(credentials.queueUrl, 'via nock');
		const answer = await sqsCall('ReceiveMessage', { QueueUrl: credentials.queueUrl }, { endpoint: 'https://sqs.eu-west-1.amazonaws.com', region: 'eu-west-1', credentials });
		expect(answer.status).toBe(200);
		expect((answer.body.Messages as Array<{ MessageId: string }>)[0].MessageId).toBe(id);
		expect(sqs.stats.log.at(-1)).toMatchObject({ host: 'sqs.eu-west-1.amazonaws.com', action: 'ReceiveMessage', status: 200 });
	});

	it('n8n-core httpRequest with options signed by the credential logic reaches the sandbox and verifies', async () => {
		const node = { id: 'n', name: 'n', type: 't', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
		const helpers = getRequestHelperFunctions({} as Workflow, node, {} as IWorkflowExecuteAdditionalData);
		const credentials = sqs.credentials();
		const signed = signSqsRequest(credentials, {
			method: 'POST',
			baseURL: 'https://sqs.eu-west-1.amazonaws.com',
			url: '/',
			headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.GetQueueAttributes' },
			body: { QueueUrl: credentials.queueUrl, AttributeNames: ['QueueArn'] },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
		const response = (await helpers.httpRequest(signed)) as { statusCode: number; body: unknown };
		expect(response.statusCode).toBe(200);
		const body = typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
		expect(body).toEqual({ Attributes: { QueueArn: sqs.queue().arn } });
	});

	it('a queue URL sent to another region\'s endpoint does not exist there', async () => {
		const credentials = sqs.credentials();
		const answer = await sqsCall('GetQueueAttributes', { QueueUrl: credentials.queueUrl, AttributeNames: ['QueueArn'] }, { endpoint: 'https://sqs.us-east-1.amazonaws.com', region: 'us-east-1', credentials });
		expect(answer.status).toBe(400);
		expect(answer.code).toBe('AWS.SimpleQueueService.NonExistentQueue');
	});

	it('other hosts stay blocked', async () => {
		await expect(fetch('https://example.com/')).rejects.toThrow();
	});
});

/**
 * Amazon SQS over the AWS JSON 1.0 protocol (what current AWS SDKs use): POST to the queue's
 * regional endpoint with `X-Amz-Target: AmazonSQS.<Action>` and a JSON body naming the queue.
 * Signing happens in the credential (`authenticate`); this class adds retries with backoff for
 * throttling, 5xx and resets, and errors that say what to fix.
 */
import { type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, type IPollFunctions, type NodeApiError, sleep } from 'n8n-workflow';

import { apiError, operationError } from '../../common/errors';
import { Redactor } from '../../common/redaction';
import { type CallOutcome, type FailureKind, type RawResponse, TransportFailure, sendWithRetry } from '../../common/retry';
import { describeSqsFailure, describeSqsTransportFailure, isNetworkFailure, isPermanent, isThrottle, parseJsonBody, sqsErrorOf } from './errors';
import type { QueueLocation } from './queueUrl';
import { readSqsCredential } from './signing';

export const SQS_CREDENTIAL_TYPE = 'awsSqsApi';
export const SQS_SYSTEM = 'Amazon SQS';
export const SQS_CONTENT_TYPE = 'application/x-amz-json-1.0';

export type SqsFunctions = IPollFunctions | IExecuteFunctions;

export type SqsAction = 'ReceiveMessage' | 'DeleteMessageBatch' | 'GetQueueAttributes' | 'ChangeMessageVisibilityBatch';

export interface SqsMessage {
	MessageId: string;
	ReceiptHandle: string;
	MD5OfBody?: string;
	Body?: string;
	Attributes?: Record<string, string>;
}

export interface ReceiveOptions {
	maxNumberOfMessages: number;
	waitTimeSeconds: number;
	visibilityTimeoutSeconds: number;
}

export interface DeleteEntry {
	id: string;
	receiptHandle: string;
}

export interface DeleteFailure {
	id: string;
	code: string;
	message?: string;
	senderFault: boolean;
}

export interface DeleteResult {
	deleted: string[];
	failed: DeleteFailure[];
}

/** System attributes every received message carries (receive count, send and first-receive time). */
export const RECEIVE_ATTRIBUTES = ['ApproximateReceiveCount', 'SentTimestamp', 'ApproximateFirstReceiveTimestamp'];

export class SqsClient {
	readonly redactor: Redactor;
	/** Errors this client threw that no retry can fix (auth, permissions, missing queue). */
	private readonly permanentErrors = new WeakSet<object>();

	private constructor(
		private readonly context: SqsFunctions,
		readonly queue: QueueLocation,
		redactor: Redactor,
		private readonly deadline: number,
	) {
		this.redactor = redactor;
	}

	/** One client per poll: `deadline` (epoch ms) bounds retries and waits. */
	static async create(context: SqsFunctions, deadline: number): Promise<SqsClient> {
		const raw = await context.getCredentials(SQS_CREDENTIAL_TYPE);
		const redactor = new Redactor().addCredentialSecrets(raw);
		try {
			const { queue } = readSqsCredential(raw);
			return new SqsClient(context, queue, redactor, deadline);
		} catch (error) {
			const hint = (error as { hint?: string }).hint;
			throw operationError(
				context.getNode(),
				(error as Error).message,
				hint ?? 'Open the AWS SQS credential and fill in the access key ID, secret access key, region and queue URL.',
				undefined,
				redactor,
			);
		}
	}

	/** True for errors that retrying cannot fix: wrong key, denied permission, missing queue. */
	isPermanent(error: unknown): boolean {
		return typeof error === 'object' && error !== null && this.permanentErrors.has(error);
	}

	async receive(options: ReceiveOptions): Promise<SqsMessage[]> {
		const wait = Math.max(0, Math.min(20, Math.floor(options.waitTimeSeconds)));
		const body = await this.call<{ Messages?: SqsMessage[] }>(
			'ReceiveMessage',
			{
				QueueUrl: this.queue.url,
				MaxNumberOfMessages: Math.max(1, Math.min(10, Math.floor(options.maxNumberOfMessages))),
				WaitTimeSeconds: wait,
				VisibilityTimeout: Math.max(0, Math.min(43_200, Math.floor(options.visibilityTimeoutSeconds))),
				MessageSystemAttributeNames: RECEIVE_ATTRIBUTES,
			},
			// The server holds a long poll open for up to WaitTimeSeconds.
			(wait + 20) * 1000,
		);
		return Array.isArray(body.Messages) ? body.Messages : [];
	}

	/** Deletes up to 10 messages; per-entry failures are reported, not thrown. */
	async deleteBatch(entries: DeleteEntry[]): Promise<DeleteResult> {
		if (!entries.length) return { deleted: [], failed: [] };
		if (entries.length > 10) throw new RangeError('DeleteMessageBatch takes at most 10 entries');
		const body = await this.call<{ Successful?: Array<{ Id: string }>; Failed?: Array<{ Id: string; Code?: string; Message?: string; SenderFault?: boolean }> }>(
			'DeleteMessageBatch',
			{ QueueUrl: this.queue.url, Entries: entries.map((entry) => ({ Id: entry.id, ReceiptHandle: entry.receiptHandle })) },
			30_000,
		);
		const deleted = (body.Successful ?? []).map((entry) => entry.Id);
		const failed = (body.Failed ?? []).map((entry) => ({ id: entry.Id, code: entry.Code ?? 'Unknown', message: entry.Message, senderFault: entry.SenderFault === true }));
		// An entry the answer does not mention was not deleted.
		const answered = new Set([...deleted, ...failed.map((entry) => entry.id)]);
		for (const entry of entries) {
			if (!answered.has(entry.id)) failed.push({ id: entry.id, code: 'NoAnswer', message: 'SQS did not report this entry', senderFault: false });
		}
		return { deleted, failed };
	}

	async queueAttributes(names: string[]): Promise<Record<string, string>> {
		const body = await this.call<{ Attributes?: Record<string, string> }>('GetQueueAttributes', { QueueUrl: this.queue.url, AttributeNames: names }, 30_000);
		return body.Attributes ?? {};
	}

	private async call<T>(action: SqsAction, payload: IDataObject, timeoutMs: number): Promise<T> {
		const send = async (): Promise<RawResponse> => {
			const options: IHttpRequestOptions = {
				method: 'POST',
				url: `${this.queue.origin}/`,
				headers: { 'Content-Type': SQS_CONTENT_TYPE, 'X-Amz-Target': `AmazonSQS.${action}` },
				body: JSON.stringify(payload),
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				timeout: timeoutMs,
			};
			const response = (await this.context.helpers.httpRequestWithAuthentication.call(this.context, SQS_CREDENTIAL_TYPE, options)) as {
				statusCode: number;
				headers?: RawResponse['headers'];
				body: unknown;
			};
			return { statusCode: response.statusCode, headers: response.headers ?? {}, body: parseJsonBody(response.body) };
		};
		const signal = 'getExecutionCancelSignal' in this.context ? this.context.getExecutionCancelSignal() : undefined;
		let outcome: CallOutcome;
		try {
			outcome = await sendWithRetry(
				send,
				{ clock: { now: () => Date.now(), sleep: async (ms) => await sleep(ms, signal) }, signal, logger: this.context.logger },
				{
					// Every call we make is safe to repeat: a lost ReceiveMessage answer only hides
					// messages until their visibility timeout ends; deleting twice deletes once.
					idempotent: true,
					retryStatuses: [429, 500, 502, 503, 504],
					classifyResponse: (response): FailureKind | undefined => (response.statusCode >= 400 && isThrottle(sqsErrorOf(response)) ? 'rejected' : undefined),
					backoff: { budgetMs: Math.max(0, this.deadline - Date.now()), maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 },
					label: `SQS ${action}`,
				},
			);
		} catch (error) {
			if (error instanceof TransportFailure && error.reason === 'cancelled') {
				throw operationError(this.context.getNode(), 'The execution was cancelled', 'Nothing to fix: the run was stopped.', undefined);
			}
			const failure = apiError(this.context.getNode(), describeSqsTransportFailure(error, action, this.queue), undefined, this.redactor);
			if (!isNetworkFailure(error)) this.permanentErrors.add(failure);
			throw failure;
		}
		const { response } = outcome;
		if (response.statusCode >= 200 && response.statusCode < 300) return (response.body && typeof response.body === 'object' ? response.body : {}) as T;
		const failure: NodeApiError = apiError(this.context.getNode(), describeSqsFailure(response, action, this.queue, outcome), undefined, this.redactor);
		if (isPermanent(sqsErrorOf(response), response.statusCode)) this.permanentErrors.add(failure);
		throw failure;
	}
}

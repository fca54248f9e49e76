/**
 * SQS answers (AWS JSON 1.0 protocol) → what happened and how to fix it. The error code comes
 * from the `x-amzn-query-error` header (`<code>;Sender|Receiver`), else from the body's
 * `__type` (`com.amazonaws.sqs#QueueDoesNotExist`).
 */
import type { IDataObject } from 'n8n-workflow';

import { headerValue } from '../../common/backoff';
import type { FailureReport } from '../../common/errors';
import { type CallOutcome, type RawResponse, TransportFailure } from '../../common/retry';
import type { QueueLocation } from './queueUrl';

export interface SqsError {
	/** The query-compatible code when present (e.g. `AWS.SimpleQueueService.NonExistentQueue`), else the `__type` name. */
	code: string;
	/** The `__type` name without its namespace (e.g. `QueueDoesNotExist`). */
	type?: string;
	message?: string;
	senderFault?: boolean;
}

export function parseJsonBody(body: unknown): unknown {
	if (typeof body === 'string') {
		if (!body.trim()) return {};
		try {
			return JSON.parse(body) as unknown;
		} catch {
			return body;
		}
	}
	if (body instanceof Uint8Array) return parseJsonBody(Buffer.from(body).toString('utf8'));
	return body ?? {};
}

export function sqsErrorOf(response: Pick<RawResponse, 'headers' | 'body'>): SqsError | undefined {
	const parsed = parseJsonBody(response.body);
	const body = parsed && typeof parsed === 'object' ? (parsed as IDataObject) : {};
	const rawType = typeof body.__type === 'string' ? body.__type : typeof body.code === 'string' ? body.code : undefined;
	const type = rawType?.split('#').pop()?.split(':')[0];
	const queryError = headerValue(response.headers, 'x-amzn-query-error');
	const [queryCode, fault] = queryError ? queryError.split(';') : [];
	const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : typeof parsed === 'string' ? parsed.slice(0, 300) : undefined;
	const code = queryCode?.trim() || type;
	if (!code) return undefined;
	return { code, type, message, senderFault: fault === undefined ? undefined : fault.trim() === 'Sender' };
}

const THROTTLE_CODES = new Set([
	'RequestThrottled',
	'ThrottlingException',
	'Throttling',
	'ThrottledException',
	'TooManyRequestsException',
	'RequestLimitExceeded',
	'RequestThrottledException',
	'SlowDown',
]);

export function isThrottle(error: SqsError | undefined): boolean {
	return Boolean(error && (THROTTLE_CODES.has(error.code) || (error.type !== undefined && THROTTLE_CODES.has(error.type))));
}

const is = (error: SqsError | undefined, ...names: string[]) => Boolean(error && names.some((name) => error.code === name || error.type === name));

/** Permanent errors: retrying or carrying on cannot help until someone changes a setting. */
export function isPermanent(error: SqsError | undefined, status: number): boolean {
	if (status === 401 || (status === 403 && !isThrottle(error))) return true;
	return is(error, 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'InvalidClientTokenId', 'UnrecognizedClientException', 'ExpiredToken', 'ExpiredTokenException', 'AccessDenied', 'AccessDeniedException', 'InvalidSecurity', 'InvalidAddress') || Boolean(error?.code.startsWith('KMS.'));
}

const PERMISSIONS = 'sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes';

export function describeSqsFailure(
	response: RawResponse,
	action: string,
	queue: QueueLocation,
	retry: Pick<CallOutcome, 'attempts' | 'waitedMs' | 'exhausted'>,
): FailureReport {
	const error = sqsErrorOf(response);
	const status = response.statusCode;
	const said = error ? `${error.message ?? 'no message'} [${error.code}]` : `HTTP ${status}`;
	const details: IDataObject = { action, status, queue: queue.url };
	if (error) details.awsCode = error.code;
	const report = (message: string, description: string): FailureReport => ({ message, description, httpCode: status, details });

	if (isThrottle(error) || status === 429) {
		return report(
			`Amazon SQS kept throttling ${action} (${retry.attempts} attempts over ${Math.round(retry.waitedMs / 1000)} s): ${said}`,
			'SQS limits the request rate per queue and account. Nothing was lost: the messages stay in the queue. Poll less often or lower "Max Messages per Poll".',
		);
	}
	if (is(error, 'InvalidClientTokenId', 'UnrecognizedClientException')) {
		return report(
			`AWS does not know the access key of the AWS SQS credential: ${said}`,
			'Check the Access Key ID (it must be an active key of the IAM user; temporary keys start with ASIA and also need the Session Token). Create a new access key in IAM if this one was deleted or deactivated.',
		);
	}
	if (is(error, 'SignatureDoesNotMatch', 'InvalidSignatureException', 'IncompleteSignature', 'IncompleteSignatureException')) {
		const clock = /expired|not yet current/i.test(error?.message ?? '');
		return report(
			clock ? `AWS rejected the request time: ${said}` : `AWS rejected the request signature: ${said}`,
			clock
				? 'Signed requests are valid for 15 minutes around AWS time: the clock of the n8n host is off. Synchronise it (NTP) and try again.'
				: `The Secret Access Key does not belong to the Access Key ID (copy both again from IAM; the secret is shown only once), or the Region is not ${queue.region}. A wrong clock on the n8n host can also cause this.`,
		);
	}
	if (is(error, 'ExpiredToken', 'ExpiredTokenException')) {
		return report(
			`The session token of the AWS SQS credential has expired: ${said}`,
			'Temporary credentials last hours at most. Paste a fresh key, secret and session token, or better use a long-term access key of an IAM user for this trigger.',
		);
	}
	if (is(error, 'AccessDenied', 'AccessDeniedException') || (status === 403 && !error)) {
		return report(
			`AWS denied ${action} on ${queue.queueName}: ${said}`,
			`Allow the IAM user ${PERMISSIONS} on ${queue.arn} (identity policy), and make sure the queue's access policy does not deny it. If the queue is encrypted with a customer-managed KMS key, the user also needs kms:Decrypt on that key.`,
		);
	}
	if (error?.code.startsWith('KMS.')) {
		return report(`SQS could not use the queue's KMS key: ${said}`, 'Allow the IAM user kms:Decrypt (and kms:GenerateDataKey) on the queue\'s KMS key, and check that the key is enabled.');
	}
	if (is(error, 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist')) {
		return report(
			`The queue ${queue.queueName} does not exist in ${queue.region} for account ${queue.accountId}`,
			'Copy the queue URL again from the SQS console: queues are regional, names are case-sensitive, and a deleted queue keeps failing until it is created again. Region and URL of the credential must name the same region.',
		);
	}
	if (is(error, 'OverLimit')) {
		return report(`SQS refused ${action}: ${said}`, 'Too many messages are in flight (received but not deleted). Let the trigger delete them (it does so at the start of each poll) or lower the visibility timeout.');
	}
	if (status >= 500) {
		return report(
			`Amazon SQS failed (HTTP ${status}) for ${action}: ${said}`,
			retry.exhausted ? `Retried ${retry.attempts} times over ${Math.round(retry.waitedMs / 1000)} s. Nothing was lost: messages stay in the queue until they are deleted. Try again later.` : 'Try again later; nothing was lost.',
		);
	}
	return report(`Amazon SQS rejected ${action} (HTTP ${status}): ${said}`, 'Check the queue URL and the trigger options.');
}

/** The deepest message on an error's cause chain (the HTTP helper wraps what the credential threw). */
function innermostMessage(error: unknown): string {
	let message = error instanceof Error ? error.message : String(error);
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const text = (current as { message?: unknown }).message;
		if (typeof text === 'string' && text) message = text;
		current = (current as { cause?: unknown }).cause;
	}
	return message;
}

/** A failure without an HTTP answer: a network failure (has a system code) or a refusal before sending. */
export function isNetworkFailure(error: unknown): boolean {
	return error instanceof TransportFailure && error.code !== undefined;
}

export function describeSqsTransportFailure(error: unknown, action: string, queue: QueueLocation): FailureReport {
	if (error instanceof TransportFailure && isNetworkFailure(error)) {
		return {
			message: `${error.message} (${action} on ${queue.host})`,
			description: `Retried ${error.attempts} times over ${Math.round(error.waitedMs / 1000)} s. Nothing was lost: messages stay in the queue until they are deleted. Check the network path from n8n to ${queue.host}.`,
			details: { code: error.code ?? null, action },
		};
	}
	const message = innermostMessage(error);
	if (/Refused to sign/.test(message)) {
		return { message, description: `The AWS SQS credential signs only requests to ${queue.host}, the host of its queue URL.`, details: { action } };
	}
	return { message: `Amazon SQS request failed (${action}): ${message}`, description: 'Check the AWS SQS credential (key, secret, region, queue URL) and the network path to AWS.', details: { action } };
}

/**
 * Feed documents are uploaded with a PUT to the pre-signed URL createFeedDocument returns, with
 * the same Content-Type that was declared and WITHOUT any SP-API credential (the URL is the
 * credential). A PUT of the same bytes is idempotent, so transient failures are simply retried.
 */
import { type IExecuteFunctions, sleep } from 'n8n-workflow';

import { apiError, operationError } from '../../common/errors';
import { TransportFailure, sendWithRetry } from '../../common/retry';
import { AMAZON_SYSTEM, type SpApiClient, cancelSignal } from './index';
import { checkDocumentUrl, describeUrl, isExpiredUrl, protectPresignedUrl, s3Error } from './download';

export interface UploadTarget {
	documentId: string;
	url: string;
	contentType: string;
}

export class UploadExpiredError extends Error {
	constructor() {
		super('The pre-signed upload URL expired');
		this.name = 'UploadExpiredError';
	}
}

/** PUTs `content`; throws UploadExpiredError when the URL expired (the caller asks for a new one). */
export async function uploadDocument(context: IExecuteFunctions, client: SpApiClient, target: UploadTarget, content: string, itemIndex: number): Promise<void> {
	protectPresignedUrl(client, target.url);
	try {
		checkDocumentUrl(target.url);
	} catch (error) {
		throw operationError(client.node, (error as Error).message, 'This is unexpected from Amazon; nothing was uploaded. Retry later.', itemIndex);
	}
	const signal = cancelSignal(context);
	let outcome;
	try {
		outcome = await sendWithRetry<string>(
			async () => {
				const response = (await context.helpers.httpRequest({
					method: 'PUT',
					url: target.url,
					// Exactly the declared type, and deliberately no x-amz-access-token or Authorization.
					headers: { 'Content-Type': target.contentType },
					body: content,
					json: false,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					disableFollowRedirect: true,
					sendCredentialsOnCrossOriginRedirect: false,
					timeout: client.settings.requestTimeoutMs,
					...(signal ? { abortSignal: signal } : {}),
				})) as { statusCode: number; headers?: Record<string, string | string[] | undefined>; body: unknown };
				return { statusCode: response.statusCode, headers: response.headers ?? {}, body: typeof response.body === 'string' ? response.body : '' };
			},
			{ clock: { now: () => Date.now(), sleep: async (ms) => await sleep(ms, signal) }, signal, logger: context.logger },
			{ idempotent: true, retryStatuses: [429, 500, 502, 503, 504], backoff: { budgetMs: Math.min(client.remainingMs(), 5 * 60_000), maxAttempts: 5 }, label: 'feed document upload' },
		);
	} catch (error) {
		if (error instanceof TransportFailure && error.reason === 'cancelled') throw operationError(client.node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', itemIndex);
		throw apiError(
			client.node,
			{
				message: `Uploading feed document ${target.documentId} to ${describeUrl(target.url)} failed: ${(error as Error).message}`,
				description: "Check the network path to Amazon's storage (proxy, firewall) and run again; nothing was submitted to Amazon yet.",
			},
			itemIndex,
			client.redactor,
		);
	}
	const { statusCode, body } = outcome.response;
	if (statusCode >= 200 && statusCode < 300) return;
	if (isExpiredUrl(statusCode, body)) throw new UploadExpiredError();
	const { code, message } = s3Error(body);
	throw apiError(
		client.node,
		{
			message: `${AMAZON_SYSTEM} document storage refused the feed upload (HTTP ${statusCode}${code ? `: ${code}` : ''}${message ? ` – ${message}` : ''})`,
			description: 'Nothing was submitted to Amazon. Run again; a proxy that adds headers (Authorization) to requests would also cause this.',
			httpCode: statusCode,
		},
		itemIndex,
		client.redactor,
	);
}

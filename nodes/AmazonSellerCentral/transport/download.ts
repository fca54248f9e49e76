/**
 * Report and feed documents: getReportDocument / getFeedDocument give a pre-signed URL on Amazon's
 * storage (S3), valid five minutes, that must be fetched WITHOUT any SP-API credential. This module is the only place that
 * fetches such URLs: plain `httpRequest` (never the authenticated helper), https only, never an
 * SP-API or Login with Amazon host, redirects not followed, the body streamed to the caller.
 *
 * Transient failures (5xx, resets) are retried; an expired URL is replaced once with a fresh one;
 * a transfer that breaks while the body is read starts over from a fresh URL (the consumers are
 * pure: parsing or storing binary data). The URL's signature never reaches an error or a log.
 */
import { type IDataObject, type IExecuteFunctions, type IHttpRequestOptions, sleep } from 'n8n-workflow';

import { apiError, operationError } from '../../common/errors';
import { headerValue } from '../../common/backoff';
import { type RawResponse, TransportFailure, classifyNetworkError, networkErrorCode, sendWithRetry } from '../../common/retry';
import { parseXml } from '../../common/xml';
import { AMAZON_SYSTEM, type SpApiClient, cancelSignal } from './index';
import { OPERATIONS } from './operations';

/** getReportDocument's answer (the URL stays inside this module and the consumer). */
export interface ReportDocument {
	reportDocumentId: string;
	url: string;
	compressionAlgorithm?: string;
}

/**
 * The subset of Node's Readable the consumers use; typed structurally because shipped code may
 * not import node:stream. It is what n8n's `prepareBinaryData` accepts.
 */
export interface ByteStream extends AsyncIterable<Uint8Array> {
	read(size?: number): Uint8Array | null;
	unshift(chunk: Uint8Array): void;
	on(event: string, listener: (...args: unknown[]) => void): unknown;
	off(event: string, listener: (...args: unknown[]) => void): unknown;
	destroy(error?: Error): unknown;
	readonly readableEnded?: boolean;
	readonly destroyed?: boolean;
}

export interface DocumentBody {
	document: Omit<ReportDocument, 'url'>;
	stream: ByteStream;
	/** Content-Type of the stored object (charset included), if the storage sent one. */
	contentType?: string;
	/** Bytes on the wire (compressed size for GZIP documents), if known. */
	contentLength?: number;
	/** Whether the storage was asked to send `Content-Encoding: gzip` (the HTTP client then decompresses). */
	contentEncodingRequested: boolean;
}

export interface DownloadOptions {
	/**
	 * Ask for `Content-Encoding: gzip` on GZIP documents (`enableContentEncodingUrlHeader`), so
	 * the HTTP client hands over decompressed bytes as a stream; used for binary output.
	 */
	contentEncoding?: boolean;
	/** Attempts for a transfer that breaks while the body is read; default 3. */
	maxTransfers?: number;
}

const S3_ERROR_BODY_LIMIT = 16 * 1024;
const RETRY_STATUSES = [429, 500, 502, 503, 504];
/** SP-API and Login with Amazon hosts: a document URL pointing there is refused (it would be a token leak waiting to happen). */
const CREDENTIAL_HOSTS = /(^|\.)sellingpartnerapi(-[a-z]+)?\.amazon\.com$|^api\.amazon\.(com|co\.uk|co\.jp)$/i;

export class DocumentUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DocumentUrlError';
	}
}

/** What may be said about a pre-signed URL: scheme, host and path, never the query. */
export function describeUrl(url: string): string {
	if (!URL.canParse(url)) return '(an invalid URL)';
	const parsed = new URL(url);
	return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** The URL may be fetched without credentials: https, no user info, not an Amazon credential host. */
export function checkDocumentUrl(url: string): URL {
	if (typeof url !== 'string' || !URL.canParse(url)) throw new DocumentUrlError('Amazon returned a document URL that is not a valid URL');
	const parsed = new URL(url);
	if (parsed.protocol !== 'https:') throw new DocumentUrlError(`The document URL must use https, not ${parsed.protocol} (${describeUrl(url)})`);
	if (parsed.username || parsed.password) throw new DocumentUrlError(`The document URL carries user credentials (${describeUrl(url)})`);
	if (CREDENTIAL_HOSTS.test(parsed.hostname)) {
		throw new DocumentUrlError(`The document URL points at ${parsed.hostname}, an SP-API or Login with Amazon host, not at the document storage`);
	}
	return parsed;
}

/** Code and message of an S3 XML error body, if it is one. */
export function s3Error(body: string): { code?: string; message?: string } {
	if (!body.trimStart().startsWith('<')) return {};
	try {
		const parsed = parseXml(body);
		const root = parsed.name === 'Error' ? parsed : parsed.children.find((child) => child.name === 'Error');
		const text = (name: string) => root?.children.find((child) => child.name === name)?.text.trim() || undefined;
		return { code: text('Code'), message: text('Message') };
	} catch {
		return {};
	}
}

/** S3's answer to a pre-signed URL used after its expiry. */
export function isExpiredUrl(status: number, body: string): boolean {
	if (status !== 403) return false;
	const { code, message } = s3Error(body);
	return code === 'ExpiredToken' || (code === 'AccessDenied' && /expired/i.test(message ?? ''));
}

async function readLimited(stream: ByteStream, limit: number): Promise<string> {
	const parts: Uint8Array[] = [];
	let length = 0;
	try {
		for await (const chunk of stream) {
			parts.push(chunk);
			length += chunk.length;
			if (length >= limit) break;
		}
	} catch {
		// An error body that cannot be read completely is still described by its status.
	} finally {
		stream.destroy();
	}
	const bytes = new Uint8Array(Math.min(length, limit));
	let offset = 0;
	for (const part of parts) {
		const slice = part.subarray(0, Math.max(0, bytes.length - offset));
		bytes.set(slice, offset);
		offset += slice.length;
	}
	return new TextDecoder('utf-8').decode(bytes);
}

/** A pre-signed URL's signature (and a session token, if any) is a short-lived bearer secret. */
export function protectPresignedUrl(client: SpApiClient, url: string): void {
	if (!URL.canParse(url)) return;
	const params = new URL(url).searchParams;
	for (const name of ['X-Amz-Signature', 'X-Amz-Security-Token', 'X-Amz-Credential', 'Signature']) {
		const value = params.get(name);
		if (value) client.redactor.add(value);
	}
}

/** The document's metadata without its pre-signed URL. */
export function withoutUrl(document: ReportDocument): Omit<ReportDocument, 'url'> {
	return {
		reportDocumentId: document.reportDocumentId,
		...(document.compressionAlgorithm !== undefined ? { compressionAlgorithm: document.compressionAlgorithm } : {}),
	};
}

function isStream(value: unknown): value is ByteStream {
	return !!value && typeof value === 'object' && typeof (value as ByteStream)[Symbol.asyncIterator] === 'function' && typeof (value as ByteStream).destroy === 'function';
}

/** Which documents a downloader fetches: the SP-API call that issues their URLs, and their name. */
const DOCUMENT_KINDS = {
	report: { operation: OPERATIONS.getReportDocument, idName: 'reportDocumentId', label: 'report document' },
	feedResult: { operation: OPERATIONS.getFeedDocument, idName: 'feedDocumentId', label: 'feed result document' },
} as const;

export type DocumentKind = keyof typeof DOCUMENT_KINDS;

export class ReportDocumentDownloader {
	private readonly kind: (typeof DOCUMENT_KINDS)[DocumentKind];

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly client: SpApiClient,
		private readonly itemIndex: number,
		kind: DocumentKind = 'report',
	) {
		this.kind = DOCUMENT_KINDS[kind];
	}

	/** getReportDocument / getFeedDocument: the document's metadata and a fresh pre-signed URL. */
	async fetchDocument(documentId: string, contentEncoding = false): Promise<ReportDocument> {
		const response = await this.client.call<IDataObject>(
			{
				operation: this.kind.operation,
				pathParameters: { [this.kind.idName]: documentId },
				query: { enableContentEncodingUrlHeader: contentEncoding ? 'true' : undefined },
			},
			this.itemIndex,
		);
		const body = response.body ?? {};
		const url = typeof body.url === 'string' ? body.url : '';
		this.protect(url);
		const returnedId = body[this.kind.idName];
		return {
			reportDocumentId: typeof returnedId === 'string' ? returnedId : documentId,
			url,
			...(typeof body.compressionAlgorithm === 'string' ? { compressionAlgorithm: body.compressionAlgorithm } : {}),
		};
	}

	/**
	 * Downloads the document and hands its body to `consume`, which must read it to the end (or
	 * destroy it). Returns what `consume` returns.
	 */
	async download<T>(reportDocumentId: string, consume: (body: DocumentBody) => Promise<T>, options: DownloadOptions = {}): Promise<T> {
		// Amazon applies the Content-Encoding flag to GZIP documents only; others stay identity.
		const document = await this.fetchDocument(reportDocumentId, options.contentEncoding === true);
		return await this.downloadFrom(document, consume, { ...options, contentEncoding: options.contentEncoding === true && document.compressionAlgorithm === 'GZIP' });
	}

	/** As {@link download}, for a document whose metadata (and URL) is already at hand. */
	async downloadFrom<T>(first: ReportDocument, consume: (body: DocumentBody) => Promise<T>, options: DownloadOptions = {}): Promise<T> {
		const maxTransfers = options.maxTransfers ?? 3;
		const contentEncoding = options.contentEncoding === true;
		let document = first;
		let refreshedAfterExpiry = false;
		for (let transfer = 1; ; transfer++) {
			const response = await this.open(document);
			if (response.statusCode >= 200 && response.statusCode < 300 && isStream(response.body)) {
				const contentLength = Number(headerValue(response.headers, 'content-length'));
				let outcome: { value: T } | undefined;
				let failure: unknown;
				try {
					outcome = {
						value: await consume({
							document: withoutUrl(document),
							stream: response.body,
							contentType: headerValue(response.headers, 'content-type'),
							contentLength: Number.isFinite(contentLength) && contentLength >= 0 ? contentLength : undefined,
							contentEncodingRequested: contentEncoding,
						}),
					};
				} catch (error) {
					failure = error;
				}
				if (outcome) return outcome.value;
				response.body.destroy();
				const kind = classifyNetworkError(failure, cancelSignal(this.context));
				if (kind === 'cancelled') throw operationError(this.client.node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', this.itemIndex);
				// Only a broken transfer is worth another one; anything else is the consumer's verdict on the content.
				if (kind === 'fatal') throw failure;
				if (transfer >= maxTransfers || this.client.remainingMs() <= 0) throw this.brokenTransferError(document, failure, transfer);
				this.context.logger.warn(`${this.kind.label} transfer broke off; downloading it again`, { documentId: document.reportDocumentId, transfer });
				document = await this.fetchDocument(document.reportDocumentId, contentEncoding);
				continue;
			}
			const text = typeof response.body === 'string' ? response.body : '';
			if (!refreshedAfterExpiry && isExpiredUrl(response.statusCode, text)) {
				// The five minutes passed (e.g. while waiting for a rate limit): one fresh URL, once.
				refreshedAfterExpiry = true;
				this.context.logger.debug(`${this.kind.label} URL expired; fetching a fresh one`, { documentId: document.reportDocumentId });
				document = await this.fetchDocument(document.reportDocumentId, contentEncoding);
				transfer--;
				continue;
			}
			throw this.storageError(document, response, text, refreshedAfterExpiry);
		}
	}

	private protect(url: string): void {
		protectPresignedUrl(this.client, url);
	}

	private async open(document: ReportDocument): Promise<RawResponse<ByteStream | string>> {
		try {
			checkDocumentUrl(document.url);
		} catch (error) {
			throw operationError(this.client.node, (error as Error).message, 'This is unexpected from Amazon; the document was not downloaded. Retry later or contact Amazon support.', this.itemIndex);
		}
		const signal = cancelSignal(this.context);
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: document.url,
			// Deliberately no x-amz-access-token and no Authorization: the URL is the credential.
			headers: { Accept: '*/*' },
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: this.client.settings.requestTimeoutMs,
			...(signal ? { abortSignal: signal } : {}),
		};
		const send = async (): Promise<RawResponse<ByteStream | string>> => {
			const response = (await this.context.helpers.httpRequest({ ...options, headers: { ...options.headers } })) as {
				statusCode: number;
				headers?: RawResponse['headers'];
				body: unknown;
			};
			const headers = response.headers ?? {};
			if (response.statusCode >= 200 && response.statusCode < 300 && isStream(response.body)) return { statusCode: response.statusCode, headers, body: response.body };
			const body = isStream(response.body) ? await readLimited(response.body, S3_ERROR_BODY_LIMIT) : typeof response.body === 'string' ? response.body : '';
			return { statusCode: response.statusCode, headers, body };
		};
		try {
			const outcome = await sendWithRetry<ByteStream | string>(
				send,
				{ clock: { now: () => Date.now(), sleep: async (ms) => await sleep(ms, signal) }, signal, logger: this.context.logger },
				{
					idempotent: true,
					retryStatuses: RETRY_STATUSES,
					backoff: { budgetMs: Math.min(Math.max(0, this.client.remainingMs()), 5 * 60_000), maxAttempts: 5 },
					label: `${this.kind.label} download`,
				},
			);
			return outcome.response;
		} catch (error) {
			if (error instanceof TransportFailure && error.reason === 'cancelled') {
				throw operationError(this.client.node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', this.itemIndex);
			}
			const failure = error instanceof TransportFailure ? error : undefined;
			throw apiError(
				this.client.node,
				{
					message: `Downloading ${this.kind.label} ${document.reportDocumentId} from ${describeUrl(document.url)} failed: ${failure?.message ?? (error instanceof Error ? error.message : String(error))}`,
					description: failure
						? `Retried ${failure.attempts} times over ${Math.round(failure.waitedMs / 1000)} s. Check the network path to Amazon's storage (proxy, firewall) and run again.`
						: 'Check the network path to Amazon\'s storage (proxy, firewall) and run again.',
					details: { reportDocumentId: document.reportDocumentId, storageHost: new URL(document.url).host, code: failure?.code ?? null },
				},
				this.itemIndex,
				this.client.redactor,
			);
		}
	}

	private brokenTransferError(document: ReportDocument, failure: unknown, transfers: number) {
		return apiError(
			this.client.node,
			{
				message: `The download of ${this.kind.label} ${document.reportDocumentId} broke off ${transfers} time${transfers === 1 ? '' : 's'}: ${failure instanceof Error ? failure.message : String(failure)}`,
				description: 'The connection to Amazon\'s storage dropped while the document was read. Run again; for very large documents raise "Request Timeout (Seconds)".',
				details: { reportDocumentId: document.reportDocumentId, code: networkErrorCode(failure) ?? null },
			},
			this.itemIndex,
			this.client.redactor,
		);
	}

	private storageError(document: ReportDocument, response: RawResponse<unknown>, text: string, afterRefresh: boolean) {
		const status = response.statusCode;
		const { code, message } = s3Error(text);
		const said = code || message ? `: ${[code, message].filter(Boolean).join(' – ')}` : '';
		let description: string;
		if (status >= 300 && status < 400) {
			description = `The storage answered with a redirect${headerValue(response.headers, 'location') ? ` to ${describeUrl(headerValue(response.headers, 'location') as string)}` : ''}; redirects of document downloads are not followed. Run again; if it persists, contact Amazon support.`;
		} else if (status === 403 && afterRefresh) {
			description = 'A fresh URL expired as well: the node clock or the transfer is too slow. Check the server clock and the network, then run again.';
		} else if (status === 403) {
			description = 'The pre-signed URL was refused. Run again to get a fresh URL; a proxy that adds headers (Authorization) to requests would also cause this.';
		} else if (status === 404) {
			description = `The document no longer exists; Amazon keeps ${this.kind.label}s for a limited time. Request it again.`;
		} else if (status >= 500 || status === 429) {
			description = 'Amazon\'s storage kept failing. Try again later.';
		} else {
			description = 'Run again to get a fresh URL; if it persists, contact Amazon support.';
		}
		return apiError(
			this.client.node,
			{
				message: `${AMAZON_SYSTEM} document storage answered HTTP ${status} for ${this.kind.label} ${document.reportDocumentId}${said}`,
				description,
				httpCode: status,
				details: { reportDocumentId: document.reportDocumentId, storageHost: URL.canParse(document.url) ? new URL(document.url).host : null, s3Code: code ?? null },
			},
			this.itemIndex,
			this.client.redactor,
		);
	}
}

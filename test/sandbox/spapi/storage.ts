/**
 * The document storage behind reports and feeds: an S3-like server of its own (own port, fake S3
 * host name in the URLs) serving pre-signed URLs that expire 5 minutes (÷ timeScale) after they
 * were issued: GET/HEAD for report and feed documents (getReportDocument, getFeedDocument), PUT
 * for feed uploads (createFeedDocument; the upload must carry the Content-Type given there, it
 * is part of the signature). It never accepts SP-API credentials: a request carrying
 * `x-amz-access-token` or `Authorization` is refused (403) and recorded in `storageViolations`.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

import type { ResolvedConfig } from './config';
import type { Presigner } from './context';
import type { FaultController } from './faults';
import { SandboxHttpServer, type RequestContext } from './http-server';
import type { Stats } from './stats';
import type { DocumentRecord } from './model';
import type { DataStore } from './store';
import { requestId } from './util';

export const PRESIGNED_URL_LIFETIME_SECONDS = 300;
const REPORT_PREFIX = '/NinetyDays/';
const FEED_PREFIX = '/Feeds/';

export interface StorageViolation {
	at: number;
	method: string;
	/** Host the client addressed. */
	host: string;
	path: string;
	/** Which credential headers were present (names only, values are never stored). */
	headers: string[];
}

interface Grant {
	documentId: string;
	/** GET grants also allow HEAD. */
	method: 'GET' | 'PUT';
	path: string;
	query: string;
	issuedAt: number;
	expiresAt: number;
	contentEncodingGzip: boolean;
	/** PUT: the Content-Type the upload must carry. */
	contentType?: string;
}

export class StorageService implements Presigner {
	private readonly secret = randomBytes(32);
	private readonly grants = new Map<string, Grant>();
	readonly violations: StorageViolation[] = [];
	/** Origin used in URLs; set once the server listens. */
	localOrigin = '';

	constructor(
		private readonly config: ResolvedConfig,
		private readonly now: () => number,
	) {}

	origin(): string {
		return this.config.storageUrlStyle === 'local' ? this.localOrigin : `https://${this.config.storageHost}`;
	}

	presign(documentId: string, options: { contentEncodingGzip: boolean }): string {
		return this.issue(documentId, 'GET', { contentEncodingGzip: options.contentEncodingGzip });
	}

	presignUpload(documentId: string, contentType: string): string {
		return this.issue(documentId, 'PUT', { contentEncodingGzip: false, contentType });
	}

	private issue(documentId: string, method: 'GET' | 'PUT', options: { contentEncodingGzip: boolean; contentType?: string }): string {
		const issuedAt = this.now();
		const stamp = new Date(issuedAt).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
		const params = new URLSearchParams({
			'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
			'X-Amz-Credential': `AKIASANDBOXREPORTS01/${stamp.slice(0, 8)}/us-east-1/s3/aws4_request`,
			'X-Amz-Date': stamp,
			'X-Amz-Expires': String(PRESIGNED_URL_LIFETIME_SECONDS),
			'X-Amz-SignedHeaders': method === 'PUT' ? 'content-type;host' : 'host',
		});
		if (options.contentEncodingGzip) params.set('response-content-encoding', 'gzip');
		const path = `${this.prefixOf(documentId)}${encodeURIComponent(documentId)}`;
		const unsigned = params.toString();
		const signature = createHmac('sha256', this.secret)
			.update(`${method}#${path}?${unsigned}#${issuedAt}#${randomBytes(8).toString('hex')}`)
			.digest('hex');
		const query = `${unsigned}&X-Amz-Signature=${signature}`;
		this.grants.set(signature, {
			documentId,
			method,
			path,
			query,
			issuedAt,
			expiresAt: issuedAt + (PRESIGNED_URL_LIFETIME_SECONDS * 1000) / this.config.timeScale,
			contentEncodingGzip: options.contentEncodingGzip,
			contentType: options.contentType,
		});
		return `${this.origin()}${path}?${query}`;
	}

	private prefixOf(documentId: string): string {
		return this.documentKind?.(documentId) === 'feed' ? FEED_PREFIX : REPORT_PREFIX;
	}

	/** Set by the sandbox: which kind a document is (feed documents live under /Feeds/). */
	documentKind: ((documentId: string) => 'report' | 'feed' | undefined) | undefined;

	grant(signature: string): Grant | undefined {
		return this.grants.get(signature);
	}

	clear(): void {
		this.grants.clear();
		this.violations.length = 0;
	}
}

function s3Error(code: string, message: string, extra: Record<string, string> = {}): string {
	const fields = Object.entries(extra)
		.map(([k, v]) => `<${k}>${v}</${k}>`)
		.join('');
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>${randomBytes(8).toString('hex').toUpperCase()}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
}

function samePath(a: string, b: string): boolean {
	try {
		return decodeURIComponent(a) === decodeURIComponent(b);
	} catch {
		return false;
	}
}

/** Same parameters and values, whatever the client's percent-encoding or order. */
function sameQuery(a: string, b: string): boolean {
	const norm = (q: string) => [...new URLSearchParams(q)].map(([k, v]) => `${k}=${v}`).sort().join('&');
	return norm(a) === norm(b);
}

export class StorageServer extends SandboxHttpServer {
	constructor(
		stats: Stats,
		faults: FaultController,
		maxBodyBytes: number,
		private readonly storage: StorageService,
		private readonly store: DataStore,
		private readonly now: () => number,
	) {
		super('storage', stats, faults, maxBodyBytes);
	}

	private xml(ctx: RequestContext, status: number, body: string): void {
		const id = requestId().replace(/-/g, '').slice(0, 16).toUpperCase();
		ctx.entry.requestId = id;
		this.send(ctx, status, { 'Content-Type': 'application/xml', 'x-amz-request-id': id, Server: 'AmazonS3' }, body);
	}

	protected sendInjectedFailure(ctx: RequestContext, status: number): void {
		const code = status === 503 ? 'SlowDown' : status === 403 ? 'AccessDenied' : status === 404 ? 'NoSuchKey' : status >= 500 ? 'InternalError' : 'InvalidRequest';
		this.xml(ctx, status, s3Error(code, `Injected failure (HTTP ${status})`));
	}

	protected sendInternalError(ctx: RequestContext, message: string, status = 500): void {
		this.xml(ctx, status, s3Error('InternalError', message));
	}

	protected handle(ctx: RequestContext): void {
		const credentialHeaders = ['x-amz-access-token', 'authorization'].filter((h) => ctx.headers[h] !== undefined);
		if (credentialHeaders.length) {
			this.storage.violations.push({ at: Date.now(), method: ctx.method, host: ctx.host, path: ctx.path, headers: credentialHeaders });
			this.xml(ctx, 403, s3Error('AccessDenied', 'Requests to a pre-signed URL must not carry x-amz-access-token or Authorization headers.'));
			return;
		}
		if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && ctx.method !== 'PUT') {
			this.xml(ctx, 405, s3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.'));
			return;
		}
		const params = new URLSearchParams(ctx.rawQuery);
		const signature = params.get('X-Amz-Signature') ?? '';
		const grant = this.storage.grant(signature);
		if (!signature || !grant) {
			this.xml(ctx, 403, s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'));
			return;
		}
		if (!samePath(ctx.path, grant.path) || !sameQuery(ctx.rawQuery, grant.query)) {
			this.xml(ctx, 403, s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided (URL changed).'));
			return;
		}
		// The method is part of an S3 signature: a GET URL cannot upload, a PUT URL cannot download.
		if ((grant.method === 'PUT') !== (ctx.method === 'PUT')) {
			this.xml(ctx, 403, s3Error('SignatureDoesNotMatch', `The request signature we calculated does not match the signature you provided (this URL was signed for ${grant.method}).`));
			return;
		}
		const now = this.now();
		if (now >= grant.expiresAt) {
			this.xml(ctx, 403, s3Error('AccessDenied', 'Request has expired', { 'X-Amz-Expires': String(PRESIGNED_URL_LIFETIME_SECONDS), Expires: new Date(grant.expiresAt).toISOString(), ServerTime: new Date(now).toISOString() }));
			return;
		}
		const doc = this.store.documents.get(grant.documentId);
		if (!doc) {
			this.xml(ctx, 404, s3Error('NoSuchKey', 'The specified key does not exist.'));
			return;
		}
		if (ctx.method === 'PUT') {
			this.upload(ctx, grant, doc, now);
			return;
		}
		if (doc.awaitingUpload) {
			this.xml(ctx, 404, s3Error('NoSuchKey', 'The specified key does not exist.'));
			return;
		}
		const bytes = this.store.documentBytes(doc);
		const id = requestId().replace(/-/g, '').slice(0, 16).toUpperCase();
		ctx.entry.requestId = id;
		const headers: Record<string, string> = {
			'Content-Type': doc.contentType,
			ETag: `"${createHash('md5').update(bytes).digest('hex')}"`,
			'Last-Modified': new Date(doc.uploadedAt ?? grant.issuedAt).toUTCString(),
			'Accept-Ranges': 'bytes',
			'x-amz-request-id': id,
			Server: 'AmazonS3',
		};
		if (grant.contentEncodingGzip) headers['Content-Encoding'] = 'gzip';
		this.send(ctx, 200, headers, bytes);
	}

	/** PUT to a createFeedDocument URL: stored as sent, only with the Content-Type that was signed. */
	private upload(ctx: RequestContext, grant: Grant, doc: DocumentRecord, now: number): void {
		const sent = ctx.headers['content-type'];
		const contentType = (Array.isArray(sent) ? sent[0] : sent)?.trim();
		if (contentType !== grant.contentType) {
			this.xml(
				ctx,
				403,
				s3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
					ExpectedContentType: grant.contentType ?? '',
					ReceivedContentType: contentType ?? '(none)',
				}),
			);
			return;
		}
		doc.bytes = Buffer.from(ctx.body);
		doc.contentType = contentType;
		doc.awaitingUpload = false;
		doc.uploadedAt = now;
		const id = requestId().replace(/-/g, '').slice(0, 16).toUpperCase();
		ctx.entry.requestId = id;
		this.send(ctx, 200, { ETag: `"${createHash('md5').update(doc.bytes).digest('hex')}"`, 'x-amz-request-id': id, Server: 'AmazonS3' }, '');
	}
}

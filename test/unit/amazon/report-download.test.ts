/**
 * The report document download without n8n around it: a fake execution context records every
 * request, so the absence of credentials, the refusal of redirects and unsafe URLs, and restarts
 * after broken transfers can be checked exactly.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';

import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

import { binaryItems } from '../../../nodes/AmazonSellerCentral/actions/report/document';
import type { SpApiClient } from '../../../nodes/AmazonSellerCentral/transport';
import {
	type ByteStream,
	type DocumentBody,
	ReportDocumentDownloader,
	checkDocumentUrl,
	describeUrl,
	isExpiredUrl,
	s3Error,
} from '../../../nodes/AmazonSellerCentral/transport/download';
import { Redactor } from '../../../nodes/common/redaction';

const NODE: INode = { id: '1', name: 'Amazon Seller Central', type: 'n8n-nodes-ml-connector.amazonSellerCentral', typeVersion: 1, position: [0, 0], parameters: {} };
const EXPIRED = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Request has expired</Message><RequestId>1</RequestId></Error>';

type Answer = { statusCode: number; headers?: IDataObject; body: unknown };

function fakeClient(urls: string[]) {
	let issued = 0;
	const call = jest.fn(async () => ({ statusCode: 200, headers: {}, body: { reportDocumentId: 'doc-1', url: urls[Math.min(issued++, urls.length - 1)] } }));
	const client = { call, redactor: new Redactor(), node: NODE, settings: { requestTimeoutMs: 5000, timeBudgetMs: 60_000 }, remainingMs: () => 60_000 };
	return { client: client as unknown as SpApiClient, call };
}

function fakeContext(answers: Array<() => Answer>) {
	const requests: IHttpRequestOptions[] = [];
	const httpRequest = jest.fn(async (options: IHttpRequestOptions) => {
		requests.push(options);
		const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
		return answer();
	});
	const logger = { debug: jest.fn(), warn: jest.fn(), info: jest.fn(), error: jest.fn() };
	const prepared: Array<{ data: unknown; fileName?: string; mimeType?: string }> = [];
	const context = {
		getNode: () => NODE,
		getExecutionCancelSignal: () => undefined,
		logger,
		helpers: {
			httpRequest,
			prepareBinaryData: jest.fn(async (data: unknown, fileName?: string, mimeType?: string) => {
				prepared.push({ data, fileName, mimeType });
				return { data: '', mimeType: mimeType ?? '', fileName };
			}),
		},
	};
	return { context: context as unknown as IExecuteFunctions, requests, logger, prepared };
}

const stream = (...chunks: Array<string | Buffer>) => Readable.from(chunks.map((chunk) => Buffer.from(chunk)), { objectMode: false });

/** Sends `first`, then fails like a dropped connection. */
function breakingStream(first: string): Readable {
	let sent = false;
	return new Readable({
		read() {
			if (!sent) {
				sent = true;
				this.push(Buffer.from(first));
				return;
			}
			this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		},
	});
}

async function text(body: DocumentBody): Promise<string> {
	const parts: Buffer[] = [];
	for await (const chunk of body.stream) parts.push(Buffer.from(chunk));
	return Buffer.concat(parts).toString('utf8');
}

async function failure(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected a failure');
}

const URL_1 = 'https://bucket.s3.amazonaws.com/NinetyDays/doc-1?X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const URL_2 = 'https://bucket.s3.amazonaws.com/NinetyDays/doc-1?X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('report document URLs', () => {
	it('accepts https storage URLs and refuses anything that could receive credentials', () => {
		expect(checkDocumentUrl(URL_1).host).toBe('bucket.s3.amazonaws.com');
		expect(() => checkDocumentUrl(URL_1.replace('https:', 'http:'))).toThrow('The document URL must use https, not http: (http://bucket.s3.amazonaws.com/NinetyDays/doc-1)');
		expect(() => checkDocumentUrl('https://sellingpartnerapi-eu.amazon.com/reports?x=1')).toThrow(/SP-API or Login with Amazon host/);
		expect(() => checkDocumentUrl('https://sandbox.sellingpartnerapi-na.amazon.com/x')).toThrow(/SP-API or Login with Amazon host/);
		expect(() => checkDocumentUrl('https://api.amazon.com/auth/o2/token')).toThrow(/SP-API or Login with Amazon host/);
		expect(() => checkDocumentUrl('https://user:pw@bucket.s3.amazonaws.com/x')).toThrow(/user credentials/);
		expect(() => checkDocumentUrl('not a url')).toThrow(/not a valid URL/);
		expect(describeUrl(URL_1)).toBe('https://bucket.s3.amazonaws.com/NinetyDays/doc-1');
	});

	it('reads S3 error bodies and recognises an expired URL', () => {
		expect(s3Error(EXPIRED)).toEqual({ code: 'AccessDenied', message: 'Request has expired' });
		expect(s3Error('not xml')).toEqual({});
		expect(s3Error('<Error><Code>')).toEqual({});
		expect(isExpiredUrl(403, EXPIRED)).toBe(true);
		expect(isExpiredUrl(400, EXPIRED)).toBe(false);
		expect(isExpiredUrl(403, '<Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>')).toBe(false);
		expect(isExpiredUrl(403, '<Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>')).toBe(true);
	});
});

describe('ReportDocumentDownloader', () => {
	it('sends no credential header, follows no redirect and streams the body to the consumer', async () => {
		const { client } = fakeClient([URL_1]);
		const { context, requests } = fakeContext([() => ({ statusCode: 200, headers: { 'content-type': 'text/plain; charset=UTF-8', 'content-length': '6' }, body: stream('a\n', 'b\nc') })]);
		const result = await new ReportDocumentDownloader(context, client, 0).download('doc-1', async (body) => ({ text: await text(body), type: body.contentType, length: body.contentLength }));
		expect(result).toEqual({ text: 'a\nb\nc', type: 'text/plain; charset=UTF-8', length: 6 });
		expect(requests).toHaveLength(1);
		const [request] = requests;
		expect(Object.keys(request.headers ?? {}).map((name) => name.toLowerCase())).toEqual(['accept']);
		expect(request).toMatchObject({ method: 'GET', url: URL_1, encoding: 'stream', disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false, returnFullResponse: true });
		expect(request.auth).toBeUndefined();
	});

	it('asks for Content-Encoding when the caller wants it; only a GZIP document counts as encoded', async () => {
		for (const compressionAlgorithm of ['GZIP', undefined]) {
			const { client, call } = fakeClient([URL_1]);
			call.mockImplementation(async () => ({ statusCode: 200, headers: {}, body: { reportDocumentId: 'doc-1', url: URL_1, ...(compressionAlgorithm ? { compressionAlgorithm } : {}) } }));
			const { context } = fakeContext([() => ({ statusCode: 200, body: stream('x') })]);
			const encoded = await new ReportDocumentDownloader(context, client, 0).download('doc-1', async (body) => body.contentEncodingRequested, { contentEncoding: true });
			expect(encoded).toBe(compressionAlgorithm === 'GZIP');
			expect((call.mock.calls as unknown as Array<[IDataObject]>).map(([request]) => (request.query as IDataObject).enableContentEncodingUrlHeader)).toEqual(['true']);
		}
	});

	it('replaces an expired URL once, then reports the failure', async () => {
		const { client, call } = fakeClient([URL_1, URL_2]);
		const { context, requests } = fakeContext([() => ({ statusCode: 403, body: stream(EXPIRED) })]);
		const error = await failure(new ReportDocumentDownloader(context, client, 0).download('doc-1', text));
		expect(call).toHaveBeenCalledTimes(2);
		expect(requests.map((request) => request.url)).toEqual([URL_1, URL_2]);
		expect(error.message).toBe('Amazon Seller Central document storage answered HTTP 403 for report document doc-1: AccessDenied – Request has expired');
		expect((error as { description?: string }).description).toMatch(/A fresh URL expired as well/);
		expect(JSON.stringify(error)).not.toMatch(/aaaaaaaa|bbbbbbbb/);
	});

	it('starts a broken transfer over from a fresh URL', async () => {
		const { client, call } = fakeClient([URL_1, URL_2]);
		const { context, requests, logger } = fakeContext([() => ({ statusCode: 200, body: breakingStream('par') }), () => ({ statusCode: 200, body: stream('complete') })]);
		const result = await new ReportDocumentDownloader(context, client, 0).download('doc-1', text);
		expect(result).toBe('complete');
		expect(call).toHaveBeenCalledTimes(2);
		expect(requests.map((request) => request.url)).toEqual([URL_1, URL_2]);
		expect(logger.warn).toHaveBeenCalledWith('report document transfer broke off; downloading it again', { documentId: 'doc-1', transfer: 1 });
	});

	it('gives up after three broken transfers with an error that carries no signature', async () => {
		const { client } = fakeClient([URL_1, URL_2]);
		const { context, requests } = fakeContext([() => ({ statusCode: 200, body: breakingStream('x') })]);
		const error = await failure(new ReportDocumentDownloader(context, client, 0).download('doc-1', text));
		expect(requests).toHaveLength(3);
		expect(error.message).toBe('The download of report document doc-1 broke off 3 times: socket hang up');
		expect(JSON.stringify(error)).not.toMatch(/aaaaaaaa|bbbbbbbb/);
	});

	it('does not restart for errors of the consumer (bad content)', async () => {
		const { client } = fakeClient([URL_1]);
		const { context, requests } = fakeContext([() => ({ statusCode: 200, body: stream('x') })]);
		const error = await failure(
			new ReportDocumentDownloader(context, client, 0).download('doc-1', async () => {
				throw new Error('Line 3: not a settlement');
			}),
		);
		expect(error.message).toBe('Line 3: not a settlement');
		expect(requests).toHaveLength(1);
	});

	it('refuses a redirect instead of following it', async () => {
		const { client } = fakeClient([URL_1]);
		const { context, requests } = fakeContext([() => ({ statusCode: 302, headers: { location: 'https://elsewhere.example/doc?X-Amz-Signature=cccccccccccc' }, body: stream('') })]);
		const error = await failure(new ReportDocumentDownloader(context, client, 0).download('doc-1', text));
		expect(requests).toHaveLength(1);
		expect(error.message).toBe('Amazon Seller Central document storage answered HTTP 302 for report document doc-1');
		expect((error as { description?: string }).description).toBe(
			'The storage answered with a redirect to https://elsewhere.example/doc; redirects of document downloads are not followed. Run again; if it persists, contact Amazon support.',
		);
	});

	it('refuses a document URL on an SP-API host before any request', async () => {
		const { client } = fakeClient(['https://sellingpartnerapi-na.amazon.com/reports/2021-06-30/documents/x']);
		const { context, requests } = fakeContext([() => ({ statusCode: 200, body: stream('x') })]);
		const error = await failure(new ReportDocumentDownloader(context, client, 0).download('doc-1', text));
		expect(error.message).toMatch(/points at sellingpartnerapi-na.amazon.com, an SP-API or Login with Amazon host/);
		expect(requests).toHaveLength(0);
	});
});

describe('binary output of a GZIP document', () => {
	const plain = Buffer.from('sku\tname\nMÜSLI-RIEGEL-12\tRiegel\n'.repeat(200));
	const body = (chunks: Buffer[], compressed = true): DocumentBody => ({
		document: { reportDocumentId: 'doc-1', ...(compressed ? { compressionAlgorithm: 'GZIP' } : {}) },
		stream: Readable.from(chunks, { objectMode: false }) as unknown as ByteStream,
		contentType: 'text/plain; charset=UTF-8',
		contentEncodingRequested: true,
	});
	const split = (bytes: Buffer, size: number) => Array.from({ length: Math.ceil(bytes.length / size) }, (_, index) => bytes.subarray(index * size, (index + 1) * size));

	async function bytesOf(data: unknown): Promise<Buffer> {
		if (Buffer.isBuffer(data)) return data;
		const parts: Buffer[] = [];
		for await (const chunk of data as AsyncIterable<Buffer>) parts.push(chunk);
		return Buffer.concat(parts);
	}

	it('hands the stream over whole when the HTTP client already decompressed it', async () => {
		const { context, prepared } = fakeContext([]);
		const result = await binaryItems(context, body(split(plain, 100)), { reportDocumentId: 'doc-1', reportId: '42', reportType: 'GET_X' }, 'data');
		expect(prepared).toHaveLength(1);
		expect(Buffer.isBuffer(prepared[0].data)).toBe(false);
		expect((await bytesOf(prepared[0].data)).equals(plain)).toBe(true);
		expect(prepared[0]).toMatchObject({ fileName: 'GET_X-42.txt', mimeType: 'text/plain; charset=UTF-8' });
		expect(result.items[0].json).toMatchObject({ reportId: '42', fileName: 'GET_X-42.txt', compressionAlgorithm: 'GZIP', decompressed: true });
	});

	it('gunzips in the node when the bytes arrive still compressed', async () => {
		const { context, prepared, logger } = fakeContext([]);
		await binaryItems(context, body(split(gzipSync(plain), 50)), { reportDocumentId: 'doc-1' }, 'file');
		expect(Buffer.isBuffer(prepared[0].data)).toBe(true);
		expect((prepared[0].data as Buffer).equals(plain)).toBe(true);
		expect(logger.debug).toHaveBeenCalledWith('Report document arrived gzip-compressed; decompressing it in the node', { reportDocumentId: 'doc-1' });
	});

	it('passes an uncompressed document through untouched', async () => {
		const { context, prepared } = fakeContext([]);
		await binaryItems(context, body([plain], false), { reportDocumentId: 'doc-1' }, 'data');
		expect((await bytesOf(prepared[0].data)).equals(plain)).toBe(true);
	});
});

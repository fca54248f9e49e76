/**
 * What the AWS SQS credential's `authenticate` does to every request: SigV4 for service `sqs`,
 * and only for the host of the credential's own queue URL. A request for any other host is
 * refused before a signature exists, so AWS keys never reach a third party.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { type AwsCredentials, signRequest } from '../../common/awsSigV4';
import { SQS_SERVICE, assertRegionMatches, parseQueueUrl, type QueueLocation } from './queueUrl';

export interface SqsCredentialFields {
	credentials: AwsCredentials;
	region: string;
	queue: QueueLocation;
}

/** Reads and checks the credential: keys present, queue URL valid, region equal to the queue's. */
export function readSqsCredential(data: ICredentialDataDecryptedObject): SqsCredentialFields {
	const accessKeyId = String(data.accessKeyId ?? '').trim();
	const secretAccessKey = String(data.secretAccessKey ?? '').trim();
	const sessionToken = String(data.sessionToken ?? '').trim();
	if (!accessKeyId) throw new Error('The AWS SQS credential has no Access Key ID');
	if (!secretAccessKey) throw new Error('The AWS SQS credential has no Secret Access Key');
	const queue = parseQueueUrl(String(data.queueUrl ?? ''));
	const region = String(data.region ?? '').trim();
	assertRegionMatches(region, queue);
	return { credentials: { accessKeyId, secretAccessKey, sessionToken: sessionToken || undefined }, region, queue };
}

/** The URL axios will request: `url` alone when absolute, else baseURL and url joined as axios joins them. */
export function targetUrlOf(options: Pick<IHttpRequestOptions, 'url' | 'baseURL' | 'qs'>): URL {
	const raw = String(options.url ?? '');
	const joined = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) || !options.baseURL ? raw : `${String(options.baseURL).replace(/\/+$/, '')}/${raw.replace(/^\/+/, '')}`;
	if (!URL.canParse(joined)) throw new Error(`Refused to sign the request: "${joined}" is not a valid URL`);
	const url = new URL(joined);
	for (const [name, value] of Object.entries((options.qs ?? {}) as IDataObject)) {
		if (value === undefined || value === null) continue;
		for (const entry of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(entry));
	}
	return url;
}

function bodyText(body: IHttpRequestOptions['body']): string | Uint8Array {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (body instanceof Uint8Array) return body;
	if (body instanceof URLSearchParams) return body.toString();
	return JSON.stringify(body);
}

const REPLACED = new Set(['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host']);

/**
 * Signs `requestOptions` with the credential. The returned options carry the absolute URL (no
 * baseURL, no qs) and the body as the exact bytes that were signed.
 */
export function signSqsRequest(data: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions, now: Date = new Date()): IHttpRequestOptions {
	const { credentials, region, queue } = readSqsCredential(data);
	const target = targetUrlOf(requestOptions);
	if (target.protocol !== 'https:' || target.host.toLowerCase() !== queue.host) {
		throw new Error(
			`Refused to sign a request for ${target.protocol}//${target.host}: this AWS SQS credential signs only requests to https://${queue.host}, the host of its queue URL`,
		);
	}
	const body = bodyText(requestOptions.body);
	const headers: IDataObject = {};
	const toSign: Record<string, string> = {};
	for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
		const lower = name.toLowerCase();
		if (value === undefined || value === null || REPLACED.has(lower)) continue;
		headers[name] = value;
		if (lower === 'content-type' || lower.startsWith('x-amz-')) toSign[lower] = String(value);
	}
	const signed = signRequest({ method: requestOptions.method ?? 'GET', url: target.toString(), headers: toSign, body }, credentials, {
		region,
		service: SQS_SERVICE,
		date: now,
	});
	return {
		...requestOptions,
		url: target.toString(),
		baseURL: undefined,
		qs: undefined,
		body: typeof body === 'string' ? body : Buffer.from(body),
		headers: {
			...headers,
			'X-Amz-Date': signed.headers['x-amz-date'],
			Authorization: signed.headers.authorization,
			...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
		},
	};
}

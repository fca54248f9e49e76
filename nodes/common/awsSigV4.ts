/**
 * AWS Signature Version 4 (header signing), with node:crypto only.
 *
 * System-agnostic: every AWS service (SQS, S3, STS…) is signed the same way; only the service
 * name, the region and two S3 quirks (single-encoded paths, x-amz-content-sha256) differ. The
 * steps follow AWS's published algorithm: canonical request → string to sign → signing key
 * derived from the secret by HMAC chaining → signature. Proven against AWS's own test vectors
 * (test/unit/amazon/aws-sigv4.test.ts).
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
/** SHA-256 of an empty payload. */
export const EMPTY_PAYLOAD_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export interface AwsCredentials {
	accessKeyId: string;
	secretAccessKey: string;
	/** Temporary (STS) credentials only. */
	sessionToken?: string;
}

export type HeaderInput = Record<string, string | string[] | number | undefined>;

export interface SigV4Request {
	method: string;
	/** The absolute URL exactly as it will be sent (path and query percent-encoded). */
	url: string;
	/** Headers to sign besides host and x-amz-date (which are always signed). */
	headers?: HeaderInput;
	body?: string | Uint8Array;
}

export interface SigV4Options {
	region: string;
	service: string;
	/** Signing time (default: now). */
	date?: Date;
	/**
	 * Sign x-amz-security-token (default true). AWS's suite also shows adding it after signing
	 * ("post-sts-header-after"), which some services require; SQS accepts it signed.
	 */
	signSessionToken?: boolean;
	/** Send and sign x-amz-content-sha256 (S3 requires it; other services ignore it). */
	contentSha256Header?: boolean;
	/** A payload hash to use instead of hashing the body (e.g. S3's UNSIGNED-PAYLOAD). */
	payloadHash?: string;
	/**
	 * Encode path segments a second time and drop dot segments: every service but S3
	 * (default true).
	 */
	normalizePath?: boolean;
}

export interface SignedRequest {
	/** The headers to add to the request (x-amz-date, authorization, and token/hash when used). */
	headers: Record<string, string>;
	authorization: string;
	signature: string;
	signedHeaders: string;
	canonicalRequest: string;
	stringToSign: string;
	credentialScope: string;
	amzDate: string;
	payloadHash: string;
}

/** Headers a proxy or HTTP client may legitimately change: never signed. */
const UNSIGNABLE = new Set(['authorization', 'connection', 'content-length', 'expect', 'user-agent', 'x-amzn-trace-id', 'transfer-encoding', 'keep-alive', 'te', 'upgrade']);

export function sha256Hex(data: string | Uint8Array): string {
	return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
	return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20150830T123600Z`. */
export function toAmzDate(date: Date): string {
	return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Parses `20150830T123600Z`; undefined when malformed. */
export function parseAmzDate(value: string): Date | undefined {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim());
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s] = match;
	const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
	// Date.UTC rolls month 13 over into the next year: only exact round trips count.
	return Number.isNaN(date.getTime()) || toAmzDate(date) !== value.trim() ? undefined : date;
}

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
 * Each step keys the next with the raw 32 bytes, not hex.
 */
export function deriveSigningKey(secretAccessKey: string, dateStamp: string, region: string, service: string): Buffer {
	const kDate = hmac(`AWS4${secretAccessKey}`, dateStamp);
	const kRegion = hmac(kDate, region);
	const kService = hmac(kRegion, service);
	return hmac(kService, 'aws4_request');
}

/** RFC 3986 encoding as AWS wants it: only A–Z a–z 0–9 - _ . ~ stay literal; hex in upper case. */
export function awsUriEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeComponent(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		// A stray % is taken literally, as servers do.
		return value;
	}
}

/**
 * The canonical URI. `path` is the path as sent on the wire. Non-S3 services encode each
 * segment once more (so `%` becomes `%25`) after removing `.` and `..` segments; S3 signs the
 * wire path as it is.
 */
export function canonicalUri(path: string, normalize = true): string {
	const wire = path === '' ? '/' : path;
	if (!normalize) return wire;
	const segments: string[] = [];
	for (const part of wire.split('/').slice(1)) {
		if (part === '.') continue;
		if (part === '..') segments.pop();
		else segments.push(part);
	}
	return `/${segments.map((segment) => awsUriEncode(segment)).join('/')}`;
}

/**
 * The canonical query string: every name and value decoded then AWS-encoded, sorted by name,
 * then by value (byte order of the encoded strings). `rawQuery` is the query as sent, without `?`.
 */
export function canonicalQueryString(rawQuery: string): string {
	const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
	if (!query) return '';
	const pairs: Array<[string, string]> = [];
	for (const part of query.split('&')) {
		if (part === '') continue;
		const at = part.indexOf('=');
		const name = at === -1 ? part : part.slice(0, at);
		const value = at === -1 ? '' : part.slice(at + 1);
		pairs.push([awsUriEncode(decodeComponent(name)), awsUriEncode(decodeComponent(value))]);
	}
	pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
	return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/** Header value as AWS canonicalises it: trimmed, inner runs of spaces collapsed, lists joined by commas. */
export function canonicalHeaderValue(value: string | string[] | number): string {
	const values = Array.isArray(value) ? value : [String(value)];
	return values.map((entry) => entry.trim().replace(/\s+/g, ' ')).join(',');
}

export interface CanonicalRequestParts {
	method: string;
	/** Wire path (percent-encoded). */
	path: string;
	/** Wire query without `?`. */
	query: string;
	/** Lower-case names → values, at least every signed header. */
	headers: Record<string, string | string[] | number>;
	/** Lower-case, sorted names of the signed headers. */
	signedHeaders: string[];
	payloadHash: string;
	normalizePath?: boolean;
}

export function buildCanonicalRequest(parts: CanonicalRequestParts): string {
	const canonicalHeaders = parts.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(parts.headers[name] ?? '')}\n`).join('');
	return [
		parts.method.toUpperCase(),
		canonicalUri(parts.path, parts.normalizePath ?? true),
		canonicalQueryString(parts.query),
		canonicalHeaders,
		parts.signedHeaders.join(';'),
		parts.payloadHash,
	].join('\n');
}

export function buildStringToSign(amzDate: string, credentialScope: string, canonicalRequest: string): string {
	return [SIGV4_ALGORITHM, amzDate, credentialScope, sha256Hex(canonicalRequest)].join('\n');
}

export function signatureFor(secretAccessKey: string, dateStamp: string, region: string, service: string, stringToSign: string): string {
	return createHmac('sha256', deriveSigningKey(secretAccessKey, dateStamp, region, service)).update(stringToSign, 'utf8').digest('hex');
}

/** The `host` header value for a URL: the host name, plus the port when it is not the default. */
export function hostHeaderOf(url: URL): string {
	return url.host.toLowerCase();
}

/**
 * Signs a request. Returns the headers to add; the caller must send exactly the URL, body and
 * the signed header values it passed in.
 */
export function signRequest(request: SigV4Request, credentials: AwsCredentials, options: SigV4Options): SignedRequest {
	const url = new URL(request.url);
	const date = options.date ?? new Date();
	const amzDate = toAmzDate(date);
	const dateStamp = amzDate.slice(0, 8);
	const body = request.body ?? '';
	const payloadHash = options.payloadHash ?? sha256Hex(body);

	const headers: Record<string, string | string[] | number> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) {
		const lower = name.toLowerCase();
		if (value === undefined || UNSIGNABLE.has(lower)) continue;
		headers[lower] = value;
	}
	// A caller-supplied host header (AWS's test suite does that) wins over the URL's.
	headers.host ??= hostHeaderOf(url);
	headers['x-amz-date'] = amzDate;
	const added: Record<string, string> = { 'x-amz-date': amzDate };
	if (options.contentSha256Header) {
		headers['x-amz-content-sha256'] = payloadHash;
		added['x-amz-content-sha256'] = payloadHash;
	}
	const signToken = credentials.sessionToken && (options.signSessionToken ?? true);
	if (signToken) headers['x-amz-security-token'] = credentials.sessionToken as string;

	const signedHeaders = Object.keys(headers).sort();
	const canonicalRequest = buildCanonicalRequest({
		method: request.method,
		path: url.pathname,
		query: url.search,
		headers,
		signedHeaders,
		payloadHash,
		normalizePath: options.normalizePath,
	});
	const credentialScope = `${dateStamp}/${options.region}/${options.service}/aws4_request`;
	const stringToSign = buildStringToSign(amzDate, credentialScope, canonicalRequest);
	const signature = signatureFor(credentials.secretAccessKey, dateStamp, options.region, options.service, stringToSign);
	const authorization = `${SIGV4_ALGORITHM} Credential=${credentials.accessKeyId}/${credentialScope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
	added.authorization = authorization;
	if (credentials.sessionToken) added['x-amz-security-token'] = credentials.sessionToken;
	return { headers: added, authorization, signature, signedHeaders: signedHeaders.join(';'), canonicalRequest, stringToSign, credentialScope, amzDate, payloadHash };
}

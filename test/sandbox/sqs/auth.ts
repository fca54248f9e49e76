/**
 * SigV4 verification of every request, as AWS does it: the Authorization header is parsed, the
 * access key looked up, the time checked (±15 minutes of real time), the credential scope
 * checked (date, region of the endpoint, service `sqs`), the session token checked for temporary
 * keys, and the signature recomputed from the request exactly as received (method, raw path and
 * query, the signed headers' values, SHA-256 of the raw body).
 *
 * The canonical-request builder is the package's own (proven against AWS's test suite in
 * test/unit/amazon/aws-sigv4.test.ts); what this checks is that the bytes on the wire match what
 * was signed.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { buildCanonicalRequest, buildStringToSign, parseAmzDate, sha256Hex, signatureFor, toAmzDate } from '../../../nodes/common/awsSigV4';
import { SQS_ERRORS, type SqsErrorSpec } from './errors';

export interface SandboxKey {
	accessKeyId: string;
	secretAccessKey: string;
	/** Temporary credentials: requests must carry this token. */
	sessionToken?: string;
	/** The token has expired (ExpiredToken). */
	expired?: boolean;
	/** Actions this key's IAM user may not call (AccessDenied), e.g. ['DeleteMessageBatch']. */
	deny?: string[];
	/** IAM user name, for AccessDenied messages. */
	userName?: string;
}

export interface VerifyInput {
	method: string;
	path: string;
	rawQuery: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** The region of the endpoint that was addressed. */
	region: string;
	/** Real time (epoch ms). */
	now: number;
	maxSkewMs: number;
}

export type VerifyResult = { ok: true; key: SandboxKey } | { ok: false; error: SqsErrorSpec; accessKeyId?: string; reason: string };

const AUTH = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/i;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value.join(',') : value;
}

const fail = (error: SqsErrorSpec, reason: string, accessKeyId?: string): VerifyResult => ({ ok: false, error, reason, accessKeyId });

export function verifySigV4(input: VerifyInput, keys: Map<string, SandboxKey>): VerifyResult {
	const authorization = header(input.headers, 'authorization');
	if (!authorization) return fail(SQS_ERRORS.missingAuthenticationToken(), 'no Authorization header');
	const parsed = AUTH.exec(authorization.trim());
	if (!parsed) {
		return fail(SQS_ERRORS.incompleteSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."), 'malformed Authorization header');
	}
	const [, credential, signedHeaderList, signature] = parsed;
	const scope = credential.split('/');
	if (scope.length !== 5 || scope[4] !== 'aws4_request') {
		return fail(SQS_ERRORS.incompleteSignature(`Credential should be scoped to a valid region, service and terminated by aws4_request. Got '${scope.slice(1).join('/')}'.`), 'malformed scope');
	}
	const [accessKeyId, dateStamp, region, service] = scope;
	const key = keys.get(accessKeyId);
	if (!key) return fail(SQS_ERRORS.invalidClientTokenId(), 'unknown access key', accessKeyId);

	const amzDateText = header(input.headers, 'x-amz-date');
	if (!amzDateText) return fail(SQS_ERRORS.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."), 'no X-Amz-Date', accessKeyId);
	const amzDate = parseAmzDate(amzDateText);
	if (!amzDate) return fail(SQS_ERRORS.incompleteSignature(`Date must be in ISO-8601 'basic format'. Got '${amzDateText}'.`), 'malformed X-Amz-Date', accessKeyId);
	const skew = amzDate.getTime() - input.now;
	if (skew < -input.maxSkewMs) {
		const limit = toAmzDate(new Date(input.now - input.maxSkewMs));
		return fail(SQS_ERRORS.signatureDoesNotMatch(`Signature expired: ${amzDateText} is now earlier than ${limit} (${toAmzDate(new Date(input.now))} - 15 min.)`), 'signature expired', accessKeyId);
	}
	if (skew > input.maxSkewMs) {
		const limit = toAmzDate(new Date(input.now + input.maxSkewMs));
		return fail(SQS_ERRORS.signatureDoesNotMatch(`Signature not yet current: ${amzDateText} is still later than ${limit} (${toAmzDate(new Date(input.now))} + 15 min.)`), 'signature not yet current', accessKeyId);
	}
	if (dateStamp !== amzDateText.slice(0, 8)) {
		return fail(
			SQS_ERRORS.signatureDoesNotMatch(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${dateStamp}' != '${amzDateText.slice(0, 8)}', from '${amzDateText}'.`),
			'scope date',
			accessKeyId,
		);
	}
	if (service !== 'sqs') return fail(SQS_ERRORS.signatureDoesNotMatch("Credential should be scoped to correct service: 'sqs'."), 'scope service', accessKeyId);
	if (region !== input.region) return fail(SQS_ERRORS.signatureDoesNotMatch(`Credential should be scoped to a valid region. Got '${region}', expected '${input.region}'.`), 'scope region', accessKeyId);

	const signedHeaders = signedHeaderList.toLowerCase().split(';');
	if (!signedHeaders.includes('host')) return fail(SQS_ERRORS.signatureDoesNotMatch("'Host' must be a 'SignedHeader' in the AWS Authorization."), 'host not signed', accessKeyId);
	if ([...signedHeaders].sort().join(';') !== signedHeaders.join(';')) {
		return fail(SQS_ERRORS.signatureDoesNotMatch('SignedHeaders must be sorted and lower case.'), 'signed headers unsorted', accessKeyId);
	}
	for (const name of signedHeaders) {
		if (input.headers[name] === undefined) return fail(SQS_ERRORS.signatureDoesNotMatch(`The signed header ${name} is missing from the request.`), `signed header ${name} missing`, accessKeyId);
	}

	const token = header(input.headers, 'x-amz-security-token');
	if (key.sessionToken !== undefined || token !== undefined) {
		if (key.sessionToken === undefined || token !== key.sessionToken) return fail(SQS_ERRORS.invalidClientTokenId(), 'session token missing or wrong', accessKeyId);
		if (key.expired) return fail(SQS_ERRORS.expiredToken(), 'session token expired', accessKeyId);
	}

	const bodyHash = sha256Hex(input.body);
	const declared = header(input.headers, 'x-amz-content-sha256');
	if (declared !== undefined && declared !== bodyHash && declared !== 'UNSIGNED-PAYLOAD') {
		return fail(SQS_ERRORS.incompleteSignature("The provided 'x-amz-content-sha256' header does not match what was computed."), 'payload hash mismatch', accessKeyId);
	}
	const headerValues: Record<string, string | string[]> = {};
	for (const name of signedHeaders) headerValues[name] = input.headers[name] as string | string[];
	const canonicalRequest = buildCanonicalRequest({
		method: input.method,
		path: input.path,
		query: input.rawQuery,
		headers: headerValues,
		signedHeaders,
		payloadHash: declared === 'UNSIGNED-PAYLOAD' ? declared : bodyHash,
	});
	const stringToSign = buildStringToSign(amzDateText, `${dateStamp}/${region}/${service}/aws4_request`, canonicalRequest);
	const expected = signatureFor(key.secretAccessKey, dateStamp, region, service, stringToSign);
	const given = Buffer.from(signature.toLowerCase(), 'utf8');
	if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, 'utf8'))) {
		return fail(
			SQS_ERRORS.signatureDoesNotMatch(
				'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
			),
			'signature mismatch',
			accessKeyId,
		);
	}
	return { ok: true, key };
}

/**
 * A minimal signed SQS client for tests: AWS JSON 1.0 over fetch, signed with the package's
 * SigV4 (proven against AWS's vectors). Options let tests break exactly one thing (secret, date,
 * body after signing, region, token).
 */
import { type AwsCredentials, signRequest } from '../../../nodes/common/awsSigV4';

export interface SqsCallOptions {
	/** Where to send (default: the sandbox URL directly). */
	endpoint: string;
	region: string;
	credentials: AwsCredentials;
	/** Signing time (default now). */
	date?: Date;
	/** Replace the body after signing (tampering). */
	sendBody?: string;
	/** Sign and send this text instead of the JSON payload. */
	rawBody?: string;
	/** HTTP method (default POST). */
	method?: string;
	/** Sign for another service. */
	service?: string;
	/** Skip the Authorization header entirely. */
	unsigned?: boolean;
	/** Extra headers, sent but not signed. */
	headers?: Record<string, string>;
}

export interface SqsAnswer {
	status: number;
	body: Record<string, unknown>;
	headers: Headers;
	/** `x-amzn-query-error` code, when present. */
	code?: string;
}

export async function sqsCall(action: string, payload: Record<string, unknown>, options: SqsCallOptions): Promise<SqsAnswer> {
	const body = options.rawBody ?? JSON.stringify(payload);
	const method = options.method ?? 'POST';
	const url = `${options.endpoint.replace(/\/+$/, '')}/`;
	const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AmazonSQS.${action}` };
	if (!options.unsigned) {
		const signed = signRequest({ method, url, headers, body: method === 'GET' ? '' : body }, options.credentials, { region: options.region, service: options.service ?? 'sqs', date: options.date });
		headers['X-Amz-Date'] = signed.headers['x-amz-date'];
		headers.Authorization = signed.headers.authorization;
		if (signed.headers['x-amz-security-token']) headers['X-Amz-Security-Token'] = signed.headers['x-amz-security-token'];
	}
	const response = await fetch(url, { method, headers: { ...headers, ...options.headers }, body: method === 'GET' ? undefined : (options.sendBody ?? body) });
	const text = await response.text();
	const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
	const queryError = response.headers.get('x-amzn-query-error') ?? undefined;
	return { status: response.status, body: parsed, headers: response.headers, code: queryError?.split(';')[0] };
}

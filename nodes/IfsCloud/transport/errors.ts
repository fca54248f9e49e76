/**
 * IFS answers → messages a user can act on. Each case names what happened (with IFS's own text)
 * and how to fix it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FailureReport } from '../../common/errors';
import type { RawResponse } from '../../common/retry';

export interface IfsErrorEnvelope {
	code?: string;
	message?: string;
	details?: Array<{ code?: string; message?: string; target?: string }>;
}

export interface RequestContext {
	method: string;
	projection: string;
	path: string;
	deployment: string;
	realm: string;
}

export function ifsEnvelope(body: unknown): IfsErrorEnvelope | undefined {
	if (!body) return undefined;
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return { message: body.slice(0, 500) };
		}
	}
	const error = (parsed as { error?: unknown }).error;
	if (error && typeof error === 'object') return error as IfsErrorEnvelope;
	if (typeof error === 'string') return { code: error, message: (parsed as { error_description?: string }).error_description };
	return undefined;
}

function vendorText(envelope: IfsErrorEnvelope | undefined): string {
	if (!envelope) return '';
	const details = (envelope.details ?? []).map((detail) => detail.message).filter(Boolean);
	const code = envelope.code ? ` [${envelope.code}]` : '';
	return `${envelope.message ?? 'no message'}${code}${details.length ? ` (${details.join('; ')})` : ''}`;
}

const API_EXPLORER = 'IFS Cloud → API Explorer';

/** Maps an unsuccessful HTTP answer to a report. `exhausted` tells whether retries ran out. */
export function describeIfsFailure(
	response: RawResponse,
	request: RequestContext,
	retry: { attempts: number; waitedMs: number; exhausted?: 'attempts' | 'budget'; mayHaveApplied?: boolean },
): FailureReport {
	const envelope = ifsEnvelope(response.body);
	const said = vendorText(envelope);
	const status = response.statusCode;
	const code = envelope?.code ?? '';
	const where = `${request.method} ${request.projection}/${request.path}`;
	const details: IDataObject = { status, request: where, deployment: request.deployment };
	if (envelope?.code) details.ifsCode = envelope.code;
	const report = (message: string, description: string): FailureReport => ({
		message,
		description,
		httpCode: status,
		details,
	});

	if (status === 429) {
		return report(
			`IFS Cloud kept answering 429 Too Many Requests (${retry.attempts} attempts over ${Math.round(retry.waitedMs / 1000)} s)`,
			'The tenant is throttling this integration. Lower "Requests Per Window" or "Max Concurrent Requests" in the node options, run the workflow less often, or ask your IFS administrator about the environment\'s limits.',
		);
	}
	if (retry.mayHaveApplied) {
		return report(
			`IFS Cloud answered HTTP ${status} to a ${request.method} that may or may not have been applied${said ? `: ${said}` : ''}`,
			'A gateway error or timeout hides whether IFS carried out the request, and this request is not safe to repeat blindly, so it was not sent again. Check in IFS whether it took effect before re-running this item.',
		);
	}
	if (status >= 500 && retry.exhausted) {
		return report(
			`IFS Cloud was unavailable (HTTP ${status}) after ${retry.attempts} attempts over ${Math.round(retry.waitedMs / 1000)} s${said ? `: ${said}` : ''}`,
			'The request was retried with backoff and kept failing. Try again later; if it persists, check the environment status with your IFS administrator. Retrying the execution is safe: writes are checked before they are repeated.',
		);
	}
	if (code === 'MI_MODIFIED_ERROR') {
		return report(
			`IFS Cloud reports that projection ${request.projection} changed on the server (MI_MODIFIED_ERROR): ${said}`,
			'The projection was redeployed (e.g. after an update or configuration change). It was retried once; run the workflow again, and re-open the node so its field lists reload.',
		);
	}
	if (status === 401) {
		return report(
			`IFS Cloud rejected the access token even after fetching a new one${said ? `: ${said}` : ''}`,
			`Check that the IAM client is enabled in realm "${request.realm}", that its service account user is active, and that the credential's System URL is the environment the client belongs to.`,
		);
	}
	if (status === 403 && code === 'CSRF_ERROR') {
		return report(
			`IFS Cloud refused the write with a CSRF error on the ${request.deployment} deployment: ${said}`,
			'The node sends the XSRF token automatically on /main; a proxy may be stripping the cookie or header. Use the /int deployment for system-to-system writes if the projection is available there.',
		);
	}
	if (status === 403) {
		return report(
			`IFS Cloud denied access to ${request.projection}${said ? `: ${said}` : ''}`,
			`The IAM client's service user lacks a permission set grant for projection ${request.projection}. In IFS Cloud open Solution Manager → Users and Permissions → Permission Sets, grant the projection (and the entity or action used) to a permission set of the service user, then refresh the security cache.`,
		);
	}
	if (status === 404) {
		const looksLikeKey = /\(.*\)/.test(request.path);
		if (looksLikeKey && !/projection|service/i.test(said)) {
			return report(
				`No row found at ${request.projection}/${decodeSafe(request.path)}${said ? `: ${said}` : ''}`,
				'Check the key values (and their types: strings quoted, numbers bare) against the entity in API Explorer.',
			);
		}
		return report(
			`Projection ${request.projection} (or entity set in ${request.path}) was not found on the /${request.deployment} deployment${said ? `: ${said}` : ''}`,
			`Check the exact projection and entity set names in ${API_EXPLORER}. Not every projection is exposed on both deployments: try switching "API Deployment" between Integration (/int) and Main (/main).`,
		);
	}
	if (status === 405) {
		return report(
			`IFS Cloud does not allow ${request.method} on ${request.projection}/${decodeSafe(request.path)}${said ? `: ${said}` : ''}`,
			`The entity set does not support this operation (many are read-only, or read and update only). Check the entity's supported operations in ${API_EXPLORER}, or use an action that does the change.`,
		);
	}
	if (status === 409) {
		return report(
			`A row with this key already exists in ${request.projection}${said ? `: ${said}` : ''}`,
			'Use Update, or set "If Record Exists" to "Return Existing Record" so re-runs find the existing row instead of failing.',
		);
	}
	if (status === 412) {
		return report(
			`The row changed in IFS Cloud since it was read (412 Precondition Failed)${said ? `: ${said}` : ''}`,
			'Another user or integration updated the row concurrently. Run again to apply the change to the current version, or use the "Overwrite (If-Match: *)" mode if this integration owns the fields.',
		);
	}
	if (status === 428 || code === 'ODP_MISSING_PRECONDITION') {
		return report(
			`IFS Cloud requires an ETag for this change${said ? `: ${said}` : ''}`,
			'Use the Update operation in ETag mode: it reads the row by key to get its ETag before writing.',
		);
	}
	if (code === 'ODP_DESERIALIZATION_ERROR') {
		return report(
			`IFS Cloud could not read the request body: ${said}`,
			'Send field values of the right types (numbers unquoted, dates as yyyy-MM-dd, timestamps as ISO 8601) and only fields of the entity as listed in its $metadata.',
		);
	}
	if (status === 400) {
		return report(
			`IFS Cloud rejected the request: ${said || 'bad request'}`,
			`Check filters, field names and values against the projection's $metadata in ${API_EXPLORER}. String literals in filters use single quotes ('O''Brien'), dates are written without quotes (2024-05-31).`,
		);
	}
	return report(
		`IFS Cloud answered HTTP ${status}${said ? `: ${said}` : ''}`,
		'Check the request parameters; if the error persists, look up the error text in IFS Cloud (Troubleshooting → Application Messages) or with your IFS administrator.',
	);
}

function decodeSafe(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

/** OAuth2 token endpoint failures, as thrown by n8n's OAuth2 client. */
export function describeTokenFailure(error: unknown, systemUrl: string, realm: string, clientId: string): FailureReport | undefined {
	const oauthCode = findOAuthCode(error);
	const status = findStatus(error);
	const base = `${systemUrl.replace(/\/+$/, '')}/auth/realms/${realm}`;
	if (oauthCode === 'invalid_client' || oauthCode === 'unauthorized_client') {
		return {
			message: `IFS Cloud IAM rejected client "${clientId}" (${oauthCode})`,
			description:
				oauthCode === 'invalid_client'
					? `The client id or secret is wrong, or the client does not exist in realm "${realm}". In IFS Cloud open Solution Manager → Users and Permissions → IAM Client, check the client, copy its current secret into this credential (secrets change when regenerated).`
					: `The IAM client "${clientId}" may not use the client credentials grant: enable "Service Accounts" on the IAM client and make it confidential.`,
			httpCode: 401,
			details: { tokenEndpoint: `${base}/protocol/openid-connect/token`, oauthError: oauthCode },
		};
	}
	if (oauthCode === 'invalid_scope') {
		return {
			message: `IFS Cloud IAM rejected the requested scope (invalid_scope)`,
			description: 'The IAM client must allow the "openid" and "microprofile-jwt" client scopes (default in IFS Cloud).',
			httpCode: 400,
		};
	}
	if (status === 404 || /Realm does not exist/i.test(messageChain(error))) {
		return {
			message: `IFS Cloud IAM realm "${realm}" was not found at ${systemUrl}`,
			description:
				'Check the Realm field: API Explorer → Documentation shows the token endpoint as /auth/realms/<realm>/protocol/openid-connect/token.',
			httpCode: 404,
		};
	}
	if (/Failed to acquire OAuth2 access token/i.test(messageChain(error))) {
		return {
			message: `Could not get an access token from IFS Cloud IAM: ${messageChain(error)}`,
			description: `Check System URL (${systemUrl}) and Realm (${realm}) in the credential; the token endpoint is ${base}/protocol/openid-connect/token.`,
			httpCode: status,
		};
	}
	return undefined;
}

function findOAuthCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const body = (current as { body?: { error?: unknown } }).body;
		if (body && typeof body.error === 'string') return body.error;
		const data = (current as { response?: { data?: { error?: unknown } } }).response?.data;
		if (data && typeof data.error === 'string' && /^[a-z_]+$/.test(data.error)) return data.error;
		current = (current as { cause?: unknown }).cause;
	}
	const text = messageChain(error);
	if (/Client authentication failed/i.test(text)) return 'invalid_client';
	return undefined;
}

function findStatus(error: unknown): number | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const candidate = current as { status?: unknown; response?: { status?: unknown } };
		if (typeof candidate.status === 'number') return candidate.status;
		if (typeof candidate.response?.status === 'number') return candidate.response.status;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function messageChain(error: unknown): string {
	const parts: string[] = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string' && !parts.includes(message)) parts.push(message);
		current = (current as { cause?: unknown }).cause;
	}
	return parts.join(': ');
}

/**
 * SP-API answers → messages that say what happened (Amazon's own words) and how to fix it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FailureReport } from '../../common/errors';
import type { CallOutcome, RawResponse } from '../../common/retry';
import { TransportFailure } from '../../common/retry';
import type { Region } from '../marketplaces';
import type { SpApiOperation } from './operations';

interface SpApiError {
	code?: string;
	message?: string;
	details?: string;
}

const REGION_NAMES: Record<Region, string> = { na: 'North America', eu: 'Europe', fe: 'Far East' };

export function spApiErrors(body: unknown): SpApiError[] {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body);
		} catch {
			return body ? [{ message: body.slice(0, 300) }] : [];
		}
	}
	const errors = (parsed as { errors?: unknown } | undefined)?.errors;
	return Array.isArray(errors) ? (errors as SpApiError[]) : [];
}

function said(errors: SpApiError[]): string {
	return errors.map((error) => `${error.message ?? 'error'}${error.code ? ` [${error.code}]` : ''}${error.details ? ` (${error.details})` : ''}`).join('; ');
}

export function describeSpApiFailure(
	response: RawResponse,
	operation: SpApiOperation,
	retry: Pick<CallOutcome, 'attempts' | 'waitedMs' | 'exhausted'>,
	region: Region,
): FailureReport {
	const errors = spApiErrors(response.body);
	const text = said(errors);
	const status = response.statusCode;
	const details: IDataObject = { operation: operation.id, status };
	if (errors[0]?.code) details.amazonCode = errors[0].code;
	const report = (message: string, description: string): FailureReport => ({ message, description, httpCode: status, details });

	if (status === 429) {
		return report(
			`Amazon kept answering 429 QuotaExceeded for ${operation.id} (${retry.attempts} attempts over ${Math.round(retry.waitedMs / 1000)} s)`,
			'The selling partner\'s quota for this operation is used up. Raise "Time Budget (Minutes)", run less often, or use reports or notifications for bulk data.',
		);
	}
	if (status >= 500) {
		return report(
			`Amazon SP-API failed (HTTP ${status}) for ${operation.id}${text ? `: ${text}` : ''}`,
			retry.exhausted ? `Retried ${retry.attempts} times over ${Math.round(retry.waitedMs / 1000)} s. Try again later; re-running is safe for reads.` : 'Try again later.',
		);
	}
	if (status === 400) {
		return report(`Amazon rejected the ${operation.id} request: ${text || 'invalid input'}`, 'Check the parameters: dates in UTC, "before" limits at least 2 minutes in the past, only the filters the operation allows together.');
	}
	if (status === 404) {
		return report(`Amazon found nothing for ${operation.id}${text ? `: ${text}` : ''}`, 'Check the identifier (order, report or SKU) and that it belongs to this seller and marketplace.');
	}
	return report(
		`Amazon SP-API answered HTTP ${status} for ${operation.id}${text ? `: ${text}` : ''}`,
		`Check the request. Calls go to the ${REGION_NAMES[region]} endpoint of the credential.`,
	);
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

function httpCodeIn(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
		const code = (current as { httpCode?: unknown }).httpCode;
		if (typeof code === 'string' || typeof code === 'number') return String(code);
		const status = (current as { response?: { status?: unknown } }).response?.status;
		if (typeof status === 'number') return String(status);
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** Failures without an SP-API answer: LWA token errors, a 403 that survived the refresh, network. */
export function describeTransportFailure(error: unknown, operation: SpApiOperation, region: Region): FailureReport {
	const chain = messageChain(error);
	const lwa = /Amazon rejected the (LWA client|refresh token)|Login with Amazon did not issue|unauthorized_client/.exec(chain);
	if (lwa) {
		const advice = chain.slice(chain.indexOf(lwa[0]));
		return { message: `Login with Amazon refused the credential for ${operation.id}`, description: advice, httpCode: 401 };
	}
	const httpCode = httpCodeIn(error instanceof TransportFailure ? error.cause : error);
	if (httpCode === '403' || httpCode === '401') {
		return {
			message: `Amazon denied access to ${operation.id} even with a fresh access token`,
			description: `The app may lack the role this operation needs (e.g. Finance and Accounting, Inventory and Order Tracking; PII needs a restricted role), the seller authorization may not cover it, or the marketplaces belong to another region than ${REGION_NAMES[region]}. Check the app's roles in the developer console and re-authorize the seller.`,
			httpCode,
		};
	}
	if (error instanceof TransportFailure) {
		return {
			message: `${error.message} (${operation.id})`,
			description:
				error.reason === 'ambiguous-unsafe'
					? `The ${operation.method} may or may not have been applied at Amazon, so it was not sent again. Check before re-running this item.`
					: `Retried ${error.attempts} times over ${Math.round(error.waitedMs / 1000)} s. Try again later.`,
			details: { code: error.code ?? null },
		};
	}
	return { message: `Amazon SP-API request failed (${operation.id}): ${chain}`, description: 'Check the credential and the node parameters.', httpCode };
}

/**
 * SP-API error model (reference §4): `{ errors: [{ code, message, details? }] }` for every API,
 * v0 included. Handlers throw SpApiError; the server turns it into the response.
 */

export interface SpApiErrorBody {
	errors: Array<{ code: string; message: string; details?: string }>;
}

export class SpApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}

	toBody(): SpApiErrorBody {
		const error: { code: string; message: string; details?: string } = { code: this.code, message: this.message };
		if (this.details !== undefined) error.details = this.details;
		return { errors: [error] };
	}
}

export const UNAUTHORIZED_MESSAGE = 'Access to requested resource is denied.';
export const INVALID_TOKEN_DETAILS = 'The access token you provided is revoked, malformed or invalid.';

/** 403 for a missing, unknown, expired or revoked access token (the exact body integrators see). */
export function invalidToken(): SpApiError {
	return new SpApiError(403, 'Unauthorized', UNAUTHORIZED_MESSAGE, INVALID_TOKEN_DETAILS);
}

/** 403 for a valid token that may not be used here (other region, grantless, RDT scope, role). */
export function accessDenied(details: string): SpApiError {
	return new SpApiError(403, 'Unauthorized', UNAUTHORIZED_MESSAGE, details);
}

export function invalidInput(message: string, details?: string): SpApiError {
	return new SpApiError(400, 'InvalidInput', message, details);
}

export function notFound(message: string): SpApiError {
	return new SpApiError(404, 'NotFound', message);
}

export function quotaExceeded(): SpApiError {
	return new SpApiError(429, 'QuotaExceeded', 'You exceeded your quota for the requested resource.', '');
}

/** Body of an injected failure (faults.failNext) by HTTP status. */
export function injectedError(status: number): SpApiError {
	switch (status) {
		case 400:
			return invalidInput('Invalid input (injected failure)');
		case 401:
		case 403:
			return invalidToken();
		case 404:
			return notFound('Resource not found (injected failure)');
		case 429:
			return quotaExceeded();
		case 503:
			return new SpApiError(503, 'ServiceUnavailable', 'Service temporarily unavailable. Please try again later.');
		default:
			return new SpApiError(status, 'InternalFailure', 'We encountered an internal error. Please try again.');
	}
}

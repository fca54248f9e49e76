/**
 * OData error envelope used by every API error of the sandbox:
 * `{ "error": { "code", "message", "details"?: [...] } }`.
 *
 * Codes that IFS documents or that are seen in public IFS material are used verbatim
 * (ODP_DESERIALIZATION_ERROR, ODP_MISSING_PRECONDITION, MI_MODIFIED_ERROR, CSRF_ERROR,
 * ODP_RESOURCE_NOTFOUND, DATABASE_ERROR). The others are the sandbox's own choice, collected
 * here so they can be changed in one place once a real tenant shows different text.
 */

export const ErrorCode = {
	/** Malformed URL, query option or literal (our choice of code). */
	uriParsing: 'ODP_URI_PARSING_ERROR',
	/** Feature the IFS OData provider documents as unsupported (has, any/all, math functions...). */
	notSupported: 'ODP_NOT_SUPPORTED',
	/** Feature IFS supports but the sandbox does not implement ($batch, $apply, $openapi). */
	notImplemented: 'ODP_NOT_IMPLEMENTED',
	/** Body is not JSON / wrong Content-Type / unknown property (documented IFS code and text). */
	deserialization: 'ODP_DESERIALIZATION_ERROR',
	/** If-Match required but missing (IFS-style code, documented by third parties). */
	missingPrecondition: 'ODP_MISSING_PRECONDITION',
	preconditionFailed: 'ODP_PRECONDITION_FAILED',
	notFound: 'ODP_RESOURCE_NOTFOUND',
	methodNotAllowed: 'ODP_METHOD_NOT_ALLOWED',
	forbidden: 'ODP_FORBIDDEN',
	unauthorized: 'UNAUTHORIZED',
	csrf: 'CSRF_ERROR',
	database: 'DATABASE_ERROR',
	tooManyRequests: 'TOO_MANY_REQUESTS',
	serviceUnavailable: 'SERVICE_UNAVAILABLE',
	miModified: 'MI_MODIFIED_ERROR',
	internal: 'INTERNAL_SERVER_ERROR',
	payloadTooLarge: 'ODP_PAYLOAD_TOO_LARGE',
} as const;

export interface ODataErrorDetail {
	code: string;
	message: string;
	target?: string;
}

export interface ODataErrorEnvelope {
	error: { code: string; message: string; details?: ODataErrorDetail[] };
}

export class ODataError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: ODataErrorDetail[],
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'ODataError';
	}

	toEnvelope(): ODataErrorEnvelope {
		const error: ODataErrorEnvelope['error'] = { code: this.code, message: this.message };
		if (this.details && this.details.length > 0) error.details = this.details;
		return { error };
	}
}

export function badRequest(message: string, code: string = ErrorCode.uriParsing): ODataError {
	return new ODataError(400, code, message);
}

export function notSupported(message: string): ODataError {
	return new ODataError(400, ErrorCode.notSupported, message);
}

export function notFound(message: string): ODataError {
	return new ODataError(404, ErrorCode.notFound, message);
}

export function methodNotAllowed(message: string, allow: string[]): ODataError {
	return new ODataError(405, ErrorCode.methodNotAllowed, message, undefined, { Allow: allow.join(', ') });
}

/** The documented IFS body for a request whose JSON content cannot be read. */
export function deserializationError(detail?: string): ODataError {
	return new ODataError(
		400,
		ErrorCode.deserialization,
		'Error while de-serializing contents.',
		detail ? [{ code: ErrorCode.deserialization, message: detail }] : undefined,
	);
}

/** IFS business errors carry the translated ORA text as message. */
export function databaseError(status: number, message: string): ODataError {
	return new ODataError(status, ErrorCode.database, message);
}

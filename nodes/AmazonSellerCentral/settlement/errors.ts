/**
 * The one error type of the settlement engine. It stays free of n8n classes so the engine can be
 * tested on its own; the node wraps it into a NodeOperationError (message, `description` from
 * `hint`, `context` as details). `line` is the 1-based physical line of the (decoded) file.
 */

export type SettlementErrorCode =
	| 'DECODE'
	| 'HEADER'
	| 'COLUMNS'
	| 'SUMMARY'
	| 'AMOUNT'
	| 'AMBIGUOUS_AMOUNT'
	| 'DATE'
	| 'AMBIGUOUS_DATE'
	| 'ROW'
	| 'RECONCILIATION'
	| 'MAPPING'
	| 'OPTIONS'
	| 'JOURNAL';

export type SettlementErrorContext = Record<string, string | number | boolean | null | string[]>;

export class SettlementError extends Error {
	readonly code: SettlementErrorCode;
	readonly line?: number;
	readonly hint?: string;
	readonly context: SettlementErrorContext;

	constructor(code: SettlementErrorCode, message: string, details: { line?: number; hint?: string; context?: SettlementErrorContext } = {}) {
		super(details.line === undefined ? message : `Line ${details.line}: ${message}`);
		this.name = 'SettlementError';
		this.code = code;
		this.line = details.line;
		this.hint = details.hint;
		this.context = { ...(details.context ?? {}) };
		if (details.line !== undefined) this.context.line = details.line;
	}
}

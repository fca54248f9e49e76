/**
 * Building node errors and error items. Every error carries the item index, the vendor's own text,
 * and a description that says how to fix it; nothing in it is a secret.
 */
import {
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type JsonObject,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { Redactor } from './redaction';

export interface FailureReport {
	/** What happened, including the vendor's own words. */
	message: string;
	/** How to fix it. */
	description: string;
	httpCode?: string | number;
	/** Extra context shown with the error (redacted before use). */
	details?: IDataObject;
}

/**
 * Built from a plain, redacted object, never from the HTTP client's error: that one carries the
 * request configuration, headers (tokens) included, and n8n stores errors in execution data.
 */
export function apiError(node: INode, report: FailureReport, itemIndex: number | undefined, redactor: Redactor): NodeApiError {
	const message = redactor.text(report.message);
	const description = redactor.text(report.description);
	const httpCode = report.httpCode === undefined ? undefined : String(report.httpCode);
	const response: JsonObject = redactor.value({ message, httpCode: httpCode ?? null, details: report.details ?? {} }) as JsonObject;
	const error = new NodeApiError(node, response, { message, description, httpCode, itemIndex });
	if (report.details) error.context.details = redactor.value(report.details);
	return error;
}

export function operationError(
	node: INode,
	message: string,
	description: string,
	itemIndex: number | undefined,
	redactor?: Redactor,
): NodeOperationError {
	return new NodeOperationError(node, redactor ? redactor.text(message) : message, {
		itemIndex,
		description: redactor ? redactor.text(description) : description,
	});
}

function errorText(error: unknown): { message: string; description?: string; httpCode?: string | null; details?: unknown } {
	if (error instanceof NodeApiError) {
		return {
			message: error.message,
			description: error.description ?? undefined,
			httpCode: error.httpCode,
			details: error.context.details,
		};
	}
	if (error instanceof NodeOperationError) return { message: error.message, description: error.description ?? undefined, details: error.context.details };
	if (error instanceof Error) return { message: error.message };
	return { message: String(error) };
}

/**
 * The item n8n routes to the error output ("Continue (using error output)") or passes on
 * ("Continue"): n8n treats an item as an error item only when its json has nothing but
 * `error`, `message` and `details`.
 */
export function errorItem(error: unknown, itemIndex: number, redactor?: Redactor): INodeExecutionData {
	const text = errorText(error);
	const details: IDataObject = { itemIndex };
	if (text.description) details.description = text.description;
	if (text.httpCode) details.httpCode = text.httpCode;
	if (text.details && typeof text.details === 'object') details.context = text.details as IDataObject;
	const json: IDataObject = { error: text.message, details };
	return { json: redactor ? redactor.value(json) : json, pairedItem: { item: itemIndex } };
}

/**
 * Any error as a node error for `itemIndex`: our node errors pass through (with the index added),
 * anything else keeps only its message, never the objects it carries.
 */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return itemIndex === undefined ? error : attachItemIndex(error, itemIndex);
	}
	return new NodeOperationError(node, error instanceof Error ? error.message : String(error), { itemIndex });
}

/** Ensures an error thrown for an item says which item. */
export function attachItemIndex<E>(error: E, itemIndex: number): E {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
	}
	return error;
}

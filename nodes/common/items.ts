/**
 * The per-item loop every operation runs in: pairs outputs with their input item, and honours
 * "Continue On Fail" and the error output.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { errorItem, toNodeError } from './errors';
import type { Redactor } from './redaction';

/** Output items that carry more than json (binary data); each is paired with the input item. */
export class ExecutionItems {
	constructor(readonly items: INodeExecutionData[]) {}
}

export type ItemResult = IDataObject | IDataObject[] | ExecutionItems;

export async function forEachItem(
	context: IExecuteFunctions,
	handler: (itemIndex: number) => Promise<ItemResult>,
	redactor?: Redactor,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let outcome: ItemResult | Error;
		try {
			outcome = await handler(itemIndex);
		} catch (error) {
			outcome = error instanceof Error ? error : new Error(String(error));
		}
		appendOutcome(context, output, outcome, itemIndex, redactor);
	}
	return output;
}

/**
 * For operations that handle all items at once (one feed for many SKUs): the result or the error
 * of each item, in input order, emitted exactly as the per-item loop would.
 */
export function emitBatch(context: IExecuteFunctions, outcomes: Array<ItemResult | Error>, redactor?: Redactor): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	outcomes.forEach((outcome, itemIndex) => appendOutcome(context, output, outcome, itemIndex, redactor));
	return output;
}

function appendOutcome(context: IExecuteFunctions, output: INodeExecutionData[], outcome: ItemResult | Error, itemIndex: number, redactor?: Redactor): void {
	if (outcome instanceof Error) {
		if (isCancellation(context, outcome)) throw toNodeError(context.getNode(), outcome, itemIndex);
		if (!context.continueOnFail()) throw toNodeError(context.getNode(), outcome, itemIndex);
		output.push(errorItem(outcome, itemIndex, redactor));
		return;
	}
	if (outcome instanceof ExecutionItems) {
		appendAll(output, outcome.items.map((item) => ({ ...item, pairedItem: { item: itemIndex } })));
		return;
	}
	const records = Array.isArray(outcome) ? outcome : [outcome];
	appendAll(output, context.helpers.constructExecutionMetaData(context.helpers.returnJsonArray(records), { itemData: { item: itemIndex } }));
}

/**
 * `output.push(...items)` passes every item as an argument: from ~125 000 items on (a Get Many of
 * all rows) that overflows the call stack. A loop has no such limit.
 */
function appendAll(output: INodeExecutionData[], items: INodeExecutionData[]): void {
	for (const item of items) output.push(item);
}

function isCancellation(context: IExecuteFunctions, error: unknown): boolean {
	return context.getExecutionCancelSignal()?.aborted === true || (error as { name?: string })?.name === 'AbortError';
}

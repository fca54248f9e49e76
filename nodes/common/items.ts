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
		try {
			const result = await handler(itemIndex);
			if (result instanceof ExecutionItems) {
				output.push(...result.items.map((item) => ({ ...item, pairedItem: { item: itemIndex } })));
				continue;
			}
			const records = Array.isArray(result) ? result : [result];
			output.push(
				...context.helpers.constructExecutionMetaData(context.helpers.returnJsonArray(records), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (error) {
			if (isCancellation(context, error)) throw toNodeError(context.getNode(), error, itemIndex);
			if (context.continueOnFail()) {
				output.push(errorItem(error, itemIndex, redactor));
				continue;
			}
			throw toNodeError(context.getNode(), error, itemIndex);
		}
	}
	return output;
}

function isCancellation(context: IExecuteFunctions, error: unknown): boolean {
	return context.getExecutionCancelSignal()?.aborted === true || (error as { name?: string })?.name === 'AbortError';
}

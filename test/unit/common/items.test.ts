import { constructExecutionMetaData, returnJsonArray } from 'n8n-core';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { ExecutionItems, forEachItem } from '../../../nodes/common/items';

/** Just what forEachItem uses, with n8n-core's own item helpers. */
function context(inputItems: number, continueOnFail = false): IExecuteFunctions {
	return {
		getInputData: () => Array.from({ length: inputItems }, () => ({ json: {} })),
		getNode: () => ({ id: 'n', name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }),
		continueOnFail: () => continueOnFail,
		getExecutionCancelSignal: () => undefined,
		helpers: { returnJsonArray, constructExecutionMetaData },
	} as unknown as IExecuteFunctions;
}

describe('forEachItem', () => {
	it('emits 300 000 records of one item (Get Many of a large set) without overflowing the call stack', async () => {
		const rows: IDataObject[] = Array.from({ length: 300_000 }, (_, index) => ({ index }));
		const output = await forEachItem(context(1), async () => rows);
		expect(output).toHaveLength(300_000);
		expect(output[0]).toEqual({ json: { index: 0 }, pairedItem: { item: 0 } });
		expect(output[299_999].json).toEqual({ index: 299_999 });
	});

	it('does the same for items with binary data (ExecutionItems)', async () => {
		const items = Array.from({ length: 200_000 }, (_, index) => ({ json: { index } }));
		const output = await forEachItem(context(1), async () => new ExecutionItems(items));
		expect(output).toHaveLength(200_000);
		expect(output[199_999]).toEqual({ json: { index: 199_999 }, pairedItem: { item: 0 } });
	});

	it('pairs every output with its input item, in order', async () => {
		const output = await forEachItem(context(3), async (itemIndex) => [{ a: itemIndex }, { b: itemIndex }]);
		expect(output.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ a: 0 }, { item: 0 }],
			[{ b: 0 }, { item: 0 }],
			[{ a: 1 }, { item: 1 }],
			[{ b: 1 }, { item: 1 }],
			[{ a: 2 }, { item: 2 }],
			[{ b: 2 }, { item: 2 }],
		]);
	});
});

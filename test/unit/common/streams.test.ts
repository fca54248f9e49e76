import { continueAfter } from '../../../nodes/common/streams';

function source(values: number[]) {
	const state = { returned: false, pulled: 0 };
	const iterator: AsyncIterator<number> = {
		next: async () => (state.pulled < values.length ? { done: false, value: values[state.pulled++] } : { done: true, value: undefined }),
		return: async () => {
			state.returned = true;
			return { done: true, value: undefined };
		},
	};
	return { iterator, state };
}

describe('continueAfter', () => {
	it('yields the values already taken, then the rest, in order', async () => {
		const { iterator, state } = source([3, 4]);
		const seen: number[] = [];
		for await (const value of continueAfter([1, 2], iterator)) seen.push(value);
		expect(seen).toEqual([1, 2, 3, 4]);
		expect(state.returned).toBe(true);
	});

	it('with nothing taken, is the rest alone', async () => {
		const { iterator } = source([7]);
		const seen: number[] = [];
		for await (const value of continueAfter([], iterator)) seen.push(value);
		expect(seen).toEqual([7]);
	});

	it('stopping early releases the source (a download is closed), without reading the rest', async () => {
		const { iterator, state } = source([3, 4, 5]);
		for await (const value of continueAfter([1], iterator)) if (value === 3) break;
		expect(state.returned).toBe(true);
		expect(state.pulled).toBe(1);
	});
});

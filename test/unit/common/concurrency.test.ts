import { mapBounded } from '../../../nodes/common/concurrency';
import { flushPromises, seededRandom } from '../helpers/clock';

async function turns(count: number): Promise<void> {
	for (let i = 0; i < count; i++) await flushPromises();
}

function tracker() {
	let inFlight = 0;
	let max = 0;
	const started: number[] = [];
	const finished: number[] = [];
	return {
		started,
		finished,
		get max() {
			return max;
		},
		async run<R>(index: number, work: () => Promise<R>): Promise<R> {
			inFlight++;
			max = Math.max(max, inFlight);
			started.push(index);
			try {
				return await work();
			} finally {
				inFlight--;
				finished.push(index);
			}
		},
	};
}

describe('mapBounded', () => {
	it('returns results in input order whatever order tasks finish in', async () => {
		const random = seededRandom(11);
		const inputs = Array.from({ length: 40 }, (_, i) => i);
		const result = await mapBounded(inputs, 5, async (input) => {
			await turns(1 + Math.floor(random() * 6));
			return input * 2;
		});
		expect(result).toEqual(inputs.map((input) => input * 2));
	});

	it.each([1, 3, 7])('keeps at most %i tasks in flight, and uses them all', async (limit) => {
		const random = seededRandom(limit);
		const track = tracker();
		await mapBounded(
			Array.from({ length: 30 }, (_, i) => i),
			limit,
			async (input, index) =>
				await track.run(index, async () => {
					await turns(1 + Math.floor(random() * 5));
					return input;
				}),
		);
		expect(track.max).toBe(limit);
		expect(track.finished).toHaveLength(30);
	});

	it('passes each input with its index, each exactly once', async () => {
		const seen: Array<[string, number]> = [];
		await mapBounded(['a', 'b', 'c'], 2, async (input, index) => {
			seen.push([input, index]);
		});
		expect(seen.sort()).toEqual([
			['a', 0],
			['b', 1],
			['c', 2],
		]);
	});

	it('handles an empty input and limits larger than the input', async () => {
		expect(await mapBounded([], 4, async () => 1)).toEqual([]);
		expect(await mapBounded([1, 2], 100, async (x) => x + 1)).toEqual([2, 3]);
	});

	it.each([0, -2, Number.NaN, 0.5])('runs one at a time for an unusable limit (%p)', async (limit) => {
		const track = tracker();
		const result = await mapBounded([1, 2, 3], limit, async (x, index) => await track.run(index, async () => (await turns(2), x)));
		expect(result).toEqual([1, 2, 3]);
		expect(track.max).toBe(1);
	});

	it('starts nothing new after the first failure, waits for running tasks, then rethrows it', async () => {
		const track = tracker();
		const failure = new Error('task 4 failed');
		const outcome = mapBounded(
			Array.from({ length: 20 }, (_, i) => i),
			3,
			async (input, index) =>
				await track.run(index, async () => {
					await turns(input === 4 ? 1 : 3);
					if (input === 4) throw failure;
					return input;
				}),
		);
		await expect(outcome).rejects.toBe(failure);
		// Tasks 0-2 run first, then 3-5; 4 fails early: nothing after 5 may start.
		expect(Math.max(...track.started)).toBe(5);
		// Running tasks were awaited before the rejection.
		expect([...track.finished].sort((a, b) => a - b)).toEqual([...track.started].sort((a, b) => a - b));
	});

	it('rethrows the first failure when several tasks fail', async () => {
		const first = new Error('first');
		const outcome = mapBounded([0, 1, 2], 3, async (input) => {
			await turns(input + 1);
			throw input === 0 ? first : new Error(`later ${input}`);
		});
		await expect(outcome).rejects.toBe(first);
	});

	it('rethrows a synchronous throw from the task', async () => {
		const failure = new Error('sync');
		const task = (() => {
			throw failure;
		}) as unknown as (input: number) => Promise<number>;
		await expect(mapBounded([1, 2, 3], 2, task)).rejects.toBe(failure);
	});
});

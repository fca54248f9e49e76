/**
 * Runs `task` over `inputs` with at most `limit` in flight and returns results in input order.
 * On the first failure no new task starts; running ones are awaited, then the failure is thrown.
 */
export async function mapBounded<T, R>(
	inputs: readonly T[],
	limit: number,
	task: (input: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results = new Array<R>(inputs.length);
	const width = Math.max(1, Math.min(Math.floor(limit) || 1, inputs.length));
	let next = 0;
	let failed = false;
	let firstError: unknown;

	const worker = async () => {
		while (!failed && next < inputs.length) {
			const index = next++;
			try {
				results[index] = await task(inputs[index], index);
			} catch (error) {
				if (!failed) firstError = error;
				failed = true;
			}
		}
	};

	await Promise.all(Array.from({ length: width }, worker));
	if (failed) throw firstError;
	return results;
}

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

/** Runs `work` in one of the slots. */
export type SlotRunner = <R>(work: () => Promise<R>) => Promise<R>;

/**
 * At most `limit` pieces of work at once, waiters served in order. Used to bound what a server
 * sees (requests in flight) separately from what the caller does with the answers afterwards.
 * After `close(error)` nothing new starts: waiting and later calls reject with that error. With
 * `closeOnFailure`, the first work that fails closes them before its slot is given on.
 */
export class Slots {
	private active = 0;
	private readonly waiting: Array<{ start: () => void; fail: (error: unknown) => void }> = [];
	private closedWith: { error: unknown } | undefined;
	readonly limit: number;

	constructor(
		limit: number,
		private readonly options: { closeOnFailure?: boolean } = {},
	) {
		this.limit = Math.max(1, Math.floor(limit) || 1);
	}

	readonly run: SlotRunner = async <R>(work: () => Promise<R>): Promise<R> => {
		await this.acquire();
		try {
			let outcome: Promise<R>;
			try {
				outcome = work();
			} catch (error) {
				outcome = Promise.reject(error);
			}
			// Registered before the await below, so it runs first: closed before the slot is handed on.
			if (this.options.closeOnFailure) outcome.catch((error: unknown) => this.close(error));
			return await outcome;
		} finally {
			this.release();
		}
	};

	close(error: unknown): void {
		if (this.closedWith) return;
		this.closedWith = { error };
		for (const waiter of this.waiting.splice(0)) waiter.fail(error);
	}

	private async acquire(): Promise<void> {
		if (this.closedWith) throw this.closedWith.error;
		if (this.active < this.limit) {
			this.active++;
			return;
		}
		await new Promise<void>((start, fail) => this.waiting.push({ start, fail }));
	}

	private release(): void {
		const next = this.waiting.shift();
		// The slot passes straight to the next waiter; `active` stays the same.
		if (next) next.start();
		else this.active--;
	}
}

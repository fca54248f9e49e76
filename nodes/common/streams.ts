/**
 * Async-iteration primitives shared by the streaming parsers (report documents, settlement files).
 */

/**
 * Yields `first` (values already taken from `rest`, e.g. to sniff a format), then the rest of
 * `rest`. Stopping early releases `rest` too, so the download behind it is closed.
 */
export async function* continueAfter<T>(first: readonly T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
	try {
		for (const value of first) yield value;
		for (;;) {
			const next = await rest.next();
			if (next.done) return;
			yield next.value;
		}
	} finally {
		await rest.return?.();
	}
}

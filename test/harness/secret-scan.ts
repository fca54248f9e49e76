/**
 * Helpers for "no secret leaks" assertions: turn logs, outputs and errors into one string
 * (errors with their message, stack and own fields; circular references cut) and report
 * which of them contain any of the given secrets.
 */
function toText(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, (_key, current: unknown) => {
		if (typeof current === 'bigint') return current.toString();
		if (typeof current !== 'object' || current === null) return current;
		if (seen.has(current)) return '[Circular]';
		seen.add(current);
		if (current instanceof Error) {
			return { ...current, name: current.name, message: current.message, stack: current.stack, cause: current.cause };
		}
		return current;
	}) ?? String(value);
}

/** Names of the `places` whose serialised content contains one of `secrets` (empty = no leak). */
export function findSecretLeaks(secrets: string[], places: Record<string, unknown>): string[] {
	const leaks: string[] = [];
	for (const [place, value] of Object.entries(places)) {
		const text = toText(value);
		secrets.forEach((secret, index) => {
			if (secret && text.includes(secret)) leaks.push(`${place} contains secret #${index}`);
		});
	}
	return leaks;
}

/**
 * Shared by the report and settlement workflow tests: storage checks, TSV parsing of expected
 * documents, and matchers that let a test act at the moment a request reaches the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SpApiSandbox } from '../../sandbox/spapi';

/** Every request the report storage received, with the names of the headers it carried. */
export function storageRequests(sandbox: SpApiSandbox) {
	return sandbox.stats.requests({ server: 'storage' });
}

/** No storage request carried an SP-API or any other credential header. */
export function expectNoCredentialsAtStorage(sandbox: SpApiSandbox): void {
	expect(sandbox.storageViolations).toEqual([]);
	for (const request of storageRequests(sandbox)) {
		const names = Object.keys(request.headers).map((name) => name.toLowerCase());
		expect(names).not.toContain('authorization');
		expect(names).not.toContain('x-amz-access-token');
	}
}

export function expectCleanContract(sandbox: SpApiSandbox): void {
	expect(sandbox.contractViolations).toEqual([]);
}

/** A tab-separated document with a header line → rows, as a reader of the file would see them. */
export function tsvRows(text: string): IDataObject[] {
	const [header, ...lines] = text.split(/\r?\n/).filter((line) => line !== '');
	const names = header.split('\t');
	return lines.map((line) => {
		const fields = line.split('\t');
		return Object.fromEntries(names.map((name, index) => [name, fields[index] ?? '']));
	});
}

export function operationCount(sandbox: SpApiSandbox, operation: string): number {
	return sandbox.stats.requests({ operation }).length;
}

/**
 * A fault matcher that matches only the first request it sees and runs `effect` then, i.e. at
 * the moment that request reaches the sandbox (before it is answered).
 */
export class FirstRequestOnly extends RegExp {
	private seen = false;

	constructor(private readonly effect: () => void = () => undefined) {
		super('.');
	}

	override test(): boolean {
		if (this.seen) return false;
		this.seen = true;
		this.effect();
		return true;
	}
}

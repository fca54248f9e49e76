/**
 * The IFS sandbox as a separate process, for code that runs compiled from .cache/tools (the demo).
 * (test/sandbox/ifs/process.ts resolves its CLI relative to its own source folder, which only holds
 * when it runs from source under jest; the e2e jest test uses it directly.)
 */
import * as fs from 'node:fs';

import type { FaultSettings, StatsSummary } from '../../sandbox/ifs/control';
import type { IfsSandboxOptions } from '../../sandbox/ifs/index';
import { SANDBOX_CLI_JS } from './paths';
import { type Background, start, waitFor } from './processes';

export interface SandboxDetails {
	url: string;
	realm: string;
	tokenUrl: string;
	clientId: string;
	clientSecret: string;
	intBase: string;
	mainBase: string;
	controlUrl: string;
}

export interface SandboxProcess extends SandboxDetails {
	faults(settings: FaultSettings): Promise<void>;
	stats(withLog?: boolean): Promise<StatsSummary>;
	rows(projection: string, entitySet: string): Promise<Array<Record<string, unknown>>>;
	/** Re-seeds the data and clears faults, statistics and the rate window. */
	reset(): Promise<void>;
	close(): Promise<void>;
}

/** Sends one request to a sandbox control channel (JSON in, JSON out). */
export async function sandboxControl<T = unknown>(controlUrl: string, method: string, route: string, body?: unknown): Promise<T> {
	const response = await fetch(`${controlUrl}${route}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	if (!response.ok) throw new Error(`sandbox control ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
	return (await response.json()) as T;
}

export async function startSandboxProcess(options: IfsSandboxOptions & { controlPort?: number } = {}, timeoutMs = 20_000): Promise<SandboxProcess> {
	if (!fs.existsSync(SANDBOX_CLI_JS)) throw new Error(`${SANDBOX_CLI_JS} is missing: run "npm run build:tools" first`);
	const child: Background = start(process.execPath, [SANDBOX_CLI_JS, JSON.stringify(options)], {});
	let details: SandboxDetails;
	try {
		details = await waitFor(
			'the IFS sandbox to print its details',
			async () => {
				if (child.exited()) throw new Error(`the sandbox process exited: ${child.output()}`);
				const line = child.output().split('\n').find((text) => text.startsWith('{'));
				return line ? (JSON.parse(line) as SandboxDetails) : undefined;
			},
			{ timeoutMs, intervalMs: 50, onTimeout: () => child.output() },
		);
	} catch (error) {
		await child.stop(2000);
		throw error;
	}
	const control = async <T>(method: string, route: string, body?: unknown) => await sandboxControl<T>(details.controlUrl, method, route, body);
	return {
		...details,
		faults: async (settings) => void (await control('POST', '/faults', settings)),
		stats: async (withLog = false) => await control<StatsSummary>('GET', `/stats?log=${withLog}`),
		rows: async (projection, entitySet) =>
			await control<Array<Record<string, unknown>>>(
				'GET',
				`/rows?projection=${encodeURIComponent(projection)}&entitySet=${encodeURIComponent(entitySet)}`,
			),
		reset: async () => void (await control('POST', '/reset')),
		close: async () => await child.stop(5000),
	};
}

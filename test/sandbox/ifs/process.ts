/**
 * Starts the IFS sandbox in a child process (compiled by `npm run build:tools`), so that serving
 * pages does not compete with n8n for the test process's single JavaScript thread — as with a
 * real, remote IFS tenant.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from '../../repo-root';
import type { ClockSettings, ClockState, FaultSettings, RateLimitSettings, StatsSummary } from './control';
import type { RateLimitConfig } from './rate-limit';
import type { IfsSandboxOptions } from './index';

export const SANDBOX_CLI = path.join(REPO_ROOT, '.cache', 'tools', 'test', 'sandbox', 'ifs', 'cli.js');

/** What cli.ts prints: where the sandbox listens and how to sign in. */
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

export interface RemoteIfsSandbox extends SandboxDetails {
	faults(settings: FaultSettings): Promise<void>;
	stats(withLog?: boolean): Promise<StatsSummary>;
	resetStats(): Promise<void>;
	rows(projection: string, entitySet: string): Promise<Array<Record<string, unknown>>>;
	/** data.insert in the sandbox process. */
	insert(projection: string, entitySet: string, values: Record<string, unknown>): Promise<Record<string, unknown>>;
	/** data.update in the sandbox process: another user changes the row (new ETag, ChangeDate). */
	update(projection: string, entitySet: string, keys: Record<string, unknown>, changes: Record<string, unknown>): Promise<Record<string, unknown>>;
	/** Move the sandbox clock ({ set } | { advance } | { real: true }) or, without settings, read it. */
	clock(settings?: ClockSettings): Promise<ClockState>;
	/** Replaces the tenant rate limit ({ off: true } turns it off); the window starts empty. */
	rateLimit(settings: RateLimitSettings): Promise<RateLimitConfig | false>;
	/** Re-seeds the data and clears faults, statistics and the rate window. */
	reset(): Promise<void>;
	close(): Promise<void>;
}

export async function spawnIfsSandbox(
	options: IfsSandboxOptions & { controlPort?: number } = {},
	startTimeoutMs = 20_000,
): Promise<RemoteIfsSandbox> {
	if (!fs.existsSync(SANDBOX_CLI)) {
		throw new Error(`${SANDBOX_CLI} is missing: run "npm run build:tools" first`);
	}
	const child = spawn(process.execPath, [SANDBOX_CLI, JSON.stringify(options), '--exit-with-parent'], {
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	const details = await firstLine(child, startTimeoutMs);
	const control = async (method: string, route: string, body?: unknown) => {
		const response = await fetch(`${details.controlUrl}${route}`, {
			method,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		if (!response.ok) throw new Error(`sandbox control ${route}: HTTP ${response.status} ${await response.text()}`);
		return (await response.json()) as unknown;
	};
	return {
		...details,
		faults: async (settings) => void (await control('POST', '/faults', settings)),
		stats: async (withLog = false) => (await control('GET', `/stats?log=${withLog}`)) as StatsSummary,
		resetStats: async () => void (await control('POST', '/stats/reset')),
		rows: async (projection, entitySet) =>
			(await control('GET', `/rows?projection=${encodeURIComponent(projection)}&entitySet=${encodeURIComponent(entitySet)}`)) as Array<
				Record<string, unknown>
			>,
		insert: async (projection, entitySet, values) =>
			(await control('POST', '/rows/insert', { projection, entitySet, values })) as Record<string, unknown>,
		update: async (projection, entitySet, keys, changes) =>
			(await control('POST', '/rows/update', { projection, entitySet, keys, values: changes })) as Record<string, unknown>,
		clock: async (settings) => (settings === undefined ? await control('GET', '/clock') : await control('POST', '/clock', settings)) as ClockState,
		rateLimit: async (settings) => ((await control('POST', '/rate-limit', settings)) as { rateLimit: RateLimitConfig | false }).rateLimit,
		reset: async () => void (await control('POST', '/reset')),
		close: async () => await stop(child),
	};
}

async function firstLine(child: ChildProcess, timeoutMs: number): Promise<SandboxDetails> {
	return await new Promise<SandboxDetails>((resolve, reject) => {
		let buffer = '';
		let errors = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`The sandbox process did not start within ${timeoutMs} ms: ${errors}`));
		}, timeoutMs);
		child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
		child.stdout?.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const newline = buffer.indexOf('\n');
			if (newline === -1) return;
			clearTimeout(timer);
			try {
				resolve(JSON.parse(buffer.slice(0, newline)) as SandboxDetails);
			} catch (error) {
				reject(error as Error);
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The sandbox process exited with code ${code}: ${errors}`));
		});
	});
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

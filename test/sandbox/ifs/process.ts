/**
 * Starts the IFS sandbox in a child process (compiled by `npm run build:tools`), so that serving
 * pages does not compete with n8n for the test process's single JavaScript thread — as with a
 * real, remote IFS tenant.
 */
import * as path from 'node:path';

import { REPO_ROOT } from '../../repo-root';
import { startSandboxProcess } from '../child-process';
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
	const { details, control, stop } = await startSandboxProcess<SandboxDetails>(SANDBOX_CLI, options, startTimeoutMs);
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
		close: stop,
	};
}

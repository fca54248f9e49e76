/**
 * Starts the SP-API sandbox in a child process (compiled by `npm run build:tools`), so serving
 * does not compete with n8n for the test process's JavaScript thread. The returned object has
 * the endpoints routeAmazonToSandbox needs, so routing works the same as in-process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from '../../repo-root';
import type { ClockSettings, ClockState, FaultSettings, StatsSummary } from './control';
import type { AddReportInput, DeliveredNotification, SpApiCredentials, SpApiSandboxOptions } from './index';
import type { OrderRecord } from './model';
import type { SpApiEndpoints } from './relay';

export const SPAPI_SANDBOX_CLI = path.join(REPO_ROOT, '.cache', 'tools', 'test', 'sandbox', 'spapi', 'cli.js');

/** What cli.ts prints. */
export interface SpApiSandboxDetails extends SpApiEndpoints {
	tokenUrl: string;
	timeScale: number;
	authorizations: SpApiCredentials[];
	controlUrl: string;
}

export interface RemoteSpApiSandbox extends SpApiSandboxDetails {
	faults(settings: FaultSettings): Promise<void>;
	stats(withLog?: boolean): Promise<StatsSummary>;
	resetStats(): Promise<void>;
	violations(): Promise<{ contract: unknown[]; storage: unknown[] }>;
	clock(settings?: ClockSettings): Promise<ClockState>;
	/** addReport in the sandbox process (bytes travel as base64). */
	addReport(input: Omit<AddReportInput, 'content'> & { content: string | Uint8Array }): Promise<{ reportId: string; reportDocumentId?: string }>;
	updateOrder(amazonOrderId: string, changes: { status?: string; lastUpdateDate?: string | number }): Promise<Record<string, unknown>>;
	/** The seller's orders as the sandbox holds them (default: the first seller), sorted by purchase date. */
	orders(sellerId?: string): Promise<OrderRecord[]>;
	/** Notifications delivered so far (process mode has no in-process sink). */
	deliveries(notificationType?: string): Promise<DeliveredNotification[]>;
	/** POST /notifications/batch: see SpApiNotificationControls.deliverBatch. */
	deliverBatch(options: { notificationType?: string; count: number; duplicates?: number; sellerId?: string }): Promise<DeliveredNotification[]>;
	reset(): Promise<void>;
	close(): Promise<void>;
}

export async function spawnSpApiSandbox(options: Omit<SpApiSandboxOptions, 'validateRequest'> & { controlPort?: number } = {}, startTimeoutMs = 20_000): Promise<RemoteSpApiSandbox> {
	if (!fs.existsSync(SPAPI_SANDBOX_CLI)) throw new Error(`${SPAPI_SANDBOX_CLI} is missing: run "npm run build:tools" first`);
	const child = spawn(process.execPath, [SPAPI_SANDBOX_CLI, JSON.stringify(options), '--exit-with-parent'], { stdio: ['pipe', 'pipe', 'pipe'] });
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
		violations: async () => (await control('GET', '/violations')) as { contract: unknown[]; storage: unknown[] },
		clock: async (settings) => (settings === undefined ? await control('GET', '/clock') : await control('POST', '/clock', settings)) as ClockState,
		addReport: async ({ content, ...rest }) =>
			(await control('POST', '/reports', typeof content === 'string' ? { ...rest, content } : { ...rest, contentBase64: Buffer.from(content).toString('base64') })) as {
				reportId: string;
				reportDocumentId?: string;
			},
		updateOrder: async (amazonOrderId, changes) => (await control('POST', '/orders/update', { amazonOrderId, ...changes })) as Record<string, unknown>,
		orders: async (sellerId) => (await control('GET', `/orders${sellerId ? `?sellerId=${encodeURIComponent(sellerId)}` : ''}`)) as OrderRecord[],
		deliveries: async (notificationType) => (await control('GET', `/notifications/deliveries${notificationType ? `?notificationType=${encodeURIComponent(notificationType)}` : ''}`)) as DeliveredNotification[],
		deliverBatch: async (options) => (await control('POST', '/notifications/batch', options)) as DeliveredNotification[],
		reset: async () => void (await control('POST', '/reset')),
		close: async () => await stop(child),
	};
}

async function firstLine(child: ChildProcess, timeoutMs: number): Promise<SpApiSandboxDetails> {
	return await new Promise<SpApiSandboxDetails>((resolve, reject) => {
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
				resolve(JSON.parse(buffer.slice(0, newline)) as SpApiSandboxDetails);
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

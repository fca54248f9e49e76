/**
 * Starts the SP-API sandbox in a child process (compiled by `npm run build:tools`), so serving
 * does not compete with n8n for the test process's JavaScript thread. The returned object has
 * the endpoints routeAmazonToSandbox needs, so routing works the same as in-process.
 */
import * as path from 'node:path';

import { REPO_ROOT } from '../../repo-root';
import { startSandboxProcess } from '../child-process';
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
	const { details, control, stop } = await startSandboxProcess<SpApiSandboxDetails>(SPAPI_SANDBOX_CLI, options, startTimeoutMs);
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
		close: stop,
	};
}

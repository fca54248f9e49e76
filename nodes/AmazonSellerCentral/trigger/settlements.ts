/**
 * "New settlement report" for the polling trigger. Amazon creates settlement reports itself
 * (about every 14 days, or on disbursement); they cannot be requested, only found with getReports.
 * There are only a few per marketplace and month, so each poll lists every one Amazon still keeps
 * (90 days, one or two pages) and emits those it has not emitted before: a report that shows up
 * late, with an older createdTime, is still found.
 */
import type { IDataObject } from 'n8n-workflow';

import { spApiInstant } from '../actions/shared';
import type { SpApiClient } from '../transport';
import { OPERATIONS } from '../transport/operations';

export const SETTLEMENT_REPORT_TYPE = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
/** Amazon keeps reports for 90 days; createdSince may not go further back. */
const RETENTION_MS = 90 * 86_400_000;

export interface SettlementCursorState {
	config: string;
	/** Report ids already emitted (or present when the trigger started) → their createdTime. */
	seen: Record<string, string>;
}

interface ReportsPage {
	reports?: IDataObject[];
	nextToken?: string;
}

/** Settlement reports (DONE) Amazon still keeps, newest first, every page (or up to `limit`). */
async function listSettlementReports(client: SpApiClient, limit?: number): Promise<IDataObject[]> {
	const query = {
		reportTypes: [SETTLEMENT_REPORT_TYPE],
		processingStatuses: ['DONE'],
		// A minute inside the retention, so our clock running ahead never asks for more than Amazon keeps.
		createdSince: spApiInstant(Date.now() - RETENTION_MS + 60_000),
		pageSize: limit ? Math.min(100, limit) : 100,
	};
	return await client.collect<IDataObject>(async (token) => {
		// Amazon: with a nextToken, send nothing else.
		const response = await client.call<ReportsPage>({ operation: OPERATIONS.getReports, query: token ? { nextToken: token } : query });
		return { items: response.body.reports ?? [], next: response.body.nextToken || undefined };
	}, limit);
}

/**
 * The settlement reports not emitted before, oldest first. A new state emits the reports created
 * within `lookbackMs` (none for 0, "from now") and remembers the rest.
 */
export async function pollSettlementReports(
	client: SpApiClient,
	previous: SettlementCursorState | undefined,
	config: string,
	settings: { lookbackMs: number; sample?: number },
): Promise<{ reports: IDataObject[]; state: SettlementCursorState }> {
	if (settings.sample) {
		return { reports: await listSettlementReports(client, settings.sample), state: previous ?? { config, seen: {} } };
	}
	const fresh = !previous || previous.config !== config;
	const state: SettlementCursorState = fresh ? { config, seen: {} } : (JSON.parse(JSON.stringify(previous)) as SettlementCursorState);
	const emitFrom = fresh ? Date.now() - settings.lookbackMs : -Infinity;
	const reports: IDataObject[] = [];
	for (const report of (await listSettlementReports(client)).reverse()) {
		const id = String(report.reportId ?? '');
		if (!id || state.seen[id]) continue;
		const created = String(report.createdTime ?? '');
		state.seen[id] = created;
		if (Date.parse(created) >= emitFrom) reports.push(report);
	}
	const horizon = Date.now() - RETENTION_MS - 86_400_000;
	for (const [id, created] of Object.entries(state.seen)) if (Date.parse(created) < horizon) delete state.seen[id];
	return { reports, state };
}

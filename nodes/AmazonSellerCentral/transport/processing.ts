/**
 * Reports and feeds share one life cycle: IN_QUEUE → IN_PROGRESS → DONE | FATAL | CANCELLED.
 * Waiting polls with growing pauses within the caller's wait and the run's time budget, keeping
 * a reserve for what follows (downloading the result).
 */
import { type IDataObject, type IExecuteFunctions, sleep } from 'n8n-workflow';

import { operationError } from '../../common/errors';
import { type SpApiClient, cancelSignal } from './index';

export const TERMINAL_STATUSES = ['DONE', 'FATAL', 'CANCELLED'];

export interface WaitOptions {
	/** Longest wait for a terminal status. */
	waitMs: number;
	/** First pause between polls; later pauses grow by half up to a minute. */
	pollIntervalMs: number;
}

const MAX_POLL_INTERVAL_MS = 60_000;

/** Time to keep for the download once processing is done: a quarter of what is left, at most a minute. */
function downloadReserveMs(client: SpApiClient): number {
	return Math.min(60_000, client.remainingMs() / 4);
}

/** Reads the status with `read` until it is terminal or the wait ends; returns the last answer. */
export async function waitForProcessing(
	context: IExecuteFunctions,
	client: SpApiClient,
	read: () => Promise<IDataObject>,
	itemIndex: number,
	options: WaitOptions,
): Promise<IDataObject> {
	const deadline = Date.now() + Math.min(options.waitMs, Math.max(0, client.remainingMs() - downloadReserveMs(client)));
	let interval = Math.max(10, options.pollIntervalMs);
	let state = await read();
	for (let polls = 1; polls < 100_000 && !TERMINAL_STATUSES.includes(String(state.processingStatus)); polls++) {
		const pause = Math.min(interval, deadline - Date.now());
		if (pause <= 0) break;
		try {
			await sleep(pause, cancelSignal(context));
		} catch {
			throw operationError(client.node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', itemIndex);
		}
		state = await read();
		interval = Math.min(MAX_POLL_INTERVAL_MS, Math.ceil(interval * 1.5));
	}
	return state;
}

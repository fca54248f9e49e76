/**
 * What the SQS trigger remembers between polls, in the node's static data.
 *
 * - `pending`: receipt handles of messages this trigger emitted. They are deleted at the start
 *   of the next poll: n8n saves static data when a poll emits, so a handle is only ever in the
 *   store once n8n has the items. A message is never deleted before it was emitted.
 * - `seen`: notification ids (or SQS message ids) already emitted, with the time, so a message
 *   that comes back before it was deleted (visibility timeout over, a crash before the delete,
 *   Amazon delivering a notification twice) is deleted instead of emitted again. Bounded by age
 *   and count.
 *
 * Pure functions over a plain object; the trigger reads a copy and writes it back only when the
 * poll succeeds, so a poll that throws leaves the stored state as it was.
 */
import type { IDataObject } from 'n8n-workflow';

export const STATE_KEY = 'sqsDelivery';

export interface PendingDelete {
	messageId: string;
	receiptHandle: string;
	/** Epoch ms when it was received. */
	receivedAt: number;
	/** Delete attempts that failed without a definite answer. */
	attempts: number;
}

export interface DeliveryState {
	version: 1;
	/** The queue the handles belong to: a different queue starts afresh. */
	queueUrl: string;
	pending: PendingDelete[];
	/** Emitted key → epoch seconds of the first emission. */
	seen: Record<string, number>;
}

export type StateReset = 'none' | 'new' | 'queue-changed';

function emptyState(queueUrl: string): DeliveryState {
	return { version: 1, queueUrl, pending: [], seen: {} };
}

/** A validated copy of the stored state (malformed entries are dropped, never trusted). */
export function readState(staticData: IDataObject, queueUrl: string): { state: DeliveryState; reset: StateReset } {
	const stored = staticData[STATE_KEY] as Partial<DeliveryState> | undefined;
	if (!stored || typeof stored !== 'object') return { state: emptyState(queueUrl), reset: 'new' };
	if (stored.queueUrl !== queueUrl) return { state: emptyState(queueUrl), reset: 'queue-changed' };
	const pending = Array.isArray(stored.pending)
		? stored.pending
				.filter((entry) => entry && typeof entry.receiptHandle === 'string' && typeof entry.messageId === 'string')
				.map((entry) => ({
					messageId: entry.messageId,
					receiptHandle: entry.receiptHandle,
					receivedAt: Number(entry.receivedAt) || 0,
					attempts: Number(entry.attempts) || 0,
				}))
		: [];
	const seen: Record<string, number> = {};
	if (stored.seen && typeof stored.seen === 'object') {
		for (const [key, at] of Object.entries(stored.seen)) if (typeof at === 'number' && Number.isFinite(at)) seen[key] = at;
	}
	return { state: { version: 1, queueUrl, pending, seen }, reset: 'none' };
}

export function writeState(staticData: IDataObject, state: DeliveryState): void {
	staticData[STATE_KEY] = state as unknown as IDataObject;
}

export function isSeen(state: DeliveryState, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(state.seen, key);
}

export function markSeen(state: DeliveryState, key: string, nowMs: number): void {
	if (!isSeen(state, key)) state.seen[key] = Math.floor(nowMs / 1000);
}

/**
 * Forgets emitted keys older than `retentionMs`, then the oldest beyond `maxEntries`. Returns
 * how many were forgotten.
 */
export function pruneSeen(state: DeliveryState, nowMs: number, retentionMs: number, maxEntries: number): number {
	const cutoff = Math.floor((nowMs - retentionMs) / 1000);
	let removed = 0;
	for (const [key, at] of Object.entries(state.seen)) {
		if (at < cutoff) {
			delete state.seen[key];
			removed++;
		}
	}
	const keys = Object.keys(state.seen);
	const limit = Math.max(0, Math.floor(maxEntries));
	if (keys.length > limit) {
		// Oldest first; ties keep their stored order.
		const ordered = keys.map((key, index) => ({ key, at: state.seen[key], index })).sort((a, b) => a.at - b.at || a.index - b.index);
		for (const { key } of ordered.slice(0, keys.length - limit)) {
			delete state.seen[key];
			removed++;
		}
	}
	return removed;
}

/**
 * Keeps at most `max` pending deletes (the newest). Dropping one loses nothing: the message
 * comes back after its visibility timeout and is deleted then (or emitted again if its key was
 * forgotten too).
 */
export function capPending(state: DeliveryState, max: number): PendingDelete[] {
	const limit = Math.max(0, Math.floor(max));
	if (state.pending.length <= limit) return [];
	const sorted = [...state.pending].sort((a, b) => a.receivedAt - b.receivedAt);
	const dropped = sorted.slice(0, state.pending.length - limit);
	const droppedSet = new Set(dropped);
	state.pending = state.pending.filter((entry) => !droppedSet.has(entry));
	return dropped;
}

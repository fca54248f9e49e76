/**
 * "Order created or updated" for the polling trigger: a cursor on the orders' last-update time
 * that never passes Amazon's 2-minute horizon, sweeps that can span polls (the getOrders quota is
 * about one page a minute), and de-duplication by order id + last update, so an order that
 * changes again is emitted again but one that was already seen in an overlapping window is not.
 */
import type { IDataObject } from 'n8n-workflow';

import { toNodeError } from '../../common/errors';
import { type OrderSearch, orderFacts, searchOrdersPage } from '../actions/order/search';
import { latestBefore, spApiInstant } from '../actions/shared';
import type { SpApiClient } from '../transport';

export interface OrderCursorState {
	/** The parameters the state belongs to; another configuration starts over. */
	config: string;
	/** Everything updated before this instant (ISO) has been read. */
	readUpTo: string;
	/** A sweep that did not finish within its poll: its window and the token of its next page. */
	sweep?: { after: string; before: string; next: string };
	/** Emitted versions still inside the overlap: order id → last update. */
	seen: Record<string, string>;
	/**
	 * Where the trigger started: updates before it are only remembered, never emitted, although the
	 * first sweeps' overlap reads them. Dropped once no sweep reaches back that far.
	 */
	startedAt?: string;
}

export interface OrderPollSettings {
	search: Omit<OrderSearch, 'after' | 'before' | 'byCreation'>;
	/** Each sweep re-reads this far before `readUpTo`, for orders whose update Amazon indexed late. */
	overlapMs: number;
	/** Where a new cursor starts: now, or this many ms back. */
	lookbackMs: number;
	maxOrders: number;
	/** True when the node's time budget for this poll is used up. */
	outOfTime: () => boolean;
}

export interface OrderChange {
	order: IDataObject;
	/** Placed within the sweep's window, or an older order that changed. */
	event: 'created' | 'updated';
}

export interface OrderPollResult {
	changes: OrderChange[];
	state: OrderCursorState;
}

function initialState(config: string, lookbackMs: number, now: number): OrderCursorState {
	const start = spApiInstant(latestBefore(now) - lookbackMs);
	return { config, readUpTo: start, seen: {}, startedAt: start };
}

/** Drops remembered versions older than any window a later sweep can read. */
function pruneSeen(state: OrderCursorState, overlapMs: number): void {
	const horizon = Date.parse(state.readUpTo) - overlapMs;
	for (const [id, lastUpdate] of Object.entries(state.seen)) {
		if (Date.parse(lastUpdate) < horizon) delete state.seen[id];
	}
	if (state.startedAt && Date.parse(state.startedAt) < horizon) delete state.startedAt;
}

/**
 * One poll: continue or start a sweep, read pages until the sweep ends, the budget or the order cap
 * is reached, and return the orders not emitted before with the state to persist.
 */
export async function pollOrders(client: SpApiClient, previous: OrderCursorState | undefined, config: string, settings: OrderPollSettings): Promise<OrderPollResult> {
	const now = Date.now();
	const state: OrderCursorState = previous && previous.config === config ? (JSON.parse(JSON.stringify(previous)) as OrderCursorState) : initialState(config, settings.lookbackMs, now);
	const changes: OrderChange[] = [];
	// A new cursor at "now" emits nothing on its first poll; a lookback sweeps its window at once.
	if ((!previous || previous.config !== config) && settings.lookbackMs === 0) return { changes, state };

	const freshSweep = () => {
		const after = Date.parse(state.readUpTo) - settings.overlapMs;
		const before = latestBefore(now);
		return after < before ? { after: spApiInstant(after), before: spApiInstant(before), next: '' } : undefined;
	};
	let sweep = state.sweep ?? freshSweep();
	if (!sweep) return { changes, state };
	let search: OrderSearch = { ...settings.search, byCreation: false, after: sweep.after, before: sweep.before };

	let token: string | undefined = sweep.next || undefined;
	for (let pages = 0; ; pages++) {
		if (pages > 0 && (settings.outOfTime() || changes.length >= settings.maxOrders)) {
			state.sweep = { ...sweep, next: token ?? '' };
			break;
		}
		let page;
		try {
			page = await searchOrdersPage(client, search, token);
		} catch (error) {
			// Out of time (Amazon's quota needs longer than this poll has): keep what was read and
			// resume from this page next poll. Not an error: the quota, not the data, is the limit.
			if (client.budgetSpent) {
				if (pages > 0 || state.sweep) state.sweep = { ...sweep, next: token ?? '' };
				client.logger.warn('Amazon order poll stopped by the getOrders quota; the next poll continues', { pages });
				break;
			}
			// A stored page token Amazon no longer accepts: sweep again from the cursor (the seen
			// versions keep orders already emitted from being emitted twice).
			if (pages === 0 && token && String((error as { httpCode?: unknown }).httpCode) === '400') {
				sweep = freshSweep();
				if (!sweep) break;
				search = { ...search, after: sweep.after, before: sweep.before };
				token = undefined;
				continue;
			}
			throw toNodeError(client.node, error);
		}
		for (const order of page.orders) {
			const { id, lastUpdate, created } = orderFacts(order);
			if (!id || state.seen[id] === lastUpdate) continue;
			state.seen[id] = lastUpdate;
			if (state.startedAt && Date.parse(lastUpdate) < Date.parse(state.startedAt)) continue;
			changes.push({ order, event: Date.parse(created) >= Date.parse(sweep.after) ? 'created' : 'updated' });
		}
		if (!page.next) {
			// The sweep read everything up to its end: that is the new cursor.
			state.readUpTo = sweep.before;
			delete state.sweep;
			break;
		}
		token = page.next;
	}
	pruneSeen(state, settings.overlapMs);
	return { changes, state };
}

/**
 * The trigger's remembered state: validated reads, seen-set expiry and size bound, pending cap.
 */
import type { IDataObject } from 'n8n-workflow';

import { STATE_KEY, capPending, isSeen, markSeen, pruneSeen, readState, writeState } from '../../../nodes/AmazonSellerCentral/sqs/delivery';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
const HOUR = 3_600_000;

describe('delivery state', () => {
	it('starts empty, and afresh when the queue changes', () => {
		expect(readState({}, QUEUE)).toEqual({ state: { version: 1, queueUrl: QUEUE, pending: [], seen: {} }, reset: 'new' });
		const data: IDataObject = {};
		writeState(data, { version: 1, queueUrl: QUEUE, pending: [{ messageId: 'm', receiptHandle: 'h', receivedAt: 1, attempts: 0 }], seen: { a: 1 } });
		expect(readState(data, `${QUEUE}-other`)).toMatchObject({ reset: 'queue-changed', state: { pending: [], seen: {} } });
		expect(readState(data, QUEUE).reset).toBe('none');
	});

	it('reads a copy and drops malformed entries', () => {
		const data: IDataObject = {
			[STATE_KEY]: {
				version: 1,
				queueUrl: QUEUE,
				pending: [{ messageId: 'm1', receiptHandle: 'h1', receivedAt: 5, attempts: 1 }, { messageId: 'm2' }, null, { receiptHandle: 'h3', messageId: 'm3' }],
				seen: { ok: 10, bad: 'x', nan: Number.NaN },
			},
		};
		const { state } = readState(data, QUEUE);
		expect(state.pending).toEqual([
			{ messageId: 'm1', receiptHandle: 'h1', receivedAt: 5, attempts: 1 },
			{ messageId: 'm3', receiptHandle: 'h3', receivedAt: 0, attempts: 0 },
		]);
		expect(state.seen).toEqual({ ok: 10 });
		state.pending.length = 0;
		expect(((data[STATE_KEY] as IDataObject).pending as unknown[]).length).toBe(4); // the stored object is untouched
	});

	it('markSeen keeps the first emission time (seconds)', () => {
		const { state } = readState({}, QUEUE);
		markSeen(state, 'n1', 10_000);
		markSeen(state, 'n1', 99_000);
		expect(state.seen).toEqual({ n1: 10 });
		expect(isSeen(state, 'n1')).toBe(true);
		expect(isSeen(state, 'constructor')).toBe(false);
	});

	it('pruneSeen forgets by age first, then the oldest beyond the cap', () => {
		const { state } = readState({}, QUEUE);
		const now = 1_000 * HOUR;
		for (let i = 0; i < 10; i++) markSeen(state, `old-${i}`, now - 400 * HOUR + i * 1000);
		for (let i = 0; i < 10; i++) markSeen(state, `new-${i}`, now - 10 * HOUR + i * 1000);
		expect(pruneSeen(state, now, 336 * HOUR, 100)).toBe(10);
		expect(Object.keys(state.seen).every((key) => key.startsWith('new-'))).toBe(true);
		expect(pruneSeen(state, now, 336 * HOUR, 4)).toBe(6);
		expect(Object.keys(state.seen).sort()).toEqual(['new-6', 'new-7', 'new-8', 'new-9']);
	});

	it('the seen-set stays bounded under a long stream of notifications', () => {
		const { state } = readState({}, QUEUE);
		let now = 0;
		for (let i = 0; i < 50_000; i++) {
			now += 1000;
			markSeen(state, `n-${i}`, now);
			if (i % 100 === 0) pruneSeen(state, now, 336 * HOUR, 2_000);
		}
		pruneSeen(state, now, 336 * HOUR, 2_000);
		expect(Object.keys(state.seen)).toHaveLength(2_000);
		expect(isSeen(state, 'n-49999')).toBe(true);
		expect(isSeen(state, 'n-47999')).toBe(false);
		expect(JSON.stringify(state.seen).length).toBeLessThan(2_000 * 30);
	});

	it('capPending keeps the newest receipts', () => {
		const { state } = readState({}, QUEUE);
		state.pending = [3, 1, 2, 5, 4].map((t) => ({ messageId: `m${t}`, receiptHandle: `h${t}`, receivedAt: t, attempts: 0 }));
		const dropped = capPending(state, 3);
		expect(dropped.map((entry) => entry.messageId)).toEqual(['m1', 'm2']);
		expect(state.pending.map((entry) => entry.messageId)).toEqual(['m3', 'm5', 'm4']);
		expect(capPending(state, 10)).toEqual([]);
	});
});

import {
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';
import { createHash } from 'node:crypto';

import { toNodeError } from '../common/errors';
import { buildTrace } from '../common/trace';
import { SQS_SYSTEM, SqsClient, type SqsMessage } from './sqs/client';
import { STATE_KEY, type PendingDelete, capPending, isSeen, markSeen, pruneSeen, readState, writeState } from './sqs/delivery';
import { NOTIFICATION_TYPES, parseNotificationBody, typeSelected } from './sqs/notifications';

/** Share of n8n's poll budget spent talking to SQS; the rest is left for handing the items over. */
const BUDGET_SHARE = 0.6;
/** A pending delete that failed this often without a definite answer is given up (the message comes back and is recognised). */
const DELETE_ATTEMPTS = 5;
const NOTIFICATION_SOURCE = 'Amazon Seller Central';

interface PollOptions {
	maxMessages: number;
	visibilityTimeout: number;
	waitTime: number;
	otherTypes: 'delete' | 'leave';
	invalidMessages: 'emit' | 'leave';
	rememberHours: number;
	rememberMax: number;
}

interface Logger {
	debug(message: string, meta?: IDataObject): void;
	info(message: string, meta?: IDataObject): void;
	warn(message: string, meta?: IDataObject): void;
}

const clamp = (value: unknown, min: number, max: number, fallback: number) => {
	const number = Number(value);
	return Number.isFinite(number) ? Math.min(max, Math.max(min, Math.floor(number))) : fallback;
};

function chunks<T>(list: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

function pollBudgetMs(context: IPollFunctions): number {
	// getPollBudgetMs exists from n8n 2.41 on; older versions get n8n's default of 5 minutes.
	return typeof context.getPollBudgetMs === 'function' ? context.getPollBudgetMs() : 5 * 60_000;
}

function epochIso(value: string | undefined): string | null {
	const ms = Number(value);
	return value !== undefined && Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

/** SQS's MD5 of the body as received; a mismatch means the body was damaged on the way. */
function bodyIntact(message: SqsMessage): boolean {
	if (!message.MD5OfBody || message.Body === undefined) return true;
	return createHash('md5').update(message.Body, 'utf8').digest('hex') === message.MD5OfBody.toLowerCase();
}

/** One output item per message: the notification's identifiers on top, the full notification inside. */
function itemFor(message: SqsMessage, parsed: ReturnType<typeof parseNotificationBody>): INodeExecutionData {
	const sqs: IDataObject = {
		messageId: message.MessageId,
		receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0) || null,
		sentAt: epochIso(message.Attributes?.SentTimestamp),
	};
	if (!parsed.ok) {
		return {
			json: {
				valid: false,
				error: parsed.error,
				body: message.Body ?? '',
				notificationType: null,
				notificationId: null,
				...sqs,
				_trace: buildTrace({ system: SQS_SYSTEM, id: message.MessageId }, { system: 'n8n', id: null }, 'read'),
			},
		};
	}
	return {
		json: {
			valid: true,
			...parsed.summary,
			notification: parsed.notification,
			...(parsed.unwrappedFrom ? { deliveredVia: parsed.unwrappedFrom } : {}),
			...sqs,
			_trace: buildTrace({ system: NOTIFICATION_SOURCE, id: parsed.notificationId ?? null }, { system: SQS_SYSTEM, id: message.MessageId }, 'read'),
		},
	};
}

/**
 * Deletes the given messages in batches of 10. Returns the ones that must be tried again;
 * receipt handles SQS calls invalid are dropped (the message is gone, or comes back and is
 * recognised). Errors no retry can fix are thrown; others are logged and the rest kept.
 */
async function deleteMessages(node: INode, client: SqsClient, entries: PendingDelete[], logger: Logger): Promise<PendingDelete[]> {
	const keep: PendingDelete[] = [];
	const batches = chunks(entries, 10);
	for (let b = 0; b < batches.length; b++) {
		const batch = batches[b];
		let result;
		try {
			result = await client.deleteBatch(batch.map((entry, index) => ({ id: `m${index}`, receiptHandle: entry.receiptHandle })));
		} catch (error) {
			if (client.isPermanent(error)) throw toNodeError(node, error);
			logger.warn('Amazon SQS trigger: deleting messages failed; they are tried again next poll', {
				messages: batch.length,
				reason: (error as Error).message,
			});
			keep.push(...batch.map((entry) => ({ ...entry, attempts: entry.attempts + 1 })));
			for (const rest of batches.slice(b + 1)) keep.push(...rest);
			break;
		}
		for (const failure of result.failed) {
			const entry = batch[Number(failure.id.slice(1))];
			if (!entry) continue;
			if (failure.senderFault || failure.code === 'ReceiptHandleIsInvalid') {
				logger.warn('Amazon SQS trigger: SQS refused a receipt handle; if the message comes back it is recognised and deleted then', {
					messageId: entry.messageId,
					code: failure.code,
				});
			} else {
				keep.push({ ...entry, attempts: entry.attempts + 1 });
			}
		}
	}
	return keep.filter((entry) => {
		if (entry.attempts < DELETE_ATTEMPTS) return true;
		logger.warn('Amazon SQS trigger: giving up deleting a message; if it comes back it is recognised and deleted then', { messageId: entry.messageId });
		return false;
	});
}

export class AmazonSellerCentralSqsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon SQS Notification Trigger',
		name: 'amazonSellerCentralSqsTrigger',
		icon: { light: 'file:amazonSellerCentral.svg', dark: 'file:amazonSellerCentral.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["notificationTypes"] || []).length ? $parameter["notificationTypes"].join(", ") : "All notification types" }}',
		description: 'Starts a workflow for each SP-API notification (order changes, reports, inventory…) Amazon delivers to your SQS queue',
		defaults: { name: 'Amazon SQS Notification Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'awsSqsApi', required: true }],
		properties: [
			{
				displayName:
					'Amazon sends notifications to the SQS queue of the credential once the queue is a destination and the seller is subscribed (Notifications API). Each message is deleted only after n8n has received it: at the start of the next poll.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Notification Types',
				name: 'notificationTypes',
				type: 'multiOptions',
				options: NOTIFICATION_TYPES,
				default: [],
				description: 'Which notifications start the workflow; none selected means all types, including ones Amazon adds later',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Messages per Poll',
						name: 'maxMessages',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10000 },
						default: 100,
						description: 'The rest waits in the queue for the next poll',
					},
					{
						displayName: 'Messages That Are Not Notifications',
						name: 'invalidMessages',
						type: 'options',
						default: 'emit',
						options: [
							{ name: 'Emit With an Error', value: 'emit', description: 'Emit them with valid: false and an error explaining why, then delete them like any other' },
							{ name: 'Leave in Queue', value: 'leave', description: 'Do not emit or delete them: they return after the visibility timeout and move to the dead-letter queue if one is configured' },
						],
					},
					{
						displayName: 'Other Notification Types',
						name: 'otherTypes',
						type: 'options',
						default: 'delete',
						description: 'What happens to notifications of types not selected above',
						options: [
							{ name: 'Delete Without Emitting', value: 'delete', description: 'The queue serves only this workflow' },
							{ name: 'Leave in Queue', value: 'leave', description: 'Another consumer reads them; they return after the visibility timeout' },
						],
					},
					{
						displayName: 'Remember at Most',
						name: 'rememberMax',
						type: 'number',
						typeOptions: { minValue: 100 },
						default: 10000,
						description: 'Upper bound on remembered notification IDs (the oldest are forgotten first); each takes about 50 bytes of workflow static data',
					},
					{
						displayName: 'Remember Emitted Notifications (Hours)',
						name: 'rememberHours',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 336,
						description: "How long a notification ID stays known, so a redelivered copy is deleted instead of emitted again (336 h = 14 days, SQS's longest retention)",
					},
					{
						displayName: 'Visibility Timeout (Seconds)',
						name: 'visibilityTimeout',
						type: 'number',
						typeOptions: { minValue: 30, maxValue: 43200 },
						default: 600,
						description:
							'How long received messages stay hidden from the queue. They are deleted at the start of the next poll, after n8n has them, so this must exceed the poll interval plus a poll\'s duration. If a message returns earlier it is recognised and deleted, not emitted twice.',
					},
					{
						displayName: 'Wait Time (Seconds)',
						name: 'waitTime',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 20 },
						default: 20,
						description: 'Long polling: how long a poll waits for the first message when the queue is empty (SQS allows 0–20)',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const started = Date.now();
		const deadline = started + Math.max(1000, pollBudgetMs(this) * BUDGET_SHARE);
		const raw = this.getNodeParameter('options', {}) as IDataObject;
		const options: PollOptions = {
			maxMessages: clamp(raw.maxMessages, 1, 10_000, 100),
			visibilityTimeout: clamp(raw.visibilityTimeout, 30, 43_200, 600),
			waitTime: clamp(raw.waitTime, 0, 20, 20),
			otherTypes: raw.otherTypes === 'leave' ? 'leave' : 'delete',
			invalidMessages: raw.invalidMessages === 'leave' ? 'leave' : 'emit',
			rememberHours: clamp(raw.rememberHours, 1, 24 * 366, 336),
			rememberMax: clamp(raw.rememberMax, 100, 1_000_000, 10_000),
		};
		const selected = (this.getNodeParameter('notificationTypes', []) as string[]).filter(Boolean);
		const client = await SqsClient.create(this, deadline);
		const secondsLeft = () => Math.max(0, Math.floor((deadline - Date.now()) / 1000) - 1);

		if (this.getMode() === 'manual') {
			// "Fetch Test Event": peek only. Visibility 0 puts the messages straight back; nothing
			// is deleted and nothing is remembered.
			const batch = await client.receive({
				maxNumberOfMessages: Math.min(10, options.maxMessages),
				waitTimeSeconds: Math.min(options.waitTime, secondsLeft()),
				visibilityTimeoutSeconds: 0,
			});
			const sample = batch
				.filter(bodyIntact)
				.map((message) => ({ message, parsed: parseNotificationBody(message.Body) }))
				.filter(({ parsed }) => (parsed.ok ? typeSelected(parsed.notificationType, selected) : options.invalidMessages === 'emit'))
				.map(({ message, parsed }) => itemFor(message, parsed));
			return sample.length ? [sample] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		const { state, reset } = readState(staticData, client.queue.url);
		if (reset === 'queue-changed') this.logger.info('Amazon SQS trigger: the queue changed; starting with no pending deletes', { queue: client.queue.url });
		const retentionMs = options.rememberHours * 3_600_000;
		pruneSeen(state, Date.now(), retentionMs, options.rememberMax);

		// 1. What the previous poll emitted is with n8n now (static data is saved on emit): delete it.
		state.pending = await deleteMessages(this.getNode(), client, state.pending, this.logger);

		// 2. Receive within the budget.
		const items: INodeExecutionData[] = [];
		const emittedKeys = new Set<string>();
		const deleteNow: PendingDelete[] = [];
		const counts = { received: 0, duplicates: 0, ignored: 0, left: 0, damaged: 0 };
		let lastCallMs = 0;
		for (let call = 0; counts.received < options.maxMessages; call++) {
			// Another call only if it fits: twice the last one's duration must be left.
			if (call > 0 && deadline - Date.now() < Math.max(300, 2 * lastCallMs)) break;
			let batch: SqsMessage[];
			const callStarted = Date.now();
			try {
				batch = await client.receive({
					maxNumberOfMessages: Math.min(10, options.maxMessages - counts.received),
					// The first call waits for messages; later ones only drain what is there.
					waitTimeSeconds: Math.min(call === 0 ? options.waitTime : 1, secondsLeft()),
					visibilityTimeoutSeconds: options.visibilityTimeout,
				});
			} catch (error) {
				// Nothing received yet: fail the poll (messages stay in the queue). Otherwise emit
				// what arrived; the next poll reports the error if it persists.
				if (counts.received === 0) throw toNodeError(this.getNode(), error);
				this.logger.warn('Amazon SQS trigger: receiving stopped early; emitting what arrived', { reason: (error as Error).message });
				break;
			}
			lastCallMs = Date.now() - callStarted;
			if (!batch.length) break;
			counts.received += batch.length;
			for (const message of batch) {
				const entry: PendingDelete = { messageId: message.MessageId, receiptHandle: message.ReceiptHandle, receivedAt: Date.now(), attempts: 0 };
				if (!bodyIntact(message)) {
					// Damaged in transit: leave it, SQS delivers it again after the visibility timeout.
					counts.damaged++;
					this.logger.warn('Amazon SQS trigger: message body does not match its MD5; leaving it for redelivery', { messageId: message.MessageId });
					continue;
				}
				const parsed = parseNotificationBody(message.Body);
				const key = parsed.ok && parsed.notificationId ? parsed.notificationId : `sqs:${message.MessageId}`;
				if (emittedKeys.has(key)) {
					// Its twin goes to n8n with this poll: delete this copy after that, not before.
					counts.duplicates++;
					state.pending.push(entry);
					continue;
				}
				if (isSeen(state, key)) {
					// Emitted by an earlier poll, whose items n8n already has.
					counts.duplicates++;
					deleteNow.push(entry);
					continue;
				}
				if (!parsed.ok && options.invalidMessages === 'leave') {
					counts.left++;
					this.logger.warn('Amazon SQS trigger: leaving a message that is not an SP-API notification in the queue', { messageId: message.MessageId, reason: parsed.error });
					continue;
				}
				if (parsed.ok && !typeSelected(parsed.notificationType, selected)) {
					if (options.otherTypes === 'delete') {
						counts.ignored++;
						deleteNow.push(entry);
					} else {
						counts.left++;
					}
					continue;
				}
				items.push(itemFor(message, parsed));
				emittedKeys.add(key);
				state.pending.push(entry);
			}
		}

		// 3. Copies of earlier emissions and unwanted types can go at once; failures wait for the next poll.
		if (deleteNow.length) {
			try {
				state.pending.push(...(await deleteMessages(this.getNode(), client, deleteNow, this.logger)));
			} catch (error) {
				if (!items.length) throw toNodeError(this.getNode(), error);
				// Items must reach n8n; the next poll reports the error when it deletes again.
				state.pending.push(...deleteNow);
				this.logger.warn('Amazon SQS trigger: could not delete redelivered copies; trying again next poll', { reason: (error as Error).message });
			}
		}

		const now = Date.now();
		for (const key of emittedKeys) markSeen(state, key, now);
		pruneSeen(state, now, retentionMs, options.rememberMax);
		const dropped = capPending(state, options.maxMessages * 5 + 50);
		if (dropped.length) this.logger.warn('Amazon SQS trigger: too many pending deletes; the oldest are dropped and recognised if they return', { dropped: dropped.length });
		// Unchanged state is not written, so n8n does not save the workflow for nothing.
		if (JSON.stringify(staticData[STATE_KEY] ?? null) !== JSON.stringify(state)) writeState(staticData, state);
		this.logger.debug('Amazon SQS trigger: poll finished', { ...counts, emitted: items.length, pending: state.pending.length, ms: Date.now() - started });
		return items.length ? [items] : null;
	}
}

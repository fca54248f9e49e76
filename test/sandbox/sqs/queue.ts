/**
 * One SQS standard queue: messages, visibility timeouts, receipt handles, retention, delays,
 * redrive to a dead-letter queue, and long-poll waiters. Time comes from the sandbox clock, so
 * tests move visibility expiry forward without sleeping.
 *
 * Receipt handles follow AWS's documented rules: each receive issues a new handle; deleting with
 * the latest handle deletes; deleting with an older handle of a message received again since
 * "succeeds but does not delete"; deleting an already deleted message succeeds; a handle this
 * queue never issued is invalid.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export interface QueueAttributes {
	/** Seconds (default 30). */
	visibilityTimeout: number;
	/** Seconds (default 345 600 = 4 days; AWS allows 60–1 209 600). */
	messageRetentionPeriod: number;
	/** Seconds (default 0). */
	delaySeconds: number;
	/** Seconds a ReceiveMessage without WaitTimeSeconds waits (default 0). */
	receiveMessageWaitTimeSeconds: number;
	/** Bytes (default 1 MiB). */
	maximumMessageSize: number;
	/** Move a message to this queue when it is received more than maxReceiveCount times. */
	redrive?: { deadLetterQueue: string; maxReceiveCount: number };
}

export interface StoredMessage {
	messageId: string;
	body: string;
	md5OfBody: string;
	sentAt: number;
	visibleAt: number;
	receiveCount: number;
	firstReceivedAt?: number;
	/** The latest receipt handle (undefined until received). */
	currentHandle?: string;
	senderId: string;
	deadLetterSourceArn?: string;
}

export interface MessageView {
	messageId: string;
	body: string;
	receiveCount: number;
	sentAt: number;
	visibleAt: number;
	/** Visible now (not in flight, not delayed). */
	visible: boolean;
	inFlight: boolean;
	delayed: boolean;
}

export type DeleteOutcome = 'deleted' | 'stale' | 'already-deleted' | 'invalid';
export type VisibilityOutcome = 'changed' | 'invalid' | 'not-in-flight';

export function md5Hex(text: string): string {
	return createHash('md5').update(text, 'utf8').digest('hex');
}

interface Waiter {
	wake: () => void;
}

export class SandboxQueue {
	readonly messages = new Map<string, StoredMessage>();
	/** Every handle ever issued → its message (kept after deletion, so stale/duplicate deletes are told apart). */
	private readonly handles = new Map<string, string>();
	private readonly deleted = new Set<string>();
	private readonly waiters = new Set<Waiter>();
	readonly createdAt: number;
	lastModifiedAt: number;
	lastPurgeAt = -Infinity;
	/** Every message id ever deleted through DeleteMessage(Batch), in order (for assertions). */
	readonly deletedLog: string[] = [];

	constructor(
		readonly name: string,
		readonly region: string,
		readonly accountId: string,
		readonly attributes: QueueAttributes,
		private readonly now: () => number,
	) {
		this.createdAt = now();
		this.lastModifiedAt = this.createdAt;
	}

	get url(): string {
		return `https://sqs.${this.region}.amazonaws.com/${this.accountId}/${this.name}`;
	}

	get arn(): string {
		return `arn:aws:sqs:${this.region}:${this.accountId}:${this.name}`;
	}

	send(body: string, options: { delaySeconds?: number; senderId?: string; deadLetterSourceArn?: string; messageId?: string } = {}): StoredMessage {
		const now = this.now();
		const delay = options.delaySeconds ?? this.attributes.delaySeconds;
		const message: StoredMessage = {
			messageId: options.messageId ?? randomUUID(),
			body,
			md5OfBody: md5Hex(body),
			sentAt: now,
			visibleAt: now + delay * 1000,
			receiveCount: 0,
			senderId: options.senderId ?? 'AIDASANDBOXSENDER',
			deadLetterSourceArn: options.deadLetterSourceArn,
		};
		this.messages.set(message.messageId, message);
		this.wake();
		return message;
	}

	/** Drops messages older than the retention period. */
	private expire(now: number): void {
		const limit = now - this.attributes.messageRetentionPeriod * 1000;
		for (const [id, message] of this.messages) {
			if (message.sentAt < limit) this.messages.delete(id);
		}
	}

	/**
	 * Receives up to `max` visible messages (oldest first), hiding them for `visibilitySeconds`
	 * and issuing new receipt handles. Messages over the redrive limit move to the dead-letter
	 * queue instead (`moveToDlq` does the sending).
	 */
	receive(max: number, visibilitySeconds: number, moveToDlq?: (message: StoredMessage) => void): StoredMessage[] {
		const now = this.now();
		this.expire(now);
		const out: StoredMessage[] = [];
		for (const message of this.messages.values()) {
			if (out.length >= max) break;
			if (message.visibleAt > now) continue;
			if (this.attributes.redrive && moveToDlq && message.receiveCount >= this.attributes.redrive.maxReceiveCount) {
				this.messages.delete(message.messageId);
				moveToDlq(message);
				continue;
			}
			message.receiveCount++;
			message.firstReceivedAt ??= now;
			message.visibleAt = now + visibilitySeconds * 1000;
			const handle = `AQEB${randomBytes(96).toString('base64')}${Buffer.from(`${this.name}|${message.messageId}|${message.receiveCount}`).toString('base64')}`;
			this.handles.set(handle, message.messageId);
			message.currentHandle = handle;
			out.push(message);
		}
		return out;
	}

	delete(handle: string): DeleteOutcome {
		const messageId = this.handles.get(handle);
		if (messageId === undefined) return 'invalid';
		if (this.deleted.has(messageId) || !this.messages.has(messageId)) return 'already-deleted';
		const message = this.messages.get(messageId) as StoredMessage;
		if (message.currentHandle !== handle) return 'stale';
		this.messages.delete(messageId);
		this.deleted.add(messageId);
		this.deletedLog.push(messageId);
		return 'deleted';
	}

	changeVisibility(handle: string, seconds: number): VisibilityOutcome {
		const messageId = this.handles.get(handle);
		if (messageId === undefined) return 'invalid';
		const message = this.messages.get(messageId);
		const now = this.now();
		if (!message || message.currentHandle !== handle || message.visibleAt <= now) return 'not-in-flight';
		message.visibleAt = now + seconds * 1000;
		if (seconds === 0) this.wake();
		return 'changed';
	}

	purge(): void {
		this.messages.clear();
		this.lastPurgeAt = this.now();
	}

	view(message: StoredMessage): MessageView {
		const now = this.now();
		const visible = message.visibleAt <= now;
		return {
			messageId: message.messageId,
			body: message.body,
			receiveCount: message.receiveCount,
			sentAt: message.sentAt,
			visibleAt: message.visibleAt,
			visible,
			inFlight: !visible && message.receiveCount > 0,
			delayed: !visible && message.receiveCount === 0,
		};
	}

	counts(): { visible: number; inFlight: number; delayed: number; total: number } {
		this.expire(this.now());
		let visible = 0;
		let inFlight = 0;
		let delayed = 0;
		for (const message of this.messages.values()) {
			const view = this.view(message);
			if (view.visible) visible++;
			else if (view.inFlight) inFlight++;
			else delayed++;
		}
		return { visible, inFlight, delayed, total: this.messages.size };
	}

	/** Milliseconds (sandbox time) until the next hidden message becomes visible, if any. */
	nextVisibleInMs(): number | undefined {
		const now = this.now();
		let next: number | undefined;
		for (const message of this.messages.values()) {
			if (message.visibleAt > now && (next === undefined || message.visibleAt < next)) next = message.visibleAt;
		}
		return next === undefined ? undefined : next - now;
	}

	addWaiter(waiter: Waiter): () => void {
		this.waiters.add(waiter);
		return () => this.waiters.delete(waiter);
	}

	/** Something may have become receivable: long polls look again. */
	wake(): void {
		for (const waiter of [...this.waiters]) waiter.wake();
	}
}

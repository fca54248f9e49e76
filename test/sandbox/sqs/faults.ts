/**
 * Fault injection for the SQS sandbox: tests arm a fault, the server consumes it on the next
 * matching request (by action). Cleared by clear() / sandbox.reset().
 */
import type { InjectedFailure } from './errors';

export interface FaultFilter {
	/** Only requests for this action (e.g. 'ReceiveMessage'); default any. */
	action?: string;
}

interface Armed<T> {
	remaining: number;
	filter: FaultFilter;
	payload: T;
}

export interface BatchEntryFailure {
	code: string;
	senderFault: boolean;
	message: string;
}

export class SqsFaults {
	/** Added before every (matching) request is answered, in real milliseconds. */
	latencyMs = 0;
	latencyAction?: string;
	private readonly failures: Array<Armed<InjectedFailure>> = [];
	private readonly resets: Array<Armed<true>> = [];
	private readonly entryFailures: Array<Armed<BatchEntryFailure>> = [];
	/** Received messages whose MD5OfBody is reported wrong (a body damaged in transit). */
	private damagedBodies = 0;

	/** The next `n` matching requests get `kind` (500/503/ThrottlingException/RequestThrottled) in the JSON error shape. */
	failNext(n: number, kind: InjectedFailure = 503, filter: FaultFilter = {}): void {
		this.failures.push({ remaining: n, filter, payload: kind });
	}

	/** The next `n` matching requests get no answer: the socket is reset. */
	resetNext(n: number, filter: FaultFilter = {}): void {
		this.resets.push({ remaining: n, filter, payload: true });
	}

	/**
	 * The next `n` DeleteMessageBatch entries fail individually (the call itself answers 200 with
	 * them under Failed): a partial batch failure.
	 */
	failBatchEntries(n: number, failure: Partial<BatchEntryFailure> = {}): void {
		this.entryFailures.push({
			remaining: n,
			filter: { action: 'DeleteMessageBatch' },
			payload: { code: failure.code ?? 'InternalError', senderFault: failure.senderFault ?? false, message: failure.message ?? 'We encountered an internal error. Please try again.' },
		});
	}

	/** The next `n` received messages carry an MD5OfBody that does not match their body. */
	damageNextBodies(n: number): void {
		this.damagedBodies += n;
	}

	takeDamagedBody(): boolean {
		if (this.damagedBodies <= 0) return false;
		this.damagedBodies--;
		return true;
	}

	clear(): void {
		this.damagedBodies = 0;
		this.latencyMs = 0;
		this.latencyAction = undefined;
		this.failures.length = 0;
		this.resets.length = 0;
		this.entryFailures.length = 0;
	}

	private static take<T>(list: Array<Armed<T>>, action: string | undefined): T | undefined {
		const armed = list.find((entry) => entry.remaining > 0 && (entry.filter.action === undefined || entry.filter.action === action));
		if (!armed) return undefined;
		armed.remaining--;
		if (armed.remaining <= 0) list.splice(list.indexOf(armed), 1);
		return armed.payload;
	}

	takeReset(action: string | undefined): boolean {
		return SqsFaults.take(this.resets, action) === true;
	}

	takeFailure(action: string | undefined): InjectedFailure | undefined {
		return SqsFaults.take(this.failures, action);
	}

	takeEntryFailure(): BatchEntryFailure | undefined {
		return SqsFaults.take(this.entryFailures, 'DeleteMessageBatch');
	}

	latencyFor(action: string | undefined): number {
		return this.latencyAction === undefined || this.latencyAction === action ? this.latencyMs : 0;
	}
}

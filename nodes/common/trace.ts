/**
 * Trace fields: every record an operation writes or finds carries where it came from and where it
 * went, so n8n's execution history answers "which IFS order did Amazon order X become?".
 */

export type TraceAction =
	| 'created'
	| 'updated'
	| 'unchanged'
	| 'found'
	| 'deleted'
	| 'absent'
	| 'read'
	| 'called';

export interface TraceEndpoint {
	system: string;
	id: string | null;
}

export interface Trace {
	source: TraceEndpoint;
	target: TraceEndpoint;
	action: TraceAction;
	/** ISO time of the write, so history and target records can be lined up. */
	at: string;
}

export const TRACE_FIELD = '_trace';

export function buildTrace(source: TraceEndpoint, target: TraceEndpoint, action: TraceAction, at: Date = new Date()): Trace {
	return { source, target, action, at: at.toISOString() };
}

export function withTrace<T extends object>(record: T, trace: Trace): T & { [TRACE_FIELD]: Trace } {
	return { ...record, [TRACE_FIELD]: trace };
}

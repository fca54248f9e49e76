/**
 * Trace fields: every record an operation writes or finds carries where it came from and where it
 * went, so n8n's execution history answers "which IFS order did Amazon order X become?".
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

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

/** Options (inside an operation's Options collection) naming the record the write came from. */
export const traceOptions: INodeProperties[] = [
	{
		displayName: 'Source System',
		name: 'sourceSystem',
		type: 'string',
		default: '',
		placeholder: 'e.g. Amazon Seller Central',
		description: 'Recorded in the _trace field of the output, with the source record ID',
	},
	{
		displayName: 'Source Record ID',
		name: 'sourceId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.AmazonOrderId }}',
		description: 'ID of the record in the source system, recorded in the _trace field of the output',
	},
];

/** The source named by {@link traceOptions}; the system defaults to n8n, the id to none. */
export function readTraceSource(context: IExecuteFunctions, itemIndex: number): TraceEndpoint {
	const system = String(context.getNodeParameter('options.sourceSystem', itemIndex, '') || 'n8n');
	const id = String(context.getNodeParameter('options.sourceId', itemIndex, '') ?? '');
	return { system, id: id === '' ? null : id };
}

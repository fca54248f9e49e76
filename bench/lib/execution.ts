/**
 * What the benchmark reads from a finished execution: per-node timings from n8n's run data, the
 * output item count, and whether any item is an error item. The run data of a 100 000-row read is
 * 75–125 MB of `flatted` JSON (n8n's execution_data); it is walked lazily, only along the paths
 * needed, instead of rebuilding every item object.
 */

type Flat = unknown[];
type Raw = Record<string, unknown> | unknown[];

/** flatted: objects and arrays hold the table index (as a decimal string) of every string/object value. */
class FlatReader {
	constructor(private readonly table: Flat) {}

	root(): Raw {
		return this.table[0] as Raw;
	}

	/** The value under `key` of a raw (still flattened) object or array. */
	get(raw: Raw | undefined, key: string | number): unknown {
		if (!raw) return undefined;
		const value = (raw as Record<string, unknown>)[key];
		if (typeof value === 'string' && /^\d+$/.test(value)) return this.table[Number(value)];
		return value;
	}

	obj(raw: Raw | undefined, key: string | number): Raw | undefined {
		const value = this.get(raw, key);
		return value && typeof value === 'object' ? (value as Raw) : undefined;
	}
}

export interface NodeRun {
	/** Epoch ms the node started. */
	startTime: number;
	/** n8n's executionTime of the node (ms). */
	executionTime: number;
	status?: string;
	/** Items on the node's first main output. */
	items: number;
	/** Items whose json has an `error` field (Continue On Fail / error items). */
	errorItems: number;
	/** Distinct values of `distinctField` among the output items (when asked). */
	distinct?: number;
	error?: string;
}

export interface ExecutionSummary {
	id: string;
	status: string;
	/** n8n's own record: startedAt → stoppedAt (ms). */
	engineMs?: number;
	nodes: Record<string, NodeRun>;
	error?: string;
}

export interface ExecutionRecord {
	id: string;
	status: string;
	startedAt?: string;
	stoppedAt?: string;
	data: string;
}

export function summarizeExecution(execution: ExecutionRecord, distinctField?: string): ExecutionSummary {
	const reader = new FlatReader(JSON.parse(execution.data) as Flat);
	const resultData = reader.obj(reader.root(), 'resultData');
	const runData = reader.obj(resultData, 'runData') as Record<string, unknown> | undefined;
	const nodes: Record<string, NodeRun> = {};
	for (const name of Object.keys(runData ?? {})) {
		const task = reader.obj(reader.obj(runData, name), 0);
		if (!task) continue;
		const main = reader.obj(reader.obj(task, 'data'), 'main');
		const first = reader.obj(main, 0) as unknown[] | undefined;
		let errorItems = 0;
		const seen = distinctField ? new Set<unknown>() : undefined;
		for (let index = 0; first && index < first.length; index++) {
			const json = reader.obj(reader.obj(first as Raw, index), 'json');
			if (json && 'error' in json) errorItems++;
			if (seen && json) seen.add(reader.get(json, distinctField as string));
		}
		const error = reader.obj(task, 'error');
		nodes[name] = {
			startTime: Number(reader.get(task, 'startTime')),
			executionTime: Number(reader.get(task, 'executionTime')),
			status: reader.get(task, 'executionStatus') as string | undefined,
			items: first?.length ?? 0,
			errorItems,
			distinct: seen?.size,
			error: error ? String(reader.get(error, 'message')) : undefined,
		};
	}
	const runError = reader.obj(resultData, 'error');
	const started = execution.startedAt ? Date.parse(execution.startedAt) : NaN;
	const stopped = execution.stoppedAt ? Date.parse(execution.stoppedAt) : NaN;
	return {
		id: execution.id,
		status: execution.status,
		engineMs: Number.isFinite(started) && Number.isFinite(stopped) ? stopped - started : undefined,
		nodes,
		error: runError ? `${String(reader.get(runError, 'message'))} ${String(reader.get(runError, 'description') ?? '')}`.trim() : undefined,
	};
}

/**
 * In-memory stand-in for the store behind `this.helpers.checkProcessedAndRecord` & co.
 *
 * In n8n these helpers exist only in `execute()` (and supply-data) contexts. n8n-core routes
 * them through its `DataDeduplicationService` singleton, which the n8n CLI initialises at
 * startup with a database-backed `IDataDeduplicator` (n8n-workflow's interface). Without
 * that, every call fails with "Instance needs to initialized before use". The harness
 * initialises the singleton once per test file (`installN8nEnvironment`) with a router that
 * hands each call to the `ProcessedDataStore` the current run was started with, found by the
 * `Workflow` object n8n-core passes along as context.
 *
 * `ProcessedDataStore` implements the interface with the semantics the CLI's implementation
 * has (behaviour, not code, reproduced here):
 * * one record per workflow id + scope: `workflow`, or `node` (keyed by node *id*, so
 *   renaming a node keeps its data); a record remembers the mode it was written in and a
 *   call in another mode fails until the record is cleared;
 * * `entries`: a value is processed if an equal value (compared as `String(value)`) was
 *   recorded before this call; new values are appended in input order, then only the last
 *   `maxEntries` are kept. Duplicates inside one call are all "new" (the check is against
 *   what was stored before the call);
 * * `latestIncrementalKey` / `latestDate`: only the largest value is kept (numbers via
 *   `Number()`, dates via n8n-workflow's `tryToParseDateTime`); a value is new only if it is
 *   strictly larger. The first call returns every value as new in input order; later calls
 *   return `new` and `processed` sorted ascending. Unparsable values fail.
 *   n8n quirk kept on purpose: a *first* call with an empty list stores "no value", and
 *   every later call in that scope then fails as unparsable — nodes should not call with [].
 * * `removeProcessed` only in `entries` (fails in the latest modes); `getProcessedDataCount`
 *   counts entries (0 in the latest modes); `clearAllProcessedItems` drops the record.
 * Not modelled: concurrency. n8n's implementation is read-then-write without a lock, so two
 * concurrent executions can both see a value as new; this store is only ever called
 * sequentially by one test.
 */
import {
	tryToParseDateTime,
	UserError,
	type DeduplicationItemTypes,
	type DeduplicationMode,
	type DeduplicationScope,
	type ICheckProcessedContextData,
	type ICheckProcessedOptions,
	type IDataDeduplicator,
	type IDeduplicationOutput,
} from 'n8n-workflow';

export interface ProcessedDataRecord {
	mode: DeduplicationMode;
	/** `entries`: the recorded values as strings, oldest first. Latest modes: the largest value seen. */
	data: string[] | DeduplicationItemTypes | undefined;
}

/** What n8n raises for misuse (mode mismatch, unparsable values, remove in a latest mode). */
export class DeduplicationError extends UserError {
	constructor(message: string) {
		super(message);
		this.name = 'DeduplicationError';
	}
}

const isLatestMode = (mode: DeduplicationMode) => mode === 'latestIncrementalKey' || mode === 'latestDate';

/** -1 / 0 / 1 like a sort comparator; throws a DeduplicationError for values the mode cannot order. */
function compare(mode: DeduplicationMode, a: DeduplicationItemTypes | undefined, b: DeduplicationItemTypes | undefined): number {
	if (mode === 'latestIncrementalKey') {
		const [x, y] = [Number(a), Number(b)];
		if (Number.isNaN(x) || Number.isNaN(y)) {
			throw new DeduplicationError('Invalid value. Only numbers are supported in mode "latestIncrementalKey"');
		}
		return Math.sign(x - y);
	}
	if (mode === 'latestDate') {
		let x: number;
		let y: number;
		try {
			[x, y] = [tryToParseDateTime(a).toMillis(), tryToParseDateTime(b).toMillis()];
		} catch {
			throw new DeduplicationError('Invalid value. Only valid dates are supported in mode "latestDate"');
		}
		return Math.sign(x - y);
	}
	throw new DeduplicationError(`Mode "${mode}" has no order (only latestIncrementalKey and latestDate do)`);
}

export class ProcessedDataStore implements IDataDeduplicator {
	private readonly records = new Map<string, ProcessedDataRecord>();

	private static key(scope: DeduplicationScope, contextData: ICheckProcessedContextData): string {
		const workflowId = contextData.workflow.id;
		if (!workflowId) throw new DeduplicationError('The workflow has no id, so processed data cannot be stored');
		if (scope === 'node') {
			if (!contextData.node) throw new DeduplicationError("No node information has been provided and so cannot use scope 'node'");
			return `${workflowId}\n n:${contextData.node.id}`;
		}
		return `${workflowId}\n`;
	}

	/**
	 * A copy of the record of one scope, for assertions: workflow scope without `nodeId`,
	 * node scope with the node's *id* (not its name).
	 */
	read(workflowId: string, nodeId?: string): ProcessedDataRecord | undefined {
		const record = this.records.get(nodeId === undefined ? `${workflowId}\n` : `${workflowId}\n n:${nodeId}`);
		if (!record) return undefined;
		return { mode: record.mode, data: Array.isArray(record.data) ? [...record.data] : record.data };
	}

	/** Number of scopes holding a record. */
	get size(): number {
		return this.records.size;
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = ProcessedDataStore.key(scope, contextData);
		const record = this.records.get(key);
		if (record && record.mode !== options.mode) {
			throw new DeduplicationError(
				`Processed data of this scope was recorded in mode "${record.mode}", this call uses "${options.mode}" ` +
					'(n8n: an incompatible ‘Keep Items Where’ setting). Clear it first (clearAllProcessedItems).',
			);
		}
		return isLatestMode(options.mode)
			? this.recordLatest(key, record, items, options.mode)
			: this.recordEntries(key, record, items, options.maxEntries);
	}

	private recordLatest(
		key: string,
		record: ProcessedDataRecord | undefined,
		items: DeduplicationItemTypes[],
		mode: DeduplicationMode,
	): IDeduplicationOutput {
		const sorted = [...items].sort((a, b) => compare(mode, a, b));
		if (!record) {
			// First call: all new, in input order; keep the largest (undefined for [] — see header).
			this.records.set(key, { mode, data: sorted[sorted.length - 1] });
			return { new: [...items], processed: [] };
		}
		const stored = record.data as DeduplicationItemTypes | undefined;
		const output: IDeduplicationOutput = { new: [], processed: [] };
		let largest = stored;
		for (const value of sorted) {
			if (compare(mode, value, stored) > 0) {
				output.new.push(value);
				if (compare(mode, value, largest) > 0) largest = value;
			} else {
				output.processed.push(value);
			}
		}
		record.data = largest;
		return output;
	}

	private recordEntries(
		key: string,
		record: ProcessedDataRecord | undefined,
		items: DeduplicationItemTypes[],
		maxEntries: number | undefined,
	): IDeduplicationOutput {
		const keep = (entries: string[]) => (maxEntries ? entries.slice(-maxEntries) : entries);
		const values = items.map(String);
		if (!record) {
			this.records.set(key, { mode: 'entries', data: keep(values) });
			return { new: [...items], processed: [] };
		}
		const entries = record.data as string[];
		const before = new Set(entries);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		values.forEach((value, index) => {
			if (before.has(value)) {
				output.processed.push(items[index]);
			} else {
				output.new.push(items[index]);
				entries.push(value);
			}
		});
		record.data = keep(entries);
		return output;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<void> {
		if (isLatestMode(options.mode)) throw new DeduplicationError('Removing processed data is not possible in mode "latest"');
		const record = this.records.get(ProcessedDataStore.key(scope, contextData));
		if (!record || !Array.isArray(record.data)) return;
		for (const value of items.map(String)) {
			const index = record.data.indexOf(value);
			if (index !== -1) record.data.splice(index, 1);
		}
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		_options?: ICheckProcessedOptions,
	): Promise<void> {
		this.records.delete(ProcessedDataStore.key(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<number> {
		const record = this.records.get(ProcessedDataStore.key(scope, contextData));
		return options.mode === 'entries' && Array.isArray(record?.data) ? record.data.length : 0;
	}
}

/**
 * Which store serves which run. n8n-core passes the run's `Workflow` instance as
 * `contextData.workflow`, so a WeakMap on it finds the store without any global "current run"
 * (runs may overlap) and forgets it with the workflow.
 */
const storesByWorkflow = new WeakMap<object, ProcessedDataStore>();

export function bindProcessedDataStore(workflow: object, store: ProcessedDataStore): void {
	storesByWorkflow.set(workflow, store);
}

function storeFor(contextData: ICheckProcessedContextData): ProcessedDataStore {
	const store = storesByWorkflow.get(contextData.workflow);
	if (!store) {
		throw new Error(
			'Deduplication helper called outside a harness run: only runWorkflow binds a ProcessedDataStore ' +
				'(in n8n these helpers exist only in execute(), not in poll/trigger/webhook contexts)',
		);
	}
	return store;
}

/** The `IDataDeduplicator` the harness installs into n8n-core's DataDeduplicationService. */
export const processedDataRouter: IDataDeduplicator = {
	checkProcessedAndRecord: async (items, scope, contextData, options) =>
		await storeFor(contextData).checkProcessedAndRecord(items, scope, contextData, options),
	removeProcessed: async (items, scope, contextData, options) =>
		await storeFor(contextData).removeProcessed(items, scope, contextData, options),
	clearAllProcessedItems: async (scope, contextData, options) =>
		await storeFor(contextData).clearAllProcessedItems(scope, contextData, options),
	getProcessedDataCount: async (scope, contextData, options) =>
		await storeFor(contextData).getProcessedDataCount(scope, contextData, options),
};

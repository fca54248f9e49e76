/**
 * Self-tests of the deduplication helpers inside `runWorkflow`: a regular test node calls
 * `this.helpers.checkProcessedAndRecord` & co. in n8n-core's real ExecuteContext, which goes
 * through n8n-core's DataDeduplicationService to the harness's ProcessedDataStore. Then the
 * store's semantics on their own, call by call.
 */
import * as path from 'node:path';

import type { ICheckProcessedContextData, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import {
	DEFAULT_WORKFLOW_ID,
	DeduplicationError,
	installN8nEnvironment,
	loadPackageNodeTypes,
	loadWorkflowJson,
	ProcessedDataStore,
	runWorkflow,
	withNode,
	type RunResult,
	type WorkflowJson,
} from './index';
import { HARNESS_DEDUP_TYPE, HarnessDedup } from './fixtures/HarnessDedup.node';
import { processedDataRouter } from './processed-data';

const WORKFLOW_FILE = path.join(__dirname, 'fixtures', 'dedup.workflow.json');
const NODE_A_ID = '5d1c0de0-0000-4000-8000-00000000000a';
const types = loadPackageNodeTypes({ includePackage: false, extraNodeTypes: { [HARNESS_DEDUP_TYPE]: new HarnessDedup() } });

const items = (...values: Array<string | number>): INodeExecutionData[] => values.map((id) => ({ json: { id } }));
const values = (out: INodeExecutionData[]) => out.map((item) => item.json.id);
const pairs = (out: INodeExecutionData[]) => out.map((item) => (item.pairedItem as { item: number }).item);

describe('dedup helpers in execute(), through runWorkflow', () => {
	let workflow: WorkflowJson;
	beforeEach(() => {
		workflow = loadWorkflowJson(WORKFLOW_FILE);
	});

	/** Set parameters on both dedup nodes. */
	const configure = (parameters: INodeParameters, nodes = ['Dedup A', 'Dedup B']) => {
		for (const name of nodes) {
			const node = workflow.nodes.find((candidate) => candidate.name === name)!;
			workflow = withNode(workflow, name, { parameters: { ...node.parameters, ...parameters } });
		}
	};
	const run = async (startItems: INodeExecutionData[], store?: ProcessedDataStore): Promise<RunResult> => {
		const result = await runWorkflow({ workflow, types, startItems, processedDataStore: store, timeoutMs: 10_000 });
		if (result.status !== 'success') throw new Error(`run ended ${result.status}: ${result.error?.message}`);
		return result;
	};

	it('installs the harness store behind n8n-core’s DataDeduplicationService', () => {
		expect(installN8nEnvironment().deduplication).toBe('harness ProcessedDataStore');
	});

	it('entries, node scope: the second run sharing the store sees only the new values', async () => {
		const store = new ProcessedDataStore();
		const first = await run(items(1, 2, 3), store);
		expect(first.nodeOrder).toEqual(['Manual Trigger', 'Dedup A', 'Dedup B']);
		expect(values(first.output('Dedup A', 0))).toEqual([1, 2, 3]);
		expect(first.output('Dedup A', 1)).toEqual([]);
		// Node scope: B has its own record, so it saw everything as new too.
		expect(values(first.output('Dedup B', 0))).toEqual([1, 2, 3]);

		const second = await run(items(2, 4, 3), store);
		expect(values(second.output('Dedup A', 0))).toEqual([4]);
		expect(pairs(second.output('Dedup A', 0))).toEqual([1]);
		expect(values(second.output('Dedup A', 1))).toEqual([2, 3]);
		expect(pairs(second.output('Dedup A', 1))).toEqual([0, 2]);
		expect(store.read(DEFAULT_WORKFLOW_ID, NODE_A_ID)).toEqual({ mode: 'entries', data: ['1', '2', '3', '4'] });
		expect(second.processedDataStore).toBe(store);
	});

	it('workflow scope is shared by the nodes of a workflow; node scope survives a rename (keyed by node id)', async () => {
		configure({ scope: 'workflow' });
		const shared = await run(items('a', 'b'));
		expect(values(shared.output('Dedup A', 0))).toEqual(['a', 'b']);
		expect(values(shared.output('Dedup B', 1))).toEqual(['a', 'b']); // A recorded them first

		const store = new ProcessedDataStore();
		configure({ scope: 'node' });
		await run(items('x'), store);
		workflow = withNode(workflow, 'Dedup A', { name: 'Dedup A renamed' });
		workflow.connections = JSON.parse(JSON.stringify(workflow.connections).replace('"Dedup A"', '"Dedup A renamed"'));
		const renamed = await run(items('x', 'y'), store);
		expect(values(renamed.output('Dedup A renamed', 1))).toEqual(['x']);
	});

	it('a fresh store per run unless one is passed', async () => {
		await run(items(1));
		const again = await run(items(1));
		expect(values(again.output('Dedup A', 0))).toEqual([1]);
	});

	it('entries with maxEntries keeps only the newest values', async () => {
		configure({ maxEntries: 2 }, ['Dedup A']);
		const store = new ProcessedDataStore();
		await run(items(1, 2, 3), store);
		expect(store.read(DEFAULT_WORKFLOW_ID, NODE_A_ID)?.data).toEqual(['2', '3']);
		const second = await run(items(1, 3), store);
		expect(values(second.output('Dedup A', 0))).toEqual([1]); // forgotten, so new again
		expect(values(second.output('Dedup A', 1))).toEqual([3]);
		expect(store.read(DEFAULT_WORKFLOW_ID, NODE_A_ID)?.data).toEqual(['3', '1']);
	});

	it('latestIncrementalKey: only values above the largest seen are new', async () => {
		configure({ mode: 'latestIncrementalKey' }, ['Dedup A']);
		const store = new ProcessedDataStore();
		const first = await run(items(5, 3, 9), store);
		expect(values(first.output('Dedup A', 0))).toEqual([5, 3, 9]);
		expect(store.read(DEFAULT_WORKFLOW_ID, NODE_A_ID)).toEqual({ mode: 'latestIncrementalKey', data: 9 });

		const second = await run(items(8, 12, 9, 10), store);
		expect(values(second.output('Dedup A', 0))).toEqual([12, 10]);
		expect(values(second.output('Dedup A', 1))).toEqual([8, 9]);
		expect(store.read(DEFAULT_WORKFLOW_ID, NODE_A_ID)?.data).toBe(12);
	});

	it('latestDate: only later dates are new (ISO, RFC 2822 and SQL forms all parse)', async () => {
		configure({ mode: 'latestDate', field: 'at' }, ['Dedup A']);
		const store = new ProcessedDataStore();
		const at = (...dates: string[]) => dates.map((date) => ({ json: { at: date } }));
		await run(at('2024-01-01T00:00:00Z', '2024-03-01T00:00:00Z'), store);
		const second = await run(at('Thu, 01 Feb 2024 00:00:00 +0000', '2024-04-01 10:00:00', '2024-03-01T00:00:00Z'), store);
		expect(second.output('Dedup A', 0).map((item) => item.json.at)).toEqual(['2024-04-01 10:00:00']);
		expect(second.output('Dedup A', 1)).toHaveLength(2);
	});

	it('count, remove and clear act on the recorded values; clear resets the scope', async () => {
		const store = new ProcessedDataStore();
		await run(items(1, 2, 3), store);
		const runOp = async (operation: string, input = items(0)) => {
			configure({ operation }, ['Dedup A']);
			return await run(input, store);
		};
		expect((await runOp('count')).output('Dedup A')[0].json).toEqual({ count: 3 });
		await runOp('remove', items(2));
		expect((await runOp('count')).output('Dedup A')[0].json).toEqual({ count: 2 });
		expect(values((await runOp('check', items(1, 2))).output('Dedup A', 0))).toEqual([2]);
		await runOp('clear');
		expect((await runOp('count')).output('Dedup A')[0].json).toEqual({ count: 0 });
		expect(store.read(DEFAULT_WORKFLOW_ID, NODE_A_ID)).toBeUndefined();
		expect(values((await runOp('check', items(1, 2, 3))).output('Dedup A', 0))).toEqual([1, 2, 3]);
	});

	it('checkProcessedItemsAndRecord (n8n-core’s wrapper keyed by a property) works too', async () => {
		configure({ operation: 'checkItems' }, ['Dedup A']);
		const store = new ProcessedDataStore();
		await run(items(1, 2), store);
		const second = await run(items(2, 3), store);
		expect(values(second.output('Dedup A', 0))).toEqual([3]);
		expect(values(second.output('Dedup A', 1))).toEqual([2]);
	});

	it('a mode mismatch or remove in a latest mode fails the run, as in n8n', async () => {
		const store = new ProcessedDataStore();
		await run(items(1), store);
		configure({ mode: 'latestIncrementalKey' }, ['Dedup A']);
		const mismatch = await runWorkflow({ workflow, types, startItems: items(2), processedDataStore: store });
		expect(mismatch.status).toBe('error');
		expect(mismatch.error?.message).toMatch(/recorded in mode "entries", this call uses "latestIncrementalKey"/);

		configure({ operation: 'remove' }, ['Dedup A']);
		const remove = await runWorkflow({ workflow, types, startItems: items(2), processedDataStore: new ProcessedDataStore() });
		expect(remove.status).toBe('error');
		expect(remove.error?.message).toMatch(/not possible in mode "latest"/);
	});
});

describe('ProcessedDataStore semantics', () => {
	const workflowCtx = (id = 'wf-1'): ICheckProcessedContextData => ({ workflow: { id, active: false } });
	const nodeCtx = (nodeId: string, id = 'wf-1'): ICheckProcessedContextData => ({
		workflow: { id, active: false },
		node: { id: nodeId, name: `Node ${nodeId}`, type: 't', typeVersion: 1, position: [0, 0], parameters: {} },
	});

	it('entries: values compare as strings; duplicates inside one call are all new', async () => {
		const store = new ProcessedDataStore();
		expect(await store.checkProcessedAndRecord([1, 'a', 1], 'workflow', workflowCtx(), { mode: 'entries' })).toEqual({ new: [1, 'a', 1], processed: [] });
		expect(await store.checkProcessedAndRecord(['1', 'b', 'b'], 'workflow', workflowCtx(), { mode: 'entries' })).toEqual({
			new: ['b', 'b'],
			processed: ['1'],
		});
		expect(await store.getProcessedDataCount('workflow', workflowCtx(), { mode: 'entries' })).toBe(5);
	});

	it('latest modes: later calls return new and processed sorted ascending', async () => {
		const store = new ProcessedDataStore();
		const opts = { mode: 'latestIncrementalKey' as const };
		await store.checkProcessedAndRecord([10], 'workflow', workflowCtx(), opts);
		expect(await store.checkProcessedAndRecord([30, 5, 20, 10], 'workflow', workflowCtx(), opts)).toEqual({
			new: [20, 30],
			processed: [5, 10],
		});
		expect(await store.getProcessedDataCount('workflow', workflowCtx(), opts)).toBe(0);
	});

	it('scopes: per workflow id, and per node id within a workflow', async () => {
		const store = new ProcessedDataStore();
		const opts = { mode: 'entries' as const };
		await store.checkProcessedAndRecord([1], 'node', nodeCtx('n1'), opts);
		expect((await store.checkProcessedAndRecord([1], 'node', nodeCtx('n2'), opts)).new).toEqual([1]);
		expect((await store.checkProcessedAndRecord([1], 'node', nodeCtx('n1', 'wf-2'), opts)).new).toEqual([1]);
		expect((await store.checkProcessedAndRecord([1], 'workflow', workflowCtx(), opts)).new).toEqual([1]);
		expect((await store.checkProcessedAndRecord([1], 'node', nodeCtx('n1'), opts)).processed).toEqual([1]);
		expect(store.size).toBe(4);
		await expect(store.checkProcessedAndRecord([1], 'node', workflowCtx(), opts)).rejects.toThrow(/cannot use scope 'node'/);
	});

	it('unparsable values fail with a DeduplicationError; an empty first batch poisons a latest scope (n8n quirk)', async () => {
		const store = new ProcessedDataStore();
		await expect(
			store.checkProcessedAndRecord(['x', 'y'], 'workflow', workflowCtx(), { mode: 'latestIncrementalKey' }),
		).rejects.toBeInstanceOf(DeduplicationError);
		await expect(
			store.checkProcessedAndRecord(['2024-01-01', 'not a date'], 'workflow', workflowCtx('wf-d'), { mode: 'latestDate' }),
		).rejects.toThrow(/Only valid dates/);

		await store.checkProcessedAndRecord([], 'workflow', workflowCtx('wf-e'), { mode: 'latestIncrementalKey' });
		expect(store.read('wf-e')).toEqual({ mode: 'latestIncrementalKey', data: undefined });
		await expect(store.checkProcessedAndRecord([1], 'workflow', workflowCtx('wf-e'), { mode: 'latestIncrementalKey' })).rejects.toThrow(
			/Only numbers/,
		);
	});

	it('the helpers fail clearly when no run bound a store (poll/webhook contexts have none)', async () => {
		await expect(processedDataRouter.getProcessedDataCount('workflow', workflowCtx(), { mode: 'entries' })).rejects.toThrow(
			/only runWorkflow binds a ProcessedDataStore/,
		);
	});
});

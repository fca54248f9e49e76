/**
 * Runs a polling node's `poll()` in n8n-core's real `PollContext` (handbook:
 * n8n-packaging.md §8.1), the way n8n 2.41 runs one tick:
 *
 * * `mode: 'trigger'` (an active workflow): through n8n-core's own `PollTriggerExecutor` and
 *   `TriggersAndPollers`, the code n8n's scheduler calls each tick. Items are handed to
 *   `__emit` (n8n would start an execution with them and save static data right then); after
 *   `null` the change carries over to the next tick (n8n: the same in-memory Workflow, or the
 *   staged cursor committed). Both end in the store. A throw goes to `__emitError` (n8n
 *   records a failed execution) and the store is not written — what the database and the next
 *   process see; n8n's in-memory poller would still carry such a change to the next tick, so
 *   nodes must not move the cursor before the fetch succeeded (`staticData` in the result shows
 *   what the poll left). We also get n8n's classification of the error (`errorKind`:
 *   429 → `rate_limited`, 401/403 `NodeApiError` → `auth`, else `thrown`).
 * * `mode: 'manual'` (the editor's "Fetch test event" / a manual run): as n8n-core's
 *   `WorkflowExecute` does it — a `PollContext` in manual mode, `poll()` called directly —
 *   and static data is never persisted.
 *
 *   const store = new StaticDataStore();
 *   const first = await runPoll({ workflow, nodeName: 'New Orders', types, credentials, staticData: store });
 *   const second = await runPoll({ workflow, nodeName: 'New Orders', types, credentials, staticData: store });
 *   expect(second.items).toBeNull(); // nothing new since the cursor moved
 */
import type { Logger } from '@n8n/backend-common';
import { ErrorReporter, PollContext, PollTriggerExecutor, Tracing, TriggersAndPollers, type PollErrorKind } from 'n8n-core';
import { deepCopy, type IDataObject, type INodeExecutionData, type WorkflowActivateMode } from 'n8n-workflow';

import type { CredentialStore } from './credentials-helper';
import { installN8nEnvironment, n8nService, type LogEntry } from './n8n-environment';
import { persistStaticData, prepareNodeCall, type NodeCallOptions } from './node-context';
import type { StaticDataStore } from './static-data';

export interface RunPollOptions extends NodeCallOptions {
	/** `'trigger'` (default): a tick of an active workflow. `'manual'`: the editor's test run. */
	mode?: 'trigger' | 'manual';
	/** What `this.getPollBudgetMs()` returns (n8n's default: 5 minutes). */
	pollBudgetMs?: number;
	/** `this.getActivationMode()` in trigger mode (default `'activate'`; n8n uses `'init'` at startup). */
	activation?: WorkflowActivateMode;
}

export interface PollResult {
	/** What `poll()` returned: the items n8n would start an execution with, or `null` (nothing new). */
	items: INodeExecutionData[][] | null;
	/** What `poll()` threw (n8n: a failed execution + error workflow; the cursor is not saved). */
	error?: Error;
	/** n8n's classification of `error` (trigger mode only). */
	errorKind?: PollErrorKind;
	/** The node's static data as the poll left it (a copy; in manual mode it is *not* persisted). */
	staticData: IDataObject;
	/** Whether n8n would have saved the workflow's static data after this poll. */
	persisted: boolean;
	/** Wall time of the tick, to compare with the budget. */
	durationMs: number;
	/** Every log line written during the poll (node `this.logger`, n8n-core). */
	logs: LogEntry[];
	credentialStore: CredentialStore;
	staticDataStore: StaticDataStore;
}

export async function runPoll(options: RunPollOptions): Promise<PollResult> {
	const mode = options.mode ?? 'trigger';
	const call = prepareNodeCall(options, mode, mode === 'trigger');
	const { workflow, node, nodeType, additionalData } = call;
	if (typeof nodeType.poll !== 'function') {
		throw new Error(`Node "${node.name}" (${node.type}) has no poll() method`);
	}
	// `undefined` keeps PollContext's own default (5 minutes), as n8n passes no budget getter.
	const budget = options.pollBudgetMs === undefined ? undefined : () => options.pollBudgetMs as number;

	let items: INodeExecutionData[][] | null = null;
	let error: Error | undefined;
	let errorKind: PollErrorKind | undefined;
	const started = performance.now();

	if (mode === 'manual') {
		// As WorkflowExecute builds it (no emit: the items are the node's output), plus the budget.
		// The five `undefined`s keep PollContext's defaults for __emit, __emitError,
		// __commitCursor, __runPoll and resolveNodeStaticData.
		const context = new PollContext(workflow, node, additionalData, 'manual', 'manual',
			undefined, undefined, undefined, undefined, undefined, budget);
		const poll = nodeType.poll.bind(context);
		items = await call.bounded(`poll() of "${node.name}"`, async () => {
			try {
				// WorkflowExecute runs nodes holding an expression isolate; so do we.
				return await workflow.expression.withIsolate(async () => await poll());
			} catch (thrown) {
				error = thrown as Error; // n8n: the manual run fails with it
				return null;
			}
		});
	} else {
		// A private TriggersAndPollers: its tick events then belong to this poll only.
		const pollers = new TriggersAndPollers();
		pollers.events.on('poll-tick-completed', (tick) => {
			if (tick.status === 'error') errorKind = tick.errorKind;
		});
		const executor = new PollTriggerExecutor(
			installN8nEnvironment().logger as unknown as Logger, // what Container.get(Logger) returns
			pollers,
			n8nService(Tracing),
			n8nService(ErrorReporter),
		);
		// n8n's CLI passes its own __emit (save static data, start an execution) and
		// __emitError (record a failed execution); ours record what arrives. __commitCursor,
		// __runPoll and resolveNodeStaticData keep PollContext's defaults: the cursor lives in the
		// Workflow's static data (built from the store) and is saved below, after the tick.
		const context = new PollContext(
			workflow,
			node,
			additionalData,
			'trigger',
			options.activation ?? 'activate',
			(data) => {
				items = data;
			},
			(thrown) => {
				error = thrown;
			},
			undefined,
			undefined,
			undefined,
			budget,
		);
		await call.bounded(`poll() of "${node.name}"`, async () => await executor.create(workflow, node, context, () => true)(false));
	}

	const durationMs = performance.now() - started;
	const persisted = error === undefined && persistStaticData(call, mode);
	return {
		items,
		error,
		errorKind,
		staticData: deepCopy((workflow.staticData[`node:${node.name}`] as IDataObject | undefined) ?? {}),
		persisted,
		durationMs,
		logs: call.logs,
		credentialStore: call.credentialStore,
		staticDataStore: call.staticData,
	};
}

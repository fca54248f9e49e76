/**
 * Run real workflow JSON through n8n-core's `WorkflowExecute` in-process
 * (handbook: testing-with-real-n8n.md, part (a)).
 *
 *   const result = await runWorkflow({ workflow, types, credentials: { myApi: {...} } });
 *   expect(result.status).toBe('success');
 *   expect(result.output('My node')).toEqual([...]);
 *
 * Everything the engine does is n8n's own: item routing, pairedItem, `onError`,
 * `retryOnFail`, error mapping, OAuth2 token fetch/refresh. The harness only supplies what
 * a real n8n process would: node types, credentials, lifecycle hooks, additional data.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { mockDeep } from 'jest-mock-extended';
import {
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type ExecutionStatus,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type IPinData,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { CredentialStore, HarnessCredentialsHelper, type CredentialData } from './credentials-helper';
import { captureLogs, type LogEntry } from './n8n-environment';
import { loadPackageNodeTypes, type PackageTypes } from './node-types';
import { bindProcessedDataStore, ProcessedDataStore } from './processed-data';

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	pinData?: IPinData;
}

export interface RunWorkflowOptions {
	workflow: WorkflowJson;
	/** Node and credential types (default: `loadPackageNodeTypes()`, i.e. our built `dist/`). */
	types?: PackageTypes;
	/** Stored credential data by credential type name. Types already in `credentialStore` keep their stored data. */
	credentials?: Record<string, CredentialData>;
	/** Pass the store of an earlier run to reuse what n8n persisted (OAuth2 tokens, preAuthentication results). */
	credentialStore?: CredentialStore;
	/** Items the start node receives (default `[{ json: {} }]`, like a manual run). */
	startItems?: INodeExecutionData[];
	/** Hard limit for the whole run; on expiry the execution is canceled and the promise rejects. Default 60 000. */
	timeoutMs?: number;
	/** Cancel the execution after this many ms (as the editor's "stop" button does). */
	cancelAfterMs?: number;
	/** Execution mode (default 'manual'). */
	mode?: WorkflowExecuteMode;
	/**
	 * What `this.helpers.checkProcessedAndRecord` & co. remember (default: fresh per run).
	 * Pass the store of an earlier run to see what it recorded, as n8n's database would.
	 */
	processedDataStore?: ProcessedDataStore;
}

export interface RunResult {
	status: ExecutionStatus;
	run: IRun;
	/** The run's `resultData.error` (set when the workflow stopped on an error or was canceled). */
	error: ExecutionError | undefined;
	/** Items on `outputIndex` of `nodeName`'s run `runIndex`; throws if that node run does not exist. */
	output(nodeName: string, outputIndex?: number, runIndex?: number): INodeExecutionData[];
	/** Node names in the order they started. */
	nodeOrder: string[];
	/** Every log line n8n (engine, node `this.logger`, error reporter) wrote during the run. */
	logs: LogEntry[];
	credentialStore: CredentialStore;
	processedDataStore: ProcessedDataStore;
}

export interface RunningWorkflow {
	executionId: string;
	/** Resolves with the result once the execution has finished (or settled after a cancel). */
	result: Promise<RunResult>;
	/** Cancel the execution: n8n marks it canceled and aborts `getExecutionCancelSignal()`. */
	cancel(): void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/**
 * Workflow id when the JSON has none. Stable, because n8n keys what it keeps between runs
 * (processed data, static data) by workflow id: a test sharing a store between runs must
 * see the same workflow. Give workflows distinct `id`s if they share one store.
 */
export const DEFAULT_WORKFLOW_ID = 'harness-workflow';
let executionCounter = 0;

/** Stand-in base URL for every URL field in additional data (nothing listens there). */
const BASE_URL = 'http://127.0.0.1:5678';

function createDeferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((res) => (resolve = res));
	return { promise, resolve };
}

/**
 * Additional data: a deep mock (n8n reaches for many optional services we do not run), with
 * every field the engine *branches on* pinned, because a deep mock answers any unknown
 * property with a truthy function:
 * * from the handbook: ids, runner identity, URL bases, variables, execution index, timeout;
 * * `restartExecutionId` (else the engine fires `workflowExecuteResume`, not `…Before`);
 * * `evalLlmMockHandler` (else every authenticated request is first offered to a mock
 *   "evaluation" responder);
 * * `ssrfBridge` (else @n8n/client-oauth2 validates the token URL through a mock);
 * * `currentNodeParameters` (else credential display checks read a function, not the node);
 * * `otel`, `rootExecutionMode`, `executionContext`, `workflowSettings`.
 */
export function createAdditionalData(
	executionId: string,
	workflowId: string,
	credentialsHelper: HarnessCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const additionalData = mockDeep<IWorkflowExecuteAdditionalData>();
	// Assign after creation: values passed to mockDeep() would themselves be wrapped in mocks.
	Object.assign(additionalData, {
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		encryptedRunnerIdentity: undefined,
		evaluationRunId: undefined,
		userId: undefined,
		projectId: undefined,
		parentCallbackManager: undefined,
		executionTimeoutTimestamp: undefined,
		restartExecutionId: undefined,
		evalLlmMockHandler: undefined,
		ssrfBridge: undefined,
		otel: undefined,
		currentNodeParameters: undefined,
		rootExecutionMode: undefined,
		executionContext: undefined,
		workflowSettings: undefined,
		variables: {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${BASE_URL}/rest`,
		instanceBaseUrl: `${BASE_URL}/`,
		webhookBaseUrl: `${BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
		formBaseUrl: `${BASE_URL}/form`,
		formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
		formTestBaseUrl: `${BASE_URL}/form-test`,
		mcpBaseUrl: `${BASE_URL}/mcp`,
		mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
	});
	return additionalData;
}

function makeResult(
	run: IRun,
	nodeOrder: string[],
	logs: LogEntry[],
	store: CredentialStore,
	processedDataStore: ProcessedDataStore,
): RunResult {
	return {
		status: run.status,
		run,
		error: run.data.resultData.error,
		nodeOrder,
		logs,
		credentialStore: store,
		processedDataStore,
		output(nodeName, outputIndex = 0, runIndex = 0) {
			const task = run.data.resultData.runData[nodeName]?.[runIndex];
			if (!task) {
				const ran = Object.keys(run.data.resultData.runData).join(', ') || 'none';
				throw new Error(`Node "${nodeName}" has no run ${runIndex} (status ${run.status}; nodes that ran: ${ran})`);
			}
			return task.data?.main?.[outputIndex] ?? [];
		},
	};
}

/** Start a run and get a handle (for `cancel()`); most tests want `runWorkflow`. */
export function startWorkflow(options: RunWorkflowOptions): RunningWorkflow {
	const types = options.types ?? loadPackageNodeTypes();
	const mode = options.mode ?? 'manual';
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const executionId = `harness-${++executionCounter}`;

	const store = options.credentialStore ?? new CredentialStore();
	for (const [type, data] of Object.entries(options.credentials ?? {})) {
		if (!store.has(type)) store.set(type, data);
	}

	const json = options.workflow;
	const workflow = new Workflow({
		id: json.id ?? DEFAULT_WORKFLOW_ID,
		name: json.name ?? 'Harness workflow',
		nodes: json.nodes,
		connections: json.connections,
		nodeTypes: types.nodeTypes,
		settings: { executionOrder: 'v1', ...json.settings },
		pinData: json.pinData,
		active: false,
	});
	const processedDataStore = options.processedDataStore ?? new ProcessedDataStore();
	bindProcessedDataStore(workflow, processedDataStore);

	const workflowData = {
		id: workflow.id,
		name: workflow.name ?? '',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: json.nodes,
		connections: json.connections,
		settings: workflow.settings,
	} satisfies IWorkflowBase;

	// Minimal lifecycle hooks: record node order and hand over the finished run.
	// (n8n-workflow 2.41 no longer exports createDeferredPromise.)
	const nodeOrder: string[] = [];
	const finished = createDeferred<IRun>();
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	hooks.addHandler('nodeExecuteBefore', (nodeName) => {
		nodeOrder.push(nodeName);
	});
	// On cancel n8n fires this hook at once (status 'canceled') and again never; on a normal
	// end exactly once. The first call wins.
	hooks.addHandler('workflowExecuteAfter', (run) => finished.resolve(run));

	const credentialsHelper = new HarnessCredentialsHelper(types.credentialTypes, types.nodeTypes, store);
	const additionalData = createAdditionalData(executionId, workflow.id, credentialsHelper, hooks);

	const startNode = workflow.getStartNode();
	if (!startNode) throw new Error('runWorkflow: the workflow has no start node (add a Manual Trigger)');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.startItems ?? [{ json: {} }]] }, source: null },
			],
		},
		resultData: { pinData: json.pinData },
	});

	const capture = captureLogs();
	let engine: ReturnType<WorkflowExecute['processRunExecutionData']>;
	try {
		// n8n's PCancelable: `.cancel()` is how n8n's ActiveExecutions stops a run.
		engine = new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	} catch (error) {
		capture.stop(); // e.g. workflow issues (unknown node type, missing parameter) throw synchronously
		throw error;
	}
	let canceled = false;
	const cancel = () => {
		canceled = true;
		engine.cancel();
	};

	const result = (async () => {
		const timers: NodeJS.Timeout[] = [];
		try {
			if (options.cancelAfterMs !== undefined) timers.push(setTimeout(cancel, options.cancelAfterMs));
			const deadline = new Promise<never>((_, reject) => {
				timers.push(
					setTimeout(() => {
						const alreadyCanceled = canceled;
						cancel();
						reject(
							new Error(
								alreadyCanceled
									? `runWorkflow: execution ${executionId} was canceled but did not stop within ${timeoutMs} ms ` +
											`(nodes started: ${nodeOrder.join(' → ') || 'none'}). Does the node honour getExecutionCancelSignal()?`
									: `runWorkflow: execution ${executionId} did not finish within ${timeoutMs} ms and was canceled ` +
											`(nodes started: ${nodeOrder.join(' → ') || 'none'})`,
							),
						);
					}, timeoutMs),
				);
			});
			// Wait for the hook (what n8n persists) *and* for the engine to settle, so the
			// result holds the final run data and nothing keeps running after the test.
			const [run] = await Promise.race([Promise.all([finished.promise, engine]), deadline]);
			return makeResult(run, nodeOrder, capture.logs, store, processedDataStore);
		} finally {
			for (const timer of timers) clearTimeout(timer);
			capture.stop();
		}
	})();

	return { executionId, result, cancel };
}

/** Run a workflow to completion (or cancellation) and return its result. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
	return await startWorkflow(options).result;
}

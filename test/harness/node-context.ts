/**
 * Shared set-up for calling one node's trigger-side methods (`poll`, `webhook`,
 * `webhookMethods.*`) in n8n-core's real contexts: the workflow, credentials, static data,
 * additional data and log capture a real n8n process would have around such a call, plus a
 * bounded wait.
 */
import { ExecutionLifecycleHooks } from 'n8n-core';
import {
	deepCopy,
	Workflow,
	type INode,
	type INodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { CredentialStore, HarnessCredentialsHelper, type CredentialData } from './credentials-helper';
import { captureLogs, type LogEntry } from './n8n-environment';
import { loadPackageNodeTypes, type PackageTypes } from './node-types';
import { createAdditionalData, DEFAULT_WORKFLOW_ID, type WorkflowJson } from './run-workflow';
import { StaticDataStore } from './static-data';

/** Which node to call, and what surrounds it. */
export interface NodeCallOptions {
	/** Workflow JSON holding the node (with `nodeName`), or… */
	workflow?: WorkflowJson;
	nodeName?: string;
	/** …a single node, put into a one-node workflow. */
	node?: INode;
	/** Node and credential types (default: `loadPackageNodeTypes()`). */
	types?: PackageTypes;
	/** Stored credential data by type; types already in `credentialStore` keep their data. */
	credentials?: Record<string, CredentialData>;
	credentialStore?: CredentialStore;
	/** The workflow's persisted static data; pass the same store to successive calls (default: fresh). */
	staticData?: StaticDataStore;
	/** Hard limit for the call; on expiry the promise rejects. Default 10 000. */
	timeoutMs?: number;
}

export interface NodeCall {
	workflow: Workflow;
	/** The workflow's own node object (with the defaults n8n applied to its parameters). */
	node: INode;
	nodeType: INodeType;
	additionalData: IWorkflowExecuteAdditionalData;
	credentialStore: CredentialStore;
	staticData: StaticDataStore;
	logs: LogEntry[];
	/** Run `fn` with log capture and the timeout; `what` names the call in the timeout message. */
	bounded<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
let callCounter = 0;

function pickNode(options: NodeCallOptions): { json: WorkflowJson; nodeName: string } {
	if (options.node && options.workflow) throw new Error('Pass either `node` or `workflow` + `nodeName`, not both');
	if (options.node) return { json: { nodes: [options.node], connections: {} }, nodeName: options.node.name };
	if (!options.workflow) throw new Error('Pass `workflow` + `nodeName` or a `node`');
	const { nodes } = options.workflow;
	const nodeName = options.nodeName ?? (nodes.length === 1 ? nodes[0].name : undefined);
	if (!nodeName) throw new Error(`The workflow has ${nodes.length} nodes: say which one with \`nodeName\``);
	if (!nodes.some((node) => node.name === nodeName)) throw new Error(`No node "${nodeName}" in the workflow`);
	return { json: options.workflow, nodeName };
}

/**
 * Build what n8n has around a trigger-side call. `active` is what n8n sets for production
 * triggers; `mode` is the execution mode the context reports (`getMode()`).
 */
export function prepareNodeCall(options: NodeCallOptions, mode: WorkflowExecuteMode, active: boolean): NodeCall {
	const types = options.types ?? loadPackageNodeTypes();
	const { json, nodeName } = pickNode(options);
	const staticData = options.staticData ?? new StaticDataStore();
	const credentialStore = options.credentialStore ?? new CredentialStore();
	for (const [type, data] of Object.entries(options.credentials ?? {})) {
		if (!credentialStore.has(type)) credentialStore.set(type, data);
	}

	// Copies: the Workflow constructor writes parameter defaults into the node objects, and
	// static data must only reach the store through an explicit save.
	const workflow = new Workflow({
		id: json.id ?? DEFAULT_WORKFLOW_ID,
		name: json.name ?? 'Harness workflow',
		nodes: deepCopy(json.nodes),
		connections: json.connections,
		nodeTypes: types.nodeTypes,
		settings: { executionOrder: 'v1', ...json.settings },
		staticData: staticData.get(),
		active,
	});
	const node = workflow.getNode(nodeName) as INode;
	const nodeType = types.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);

	const executionId = `harness-call-${++callCounter}`;
	const workflowData: IWorkflowBase = {
		id: workflow.id,
		name: workflow.name ?? '',
		active,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: Object.values(workflow.nodes),
		connections: json.connections,
		settings: workflow.settings,
	};
	const credentialsHelper = new HarnessCredentialsHelper(types.credentialTypes, types.nodeTypes, credentialStore);
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = createAdditionalData(executionId, workflow.id, credentialsHelper, hooks);

	const logs: LogEntry[] = [];
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const bounded = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
		const capture = captureLogs();
		let timer: NodeJS.Timeout | undefined;
		try {
			const deadline = new Promise<never>((_, reject) => {
				// Poll and webhook contexts have no cancel signal n8n could abort, so on expiry
				// the node's promise is abandoned, as n8n abandons a poll tick past its budget.
				timer = setTimeout(() => reject(new Error(`${what} did not finish within ${timeoutMs} ms`)), timeoutMs);
			});
			return await Promise.race([fn(), deadline]);
		} finally {
			clearTimeout(timer);
			capture.stop();
			logs.push(...capture.logs);
		}
	};

	return { workflow, node, nodeType, additionalData, credentialStore, staticData, logs, bounded };
}

/**
 * Save the workflow's static data to the store if n8n would: only when the code changed it
 * and never in manual mode. Returns whether it saved.
 */
export function persistStaticData(call: NodeCall, mode: WorkflowExecuteMode): boolean {
	const data = call.workflow.staticData;
	if (mode === 'manual' || data.__dataChanged !== true) return false;
	call.staticData.save(data);
	data.__dataChanged = false;
	return true;
}

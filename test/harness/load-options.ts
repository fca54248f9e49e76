/**
 * Calls a node's editor methods (`methods.listSearch.*`, `methods.loadOptions.*`) in n8n-core's
 * real LoadOptionsContext, as the editor does when a user opens a dropdown: the node's current
 * parameters come from `additionalData.currentNodeParameters`, credentials from the store.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext } from 'n8n-core';
import { type ICredentialDataDecryptedObject, type INode, type INodeListSearchResult, type INodePropertyOptions, type INodeParameters, Workflow } from 'n8n-workflow';

import { CredentialStore, HarnessCredentialsHelper } from './credentials-helper';
import { captureLogs } from './n8n-environment';
import { type PackageTypes, loadPackageNodeTypes } from './node-types';
import { createAdditionalData } from './run-workflow';

export interface LoadOptionsCall {
	node: INode;
	types?: PackageTypes;
	credentials?: Record<string, Record<string, unknown>>;
	credentialStore?: CredentialStore;
}

function contextFor(call: LoadOptionsCall): { context: LoadOptionsContext; methods: Record<string, Record<string, unknown>> } {
	const types = call.types ?? loadPackageNodeTypes();
	const store = call.credentialStore ?? new CredentialStore();
	for (const [type, data] of Object.entries(call.credentials ?? {})) if (!store.has(type)) store.set(type, data as ICredentialDataDecryptedObject);
	const workflow = new Workflow({
		id: 'harness-load-options',
		name: 'Load options',
		nodes: [call.node],
		connections: {},
		nodeTypes: types.nodeTypes,
		settings: { executionOrder: 'v1' },
		active: false,
	});
	const helper = new HarnessCredentialsHelper(types.credentialTypes, types.nodeTypes, store);
	const hooks = new ExecutionLifecycleHooks('internal', 'harness-load-options', {
		id: workflow.id,
		name: 'Load options',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [call.node],
		connections: {},
		settings: {},
	});
	const additionalData = createAdditionalData('harness-load-options', workflow.id, helper, hooks);
	additionalData.currentNodeParameters = call.node.parameters as INodeParameters;
	const context = new LoadOptionsContext(workflow, call.node, additionalData, 'parameters');
	const nodeType = types.nodeTypes.getByNameAndVersion(call.node.type, call.node.typeVersion);
	return { context, methods: (nodeType.methods ?? {}) as Record<string, Record<string, unknown>> };
}

export async function listSearch(call: LoadOptionsCall, method: string, filter?: string): Promise<INodeListSearchResult> {
	const { context, methods } = contextFor(call);
	const fn = methods.listSearch?.[method] as ((this: LoadOptionsContext, filter?: string) => Promise<INodeListSearchResult>) | undefined;
	if (!fn) throw new Error(`The node has no listSearch method "${method}"`);
	const capture = captureLogs();
	try {
		return await fn.call(context, filter);
	} finally {
		capture.stop();
	}
}

export async function loadOptions(call: LoadOptionsCall, method: string): Promise<INodePropertyOptions[]> {
	const { context, methods } = contextFor(call);
	const fn = methods.loadOptions?.[method] as ((this: LoadOptionsContext) => Promise<INodePropertyOptions[]>) | undefined;
	if (!fn) throw new Error(`The node has no loadOptions method "${method}"`);
	const capture = captureLogs();
	try {
		return await fn.call(context);
	} finally {
		capture.stop();
	}
}

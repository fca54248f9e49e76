/**
 * Runs a credential type's `test` request the way n8n's credentials tester does (n8n 2.x
 * `CredentialsTester.testCredentials` for request-based tests): a throw-away node type whose only
 * property routes `test.request`, an `ExecuteContext` in mode 'internal', and n8n-core's own
 * `RoutingNode`, so the request goes through `httpRequestWithAuthentication` with the decrypted
 * credential (`authenticate`, `preAuthentication`) exactly as in n8n. The answer is judged like
 * n8n judges it: `rules` of type `responseCode` first, then any non-2xx status is an error
 * (message = status text), a network error gives its code, anything else its message.
 *
 *   const result = await runCredentialTest({ type: 'awsSqsApi', data: { … } });
 *   expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
 *
 * Not modelled: function tests (`testedBy` strings, call them directly), OAuth2 token checks.
 */
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IExecuteData,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWorkflowBase,
} from 'n8n-workflow';

import { CredentialStore, HarnessCredentialsHelper } from './credentials-helper';
import { captureLogs, type LogEntry } from './n8n-environment';
import { loadPackageNodeTypes, type PackageTypes } from './node-types';
import { createAdditionalData } from './run-workflow';

export interface CredentialTestOptions {
	/** Credential type name, e.g. 'awsSqsApi'. */
	type: string;
	/** The credential data as the user entered it (type defaults are applied). */
	data: ICredentialDataDecryptedObject;
	types?: PackageTypes;
	timeoutMs?: number;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
	logs: LogEntry[];
}

const TEST_NODE_TYPE = 'harness.credentialTest';
let testCounter = 0;

interface ResponseCodeRule {
	type: 'responseCode';
	properties: { value: number; message: string };
}

export async function runCredentialTest(options: CredentialTestOptions): Promise<CredentialTestResult> {
	const types = options.types ?? loadPackageNodeTypes();
	const credentialType = types.credentialTypes.getByName(options.type);
	const test = credentialType.test;
	const capture = captureLogs();
	const done = (status: 'OK' | 'Error', message: string): CredentialTestResult => {
		capture.stop();
		return { status, message, logs: capture.logs };
	};
	if (!test) return done('Error', 'No testing function found for this credential.');

	const nodeType: INodeType = {
		description: {
			displayName: 'Credential Test',
			name: TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: 'Throw-away node that runs a credential test request',
			defaults: { name: 'Temp-Node' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: options.type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: (_name: string, version?: number) => NodeHelpers.getVersionedNodeType(nodeType, version),
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [options.type]: { id: 'credential-under-test', name: 'Credential under test' } },
	};
	const workflow = new Workflow({ id: 'credential-test', nodes: [node], connections: {}, active: false, nodeTypes });
	const workflowData: IWorkflowBase = {
		id: workflow.id,
		name: 'Credential test',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
	};
	const executionId = `harness-credential-test-${++testCounter}`;
	const store = new CredentialStore({ [options.type]: options.data });
	const helper = new HarnessCredentialsHelper(types.credentialTypes, types.nodeTypes, store);
	const additionalData = createAdditionalData(executionId, workflow.id, helper, new ExecutionLifecycleHooks('internal', executionId, workflowData));
	// n8n (CredentialsTester.prepareCredentialsForTest) applies the type's defaults and resolves
	// expression fields (`$self`) before testing; so does the helper's getDecrypted.
	const data = (await helper.getDecrypted(additionalData, node.credentials![options.type], options.type, 'internal')) as ICredentialDataDecryptedObject;
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(workflow, node, additionalData, 'internal', createRunExecutionData({}), 0, [], { main: [[{ json: {} }]] }, executeData, []);
	const routingNode = new RoutingNode(context, nodeType, { id: 'credential-under-test', name: 'Credential under test', type: options.type, data });

	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			routingNode.runNode(),
			new Promise((_, reject) => {
				timer = setTimeout(() => reject(new Error(`credential test did not finish within ${options.timeoutMs ?? 10_000} ms`)), options.timeoutMs ?? 10_000);
			}),
		]);
	} catch (error) {
		const cause = (error as { cause?: { response?: { status?: number; statusText?: string }; code?: string } }).cause;
		if (cause?.response) {
			const status = cause.response.status ?? 0;
			for (const rule of (test.rules ?? []) as ResponseCodeRule[]) {
				if (rule.type === 'responseCode' && rule.properties.value === status) return done('Error', rule.properties.message);
			}
			if (status < 199 || status > 299) return done('Error', cause.response.statusText || `Received HTTP status code: ${status}`);
		} else if (cause?.code) {
			return done('Error', cause.code);
		}
		return done('Error', String((error as Error).message));
	} finally {
		clearTimeout(timer);
	}
	return done('OK', 'Connection successful!');
}

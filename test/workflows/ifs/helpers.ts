/**
 * Shared setup for IFS Cloud workflow tests: the base workflow JSON with the IFS node's
 * parameters patched per test, credentials pointing at a sandbox, and a runner.
 */
import * as path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	type CredentialStore,
	type PackageTypes,
	type ProcessedDataStore,
	type RunResult,
	loadPackageNodeTypes,
	loadWorkflowJson,
	runWorkflow,
	withNode,
} from '../../harness';
/** What a test needs to point the credential at a sandbox (in-process or spawned). */
export interface SandboxEndpoint {
	url: string;
	realm: string;
	clientId: string;
	clientSecret: string;
}

export const IFS_NODE = 'IFS Cloud';
const FIXTURE = path.join(__dirname, 'fixtures', 'ifs-entity.workflow.json');

let types: PackageTypes | undefined;
export function packageTypes(): PackageTypes {
	types ??= loadPackageNodeTypes();
	return types;
}

export function locator(value: string) {
	return { __rl: true, mode: 'list', value };
}

/** The base workflow with the IFS node's parameters (and node settings such as onError) replaced. */
export function ifsWorkflow(parameters: IDataObject, node: IDataObject = {}) {
	const base = loadWorkflowJson(FIXTURE);
	return withNode(base, IFS_NODE, {
		parameters: { resource: 'entity', ...parameters },
		...node,
	} as never);
}

export function ifsCredentials(sandbox: SandboxEndpoint, overrides: IDataObject = {}) {
	return {
		ifsCloudOAuth2Api: {
			systemUrl: sandbox.url,
			realm: sandbox.realm,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			companyCode: '10',
			deployment: 'int',
			...overrides,
		},
	};
}

export interface IfsRun {
	sandbox: SandboxEndpoint;
	parameters: IDataObject;
	node?: IDataObject;
	items?: IDataObject[];
	credentials?: IDataObject;
	credentialStore?: CredentialStore;
	/** Keeps n8n's dedup records across runs (operations using checkProcessedAndRecord). */
	processedDataStore?: ProcessedDataStore;
	timeoutMs?: number;
	cancelAfterMs?: number;
}

export async function runIfs(run: IfsRun): Promise<RunResult> {
	return await runWorkflow({
		workflow: ifsWorkflow(run.parameters, run.node),
		types: packageTypes(),
		credentials: ifsCredentials(run.sandbox, run.credentials),
		credentialStore: run.credentialStore,
		processedDataStore: run.processedDataStore,
		startItems: (run.items ?? [{}]).map((json): INodeExecutionData => ({ json })),
		timeoutMs: run.timeoutMs ?? 60_000,
		cancelAfterMs: run.cancelAfterMs,
	});
}

export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** Options collection entries shared by most tests: fast retries so faults resolve quickly. */
export const FAST_RETRY = { retryBudgetSeconds: 30 };

/**
 * End-to-end helpers: a real, provisioned n8n 2.41.1 with our packed package installed as a
 * community package. See test/e2e/README.md.
 */
export { AMAZON_CREDENTIAL_ID, AMAZON_CREDENTIAL_NAME, AMAZON_CREDENTIAL_TYPE, AMAZON_NODE_TYPE, amazonCredential, startAmazonSandbox } from './amazon';
export type { AmazonCredentialOptions, AmazonSandbox, AmazonSandboxOptions } from './amazon';
export { startMitmProxy } from './mitm';
export type { MitmProxy, MitmProxyOptions, MitmRequestLog } from './mitm';
export { LOOPBACK_NO_PROXY, N8nInstance, parseExecuteOutput, tail } from './n8n';
export type { CredentialJson, ExecuteResult, ExecutedRun, N8nOptions, WorkflowJson } from './n8n';
export { communityNodesFolder, installTarball, npmEnv, packRepository } from './package';
export type { PackedPackage } from './package';
export { N8N_VERSION, NODE_VERSION, PACKAGE_NAME, PROVISION_SCRIPT, REPO_ROOT, TEMPLATES_DIR, assertProvisioned, n8nInstall } from './paths';
export type { N8nInstall } from './paths';
export { WaitAborted, freePort, portInUse, run, shellStatus, sleep, start, stopAll, waitFor } from './processes';
export type { Background, RunResult } from './processes';
export { DEFAULT_OWNER, N8nRest, executionItems, unflatten } from './rest';
export type { ExecutionDetails, Owner, RestResponse } from './rest';
export { spawnIfsSandbox, type RemoteIfsSandbox, type SandboxDetails } from '../../sandbox/ifs/process';
export { spawnSpApiSandbox, type RemoteSpApiSandbox, type SpApiSandboxDetails } from '../../sandbox/spapi/process';
export {
	IFS_CREDENTIAL_ID,
	IFS_CREDENTIAL_NAME,
	IFS_CREDENTIAL_TYPE,
	IFS_NODE_TYPE,
	MANUAL_TRIGGER_NAME,
	TEMPLATE_IDS,
	ifsCredential,
	loadTemplates,
	setNodeValue,
	template,
	triggerName,
} from './templates';
export type { IfsEndpoint } from './templates';
export {
	DataTables,
	ERROR_QUEUE_TABLE,
	IFS_AMAZON,
	IFS_AMAZON_TEMPLATES_DIR,
	SKU_MAP_TABLE,
	describeRun,
	editNode,
	itemsOf,
	loadIfsAmazonTemplates,
	runTemplate,
	settledTriggerRuns,
} from './ifs-amazon';
export type { IfsAmazonTemplate } from './ifs-amazon';

/**
 * In-process n8n workflow test harness (handbook: testing-with-real-n8n.md, part (a)).
 *
 *   import { loadPackageNodeTypes, runWorkflow, loadWorkflowJson } from '../harness';
 */
export {
	loadPackageNodeTypes,
	HarnessNodeTypes,
	HarnessCredentialTypes,
	MANUAL_TRIGGER_TYPE,
	NO_OP_TYPE,
	PACKAGE_NAME,
	type LoadPackageOptions,
	type PackageTypes,
} from './node-types';
export { CredentialStore, HarnessCredentialsHelper, type CredentialData, type CredentialWrite } from './credentials-helper';
export {
	runWorkflow,
	startWorkflow,
	type RunResult,
	type RunningWorkflow,
	type RunWorkflowOptions,
	type WorkflowJson,
} from './run-workflow';
export { captureLogs, installN8nEnvironment, type LogEntry, type LogLevel, type N8nEnvironment } from './n8n-environment';
export { loadWorkflowJson, withNode } from './workflow-json';
export { findSecretLeaks } from './secret-scan';
export { listSearch, loadOptions, type LoadOptionsCall } from './load-options';

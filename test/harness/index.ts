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
	DEFAULT_WORKFLOW_ID,
	runWorkflow,
	startWorkflow,
	type RunResult,
	type RunningWorkflow,
	type RunWorkflowOptions,
	type WorkflowJson,
} from './run-workflow';
export {
	captureLogs,
	installN8nEnvironment,
	n8nService,
	type LogEntry,
	type LogLevel,
	type N8nEnvironment,
} from './n8n-environment';
export { loadWorkflowJson, withNode } from './workflow-json';
export { findSecretLeaks } from './secret-scan';
export { listSearch, loadOptions, type LoadOptionsCall } from './load-options';
export { StaticDataStore } from './static-data';
export { DeduplicationError, ProcessedDataStore, type ProcessedDataRecord } from './processed-data';
export type { NodeCallOptions } from './node-context';
export { runPoll, type PollResult, type RunPollOptions } from './run-poll';
export { runCredentialTest, type CredentialTestOptions, type CredentialTestResult } from './run-credential-test';
export {
	activateWebhook,
	RecordingResponse,
	runWebhook,
	runWebhookMethod,
	type ActivateWebhookResult,
	type FakeRequest,
	type RunWebhookOptions,
	type WebhookAnswer,
	type WebhookMethod,
	type WebhookMethodOptions,
	type WebhookMethodResult,
	type WebhookRequestInit,
	type WebhookResult,
} from './run-webhook';

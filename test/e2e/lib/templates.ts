/**
 * The workflow templates we ship (workflows-templates/ifs-cloud/) and the credential they expect.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CredentialJson, WorkflowJson } from './n8n';
import { TEMPLATES_DIR } from './paths';

/** The credential every IFS template references (fixed id, so imports link up). */
export const IFS_CREDENTIAL_ID = 'mlcIfsCloudAcct1';
export const IFS_CREDENTIAL_NAME = 'IFS Cloud account';
export const IFS_CREDENTIAL_TYPE = 'ifsCloudOAuth2Api';
export const IFS_NODE_TYPE = 'n8n-nodes-ml-connector.ifsCloud';

export const TEMPLATE_IDS = {
	readAllRows: 'mlcTplIfsRead001',
	createOrFindThenUpdate: 'mlcTplIfsOrder01',
	releasePlanned: 'mlcTplIfsRelease',
} as const;

export const MANUAL_TRIGGER_NAME = 'When clicking ‘Execute workflow’';

export function loadTemplates(folder = TEMPLATES_DIR): WorkflowJson[] {
	return fs
		.readdirSync(folder)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as WorkflowJson);
}

export function template(id: string, folder = TEMPLATES_DIR): WorkflowJson {
	const found = loadTemplates(folder).find((workflow) => workflow.id === id);
	if (!found) throw new Error(`No template with id ${id} in ${folder}`);
	return found;
}

/** The name of a workflow's Manual Trigger (what `n8n execute` and a REST run start from). */
export function triggerName(workflow: WorkflowJson): string {
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!trigger) throw new Error(`Workflow ${workflow.id} has no Manual Trigger`);
	return trigger.name;
}

export interface IfsEndpoint {
	url: string;
	realm: string;
	clientId: string;
	clientSecret: string;
}

/** The templates' credential, pointing at an IFS tenant (here: the sandbox). */
export function ifsCredential(endpoint: IfsEndpoint, overrides: Record<string, unknown> = {}): CredentialJson {
	return {
		id: IFS_CREDENTIAL_ID,
		name: IFS_CREDENTIAL_NAME,
		type: IFS_CREDENTIAL_TYPE,
		data: {
			systemUrl: endpoint.url,
			realm: endpoint.realm,
			clientId: endpoint.clientId,
			clientSecret: endpoint.clientSecret,
			companyCode: '10',
			deployment: 'int',
			...overrides,
		},
	};
}

/** A value assigned by a Set node (v3.4 "assignments") of a workflow, e.g. the template's sample order. */
export function setNodeValue(workflow: WorkflowJson, nodeName: string, field: string): string {
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName) as
		| { parameters?: { assignments?: { assignments?: Array<{ name: string; value: unknown }> } } }
		| undefined;
	const assignment = node?.parameters?.assignments?.assignments?.find((candidate) => candidate.name === field);
	if (!assignment) throw new Error(`Workflow ${workflow.id}: node "${nodeName}" assigns no "${field}"`);
	return String(assignment.value);
}

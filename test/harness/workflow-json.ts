/**
 * Workflow JSON fixtures: exported-from-n8n files with placeholders (`__API_BASE__`) for
 * values only known at test time, such as a local server's port.
 */
import * as fs from 'node:fs';

import type { INode } from 'n8n-workflow';

import type { WorkflowJson } from './run-workflow';

/** Read a workflow JSON file, replacing each placeholder key by its value (plain text, every occurrence). */
export function loadWorkflowJson(file: string, replacements: Record<string, string> = {}): WorkflowJson {
	let text = fs.readFileSync(file, 'utf8');
	for (const [placeholder, value] of Object.entries(replacements)) text = text.split(placeholder).join(value);
	return JSON.parse(text) as WorkflowJson;
}

/** A copy of `workflow` with `patch` merged into node `nodeName` (e.g. `{ onError: 'continueErrorOutput' }`). */
export function withNode(workflow: WorkflowJson, nodeName: string, patch: Partial<INode>): WorkflowJson {
	if (!workflow.nodes.some((node) => node.name === nodeName)) throw new Error(`No node "${nodeName}" in the workflow`);
	return {
		...workflow,
		nodes: workflow.nodes.map((node) => (node.name === nodeName ? { ...node, ...patch } : node)),
	};
}

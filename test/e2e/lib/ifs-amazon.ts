/**
 * The IFS Cloud ⇄ Amazon Seller Central templates (workflows-templates/ifs-cloud--amazon-seller-central)
 * in a running n8n: their ids and manual triggers, starting a run the way the editor does, reading
 * a run's per-node result, and the two data tables they use (through n8n's REST API, as the
 * editor's Data tables page does). Shared by the end-to-end test and the demo.
 */
import * as path from 'node:path';

import type { WorkflowJson } from './n8n';
import { REPO_ROOT } from './paths';
import { type ExecutionDetails, type N8nRest, executionItems, unflatten } from './rest';
import { loadTemplates } from './templates';

export const IFS_AMAZON_TEMPLATES_DIR = path.join(REPO_ROOT, 'workflows-templates', 'ifs-cloud--amazon-seller-central');

/** Workflow ids as shipped (n8n keeps them on import) and the manual trigger each run starts from. */
export const IFS_AMAZON = {
	setup: { id: 'mlcTplAmzSetup00', trigger: 'Run once' },
	orders: { id: 'mlcTplAmzOrders1', trigger: 'Run now: orders changed in the last 7 days' },
	inventory: { id: 'mlcTplAmzInvent1', trigger: 'Run now' },
	settlements: { id: 'mlcTplAmzSettle1', trigger: 'Run now: settlements of the last 30 days' },
	replay: { id: 'mlcTplAmzReplay1', trigger: 'Run now' },
} as const;

export type IfsAmazonTemplate = keyof typeof IFS_AMAZON;

export const ERROR_QUEUE_TABLE = 'mlc_error_queue';
export const SKU_MAP_TABLE = 'mlc_sku_map';

export function loadIfsAmazonTemplates(folder = IFS_AMAZON_TEMPLATES_DIR): WorkflowJson[] {
	return loadTemplates(folder);
}

/** Per node of a run: items per output and the node's error, to say where a run went wrong. */
export function describeRun(execution: ExecutionDetails): string {
	const data = unflatten(execution.data) as {
		resultData: { error?: { message?: string }; runData: Record<string, Array<{ data?: { main?: Array<unknown[] | null> }; error?: { message?: string; description?: string } }>> };
	};
	const lines = Object.entries(data.resultData.runData).map(([node, runs]) => {
		const last = runs[runs.length - 1];
		const outputs = (last?.data?.main ?? []).map((items) => items?.length ?? 0).join('/');
		return `  ${node}: ${outputs}${last?.error ? `  ERROR ${last.error.message ?? ''} ${last.error.description ?? ''}` : ''}`;
	});
	return [`run error: ${data.resultData.error?.message ?? '-'}`, ...lines].join('\n');
}

/** A node's output items; none when the node did not run (it had no input). */
export function itemsOf(execution: ExecutionDetails, node: string, output = 0): Array<Record<string, unknown>> {
	try {
		return executionItems(execution, node, output);
	} catch (error) {
		if (/did not run/.test(String(error))) return [];
		throw error;
	}
}

/** The executions an activated trigger (poll, schedule) started, once every one of them has finished; undefined before. */
export async function settledTriggerRuns(rest: N8nRest, workflowId: string): Promise<Array<{ id: string; status: string; mode?: string }> | undefined> {
	const runs = (await rest.executions(workflowId)).filter((execution) => execution.mode === 'trigger');
	return runs.length && runs.every((execution) => !['new', 'running', 'waiting'].includes(execution.status)) ? runs : undefined;
}

/** Runs a template from its manual trigger, as the editor's button does; throws with the run's story unless it succeeded. */
export async function runTemplate(rest: N8nRest, which: IfsAmazonTemplate, timeoutMs = 240_000): Promise<ExecutionDetails> {
	const { id, trigger } = IFS_AMAZON[which];
	const execution = await rest.waitForExecution(await rest.runWorkflow(id, trigger), timeoutMs);
	if (execution.status !== 'success') throw new Error(`${id} ended ${execution.status}:\n${describeRun(execution)}`);
	return execution;
}

/**
 * Changes one node's parameters in a saved workflow, as a user editing it in the editor and
 * saving: GET, change, PATCH with the version read (n8n refuses a stale version).
 */
export async function editNode(rest: N8nRest, workflowId: string, nodeName: string, change: (parameters: Record<string, unknown>) => void): Promise<void> {
	const workflow = await rest.call<{ versionId: string; nodes: Array<{ name: string; parameters: Record<string, unknown> }>; connections: unknown; name: string }>('GET', `/rest/workflows/${workflowId}`);
	const node = workflow.nodes.find((candidate) => candidate.name === nodeName);
	if (!node) throw new Error(`Workflow ${workflowId} has no node "${nodeName}"`);
	change(node.parameters);
	await rest.call('PATCH', `/rest/workflows/${workflowId}`, { versionId: workflow.versionId, name: workflow.name, nodes: workflow.nodes, connections: workflow.connections });
}

/** The n8n data tables of the templates (after the setup template ran). */
export class DataTables {
	private readonly ids = new Map<string, { id: string; projectId: string }>();

	constructor(private readonly rest: N8nRest) {}

	/** Finds the tables by name; returns the names found. */
	async locate(): Promise<string[]> {
		const tables = await this.rest.call<{ data: Array<{ id: string; name: string; projectId: string }> }>('GET', '/rest/data-tables-global?take=100&skip=0');
		for (const table of tables.data) this.ids.set(table.name, { id: table.id, projectId: table.projectId });
		return tables.data.map((table) => table.name);
	}

	private route(name: string): string {
		const table = this.ids.get(name);
		if (!table) throw new Error(`Data table ${name} not found: run the setup template, then locate()`);
		return `/rest/projects/${table.projectId}/data-tables/${table.id}`;
	}

	async rows(name: string): Promise<Array<Record<string, unknown>>> {
		const rows: Array<Record<string, unknown>> = [];
		for (let skip = 0; skip < 100_000; skip += 1000) {
			const page = await this.rest.call<{ data: Array<Record<string, unknown>>; count: number }>('GET', `${this.route(name)}/rows?take=1000&skip=${skip}`);
			rows.push(...page.data);
			if (page.data.length < 1000) break;
		}
		return rows;
	}

	async insert(name: string, rows: Array<Record<string, unknown>>): Promise<void> {
		if (rows.length) await this.rest.call('POST', `${this.route(name)}/insert`, { data: rows });
	}
}

/**
 * Workflow static data as n8n persists it between trigger activations.
 *
 * n8n keeps one static-data object per workflow (keys `global` and `node:<node name>`; a
 * node's `this.getWorkflowStaticData('node')` is its `node:<name>` entry). Each poll,
 * webhook call or webhook lifecycle method gets a `Workflow` built from the stored object;
 * n8n writes the object back only if the code changed it (n8n-workflow's observable
 * `__dataChanged` flag) and only outside manual mode — manual (editor) runs never persist it.
 *
 * Pass the same `StaticDataStore` to successive `runPoll` / `runWebhook` /
 * `activateWebhook` calls to get what an active workflow sees tick after tick.
 */
import { deepCopy, type IDataObject } from 'n8n-workflow';

export class StaticDataStore {
	private data: IDataObject;
	/** Every persisted version, oldest first (one entry per save n8n would have made). */
	readonly saves: IDataObject[] = [];

	constructor(initial: IDataObject = {}) {
		this.data = deepCopy(initial);
	}

	/** The whole workflow static data (`global`, `node:<name>`), as a copy. */
	get(): IDataObject {
		return deepCopy(this.data);
	}

	/** A copy of one node's static data (`{}` if it has none). */
	node(nodeName: string): IDataObject {
		return deepCopy((this.data[`node:${nodeName}`] as IDataObject | undefined) ?? {});
	}

	/** Seed (or replace) one node's static data, e.g. a cursor from "yesterday". Not counted as a save. */
	setNode(nodeName: string, data: IDataObject): void {
		this.data[`node:${nodeName}`] = deepCopy(data);
	}

	/** Persist a new version (called by the harness where n8n would save). */
	save(data: IDataObject): void {
		this.data = deepCopy(data);
		this.saves.push(deepCopy(data));
	}
}

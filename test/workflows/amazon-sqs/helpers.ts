/**
 * Shared set-up for the Amazon SQS Notification Trigger tests: an SQS sandbox reached under the
 * real host name (nock), the trigger node, and an "active workflow" that keeps its static data
 * across polls like n8n does (saved when a poll emits or returns null, never when it throws).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { type CredentialData, type PackageTypes, type PollResult, StaticDataStore, loadPackageNodeTypes, runPoll } from '../../harness';
import { type SqsSandbox, type SqsSandboxOptions, routeSqsToSandbox, startSqsSandbox } from '../../sandbox/sqs';

export const TRIGGER_NAME = 'Amazon SQS Notification Trigger';
export const TRIGGER_TYPE = 'n8n-nodes-ml-connector.amazonSellerCentralSqsTrigger';
export const CREDENTIAL_TYPE = 'awsSqsApi';

let types: PackageTypes | undefined;
export function packageTypes(): PackageTypes {
	types ??= loadPackageNodeTypes();
	return types;
}

export interface SqsTestbed {
	sqs: SqsSandbox;
	close(): Promise<void>;
}

/** A sandbox (fast long polls by default) with the real SQS host names routed to it. */
export async function startSqsTestbed(options: SqsSandboxOptions = {}): Promise<SqsTestbed> {
	const sqs = await startSqsSandbox({ waitScale: 0.002, ...options });
	const undo = routeSqsToSandbox(sqs);
	return {
		sqs,
		close: async () => {
			undo();
			await sqs.close();
		},
	};
}

export interface TriggerParameters {
	notificationTypes?: string[];
	options?: IDataObject;
}

export function triggerNode(parameters: TriggerParameters = {}): INode {
	return {
		id: '5d3c1b9a-0000-4000-8000-00000000c001',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { notificationTypes: parameters.notificationTypes ?? [], options: parameters.options ?? {} } as never,
		credentials: { [CREDENTIAL_TYPE]: { id: 'mlcAwsSqs0000001', name: 'AWS SQS sandbox' } },
	};
}

/** One active workflow: its static data lives across polls; each poll's items are recorded. */
export class ActiveSqsTrigger {
	staticData = new StaticDataStore();
	readonly ticks: PollResult[] = [];

	constructor(
		private readonly credentials: () => CredentialData,
		public parameters: TriggerParameters = {},
	) {}

	async poll(options: { mode?: 'trigger' | 'manual'; pollBudgetMs?: number; staticData?: StaticDataStore; credentials?: CredentialData } = {}): Promise<PollResult> {
		const tick = await runPoll({
			node: triggerNode(this.parameters),
			types: packageTypes(),
			credentials: { [CREDENTIAL_TYPE]: options.credentials ?? this.credentials() },
			staticData: options.staticData ?? this.staticData,
			mode: options.mode ?? 'trigger',
			pollBudgetMs: options.pollBudgetMs,
			timeoutMs: 30_000,
		});
		this.ticks.push(tick);
		return tick;
	}

	/** Items of a poll that must succeed (empty for null). */
	async items(options: Parameters<ActiveSqsTrigger['poll']>[0] = {}): Promise<IDataObject[]> {
		const tick = await this.poll(options);
		if (tick.error) throw tick.error;
		return emitted(tick);
	}

	/** The node's remembered state after the last persisted poll. */
	state(): IDataObject {
		return (this.staticData.node(TRIGGER_NAME).sqsDelivery as IDataObject | undefined) ?? {};
	}
}

export function emitted(tick: PollResult): IDataObject[] {
	return (tick.items?.[0] ?? []).map((item) => item.json);
}

/** Sends notifications (as Amazon's delivery does) and returns the SQS message ids. */
export function deliver(sqs: SqsSandbox, notifications: Array<Record<string, unknown>>, queue = 'sp-api-notifications'): string[] {
	return notifications.map((notification) => sqs.send(queue, JSON.stringify(notification)));
}

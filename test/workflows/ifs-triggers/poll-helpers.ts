/**
 * Shared set-up for the IFS Cloud polling trigger tests: the trigger node with its parameters,
 * credentials pointing at a sandbox, and a `poll()` helper that keeps static data and the OAuth2
 * token across ticks like an active workflow does.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { CredentialStore, type PollResult, runPoll, StaticDataStore } from '../../harness';
import type { IfsSandbox } from '../../sandbox/ifs';
import { ifsCredentials, locator, packageTypes } from '../ifs/helpers';

export const TRIGGER_NAME = 'IFS Cloud Trigger';
export const TRIGGER_TYPE = 'n8n-nodes-ml-connector.ifsCloudTrigger';
export const ORDERS = { projection: 'CustomerOrderHandling', entitySet: 'CustomerOrderSet' } as const;
export const STOCK = { projection: 'InventoryPartInStockHandling', entitySet: 'InventoryPartInStockSet' } as const;

export interface TriggerParameters {
	projection?: string;
	entitySet?: string;
	mode?: 'timestamp' | 'snapshot';
	timestampField?: string;
	startFrom?: 'now' | 'beginning';
	filter?: string;
	options?: IDataObject;
}

export function triggerNode(parameters: TriggerParameters = {}): INode {
	const { projection = ORDERS.projection, entitySet = ORDERS.entitySet, options = {}, ...rest } = parameters;
	return {
		id: '9b4f2c1e-0000-4000-8000-00000000a001',
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			projection: locator(projection),
			entitySet: locator(entitySet),
			mode: 'timestamp',
			timestampField: 'ChangeDate',
			startFrom: 'now',
			filter: '',
			...rest,
			// No client-side pacing in tests unless a test asks for it.
			options: { requestsPerWindow: 100_000, ...options },
		} as never,
		credentials: { ifsCloudOAuth2Api: { id: 'mlcIfsSandbox001', name: 'IFS Cloud sandbox' } },
	};
}

/** One active workflow: its static data and its credential store (the OAuth2 token) live across ticks. */
export class ActiveTrigger {
	readonly staticData = new StaticDataStore();
	readonly credentialStore = new CredentialStore();
	readonly ticks: PollResult[] = [];

	constructor(
		private readonly sandbox: IfsSandbox,
		public parameters: TriggerParameters,
	) {}

	async poll(options: { mode?: 'trigger' | 'manual'; pollBudgetMs?: number; parameters?: TriggerParameters } = {}): Promise<PollResult> {
		const tick = await runPoll({
			node: triggerNode(options.parameters ?? this.parameters),
			types: packageTypes(),
			credentials: ifsCredentials({ url: this.sandbox.url, realm: this.sandbox.realm, clientId: this.sandbox.clientId, clientSecret: this.sandbox.clientSecret }),
			credentialStore: this.credentialStore,
			staticData: this.staticData,
			mode: options.mode ?? 'trigger',
			pollBudgetMs: options.pollBudgetMs,
			timeoutMs: 20_000,
		});
		this.ticks.push(tick);
		return tick;
	}

	/** The rows a tick emitted (empty for `null`); throws what the poll threw. */
	async rows(options: Parameters<ActiveTrigger['poll']>[0] = {}): Promise<IDataObject[]> {
		const tick = await this.poll(options);
		if (tick.error) throw tick.error;
		return emittedRows(tick);
	}

	/** The node's cursor as n8n would have saved it. */
	cursor(): IDataObject | undefined {
		return this.staticData.node(TRIGGER_NAME).cursor as IDataObject | undefined;
	}
}

export function emittedRows(tick: PollResult): IDataObject[] {
	if (!tick.items) return [];
	expect(tick.items).toHaveLength(1);
	return tick.items[0].map((item) => item.json);
}

import {
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { includedDataOption, orderFilters, searchFilters } from './actions/order/shared';
import { type OrdersApiVersion, searchOrdersPage } from './actions/order/search';
import { latestBefore, spApiInstant } from './actions/shared';
import { SpApiClient } from './transport';
import { type OrderCursorState, pollOrders } from './trigger/orders';
import { type SettlementCursorState, pollSettlementReports } from './trigger/settlements';

/** Share of n8n's poll budget spent reading; the rest is left for handing the items over. */
const BUDGET_SHARE = 0.6;
/** Items shown by "Fetch Test Event". */
const SAMPLE_SIZE = 5;
const HOUR = 3_600_000;

export class AmazonSellerCentralTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Seller Central Trigger',
		name: 'amazonSellerCentralTrigger',
		icon: { light: 'file:amazonSellerCentral.svg', dark: 'file:amazonSellerCentral.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["event"] === "order" ? "Order created or updated" : "New settlement report"}}',
		description: 'Starts a workflow when Amazon orders are created or change, or when a new settlement report is available',
		defaults: { name: 'Amazon Seller Central Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonSellingPartnerApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				default: 'order',
				options: [
					{
						name: 'Order Created or Updated',
						value: 'order',
						description: 'Orders whose last update is new, read up to 2 minutes ago (Amazon\'s limit)',
					},
					{
						name: 'New Settlement Report',
						value: 'settlementReport',
						description: 'A settlement report Amazon generated (about every 14 days, or on disbursement)',
					},
				],
			},
			{
				displayName: 'API Version',
				name: 'apiVersion',
				type: 'options',
				default: '2026-01-01',
				displayOptions: { show: { event: ['order'] } },
				options: [
					{ name: 'Orders 2026-01-01', value: '2026-01-01' },
					{ name: 'Orders V0 (Until 27 March 2027)', value: 'v0' },
				],
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				default: 'now',
				options: [
					{ name: 'Now', value: 'now', description: 'Only what happens after the workflow is activated' },
					{ name: 'A While Back', value: 'lookback', description: 'First emit what happened in a period before activation' },
				],
			},
			{
				displayName: 'Look Back (Hours)',
				name: 'lookbackHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 2160 },
				default: 24,
				displayOptions: { show: { startFrom: ['lookback'] } },
				description: 'How far back the first poll starts (settlement reports: at most 90 days, which Amazon keeps)',
			},
			{ ...orderFilters, displayOptions: { show: { event: ['order'] } } },
			{
				displayName: 'Include Personal Data',
				name: 'includePersonalData',
				type: 'boolean',
				default: false,
				displayOptions: { show: { event: ['order'] } },
				description: 'Whether to include buyer name, address and phone (needs the restricted role)',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { event: ['order'] } },
				options: [
					includedDataOption,

					{
						displayName: 'Max Orders per Poll',
						name: 'maxOrders',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 5000,
						description: 'The rest is read by the next poll',
					},
					{
						displayName: 'Overlap Window (Minutes)',
						name: 'overlapMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10,
						description:
							'Each sweep re-reads this far before the previous one ended, for updates Amazon records late; orders already emitted with the same last update are skipped',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const started = Date.now();
		const budgetMs = Math.max(5_000, this.getPollBudgetMs() * BUDGET_SHARE);
		const client = await SpApiClient.create(this, { timeBudgetMs: budgetMs });
		const event = this.getNodeParameter('event', 'order') as string;
		const startFrom = this.getNodeParameter('startFrom', 'now') as string;
		const lookbackMs = startFrom === 'lookback' ? Math.max(1, Number(this.getNodeParameter('lookbackHours', 24))) * HOUR : 0;
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');

		if (event === 'settlementReport') {
			const config = JSON.stringify(['settlementReport', client.marketplaceIds]);
			const { reports, state } = await pollSettlementReports(client, staticData.settlements as SettlementCursorState | undefined, config, {
				lookbackMs,
				sample: manual ? SAMPLE_SIZE : undefined,
			});
			if (!manual) staticData.settlements = state;
			return reports.length ? [this.helpers.returnJsonArray(reports)] : null;
		}

		const version = this.getNodeParameter('apiVersion', '2026-01-01') as OrdersApiVersion;
		const filters = this.getNodeParameter('filters', {}) as IDataObject;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const search = {
			version,
			...searchFilters(filters, version, client.marketplaceIds),
			personal: this.getNodeParameter('includePersonalData', false) as boolean,
			includedData: version === 'v0' ? undefined : ((options.includedData as string[]) ?? []),
			pageSize: 100,
		};

		if (manual) {
			// A sample for the editor: the latest changes of the last day, nothing remembered.
			const before = latestBefore();
			const page = await searchOrdersPage(client, { ...search, byCreation: false, after: spApiInstant(before - 24 * HOUR), before: spApiInstant(before), pageSize: SAMPLE_SIZE }, undefined);
			return page.orders.length ? [this.helpers.returnJsonArray(page.orders.map((order) => ({ ...order, _event: 'sample' })))] : null;
		}

		const config = JSON.stringify(['order', search, startFrom, lookbackMs]);
		const { changes, state } = await pollOrders(client, staticData.orders as OrderCursorState | undefined, config, {
			search,
			overlapMs: Math.max(0, Number(options.overlapMinutes ?? 10)) * 60_000,
			lookbackMs,
			maxOrders: Math.max(1, Number(options.maxOrders ?? 5000)),
			outOfTime: () => Date.now() - started > budgetMs,
		});
		staticData.orders = state;
		return changes.length ? [this.helpers.returnJsonArray(changes.map(({ order, event: change }) => ({ ...order, _event: change })))] : null;
	}
}

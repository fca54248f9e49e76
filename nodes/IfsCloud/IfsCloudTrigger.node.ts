import {
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { operationError } from '../common/errors';
import { connectionOptions, entitySetLocator, projectionLocator } from './actions/descriptions';
import { listSearch, loadOptions } from './methods';
import type { EdmEntityType } from './odata/csdl';
import { andFilter, buildQueryString } from './odata/query';
import { formatLiteral } from './odata/literals';
import { DEFAULT_SETTINGS, IfsClient, type IfsSettings } from './transport';
import {
	type CursorState,
	type OrderField,
	afterPosition,
	alreadySeen,
	existedAtActivation,
	fingerprint,
	isLater,
	pruneSeen,
	versionId,
	windowStart,
} from './trigger/cursor';

/** Share of n8n's poll budget spent fetching; the rest is left for handing the items over. */
const BUDGET_SHARE = 0.6;
/** Rows shown by "Fetch Test Event". */
const SAMPLE_SIZE = 5;

type SnapshotState = { config: string; prints: Record<string, string> };

/**
 * Every matching row, in key order, by keyset paging (`$filter` "after the last key read", not
 * `$skip`): a row deleted or inserted while we read cannot shift another row past us, which with
 * offset paging would look like a deletion now and a new row next poll.
 */
async function readByKeys(
	client: IfsClient,
	projection: string,
	path: string,
	type: EdmEntityType,
	enums: ReadonlySet<string>,
	options: { filter: string; select?: string; size: number; limit?: number },
): Promise<IDataObject[]> {
	const keys: OrderField[] = type.keys.map((key) => ({ name: key, type: type.properties[key]?.type ?? 'Edm.String' }));
	const size = Math.min(5000, Math.max(1, Math.floor(options.size)));
	const rows: IDataObject[] = [];
	let after: IDataObject | undefined;
	for (;;) {
		const where = [options.filter ? `(${options.filter})` : '', after ? afterPosition(keys, after, enums) : ''].filter(Boolean).reduce((all, part) => (all ? andFilter(all, part) : part), '');
		const query = buildQueryString({ filter: where || undefined, select: options.select, orderby: type.keys.join(','), top: size });
		const body = (await client.request<IDataObject>({ method: 'GET', projection, path, query })).body;
		const page = (body.value as IDataObject[] | undefined) ?? [];
		rows.push(...page);
		if (options.limit !== undefined && rows.length >= options.limit) return rows.slice(0, options.limit);
		const last = page[page.length - 1];
		const next = last ? Object.fromEntries(type.keys.map((key) => [key, last[key]])) : undefined;
		if ((page.length < size && !body['@odata.nextLink']) || !next || (after && JSON.stringify(next) === JSON.stringify(after))) return rows;
		after = next;
	}
}

export class IfsCloudTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IFS Cloud Trigger',
		name: 'ifsCloudTrigger',
		icon: { light: 'file:ifsCloud.svg', dark: 'file:ifsCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"New or changed: " + $parameter["entitySet"].value}}',
		description: 'Starts a workflow when rows of an IFS Cloud entity set are created or changed',
		defaults: { name: 'IFS Cloud Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ifsCloudOAuth2Api', required: true }],
		properties: [
			projectionLocator,
			entitySetLocator,
			{
				displayName: 'Detect Changes By',
				name: 'mode',
				type: 'options',
				default: 'timestamp',
				options: [
					{
						name: 'Timestamp Field',
						value: 'timestamp',
						description: 'Rows whose date/time field is newer than the last poll (e.g. a change date)',
					},
					{
						name: 'Snapshot Comparison',
						value: 'snapshot',
						description: 'Read all matching rows each poll and compare with the previous poll; for entities without a usable timestamp',
					},
				],
			},
			{
				displayName: 'Timestamp Field Name or ID',
				name: 'timestampField',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getTimestampFields', loadOptionsDependsOn: ['projection.value', 'entitySet.value'] },
				default: '',
				required: true,
				displayOptions: { show: { mode: ['timestamp'] } },
				description:
					'Date or date/time field that changes whenever the row changes (IFS has no universal one: check the entity in API Explorer). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				default: 'now',
				options: [
					{ name: 'Now', value: 'now', description: 'Only changes after the workflow is activated' },
					{ name: 'The Beginning', value: 'beginning', description: 'Every existing row first, then changes' },
				],
			},
			{
				displayName: 'Filter',
				name: 'filter',
				type: 'string',
				default: '',
				placeholder: "Contract eq 'S100'",
				description: 'OData $filter limiting which rows are watched',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Compared Fields',
						name: 'compareFields',
						type: 'string',
						default: '',
						placeholder: 'QtyOnhand,AvailableQty',
						description: 'Snapshot mode: fields whose change counts (comma-separated); empty means all fields',
					},
					{
						displayName: 'Emit Deleted Rows',
						name: 'emitDeleted',
						type: 'boolean',
						default: false,
						description: 'Whether snapshot mode also emits rows that disappeared (with _change: "deleted")',
					},
					{
						displayName: 'Max Rows per Poll',
						name: 'maxRows',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10000,
						description: 'The rest is picked up by the next poll',
					},
					{
						displayName: 'Overlap Window (Seconds)',
						name: 'overlapSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 300,
						description:
							'Each poll re-reads this far back before the newest change seen, so rows saved late with an earlier timestamp are not missed; rows already emitted are skipped',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 5000 },
						default: 1000,
					},
					...connectionOptions,
				],
			},
		],
	};

	methods = {
		listSearch,
		loadOptions: {
			...loadOptions,
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const started = Date.now();
		const budgetMs = Math.max(1000, this.getPollBudgetMs() * BUDGET_SHARE);
		const option = <T>(name: string, fallback: T): T => this.getNodeParameter(`options.${name}`, fallback) as T;
		const projection = String(this.getNodeParameter('projection', '', { extractValue: true }) ?? '').trim();
		const entitySet = String(this.getNodeParameter('entitySet', '', { extractValue: true }) ?? '').trim();
		const mode = this.getNodeParameter('mode', 'timestamp') as string;
		const filter = String(this.getNodeParameter('filter', '') ?? '').trim();
		const startFrom = this.getNodeParameter('startFrom', 'now') as string;
		const deployment = option<string>('deployment', 'credential');
		const settings: Partial<IfsSettings> = {
			deployment: deployment === 'credential' ? undefined : (deployment as 'int' | 'main'),
			timeZoneAware: option('timeZoneAware', false),
			rateLimit: { requests: option('requestsPerWindow', DEFAULT_SETTINGS.rateLimit.requests), windowMs: option('rateWindowSeconds', 60) * 1000 },
			pageSize: option('pageSize', 1000),
			requestTimeoutMs: option('timeoutSeconds', 60) * 1000,
			retryBudgetMs: Math.min(option('retryBudgetSeconds', 120) * 1000, budgetMs),
		};
		const client = await IfsClient.create(this, settings);
		const type = await client.entityType(projection, entitySet);
		const enums = await client.enumTypeNames(projection);
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const path = encodeURIComponent(entitySet);

		if (mode === 'snapshot') {
			const compared = option<string>('compareFields', '')
				.split(',')
				.map((field) => field.trim())
				.filter(Boolean);
			const missing = compared.filter((field) => !type.properties[field]);
			if (missing.length) {
				throw operationError(this.getNode(), `${entitySet} has no field ${missing.join(', ')}`, `Fields of ${type.name}: ${Object.keys(type.properties).join(', ')}.`, undefined);
			}
			const select = compared.length ? [...new Set([...type.keys, ...compared])].join(',') : undefined;
			const keyOf = (row: IDataObject) => JSON.stringify(type.keys.map((key) => row[key] ?? null));
			const rows = await readByKeys(client, projection, path, type, enums, { filter, select, size: manual ? SAMPLE_SIZE : option('pageSize', 1000), limit: manual ? SAMPLE_SIZE : undefined });
			if (manual) return rows.length ? [this.helpers.returnJsonArray(rows.map((row) => ({ ...row, _change: 'sample' })))] : null;
			const config = JSON.stringify([projection, entitySet, filter, compared]);
			const previous = staticData.snapshot as SnapshotState | undefined;
			const prints: Record<string, string> = {};
			for (const row of rows) prints[keyOf(row)] = fingerprint(row, compared);
			staticData.snapshot = { config, prints } satisfies SnapshotState;
			if (!previous || previous.config !== config) {
				return startFrom === 'beginning' && rows.length ? [this.helpers.returnJsonArray(rows.map((row) => ({ ...row, _change: 'new' })))] : null;
			}
			const emitted: IDataObject[] = [];
			for (const row of rows) {
				const before = previous.prints[keyOf(row)];
				if (before === undefined) emitted.push({ ...row, _change: 'new' });
				else if (before !== prints[keyOf(row)]) emitted.push({ ...row, _change: 'changed' });
			}
			if (option('emitDeleted', false)) {
				for (const key of Object.keys(previous.prints)) {
					if (prints[key] === undefined) {
						const values = JSON.parse(key) as unknown[];
						emitted.push({ ...Object.fromEntries(type.keys.map((name, index) => [name, values[index] as IDataObject[string]])), _change: 'deleted' });
					}
				}
			}
			return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
		}

		const field = String(this.getNodeParameter('timestampField', '') ?? '').trim();
		const fieldType = type.properties[field]?.type;
		if (!fieldType || !['Edm.DateTimeOffset', 'Edm.Date'].includes(fieldType)) {
			throw operationError(
				this.getNode(),
				fieldType ? `${field} is a ${fieldType.replace('Edm.', '')} field, not a date or timestamp` : `${entitySet} has no field "${field}"`,
				`Choose a Date or DateTimeOffset field of ${type.name} that changes when the row changes: ${Object.values(type.properties)
					.filter((property) => ['Edm.DateTimeOffset', 'Edm.Date'].includes(property.type))
					.map((property) => property.name)
					.join(', ') || 'none — use Snapshot Comparison'}.`,
				undefined,
			);
		}
		const order: OrderField[] = [{ name: field, type: fieldType }, ...type.keys.map((key) => ({ name: key, type: type.properties[key]?.type ?? 'Edm.String' }))];
		const orderby = order.map((entry) => entry.name).join(',');

		if (manual) {
			const query = buildQueryString({ filter: filter || undefined, orderby: order.map((entry) => `${entry.name} desc`).join(','), top: SAMPLE_SIZE });
			const sample = (await client.request<IDataObject>({ method: 'GET', projection, path, query })).body.value as IDataObject[];
			return sample?.length ? [this.helpers.returnJsonArray(sample)] : null;
		}

		const overlap = option('overlapSeconds', 300);
		const maxRows = option('maxRows', 10000);
		const pageSize = Math.min(5000, Math.max(1, option('pageSize', 1000)));
		const config = JSON.stringify([projection, entitySet, field, filter]);
		let state = staticData.cursor as CursorState | undefined;
		if (!state || state.config !== config) {
			state = { config, seen: {} };
			if (startFrom === 'now') {
				// "Now" is taken from the data itself (IFS may write server-local times, so our clock
				// could be hours off): the newest timestamp present. The first poll reads the overlap
				// window before it and only records what is there, so none of it counts as new; rows
				// newer than that timestamp, changed while the first sweep runs, are emitted.
				const query = buildQueryString({ filter: filter || undefined, orderby: `${field} desc`, top: 1, select: field });
				const newest = ((await client.request<IDataObject>({ method: 'GET', projection, path, query })).body.value as IDataObject[])?.[0]?.[field];
				if (typeof newest !== 'string') {
					staticData.cursor = state;
					return null;
				}
				state.newest = newest;
				state.priming = true;
				state.primedUpTo = newest;
			}
		}
		const emitted: IDataObject[] = [];
		const lower = state.resume ? state.sweepFrom : state.newest ? windowStart(state.newest, fieldType, overlap) : undefined;
		state.sweepFrom = lower;
		let position = state.resume;
		let finished = false;
		// At least one page per poll, whatever the budget: a slow $metadata must not stall the trigger.
		for (let pages = 0; ; pages++) {
			if (pages > 0 && (Date.now() - started > budgetMs || emitted.length >= maxRows)) break;
			const bound = position
				? afterPosition(order, { ...position.keys, [field]: position.value }, enums)
				: lower
					? `${field} ge ${fieldType === 'Edm.DateTimeOffset' ? lower : formatLiteral(lower, fieldType, enums)}`
					: undefined;
			const where = [filter ? `(${filter})` : '', bound ?? ''].filter(Boolean).reduce((all, part) => (all ? andFilter(all, part) : part), '');
			const query = buildQueryString({ filter: where || undefined, orderby, top: pageSize });
			const body = (await client.request<IDataObject>({ method: 'GET', projection, path, query })).body;
			const rows = (body.value as IDataObject[] | undefined) ?? [];
			for (const row of rows) {
				const value = row[field];
				if (typeof value !== 'string') continue;
				const id = versionId(row, type.keys);
				if (isLater(value, state.newest)) state.newest = value;
				if (alreadySeen(state, id, value)) continue;
				state.seen[id] = value;
				if (!existedAtActivation(state, value)) emitted.push(row);
			}
			const last = rows[rows.length - 1];
			const next = last ? { value: String(last[field]), keys: Object.fromEntries(type.keys.map((key) => [key, last[key]])) } : undefined;
			// A short page ends the sweep, unless IFS capped the page itself and links to more.
			if ((rows.length < pageSize && !body['@odata.nextLink']) || !next || (position && JSON.stringify(next) === JSON.stringify(position))) {
				finished = true;
				break;
			}
			position = next;
		}
		// An unfinished sweep resumes after its last row next time; a finished one starts the next
		// sweep an overlap window before the newest change.
		if (finished) {
			delete state.resume;
			delete state.sweepFrom;
			delete state.priming;
			delete state.primedUpTo;
		} else {
			state.resume = position;
		}
		pruneSeen(state, fieldType, overlap);
		staticData.cursor = state;
		return emitted.length ? [this.helpers.returnJsonArray(emitted)] : null;
	}
}

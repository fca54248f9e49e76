/**
 * Parameter definitions shared by the Entity operations. Each operation shows the ones it uses
 * through `updateDisplayOptions`.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';


export const projectionLocator: INodeProperties = {
	displayName: 'Projection',
	name: 'projection',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The IFS projection (OData service), as listed in API Explorer',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchProjections', searchable: true, searchFilterRequired: false },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. CustomerOrderHandling',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z][A-Za-z0-9_]*$', errorMessage: 'A projection name has letters, digits and _ only' },
				},
			],
		},
	],
};

export const entitySetLocator: INodeProperties = {
	displayName: 'Entity Set',
	name: 'entitySet',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: "An entity set of the projection, loaded from the tenant's $metadata",
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchEntitySets', searchable: true, searchFilterRequired: false },
		},
		{
			displayName: 'By Name',
			name: 'name',
			type: 'string',
			placeholder: 'e.g. CustomerOrderSet',
		},
	],
};

export const keyFields: INodeProperties = {
	displayName: 'Key',
	name: 'key',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Key Field',
	description: "Values of the entity's key fields (all of them; Company may come from the credential's default company)",
	options: [
		{
			displayName: 'Field',
			name: 'fields',
			values: [
				{
					displayName: 'Key Field Name or ID',
					name: 'name',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getKeyFields', loadOptionsDependsOn: ['projection.value', 'entitySet.value'] },
					default: '',
					description:
						'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
				},
			],
		},
	],
};

export const dataMode: INodeProperties = {
	displayName: 'Data to Send',
	name: 'dataMode',
	type: 'options',
	default: 'defineBelow',
	options: [
		{
			name: 'Auto-Map Input Data',
			value: 'autoMapInputData',
			description: "Send the input item's fields whose names match fields of the entity; others are left out",
		},
		{
			name: 'Define Below',
			value: 'defineBelow',
			description: 'Set each field below',
		},
		{
			name: 'JSON',
			value: 'json',
			description: 'Send a JSON object; every key must be a field of the entity',
		},
	],
};

export const fieldValues: INodeProperties = {
	displayName: 'Fields',
	name: 'fields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	default: {},
	placeholder: 'Add Field',
	displayOptions: { show: { dataMode: ['defineBelow'] } },
	options: [
		{
			displayName: 'Field',
			name: 'field',
			values: [
				{
					displayName: 'Field Name or ID',
					name: 'name',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getEntityFields', loadOptionsDependsOn: ['projection.value', 'entitySet.value'] },
					default: '',
					description:
						'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				},
				{
					displayName: 'Value',
					name: 'value',
					type: 'string',
					default: '',
					description: 'Converted to the field type from $metadata (numbers, dates, booleans)',
				},
			],
		},
	],
};

export const jsonBody: INodeProperties = {
	displayName: 'JSON',
	name: 'jsonBody',
	type: 'json',
	default: '{}',
	displayOptions: { show: { dataMode: ['json'] } },
	description: 'Field names and values, e.g. {"CustomerPoNo": "AMZ-123", "WantedDeliveryDate": "2024-06-01"}',
};

/** Settings every operation can change; the transport reads them. Defaults mirror DEFAULT_SETTINGS (a unit test keeps them equal). */
export const connectionOptions: INodeProperties[] = [
	{
		displayName: 'API Deployment',
		name: 'deployment',
		type: 'options',
		default: 'credential',
		options: [
			{ name: 'From Credential', value: 'credential' },
			{ name: 'Integration (/Int)', value: 'int' },
			{ name: 'Main (/Main)', value: 'main' },
		],
		description: 'Override the deployment set in the credential, e.g. for projections only exposed on /main',
	},
	{
		displayName: 'Company',
		name: 'company',
		type: 'string',
		default: '',
		description: "Company code for company-scoped entities; empty uses the credential's default company",
	},
	{
		displayName: 'Apply Company',
		name: 'applyCompany',
		type: 'boolean',
		default: true,
		description:
			'Whether to add the company code where the entity has a Company field and it is not given: as a key value, a field on create, or a filter on reads',
	},
	{
		displayName: 'Time Zone Aware Request',
		name: 'timeZoneAware',
		type: 'boolean',
		default: false,
		description:
			'Whether to send X-Ifs-Time-Zone-Aware-Request: true, so time-zone-aware projections read timestamps as UTC instead of the server or site time zone',
	},
	{
		displayName: 'Requests Per Window',
		name: 'requestsPerWindow',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		description:
			'Most requests this node sends to the tenant in one rate window; it paces itself below this. 0 turns client-side pacing off (429 answers are still retried).',
	},
	{
		displayName: 'Rate Window (Seconds)',
		name: 'rateWindowSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
	},
	{
		displayName: 'Max Concurrent Requests',
		name: 'maxConcurrency',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 16 },
		default: 4,
		description: 'Pages fetched at the same time when reading all rows',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
	},
	{
		displayName: 'Retry Budget (Seconds)',
		name: 'retryBudgetSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 120,
		description: 'Longest time one request may spend waiting and retrying after 429, 5xx or network errors',
	},
];

export { traceOptions } from '../../common/trace';

export const selectOption: INodeProperties = {
	displayName: 'Select',
	name: 'select',
	type: 'string',
	default: '',
	placeholder: 'OrderNo,CustomerNo,Objstate',
	description: 'Comma-separated fields to return ($select)',
};

export const expandOption: INodeProperties = {
	displayName: 'Expand',
	name: 'expand',
	type: 'string',
	default: '',
	placeholder: 'CustomerNoRef',
	description: 'One-to-one references to include ($expand; IFS does not expand collections)',
};

/**
 * The Options collection: operation-specific entries first, then the connection settings.
 * `deployment` changes the default deployment, for projections IFS exposes only on /main.
 */
export function optionsCollection(specific: INodeProperties[] = [], settings: { deployment?: 'main' } = {}): INodeProperties {
	const connection = settings.deployment
		? connectionOptions.map((option) =>
				option.name === 'deployment'
					? { ...option, default: settings.deployment, description: `${option.description}. Defaults to /${settings.deployment}, where IFS exposes this projection.` }
					: option,
			)
		: connectionOptions;
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...specific, ...connection],
	};
}

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 5000 },
	default: 5000,
	description: 'Rows per request when reading many (IFS returns at most 5000)',
};

/** Return All + Limit, as every list operation offers them. */
export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** The row limit chosen with Return All + Limit (undefined = all). */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	return context.getNodeParameter('returnAll', itemIndex, false) ? undefined : (context.getNodeParameter('limit', itemIndex, 50) as number);
}

/** The IFS Names collection of a business resource: its default names, each overridable. */
export function namesCollection(options: INodeProperties[], what = 'Projection, entity set and field names'): INodeProperties {
	return {
		displayName: 'IFS Names',
		name: 'names',
		type: 'collection',
		placeholder: 'Override a Name',
		default: {},
		description: `${what}, if your tenant's differ from the defaults (check them in API Explorer)`,
		options,
	};
}

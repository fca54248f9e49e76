import type { INodeProperties } from 'n8n-workflow';

import * as getSummaries from './getSummaries.operation';

export { getSummaries };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inventory'] } },
		options: [
			{
				name: 'Get FBA Summaries',
				value: 'getSummaries',
				description: 'Quantities of FBA inventory per SKU in one marketplace',
				action: 'Get FBA inventory summaries',
			},
		],
		default: 'getSummaries',
	},
	...getSummaries.description,
];

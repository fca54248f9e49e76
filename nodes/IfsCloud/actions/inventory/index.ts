import type { INodeProperties } from 'n8n-workflow';

import * as getStockLevels from './getStockLevels.operation';

export { getStockLevels };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inventory'] } },
		options: [
			{
				name: 'Get Stock Levels',
				value: 'getStockLevels',
				description: 'On-hand and available quantities per part, summed over locations and lots',
				action: 'Get stock levels',
			},
		],
		default: 'getStockLevels',
	},
	...getStockLevels.description,
];

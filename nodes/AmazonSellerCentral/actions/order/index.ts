import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getItems from './getItems.operation';
import * as getMany from './getMany.operation';

export { get, getItems, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get an order', action: 'Get an order' },
			{ name: 'Get Items', value: 'getItems', description: "Get an order's items", action: 'Get order items' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Orders created or updated in a window (rate-limited: prefer notifications for per-order events)',
				action: 'Get many orders',
			},
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
	...getItems.description,
];

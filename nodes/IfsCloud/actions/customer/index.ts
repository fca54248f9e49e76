import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as upsert from './upsert.operation';

export { get, getMany, upsert };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a customer',
			},
			{ name: 'Get', value: 'get', description: 'Get a customer with addresses', action: 'Get a customer' },
			{ name: 'Get Many', value: 'getMany', description: 'Get customers', action: 'Get many customers' },
		],
		default: 'upsert',
	},
	...upsert.description,
	...get.description,
	...getMany.description,
];

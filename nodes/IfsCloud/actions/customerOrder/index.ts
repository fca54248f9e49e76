import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { create, get, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customerOrder'] } },
		options: [
			{ name: 'Create', value: 'create', description: 'Create an order with its lines once per external reference', action: 'Create a customer order' },
			{ name: 'Get', value: 'get', description: 'Get an order with its lines', action: 'Get a customer order' },
			{ name: 'Get Many', value: 'getMany', description: 'Get orders, optionally with their lines', action: 'Get many customer orders' },
			{ name: 'Update', value: 'update', description: 'Change header fields, safe against concurrent changes', action: 'Update a customer order' },
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...update.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as callAction from './callAction.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export { callAction, create, del as delete, get, getMany, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['entity'] } },
		options: [
			{ name: 'Call Action', value: 'callAction', description: 'Call an action or function of a projection or row', action: 'Call an action' },
			{ name: 'Create', value: 'create', description: 'Create a row, or find it if it already exists', action: 'Create a row' },
			{ name: 'Delete', value: 'delete', description: 'Delete a row by key', action: 'Delete a row' },
			{ name: 'Get', value: 'get', description: 'Get a row by key', action: 'Get a row' },
			{ name: 'Get Many', value: 'getMany', description: 'Get rows, filtered and sorted', action: 'Get many rows' },
			{ name: 'Update', value: 'update', description: 'Update fields of a row, safe against concurrent changes', action: 'Update a row' },
		],
		default: 'getMany',
	},
	...get.description,
	...getMany.description,
	...create.description,
	...update.description,
	...del.description,
	...callAction.description,
];

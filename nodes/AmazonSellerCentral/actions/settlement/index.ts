import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['settlement'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read one settlement: summary, lines, or GL journal lines through an account mapping',
				action: 'Get a settlement',
			},
			{ name: 'Get Many', value: 'getMany', description: 'Settlement reports Amazon generated since a date', action: 'Get many settlements' },
		],
		default: 'getMany',
	},
	...getMany.description,
	...get.description,
];

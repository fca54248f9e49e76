import type { INodeProperties } from 'n8n-workflow';

import * as listEventGroups from './listEventGroups.operation';
import * as listEventsByGroup from './listEventsByGroup.operation';
import * as listTransactions from './listTransactions.operation';

export { listEventGroups, listEventsByGroup, listTransactions };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['finance'] } },
		options: [
			{ name: 'List Financial Event Groups', value: 'listEventGroups', description: 'Settlement/disbursement groups', action: 'List financial event groups' },
			{
				name: 'List Financial Events by Group',
				value: 'listEventsByGroup',
				description: 'Events of one group (Finances v0, while Amazon keeps it)',
				action: 'List financial events by group',
			},
			{ name: 'List Transactions', value: 'listTransactions', description: 'Transactions by posted date or event group (Finances 2024-06-19)', action: 'List transactions' },
		],
		default: 'listTransactions',
	},
	...listTransactions.description,
	...listEventGroups.description,
	...listEventsByGroup.description,
];

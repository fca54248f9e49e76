import type { INodeProperties } from 'n8n-workflow';

import * as postJournal from './postJournal.operation';
import * as reverseJournal from './reverseJournal.operation';

export { postJournal, reverseJournal };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['glJournal'] } },
		options: [
			{ name: 'Post Journal', value: 'postJournal', description: 'Post a balanced journal once per external reference', action: 'Post a journal' },
			{ name: 'Reverse Journal', value: 'reverseJournal', description: 'Post the offsetting journal of an earlier one', action: 'Reverse a journal' },
		],
		default: 'postJournal',
	},
	...postJournal.description,
	...reverseJournal.description,
];

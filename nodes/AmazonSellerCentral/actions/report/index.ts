import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getDocument from './getDocument.operation';
import * as getMany from './getMany.operation';
import * as requestAndDownload from './requestAndDownload.operation';

export { cancel, create, get, getDocument, getMany, requestAndDownload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['report'] } },
		options: [
			{ name: 'Cancel', value: 'cancel', description: 'Cancel a report that has not started processing', action: 'Cancel a report' },
			{ name: 'Create', value: 'create', description: 'Request a report; Amazon generates it in the background', action: 'Create a report' },
			{ name: 'Get', value: 'get', description: "A report's status and document ID", action: 'Get a report' },
			{ name: 'Get Document', value: 'getDocument', description: "A report document's rows or file", action: 'Get a report document' },
			{ name: 'Get Many', value: 'getMany', description: 'Reports by type, status and creation time', action: 'Get many reports' },
			{
				name: 'Request and Download',
				value: 'requestAndDownload',
				description: 'Request a report, wait until it is done and download it (resumable when it takes longer)',
				action: 'Request and download a report',
			},
		],
		default: 'requestAndDownload',
	},
	...requestAndDownload.description,
	...create.description,
	...get.description,
	...getMany.description,
	...getDocument.description,
	...cancel.description,
];

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { buildQueryString } from '../../odata/query';
import type { IfsClient } from '../../transport';
import { connectionOptions, entitySetLocator, keyFields, projectionLocator } from '../descriptions';
import { readKey, readTarget } from '../parameters';

const properties: INodeProperties[] = [
	projectionLocator,
	entitySetLocator,
	keyFields,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Select',
				name: 'select',
				type: 'string',
				default: '',
				placeholder: 'OrderNo,CustomerNo,Objstate',
				description: 'Comma-separated fields to return ($select)',
			},
			{
				displayName: 'Expand',
				name: 'expand',
				type: 'string',
				default: '',
				placeholder: 'CustomerNoRef',
				description: 'One-to-one references to include ($expand; IFS does not expand collections)',
			},
			...connectionOptions,
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['get'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const target = readTarget(context, itemIndex);
	const key = await readKey(context, client, target, itemIndex);
	const path = await client.keyPath(target.projection, target.entitySet, key, itemIndex);
	const select = String(context.getNodeParameter('options.select', itemIndex, '') ?? '');
	const expand = String(context.getNodeParameter('options.expand', itemIndex, '') ?? '');
	const response = await client.request({ method: 'GET', projection: target.projection, path, query: buildQueryString({ select, expand }) }, itemIndex);
	return response.body;
}

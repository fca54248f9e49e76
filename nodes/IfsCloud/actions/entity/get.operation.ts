import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { buildQueryString } from '../../odata/query';
import type { IfsClient } from '../../transport';
import { entitySetLocator, expandOption, keyFields, optionsCollection, projectionLocator, selectOption } from '../descriptions';
import { readKey, readTarget } from '../parameters';

const properties: INodeProperties[] = [
	projectionLocator,
	entitySetLocator,
	keyFields,
	optionsCollection([selectOption, expandOption]),
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

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';
import { destinationId } from './shared';

const properties: INodeProperties[] = [destinationId, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['deleteDestination'] } }, properties);

/** Deletes a destination; one that is already gone counts as deleted (`existed: false`). */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const id = String(context.getNodeParameter('destinationId', itemIndex, '')).trim();
	const response = await client.call({ operation: OPERATIONS.deleteDestination, pathParameters: { destinationId: id }, allowStatuses: [404] }, itemIndex);
	return { destinationId: id, deleted: true, existed: response.statusCode !== 404 };
}

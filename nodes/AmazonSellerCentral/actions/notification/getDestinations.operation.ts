import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';

const properties: INodeProperties[] = [optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['getDestinations'] } }, properties);

/** Every destination of the application (one item each). */
export async function execute(_context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	const response = await client.call<{ payload?: IDataObject[] }>({ operation: OPERATIONS.getDestinations }, itemIndex);
	return response.body.payload ?? [];
}

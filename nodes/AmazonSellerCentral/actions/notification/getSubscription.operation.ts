import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';
import { notificationType } from './shared';

const properties: INodeProperties[] = [notificationType, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['getSubscription'] } }, properties);

/** The seller's subscription for a type, or `{ subscribed: false }` when there is none. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const type = String(context.getNodeParameter('notificationType', itemIndex, '')).trim();
	const response = await client.call<{ payload?: IDataObject }>({ operation: OPERATIONS.getSubscription, pathParameters: { notificationType: type }, allowStatuses: [404] }, itemIndex);
	if (response.statusCode === 404) return { notificationType: type, subscribed: false };
	return { notificationType: type, subscribed: true, ...(response.body.payload ?? {}) };
}

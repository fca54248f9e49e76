import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';
import { notificationType } from './shared';

const properties: INodeProperties[] = [
	notificationType,
	{
		displayName: 'Subscription ID',
		name: 'subscriptionId',
		type: 'string',
		default: '',
		description: "Empty means the seller's current subscription for the type (looked up first)",
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['deleteSubscription'] } }, properties);

/** Deletes a subscription; none to delete counts as deleted (`existed: false`), so re-runs are safe. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const type = String(context.getNodeParameter('notificationType', itemIndex, '')).trim();
	let id = String(context.getNodeParameter('subscriptionId', itemIndex, '')).trim();
	if (!id) {
		const current = await client.call<{ payload?: IDataObject }>({ operation: OPERATIONS.getSubscription, pathParameters: { notificationType: type }, allowStatuses: [404] }, itemIndex);
		if (current.statusCode === 404) return { notificationType: type, deleted: true, existed: false };
		id = String(current.body.payload?.subscriptionId ?? '');
	}
	const response = await client.call(
		{ operation: OPERATIONS.deleteSubscriptionById, pathParameters: { notificationType: type, subscriptionId: id }, allowStatuses: [404] },
		itemIndex,
	);
	return { notificationType: type, subscriptionId: id, deleted: true, existed: response.statusCode !== 404 };
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Restricted Resources (JSON)',
		name: 'restrictedResources',
		type: 'json',
		default: '[{"method": "GET", "path": "/orders/v0/orders", "dataElements": ["buyerInfo", "shippingAddress"]}]',
		description: 'Up to 50 calls the token covers: method, path (generic or concrete) and, for orders, data elements',
	},
	{ displayName: 'Target Application', name: 'targetApplication', type: 'string', default: '', description: 'Only when delegating to another application' },
	optionsCollection(),
];

const createDescription = updateDisplayOptions({ show: { resource: ['token'], operation: ['createRestrictedDataToken'] } }, properties);

export const createRestrictedDataToken = {
	async execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
		const raw = context.getNodeParameter('restrictedResources', itemIndex, '[]');
		let resources: unknown = raw;
		if (typeof raw === 'string') {
			try {
				resources = JSON.parse(raw);
			} catch (error) {
				resources = new Error((error as Error).message);
			}
		}
		if (!Array.isArray(resources) || !resources.length || resources.length > 50) {
			throw operationError(
				context.getNode(),
				resources instanceof Error ? `Restricted Resources is not valid JSON: ${resources.message}` : 'Restricted Resources must be a JSON array of 1 to 50 resources',
				'Example: [{"method": "GET", "path": "/orders/v0/orders/123-1234567-1234567", "dataElements": ["buyerInfo"]}].',
				itemIndex,
			);
		}
		const targetApplication = String(context.getNodeParameter('targetApplication', itemIndex, '') ?? '').trim();
		const response = await client.call<IDataObject>(
			{ operation: OPERATIONS.createRestrictedDataToken, body: { restrictedResources: resources as IDataObject[], ...(targetApplication ? { targetApplication } : {}) } },
			itemIndex,
		);
		return response.body;
	},
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['token'] } },
		options: [
			{
				name: 'Create Restricted Data Token',
				value: 'createRestrictedDataToken',
				description: 'A token for calls that return personal data',
				action: 'Create a restricted data token',
			},
		],
		default: 'createRestrictedDataToken',
	},
	...createDescription,
];

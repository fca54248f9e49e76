import type { INodeProperties } from 'n8n-workflow';

import * as bulkUpdateQuantities from './bulkUpdateQuantities.operation';
import * as updateQuantity from './updateQuantity.operation';

export { bulkUpdateQuantities, updateQuantity };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['listing'] } },
		options: [
			{
				name: 'Bulk Update Quantities',
				value: 'bulkUpdateQuantities',
				description: 'Set the quantity of every input item in one JSON_LISTINGS_FEED, with a result per item',
				action: 'Bulk update listing quantities',
			},
			{
				name: 'Update Quantity',
				value: 'updateQuantity',
				description: 'Set the merchant-fulfilled quantity of one SKU (Listings Items API)',
				action: 'Update a listing quantity',
			},
		],
		default: 'updateQuantity',
	},
	...updateQuantity.description,
	...bulkUpdateQuantities.description,
];

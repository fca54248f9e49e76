import type { INodeProperties } from 'n8n-workflow';

import * as recordShipment from './recordShipment.operation';

export { recordShipment };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['fulfillment'] } },
		options: [
			{
				name: 'Record Shipment',
				value: 'recordShipment',
				description: 'Write carrier, tracking number and ship date to the shipments of an order',
				action: 'Record a shipment',
			},
		],
		default: 'recordShipment',
	},
	...recordShipment.description,
];

import type { INodeProperties } from 'n8n-workflow';

import * as createDestination from './createDestination.operation';
import * as createSubscription from './createSubscription.operation';
import * as deleteDestination from './deleteDestination.operation';
import * as deleteSubscription from './deleteSubscription.operation';
import * as getDestinations from './getDestinations.operation';
import * as getSubscription from './getSubscription.operation';

export { createDestination, createSubscription, deleteDestination, deleteSubscription, getDestinations, getSubscription };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['notification'] } },
		options: [
			{ name: 'Create Destination', value: 'createDestination', description: 'Register an SQS queue or EventBridge bus (or return the existing one)', action: 'Create a notification destination' },
			{ name: 'Create Subscription', value: 'createSubscription', description: 'Subscribe the seller to a notification type (or return the existing subscription)', action: 'Create a notification subscription' },
			{ name: 'Delete Destination', value: 'deleteDestination', action: 'Delete a notification destination' },
			{ name: 'Delete Subscription', value: 'deleteSubscription', action: 'Delete a notification subscription' },
			{ name: 'Get Many Destinations', value: 'getDestinations', action: 'Get many notification destinations' },
			{ name: 'Get Subscription', value: 'getSubscription', description: "The seller's subscription for a type", action: 'Get a notification subscription' },
		],
		default: 'createSubscription',
	},
	...createDestination.description,
	...getDestinations.description,
	...deleteDestination.description,
	...createSubscription.description,
	...getSubscription.description,
	...deleteSubscription.description,
];

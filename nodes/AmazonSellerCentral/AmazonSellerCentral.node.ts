import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import * as finance from './actions/finance';
import * as inventory from './actions/inventory';
import * as listing from './actions/listing';
import * as notification from './actions/notification';
import * as order from './actions/order';
import * as rawRequest from './actions/rawRequest';
import * as report from './actions/report';
import { router } from './actions/router';
import * as settlement from './actions/settlement';
import * as token from './actions/token';
import { loadOptions } from './methods';

export class AmazonSellerCentral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Amazon Seller Central',
		name: 'amazonSellerCentral',
		icon: { light: 'file:amazonSellerCentral.svg', dark: 'file:amazonSellerCentral.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Orders, finances and more from Amazon Seller Central through the Selling Partner API, within its rate limits',
		defaults: { name: 'Amazon Seller Central' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'amazonSellingPartnerApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Finance', value: 'finance', description: 'Transactions and financial event groups' },
					{ name: 'Inventory', value: 'inventory', description: 'FBA inventory quantities' },
					{ name: 'Listing', value: 'listing', description: 'Merchant-fulfilled quantities, one SKU or many in a feed' },
					{ name: 'Notification', value: 'notification', description: 'Destinations and subscriptions for SP-API notifications' },
					{ name: 'Order', value: 'order', description: 'Orders and their items' },
					{ name: 'Raw Request', value: 'rawRequest', description: "Any SP-API path, on the credential's regional host" },
					{ name: 'Report', value: 'report', description: 'Request reports and download their documents as rows or files' },
					{ name: 'Settlement', value: 'settlement', description: 'Settlement reports: summary, lines, and GL journal lines' },
					{ name: 'Token', value: 'token', description: 'Restricted Data Tokens' },
				],
				default: 'order',
			},
			...listing.description,
			...notification.description,
			...order.description,
			...finance.description,
			...inventory.description,
			...token.description,
			...rawRequest.description,
			...report.description,
			...settlement.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

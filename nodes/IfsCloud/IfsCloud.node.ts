import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import * as customer from './actions/customer';
import * as customerOrder from './actions/customerOrder';
import * as entity from './actions/entity';
import * as fulfillment from './actions/fulfillment';
import * as glJournal from './actions/glJournal';
import * as inventory from './actions/inventory';
import * as payment from './actions/payment';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class IfsCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IFS Cloud',
		name: 'ifsCloud',
		icon: { light: 'file:ifsCloud.svg', dark: 'file:ifsCloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and write any IFS Cloud projection (OData v4): paged reads, ETag-safe updates, actions',
		defaults: { name: 'IFS Cloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ifsCloudOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Customer', value: 'customer', description: 'Customers with company data and addresses' },
					{ name: 'Customer Order', value: 'customerOrder', description: 'Orders with their lines, created once per external reference' },
					{ name: 'Entity', value: 'entity', description: 'Any entity set of any projection' },
					{ name: 'Fulfillment', value: 'fulfillment', description: 'Carrier, tracking and ship date of shipments' },
					{ name: 'GL Journal', value: 'glJournal', description: 'Balanced journals posted once per reference' },
					{ name: 'Inventory', value: 'inventory', description: 'Stock levels per part and site' },
					{ name: 'Payment', value: 'payment', description: 'Payment proposals and customer payments' },
				],
				default: 'entity',
			},
			...customer.description,
			...customerOrder.description,
			...entity.description,
			...fulfillment.description,
			...glJournal.description,
			...inventory.description,
			...payment.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

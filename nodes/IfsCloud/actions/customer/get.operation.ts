import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import type { IfsClient } from '../../transport';
import { type EntityRef, entityOf, equals, findRows, rowPath } from '../business';
import type { OperationDefaults } from '../parameters';
import { optionsCollection } from '../descriptions';
import { customerId, customerNames, customerNamesCollection } from './names';

const properties: INodeProperties[] = [
	customerId,
	{
		displayName: 'Include Addresses',
		name: 'includeAddresses',
		type: 'boolean',
		default: true,
		description: 'Whether to add the customer\'s addresses as an "addresses" array',
	},
	customerNamesCollection,
	optionsCollection([], { deployment: 'main' }),
];

/** IFS exposes CustomerHandling on /main (reference §5). */
export const defaults: OperationDefaults = { deployment: 'main' };

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['get'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = customerNames(context, itemIndex);
	const customers: EntityRef = { projection: names.projection, entitySet: names.customerEntitySet };
	await entityOf(client, customers, itemIndex, 'customers');
	const id = String(context.getNodeParameter('customerId', itemIndex, '')).trim();
	const path = await rowPath(client, customers, { [names.customerIdField]: id }, itemIndex);
	const customer = (await client.request<IDataObject>({ method: 'GET', projection: names.projection, path }, itemIndex)).body;
	if (!context.getNodeParameter('includeAddresses', itemIndex, true)) return customer;
	const addresses: EntityRef = { projection: names.projection, entitySet: names.addressEntitySet };
	const addressType = await entityOf(client, addresses, itemIndex, 'customer addresses');
	return { ...customer, addresses: await findRows(client, addresses, await equals(client, addresses, addressType, names.customerIdField, id, itemIndex), itemIndex) };
}

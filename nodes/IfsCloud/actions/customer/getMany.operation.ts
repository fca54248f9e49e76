import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import type { IfsClient } from '../../transport';
import { type EntityRef, entityOf, findRows } from '../business';
import type { OperationDefaults } from '../parameters';
import { optionsCollection, pageSizeOption, readLimit, returnAllAndLimit } from '../descriptions';
import { customerNames, customerNamesCollection } from './names';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: "Country eq 'SE'",
		description: 'OData $filter on the customers',
	},
	customerNamesCollection,
	optionsCollection([pageSizeOption], { deployment: 'main' }),
];

/** IFS exposes CustomerHandling on /main (reference §5). */
export const defaults: OperationDefaults = { deployment: 'main' };

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['getMany'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject[]> {
	const names = customerNames(context, itemIndex);
	const customers: EntityRef = { projection: names.projection, entitySet: names.customerEntitySet };
	await entityOf(client, customers, itemIndex, 'customers');
	const limit = readLimit(context, itemIndex);
	return await findRows(client, customers, String(context.getNodeParameter('filter', itemIndex, '') ?? '').trim(), itemIndex, { limit });
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import type { IfsClient } from '../../transport';
import { type EntityRef, entityOf, findRows } from '../business';
import { optionsCollection, pageSizeOption, readLimit, returnAllAndLimit } from '../descriptions';
import { linesOf } from './lines';
import { orderNames, orderNamesCollection } from './names';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: "CustomerNo eq '10001' and DateEntered ge 2024-05-01T00:00:00Z",
		description: 'OData $filter on the order header',
	},
	{
		displayName: 'Include Lines',
		name: 'includeLines',
		type: 'boolean',
		default: false,
		description: 'Whether to add each order\'s lines as a "lines" array (read in batches of 25 orders)',
	},
	orderNamesCollection,
	optionsCollection([pageSizeOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['customerOrder'], operation: ['getMany'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject[]> {
	const names = orderNames(context, itemIndex);
	const header: EntityRef = { projection: names.projection, entitySet: names.orderEntitySet };
	await entityOf(client, header, itemIndex, 'order header');
	const limit = readLimit(context, itemIndex);
	const filter = String(context.getNodeParameter('filter', itemIndex, '') ?? '').trim();
	const orders = await findRows(client, header, filter, itemIndex, { limit });
	if (!context.getNodeParameter('includeLines', itemIndex, false) || !orders.length) return orders;
	await entityOf(client, { projection: names.projection, entitySet: names.lineEntitySet }, itemIndex, 'order lines');
	const lines = await linesOf(client, names, orders.map((order) => String(order[names.orderNumberField])), itemIndex);
	return orders.map((order) => ({ ...order, lines: lines.get(String(order[names.orderNumberField])) ?? [] }));
}

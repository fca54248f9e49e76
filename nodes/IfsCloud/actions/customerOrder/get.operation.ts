import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import type { IfsClient } from '../../transport';
import { type EntityRef, entityOf, rowPath } from '../business';
import { optionsCollection } from '../descriptions';
import { linesOf } from './lines';
import { orderNames, orderNamesCollection, orderNumber } from './names';

const properties: INodeProperties[] = [
	orderNumber,
	{
		displayName: 'Include Lines',
		name: 'includeLines',
		type: 'boolean',
		default: true,
		description: 'Whether to add the order lines as a "lines" array',
	},
	orderNamesCollection,
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['customerOrder'], operation: ['get'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = orderNames(context, itemIndex);
	const header: EntityRef = { projection: names.projection, entitySet: names.orderEntitySet };
	await entityOf(client, header, itemIndex, 'order header');
	const orderNo = String(context.getNodeParameter('orderNo', itemIndex, '')).trim();
	const path = await rowPath(client, header, { [names.orderNumberField]: orderNo }, itemIndex);
	const order = (await client.request<IDataObject>({ method: 'GET', projection: names.projection, path }, itemIndex)).body;
	if (!context.getNodeParameter('includeLines', itemIndex, true)) return order;
	await entityOf(client, { projection: names.projection, entitySet: names.lineEntitySet }, itemIndex, 'order lines');
	return { ...order, lines: (await linesOf(client, names, [orderNo], itemIndex)).get(orderNo) ?? [] };
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import { type EntityRef, applyChanges, entityOf, enumMembersOf, recordId, rowPath, typedValues } from '../business';
import { optionsCollection, traceOptions } from '../descriptions';
import { parseJsonObject, readTraceSource } from '../parameters';
import { orderNames, orderNamesCollection, orderNumber } from './names';

const properties: INodeProperties[] = [
	orderNumber,
	{
		displayName: 'Fields (JSON)',
		name: 'fields',
		type: 'json',
		default: '{}',
		description: 'Header fields to set, e.g. {"WantedDeliveryDate": "2024-06-08"}. Only fields whose value differs are sent, with the ETag.',
	},
	orderNamesCollection,
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['customerOrder'], operation: ['update'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = orderNames(context, itemIndex);
	const header: EntityRef = { projection: names.projection, entitySet: names.orderEntitySet };
	const type = await entityOf(client, header, itemIndex, 'order header');
	const orderNo = String(context.getNodeParameter('orderNo', itemIndex, '')).trim();
	const changes = typedValues(
		client,
		type,
		parseJsonObject(context, context.getNodeParameter('fields', itemIndex, '{}'), itemIndex, 'Fields', '{"WantedDeliveryDate": "2024-06-08"}'),
		itemIndex,
		await enumMembersOf(client, names.projection, itemIndex),
	);
	if (!Object.keys(changes).length) {
		throw operationError(context.getNode(), 'Nothing to update: Fields (JSON) is empty', 'Give at least one header field to set.', itemIndex);
	}
	const path = await rowPath(client, header, { [names.orderNumberField]: orderNo }, itemIndex);
	const { row, action } = await applyChanges(client, header, path, type, changes, itemIndex, {
		missing: { message: `Customer order ${orderNo} was not found`, description: 'Check the order number (and the Order Entity Set under IFS Names).' },
	});
	const source = readTraceSource(context, itemIndex);
	return withTrace(row, buildTrace(source, { system: IFS_SYSTEM, id: await recordId(client, header, row, itemIndex) }, action));
}

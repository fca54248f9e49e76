import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS, fillPath } from '../../transport/operations';
import { optionsCollection, restrictedDataToken } from '../shared';
import { orderId, readOrder } from './get.operation';
import { apiVersion, includePersonalData } from './shared';

const properties: INodeProperties[] = [apiVersion, orderId, includePersonalData, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['order'], operation: ['getItems'] } }, properties);

/** The order's items: from the order itself in 2026-01-01, paged getOrderItems in v0. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject[]> {
	if (context.getNodeParameter('apiVersion', itemIndex, '2026-01-01') !== 'v0') {
		const { order, id } = await readOrder(context, client, itemIndex);
		return ((order.orderItems as IDataObject[]) ?? []).map((item) => ({ ...item, orderId: id }));
	}
	const id = String(context.getNodeParameter('orderId', itemIndex, '')).trim();
	const token = context.getNodeParameter('includePersonalData', itemIndex, false)
		? await restrictedDataToken(client, [{ method: 'GET', path: fillPath(OPERATIONS.getOrderItemsV0.path, { orderId: id }), dataElements: ['buyerInfo'] }], itemIndex)
		: undefined;
	return await client.collect<IDataObject>(async (next) => {
		const response = await client.call<{ payload?: { OrderItems?: IDataObject[]; NextToken?: string } }>(
			{ operation: OPERATIONS.getOrderItemsV0, pathParameters: { orderId: id }, query: { NextToken: next }, restrictedDataToken: token },
			itemIndex,
		);
		return { items: (response.body.payload?.OrderItems ?? []).map((item) => ({ ...item, AmazonOrderId: id })), next: response.body.payload?.NextToken };
	});
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { OPERATIONS, fillPath } from '../../transport/operations';
import { optionsCollection, restrictedDataToken } from '../shared';
import { PII_DATA_ELEMENTS, apiVersion, includePersonalData } from './shared';

export const orderId: INodeProperties = {
	displayName: 'Order ID',
	name: 'orderId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 303-1234567-1234567',
	description: 'Amazon order ID',
};

const properties: INodeProperties[] = [apiVersion, orderId, includePersonalData, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['order'], operation: ['get'] } }, properties);

export async function readOrder(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<{ version: string; order: IDataObject; id: string }> {
	const version = context.getNodeParameter('apiVersion', itemIndex, '2026-01-01') as string;
	const id = String(context.getNodeParameter('orderId', itemIndex, '')).trim();
	const personal = context.getNodeParameter('includePersonalData', itemIndex, false) as boolean;
	if (version === 'v0') {
		const token = personal
			? await restrictedDataToken(client, [{ method: 'GET', path: fillPath(OPERATIONS.getOrderV0.path, { orderId: id }), dataElements: PII_DATA_ELEMENTS }], itemIndex)
			: undefined;
		const response = await client.call<{ payload?: IDataObject }>({ operation: OPERATIONS.getOrderV0, pathParameters: { orderId: id }, restrictedDataToken: token }, itemIndex);
		return { version, order: response.body.payload ?? {}, id };
	}
	const response = await client.call<{ order?: IDataObject }>(
		{ operation: OPERATIONS.getOrder, pathParameters: { orderId: id }, query: { includedData: personal ? ['BUYER', 'RECIPIENT'] : undefined } },
		itemIndex,
	);
	return { version, order: response.body.order ?? {}, id };
}

export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	return (await readOrder(context, client, itemIndex)).order;
}

import { type IDataObject, type IExecuteFunctions, type IHttpRequestMethods, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { type SpApiClient } from '../../transport';
import { UNKNOWN_OPERATION_LIMIT, operationFor } from '../../transport/operations';
import { optionsCollection } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		default: 'GET',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		required: true,
		placeholder: '/orders/2026-01-01/orders/303-1234567-1234567?includedData=PACKAGES',
		description: "Path and query of any SP-API operation; it is always sent to the credential's regional host",
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '',
		displayOptions: { show: { method: ['POST', 'PUT', 'PATCH'] } },
	},
	optionsCollection(),
];

const requestDescription = updateDisplayOptions({ show: { resource: ['rawRequest'], operation: ['request'] } }, properties);

export const request = {
	/** Outputs `{ statusCode, body }`; rate limits follow the operation the path belongs to. */
	async execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
		const method = context.getNodeParameter('method', itemIndex, 'GET') as IHttpRequestMethods;
		const path = String(context.getNodeParameter('path', itemIndex, '')).trim();
		const rawBody = method === 'GET' || method === 'DELETE' ? '' : context.getNodeParameter('body', itemIndex, '');
		let body: IDataObject | undefined;
		if (rawBody !== '' && rawBody !== undefined) {
			let parsed: unknown = rawBody;
			if (typeof rawBody === 'string') {
				try {
					parsed = JSON.parse(rawBody);
				} catch (error) {
					parsed = new Error((error as Error).message);
				}
			}
			if (!parsed || typeof parsed !== 'object' || parsed instanceof Error) {
				throw operationError(context.getNode(), `Body is not a JSON object${parsed instanceof Error ? `: ${parsed.message}` : ''}`, 'Give the request body as JSON.', itemIndex);
			}
			body = parsed as IDataObject;
		}
		const known = operationFor(method, path);
		const operation = known ?? { id: `raw ${method} ${path.split('?')[0]}`, method, path, ...UNKNOWN_OPERATION_LIMIT };
		const response = await client.raw<IDataObject>(operation, path, body, itemIndex);
		return { statusCode: response.statusCode, body: response.body };
	},
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['rawRequest'] } },
		options: [{ name: 'Send', value: 'request', description: "Call any SP-API path on the credential's regional host", action: 'Send a raw request' }],
		default: 'request',
	},
	...requestDescription,
];

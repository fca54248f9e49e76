import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { optionsCollection } from '../shared';
import { getReport } from './lifecycle';

export const reportIdParameter: INodeProperties = {
	displayName: 'Report ID',
	name: 'reportId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 50038018963',
};

const properties: INodeProperties[] = [reportIdParameter, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['report'], operation: ['get'] } }, properties);

/** A report's status and, once DONE, its reportDocumentId. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	return await getReport(client, String(context.getNodeParameter('reportId', itemIndex, '') ?? '').trim(), itemIndex);
}

import { type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import type { ItemResult } from '../../../common/items';
import { type SpApiClient } from '../../transport';
import { ReportDocumentDownloader, withoutUrl } from '../../transport/download';
import { optionsCollection } from '../shared';
import { type DocumentOutput, documentItems, documentOptionFields, outputParameter } from './document';

const properties: INodeProperties[] = [
	{
		displayName: 'Report Document ID',
		name: 'reportDocumentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. amzn1.spdoc.1.4.eu.0a1b2c3d…',
		description: 'The reportDocumentId of a DONE report (Get or Get Many shows it)',
	},
	optionsCollection(documentOptionFields),
];

export const description: INodeProperties[] = [
	...updateDisplayOptions({ show: { resource: ['report'], operation: ['getDocument'] } }, properties.slice(0, 1)),
	outputParameter(['getDocument'], true),
	...updateDisplayOptions({ show: { resource: ['report'], operation: ['getDocument'] } }, properties.slice(1)),
];

/** A report document: its metadata, or its content as rows or as a file. */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<ItemResult> {
	const reportDocumentId = String(context.getNodeParameter('reportDocumentId', itemIndex, '') ?? '').trim();
	if (!reportDocumentId) throw operationError(client.node, 'No report document ID given', 'Give the reportDocumentId of a DONE report (Get shows it).', itemIndex);
	const output = context.getNodeParameter('output', itemIndex, 'rows') as DocumentOutput | 'metadata';
	if (output === 'metadata') {
		// The pre-signed URL is left out: it is a five-minute credential, and the node downloads it itself.
		return { ...withoutUrl(await new ReportDocumentDownloader(context, client, itemIndex).fetchDocument(reportDocumentId)) };
	}
	return await documentItems(context, client, itemIndex, { reportDocumentId }, output);
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { apiError, operationError } from '../../../common/errors';
import { type SpApiClient } from '../../transport';
import { spApiErrors } from '../../transport/errors';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';
import { reportIdParameter } from './get.operation';

const properties: INodeProperties[] = [reportIdParameter, optionsCollection()];

export const description = updateDisplayOptions({ show: { resource: ['report'], operation: ['cancel'] } }, properties);

/** Cancels a report that has not started processing (Amazon refuses others). */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const reportId = String(context.getNodeParameter('reportId', itemIndex, '') ?? '').trim();
	if (!reportId) throw operationError(client.node, 'No report ID given', 'Give the reportId of the report to cancel.', itemIndex);
	const response = await client.call({ operation: OPERATIONS.cancelReport, pathParameters: { reportId }, allowStatuses: [400] }, itemIndex);
	if (response.statusCode === 400) {
		const said = spApiErrors(response.body)
			.map((error) => error.message ?? error.code)
			.filter(Boolean)
			.join('; ');
		throw apiError(
			client.node,
			{
				message: `Amazon refused to cancel report ${reportId}${said ? `: ${said}` : ''}`,
				description: 'Only reports that are still IN_QUEUE can be cancelled; check the status with "Get".',
				httpCode: 400,
				details: { reportId },
			},
			itemIndex,
			client.redactor,
		);
	}
	return { reportId, cancelled: true };
}

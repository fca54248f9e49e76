import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import type { ItemResult } from '../../../common/items';
import { type SpApiClient } from '../../transport';
import { optionsCollection } from '../shared';
import { type DocumentOutput, documentItems, documentOptionFields, outputParameter, readDocumentOptions } from './document';
import { cancelledItem, fatalReportError, notReadyItem, waitForReport } from './lifecycle';
import { createReport, readReportSpecification, readReportType, reportSpecParameter, reportTypeParameters } from './shared';

const OPERATION = 'requestAndDownload';

const resume: INodeProperties = {
	displayName: 'Resume Report ID',
	name: 'resumeReportId',
	type: 'string',
	default: '',
	placeholder: 'e.g. {{ $json.resumeReportId }}',
	description:
		'Empty: request a new report. A reportId: wait for that report and download it instead, e.g. the resumeReportId of the item this node returned when the report was not done in time; a retried execution then requests nothing twice.',
};

const waitOptions: INodeProperties[] = [
	{
		displayName: 'Max Wait (Seconds)',
		name: 'waitSeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 600,
		description:
			'How long to wait for Amazon to finish the report (within the time budget). When it is not done by then the node returns the report ID to resume with instead of failing. 0 checks once.',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0.1, numberPrecision: 1 },
		default: 5,
		description: 'First pause between status checks; later pauses grow up to a minute',
	},
];

export const description: INodeProperties[] = [
	...reportTypeParameters([OPERATION]),
	outputParameter([OPERATION]),
	...updateDisplayOptions({ show: { resource: ['report'], operation: [OPERATION] } }, [resume]),
	reportSpecParameter([OPERATION]),
	...updateDisplayOptions({ show: { resource: ['report'], operation: [OPERATION] } }, [optionsCollection([...documentOptionFields, ...waitOptions])]),
];

/**
 * createReport → wait for DONE → download, in one step. When the wait ends first the item says
 * so and carries the report ID; running again with it resumes that report.
 */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<ItemResult> {
	const reportType = readReportType(context, itemIndex);
	const output = context.getNodeParameter('output', itemIndex, 'rows') as DocumentOutput;
	const documentOptions = readDocumentOptions(context, itemIndex);
	const waitMs = Math.max(0, Number(context.getNodeParameter('options.waitSeconds', itemIndex, 600)) || 0) * 1000;
	const pollIntervalMs = Math.max(0.1, Number(context.getNodeParameter('options.pollIntervalSeconds', itemIndex, 5)) || 5) * 1000;
	const resumeReportId = String(context.getNodeParameter('resumeReportId', itemIndex, '') ?? '').trim();

	const started = Date.now();
	const reportId = resumeReportId || (await createReport(client, readReportSpecification(context, client, reportType, itemIndex), itemIndex));
	const report: IDataObject = await waitForReport(context, client, reportId, itemIndex, { waitMs, pollIntervalMs });
	if (resumeReportId && report.reportType !== undefined && report.reportType !== reportType) {
		throw operationError(
			context.getNode(),
			`Report ${reportId} is a ${String(report.reportType)} report, not ${reportType}`,
			'Resume Report ID must name a report of the chosen report type; clear it to request a new report.',
			itemIndex,
		);
	}
	switch (report.processingStatus) {
		case 'DONE': {
			const reportDocumentId = String(report.reportDocumentId ?? '');
			if (!reportDocumentId) throw operationError(context.getNode(), `Report ${reportId} is DONE but has no document`, 'Run again later; if it persists, request the report again.', itemIndex);
			return await documentItems(context, client, itemIndex, { reportDocumentId, reportId, reportType }, output, documentOptions);
		}
		case 'FATAL':
			throw await fatalReportError(context, client, report, itemIndex);
		case 'CANCELLED':
			return cancelledItem(report);
		default:
			return notReadyItem({ reportId, reportType, ...report }, Date.now() - started);
	}
}

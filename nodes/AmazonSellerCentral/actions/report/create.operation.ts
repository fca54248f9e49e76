import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { type SpApiClient } from '../../transport';
import { optionsCollection } from '../shared';
import { createReport, readReportSpecification, readReportType, reportSpecParameter, reportTypeParameters } from './shared';

const properties: INodeProperties[] = [optionsCollection()];

export const description: INodeProperties[] = [
	...reportTypeParameters(['create']),
	reportSpecParameter(['create']),
	...updateDisplayOptions({ show: { resource: ['report'], operation: ['create'] } }, properties),
];

/** Requests a report; Amazon generates it asynchronously (Get, or Request and Download, picks it up). */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const specification = readReportSpecification(context, client, readReportType(context, itemIndex), itemIndex);
	const reportId = await createReport(client, specification, itemIndex);
	return { reportId, ...specification };
}

/**
 * A report's life after createReport: IN_QUEUE → IN_PROGRESS → DONE | FATAL | CANCELLED. Waiting
 * polls getReport with growing pauses, within the operation's wait and the run's time budget
 * (keeping a reserve for the download); FATAL reports are failed with Amazon's error document.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { apiError, operationError } from '../../../common/errors';
import type { SpApiClient } from '../../transport';
import { ReportDocumentDownloader } from '../../transport/download';
import { OPERATIONS } from '../../transport/operations';
import { type WaitOptions, waitForProcessing } from '../../transport/processing';
import { documentLines } from './document';

export async function getReport(client: SpApiClient, reportId: string, itemIndex: number): Promise<IDataObject> {
	if (!reportId) throw operationError(client.node, 'No report ID given', 'Give the reportId of a report (from Create, Get Many or an earlier run).', itemIndex);
	const response = await client.call<IDataObject>({ operation: OPERATIONS.getReport, pathParameters: { reportId } }, itemIndex);
	return response.body ?? {};
}

/** Polls until the report reaches a terminal status or the wait ends; returns the last answer. */
export async function waitForReport(context: IExecuteFunctions, client: SpApiClient, reportId: string, itemIndex: number, options: WaitOptions): Promise<IDataObject> {
	return await waitForProcessing(context, client, async () => await getReport(client, reportId, itemIndex), itemIndex, options);
}

/** The report fields worth echoing on status items. */
export function reportEcho(report: IDataObject): IDataObject {
	const echo: IDataObject = {};
	for (const key of ['reportId', 'reportType', 'processingStatus', 'marketplaceIds', 'dataStartTime', 'dataEndTime', 'createdTime', 'processingStartTime', 'processingEndTime', 'reportDocumentId']) {
		if (report[key] !== undefined) echo[key] = report[key];
	}
	return echo;
}

/** Amazon cancels a report itself when there is no data for it: that is an answer, not a failure. */
export function cancelledItem(report: IDataObject): IDataObject {
	return {
		...reportEcho(report),
		done: true,
		noData: true,
		message: `Amazon cancelled report ${String(report.reportId)}: usually there was no data for the requested window and marketplaces (or the report was cancelled before it started).`,
	};
}

/** The wait ended first: everything needed to pick the same report up in a later run. */
export function notReadyItem(report: IDataObject, waitedMs: number): IDataObject {
	const id = String(report.reportId ?? '');
	return {
		...reportEcho(report),
		done: false,
		resumeReportId: id,
		message: `Report ${id} is ${String(report.processingStatus ?? 'not done')} after waiting ${Math.round(waitedMs / 1000)} s. Run this node again with "Resume Report ID" set to ${id} (e.g. {{ $json.resumeReportId }}) to download it without requesting another report.`,
	};
}

/** Reads the first `limit` characters of a document (the error document of a FATAL report). */
async function readDocumentText(context: IExecuteFunctions, client: SpApiClient, reportDocumentId: string, itemIndex: number, limit = 64 * 1024): Promise<string> {
	return await new ReportDocumentDownloader(context, client, itemIndex).download(reportDocumentId, async (body) => {
		const parts: string[] = [];
		let length = 0;
		const lines = documentLines(body);
		for await (const line of lines) {
			parts.push(line.text);
			length += line.text.length + 1;
			if (length >= limit) break;
		}
		return parts.join('\n').slice(0, limit);
	});
}

/** Amazon's words from an error document: `errorDetails` of the JSON, else the text itself. */
export function errorDocumentMessage(text: string): string {
	try {
		const parsed = JSON.parse(text) as unknown;
		const details = (parsed as { errorDetails?: unknown })?.errorDetails;
		if (typeof details === 'string' && details.trim()) return details.trim();
	} catch {
		// Not JSON: the text is the message.
	}
	return text.trim().slice(0, 2000);
}

/** A FATAL report fails the item with the content of its error document. */
export async function fatalReportError(context: IExecuteFunctions, client: SpApiClient, report: IDataObject, itemIndex: number): Promise<Error> {
	const reportId = String(report.reportId ?? '');
	const reportType = String(report.reportType ?? '');
	let said = '';
	let unreadable = '';
	if (typeof report.reportDocumentId === 'string' && report.reportDocumentId) {
		try {
			said = errorDocumentMessage(await readDocumentText(context, client, report.reportDocumentId, itemIndex));
		} catch (error) {
			unreadable = ` (its error document ${report.reportDocumentId} could not be read: ${(error as Error).message})`;
		}
	}
	return apiError(
		client.node,
		{
			message: `Amazon could not generate report ${reportId} (${reportType})${said ? `: ${said}` : unreadable || ' and gave no error document'}`,
			description:
				'The report ended FATAL. Check the report type, the marketplaces, the data window (Amazon limits it per report type) and the report options, and that the app has the role this report needs; then request it again.',
			details: { ...reportEcho(report), ...(said ? { errorDocument: said } : {}) },
		},
		itemIndex,
		client.redactor,
	);
}

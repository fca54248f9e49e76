/**
 * Parameters shared by the report operations: the report type (common ones listed, any other
 * entered by hand), the report specification for createReport, and its checks.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DateInputError, toUtcTimestamp } from '../../../common/dates';
import { operationError } from '../../../common/errors';
import { COMMON_REPORT_TYPES, CUSTOM_REPORT_TYPE, REPORT_TYPE_PATTERN, isSettlementReportType } from '../../reports/reportTypes';
import type { SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { list } from '../shared';

const REPORT_TYPE_OPTIONS = [...COMMON_REPORT_TYPES, { name: 'Other (Enter Below)', value: CUSTOM_REPORT_TYPE }];

export function reportTypeParameters(operations: string[]): INodeProperties[] {
	const show = { resource: ['report'], operation: operations };
	return [
		{
			displayName: 'Report Type',
			name: 'reportType',
			type: 'options',
			default: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
			required: true,
			displayOptions: { show },
			options: REPORT_TYPE_OPTIONS,
			description: "Amazon's reportType. Settlement reports cannot be requested: use the Settlement resource.",
		},
		{
			displayName: 'Other Report Type',
			name: 'customReportType',
			type: 'string',
			default: '',
			placeholder: 'e.g. GET_FBA_INVENTORY_PLANNING_DATA',
			displayOptions: { show: { ...show, reportType: [CUSTOM_REPORT_TYPE] } },
			description: 'Any reportType value from Amazon\'s "Report Type Values" list',
		},
	];
}

export function reportSpecParameter(operations: string[]): INodeProperties {
	return {
		displayName: 'Report Parameters',
		name: 'reportSpec',
		type: 'collection',
		placeholder: 'Add Parameter',
		default: {},
		displayOptions: { show: { resource: ['report'], operation: operations } },
		options: [
			{
				displayName: 'Data End Time',
				name: 'dataEndTime',
				type: 'dateTime',
				default: '',
				description: 'End of the data window (not every report type uses it); default now',
			},
			{
				displayName: 'Data Start Time',
				name: 'dataStartTime',
				type: 'dateTime',
				default: '',
				description: 'Start of the data window (not every report type uses it); default now',
			},
			{
				displayName: 'Marketplace IDs',
				name: 'marketplaceIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. A1PA6795UKMFR9,A1F83G8C2ARO7P',
				description: "Comma-separated; empty uses the credential's marketplaces",
			},
			{
				displayName: 'Report Options',
				name: 'reportOptions',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				placeholder: 'Add Report Option',
				description: 'Options some report types accept, e.g. ShowSalesChannel = true',
				options: [
					{
						displayName: 'Option',
						name: 'option',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
		],
	};
}

/** The chosen report type, checked: a `GET_…` value that createReport can accept. */
export function readReportType(context: IExecuteFunctions, itemIndex: number): string {
	const chosen = String(context.getNodeParameter('reportType', itemIndex, '') ?? '').trim();
	const reportType = (chosen === CUSTOM_REPORT_TYPE ? String(context.getNodeParameter('customReportType', itemIndex, '') ?? '') : chosen).trim().toUpperCase();
	if (!REPORT_TYPE_PATTERN.test(reportType)) {
		throw operationError(
			context.getNode(),
			`"${reportType}" is not a report type`,
			'Report types look like GET_MERCHANT_LISTINGS_ALL_DATA; see Amazon\'s "Report Type Values" page.',
			itemIndex,
		);
	}
	if (isSettlementReportType(reportType)) {
		throw operationError(
			context.getNode(),
			`Settlement reports (${reportType}) cannot be requested: Amazon generates them for every settlement period`,
			'Use the Settlement resource: "Get Many" lists the settlement reports Amazon has generated, "Get" reads one.',
			itemIndex,
		);
	}
	return reportType;
}

/** An optional date parameter as Amazon wants it: UTC with Z, no milliseconds. */
export function readTimestamp(context: IExecuteFunctions, value: unknown, name: string, itemIndex: number): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	try {
		return toUtcTimestamp(value);
	} catch (error) {
		throw operationError(context.getNode(), `${name}: ${(error as DateInputError).message}`, 'Use an ISO 8601 date/time, e.g. 2024-05-01T00:00:00Z.', itemIndex);
	}
}

/** The CreateReportSpecification body. */
export function readReportSpecification(context: IExecuteFunctions, client: SpApiClient, reportType: string, itemIndex: number): IDataObject {
	const spec = context.getNodeParameter('reportSpec', itemIndex, {}) as IDataObject;
	const marketplaceIds = list(spec.marketplaceIds) ?? client.marketplaceIds;
	const dataStartTime = readTimestamp(context, spec.dataStartTime, 'Data Start Time', itemIndex);
	const dataEndTime = readTimestamp(context, spec.dataEndTime, 'Data End Time', itemIndex);
	if (dataStartTime && dataEndTime && dataStartTime > dataEndTime) {
		throw operationError(context.getNode(), `Data Start Time ${dataStartTime} is after Data End Time ${dataEndTime}`, 'Swap the two dates.', itemIndex);
	}
	const options: IDataObject = {};
	const entries = ((spec.reportOptions as IDataObject | undefined)?.option as IDataObject[] | undefined) ?? [];
	for (const entry of entries) {
		const name = String(entry.name ?? '').trim();
		if (name) options[name] = String(entry.value ?? '');
	}
	return {
		reportType,
		marketplaceIds,
		...(dataStartTime ? { dataStartTime } : {}),
		...(dataEndTime ? { dataEndTime } : {}),
		...(Object.keys(options).length ? { reportOptions: options } : {}),
	};
}

export async function createReport(client: SpApiClient, specification: IDataObject, itemIndex: number): Promise<string> {
	const response = await client.call<IDataObject>({ operation: OPERATIONS.createReport, body: specification }, itemIndex);
	const reportId = response.body?.reportId;
	if (typeof reportId !== 'string' || !reportId) {
		throw operationError(client.node, 'Amazon accepted the report request but returned no reportId', 'Look for the report with Get Many (created in the last minutes) before requesting it again.', itemIndex);
	}
	return reportId;
}

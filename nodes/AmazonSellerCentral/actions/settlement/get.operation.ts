import { createHash } from 'node:crypto';

import { type IDataObject, type IExecuteFunctions, type INodeProperties, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { Decimal } from '../../../common/decimal';
import { operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { SETTLEMENT_REPORT_TYPE, isSettlementReportType } from '../../reports/reportTypes';
import {
	type ReadSettlementOptions,
	type ReadSettlementResult,
	type SettlementComponent,
	type SettlementGroup,
	type SettlementJournal,
	type SettlementJournalResult,
	SettlementError,
	SettlementParser,
	buildSettlementJournals,
	charsetFromContentType,
	decodeLines,
	formatAmount,
	readSettlement,
	summariseSettlement,
} from '../../settlement';
import { AMAZON_SYSTEM, type SpApiClient } from '../../transport';
import { ReportDocumentDownloader } from '../../transport/download';
import { getReport } from '../report/lifecycle';
import { optionsCollection } from '../shared';
import { journalParameters, parseOptionFields, readJournalOptions, readMappingRules } from './shared';

type OutputMode = 'summary' | 'lines' | 'journalLines' | 'journals';

const show = { resource: ['settlement'], operation: ['get'] };

const properties: INodeProperties[] = [
	{
		displayName: 'Settlement Report',
		name: 'source',
		type: 'options',
		default: 'reportId',
		options: [
			{ name: 'By Report ID', value: 'reportId', description: 'The reportId from Get Many' },
			{ name: 'By Report Document ID', value: 'reportDocumentId', description: 'The reportDocumentId from Get Many' },
		],
	},
	{
		displayName: 'Report ID',
		name: 'reportId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.reportId }}',
		displayOptions: { show: { source: ['reportId'] } },
	},
	{
		displayName: 'Report Document ID',
		name: 'reportDocumentId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.reportDocumentId }}',
		displayOptions: { show: { source: ['reportDocumentId'] } },
	},
	{
		displayName: 'Output',
		name: 'outputMode',
		type: 'options',
		default: 'summary',
		options: [
			{ name: 'Journal Lines', value: 'journalLines', description: 'One item per GL journal line, mapped through the account mapping' },
			{ name: 'Journals', value: 'journals', description: 'One item per GL journal with its lines (one journal, or one per month when split)' },
			{ name: 'Settlement Lines', value: 'lines', description: 'One item per amount component of the flat file' },
			{ name: 'Summary', value: 'summary', description: 'One item: settlement ID, period, deposit, totals per category, reconciliation' },
		],
	},
];

export const description: INodeProperties[] = [
	...updateDisplayOptions({ show }, properties),
	...journalParameters(show),
	...updateDisplayOptions({ show }, [optionsCollection(parseOptionFields)]),
];

interface Source {
	reportId: string | null;
	reportDocumentId: string;
}

function settlementError(context: IExecuteFunctions, error: unknown, source: Source, itemIndex: number): Error {
	if (!(error instanceof SettlementError)) return error as Error;
	const failure = operationError(
		context.getNode(),
		`Settlement report ${source.reportId ?? source.reportDocumentId}: ${error.message}`,
		error.hint ?? (error.line !== undefined ? `Check line ${error.line} of the downloaded document; the file is not a valid V2 settlement flat file there.` : 'Check the settlement document and the parse options (decimal separator, date order, charset).'),
		itemIndex,
	);
	failure.context.details = { ...error.context, code: error.code, reportId: source.reportId, reportDocumentId: source.reportDocumentId };
	return failure;
}

async function resolveSource(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<Source> {
	if (context.getNodeParameter('source', itemIndex, 'reportId') === 'reportDocumentId') {
		const reportDocumentId = String(context.getNodeParameter('reportDocumentId', itemIndex, '') ?? '').trim();
		if (!reportDocumentId) throw operationError(context.getNode(), 'No report document ID given', 'Give the reportDocumentId of a settlement report (Get Many shows it).', itemIndex);
		return { reportId: null, reportDocumentId };
	}
	const reportId = String(context.getNodeParameter('reportId', itemIndex, '') ?? '').trim();
	const report = await getReport(client, reportId, itemIndex);
	const reportType = String(report.reportType ?? '');
	if (reportType && reportType !== SETTLEMENT_REPORT_TYPE) {
		throw operationError(
			context.getNode(),
			`Report ${reportId} is a ${reportType} report, not a ${SETTLEMENT_REPORT_TYPE} settlement`,
			isSettlementReportType(reportType)
				? 'Only the V2 flat file settlement is read; Amazon generates it for the same settlements (Get Many lists them).'
				: 'Choose a settlement report from Settlement → Get Many; other reports are read with Report → Get Document.',
			itemIndex,
		);
	}
	if (report.processingStatus !== 'DONE' || typeof report.reportDocumentId !== 'string' || !report.reportDocumentId) {
		throw operationError(context.getNode(), `Settlement report ${reportId} has no document (status ${String(report.processingStatus)})`, 'Only DONE settlement reports can be read; Get Many lists those.', itemIndex);
	}
	return { reportId, reportDocumentId: report.reportDocumentId };
}

function readOptions(context: IExecuteFunctions, itemIndex: number): ReadSettlementOptions & { maxLines: number } {
	const option = <T>(name: string, fallback: T): T => context.getNodeParameter(`options.${name}`, itemIndex, fallback) as T;
	const charset = String(option('charset', '') ?? '').trim();
	return {
		decimalSeparator: option('decimalSeparator', 'auto'),
		slashDateOrder: option('slashDateOrder', 'auto'),
		timeZone: String(option('timeZone', 'UTC') || 'UTC').trim(),
		...(charset ? { charset } : {}),
		maxLines: Math.max(0, Number(option('maxLines', 100000)) || 0),
	};
}

function lineItem(record: SettlementComponent, source: Source): IDataObject {
	const fields: IDataObject = { ...record, amount: formatAmount(record.amount, record.currency), reportId: source.reportId, reportDocumentId: source.reportDocumentId };
	delete fields.kind;
	return fields;
}

/**
 * Downloads and reads the settlement in one pass; `onComponent` sees every component (lines
 * output). Nothing is kept per line otherwise, so the file size does not drive memory.
 */
async function readDocument(
	context: IExecuteFunctions,
	client: SpApiClient,
	source: Source,
	options: ReadSettlementOptions,
	itemIndex: number,
	lines?: { items: IDataObject[]; max: number },
): Promise<ReadSettlementResult> {
	const downloader = new ReportDocumentDownloader(context, client, itemIndex);
	return await downloader.download(source.reportDocumentId, async (body) => {
		const readOptions: ReadSettlementOptions = { gzip: 'auto', ...options, charset: options.charset ?? charsetFromContentType(body.contentType) };
		if (!lines) return await readSettlement(body.stream, readOptions);
		lines.items.length = 0;
		const parser = new SettlementParser(readOptions);
		const records = parser.records(decodeLines(body.stream, readOptions));
		async function* collect() {
			for await (const record of records) {
				if (record.kind === 'component') {
					if (lines && lines.max && lines.items.length >= lines.max) {
						throw new SettlementError('ROW', `The settlement has more than ${lines.max} lines`, {
							line: record.line,
							hint: 'Use the Summary or a Journal output for large settlements, or raise "Max Lines" if memory allows.',
						});
					}
					lines?.items.push(lineItem(record, source));
				}
				yield record;
			}
		}
		const summary = await summariseSettlement(collect(), readOptions);
		return { ...summary, format: parser.format };
	});
}

function summaryItem(summary: ReadSettlementResult, source: Source): IDataObject {
	const { format, groups, ...totals } = summary;
	return {
		...totals,
		reportId: source.reportId,
		reportDocumentId: source.reportDocumentId,
		// Reaching here means every component added up to total-amount to the last digit.
		reconciled: true,
		decimalSeparator: format.decimalSeparator?.value ?? null,
		dateOrder: format.slashDateOrder?.value ?? null,
		unknownColumns: format.unknownColumns,
		categories: groups.map(({ months, ...group }) => ({ ...group, months: months as unknown as IDataObject[] })) as unknown as IDataObject[],
	};
}

function fill(template: string, values: Record<string, string>): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function lineKey(settlementId: string, period: string, line: { account: string; costCenter?: string; text: string }): string {
	// Lines are netted by account + cost center + text, so the three identify a line within its journal.
	const digest = createHash('sha256').update(`${line.account}\u0000${line.costCenter ?? ''}\u0000${line.text}`).digest('hex').slice(0, 16);
	return `${settlementId}:${period}:${digest}`;
}

function journalOutput(result: SettlementJournalResult, journals: SettlementJournal[], source: Source, referenceTemplate: string, mode: 'journalLines' | 'journals'): IDataObject[] {
	const trace = buildTrace(
		{ system: AMAZON_SYSTEM, id: `settlement ${result.settlementId}${source.reportId ? ` (report ${source.reportId})` : ` (document ${source.reportDocumentId})`}` },
		{ system: 'General ledger', id: null },
		'read',
	);
	return journals.flatMap((journal): IDataObject[] => {
		const header = {
			settlementId: result.settlementId,
			reportId: source.reportId,
			reportDocumentId: source.reportDocumentId,
			journalKey: journal.key,
			reference: fill(referenceTemplate, { key: journal.key, settlementId: result.settlementId, period: journal.period }),
			kind: journal.kind,
			period: journal.period,
			date: journal.date,
			currency: journal.currency,
		};
		const lines = journal.lines.map((line, index) => ({
			lineNumber: index + 1,
			account: line.account,
			...(line.costCenter !== undefined ? { costCenter: line.costCenter } : {}),
			text: line.text,
			debit: line.debit,
			credit: line.credit,
			currency: line.currency,
			dedupKey: lineKey(result.settlementId, journal.period, line),
		}));
		if (mode === 'journals') return [withTrace({ ...header, totalDebit: journal.totalDebit, totalCredit: journal.totalCredit, lineCount: lines.length, lines }, trace)];
		return lines.map((line) => withTrace({ ...header, ...line }, trace));
	});
}

function describeGroup(group: SettlementGroup): string {
	return `${group.transactionType || '(empty)'} / ${group.amountType || '(empty)'} / ${group.amountDescription || '(empty)'}`;
}

const HOW_TO_MAP = (group: SettlementGroup) =>
	`Add a mapping rule for transaction type "${group.transactionType}", amount type "${group.amountType}", amount description "${group.amountDescription}" (or a broader rule with empty or * fields), or set a Suspense Account in the journal options.`;

/** Unmapped categories with a non-zero amount: error items with their context, one per category. */
function unmappedItems(result: SettlementJournalResult, source: Source, itemIndex: number): IDataObject[] {
	return blockingGroups(result).map((group) => ({
		error: `Settlement ${result.settlementId}: no account mapping for ${describeGroup(group)} (${group.amount} ${group.currency}, ${group.count} line${group.count === 1 ? '' : 's'})`,
		details: {
			itemIndex,
			description: HOW_TO_MAP(group),
			context: {
				settlementId: result.settlementId,
				reportId: source.reportId,
				reportDocumentId: source.reportDocumentId,
				transactionType: group.transactionType,
				amountType: group.amountType,
				amountDescription: group.amountDescription,
				currency: group.currency,
				amount: group.amount,
				lineCount: group.count,
				firstLine: group.firstLine,
				exampleOrderIds: group.exampleOrderIds,
				months: group.months as unknown as IDataObject[],
			},
		},
	}));
}

function blockingGroups(result: SettlementJournalResult): SettlementGroup[] {
	// A category that nets to zero in every month changes no journal: listed in the engine's result, not blocking.
	return result.unmapped.filter((group) => group.months.some((month) => !Decimal.from(month.amount).isZero()));
}

function unmappedError(context: IExecuteFunctions, result: SettlementJournalResult, source: Source, itemIndex: number): NodeOperationError {
	const groups = blockingGroups(result);
	const listed = groups.map((group) => `${describeGroup(group)} (${group.amount} ${group.currency}, ${group.count} line${group.count === 1 ? '' : 's'}, first on line ${group.firstLine})`);
	const error = operationError(
		context.getNode(),
		`Settlement ${result.settlementId}: ${groups.length} categor${groups.length === 1 ? 'y has' : 'ies have'} no account mapping: ${listed.join('; ')}`,
		`${groups.length === 1 ? HOW_TO_MAP(groups[0]) : 'Add a mapping rule for each listed transaction type / amount type / amount description (or broader rules with empty or * fields), or set a Suspense Account in the journal options.'} No journal was output. With On Error = "Continue (using error output)", each category goes to the error output instead.`,
		itemIndex,
	);
	error.context.details = { settlementId: result.settlementId, reportId: source.reportId, unmapped: unmappedItems(result, source, itemIndex).map((item) => (item.details as IDataObject).context as IDataObject) };
	return error;
}

export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject | IDataObject[]> {
	const mode = context.getNodeParameter('outputMode', itemIndex, 'summary') as OutputMode;
	const { maxLines, ...options } = readOptions(context, itemIndex);
	// Mapping and journal options are read (and fail) before anything is downloaded.
	const journal = mode === 'journalLines' || mode === 'journals' ? { rules: readMappingRules(context, itemIndex), ...readJournalOptions(context, itemIndex) } : undefined;
	const source = await resolveSource(context, client, itemIndex);
	const lines = mode === 'lines' ? { items: [] as IDataObject[], max: maxLines } : undefined;

	let summary: ReadSettlementResult;
	try {
		summary = await readDocument(context, client, source, options, itemIndex, lines);
	} catch (error) {
		throw settlementError(context, error, source, itemIndex);
	}
	if (mode === 'summary') return summaryItem(summary, source);
	if (lines) return lines.items;
	if (!journal) return [];

	let result: SettlementJournalResult;
	try {
		const dated = journal.journalDate === 'end' ? { ...summary, depositDate: null } : summary;
		result = buildSettlementJournals(dated, journal.rules, journal.journal);
	} catch (error) {
		throw settlementError(context, error, source, itemIndex);
	}
	if (result.status === 'unmapped') {
		// Nothing partial: a journal without its unmapped categories would not balance.
		if (context.continueOnFail()) return unmappedItems(result, source, itemIndex);
		throw unmappedError(context, result, source, itemIndex);
	}
	return journalOutput(result, result.journals, source, journal.referenceTemplate, mode as 'journalLines' | 'journals');
}

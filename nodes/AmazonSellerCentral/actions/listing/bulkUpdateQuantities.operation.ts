import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError, toNodeError } from '../../../common/errors';
import { type ItemResult } from '../../../common/items';
import { inGroupsOf } from '../../../common/paging';
import { buildTrace, readTraceSource, traceOptions, withTrace } from '../../../common/trace';
import { AMAZON_SYSTEM, type SpApiClient } from '../../transport';
import { ReportDocumentDownloader } from '../../transport/download';
import { OPERATIONS } from '../../transport/operations';
import { waitForProcessing } from '../../transport/processing';
import { UploadExpiredError, uploadDocument } from '../../transport/upload';
import { readInventorySummaries } from '../inventory/summaries';
import { documentLines } from '../report/document';
import { optionsCollection } from '../shared';
import { marketplaceParameter, marketplacesOf, quantityOf, quantityOptions, quantityPatch, sellerIdOf, sellerIdParameter } from './shared';

/** Messages per feed; larger batches are split into several feeds (inferred from Amazon's feed guidance). */
const MESSAGES_PER_FEED = 10_000;
const FEED_CONTENT_TYPE = 'application/json; charset=UTF-8';

const properties: INodeProperties[] = [
	{
		displayName: 'SKU',
		name: 'sku',
		type: 'string',
		default: '={{ $json.sku }}',
		required: true,
		description: 'Seller SKU of each input item',
	},
	{
		displayName: 'Quantity',
		name: 'quantity',
		type: 'string',
		default: '={{ $json.quantity }}',
		required: true,
		description: 'Merchant-fulfilled units of each input item (a whole number, 0 or more)',
	},
	marketplaceParameter,
	sellerIdParameter,
	optionsCollection([
		...quantityOptions,
		...traceOptions,
		{
			displayName: 'Leave Out FBA SKUs',
			name: 'protectFba',
			type: 'boolean',
			default: true,
			description:
				"Whether to read the marketplaces' FBA inventory first and leave out SKUs Amazon fulfils: they are output with status SKIPPED and not sent (a merchant quantity would convert those listings to merchant-fulfilled). Turn off only for catalogs without FBA.",
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'waitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 600,
			description:
				'How long to wait for Amazon to process the feed (bounded by the time budget). If it is not done by then, the items come back as IN_PROGRESS with a resumeFeedId.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 15,
		},
		{
			displayName: 'Resume Feed IDs',
			name: 'resumeFeedIds',
			type: 'string',
			default: '',
			placeholder: '={{ $json.resumeFeedId }}',
			description:
				'Comma-separated feeds submitted by an earlier run with the same input items: their results are read instead of submitting again',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['listing'], operation: ['bulkUpdateQuantities'] } }, properties);

interface Message {
	itemIndex: number;
	sku: string;
	quantity: number;
}

interface ProcessingIssue {
	messageId?: number;
	code?: string;
	severity?: string;
	message?: string;
	attributeName?: string;
}

/** Validated SKU and quantity of every item; bad items and repeated SKUs get their error. */
function readMessages(context: IExecuteFunctions, client: SpApiClient, outcomes: Array<ItemResult | Error>): Message[] {
	const messages: Message[] = [];
	const firstBySku = new Map<string, number>();
	for (let itemIndex = 0; itemIndex < outcomes.length; itemIndex++) {
		try {
			const sku = String(context.getNodeParameter('sku', itemIndex, '') ?? '').trim();
			if (!sku) throw operationError(client.node, 'SKU is empty', 'Map the seller SKU of each item, e.g. {{ $json.sku }}.', itemIndex);
			const quantity = quantityOf(client, context.getNodeParameter('quantity', itemIndex, undefined), sku, itemIndex);
			const first = firstBySku.get(sku);
			if (first !== undefined) {
				throw operationError(
					client.node,
					`SKU "${sku}" appears again (first in item ${first}); it was not sent twice`,
					'Send each SKU once per run (e.g. aggregate quantities per SKU first): Amazon does not promise in which order messages of one feed are applied.',
					itemIndex,
				);
			}
			firstBySku.set(sku, itemIndex);
			messages.push({ itemIndex, sku, quantity });
		} catch (error) {
			outcomes[itemIndex] = error as Error;
		}
	}
	return messages;
}

/** SKUs with FBA inventory in any of the marketplaces. */
async function fbaSkus(client: SpApiClient, marketplaceIds: string[]): Promise<Set<string>> {
	const skus = new Set<string>();
	for (const marketplaceId of marketplaceIds) {
		for (const summary of await readInventorySummaries(client, { marketplaceId, details: false }, undefined, 0)) skus.add(String(summary.sellerSku));
	}
	return skus;
}

/** createFeedDocument + upload; a URL that expired before the upload gets one new document. */
async function uploadFeed(context: IExecuteFunctions, client: SpApiClient, content: string): Promise<string> {
	for (let attempt = 1; ; attempt++) {
		const created = await client.call<{ feedDocumentId?: string; url?: string }>({ operation: OPERATIONS.createFeedDocument, body: { contentType: FEED_CONTENT_TYPE } }, 0);
		const documentId = String(created.body.feedDocumentId ?? '');
		const uploaded = await uploadDocument(context, client, { documentId, url: String(created.body.url ?? ''), contentType: FEED_CONTENT_TYPE }, content, 0).then(
			() => true,
			(error: unknown) => {
				if (error instanceof UploadExpiredError && attempt < 2) return false;
				throw toNodeError(client.node, error);
			},
		);
		if (uploaded) return documentId;
	}
}

/** The processing report's issues (JSON, possibly gzip). */
async function readProcessingReport(context: IExecuteFunctions, client: SpApiClient, resultFeedDocumentId: string): Promise<{ issues: ProcessingIssue[]; summary: IDataObject }> {
	const text = await new ReportDocumentDownloader(context, client, 0, 'feedResult').download(resultFeedDocumentId, async (body) => {
		const parts: string[] = [];
		for await (const line of documentLines(body, 'utf-8')) parts.push(line.text);
		return parts.join('\n');
	});
	let report: { issues?: ProcessingIssue[]; summary?: IDataObject };
	try {
		report = JSON.parse(text) as typeof report;
	} catch (error) {
		throw operationError(client.node, `The feed processing report ${resultFeedDocumentId} is not JSON: ${(error as Error).message}`, 'Read the feed result with Report → Get Document or in Seller Central.', 0);
	}
	return { issues: Array.isArray(report.issues) ? report.issues : [], summary: report.summary ?? {} };
}

/** What happened to each message of one feed: accepted (maybe with warnings), refused, or not done yet. */
async function settleFeed(context: IExecuteFunctions, client: SpApiClient, feedId: string, messages: Message[], build: (message: Message, fields: IDataObject) => IDataObject, outcomes: Array<ItemResult | Error>, wait: { waitMs: number; pollIntervalMs: number }): Promise<void> {
	const feed = await waitForProcessing(
		context,
		client,
		async () => (await client.call<IDataObject>({ operation: OPERATIONS.getFeed, pathParameters: { feedId } }, 0)).body ?? {},
		0,
		wait,
	);
	const status = String(feed.processingStatus ?? '');
	if (status !== 'DONE' && status !== 'FATAL' && status !== 'CANCELLED') {
		for (const message of messages) outcomes[message.itemIndex] = build(message, { status: 'IN_PROGRESS', feedId, resumeFeedId: feedId, feedStatus: status });
		return;
	}
	if (status === 'CANCELLED') {
		for (const message of messages) {
			outcomes[message.itemIndex] = operationError(client.node, `Feed ${feedId} was cancelled before Amazon processed it`, 'Nothing was changed; run again to submit the quantities.', message.itemIndex);
		}
		return;
	}
	const resultId = typeof feed.resultFeedDocumentId === 'string' ? feed.resultFeedDocumentId : '';
	const { issues, summary } = resultId ? await readProcessingReport(context, client, resultId) : { issues: [], summary: {} };
	const documentErrors = issues.filter((issue) => issue.messageId === undefined && issue.severity === 'ERROR');
	for (const message of messages) {
		const own = issues.filter((issue) => issue.messageId === message.itemIndex + 1);
		const errors = [...documentErrors, ...own.filter((issue) => issue.severity === 'ERROR')];
		if (status === 'FATAL' || errors.length) {
			const said = errors.map((issue) => `${issue.code ?? 'error'}: ${issue.message ?? ''}`).join('; ');
			const failure = operationError(
				client.node,
				`Amazon did not accept the quantity for SKU "${message.sku}" (feed ${feedId}${status === 'FATAL' ? ', FATAL' : ''})${said ? `: ${said}` : ''}`,
				status === 'FATAL'
					? 'The feed was aborted; some, none or all messages may have been applied. Check the SKUs in Seller Central and run again (setting a quantity again is harmless).'
					: 'Fix what the issue names (e.g. an FBA SKU, a wrong product type: set Product Type in the options) and run again for this SKU.',
				message.itemIndex,
			);
			failure.context.details = { feedId, sku: message.sku, messageId: message.itemIndex + 1, issues: own as unknown as IDataObject[] };
			outcomes[message.itemIndex] = failure;
			continue;
		}
		outcomes[message.itemIndex] = build(message, { status: 'ACCEPTED', feedId, issues: own as unknown as IDataObject[], feedSummary: summary });
	}
}

/**
 * Every input item becomes one message of a JSON_LISTINGS_FEED (merge on fulfillment_availability),
 * submitted as one feed per 10 000 SKUs: upload, create, wait within the budget, then read the
 * processing report and answer per item. Setting absolute quantities is idempotent, so a retried
 * run changes nothing twice; an unfinished feed is resumed by its id instead of being re-sent.
 */
export async function executeBatch(context: IExecuteFunctions, client: SpApiClient): Promise<Array<ItemResult | Error>> {
	const outcomes: Array<ItemResult | Error> = context.getInputData().map(() => ({}));
	let sellerId: string;
	let marketplaceIds: string[];
	try {
		sellerId = sellerIdOf(context, client, 0);
		marketplaceIds = marketplacesOf(context, client, 0);
	} catch (error) {
		return outcomes.map(() => error as Error);
	}
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	let messages = readMessages(context, client, outcomes);
	const source = (itemIndex: number) => readTraceSource(context, itemIndex);
	const build = (message: Message, fields: IDataObject): IDataObject =>
		withTrace(
			{ sku: message.sku, quantity: message.quantity, messageId: message.itemIndex + 1, marketplaceIds, ...fields },
			buildTrace(
				source(message.itemIndex),
				{ system: AMAZON_SYSTEM, id: `listing ${sellerId}/${message.sku}` },
				fields.status === 'ACCEPTED' ? 'updated' : fields.status === 'SKIPPED' ? 'unchanged' : 'called',
			),
		);
	if (options.protectFba !== false && messages.length) {
		let fba: Set<string>;
		try {
			fba = await fbaSkus(client, marketplaceIds);
		} catch (error) {
			return outcomes.map((outcome) => (outcome instanceof Error ? outcome : (error as Error)));
		}
		// A sync over a whole SKU map meets FBA SKUs every run: they are left out visibly (status
		// SKIPPED on the main output), not failed, since a merchant quantity would convert them.
		messages = messages.filter((message) => {
			if (!fba.has(message.sku)) return true;
			outcomes[message.itemIndex] = build(message, {
				status: 'SKIPPED',
				reason: 'Fulfilled by Amazon: its quantity comes from FBA inventory. Not sent (a merchant quantity would convert the listing to merchant-fulfilled).',
			});
			return false;
		});
	}
	const wait = { waitMs: Math.max(0, Number(options.waitSeconds ?? 600)) * 1000, pollIntervalMs: Math.max(1, Number(options.pollSeconds ?? 15)) * 1000 };
	const resumeIds = String(options.resumeFeedIds ?? '')
		.split(',')
		.map((id) => id.trim())
		.filter(Boolean);

	const groups = inGroupsOf(messages, MESSAGES_PER_FEED);
	for (const [index, group] of groups.entries()) {
		try {
			let feedId = resumeIds[index];
			if (!feedId && resumeIds.length) {
				throw operationError(client.node, `No feed to resume for items ${group[0].itemIndex}–${group[group.length - 1].itemIndex}`, 'Resume with the same input items and every resumeFeedId of the earlier run, comma-separated.', group[0].itemIndex);
			}
			if (!feedId) {
				const feed = {
					header: { sellerId, version: '2.0', issueLocale: 'en_US' },
					messages: group.map((message) => ({
						messageId: message.itemIndex + 1,
						sku: message.sku,
						operationType: 'PATCH',
						productType: String(options.productType || 'PRODUCT'),
						patches: [quantityPatch(message.quantity, options)],
					})),
				};
				const documentId = await uploadFeed(context, client, JSON.stringify(feed));
				const created = await client.call<{ feedId?: string }>(
					{ operation: OPERATIONS.createFeed, body: { feedType: 'JSON_LISTINGS_FEED', marketplaceIds, inputFeedDocumentId: documentId } },
					group[0].itemIndex,
				);
				feedId = String(created.body.feedId ?? '');
			}
			await settleFeed(context, client, feedId, group, build, outcomes, wait);
		} catch (error) {
			for (const message of group) outcomes[message.itemIndex] = error as Error;
		}
	}
	return outcomes;
}

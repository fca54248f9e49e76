/**
 * Reports API 2021-06-30 (unwrapped responses): createReport (202, settlement types refused),
 * getReport with the IN_QUEUE → IN_PROGRESS → DONE | FATAL | CANCELLED lifecycle (lifecycle.ts;
 * the end publishes REPORT_PROCESSING_FINISHED to the creating app), getReports (nextToken must
 * be the only parameter), cancelReport, getReportDocument (pre-signed URL on the storage server).
 */
import type { ApiContext, ApiResult, SandboxState } from './context';
import { advanceJob, cancelJob, listJobs, scheduleJob } from './lifecycle';
import { invalidInput, notFound, SpApiError } from './errors';
import { marketplace } from './marketplaces';
import { type ReportRecord } from './model';
import { parseBoolParam, parseDateParam } from './query';
import { SETTLEMENT_REPORT_TYPES } from './settlement';
import type { SellerData } from './store';
import { DAY, formatMinor, isoMillis, isoSeconds } from './util';

const RETENTION = 90 * DAY;

export function renderReport(r: ReportRecord): Record<string, unknown> {
	const out: Record<string, unknown> = { reportId: r.reportId, reportType: r.reportType };
	if (r.dataStartTime !== undefined) out.dataStartTime = isoMillis(r.dataStartTime);
	if (r.dataEndTime !== undefined) out.dataEndTime = isoMillis(r.dataEndTime);
	if (r.marketplaceIds.length) out.marketplaceIds = [...r.marketplaceIds];
	if (r.reportScheduleId) out.reportScheduleId = r.reportScheduleId;
	out.createdTime = isoMillis(r.createdTime);
	out.processingStatus = r.status;
	if (r.processingStartTime !== undefined) out.processingStartTime = isoMillis(r.processingStartTime);
	if (r.processingEndTime !== undefined) out.processingEndTime = isoMillis(r.processingEndTime);
	if (r.reportDocumentId) out.reportDocumentId = r.reportDocumentId;
	return out;
}

/**
 * Moves a created report along its lifecycle (lifecycle.ts). `poll` = this is a getReport
 * response. Reaching the outcome attaches the document and publishes REPORT_PROCESSING_FINISHED.
 */
export function advanceReport(state: SandboxState, seller: SellerData, r: ReportRecord, now: number, poll: boolean): void {
	advanceJob(r, state.config.reportProcessing, state.config.timeScale, now, poll, (at) => {
		if (r.outcome === 'DONE') r.reportDocumentId = createDocument(state, seller, r);
		else if (r.outcome === 'FATAL') {
			r.reportDocumentId = state.store.addDocument(
				seller.sellerId,
				JSON.stringify({ errorDetails: `Report ${r.reportId} (${r.reportType}) could not be generated: the report processing failed.` }),
				'UTF-8',
				false,
				'application/json',
			);
		}
		state.notifications.reportFinished(r, at);
	});
}

/** Document content of a created report (a small but realistic flat file for common types). */
function createDocument(state: SandboxState, seller: SellerData, r: ReportRecord): string {
	const charset = marketplace(r.marketplaceIds[0])?.flatFileCharset ?? 'UTF-8';
	const from = r.dataStartTime ?? r.createdTime - 30 * DAY;
	const to = r.dataEndTime ?? r.createdTime;
	let text: string;
	if (r.reportType.startsWith('GET_FLAT_FILE_ALL_ORDERS_DATA')) {
		const byUpdate = r.reportType.includes('LAST_UPDATE');
		const header = ['amazon-order-id', 'merchant-order-id', 'purchase-date', 'last-updated-date', 'order-status', 'fulfillment-channel', 'sales-channel', 'sku', 'asin', 'quantity', 'currency', 'item-price'];
		const rows = seller.orders
			.filter((o) => r.marketplaceIds.includes(o.marketplaceId))
			.filter((o) => {
				const t = byUpdate ? o.lastUpdateDate : o.purchaseDate;
				return t >= from && t <= to;
			})
			.flatMap((o) =>
				o.items.map((i) =>
					[o.amazonOrderId, o.sellerOrderId ?? '', isoSeconds(o.purchaseDate), isoSeconds(o.lastUpdateDate), o.status, o.fulfillmentChannel === 'AFN' ? 'Amazon' : 'Merchant', marketplace(o.marketplaceId)!.name, i.sku, i.asin, String(i.quantity), o.currency, formatMinor(i.unitPrice * i.quantity, o.currency)].join('\t'),
				),
			);
		text = [header.join('\t'), ...rows].join('\n');
	} else if (r.reportType === 'GET_MERCHANT_LISTINGS_ALL_DATA' || r.reportType === 'GET_MERCHANT_LISTINGS_DATA') {
		const currency = marketplace(r.marketplaceIds[0])?.currency ?? 'USD';
		text = [['item-name', 'seller-sku', 'price', 'quantity', 'asin1', 'fulfillment-channel', 'status'].join('\t'), ...seller.catalog.map((p) => [p.title, p.sku, formatMinor(p.usdCents, currency), p.fba ? '' : '25', p.asin, p.fba ? 'AMAZON_NA' : 'DEFAULT', 'Active'].join('\t'))].join('\n');
	} else if (r.reportType === 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA') {
		const rows = seller.inventory.get(r.marketplaceIds[0]) ?? [];
		text = [['sku', 'fnsku', 'asin', 'product-name', 'afn-fulfillable-quantity', 'afn-inbound-shipped-quantity'].join('\t'), ...rows.map((i) => [i.sku, i.fnSku, i.asin, i.productName, String(i.fulfillable), String(i.inboundShipped)].join('\t'))].join('\n');
	} else {
		text = ['report-type\tseller-id\tmarketplace-ids\tdata-start-time\tdata-end-time', [r.reportType, seller.sellerId, r.marketplaceIds.join(','), isoSeconds(from), isoSeconds(to)].join('\t')].join('\n');
	}
	return state.store.addDocument(seller.sellerId, `${text}\n`, charset, state.config.gzipCreatedReports);
}

export function createReport(ctx: ApiContext): ApiResult {
	let body: unknown;
	try {
		body = JSON.parse(ctx.body.toString('utf8'));
	} catch {
		throw invalidInput('The request body is not valid JSON.');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalidInput('The request body must be a CreateReportSpecification object.');
	const spec = body as { reportType?: unknown; marketplaceIds?: unknown; dataStartTime?: unknown; dataEndTime?: unknown; reportOptions?: unknown };
	if (typeof spec.reportType !== 'string' || spec.reportType === '') throw invalidInput('reportType is required.');
	if ((SETTLEMENT_REPORT_TYPES as readonly string[]).includes(spec.reportType)) {
		throw invalidInput(`Request for report type ${spec.reportType} is not allowed.`, 'Settlement reports are generated by Amazon and cannot be requested or scheduled; find them with getReports.');
	}
	if (!/^GET_[A-Z0-9_]+$/.test(spec.reportType)) throw invalidInput(`Invalid reportType: ${spec.reportType}.`);
	if (!Array.isArray(spec.marketplaceIds) || spec.marketplaceIds.length === 0 || spec.marketplaceIds.some((m) => typeof m !== 'string')) {
		throw invalidInput('marketplaceIds is required: a non-empty array of marketplace ids.');
	}
	const marketplaceIds = spec.marketplaceIds as string[];
	const bad = marketplaceIds.filter((id) => marketplace(id)?.region !== ctx.region || !ctx.seller.marketplaceIds.includes(id));
	if (bad.length) throw invalidInput(`Invalid marketplaceIds: ${bad.join(', ')}.`);
	const date = (name: string, v: unknown) => {
		if (v === undefined) return undefined;
		if (typeof v !== 'string') throw invalidInput(`${name} must be an ISO 8601 date-time string.`);
		return parseDateParam(name, v);
	};
	const dataStartTime = date('dataStartTime', spec.dataStartTime);
	const dataEndTime = date('dataEndTime', spec.dataEndTime);
	if (dataStartTime !== undefined && dataEndTime !== undefined && dataEndTime < dataStartTime) throw invalidInput('dataEndTime must not be before dataStartTime.');
	let reportOptions: Record<string, string> | undefined;
	if (spec.reportOptions !== undefined) {
		if (!spec.reportOptions || typeof spec.reportOptions !== 'object' || Array.isArray(spec.reportOptions) || Object.values(spec.reportOptions).some((v) => typeof v !== 'string')) {
			throw invalidInput('reportOptions must be an object of string values.');
		}
		reportOptions = spec.reportOptions as Record<string, string>;
	}
	const report: ReportRecord = {
		reportId: ctx.state.store.newReportId(),
		sellerId: ctx.seller.sellerId,
		clientId: ctx.token.clientId,
		reportType: spec.reportType,
		marketplaceIds,
		dataStartTime,
		dataEndTime,
		reportOptions,
		createdTime: ctx.now,
		status: 'IN_QUEUE',
		outcome: ctx.state.reportOutcomes[spec.reportType] ?? 'DONE',
		polls: 0,
	};
	ctx.seller.reports.push(report);
	scheduleJob(ctx.state, ctx.seller, report, ctx.state.config.reportProcessing, (at) => advanceReport(ctx.state, ctx.seller, report, at, false));
	return { status: 202, body: { reportId: report.reportId } };
}

function findReport(ctx: ApiContext): ReportRecord {
	const r = ctx.state.store.findReport(ctx.seller.sellerId, ctx.params.reportId);
	if (!r || r.createdTime < ctx.now - RETENTION) throw notFound(`Report ${ctx.params.reportId} was not found.`);
	return r;
}

export function getReport(ctx: ApiContext): ApiResult {
	const r = findReport(ctx);
	advanceReport(ctx.state, ctx.seller, r, ctx.now, true);
	return { status: 200, body: renderReport(r) };
}

export function cancelReport(ctx: ApiContext): ApiResult {
	const r = findReport(ctx);
	advanceReport(ctx.state, ctx.seller, r, ctx.now, false);
	return cancelJob(r, `Report ${r.reportId}`, ctx.now, () => ctx.state.notifications.reportFinished(r, ctx.now));
}

export function getReports(ctx: ApiContext): ApiResult {
	return listJobs(ctx, {
		typesParam: 'reportTypes',
		typeOf: (r) => r.reportType,
		idOf: (r) => r.reportId,
		marketplacesOf: (r) => r.marketplaceIds,
		listKey: 'reports',
		jobs: ctx.seller.reports,
		retentionMs: RETENTION,
		advance: (r) => advanceReport(ctx.state, ctx.seller, r, ctx.now, false),
		render: renderReport,
	});
}

export function getReportDocument(ctx: ApiContext): ApiResult {
	const id = ctx.params.reportDocumentId;
	const doc = ctx.state.store.documents.get(id);
	if (!doc || doc.kind === 'feed' || doc.sellerId !== ctx.seller.sellerId) throw notFound(`Report document ${id} was not found.`);
	if (doc.region !== ctx.region) throw new SpApiError(404, 'NotFound', `Report document ${id} was not found in this region.`);
	const gzipHeader = parseBoolParam('enableContentEncodingUrlHeader', ctx.query.get('enableContentEncodingUrlHeader')) ?? false;
	const body: Record<string, unknown> = {
		reportDocumentId: id,
		url: ctx.state.presigner.presign(id, { contentEncodingGzip: gzipHeader && doc.compression === 'GZIP' }),
	};
	if (doc.compression) body.compressionAlgorithm = doc.compression;
	return { status: 200, body };
}

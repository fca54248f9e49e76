/**
 * Report resource in real workflows against the SP-API sandbox under Amazon's host names: every
 * request checked against Amazon's models, the document storage refusing (and recording) any
 * credential, created documents gzip-compressed.
 */
import { gunzipSync } from 'node:zlib';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { findSecretLeaks } from '../../harness';
import { AMAZON_CREDENTIAL, AMAZON_NODE, type AmazonTestbed, jsonOf, runAmazon, secretsOf, startAmazonTestbed } from '../amazon/helpers';
import { FirstRequestOnly, expectCleanContract, expectNoCredentialsAtStorage, operationCount, storageRequests, tsvRows } from './helpers';

const LISTINGS = 'GET_MERCHANT_LISTINGS_ALL_DATA';
const FAST = { pollIntervalSeconds: 0.1 };
const EU_SELLER = 'A2SANDBOXEU001';

function binaryBytes(item: INodeExecutionData, property = 'data'): Buffer {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`no binary property ${property}`);
	return Buffer.from(binary.data, 'base64');
}

describe('Amazon Seller Central: Report', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 200 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => {
		expectCleanContract(bed.sandbox);
		expectNoCredentialsAtStorage(bed.sandbox);
	});

	const run = async (parameters: IDataObject, extra: { seller?: string; node?: IDataObject; items?: IDataObject[] } = {}) =>
		await runAmazon({ sandbox: bed.sandbox, parameters: { resource: 'report', ...parameters }, ...extra });

	const createdReport = (reportType: string, seller?: string) => {
		const reports = bed.sandbox.data.reports(seller).filter((report) => report.reportType === reportType);
		expect(reports).toHaveLength(1);
		return reports[0];
	};

	describe('Request and Download', () => {
		it('requests a report, waits for DONE and returns the gunzipped rows; the storage sees no credential', async () => {
			const result = await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'rows', options: FAST });
			expect(result.status).toBe('success');
			const report = createdReport(LISTINGS);
			expect(report.status).toBe('DONE');
			const bytes = bed.sandbox.data.documentBytes(report.reportDocumentId as string);
			expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);

			const rows = jsonOf(result.output(AMAZON_NODE));
			expect(rows).toEqual(tsvRows(bed.sandbox.data.documentText(report.reportDocumentId as string)));
			expect(rows).toHaveLength(120);
			expect(rows.map((row) => row['seller-sku'])).toEqual(expect.arrayContaining(['BUNDLE A&B/2', 'TEE "CLASSIC" L', "KID'S-CUP-100%"]));
			expect(result.output(AMAZON_NODE).every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);

			expect(operationCount(bed.sandbox, 'reports.createReport')).toBe(1);
			expect(operationCount(bed.sandbox, 'reports.getReport')).toBeGreaterThanOrEqual(3);
			// The rows path gunzips in the node: no Content-Encoding was asked for.
			expect(bed.sandbox.stats.requests({ operation: 'reports.getReportDocument' }).map((request) => request.query)).toEqual([{}]);
			expect(storageRequests(bed.sandbox).map((request) => request.status)).toEqual([200]);
		});

		it('decodes an EU flat file in windows-1252: umlauts in SKUs come out intact', async () => {
			const result = await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'rows', options: FAST }, { seller: 'eu' });
			expect(result.status).toBe('success');
			const report = createdReport(LISTINGS, EU_SELLER);
			const stored = bed.sandbox.data.documentText(report.reportDocumentId as string);
			const rows = jsonOf(result.output(AMAZON_NODE));
			expect(rows).toEqual(tsvRows(stored));
			const skus = rows.map((row) => row['seller-sku'] as string);
			expect(skus).toContain('MÜSLI-RIEGEL-12');
			expect(skus.some((sku) => sku.includes('GRÖSSE'))).toBe(true);
			expect(skus.join('')).not.toMatch(/Ã|\uFFFD/);
		});

		it('returns the file as binary data: the bytes are the gunzipped document, with file name and mime type', async () => {
			const result = await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'binary', options: { ...FAST, binaryPropertyName: 'report' } }, { seller: 'eu' });
			expect(result.status).toBe('success');
			const report = createdReport(LISTINGS, EU_SELLER);
			const [item] = result.output(AMAZON_NODE);
			const expected = gunzipSync(bed.sandbox.data.documentBytes(report.reportDocumentId as string));
			expect(binaryBytes(item, 'report').equals(expected)).toBe(true);
			expect(item.binary?.report).toMatchObject({ fileName: `${LISTINGS}-${report.reportId}.txt`, mimeType: 'text/plain; charset=windows-1252' });
			expect(item.json).toMatchObject({ reportId: report.reportId, reportType: LISTINGS, charset: 'windows-1252', compressionAlgorithm: 'GZIP', decompressed: true, bytes: expected.length });
			// Binary output lets the HTTP client decompress while streaming: Content-Encoding was asked for,
			// and the node did not have to gunzip the file in memory.
			expect(bed.sandbox.stats.requests({ operation: 'reports.getReportDocument' }).at(-1)?.query).toEqual({ enableContentEncodingUrlHeader: 'true' });
			expect(result.logs.map((entry) => entry.message)).not.toContain('Report document arrived gzip-compressed; decompressing it in the node');
		});

		it('switches rows to binary above the size limit', async () => {
			const result = await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'rows', options: { ...FAST, binaryAboveMb: 0.001 } });
			expect(result.status).toBe('success');
			const [item, ...rest] = result.output(AMAZON_NODE);
			expect(rest).toEqual([]);
			const report = createdReport(LISTINGS);
			expect(binaryBytes(item).equals(gunzipSync(bed.sandbox.data.documentBytes(report.reportDocumentId as string)))).toBe(true);
		});

		it('fails with a clear message above Max Rows', async () => {
			const result = await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'rows', options: { ...FAST, maxRows: 50 } });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/has more than 50 rows/);
			expect((result.error as { description?: string }).description).toMatch(/Binary File/);
		});

		it('FATAL: fails with the content of the error document', async () => {
			bed.sandbox.setReportOutcome('GET_FBA_REIMBURSEMENTS_DATA', 'FATAL');
			const result = await run({ operation: 'requestAndDownload', reportType: 'GET_FBA_REIMBURSEMENTS_DATA', output: 'rows', options: FAST });
			expect(result.status).toBe('error');
			const report = createdReport('GET_FBA_REIMBURSEMENTS_DATA');
			expect(result.error?.message).toBe(
				`Amazon could not generate report ${report.reportId} (GET_FBA_REIMBURSEMENTS_DATA): Report ${report.reportId} (GET_FBA_REIMBURSEMENTS_DATA) could not be generated: the report processing failed.`,
			);
			expect((result.error as { description?: string }).description).toMatch(/data window/);
			expect(storageRequests(bed.sandbox)).toHaveLength(1);
		});

		it('CANCELLED: one "no data" item, not an error', async () => {
			bed.sandbox.setReportOutcome('GET_FBA_STORAGE_FEE_CHARGES_DATA', 'CANCELLED');
			const result = await run({ operation: 'requestAndDownload', reportType: 'GET_FBA_STORAGE_FEE_CHARGES_DATA', output: 'rows', options: FAST });
			expect(result.status).toBe('success');
			const report = createdReport('GET_FBA_STORAGE_FEE_CHARGES_DATA');
			expect(jsonOf(result.output(AMAZON_NODE))).toEqual([
				expect.objectContaining({ reportId: report.reportId, reportType: 'GET_FBA_STORAGE_FEE_CHARGES_DATA', processingStatus: 'CANCELLED', done: true, noData: true, message: expect.stringMatching(/no data/) }),
			]);
			expect(storageRequests(bed.sandbox)).toEqual([]);
		});

		it('refuses settlement report types before any request, pointing to the Settlement resource', async () => {
			const result = await run({ operation: 'requestAndDownload', reportType: '__custom', customReportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2', options: FAST });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/Settlement reports .* cannot be requested/);
			expect((result.error as { description?: string }).description).toMatch(/Settlement resource/);
			expect(operationCount(bed.sandbox, 'reports.createReport')).toBe(0);
		});

		it('Continue On Fail: a FATAL item goes to the error output, the other item still delivers its rows', async () => {
			bed.sandbox.setReportOutcome('GET_FBA_REIMBURSEMENTS_DATA', 'FATAL');
			const result = await run(
				{ operation: 'requestAndDownload', reportType: '={{ $json.type }}', output: 'rows', options: FAST },
				{ node: { onError: 'continueErrorOutput' }, items: [{ type: 'GET_FBA_REIMBURSEMENTS_DATA' }, { type: LISTINGS }] },
			);
			expect(result.status).toBe('success');
			const rows = result.output(AMAZON_NODE, 0);
			expect(rows).toHaveLength(120);
			expect(rows.every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
			const errors = result.output(AMAZON_NODE, 1);
			expect(errors).toHaveLength(1);
			expect(errors[0].json.error).toMatch(/could not generate report/);
			expect((errors[0].pairedItem as { item: number }).item).toBe(0);
		});
	});

	describe('Get Document', () => {
		it('an expired pre-signed URL is replaced once with a fresh one', async () => {
			const { reportDocumentId } = bed.sandbox.addReport({ reportType: LISTINGS, content: 'sku\tprice\nA-1\t1.00\nB-2\t2.50\n', gzip: true });
			// The first storage request arrives ten minutes after its URL was issued.
			bed.sandbox.faults.latencyTarget = 'storage';
			bed.sandbox.faults.latencyMatch = new FirstRequestOnly(() => bed.sandbox.clock.advance(10 * 60_000));
			bed.sandbox.faults.latencyMs = 1;
			const result = await run({ operation: 'getDocument', reportDocumentId, output: 'rows' });
			expect(result.status).toBe('success');
			expect(jsonOf(result.output(AMAZON_NODE))).toEqual([
				{ sku: 'A-1', price: '1.00' },
				{ sku: 'B-2', price: '2.50' },
			]);
			expect(storageRequests(bed.sandbox).map((request) => request.status)).toEqual([403, 200]);
			expect(operationCount(bed.sandbox, 'reports.getReportDocument')).toBe(2);
		});

		it('a URL that keeps failing ends in an error that names the S3 code but no signature', async () => {
			const { reportDocumentId } = bed.sandbox.addReport({ reportType: LISTINGS, content: 'sku\nA\n' });
			bed.sandbox.faults.failNext(10, 403, { target: 'storage' });
			const result = await run({ operation: 'getDocument', reportDocumentId, output: 'rows' });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/document storage answered HTTP 403 .*AccessDenied/);
			const signatures = storageRequests(bed.sandbox).map((request) => String(request.query['X-Amz-Signature']));
			expect(signatures.every((signature) => signature.length > 20)).toBe(true);
			expect(findSecretLeaks(signatures, { error: result.error, logs: result.logs })).toEqual([]);
			expect(JSON.stringify(result.error)).not.toMatch(/X-Amz-(Signature|Credential)=[^[]/);
		});

		it('retries transient storage failures (503, reset connection)', async () => {
			const { reportDocumentId } = bed.sandbox.addReport({ reportType: LISTINGS, content: 'sku\nA\nB\n' });
			bed.sandbox.faults.failNext(1, 503, { target: 'storage' });
			bed.sandbox.faults.resetNext(1, { target: 'storage' });
			const result = await run({ operation: 'getDocument', reportDocumentId, output: 'rows' });
			expect(result.status).toBe('success');
			expect(jsonOf(result.output(AMAZON_NODE))).toEqual([{ sku: 'A' }, { sku: 'B' }]);
			// The sandbox resets before it injects statuses: reset, then 503, then (possibly after a fresh URL) 200.
			const requests = storageRequests(bed.sandbox);
			expect(requests.slice(0, 2).map((request) => [request.outcome, request.status])).toEqual([
				['reset', 0],
				['response', 503],
			]);
			expect(requests.at(-1)?.status).toBe(200);
		});

		it('parses CSV (quoted fields across lines) and JSON documents', async () => {
			const csv = bed.sandbox.addReport({ reportType: 'GET_X_CSV_DATA', mediaType: 'text/csv', content: 'id,note\r\n1,"a, ""b""\r\nsecond line"\r\n2,plain\r\n' });
			const json = bed.sandbox.addReport({ reportType: 'GET_SALES_AND_TRAFFIC_REPORT', mediaType: 'application/json', content: JSON.stringify([{ asin: 'B01', units: 3 }, { asin: 'B02', units: 0 }]), gzip: true });
			const csvRun = await run({ operation: 'getDocument', reportDocumentId: csv.reportDocumentId, output: 'rows' });
			expect(jsonOf(csvRun.output(AMAZON_NODE))).toEqual([
				{ id: '1', note: 'a, "b"\nsecond line' },
				{ id: '2', note: 'plain' },
			]);
			const jsonRun = await run({ operation: 'getDocument', reportDocumentId: json.reportDocumentId, output: 'rows' });
			expect(jsonOf(jsonRun.output(AMAZON_NODE))).toEqual([
				{ asin: 'B01', units: 3 },
				{ asin: 'B02', units: 0 },
			]);
		});

		it('metadata only: no download and no pre-signed URL in the output', async () => {
			const { reportDocumentId } = bed.sandbox.addReport({ reportType: LISTINGS, content: 'sku\nA\n', gzip: true });
			const result = await run({ operation: 'getDocument', reportDocumentId, output: 'metadata' });
			expect(jsonOf(result.output(AMAZON_NODE))).toEqual([{ reportDocumentId, compressionAlgorithm: 'GZIP' }]);
			expect(storageRequests(bed.sandbox)).toEqual([]);
		});
	});

	describe('Create, Get, Get Many, Cancel', () => {
		it('creates a report with the credential marketplaces, a window and report options; Get shows its status', async () => {
			const created = await run({
				operation: 'create',
				reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
				reportSpec: {
					dataStartTime: '2026-01-01T00:00:00Z',
					dataEndTime: '2026-01-31T23:59:59.500Z',
					reportOptions: { option: [{ name: 'ShowSalesChannel', value: 'true' }] },
				},
			});
			expect(created.status).toBe('success');
			const [output] = jsonOf(created.output(AMAZON_NODE));
			expect(output).toEqual({
				reportId: expect.any(String),
				reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
				marketplaceIds: bed.sandbox.credentials('na').marketplaceIds,
				dataStartTime: '2026-01-01T00:00:00Z',
				dataEndTime: '2026-01-31T23:59:59Z',
				reportOptions: { ShowSalesChannel: 'true' },
			});
			const got = await run({ operation: 'get', reportId: output.reportId });
			expect(jsonOf(got.output(AMAZON_NODE))).toEqual([expect.objectContaining({ reportId: output.reportId, processingStatus: 'IN_QUEUE' })]);
		});

		it('Get Many with Return All pages with the nextToken alone', async () => {
			for (let index = 0; index < 130; index++) bed.sandbox.addReport({ reportType: 'GET_FBA_MYI_ALL_INVENTORY_DATA', content: 'sku\n' });
			bed.sandbox.addReport({ reportType: LISTINGS, content: 'sku\n' });
			const result = await run({ operation: 'getMany', reportTypes: ['GET_FBA_MYI_ALL_INVENTORY_DATA'], returnAll: true, filters: { processingStatuses: ['DONE'] } });
			expect(result.status).toBe('success');
			const reports = jsonOf(result.output(AMAZON_NODE));
			expect(reports).toHaveLength(130);
			expect(new Set(reports.map((report) => report.reportId)).size).toBe(130);
			const pages = bed.sandbox.stats.requests({ operation: 'reports.getReports' }).map((request) => Object.keys(request.query).sort());
			expect(pages).toEqual([['pageSize', 'processingStatuses', 'reportTypes'], ['nextToken']]);

			const limited = await run({ operation: 'getMany', reportTypes: [], otherReportTypes: 'get_fba_myi_all_inventory_data', limit: 5 });
			expect(jsonOf(limited.output(AMAZON_NODE))).toHaveLength(5);
		});

		it('cancels a queued report; cancelling it again says why Amazon refuses', async () => {
			const created = await run({ operation: 'create', reportType: LISTINGS });
			const { reportId } = jsonOf(created.output(AMAZON_NODE))[0];
			const cancelled = await run({ operation: 'cancel', reportId });
			expect(jsonOf(cancelled.output(AMAZON_NODE))).toEqual([{ reportId, cancelled: true }]);
			const again = await run({ operation: 'cancel', reportId });
			expect(again.status).toBe('error');
			expect(again.error?.message).toMatch(/Amazon refused to cancel report .*only IN_QUEUE reports can be cancelled/);
			expect((again.error as { description?: string }).description).toMatch(/still IN_QUEUE/);
		});
	});

	it('no secret reaches outputs, errors or logs (canary)', async () => {
		bed.sandbox.setReportOutcome('GET_FBA_REIMBURSEMENTS_DATA', 'FATAL');
		const results = [
			await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'rows', options: FAST }),
			await run({ operation: 'requestAndDownload', reportType: LISTINGS, output: 'binary', options: FAST }),
			await run({ operation: 'requestAndDownload', reportType: 'GET_FBA_REIMBURSEMENTS_DATA', output: 'rows', options: FAST }),
		];
		const signatures = storageRequests(bed.sandbox).map((request) => String(request.query['X-Amz-Signature']));
		for (const result of results) {
			const accessToken = String(result.credentialStore.get(AMAZON_CREDENTIAL).accessToken ?? '');
			expect(accessToken).toMatch(/^Atza\|/);
			const places = { output: result.status === 'success' ? result.output(AMAZON_NODE) : [], error: result.error, logs: result.logs, run: result.run.data.resultData };
			expect(findSecretLeaks([...secretsOf(bed.sandbox), accessToken, ...signatures], places)).toEqual([]);
		}
	});
});

describe('Amazon Seller Central: Request and Download within a time budget', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		// Amazon needs an hour for every report here.
		bed = await startAmazonTestbed({ ordersPerSeller: 50, reportProcessing: { inQueuePolls: 0, inProgressPolls: 0, inQueueMs: 0, minProcessingMs: 3_600_000 } });
	});
	afterAll(async () => await bed.close());

	it('returns a resumable report ID when the wait ends; the next run resumes it without a second createReport', async () => {
		const parameters = { resource: 'report', operation: 'requestAndDownload', reportType: LISTINGS, output: 'rows', options: { waitSeconds: 1, pollIntervalSeconds: 0.2 } };
		const first = await runAmazon({ sandbox: bed.sandbox, parameters });
		expect(first.status).toBe('success');
		const [pending] = jsonOf(first.output(AMAZON_NODE));
		expect(pending).toEqual(
			expect.objectContaining({ reportId: expect.any(String), reportType: LISTINGS, processingStatus: 'IN_PROGRESS', done: false, resumeReportId: pending.reportId, message: expect.stringMatching(/Resume Report ID/) }),
		);
		expect(operationCount(bed.sandbox, 'reports.createReport')).toBe(1);
		expect(storageRequests(bed.sandbox)).toEqual([]);

		bed.sandbox.clock.advance(2 * 3_600_000);
		// The pending item flows back in: Resume Report ID reads it from the input.
		const second = await runAmazon({ sandbox: bed.sandbox, parameters: { ...parameters, resumeReportId: '={{ $json.resumeReportId }}' }, items: [pending] });
		expect(second.status).toBe('success');
		const rows = jsonOf(second.output(AMAZON_NODE));
		expect(rows).toHaveLength(120);
		expect(operationCount(bed.sandbox, 'reports.createReport')).toBe(1);
		expectCleanContract(bed.sandbox);
		expectNoCredentialsAtStorage(bed.sandbox);
	});

	it('refuses to resume a report of another type', async () => {
		const { reportId } = bed.sandbox.addReport({ reportType: 'GET_FBA_MYI_ALL_INVENTORY_DATA', content: 'sku\n' });
		const result = await runAmazon({ sandbox: bed.sandbox, parameters: { resource: 'report', operation: 'requestAndDownload', reportType: LISTINGS, resumeReportId: reportId, options: { waitSeconds: 0 } } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Report ${reportId} is a GET_FBA_MYI_ALL_INVENTORY_DATA report, not ${LISTINGS}`);
	});
});

import { gunzipSync, gzipSync } from 'node:zlib';

import { decodeWindows1252, MARKETPLACE_IDS, SETTLEMENT_COLUMNS, startSpApiSandbox, type SpApiSandbox } from './index';
import { call, isoAgo, lwaToken, qs, SpApi } from './helpers';
import { DAY, MINUTE } from './util';

const REPORTS = '/reports/2021-06-30/reports';
const SETTLEMENT = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';

/** Fetch a pre-signed URL from the local storage server (what routeAmazonToSandbox does for the real host). */
function storageFetch(sandbox: SpApiSandbox, url: string, init: RequestInit = {}) {
	const local = url.replace(`https://${sandbox.storageHost}`, sandbox.storageUrl);
	return call(local, { ...init, headers: { 'x-forwarded-host': sandbox.storageHost, ...(init.headers as Record<string, string>) } });
}

describe('SP-API sandbox: Reports 2021-06-30', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 600, rateLimits: false, reportOutcomes: { GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA: 'FATAL' } });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
	});

	it('createReport -> 202 { reportId }; getReport walks IN_QUEUE -> IN_PROGRESS -> DONE; the document is gzip on the storage host', async () => {
		const created = await api.post(REPORTS, {
			reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
			marketplaceIds: [MARKETPLACE_IDS.US],
			dataStartTime: isoAgo(sandbox, 7 * DAY),
			dataEndTime: isoAgo(sandbox, 0),
		});
		expect(created.status).toBe(202);
		expect(created.json).toEqual({ reportId: expect.stringMatching(/^\d+$/) });
		const statuses: string[] = [];
		let report: any;
		for (let i = 0; i < 3; i++) {
			report = (await api.get(`${REPORTS}/${created.json.reportId}`)).json;
			statuses.push(report.processingStatus);
		}
		expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
		expect(report).toMatchObject({
			reportId: created.json.reportId,
			reportType: 'GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL',
			marketplaceIds: [MARKETPLACE_IDS.US],
			createdTime: expect.any(String),
			processingStartTime: expect.any(String),
			processingEndTime: expect.any(String),
			reportDocumentId: expect.stringMatching(/^amzn1\.spdoc\.1\.4\.na\./),
		});
		const doc = await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(report.reportDocumentId)}`);
		expect(doc.status).toBe(200);
		expect(doc.headers.get('x-amzn-ratelimit-limit')).toBe('0.0167');
		expect(doc.json).toEqual({ reportDocumentId: report.reportDocumentId, url: expect.stringMatching(/^https:\/\/spapi-sandbox-reports\.s3\.amazonaws\.com\/.+X-Amz-Signature=/), compressionAlgorithm: 'GZIP' });
		const file = await storageFetch(sandbox, doc.json.url);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('text/plain; charset=UTF-8');
		expect(file.headers.get('content-encoding')).toBeNull();
		const text = gunzipSync(file.bytes).toString('utf8');
		expect(text.split('\n')[0]).toMatch(/^amazon-order-id\tmerchant-order-id\tpurchase-date/);
		expect(text.split('\n').length).toBeGreaterThan(3);
		// No SP-API credentials reached storage.
		expect(sandbox.stats.requests({ server: 'storage' }).every((e) => !e.headers['x-amz-access-token'] && !e.headers.authorization)).toBe(true);
	});

	it('settlement report types cannot be requested (400 "not allowed"); bad bodies are 400', async () => {
		const res = await api.post(REPORTS, { reportType: SETTLEMENT, marketplaceIds: [MARKETPLACE_IDS.US] });
		expect(res.status).toBe(400);
		expect(res.json.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/not allowed/) });
		expect((await api.post(REPORTS, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA' })).status).toBe(400);
		expect((await api.post(REPORTS, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [MARKETPLACE_IDS.DE] })).status).toBe(400);
		expect((await api.post(REPORTS, { reportType: 'bad type', marketplaceIds: [MARKETPLACE_IDS.US] })).status).toBe(400);
		expect((await api.post(REPORTS, '{')).status).toBe(400);
	});

	it('FATAL (with an error document) and CANCELLED outcomes per report type; cancelReport only while IN_QUEUE', async () => {
		const create = async (reportType: string) => (await api.post(REPORTS, { reportType, marketplaceIds: [MARKETPLACE_IDS.US] })).json.reportId as string;
		const poll = async (id: string, n: number) => {
			let r: any;
			for (let i = 0; i < n; i++) r = (await api.get(`${REPORTS}/${id}`)).json;
			return r;
		};
		const fatal = await poll(await create('GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA'), 3);
		expect(fatal.processingStatus).toBe('FATAL');
		expect(fatal.reportDocumentId).toEqual(expect.any(String));
		expect(sandbox.data.documentText(fatal.reportDocumentId)).toMatch(/errorDetails/);

		sandbox.setReportOutcome('GET_MERCHANT_LISTINGS_ALL_DATA', 'CANCELLED');
		const cancelled = await poll(await create('GET_MERCHANT_LISTINGS_ALL_DATA'), 3);
		expect(cancelled.processingStatus).toBe('CANCELLED');
		expect(cancelled).not.toHaveProperty('reportDocumentId');

		const queued = await create('GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA');
		expect((await api.request('DELETE', `${REPORTS}/${queued}`)).status).toBe(200);
		expect((await api.get(`${REPORTS}/${queued}`)).json.processingStatus).toBe('CANCELLED');
		const running = await create('GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA');
		await poll(running, 2);
		expect((await api.request('DELETE', `${REPORTS}/${running}`)).status).toBe(400);
		expect((await api.get(`${REPORTS}/999`)).status).toBe(404);
	});

	it('getReports lists seeded settlement reports newest first, 10 per page, nextToken as the only parameter', async () => {
		const params = { reportTypes: SETTLEMENT, processingStatuses: 'DONE' };
		const first = await api.get(`${REPORTS}${qs(params)}`);
		expect(first.status).toBe(200);
		expect(first.json.reports).toHaveLength(10);
		const all = [...first.json.reports];
		let token = first.json.nextToken;
		expect(token).toEqual(expect.any(String));
		const mixed = await api.get(`${REPORTS}${qs({ ...params, nextToken: token })}`);
		expect(mixed.status).toBe(400);
		expect(mixed.json.errors[0].message).toMatch(/only parameter/);
		expect((await api.get(`${REPORTS}${qs({ nextToken: token, pageSize: 10 })}`)).status).toBe(400);
		while (token) {
			const next = await api.get(`${REPORTS}${qs({ nextToken: token })}`);
			expect(next.status).toBe(200);
			all.push(...next.json.reports);
			token = next.json.nextToken;
		}
		const created = all.map((r) => r.createdTime);
		expect([...created].sort().reverse()).toEqual(created);
		// Default createdSince: 90 days ago (older settlements are not listed).
		const seeded = sandbox.data.reports().filter((r) => r.reportType === SETTLEMENT);
		const visible = seeded.filter((r) => r.createdTime >= sandbox.clock.now() - 90 * DAY);
		expect(visible.length).toBeLessThan(seeded.length);
		expect(all.map((r) => r.reportId).sort()).toEqual(visible.map((r) => r.reportId).sort());
		expect(all[0]).toMatchObject({ reportType: SETTLEMENT, processingStatus: 'DONE', dataStartTime: expect.any(String), dataEndTime: expect.any(String), reportDocumentId: expect.any(String) });

		expect((await api.get(`${REPORTS}${qs({ processingStatuses: 'DONE' })}`)).status).toBe(400);
		expect((await api.get(`${REPORTS}${qs({ reportTypes: SETTLEMENT, processingStatuses: 'FINISHED' })}`)).status).toBe(400);
		expect((await api.get(`${REPORTS}${qs({ reportTypes: SETTLEMENT, pageSize: 101 })}`)).status).toBe(400);
		const recent = await api.get(`${REPORTS}${qs({ reportTypes: SETTLEMENT, createdSince: isoAgo(sandbox, 20 * DAY), pageSize: 100 })}`);
		expect(recent.json.reports.length).toBeLessThanOrEqual(6);
	});

	it('settlement documents: 24 columns, summary row first, components summing to total-amount; EUR files in windows-1252 with German formats', async () => {
		const eu = new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('eu')), 'eu');
		const list = await eu.get(`${REPORTS}${qs({ reportTypes: SETTLEMENT, pageSize: 100 })}`);
		const reports = list.json.reports as any[];
		const fetchDoc = async (r: any) => {
			const d = await eu.get(`/reports/2021-06-30/documents/${encodeURIComponent(r.reportDocumentId)}`);
			expect(d.json).not.toHaveProperty('compressionAlgorithm');
			return storageFetch(sandbox, d.json.url);
		};
		const eur = reports.filter((r) => r.marketplaceIds.includes(MARKETPLACE_IDS.DE));
		const gbp = reports.filter((r) => r.marketplaceIds.includes(MARKETPLACE_IDS.UK));
		expect(eur.length).toBeGreaterThan(0);
		expect(gbp.length).toBeGreaterThan(0);
		let sawNonAscii = false;
		for (const r of eur) {
			const file = await fetchDoc(r);
			expect(file.headers.get('content-type')).toBe('text/plain; charset=windows-1252');
			const text = decodeWindows1252(file.bytes);
			sawNonAscii ||= file.bytes.some((b) => b >= 0x80) && /[ÄÖÜäöüß€–]/.test(text);
			const rows = text.replace(/\n$/, '').split('\n').map((l) => l.split('\t'));
			expect(rows[0]).toEqual([...SETTLEMENT_COLUMNS]);
			expect(rows.every((row) => row.length === 24)).toBe(true);
			const [summary, ...components] = rows.slice(1);
			expect(summary[1]).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC$/);
			expect(summary[5]).toBe('EUR');
			expect(summary.slice(6).every((c) => c === '')).toBe(true);
			const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);
			expect(summary[4]).toMatch(/^-?\d+,\d{2}$/);
			expect(components.reduce((s, row) => s + cents(row[14]), 0)).toBe(cents(summary[4]));
			expect(components.every((row) => row[0] === summary[0] && row[4] === '')).toBe(true);
		}
		expect(sawNonAscii).toBe(true);
		const uk = await fetchDoc(gbp[0]);
		const ukRows = decodeWindows1252(uk.bytes).split('\n');
		expect(ukRows[1].split('\t')[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
		// Same data as the v0 group: the settlement total is the group's total.
		const group = sandbox.data.financialEventGroups('A2SANDBOXEU001').find((g) => g.settlementId === ukRows[1].split('\t')[0])!;
		expect(Math.round(Number(ukRows[1].split('\t')[4]) * 100)).toBe(group.total);
	});

	it('addReport: test documents as text in a charset or as bytes, optionally gzip', async () => {
		const text = 'settlement-id\tamount\n1\t12,50\nMüller – 5 €\n';
		const a = sandbox.addReport({ reportType: SETTLEMENT, content: text, charset: 'windows-1252', marketplaceIds: [MARKETPLACE_IDS.US] });
		const bytes = gzipSync(Buffer.from('binary\u0000payload'));
		const b = sandbox.addReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', content: bytes, gzip: false, mediaType: 'application/octet-stream' });
		const c = sandbox.addReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', content: 'zipped', gzip: true });
		const docA = (await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(a.reportDocumentId!)}`)).json;
		const fileA = await storageFetch(sandbox, docA.url);
		expect(fileA.headers.get('content-type')).toBe('text/plain; charset=windows-1252');
		expect(fileA.bytes.equals(Buffer.from([...text].map((ch) => ({ ü: 0xfc, '–': 0x96, '€': 0x80 })[ch] ?? ch.charCodeAt(0))))).toBe(true);
		expect(sandbox.data.documentText(a.reportDocumentId!)).toBe(text);
		const fileB = await storageFetch(sandbox, (await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(b.reportDocumentId!)}`)).json.url);
		expect(fileB.bytes.equals(bytes)).toBe(true);
		const docC = (await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(c.reportDocumentId!)}${qs({ enableContentEncodingUrlHeader: true })}`)).json;
		expect(docC.compressionAlgorithm).toBe('GZIP');
		const fileC = await call(docC.url.replace(`https://${sandbox.storageHost}`, sandbox.storageUrl));
		// fetch decodes Content-Encoding: gzip itself.
		expect(fileC.text).toBe('zipped');
		const listed = await api.get(`${REPORTS}${qs({ reportTypes: SETTLEMENT, createdSince: isoAgo(sandbox, MINUTE) })}`);
		expect(listed.json.reports.map((r: any) => r.reportId)).toEqual([a.reportId]);
	});
});

describe('SP-API sandbox: storage URL styles and clock', () => {
	it("'local' URLs point at the storage server itself; the sandbox clock also expires URLs", async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 20, storageUrlStyle: 'local' });
		try {
			const api = new SpApi(sandbox, await lwaToken(sandbox));
			const r = sandbox.addReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', content: 'x' });
			const doc = (await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(r.reportDocumentId!)}`)).json;
			expect(doc.url.startsWith(`${sandbox.storageUrl}/`)).toBe(true);
			expect((await call(doc.url)).text).toBe('x');
			const tampered = await call(doc.url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'));
			expect(tampered.status).toBe(403);
			expect(tampered.text).toMatch(/SignatureDoesNotMatch/);
			sandbox.clock.advance(300_000);
			expect((await call(doc.url)).status).toBe(403);
		} finally {
			await sandbox.close();
		}
	});
});

describe('SP-API sandbox: report lifecycle by time and storage expiry (timeScale)', () => {
	it('minProcessingMs counts in Amazon time ÷ timeScale; pre-signed URLs expire after 5 minutes ÷ timeScale', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 50, timeScale: 500, reportProcessing: { inQueuePolls: 0, inProgressPolls: 0, minProcessingMs: 150_000 } });
		try {
			const api = new SpApi(sandbox, await lwaToken(sandbox));
			const id = (await api.post(REPORTS, { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [MARKETPLACE_IDS.US] })).json.reportId;
			expect((await api.get(`${REPORTS}/${id}`)).json.processingStatus).toBe('IN_PROGRESS');
			await new Promise((r) => setTimeout(r, 350));
			const done = (await api.get(`${REPORTS}/${id}`)).json;
			expect(done.processingStatus).toBe('DONE');
			const doc = (await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(done.reportDocumentId)}`)).json;
			expect((await storageFetch(sandbox, doc.url)).status).toBe(200);
			await new Promise((r) => setTimeout(r, 650));
			const expired = await storageFetch(sandbox, doc.url);
			expect(expired.status).toBe(403);
			expect(expired.text).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
		} finally {
			await sandbox.close();
		}
	});
});

import { gunzipSync } from 'node:zlib';

import { validateJsonListingsFeed, validateJsonSchemaFile } from '../../contract/spapi-contract';
import { FEED_ISSUE_CODES, MARKETPLACE_IDS, startSpApiSandbox, type ListingRecord, type SpApiSandbox } from './index';
import { call, lwaToken, qs, SpApi } from './helpers';
import { MINUTE } from './util';

const { US, DE } = MARKETPLACE_IDS;
const SELLER = 'A1SANDBOXNA001';
const DOCS = '/feeds/2021-06-30/documents';
const FEEDS = '/feeds/2021-06-30/feeds';
const JSON_TYPE = 'application/json; charset=UTF-8';
const APPLY_DELAY = 5000;

const fulfillment = (l: ListingRecord | undefined) => l?.attributes.fulfillment_availability;

function patchMessage(messageId: number, sku: string, quantity: unknown, code = 'DEFAULT', op = 'merge') {
	return { messageId, sku, operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op, path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: code, quantity }] }] };
}

const feedDocument = (messages: unknown[], sellerId = SELLER, extraHeader: Record<string, unknown> = {}) => ({ header: { sellerId, version: '2.0', issueLocale: 'en_US', ...extraHeader }, messages });

describe('SP-API sandbox: Feeds 2021-06-30', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;
	let mfn: ListingRecord[];
	let fba: ListingRecord;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 30, rateLimits: false, storageUrlStyle: 'local' });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
		sandbox.clock.set(sandbox.clock.now());
		mfn = sandbox.data.listings().filter((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'DEFAULT');
		fba = sandbox.data.listings().find((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'AMAZON_NA')!;
	});

	const upload = async (content: string | Buffer, contentType = JSON_TYPE) => {
		const created = await api.post(DOCS, { contentType });
		expect(created.status).toBe(201);
		const put = await call(created.json.url, { method: 'PUT', headers: { 'Content-Type': contentType }, body: content });
		expect(put.status).toBe(200);
		return created.json.feedDocumentId as string;
	};

	/** Upload, createFeed, poll to the end; returns the final feed and its parsed result. */
	const runFeed = async (document: unknown, feedType = 'JSON_LISTINGS_FEED') => {
		const feedDocumentId = await upload(typeof document === 'string' ? document : JSON.stringify(document));
		const created = await api.post(FEEDS, { feedType, marketplaceIds: [US], inputFeedDocumentId: feedDocumentId });
		expect(created.status).toBe(202);
		let feed: any;
		for (let i = 0; i < 5 && !['DONE', 'FATAL', 'CANCELLED'].includes(feed?.processingStatus); i++) feed = (await api.get(`${FEEDS}/${created.json.feedId}`)).json;
		let result: any;
		if (feed.resultFeedDocumentId) {
			const doc = await api.get(`${DOCS}/${encodeURIComponent(feed.resultFeedDocumentId)}`);
			expect(doc.status).toBe(200);
			const file = await call(doc.json.url);
			expect(file.status).toBe(200);
			const bytes = doc.json.compressionAlgorithm === 'GZIP' ? gunzipSync(file.bytes) : file.bytes;
			result = file.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(bytes.toString('utf8')) : bytes.toString('utf8');
		}
		return { feed, result };
	};

	const reportIsValid = (report: unknown) => expect(validateJsonSchemaFile('listings-feed-processing-report-schema-v2.json', report, { unknownProperties: 'error' }).violations).toEqual([]);

	it('createFeedDocument -> 201 { feedDocumentId, url }; the pre-signed PUT stores the bytes; createFeed -> 202; getFeed walks the lifecycle to DONE', async () => {
		const created = await api.post(DOCS, { contentType: JSON_TYPE });
		expect(created.status).toBe(201);
		expect(created.headers.get('x-amzn-ratelimit-limit')).toBe('0.5');
		expect(created.json).toEqual({ feedDocumentId: expect.stringMatching(/^amzn1\.tortuga\.4\.na\./), url: expect.stringMatching(/\/Feeds\/.+X-Amz-SignedHeaders=content-type%3Bhost.+X-Amz-Signature=/) });
		const body = JSON.stringify(feedDocument([patchMessage(1, mfn[0].sku, 9)]));
		const put = await call(created.json.url, { method: 'PUT', headers: { 'Content-Type': JSON_TYPE }, body });
		expect(put.status).toBe(200);
		expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
		expect(sandbox.data.documentText(created.json.feedDocumentId)).toBe(body);

		const feed = await api.post(FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: created.json.feedDocumentId });
		expect(feed.status).toBe(202);
		expect(feed.headers.get('x-amzn-ratelimit-limit')).toBe('0.0083');
		expect(feed.json).toEqual({ feedId: expect.stringMatching(/^\d+$/) });
		const statuses: string[] = [];
		let last: any;
		for (let i = 0; i < 3; i++) {
			last = (await api.get(`${FEEDS}/${feed.json.feedId}`)).json;
			statuses.push(last.processingStatus);
		}
		expect(statuses).toEqual(['IN_QUEUE', 'IN_PROGRESS', 'DONE']);
		expect(last).toEqual({
			feedId: feed.json.feedId,
			feedType: 'JSON_LISTINGS_FEED',
			marketplaceIds: [US],
			createdTime: expect.any(String),
			processingStatus: 'DONE',
			processingStartTime: expect.any(String),
			processingEndTime: expect.any(String),
			resultFeedDocumentId: expect.stringMatching(/^amzn1\.tortuga\.4\.na\./),
		});
		const doc = await api.get(`${DOCS}/${encodeURIComponent(last.resultFeedDocumentId)}`);
		expect(doc.json).toEqual({ feedDocumentId: last.resultFeedDocumentId, url: expect.any(String) });
		const report = JSON.parse((await call(doc.json.url)).text);
		reportIsValid(report);
		expect(report).toEqual({
			header: { sellerId: SELLER, version: '2.0', feedId: feed.json.feedId },
			issues: [],
			summary: { errors: 0, warnings: 0, messagesProcessed: 1, messagesAccepted: 1, messagesInvalid: 0 },
		});
		// Accepted, then applied after the delay.
		expect(fulfillment(sandbox.data.listing(mfn[0].sku))![0].quantity).toBe(fulfillment(mfn[0])![0].quantity);
		sandbox.clock.advance(APPLY_DELAY);
		expect(fulfillment(sandbox.data.listing(mfn[0].sku))![0]).toEqual({ ...fulfillment(mfn[0])![0], quantity: 9 });
		expect(sandbox.data.listingSubmissions()).toEqual([expect.objectContaining({ source: 'feed', feedId: feed.json.feedId, status: 'APPLIED' })]);
	});

	it('the storage refuses an upload with another Content-Type, without one, with SP-API credentials, through a GET URL, or after expiry', async () => {
		const created = await api.post(DOCS, { contentType: JSON_TYPE });
		const url = created.json.url as string;
		const put = (headers: Record<string, string>, target = url) => call(target, { method: 'PUT', headers, body: '{}' });
		const other = await put({ 'Content-Type': 'application/json' });
		expect(other.status).toBe(403);
		expect(other.text).toContain('<Code>SignatureDoesNotMatch</Code>');
		expect(other.text).toContain('<ExpectedContentType>application/json; charset=UTF-8</ExpectedContentType>');
		expect((await call(url, { method: 'PUT', body: new Uint8Array([1, 2]) })).status).toBe(403);
		expect(sandbox.storageViolations).toEqual([]);
		const withToken = await put({ 'Content-Type': JSON_TYPE, 'x-amz-access-token': api.token });
		expect(withToken.status).toBe(403);
		const withAuth = await put({ 'Content-Type': JSON_TYPE, Authorization: 'Bearer x' });
		expect(withAuth.status).toBe(403);
		expect(sandbox.storageViolations.map((v) => ({ method: v.method, headers: v.headers }))).toEqual([
			{ method: 'PUT', headers: ['x-amz-access-token'] },
			{ method: 'PUT', headers: ['authorization'] },
		]);
		// A PUT URL cannot download, and nothing was stored by the refused uploads.
		expect((await call(url)).status).toBe(403);
		expect((await api.post(FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: created.json.feedDocumentId })).status).toBe(400);
		sandbox.clock.advance(5 * MINUTE);
		const expired = await put({ 'Content-Type': JSON_TYPE });
		expect(expired.status).toBe(403);
		expect(expired.text).toContain('Request has expired');
	});

	it('result downloads refuse credentials too, and their URLs expire after 5 minutes', async () => {
		const { feed } = await runFeed(feedDocument([patchMessage(1, mfn[0].sku, 1)]));
		const doc = await api.get(`${DOCS}/${encodeURIComponent(feed.resultFeedDocumentId)}`);
		const refused = await call(doc.json.url, { headers: { 'x-amz-access-token': api.token } });
		expect(refused.status).toBe(403);
		expect(sandbox.storageViolations).toEqual([expect.objectContaining({ method: 'GET', headers: ['x-amz-access-token'] })]);
		expect((await call(doc.json.url, { method: 'PUT', headers: { 'Content-Type': JSON_TYPE }, body: '{}' })).status).toBe(403);
		sandbox.clock.advance(5 * MINUTE - 1);
		expect((await call(doc.json.url)).status).toBe(200);
		sandbox.clock.advance(1);
		expect((await call(doc.json.url)).text).toContain('Request has expired');
	});

	it('createFeed / createFeedDocument / getFeedDocument validation', async () => {
		const uploaded = await upload(JSON.stringify(feedDocument([patchMessage(1, mfn[0].sku, 1)])));
		const bad = async (body: unknown, text: string) => {
			const res = await api.post(FEEDS, body);
			expect({ status: res.status, code: res.json.errors[0].code, text: `${res.json.errors[0].message} ${res.json.errors[0].details ?? ''}`.includes(text) }).toEqual({ status: 400, code: 'InvalidInput', text: true });
		};
		await bad({ marketplaceIds: [US], inputFeedDocumentId: uploaded }, 'feedType');
		await bad({ feedType: 'JSON_LISTINGS_FEED', inputFeedDocumentId: uploaded }, 'marketplaceIds');
		await bad({ feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [DE], inputFeedDocumentId: uploaded }, DE);
		await bad({ feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US] }, 'inputFeedDocumentId');
		await bad({ feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: 'amzn1.tortuga.4.na.nope' }, 'createFeedDocument');
		await bad({ feedType: 'POST_INVENTORY_AVAILABILITY_DATA', marketplaceIds: [US], inputFeedDocumentId: uploaded }, 'no longer supported');
		await bad({ feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: uploaded, feedOptions: { a: 1 } }, 'feedOptions');
		const empty = await api.post(DOCS, { contentType: JSON_TYPE });
		await bad({ feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: empty.json.feedDocumentId }, 'Upload the document');
		expect((await api.post(DOCS, {})).status).toBe(400);
		expect((await api.post(DOCS, 'nope')).status).toBe(400);
		expect((await api.get(`${DOCS}/nope`)).status).toBe(404);
		// A report document is not a feed document (and the other way round).
		const reportDoc = sandbox.data.reports()[0].reportDocumentId!;
		expect((await api.get(`${DOCS}/${encodeURIComponent(reportDoc)}`)).status).toBe(404);
		expect((await api.get(`/reports/2021-06-30/documents/${encodeURIComponent(uploaded)}`)).status).toBe(404);
		// Another seller's (region's) feed document is unknown.
		const eu = new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('eu')), 'eu');
		expect((await eu.get(`${DOCS}/${encodeURIComponent(uploaded)}`)).status).toBe(404);
		expect((await api.get(`${FEEDS}/123`)).status).toBe(404);
	});

	it('JSON_LISTINGS_FEED: per-message ERROR issues for unknown SKUs, FBA quantities, invalid quantities, missing selectors, duplicate messageIds and schema violations; the rest is applied', async () => {
		const [a, b, c] = mfn;
		const messages = [
			patchMessage(1, a.sku, 11),
			patchMessage(2, 'NO-SUCH-SKU', 1),
			patchMessage(3, fba.sku, 5, 'AMAZON_NA'),
			patchMessage(4, b.sku, -3),
			patchMessage(5, b.sku, 1.5),
			{ messageId: 6, sku: c.sku, operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ quantity: 2 }] }] },
			patchMessage(1, c.sku, 4),
			{ messageId: 8, sku: c.sku, operationType: 'PATCH', productType: 'PRODUCT' },
			{ messageId: 9, sku: c.sku, operationType: 'PARTIAL_UPDATE', productType: 'PRODUCT', attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 21, lead_time_to_ship_max_days: 4 }] } },
			patchMessage(10, 'BUNDLE A&B/2', 0, fulfillment(sandbox.data.listing('BUNDLE A&B/2'))![0].fulfillment_channel_code === 'DEFAULT' ? 'DEFAULT' : 'AMAZON_NA'),
		];
		const { feed, result } = await runFeed(feedDocument(messages));
		expect(feed.processingStatus).toBe('DONE');
		reportIsValid(result);
		expect(result.header).toEqual({ sellerId: SELLER, version: '2.0', feedId: feed.feedId });
		const byMessage = (id: number) => result.issues.filter((i: any) => i.messageId === id);
		expect(byMessage(1)).toEqual([expect.objectContaining({ code: FEED_ISSUE_CODES.duplicateMessageId, severity: 'ERROR', sku: c.sku })]);
		expect(byMessage(2)).toEqual([{ messageId: 2, sku: 'NO-SUCH-SKU', code: FEED_ISSUE_CODES.skuNotFound, severity: 'ERROR', message: expect.stringContaining('NO-SUCH-SKU') }]);
		expect(byMessage(3)).toEqual([{ messageId: 3, sku: fba.sku, code: '90000900', severity: 'ERROR', message: expect.stringContaining('AMAZON_NA'), attributeName: 'fulfillment_availability' }]);
		expect(byMessage(4)[0].message).toContain('-3');
		expect(byMessage(5)[0].message).toContain('1.5');
		expect(byMessage(6)[0].message).toContain('fulfillment_channel_code');
		expect(byMessage(8)).toEqual([expect.objectContaining({ code: FEED_ISSUE_CODES.schema, severity: 'ERROR', message: expect.stringContaining('"patches" is missing') })]);
		expect(byMessage(9)).toEqual([]);
		const fbaBundle = fulfillment(sandbox.data.listing('BUNDLE A&B/2'))![0].fulfillment_channel_code !== 'DEFAULT';
		expect(byMessage(10)).toHaveLength(fbaBundle ? 1 : 0);
		const invalid = 7 + (fbaBundle ? 1 : 0);
		expect(result.summary).toEqual({ errors: invalid, warnings: 0, messagesProcessed: 10, messagesAccepted: 10 - invalid, messagesInvalid: invalid });
		sandbox.clock.advance(APPLY_DELAY);
		expect(fulfillment(sandbox.data.listing(a.sku))![0].quantity).toBe(11);
		expect(fulfillment(sandbox.data.listing(b.sku))).toEqual(fulfillment(b));
		expect(fulfillment(sandbox.data.listing(c.sku))).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 21, lead_time_to_ship_max_days: 4 }]);
		expect(fulfillment(sandbox.data.listing(fba.sku))).toEqual(fulfillment(fba));
	});

	it('UPDATE creates or replaces a listing, DELETE removes one; includedData in the header adds items to the report', async () => {
		const doc = feedDocument(
			[
				{ messageId: 1, sku: 'FEED-NEW-1', operationType: 'UPDATE', productType: 'HOME', requirements: 'LISTING_OFFER_ONLY', attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] } },
				{ messageId: 2, sku: mfn[1].sku, operationType: 'DELETE' },
				{ messageId: 3, sku: mfn[2].sku, operationType: 'UPDATE', productType: 'HOME', attributes: { item_name: [{ value: 'Renamed', marketplace_id: US }] } },
			],
			SELLER,
			{ report: { includedData: ['summaries', 'issues'], apiVersion: '2021-08-01' } },
		);
		expect(validateJsonListingsFeed(doc).violations).toEqual([]);
		const { result } = await runFeed(doc);
		reportIsValid(result);
		expect(result.summary).toEqual({ errors: 0, warnings: 0, messagesProcessed: 3, messagesAccepted: 3, messagesInvalid: 0, itemSummary: { items: 2, errors: 0, warnings: 0 } });
		expect(result.items.map((i: any) => i.sku)).toEqual([mfn[1].sku, mfn[2].sku]);
		sandbox.clock.advance(APPLY_DELAY);
		expect(sandbox.data.listing('FEED-NEW-1')).toMatchObject({ productType: 'HOME', attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] } });
		expect(sandbox.data.listing(mfn[1].sku)).toBeUndefined();
		expect(sandbox.data.listing(mfn[2].sku)!.attributes).toEqual({ item_name: [{ value: 'Renamed', marketplace_id: US }] });
	});

	it('document-level problems (not JSON, wrong version, header sellerId of another seller) give DONE with issues that carry no messageId', async () => {
		const notJson = await runFeed('{ "header": ');
		expect(notJson.feed.processingStatus).toBe('DONE');
		reportIsValid(notJson.result);
		expect(notJson.result.issues).toEqual([{ code: FEED_ISSUE_CODES.invalidJson, severity: 'ERROR', message: expect.stringContaining('not valid JSON') }]);
		expect(notJson.result.summary).toEqual({ errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 });

		const version = await runFeed({ header: { sellerId: SELLER, version: '1.0' }, messages: [patchMessage(1, mfn[0].sku, 1)] });
		reportIsValid(version.result);
		expect(version.result.issues).toEqual([expect.objectContaining({ code: FEED_ISSUE_CODES.schema, message: expect.stringContaining('$.header.version') })]);

		const other = await runFeed(feedDocument([patchMessage(1, mfn[0].sku, 1)], 'A2SANDBOXEU001'));
		reportIsValid(other.result);
		expect(other.result.issues).toEqual([expect.objectContaining({ code: FEED_ISSUE_CODES.sellerMismatch, message: expect.stringContaining('A2SANDBOXEU001') })]);
		sandbox.clock.advance(APPLY_DELAY);
		expect(sandbox.data.listing(mfn[0].sku)).toEqual(mfn[0]);
	});

	it('FATAL (setFeedOutcome) has an error result document; cancelFeed works in IN_QUEUE only; other feed types get a text summary', async () => {
		sandbox.setFeedOutcome('JSON_LISTINGS_FEED', 'FATAL');
		const fatal = await runFeed(feedDocument([patchMessage(1, mfn[0].sku, 1)]));
		expect(fatal.feed.processingStatus).toBe('FATAL');
		reportIsValid(fatal.result);
		expect(fatal.result.issues[0]).toMatchObject({ code: FEED_ISSUE_CODES.fatal, severity: 'ERROR' });
		sandbox.clock.advance(APPLY_DELAY);
		expect(sandbox.data.listing(mfn[0].sku)).toEqual(mfn[0]);

		const docId = await upload(JSON.stringify(feedDocument([patchMessage(1, mfn[0].sku, 1)])));
		const created = await api.post(FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: docId });
		const cancelled = await api.delete(`${FEEDS}/${created.json.feedId}`);
		expect(cancelled.status).toBe(200);
		expect(cancelled.text).toBe('');
		const feed = (await api.get(`${FEEDS}/${created.json.feedId}`)).json;
		expect(feed).toMatchObject({ processingStatus: 'CANCELLED', processingEndTime: expect.any(String) });
		expect(feed.resultFeedDocumentId).toBeUndefined();
		const again = await api.delete(`${FEEDS}/${created.json.feedId}`);
		expect(again.status).toBe(400);
		expect(again.json.errors[0].message).toContain('only IN_QUEUE');

		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
		const xml = await runFeed('<AmazonEnvelope/>', 'POST_PRODUCT_DATA');
		expect(xml.feed.processingStatus).toBe('DONE');
		expect(xml.result).toContain('Feed Processing Summary');
	});

	it('getFeeds: feedTypes or nextToken (alone), statuses, paging newest first', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const docId = await upload(JSON.stringify(feedDocument([patchMessage(1, mfn[i].sku, i)])));
			sandbox.clock.advance(1000);
			ids.push((await api.post(FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: docId })).json.feedId);
		}
		expect((await api.get(FEEDS)).status).toBe(400);
		const page1 = await api.get(`${FEEDS}${qs({ feedTypes: 'JSON_LISTINGS_FEED', pageSize: 2 })}`);
		expect(page1.json.feeds.map((f: any) => f.feedId)).toEqual([ids[4], ids[3]]);
		expect(page1.json.nextToken).toEqual(expect.any(String));
		expect((await api.get(`${FEEDS}${qs({ nextToken: page1.json.nextToken, pageSize: 2 })}`)).status).toBe(400);
		const page2 = await api.get(`${FEEDS}${qs({ nextToken: page1.json.nextToken })}`);
		expect(page2.json.feeds.map((f: any) => f.feedId)).toEqual([ids[2], ids[1]]);
		expect((await api.get(`${FEEDS}${qs({ feedTypes: 'JSON_LISTINGS_FEED', processingStatuses: 'DONE' })}`)).json.feeds).toEqual([]);
		expect((await api.get(`${FEEDS}${qs({ feedTypes: 'JSON_LISTINGS_FEED', processingStatuses: 'DONE,NOPE' })}`)).status).toBe(400);
		expect((await api.get(`${FEEDS}${qs({ feedTypes: 'POST_PRODUCT_DATA' })}`)).json).toEqual({ feeds: [] });
	});
});

describe('SP-API sandbox: feed options', () => {
	it('gzipFeedResults gives compressionAlgorithm GZIP (and Content-Encoding on request); requirePolls false finishes feeds in the background', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 10, rateLimits: false, storageUrlStyle: 'local', gzipFeedResults: true, timeScale: 1000, feedProcessing: { requirePolls: false, minProcessingMs: 3000 } });
		try {
			const api = new SpApi(sandbox, sandbox.issueAccessToken());
			const created = await api.post(DOCS, { contentType: JSON_TYPE });
			const sku = sandbox.data.listings().find((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'DEFAULT')!.sku;
			await call(created.json.url, { method: 'PUT', headers: { 'Content-Type': JSON_TYPE }, body: JSON.stringify(feedDocument([patchMessage(1, sku, 4)])) });
			const feedId = (await api.post(FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: created.json.feedDocumentId })).json.feedId;
			// No polls: the scheduler finishes it 3 ms later, and applies the message 5 ms after that.
			const until = Date.now() + 2000;
			while (sandbox.data.feeds()[0].status !== 'DONE' && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
			const feed = sandbox.data.feeds()[0];
			expect(feed).toMatchObject({ feedId, status: 'DONE', polls: 0 });
			const doc = await api.get(`${DOCS}/${encodeURIComponent(feed.resultFeedDocumentId!)}${qs({ enableContentEncodingUrlHeader: true })}`);
			expect(doc.json.compressionAlgorithm).toBe('GZIP');
			const file = await call(doc.json.url);
			expect(file.headers.get('content-encoding')).toBe('gzip');
			expect(JSON.parse(sandbox.data.documentText(feed.resultFeedDocumentId!)).summary.messagesAccepted).toBe(1);
			while (fulfillment(sandbox.data.listing(sku))![0].quantity !== 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
			expect(fulfillment(sandbox.data.listing(sku))![0].quantity).toBe(4);
		} finally {
			await sandbox.close();
		}
	});

	// About 1 s on a laptop core; the bound is jest's timeout, not a timing assertion.
	it('a 10 000-message JSON_LISTINGS_FEED is processed and applied', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 10, rateLimits: false, storageUrlStyle: 'local' });
		try {
			sandbox.clock.set(sandbox.clock.now());
			for (let i = 0; i < 10_000; i++) sandbox.data.setListing(`BULK-${i}`, { quantity: 0 });
			const api = new SpApi(sandbox, sandbox.issueAccessToken());
			const messages = Array.from({ length: 10_000 }, (_, i) => patchMessage(i + 1, `BULK-${i}`, i % 500));
			const created = await api.post(DOCS, { contentType: JSON_TYPE });
			expect((await call(created.json.url, { method: 'PUT', headers: { 'Content-Type': JSON_TYPE }, body: JSON.stringify(feedDocument(messages)) })).status).toBe(200);
			const feedId = (await api.post(FEEDS, { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: created.json.feedDocumentId })).json.feedId;
			let feed: any;
			for (let i = 0; i < 3; i++) feed = (await api.get(`${FEEDS}/${feedId}`)).json;
			expect(feed.processingStatus).toBe('DONE');
			const report = JSON.parse(sandbox.data.documentText(feed.resultFeedDocumentId));
			expect(report.summary).toEqual({ errors: 0, warnings: 0, messagesProcessed: 10_000, messagesAccepted: 10_000, messagesInvalid: 0 });
			sandbox.clock.advance(APPLY_DELAY);
			expect(fulfillment(sandbox.data.listing('BULK-9999'))![0].quantity).toBe(9999 % 500);
			expect(sandbox.data.listingSubmissions().filter((s) => s.status === 'APPLIED')).toHaveLength(10_000);
		} finally {
			await sandbox.close();
		}
	}, 15_000);
});

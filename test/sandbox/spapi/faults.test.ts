import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';

import { MARKETPLACE_IDS, startSpApiSandbox, type SpApiSandbox, type ValidatedRequest } from './index';
import { applyClock, startControlServer } from './control';
import { validateSpApiRequest } from '../../contract/spapi-contract';
import { call, grantlessToken, isoAgo, lwaToken, qs, SpApi } from './helpers';
import { spawnSpApiSandbox, SPAPI_SANDBOX_CLI } from './process';
import { DAY } from './util';

describe('SP-API sandbox: faults, stats, clock, contract hook', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;
	let orderPath: string;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 60 });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
		orderPath = `/orders/v0/orders/${sandbox.data.orders()[0].amazonOrderId}`;
	});

	const timed = async <T>(fn: () => Promise<T>) => {
		const t = performance.now();
		const result = await fn();
		return { result, ms: performance.now() - t };
	};

	it('latencyMs delays SP-API requests only (or the chosen target)', async () => {
		sandbox.faults.latencyMs = 1500;
		expect((await timed(() => api.get(orderPath))).ms).toBeGreaterThanOrEqual(1490);
		expect((await timed(() => lwaToken(sandbox))).ms).toBeLessThan(1000);
		sandbox.faults.latencyTarget = 'lwa';
		expect((await timed(() => lwaToken(sandbox))).ms).toBeGreaterThanOrEqual(1490);
		expect((await timed(() => api.get(orderPath))).ms).toBeLessThan(1000);
	});

	it('failNext answers with the server’s own error shape, by operation, and 429 carries no Retry-After', async () => {
		sandbox.faults.failNext(2, 503);
		const a = await api.get(orderPath);
		expect(a.status).toBe(503);
		expect(a.json).toEqual({ errors: [{ code: 'ServiceUnavailable', message: expect.any(String) }] });
		expect((await api.get(orderPath)).status).toBe(503);
		expect((await api.get(orderPath)).status).toBe(200);

		sandbox.faults.failNext(1, 429, { operation: 'ordersV0.getOrderItems' });
		expect((await api.get(orderPath)).status).toBe(200);
		const limited = await api.get(`${orderPath}/orderItems`);
		expect(limited.status).toBe(429);
		expect(limited.json.errors[0].code).toBe('QuotaExceeded');
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(sandbox.stats.count429('ordersV0.getOrderItems')).toBe(1);
		expect(sandbox.stats.throttled('ordersV0.getOrderItems')).toBe(0);
		expect(sandbox.stats.log[sandbox.stats.log.length - 1]).toMatchObject({ injected: true, operation: 'ordersV0.getOrderItems', status: 429 });

		sandbox.faults.failNext(1, 500, { target: 'lwa' });
		const lwa = await call(sandbox.tokenUrl, { method: 'POST', body: 'grant_type=refresh_token', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
		expect(lwa.status).toBe(500);
		expect(lwa.json).toEqual({ error: 'server_error', error_description: expect.any(String) });

		sandbox.faults.failNext(1, 503, { match: '/orderItems' });
		expect((await api.get(orderPath)).status).toBe(200);
		expect((await api.get(`${orderPath}/orderItems`)).status).toBe(503);
	});

	it('resetNext drops the connection; faults.clear() disarms', async () => {
		sandbox.faults.resetNext(1);
		await expect(api.get(orderPath)).rejects.toThrow();
		expect(sandbox.stats.resets).toBe(1);
		sandbox.faults.failNext(5, 500);
		sandbox.faults.clear();
		expect((await api.get(orderPath)).status).toBe(200);
	});

	it('request log: per server, with headers, host, operation, seller and request id', async () => {
		await api.get(orderPath, { 'user-agent': 'ml-connector-test/1.0' });
		const entry = sandbox.stats.requests({ server: 'api' })[0];
		expect(entry).toMatchObject({
			server: 'api',
			method: 'GET',
			host: 'sellingpartnerapi-na.amazon.com',
			region: 'na',
			environment: 'production',
			path: orderPath,
			operation: 'ordersV0.getOrder',
			sellerId: 'A1SANDBOXNA001',
			status: 200,
			outcome: 'response',
			requestId: expect.any(String),
		});
		expect(entry.headers['x-amz-access-token']).toBe(api.token);
		expect(entry.headers['user-agent']).toBe('ml-connector-test/1.0');
		expect(sandbox.stats.requests({ server: 'lwa' })).toHaveLength(1);
		expect(sandbox.stats.countStatus(200)).toBe(1);
		expect(sandbox.stats.tokensIssued).toBe(1);
		sandbox.stats.reset();
		expect(sandbox.stats.log).toHaveLength(0);
	});

	it('the sandbox clock drives the 2-minute rule and token lifetimes; real() restores', async () => {
		const now = sandbox.clock.now();
		sandbox.clock.set(now - 10 * DAY);
		expect(sandbox.clock.frozen).toBe(true);
		// "Before" bounds are checked against the sandbox's now, not the real one.
		const before = new Date(now - 9 * DAY).toISOString();
		const res = await api.get(`/orders/v0/orders${qs({ MarketplaceIds: MARKETPLACE_IDS.US, CreatedAfter: new Date(now - 20 * DAY).toISOString(), CreatedBefore: before })}`);
		expect(res.status).toBe(400);
		expect(res.json.errors[0].message).toMatch(/two minutes/);
		sandbox.clock.real();
		expect(Math.abs(sandbox.clock.now() - Date.now())).toBeLessThan(50);
		expect(applyClock(sandbox, { advance: 60_000 }).now).toBeGreaterThan(Date.now() + 59_000);
		expect(() => applyClock(sandbox, {})).toThrow(/exactly one/);
	});

	it('validateRequest sees every SP-API request (method, path, query, headers, body) and records violations without blocking', async () => {
		const seen: ValidatedRequest[] = [];
		sandbox.validateRequest = (req) => {
			seen.push(req);
			const problems: string[] = [];
			if (!req.headers['user-agent']?.toString().includes('ml-connector')) problems.push('user-agent must name the connector');
			if (req.path.includes('/reports/') && req.method === 'POST' && !(req.body as { marketplaceIds?: unknown }).marketplaceIds) problems.push('createReport without marketplaceIds');
			return problems;
		};
		expect((await api.get(`${orderPath}?x=1&x=2`, { 'user-agent': 'ml-connector/1' })).status).toBe(200);
		expect((await api.get(orderPath)).status).toBe(200);
		expect((await api.post('/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA' }, { 'user-agent': 'ml-connector/1' })).status).toBe(400);
		await new SpApi(sandbox, 'Atza|nobody').get(orderPath);
		expect(seen).toHaveLength(4);
		expect(seen[0]).toMatchObject({ method: 'GET', path: orderPath, query: { x: ['1', '2'] }, host: 'sellingpartnerapi-na.amazon.com' });
		expect(seen[2].body).toEqual({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA' });
		expect(sandbox.contractViolations.map((v) => [v.operation, v.messages])).toEqual([
			['ordersV0.getOrder', ['user-agent must name the connector']],
			['reports.createReport', ['createReport without marketplaceIds']],
			['ordersV0.getOrder', ['user-agent must name the connector']],
		]);
		sandbox.validateRequest = () => {
			throw new Error('validator bug');
		};
		await api.get(orderPath);
		expect(sandbox.contractViolations[3].messages).toEqual(['validateRequest threw: validator bug']);
		sandbox.validateRequest = undefined;
		sandbox.reset();
		expect(sandbox.contractViolations).toEqual([]);
	});

	it('close() is quick even with open keep-alive connections and pending latency', async () => {
		const s = await startSpApiSandbox({ ordersPerSeller: 5 });
		const client = new SpApi(s, s.issueAccessToken());
		await client.get(`/orders/v0/orders/${s.data.orders()[0].amazonOrderId}`);
		s.faults.latencyMs = 10_000;
		const pending = client.get('/orders/v0/orders/111-0000000-0000000').catch(() => undefined);
		await new Promise((r) => setTimeout(r, 30));
		const { ms } = await timed(() => s.close());
		await pending;
		expect(ms).toBeLessThan(500);
	});
});

describe('SP-API sandbox: control channel and process mode', () => {
	it('drives faults, clock, reports, orders and stats over HTTP', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 30 });
		const control = await startControlServer(sandbox);
		try {
			const post = (route: string, body: unknown) => call(`${control.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			expect((await post('/faults', { failNext: { n: 1, status: 503, operation: 'ordersV0.getOrder' } })).status).toBe(200);
			const api = new SpApi(sandbox, sandbox.issueAccessToken());
			const id = sandbox.data.orders()[0].amazonOrderId;
			expect((await api.get(`/orders/v0/orders/${id}`)).status).toBe(503);
			const clock = await post('/clock', { set: '2026-01-15T00:00:00Z' });
			expect(clock.json).toEqual({ now: Date.parse('2026-01-15T00:00:00Z'), iso: '2026-01-15T00:00:00.000Z', frozen: true });
			const report = await post('/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', contentBase64: Buffer.from('a\tb\n').toString('base64') });
			expect(report.json.reportDocumentId).toEqual(expect.any(String));
			expect(sandbox.data.documentText(report.json.reportDocumentId)).toBe('a\tb\n');
			const updated = await post('/orders/update', { amazonOrderId: id, status: 'Canceled' });
			expect(updated.json.status).toBe('Canceled');
			const stats = await call(`${control.url}/stats?log=true`);
			expect(stats.json.operations['ordersV0.getOrder'].byStatus).toEqual({ 503: 1 });
			expect(stats.json.log[0].headerNames).toContain('x-amz-access-token');
			expect((await call(`${control.url}/violations`)).json).toEqual({ contract: [], storage: [] });
			expect((await post('/reset', {})).status).toBe(200);
			expect(sandbox.clock.frozen).toBe(false);
			expect((await call(`${control.url}/nope`)).status).toBe(404);
		} finally {
			await control.close();
			await sandbox.close();
		}
	});

	// npm test compiles the tools (npm run build:tools) before any test runs.
	it('runs as a child process (compiled by npm run build:tools)', async () => {
		expect(fs.existsSync(SPAPI_SANDBOX_CLI)).toBe(true);
		const remote = await spawnSpApiSandbox({ ordersPerSeller: 20 });
		try {
			const token = await call(remote.tokenUrl, {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: remote.authorizations[0].refreshToken, client_id: remote.authorizations[0].clientId, client_secret: remote.authorizations[0].clientSecret }).toString(),
			});
			expect(token.status).toBe(200);
			const res = await call(`${remote.apiUrl}/orders/v0/orders${qs({ MarketplaceIds: MARKETPLACE_IDS.US, CreatedAfter: new Date(Date.now() - 30 * DAY).toISOString() })}`, {
				headers: { 'x-amz-access-token': token.json.access_token },
			});
			expect(res.status).toBe(200);
			expect((await remote.stats()).apiRequests).toBe(1);
		} finally {
			await remote.close();
		}
	});
});

describe('SP-API sandbox: seeding', () => {
	it('is deterministic for a seed and anchor, and reset() restores the seeded data', async () => {
		const anchor = '2026-03-20T12:00:00Z';
		const a = await startSpApiSandbox({ ordersPerSeller: 300, anchor, seed: 7 });
		const b = await startSpApiSandbox({ ordersPerSeller: 300, anchor, seed: 7 });
		try {
			expect(a.data.orders()).toEqual(b.data.orders());
			expect(a.data.financialEvents('A2SANDBOXEU001').map((e) => e.transactionId)).toEqual(b.data.financialEvents('A2SANDBOXEU001').map((e) => e.transactionId));
			expect(a.data.seeded).toEqual(b.data.seeded);
			expect(a.data.listings('A2SANDBOXEU001')).toEqual(b.data.listings('A2SANDBOXEU001'));
			expect(a.data.seeded.orders).toBe(900);
			const first = a.data.orders()[0];
			a.data.updateOrder(first.amazonOrderId, { status: 'Canceled' });
			a.reset();
			expect(a.data.order(first.amazonOrderId)).toEqual(first);
			const orders = a.data.orders();
			expect(orders.every((o) => o.purchaseDate <= Date.parse(anchor) && o.purchaseDate >= Date.parse(anchor) - 120 * DAY)).toBe(true);
			const statuses = new Set(orders.map((o) => o.status));
			for (const s of ['Shipped', 'Unshipped', 'Canceled', 'Pending']) expect(statuses).toContain(s);
			expect(new Set(orders.map((o) => o.marketplaceId))).toEqual(new Set([MARKETPLACE_IDS.US, MARKETPLACE_IDS.CA, MARKETPLACE_IDS.MX]));
			expect(isoAgo(a, 0)).toEqual(expect.any(String));
		} finally {
			await Promise.all([a.close(), b.close()]);
		}
	});
});

describe('SP-API sandbox: faults and the contract hook on listings, feeds, notifications and sellers', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 20, rateLimits: false, storageUrlStyle: 'local' });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
	});

	const sku = () => sandbox.data.listings().find((l) => l.attributes.fulfillment_availability?.[0].fulfillment_channel_code === 'DEFAULT')!.sku;
	const merge = { productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 2 }] }] };

	it('failNext / resetNext by operation on the new operations, and on feed uploads at the storage', async () => {
		const path = `/listings/2021-08-01/items/A1SANDBOXNA001/${encodeURIComponent(sku())}${qs({ marketplaceIds: MARKETPLACE_IDS.US })}`;
		sandbox.faults.failNext(1, 503, { operation: 'listings.patchListingsItem' });
		const failed = await api.patch(path, merge);
		expect(failed.status).toBe(503);
		expect(failed.json.errors[0].code).toBe('ServiceUnavailable');
		expect(sandbox.data.listingSubmissions()).toEqual([]);
		expect((await api.patch(path, merge)).json.status).toBe('ACCEPTED');

		const app = new SpApi(sandbox, await grantlessToken(sandbox));
		sandbox.faults.failNext(1, 429, { operation: 'notifications.createDestination' });
		const throttled = await app.post('/notifications/v1/destinations', { name: 'q', resourceSpecification: { sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:q' } } });
		expect(throttled.status).toBe(429);
		expect(throttled.json.errors[0].code).toBe('QuotaExceeded');
		expect(sandbox.notifications.destinations()).toEqual([]);
		sandbox.faults.failNext(1, 500, { operation: 'sellers.getMarketplaceParticipations' });
		expect((await api.get('/sellers/v1/marketplaceParticipations')).status).toBe(500);
		expect(sandbox.stats.operations['sellers.getMarketplaceParticipations'].byStatus).toEqual({ 500: 1 });

		const doc = await api.post('/feeds/2021-06-30/documents', { contentType: 'text/plain' });
		sandbox.faults.resetNext(1, { target: 'storage', match: '/Feeds/' });
		await expect(call(doc.json.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).rejects.toThrow();
		sandbox.faults.failNext(1, 503, { target: 'storage', match: '/Feeds/' });
		const slow = await call(doc.json.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
		expect(slow.status).toBe(503);
		expect(slow.text).toContain('<Code>SlowDown</Code>');
		expect((await call(doc.json.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status).toBe(200);
		expect(sandbox.stats.requests({ server: 'storage', method: 'PUT' }).map((e) => e.status)).toEqual([0, 503, 200]);
	});

	it("with test/contract's validateSpApiRequest as the hook, correct calls leave no violations and a wrong one is recorded", async () => {
		sandbox.validateRequest = (req) => validateSpApiRequest({ method: req.method, path: req.path, query: req.query, headers: req.headers, body: req.body, host: req.host }).violations;
		try {
			const s = sku();
			await api.get(`/listings/2021-08-01/items/A1SANDBOXNA001/${encodeURIComponent(s)}${qs({ marketplaceIds: MARKETPLACE_IDS.US, includedData: 'summaries,fulfillmentAvailability' })}`);
			await api.patch(`/listings/2021-08-01/items/A1SANDBOXNA001/${encodeURIComponent(s)}${qs({ marketplaceIds: MARKETPLACE_IDS.US, includedData: 'issues' })}`, merge);
			const doc = await api.post('/feeds/2021-06-30/documents', { contentType: 'application/json; charset=UTF-8' });
			await call(doc.json.url, { method: 'PUT', headers: { 'Content-Type': 'application/json; charset=UTF-8' }, body: '{}' });
			const feed = await api.post('/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [MARKETPLACE_IDS.US], inputFeedDocumentId: doc.json.feedDocumentId });
			await api.get(`/feeds/2021-06-30/feeds/${feed.json.feedId}`);
			await api.get(`/feeds/2021-06-30/feeds${qs({ feedTypes: 'JSON_LISTINGS_FEED', pageSize: 10 })}`);
			const app = new SpApi(sandbox, await grantlessToken(sandbox));
			const destination = await app.post('/notifications/v1/destinations', { name: 'q', resourceSpecification: { sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:q' } } });
			await api.post('/notifications/v1/subscriptions/ORDER_CHANGE', { payloadVersion: '1.0', destinationId: destination.json.payload.destinationId });
			await app.get('/notifications/v1/destinations');
			expect(sandbox.contractViolations).toEqual([]);
			// The sandbox answers (400), and the hook records why Amazon's model refuses it.
			const wrong = await api.patch(`/listings/2021-08-01/items/A1SANDBOXNA001/${encodeURIComponent(s)}`, { patches: merge.patches });
			expect(wrong.status).toBe(400);
			expect(sandbox.contractViolations).toHaveLength(1);
			expect(sandbox.contractViolations[0]).toMatchObject({ operation: 'listings.patchListingsItem', messages: expect.arrayContaining([expect.stringContaining('marketplaceIds'), expect.stringContaining('productType')]) });
		} finally {
			sandbox.validateRequest = undefined;
		}
	});

	it('control channel: listings, feed outcomes, notification destinations, subscriptions, batches and deliveries', async () => {
		const control = await startControlServer(sandbox);
		try {
			const post = (route: string, body: unknown) => call(`${control.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
			const listing = await post('/listings', { sku: 'CONTROL-SKU', quantity: 4 });
			expect(listing.json).toMatchObject({ sku: 'CONTROL-SKU', attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 4 }] } });
			expect((await call(`${control.url}/listings`)).json.map((l: any) => l.sku)).toContain('CONTROL-SKU');
			expect((await post('/feeds/outcome', { feedType: 'JSON_LISTINGS_FEED', outcome: 'FATAL' })).status).toBe(200);
			const destination = await post('/notifications/destinations', { sqsArn: 'arn:aws:sqs:us-east-1:123456789012:control' });
			expect(destination.json.resource).toEqual({ sqs: { arn: 'arn:aws:sqs:us-east-1:123456789012:control' } });
			expect((await post('/notifications/subscriptions', { notificationType: 'ORDER_CHANGE', destinationId: destination.json.destinationId })).status).toBe(200);
			const batch = await post('/notifications/batch', { count: 3, duplicates: 1 });
			expect(batch.json).toHaveLength(4);
			const deliveries = await call(`${control.url}/notifications/deliveries?notificationType=ORDER_CHANGE`);
			expect(deliveries.json.map((d: any) => d.notificationId)).toEqual(batch.json.map((d: any) => d.notificationId));
			expect((await post('/notifications/subscriptions', { notificationType: 'ORDER_CHANGE', destinationId: destination.json.destinationId })).status).toBe(400);
		} finally {
			await control.close();
		}
	});
});

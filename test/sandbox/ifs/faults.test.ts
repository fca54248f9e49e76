import { performance } from 'node:perf_hooks';
import { startIfsSandbox, type IfsSandbox } from './index';
import { Api, call, fetchToken } from './helpers';

const CO = 'CustomerOrderHandling';
const ORDER = "CustomerOrderSet(OrderNo='C1000001')";

describe('IFS sandbox: fault injection and stats', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.reset();
		api = new Api(sandbox, sandbox.issueToken());
	});

	const timed = async <T>(fn: () => Promise<T>) => {
		const t = performance.now();
		const result = await fn();
		return { result, ms: performance.now() - t };
	};

	it('latencyMs delays every API request; collectionLatencyMs only collection reads', async () => {
		// A wide gap between the delay and the bound: a loaded machine may be slow, never 1.5 s slow.
		sandbox.faults.latencyMs = 1500;
		const entity = await timed(() => api.get(CO, ORDER));
		expect(entity.result.status).toBe(200);
		expect(entity.ms).toBeGreaterThanOrEqual(1490);
		sandbox.faults.latencyMs = 0;
		sandbox.faults.collectionLatencyMs = 1500;
		const single = await timed(() => api.get(CO, ORDER));
		const page = await timed(() => api.get(CO, 'CustomerOrderSet?$top=5'));
		expect(single.ms).toBeLessThan(1000);
		expect(page.ms).toBeGreaterThanOrEqual(1490);
		sandbox.faults.latencyMatch = 'CustomerOrderLineSet';
		expect((await timed(() => api.get(CO, 'CustomerOrderSet?$top=5'))).ms).toBeLessThan(1000);
	});

	it('failNext answers the next n requests with the status, an envelope and Retry-After', async () => {
		sandbox.faults.failNext(2, 503, { retryAfterSeconds: 3 });
		for (let i = 0; i < 2; i++) {
			const res = await api.get(CO, ORDER);
			expect(res.status).toBe(503);
			expect(res.headers.get('retry-after')).toBe('3');
			expect(res.json.error.code).toBe('SERVICE_UNAVAILABLE');
		}
		expect((await api.get(CO, ORDER)).status).toBe(200);
		expect(sandbox.stats.count503).toBe(2);
	});

	it('failNext with match targets only matching requests, and leaves IAM alone by default', async () => {
		sandbox.faults.failNext(1, 502, { match: /CustomerOrderLineSet/ });
		expect((await fetchToken(sandbox)).length).toBeGreaterThan(0);
		expect((await api.get(CO, ORDER)).status).toBe(200);
		expect((await api.get(CO, 'CustomerOrderLineSet?$top=1')).status).toBe(502);
		expect((await api.get(CO, 'CustomerOrderLineSet?$top=1')).status).toBe(200);
		sandbox.faults.failNext(1, 503, { match: '/protocol/openid-connect/token', scope: 'all' });
		await expect(fetchToken(sandbox)).rejects.toThrow(/503/);
	});

	it('resetNext destroys the connection without a response', async () => {
		sandbox.faults.resetNext(1);
		await expect(fetch(api.url(CO, ORDER), { headers: { Authorization: `Bearer ${api.token}` } })).rejects.toThrow();
		expect((await api.get(CO, ORDER)).status).toBe(200);
		expect(sandbox.stats.resets).toBe(1);
		expect(sandbox.stats.log[0]).toMatchObject({ status: 0, outcome: 'reset' });
	});

	it('miModifiedNext answers HTTP 500 MI_MODIFIED_ERROR, then the retry works', async () => {
		sandbox.faults.miModifiedNext(1);
		const res = await api.get(CO, ORDER);
		expect(res.status).toBe(500);
		expect(res.json).toEqual({ error: { code: 'MI_MODIFIED_ERROR', message: 'Service metadata already modified.' } });
		expect((await api.get(CO, ORDER)).status).toBe(200);
	});

	it('expireAllTokens makes every issued token fail until a new one is fetched', async () => {
		expect((await api.get(CO, ORDER)).status).toBe(200);
		sandbox.faults.expireAllTokens();
		const res = await api.get(CO, ORDER);
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toContain('invalid_token');
		const fresh = new Api(sandbox, await fetchToken(sandbox));
		expect((await fresh.get(CO, ORDER)).status).toBe(200);
	});

	it('concurrentWriter makes the client ETag stale just before evaluation (PATCH and bound actions)', async () => {
		sandbox.faults.concurrentWriter({ projection: CO, entitySet: 'CustomerOrderSet', times: 2 });
		const read = await api.get(CO, ORDER);
		const etag = read.headers.get('etag')!;
		const first = await api.request('PATCH', CO, ORDER, { body: { Note: 'mine' }, headers: { 'If-Match': etag } });
		expect(first.status).toBe(412);
		const write = sandbox.faults.concurrentWrites[0];
		expect(write).toMatchObject({ projection: CO, entitySet: 'CustomerOrderSet', keys: { OrderNo: 'C1000001' }, field: 'CustomerPoNo', previousEtag: etag });
		expect(sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: 'C1000001' })!.CustomerPoNo).toBe(write.newValue);
		// Requests without If-Match are not interfered with and do not use up the fault.
		expect((await api.get(CO, ORDER)).status).toBe(200);
		sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: 'C1000001' }, { Objstate: 'Planned' });
		const release = await api.request('POST', CO, `${ORDER}/IfsApp.CustomerOrderHandling.CustomerOrder_Release`, {
			headers: { 'If-Match': sandbox.data.etag(CO, 'CustomerOrderSet', { OrderNo: 'C1000001' })! },
		});
		expect(release.status).toBe(412);
		expect(sandbox.faults.concurrentWrites).toHaveLength(2);
		// Exhausted: the re-read ETag now works.
		const retry = await api.request('PATCH', CO, ORDER, { body: { Note: 'mine' }, headers: { 'If-Match': (await api.get(CO, ORDER)).headers.get('etag')! } });
		expect(retry.status).toBe(200);
	});

	it('reset() clears every fault', async () => {
		sandbox.faults.failNext(5);
		sandbox.faults.latencyMs = 10_000;
		sandbox.faults.concurrentWriter({ projection: CO, entitySet: 'CustomerOrderSet', times: 5 });
		sandbox.reset();
		const res = await timed(() => api.get(CO, ORDER));
		expect(res.result.status).toBe(200);
		expect(res.ms).toBeLessThan(5000);
		expect(sandbox.faults.concurrentWrites).toHaveLength(0);
	});

	it('records requests, statuses and peak concurrency', async () => {
		sandbox.faults.latencyMs = 100;
		await Promise.all(Array.from({ length: 6 }, () => api.get(CO, "CustomerOrderSet?$filter=Contract%20eq%20'S100'&$top=1")));
		await api.get(CO, "CustomerOrderSet('NOPE')");
		const stats = sandbox.stats;
		expect(stats.totalRequests).toBe(7);
		expect(stats.apiRequests).toBe(7);
		expect(stats.count200).toBe(6);
		expect(stats.count404).toBe(1);
		expect(stats.maxInFlight).toBeGreaterThanOrEqual(6);
		const entry = stats.log[0];
		expect(entry).toMatchObject({ kind: 'api', method: 'GET', status: 200, outcome: 'response', query: { $filter: "Contract eq 'S100'", $top: '1' } });
		expect(entry.path).toBe('/int/ifsapplications/projection/v1/CustomerOrderHandling.svc/CustomerOrderSet');
		expect(entry.headers.authorization).toBe(`Bearer ${api.token}`);
		expect(entry.endMs - entry.startMs).toBeGreaterThanOrEqual(90);
		stats.reset();
		expect(stats.totalRequests).toBe(0);
		expect(stats.log).toHaveLength(0);
	});
});

describe('IFS sandbox: close()', () => {
	it('closes quickly even with requests parked in latency and open keep-alive sockets', async () => {
		const sandbox = await startIfsSandbox();
		const api = new Api(sandbox, sandbox.issueToken());
		expect((await api.get(CO, ORDER)).status).toBe(200);
		sandbox.faults.latencyMs = 10_000;
		const parked = call(api.url(CO, ORDER), { headers: { Authorization: `Bearer ${api.token}` } }).catch((e: Error) => e);
		await new Promise((r) => setTimeout(r, 50));
		const t = performance.now();
		await sandbox.close();
		expect(performance.now() - t).toBeLessThan(500);
		// fetch rejects (its TypeError comes from another realm than jest's, so no instanceof).
		expect(String(((await parked) as Error).message)).toMatch(/fetch failed|terminated|other side closed/);
	});
});

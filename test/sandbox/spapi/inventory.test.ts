import { MARKETPLACE_IDS, startSpApiSandbox, type SpApiSandbox } from './index';
import { isoAgo, lwaToken, qs, SpApi } from './helpers';
import { DAY } from './util';

const { US, CA, DE } = MARKETPLACE_IDS;
const PATH = '/fba/inventory/v1/summaries';

describe('SP-API sandbox: FBA Inventory getInventorySummaries', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;
	const base = { granularityType: 'Marketplace', granularityId: US, marketplaceIds: US };

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 50, rateLimits: false, catalogSize: 200 });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
	});

	const get = (params: Record<string, string | boolean | string[] | undefined>) => api.get(`${PATH}${qs(params)}`);

	it('returns payload { granularity, inventorySummaries } and top-level pagination; 50 per page; details on request', async () => {
		const first = await get(base);
		expect(first.status).toBe(200);
		expect(first.json.payload.granularity).toEqual({ granularityType: 'Marketplace', granularityId: US });
		expect(first.json.payload.inventorySummaries).toHaveLength(50);
		expect(first.json.pagination.nextToken).toEqual(expect.any(String));
		const s = first.json.payload.inventorySummaries[0];
		expect(s).toEqual({
			asin: expect.any(String),
			fnSku: expect.stringMatching(/^X00/),
			sellerSku: expect.any(String),
			condition: 'NewItem',
			lastUpdatedTime: expect.stringMatching(/Z$/),
			productName: expect.any(String),
			totalQuantity: expect.any(Number),
		});
		const detailed = await get({ ...base, details: true });
		expect(detailed.json.payload.inventorySummaries[0].inventoryDetails).toMatchObject({
			fulfillableQuantity: expect.any(Number),
			inboundWorkingQuantity: expect.any(Number),
			reservedQuantity: { totalReservedQuantity: expect.any(Number), pendingCustomerOrderQuantity: expect.any(Number) },
			researchingQuantity: { totalResearchingQuantity: expect.any(Number), researchingQuantityBreakdown: expect.any(Array) },
			unfulfillableQuantity: { totalUnfulfillableQuantity: expect.any(Number), customerDamagedQuantity: expect.any(Number) },
		});

		const all = [...first.json.payload.inventorySummaries];
		let token = first.json.pagination?.nextToken;
		while (token) {
			const next = await get({ ...base, nextToken: token });
			expect(next.status).toBe(200);
			all.push(...next.json.payload.inventorySummaries);
			token = next.json.pagination?.nextToken;
		}
		expect(all.map((x) => x.sellerSku)).toEqual(sandbox.data.inventory(undefined, US).map((r) => r.sku));
	});

	it('nextToken expires 30 s after issue (sandbox clock)', async () => {
		const first = await get(base);
		sandbox.clock.advance(31_000);
		const late = await get({ ...base, nextToken: first.json.pagination.nextToken });
		expect(late.status).toBe(400);
		expect(late.json.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(/expired/) });
	});

	it('filters by sellerSkus (URL-encoded SKUs with & / + # spaces) and by startDateTime, which ignores sellerSkus', async () => {
		const rows = sandbox.data.inventory(undefined, US);
		const special = rows.filter((r) => /[&/+#" ]/.test(r.sku));
		expect(special.length).toBeGreaterThan(0);
		const wanted = [...new Set([...special.map((r) => r.sku), rows[rows.length - 1].sku])];
		const bySku = await api.get(`${PATH}${qs(base)}&sellerSkus=${wanted.map(encodeURIComponent).join(',')}`);
		expect(bySku.json.payload.inventorySummaries.map((x: any) => x.sellerSku).sort()).toEqual([...wanted].sort());
		const single = await get({ ...base, sellerSku: special[0].sku });
		expect(single.json.payload.inventorySummaries.map((x: any) => x.sellerSku)).toEqual([special[0].sku]);

		sandbox.data.updateInventory(rows[5].sku, { fulfillable: 999 }, { marketplaceId: US });
		const since = await get({ ...base, startDateTime: isoAgo(sandbox, 60_000), sellerSkus: [rows[0].sku] });
		const changed = since.json.payload.inventorySummaries;
		expect(changed.map((x: any) => x.sellerSku)).toContain(rows[5].sku);
		expect(changed.every((x: any) => Date.parse(x.lastUpdatedTime) >= sandbox.clock.now() - 61_000)).toBe(true);
	});

	it('validates granularity, marketplaceIds and startDateTime', async () => {
		const cases: Array<Record<string, string | string[]>> = [
			{ granularityId: US, marketplaceIds: US },
			{ granularityType: 'Region', granularityId: US, marketplaceIds: US },
			{ granularityType: 'Marketplace', marketplaceIds: US },
			{ granularityType: 'Marketplace', granularityId: US },
			{ ...base, marketplaceIds: [US, CA] },
			{ ...base, granularityId: CA },
			{ granularityType: 'Marketplace', granularityId: DE, marketplaceIds: DE },
			{ ...base, startDateTime: isoAgo(sandbox, 600 * DAY) },
			{ ...base, sellerSkus: Array.from({ length: 51 }, (_, i) => `S${i}`) },
		];
		for (const params of cases) {
			const res = await get(params);
			expect({ params, status: res.status }).toEqual({ params, status: 400 });
		}
	});
});

/**
 * Amazon Seller Central node, Inventory → Get FBA Summaries, as real workflows against the
 * sandbox: every page, SKUs needing URL encoding, more than 50 SKUs, changed-since, the 30-second
 * next token running out, and marketplaces outside the credential.
 */
import { MARKETPLACE_IDS } from '../../sandbox/spapi';
import { type AmazonTestbed, AMAZON_NODE, jsonOf, runAmazon, startAmazonTestbed } from './helpers';

const { US, DE } = MARKETPLACE_IDS;
const HOUR = 3_600_000;

describe('Amazon Seller Central: FBA inventory summaries', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		// timeScale 30: a next token lives 1 s, long enough for a loaded machine, short enough to run out on purpose.
		bed = await startAmazonTestbed({ timeScale: 30, ordersPerSeller: 50, catalogSize: 300, inventoryPageSize: 20 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => expect(bed.sandbox.contractViolations).toEqual([]));

	const summaries = (parameters: Record<string, unknown>, seller?: string) =>
		runAmazon({ sandbox: bed.sandbox, seller, parameters: { resource: 'inventory', operation: 'getSummaries', returnAll: true, options: {}, ...parameters } });

	it("reads every page of the credential's first marketplace, with the quantity breakdown", async () => {
		const result = await summaries({});
		expect(result.status).toBe('success');
		const rows = jsonOf(result.output(AMAZON_NODE));
		const expected = bed.sandbox.data.inventory(undefined, US);
		expect(rows.map((row) => row.sellerSku)).toEqual(expected.map((record) => record.sku));
		expect(expected.length).toBeGreaterThan(100);
		const first = rows[0];
		expect(first).toMatchObject({ marketplaceId: US, fnSku: expected[0].fnSku, asin: expected[0].asin });
		expect((first.inventoryDetails as { fulfillableQuantity: number }).fulfillableQuantity).toBe(expected[0].fulfillable);
		const pages = bed.sandbox.stats.requests({ operation: 'fbaInventory.getInventorySummaries' });
		expect(pages).toHaveLength(Math.ceil(expected.length / 20));
		expect(pages.every((page) => page.query.details === 'true' && page.query.granularityId === US)).toBe(true);
	});

	it('asks for SKUs 50 at a time, encoding SKUs with & / + # and quotes, in another region and marketplace', async () => {
		const all = bed.sandbox.data.inventory('A2SANDBOXEU001', DE);
		const awkward = all.filter((record) => /[&/+#"' ]|Ü|Ö/.test(record.sku)).map((record) => record.sku);
		expect(awkward.length).toBeGreaterThan(2);
		const wanted = [...awkward, ...all.filter((record) => !awkward.includes(record.sku)).slice(0, 60).map((record) => record.sku)];
		const result = await summaries({ marketplaceId: DE, sellerSkus: wanted.join(', ') }, 'eu');
		expect(result.status).toBe('success');
		expect(jsonOf(result.output(AMAZON_NODE)).map((row) => row.sellerSku).sort()).toEqual([...wanted].sort());
		const requests = bed.sandbox.stats.requests({ operation: 'fbaInventory.getInventorySummaries' });
		const skuCounts = requests.filter((entry) => entry.query.sellerSkus).map((entry) => String(entry.query.sellerSkus).split(',').length);
		expect(Math.max(...skuCounts)).toBeLessThanOrEqual(50);
		expect(requests.every((entry) => entry.host === 'sellingpartnerapi-eu.amazon.com')).toBe(true);
	});

	it('changed since: only recently updated SKUs, and every follow-up page repeats startDateTime', async () => {
		const since = Date.now() - 24 * HOUR;
		const result = await summaries({ changedSince: new Date(since).toISOString() });
		const expected = bed.sandbox.data
			.inventory(undefined, US)
			.filter((record) => record.lastUpdatedTime >= Math.floor(since / 1000) * 1000)
			.map((record) => record.sku);
		expect(jsonOf(result.output(AMAZON_NODE)).map((row) => row.sellerSku)).toEqual(expected);
		expect(expected.length).toBeGreaterThan(0);
		const pages = bed.sandbox.stats.requests({ operation: 'fbaInventory.getInventorySummaries' });
		expect(pages.every((page) => typeof page.query.startDateTime === 'string')).toBe(true);
	});

	it('a next token that ran out (Amazon was slow) restarts the listing: every SKU exactly once', async () => {
		// Follow-up pages answered slower than the token lives (30 s ÷ 30): the first one fails.
		bed.sandbox.faults.latencyMs = 1500;
		bed.sandbox.faults.latencyMatch = 'nextToken=';
		const running = summaries({});
		for (let waited = 0; bed.sandbox.stats.requests({ operation: 'fbaInventory.getInventorySummaries' }).every((entry) => entry.status !== 400) && waited < 20_000; waited += 5) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		bed.sandbox.faults.latencyMs = 0;
		const result = await running;
		expect(result.status).toBe('success');
		const skus = jsonOf(result.output(AMAZON_NODE)).map((row) => row.sellerSku);
		expect(skus).toEqual(bed.sandbox.data.inventory(undefined, US).map((record) => record.sku));
		expect(bed.sandbox.stats.requests({ operation: 'fbaInventory.getInventorySummaries' }).filter((entry) => entry.status === 400).length).toBeGreaterThanOrEqual(1);
	});

	it("refuses a marketplace outside the credential's, saying which ones it has", async () => {
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'inventory', operation: 'getSummaries', marketplaceId: DE, returnAll: true, options: {} },
		});
		const [failed] = result.output(AMAZON_NODE, 1);
		expect(String(failed.json.error)).toMatch(/A1PA6795UKMFR9 is not one of the credential's marketplaces/);
		expect(bed.sandbox.stats.requests({ server: 'api' })).toHaveLength(0);
	});
});

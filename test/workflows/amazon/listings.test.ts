/**
 * Amazon Seller Central node, Listing resource, as real workflows against the SP-API sandbox:
 * one SKU through the Listings Items API (merge patch, skip-if-unchanged, INVALID as an error),
 * many SKUs through one JSON_LISTINGS_FEED (upload without credentials, processing report mapped
 * back to each input item, resume of an unfinished feed, FATAL).
 */
import type { IDataObject } from 'n8n-workflow';

import type { SpApiSandbox } from '../../sandbox/spapi';
import { type AmazonTestbed, AMAZON_NODE, jsonOf, runAmazon, startAmazonTestbed } from './helpers';

const SELLER = 'A1SANDBOXNA001';

/** The merchant-fulfilled (DEFAULT) quantity the sandbox's listing has now. */
function merchantQuantity(sandbox: SpApiSandbox, sku: string): number | undefined {
	const availability = (sandbox.data.listing(sku, SELLER)?.attributes.fulfillment_availability ?? []) as IDataObject[];
	const merchant = availability.find((entry) => entry.fulfillment_channel_code === 'DEFAULT');
	return typeof merchant?.quantity === 'number' ? merchant.quantity : undefined;
}

const isMerchant = (sandbox: SpApiSandbox, sku: string) => merchantQuantity(sandbox, sku) !== undefined;

describe('Amazon Seller Central: listing quantities', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 50 });
	});
	afterAll(async () => await bed.close());
	beforeEach(() => bed.sandbox.reset());
	afterEach(() => {
		expect(bed.sandbox.contractViolations).toEqual([]);
		expect(bed.sandbox.storageViolations).toEqual([]);
	});

	const merchantSkus = () => bed.sandbox.data.listings(SELLER).filter((listing) => isMerchant(bed.sandbox, listing.sku)).map((listing) => listing.sku);
	const fbaSku = () => bed.sandbox.data.listings(SELLER).find((listing) => !isMerchant(bed.sandbox, listing.sku))!.sku;

	it('Update Quantity merges the merchant quantity of an awkward SKU; Amazon applies it later', async () => {
		const sku = merchantSkus().find((candidate) => /[&/+#" ]/.test(candidate))!;
		expect(sku).toBeDefined();
		const before = merchantQuantity(bed.sandbox, sku)!;
		const entryBefore = (bed.sandbox.data.listing(sku, SELLER)!.attributes.fulfillment_availability as IDataObject[]).find((entry) => entry.fulfillment_channel_code === 'DEFAULT')!;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'listing', operation: 'updateQuantity', sku, quantity: before + 7, options: { sourceSystem: 'IFS Cloud', sourceId: 'PART-1' } },
		});
		expect(result.status).toBe('success');
		const [item] = jsonOf(result.output(AMAZON_NODE));
		expect(item).toMatchObject({ sku, quantity: before + 7, status: 'ACCEPTED', submissionId: expect.stringMatching(/^[0-9a-f]{32}$/) });
		expect(item._trace).toMatchObject({ source: { system: 'IFS Cloud', id: 'PART-1' }, target: { system: 'Amazon Seller Central', id: `listing ${SELLER}/${sku}` }, action: 'updated' });
		const [patch] = bed.sandbox.stats.requests({ operation: 'listings.patchListingsItem' });
		expect(patch.path).toBe(`/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(sku)}`);
		expect(bed.sandbox.data.listingSubmissions(SELLER)).toEqual([expect.objectContaining({ sku, status: expect.stringMatching(/PENDING|APPLIED/) })]);
		bed.sandbox.clock.advance(10_000);
		expect(merchantQuantity(bed.sandbox, sku)).toBe(before + 7);
		// The rest of the channel's entry (lead time and the like) stays: merge, not replace.
		const entryAfter = (bed.sandbox.data.listing(sku, SELLER)!.attributes.fulfillment_availability as IDataObject[]).find((entry) => entry.fulfillment_channel_code === 'DEFAULT')!;
		expect(entryAfter).toEqual({ ...entryBefore, quantity: before + 7 });
		expect(Object.keys(entryBefore).length).toBeGreaterThan(2);
		expect(bed.sandbox.stats.requests({ operation: 'listings.patchListingsItem' })).toHaveLength(1);
	});

	it('skips the write when Amazon already has the quantity (idempotent re-run), and validates without changing in preview', async () => {
		const sku = merchantSkus()[0];
		const current = merchantQuantity(bed.sandbox, sku)!;
		const same = await runAmazon({ sandbox: bed.sandbox, parameters: { resource: 'listing', operation: 'updateQuantity', sku, quantity: current, options: {} } });
		expect(jsonOf(same.output(AMAZON_NODE))[0]).toMatchObject({ sku, status: 'UNCHANGED' });
		expect(bed.sandbox.stats.requests({ operation: 'listings.patchListingsItem' })).toHaveLength(0);

		const preview = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'listing', operation: 'updateQuantity', sku, quantity: current + 1, options: { validationPreview: true } },
		});
		expect(jsonOf(preview.output(AMAZON_NODE))[0]).toMatchObject({ status: 'VALID' });
		bed.sandbox.clock.advance(10_000);
		expect(merchantQuantity(bed.sandbox, sku)).toBe(current);
	});

	it("an FBA SKU is refused before anything is sent; Amazon's INVALID fails the item with its issue; no Seller ID, no request", async () => {
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'listing', operation: 'updateQuantity', sku: '={{ $json.sku }}', quantity: 5, options: { skipUnchanged: false } },
			items: [{ sku: fbaSku() }],
		});
		const [failed] = result.output(AMAZON_NODE, 1);
		expect(String(failed.json.error)).toMatch(/is fulfilled by Amazon \(AMAZON_NA\)/);
		expect(JSON.stringify(failed.json)).toMatch(/convert the listing to merchant-fulfilled/);
		expect(bed.sandbox.stats.requests({ operation: 'listings.patchListingsItem' })).toHaveLength(0);

		// Amazon's own refusal (INVALID: here a fractional handling time) fails the item with its issues.
		const refused = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'listing', operation: 'updateQuantity', sku: merchantSkus()[0], quantity: 5, options: { handlingTime: 1.5 } },
		});
		expect(refused.output(AMAZON_NODE)).toEqual([]);
		const [invalid] = refused.output(AMAZON_NODE, 1);
		expect(String(invalid.json.error)).toMatch(/Amazon refused the quantity for SKU .*90000900/);

		bed.sandbox.stats.reset();
		const noSeller = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			credentials: { sellerId: '' },
			parameters: { resource: 'listing', operation: 'updateQuantity', sku: merchantSkus()[0], quantity: 5, options: {} },
		});
		expect(String(noSeller.output(AMAZON_NODE, 1)[0].json.error)).toMatch(/No Seller ID/);
		expect(JSON.stringify(noSeller.output(AMAZON_NODE, 1)[0].json)).toMatch(/Merchant Token/);
		expect(bed.sandbox.stats.requests({ server: 'api' })).toHaveLength(0);
	});

	it('Bulk Update Quantities: one feed for all items; each item gets its own verdict from the processing report', async () => {
		const skus = merchantSkus().slice(0, 25);
		const items: IDataObject[] = skus.map((sku, index) => ({ sku, quantity: 100 + index }));
		items.push({ sku: fbaSku(), quantity: 3 }); // 25: FBA, left out (it would become merchant-fulfilled)
		items.push({ sku: 'NO-SUCH-SKU-1', quantity: 3 }); // 26: unknown, refused by Amazon
		items.push({ sku: skus[0], quantity: 9 }); // 27: the same SKU again, refused before sending
		items.push({ sku: skus[1], quantity: -2 }); // 28: invalid quantity, refused before sending
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'listing', operation: 'bulkUpdateQuantities', options: { pollSeconds: 1, sourceSystem: 'IFS Cloud', sourceId: '={{ $json.sku }}' } },
			items,
		});
		expect(result.status).toBe('success');
		const succeeded = result.output(AMAZON_NODE);
		expect(succeeded).toHaveLength(26);
		expect(succeeded.map((item) => item.pairedItem)).toEqual([...skus.map((_, index) => ({ item: index })), { item: 25 }]);
		const accepted = jsonOf(succeeded).slice(0, 25);
		expect(accepted.every((item) => item.status === 'ACCEPTED' && typeof item.feedId === 'string')).toBe(true);
		// The FBA SKU is left out, visibly: not sent, not a failure (a whole-catalog sync meets FBA SKUs every run).
		expect(jsonOf(succeeded)[25]).toMatchObject({ sku: fbaSku(), status: 'SKIPPED', _trace: { action: 'unchanged' } });
		expect(String(jsonOf(succeeded)[25].reason)).toMatch(/Fulfilled by Amazon/);
		const failed = result.output(AMAZON_NODE, 1);
		expect(failed.map((item) => item.pairedItem)).toEqual([{ item: 26 }, { item: 27 }, { item: 28 }]);
		expect(String(failed[0].json.error)).toMatch(/NO-SUCH-SKU-1/);
		expect(String(failed[1].json.error)).toMatch(/appears again/);
		expect(String(failed[2].json.error)).toMatch(/whole number/);

		expect(bed.sandbox.stats.requests({ operation: 'feeds.createFeed' })).toHaveLength(1);
		const [feed] = bed.sandbox.data.feeds();
		expect(feed.feedType).toBe('JSON_LISTINGS_FEED');
		bed.sandbox.clock.advance(10_000);
		skus.forEach((sku, index) => expect(merchantQuantity(bed.sandbox, sku)).toBe(100 + index));
	});

	it('a feed not done within the wait comes back IN_PROGRESS; the resumed run reads its result without submitting again', async () => {
		const skus = merchantSkus().slice(0, 5);
		const items = skus.map((sku, index) => ({ sku, quantity: 40 + index }));
		bed.sandbox.clock.set(Date.now());
		const first = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'listing', operation: 'bulkUpdateQuantities', options: { waitSeconds: 0 } },
			items,
		});
		const pending = jsonOf(first.output(AMAZON_NODE));
		expect(pending.every((item) => item.status === 'IN_PROGRESS')).toBe(true);
		const feedId = String(pending[0].resumeFeedId);
		expect(feedId).not.toBe('');

		const resumed = await runAmazon({
			sandbox: bed.sandbox,
			parameters: { resource: 'listing', operation: 'bulkUpdateQuantities', options: { pollSeconds: 1, resumeFeedIds: feedId } },
			items,
		});
		expect(jsonOf(resumed.output(AMAZON_NODE)).map((item) => [item.sku, item.status, item.feedId])).toEqual(skus.map((sku) => [sku, 'ACCEPTED', feedId]));
		expect(bed.sandbox.stats.requests({ operation: 'feeds.createFeed' })).toHaveLength(1);
		expect(bed.sandbox.stats.requests({ operation: 'feeds.createFeedDocument' })).toHaveLength(1);
	});

	it('a FATAL feed fails every item, saying some may have been applied', async () => {
		bed.sandbox.setFeedOutcome('JSON_LISTINGS_FEED', 'FATAL');
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'listing', operation: 'bulkUpdateQuantities', options: { pollSeconds: 1 } },
			items: merchantSkus()
				.slice(0, 3)
				.map((sku) => ({ sku, quantity: 1 })),
		});
		const failed = result.output(AMAZON_NODE, 1);
		expect(failed).toHaveLength(3);
		expect(failed.every((item) => /FATAL/.test(String(item.json.error)))).toBe(true);
	});
});

describe('Amazon Seller Central: listing feeds with gzip results', () => {
	let bed: AmazonTestbed;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 50, gzipFeedResults: true });
	});
	afterAll(async () => await bed.close());

	it('reads a GZIP processing report', async () => {
		const sku = bed.sandbox.data.listings(SELLER).find((listing) => isMerchant(bed.sandbox, listing.sku))!.sku;
		const result = await runAmazon({
			sandbox: bed.sandbox,
			node: { onError: 'continueErrorOutput' },
			parameters: { resource: 'listing', operation: 'bulkUpdateQuantities', options: { pollSeconds: 1 } },
			items: [{ sku, quantity: 12 }, { sku: 'NO-SUCH-SKU-2', quantity: 1 }],
		});
		expect(jsonOf(result.output(AMAZON_NODE))).toEqual([expect.objectContaining({ sku, status: 'ACCEPTED' })]);
		expect(String(result.output(AMAZON_NODE, 1)[0].json.error)).toMatch(/NO-SUCH-SKU-2/);
		expect(bed.sandbox.contractViolations).toEqual([]);
		expect(bed.sandbox.storageViolations).toEqual([]);
	});
});

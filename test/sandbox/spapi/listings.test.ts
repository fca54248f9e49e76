import { INVALID_ATTRIBUTE_CODE, MARKETPLACE_IDS, startSpApiSandbox, type ListingRecord, type SpApiSandbox } from './index';
import { lwaToken, qs, rawRequest, SpApi, waitFor } from './helpers';

const { US, CA, DE } = MARKETPLACE_IDS;
const SELLER = 'A1SANDBOXNA001';
const itemPath = (sku: string, seller = SELLER) => `/listings/2021-08-01/items/${seller}/${encodeURIComponent(sku)}`;
const APPLY_DELAY = 5000;

const fulfillment = (l: ListingRecord | undefined) => l?.attributes.fulfillment_availability;
const mfnListing = (sandbox: SpApiSandbox) => sandbox.data.listings().find((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'DEFAULT' && !/[ /+#%'"Ü]/.test(l.sku))!;
const fbaListing = (sandbox: SpApiSandbox) => sandbox.data.listings().find((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'AMAZON_NA')!;
const mergeQuantity = (quantity: unknown, code = 'DEFAULT') => ({
	productType: 'PRODUCT',
	patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: code, quantity }] }],
});

describe('SP-API sandbox: Listings Items 2021-08-01', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 30, rateLimits: false });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
		sandbox.clock.set(sandbox.clock.now());
	});

	it('seeds a listing per catalog product: MFN with DEFAULT quantities, FBA with the region channel, awkward SKUs included', () => {
		const listings = sandbox.data.listings();
		expect(listings).toHaveLength(120);
		expect(sandbox.data.seeded.listings).toBe(360);
		const mfn = listings.filter((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'DEFAULT');
		const fba = listings.filter((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'AMAZON_NA');
		expect(mfn.length).toBeGreaterThan(20);
		expect(fba.length).toBeGreaterThan(20);
		expect(mfn.length + fba.length).toBe(120);
		expect(fulfillment(mfn[0])![0]).toEqual({ fulfillment_channel_code: 'DEFAULT', quantity: expect.any(Number), lead_time_to_ship_max_days: expect.any(Number) });
		expect(fulfillment(fba[0])![0]).toEqual({ fulfillment_channel_code: 'AMAZON_NA' });
		expect(listings.map((l) => l.sku)).toEqual(expect.arrayContaining(['BUNDLE A&B/2', 'MUG+LID #4', 'TEE "CLASSIC" L', 'SKU WITH SPACES 7', 'MÜSLI-RIEGEL-12', "KID'S-CUP-100%"]));
		expect(sandbox.data.listings('A2SANDBOXEU001').some((l) => fulfillment(l)?.[0].fulfillment_channel_code === 'AMAZON_EU')).toBe(true);
	});

	it('getListingsItem: summaries by default; every includedData set; FBA quantity comes from FBA inventory', async () => {
		const l = mfnListing(sandbox);
		const res = await api.get(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('x-amzn-ratelimit-limit')).toBe('5');
		expect(Object.keys(res.json)).toEqual(['sku', 'summaries']);
		expect(res.json.summaries).toEqual([
			{
				marketplaceId: US,
				asin: l.asin,
				productType: l.productType,
				conditionType: 'new_new',
				status: expect.arrayContaining(['DISCOVERABLE']),
				itemName: l.itemName,
				createdDate: expect.stringMatching(/Z$/),
				lastUpdatedDate: expect.stringMatching(/Z$/),
				mainImage: { link: expect.any(String), height: 500, width: 500 },
			},
		]);
		const all = await api.get(`${itemPath(l.sku)}${qs({ marketplaceIds: [US, CA], includedData: ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'] })}`);
		expect(all.status).toBe(200);
		expect(all.json.summaries.map((s: any) => s.marketplaceId)).toEqual([US, CA]);
		expect(all.json.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'DEFAULT', quantity: fulfillment(l)![0].quantity }]);
		expect(all.json.attributes.fulfillment_availability).toEqual(fulfillment(l));
		expect(all.json.attributes.item_name.map((v: any) => v.marketplace_id)).toEqual([US, CA]);
		expect(all.json.offers).toEqual([
			{ marketplaceId: US, offerType: 'B2C', price: { currencyCode: 'USD', amount: expect.stringMatching(/^\d+\.\d\d$/) }, audience: { value: 'ALL', displayName: 'Sell on Amazon' } },
			{ marketplaceId: CA, offerType: 'B2C', price: { currencyCode: 'CAD', amount: expect.stringMatching(/^\d+\.\d\d$/) }, audience: { value: 'ALL', displayName: 'Sell on Amazon' } },
		]);
		expect(all.json.productTypes).toEqual([
			{ marketplaceId: US, productType: l.productType },
			{ marketplaceId: CA, productType: l.productType },
		]);
		expect(all.json.issues).toEqual(expect.any(Array));

		const fba = fbaListing(sandbox);
		const inv = sandbox.data.inventory().find((r) => r.sku === fba.sku)!;
		const fbaRes = await api.get(`${itemPath(fba.sku)}${qs({ marketplaceIds: US, includedData: ['summaries', 'fulfillmentAvailability'] })}`);
		expect(fbaRes.json.fulfillmentAvailability).toEqual([{ fulfillmentChannelCode: 'AMAZON_NA', quantity: inv.fulfillable }]);
		expect(fbaRes.json.summaries[0].fnSku).toBe(fba.fnSku);
	});

	it('SKUs are one percent-encoded path segment: every awkward SKU works encoded once; raw, double-encoded or split SKUs do not match', async () => {
		for (const sku of ['BUNDLE A&B/2', 'MUG+LID #4', 'TEE "CLASSIC" L', 'SKU WITH SPACES 7', 'MÜSLI-RIEGEL-12', "KID'S-CUP-100%"]) {
			const res = await api.get(`${itemPath(sku)}${qs({ marketplaceIds: US })}`);
			expect({ sku, status: res.status, body: res.json.sku }).toEqual({ sku, status: 200, body: sku });
		}
		// '+' is literal in a path (RFC 3986), so an encoder that leaves it alone still finds the SKU.
		expect((await api.get(`/listings/2021-08-01/items/${SELLER}/MUG+LID%20%234?marketplaceIds=${US}`)).json.sku).toBe('MUG+LID #4');
		// A raw '/' makes a third path segment: no such route.
		const split = await api.get(`/listings/2021-08-01/items/${SELLER}/BUNDLE%20A%26B/2?marketplaceIds=${US}`);
		expect(split.status).toBe(404);
		expect(split.json.errors[0].code).toBe('NotFound');
		// Encoded twice: the SKU arrives as 'BUNDLE%20A%26B%2F2'.
		const twice = await api.get(`/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(encodeURIComponent('BUNDLE A&B/2'))}?marketplaceIds=${US}`);
		expect(twice.status).toBe(404);
		expect(twice.json.errors[0]).toEqual({ code: 'NOT_FOUND', message: "SKU 'BUNDLE%20A%26B%2F2' not found in marketplace(s) ATVPDKIKX0DER." });
		// A raw '%' is malformed percent-encoding: 400, it never matches KID'S-CUP-100%.
		const raw = await rawRequest(`${sandbox.apiUrl}/listings/2021-08-01/items/${SELLER}/KID'S-CUP-100%?marketplaceIds=${US}`, { headers: { ...sandbox.hostHeaders('na'), 'x-amz-access-token': api.token } });
		expect(raw.status).toBe(400);
		expect(JSON.parse(raw.bytes.toString()).errors[0].message).toContain('Malformed percent-encoding in path parameter sku');
		// '#' unencoded ends the path at the client: the request is for 'MUG+LID ' (or fails), never for the SKU.
		const hash = await api.get(`/listings/2021-08-01/items/${SELLER}/MUG+LID%20#4?marketplaceIds=${US}`);
		expect(hash.status).not.toBe(200);
	});

	it('getListingsItem validation: marketplaceIds required and the seller own; includedData enum; another sellerId is 403; unknown SKU is 404', async () => {
		const l = mfnListing(sandbox);
		const missing = await api.get(itemPath(l.sku));
		expect(missing.status).toBe(400);
		expect(missing.json.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('marketplaceIds') });
		expect((await api.get(`${itemPath(l.sku)}${qs({ marketplaceIds: DE })}`)).status).toBe(400);
		const badSet = await api.get(`${itemPath(l.sku)}${qs({ marketplaceIds: US, includedData: 'summaries,prices' })}`);
		expect(badSet.status).toBe(400);
		expect(badSet.json.errors[0].message).toContain('prices');
		const other = await api.get(`${itemPath(l.sku, 'A2SANDBOXEU001')}${qs({ marketplaceIds: US })}`);
		expect(other.status).toBe(403);
		expect(other.json.errors[0]).toEqual({ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: expect.stringContaining('A2SANDBOXEU001') });
		const unknown = await api.get(`${itemPath('NO-SUCH-SKU')}${qs({ marketplaceIds: US })}`);
		expect(unknown.status).toBe(404);
		expect(unknown.json).toEqual({ errors: [{ code: 'NOT_FOUND', message: "SKU 'NO-SUCH-SKU' not found in marketplace(s) ATVPDKIKX0DER." }] });
	});

	it('patch merge: ACCEPTED and queued; the quantity changes only after the apply delay; other fields stay', async () => {
		const l = mfnListing(sandbox);
		const before = fulfillment(l)![0];
		const target = (before.quantity as number) + 7;
		const res = await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, mergeQuantity(target));
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ sku: l.sku, status: 'ACCEPTED', submissionId: expect.stringMatching(/^[0-9a-f]{32}$/), issues: [] });
		expect(sandbox.data.listingSubmissions()).toEqual([expect.objectContaining({ submissionId: res.json.submissionId, sku: l.sku, status: 'PENDING', source: 'patchListingsItem' })]);
		// Accepted, not applied: a read still shows the old quantity.
		const read = async () => (await api.get(`${itemPath(l.sku)}${qs({ marketplaceIds: US, includedData: 'fulfillmentAvailability' })}`)).json.fulfillmentAvailability[0].quantity;
		expect(await read()).toBe(before.quantity);
		sandbox.clock.advance(APPLY_DELAY - 1);
		expect(await read()).toBe(before.quantity);
		sandbox.clock.advance(1);
		expect(await read()).toBe(target);
		expect(fulfillment(sandbox.data.listing(l.sku))).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: target, lead_time_to_ship_max_days: before.lead_time_to_ship_max_days }]);
		expect(sandbox.data.listingSubmissions()[0].status).toBe('APPLIED');
		expect(sandbox.data.listing(l.sku)!.lastUpdatedDate).toBeGreaterThan(l.lastUpdatedDate);
	});

	it('patch replace overwrites the whole attribute (lead time gone); delete removes a channel; add on another attribute', async () => {
		const l = mfnListing(sandbox);
		const res = await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, {
			productType: l.productType,
			patches: [
				{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }] },
				{ op: 'add', path: '/attributes/gift_options', value: [{ can_be_messaged: true, marketplace_id: US }] },
			],
		});
		expect(res.json.status).toBe('ACCEPTED');
		sandbox.clock.advance(APPLY_DELAY);
		expect(sandbox.data.listing(l.sku)!.attributes.gift_options).toEqual([{ can_be_messaged: true, marketplace_id: US }]);
		expect(fulfillment(sandbox.data.listing(l.sku))).toEqual([{ fulfillment_channel_code: 'DEFAULT', quantity: 3 }]);
		await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, { productType: 'PRODUCT', patches: [{ op: 'delete', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT' }] }] });
		sandbox.clock.advance(APPLY_DELAY);
		expect(fulfillment(sandbox.data.listing(l.sku))).toBeUndefined();
	});

	it('INVALID with an ERROR issue: FBA channel quantity, negative / fractional / text quantities, merge without the selector, nested paths, merge on other attributes', async () => {
		const fba = fbaListing(sandbox);
		const l = mfnListing(sandbox);
		const invalid = async (sku: string, body: unknown) => {
			const res = await api.patch(`${itemPath(sku)}${qs({ marketplaceIds: US })}`, body);
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ sku, status: 'INVALID', submissionId: expect.any(String) });
			expect(res.json.issues.length).toBeGreaterThan(0);
			for (const issue of res.json.issues) expect(issue).toMatchObject({ code: INVALID_ATTRIBUTE_CODE, severity: 'ERROR', categories: ['INVALID_ATTRIBUTE'] });
			return res.json.issues[0];
		};
		expect(await invalid(fba.sku, mergeQuantity(5, 'AMAZON_NA'))).toMatchObject({ message: expect.stringContaining('AMAZON_NA'), attributeNames: ['fulfillment_availability'] });
		expect((await invalid(l.sku, mergeQuantity(5, 'AMAZON_EU'))).message).toContain('FBA');
		expect((await invalid(l.sku, mergeQuantity(-1))).message).toContain('-1');
		expect((await invalid(l.sku, mergeQuantity(2.5))).message).toContain('2.5');
		expect((await invalid(l.sku, mergeQuantity('7'))).message).toContain('"7"');
		const noSelector = { productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ quantity: 4 }] }] };
		expect((await invalid(l.sku, noSelector)).message).toContain('fulfillment_channel_code');
		const nested = { productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability/0/quantity', value: [{ value: 4 }] }] };
		expect((await invalid(l.sku, nested)).message).toContain('top-level');
		const mergeName = { productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/item_name', value: [{ value: 'x', marketplace_id: US }] }] };
		expect((await invalid(l.sku, mergeName)).message).toContain('merge');
		sandbox.clock.advance(APPLY_DELAY);
		expect(sandbox.data.listing(l.sku)).toEqual(l);
		expect(sandbox.data.listing(fba.sku)).toEqual(fba);
		expect(sandbox.data.listingSubmissions()).toEqual([]);
	});

	it('VALIDATION_PREVIEW answers VALID (with identifiers on request) and changes nothing; identifiers need the preview mode', async () => {
		const l = mfnListing(sandbox);
		const res = await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US, mode: 'VALIDATION_PREVIEW', includedData: 'identifiers,issues' })}`, mergeQuantity(99));
		expect(res.json).toEqual({ sku: l.sku, status: 'VALID', submissionId: expect.any(String), issues: [], identifiers: [{ marketplaceId: US, asin: l.asin }] });
		const bad = await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US, mode: 'VALIDATION_PREVIEW' })}`, mergeQuantity(-5));
		expect(bad.json.status).toBe('INVALID');
		sandbox.clock.advance(APPLY_DELAY);
		expect(sandbox.data.listing(l.sku)).toEqual(l);
		expect((await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US, includedData: 'identifiers' })}`, mergeQuantity(1))).status).toBe(400);
		expect((await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US, mode: 'PREVIEW' })}`, mergeQuantity(1))).status).toBe(400);
	});

	it('400 for a body SP-API cannot parse: not JSON, no productType, no patches, unknown op, a value missing', async () => {
		const l = mfnListing(sandbox);
		const patch = (body: unknown) => api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, body);
		const cases: Array<[unknown, string]> = [
			['{not json', 'cannot be parsed'],
			[{ patches: mergeQuantity(1).patches }, 'productType'],
			[{ productType: 'PRODUCT', patches: [] }, 'patches'],
			[{ productType: 'PRODUCT', patches: [{ op: 'move', path: '/attributes/x', value: [] }] }, 'op'],
			[{ productType: 'PRODUCT', patches: [{ op: 'replace', path: '/attributes/fulfillment_availability' }] }, 'Value is missing for patch at index of 0.'],
		];
		for (const [body, text] of cases) {
			const res = await patch(body);
			expect({ status: res.status, code: res.json.errors[0].code, has: res.json.errors[0].message.includes(text) }).toEqual({ status: 400, code: 'InvalidInput', has: true });
		}
		expect((await api.patch(itemPath(l.sku), mergeQuantity(1))).status).toBe(400);
	});

	it('unknown SKU: 404 by default; with listingsUnknownSku "accepted" ACCEPTED and nothing appears; another sellerId is 403', async () => {
		const res = await api.patch(`${itemPath('NO-SUCH-SKU')}${qs({ marketplaceIds: US })}`, mergeQuantity(1));
		expect(res.status).toBe(404);
		expect(res.json.errors[0].code).toBe('NOT_FOUND');
		const other = await api.patch(`${itemPath(mfnListing(sandbox).sku, 'A3SANDBOXFE001')}${qs({ marketplaceIds: US })}`, mergeQuantity(1));
		expect(other.status).toBe(403);

		const lenient = await startSpApiSandbox({ ordersPerSeller: 10, rateLimits: false, listingsUnknownSku: 'accepted' });
		try {
			lenient.clock.set(lenient.clock.now());
			const client = new SpApi(lenient, lenient.issueAccessToken());
			const accepted = await client.patch(`${itemPath('NO-SUCH-SKU')}${qs({ marketplaceIds: US })}`, mergeQuantity(1));
			expect(accepted.json).toMatchObject({ sku: 'NO-SUCH-SKU', status: 'ACCEPTED' });
			lenient.clock.advance(APPLY_DELAY);
			expect(lenient.data.listing('NO-SUCH-SKU')).toBeUndefined();
			expect((await client.get(`${itemPath('NO-SUCH-SKU')}${qs({ marketplaceIds: US })}`)).status).toBe(404);
		} finally {
			await lenient.close();
		}
	});

	it('queued submissions apply in order; data.setListing changes a listing at once; reset() drops pending work and re-seeds', async () => {
		const l = mfnListing(sandbox);
		for (const q of [10, 11, 12]) expect((await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, mergeQuantity(q))).json.status).toBe('ACCEPTED');
		sandbox.clock.advance(APPLY_DELAY);
		expect(fulfillment(sandbox.data.listing(l.sku))![0].quantity).toBe(12);
		expect(sandbox.data.listingSubmissions().map((s) => s.status)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);

		expect(fulfillment(sandbox.data.setListing(l.sku, { quantity: 40 }))![0].quantity).toBe(40);
		const created = sandbox.data.setListing('NEW SKU/1', { quantity: 2, itemName: 'New thing' });
		expect(created).toMatchObject({ sku: 'NEW SKU/1', itemName: 'New thing', attributes: { fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT', quantity: 2 }] } });
		expect((await api.get(`${itemPath('NEW SKU/1')}${qs({ marketplaceIds: US })}`)).status).toBe(200);
		expect(() => sandbox.data.setListing(l.sku, { quantity: -1 })).toThrow(/whole number/);

		await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, mergeQuantity(77));
		sandbox.reset();
		sandbox.clock.advance(APPLY_DELAY + 1000);
		expect(sandbox.data.listing(l.sku)).toEqual(l);
		expect(sandbox.data.listing('NEW SKU/1')).toBeUndefined();
		expect(sandbox.data.listingSubmissions()).toEqual([]);
		expect(sandbox.backgroundErrors).toEqual([]);
	});
});

describe('SP-API sandbox: listings changes apply in the background on a running clock', () => {
	it('with timeScale 1000 an accepted patch is applied ~5 ms later without any further request', async () => {
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 10, timeScale: 1000 });
		try {
			const api = new SpApi(sandbox, sandbox.issueAccessToken());
			const l = mfnListing(sandbox);
			const res = await api.patch(`${itemPath(l.sku)}${qs({ marketplaceIds: US })}`, mergeQuantity(555));
			expect(res.json.status).toBe('ACCEPTED');
			expect(res.headers.get('x-amzn-ratelimit-limit')).toBe('5000');
			const applied = await waitFor(() => (fulfillment(sandbox.data.listing(l.sku))![0].quantity === 555 ? true : undefined), 2000);
			expect(applied).toBe(true);
		} finally {
			await sandbox.close();
		}
	});
});

import { MARKETPLACE_IDS, SELLERS_MODEL_INFERRED, startSpApiSandbox, type SpApiSandbox } from './index';
import { grantlessToken, lwaToken, SpApi } from './helpers';
import { checkResponseWithModel, type Model } from './schema-check';

const PATH = '/sellers/v1/marketplaceParticipations';

describe('SP-API sandbox: Sellers getMarketplaceParticipations', () => {
	let sandbox: SpApiSandbox;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({
			ordersPerSeller: 10,
			rateLimits: false,
			sellers: [
				{ sellerId: 'A1SANDBOXNA001', region: 'na', marketplaceIds: [MARKETPLACE_IDS.US, MARKETPLACE_IDS.CA], storeName: 'ML Connector Test Store' },
				{ sellerId: 'A2SANDBOXEU001', region: 'eu', marketplaceIds: [MARKETPLACE_IDS.UK, MARKETPLACE_IDS.DE], suspendedListingsIn: [MARKETPLACE_IDS.DE] },
			],
		});
	});
	afterAll(() => sandbox.close());

	const conforms = (status: number, body: unknown) => expect(checkResponseWithModel(SELLERS_MODEL_INFERRED as unknown as Model, PATH, 'GET', status, body, 'sellers (inferred)')).toEqual([]);

	it("lists the token's seller's marketplaces with participation and store name", async () => {
		const na = await new SpApi(sandbox, await lwaToken(sandbox)).get(PATH);
		expect(na.status).toBe(200);
		expect(na.json).toEqual({
			payload: [
				{
					marketplace: { id: 'ATVPDKIKX0DER', name: 'Amazon.com', countryCode: 'US', defaultCurrencyCode: 'USD', defaultLanguageCode: 'en_US', domainName: 'www.amazon.com' },
					participation: { isParticipating: true, hasSuspendedListings: false },
					storeName: 'ML Connector Test Store',
				},
				{
					marketplace: { id: 'A2EUQ1WTGCTBG2', name: 'Amazon.ca', countryCode: 'CA', defaultCurrencyCode: 'CAD', defaultLanguageCode: 'en_CA', domainName: 'www.amazon.ca' },
					participation: { isParticipating: true, hasSuspendedListings: false },
					storeName: 'ML Connector Test Store',
				},
			],
		});
		conforms(200, na.json);
		const eu = await new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('eu')), 'eu').get(PATH);
		expect(eu.json.payload.map((p: any) => [p.marketplace.countryCode, p.marketplace.domainName, p.participation.hasSuspendedListings, p.storeName])).toEqual([
			['GB', 'www.amazon.co.uk', false, 'Sandbox Store A2SANDBOXEU001'],
			['DE', 'www.amazon.de', true, 'Sandbox Store A2SANDBOXEU001'],
		]);
		conforms(200, eu.json);
	});

	it('needs the seller token of the region (403 otherwise, in the error shape)', async () => {
		const grantless = await new SpApi(sandbox, await grantlessToken(sandbox)).get(PATH);
		expect(grantless.status).toBe(403);
		conforms(403, grantless.json);
		const wrongRegion = await new SpApi(sandbox, await lwaToken(sandbox), 'eu').get(PATH);
		expect(wrongRegion.status).toBe(403);
		expect(wrongRegion.json.errors[0].details).toContain('region na');
		// The inferred model is strict enough to catch a wrong shape.
		expect(checkResponseWithModel(SELLERS_MODEL_INFERRED as unknown as Model, PATH, 'GET', 200, { payload: [{ marketplace: { id: 1 }, participation: {} }] })).toEqual(
			expect.arrayContaining([
				'$.payload[0]: missing required storeName',
				'$.payload[0].marketplace: missing required domainName',
				'$.payload[0].marketplace.id: expected string, got 1',
				'$.payload[0].participation: missing required isParticipating',
			]),
		);
	});
});

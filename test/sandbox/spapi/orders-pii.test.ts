import { DEFAULT_APP, DEFAULT_SELLERS, MARKETPLACE_IDS, startSpApiSandbox, type SpApiSandbox } from './index';
import { isoAgo, lwaToken, qs, SpApi } from './helpers';
import { DAY } from './util';

const { US, CA, MX } = MARKETPLACE_IDS;
const NA = [US, CA, MX];
const RDT_PATH = '/tokens/2021-03-01/restrictedDataToken';

describe('SP-API sandbox: Restricted Data Tokens and PII in Orders v0', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 200, rateLimits: false });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
	});

	const rdt = async (restrictedResources: unknown[]) => {
		const res = await api.post(RDT_PATH, { restrictedResources });
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ restrictedDataToken: expect.stringMatching(/^Atz\.sprdt\|/), expiresIn: 3600 });
		return new SpApi(sandbox, res.json.restrictedDataToken);
	};

	it('a generic getOrders RDT adds BuyerInfo and ShippingAddress for the requested data elements only', async () => {
		const withRdt = await rdt([{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo', 'shippingAddress'] }]);
		const path = `/orders/v0/orders${qs({ MarketplaceIds: NA, CreatedAfter: isoAgo(sandbox, 30 * DAY), MaxResultsPerPage: 20 })}`;
		const res = await withRdt.get(path);
		expect(res.status).toBe(200);
		for (const o of res.json.payload.Orders) {
			expect(o.BuyerInfo).toEqual(expect.objectContaining({ BuyerEmail: expect.stringMatching(/@marketplace\.amazon\./), BuyerName: expect.any(String) }));
			expect(o.ShippingAddress).toEqual(expect.objectContaining({ Name: expect.any(String), AddressLine1: expect.any(String), CountryCode: expect.any(String) }));
		}
		const onlyAddress = await rdt([{ method: 'GET', path: '/orders/v0/orders', dataElements: ['shippingAddress'] }]);
		const partial = await onlyAddress.get(path);
		expect(partial.json.payload.Orders[0].ShippingAddress).toBeDefined();
		expect(partial.json.payload.Orders[0].BuyerInfo).toBeUndefined();
		// The LWA token still works for getOrders, without PII.
		const plain = await api.get(path);
		expect(plain.json.payload.Orders[0].BuyerInfo).toBeUndefined();
	});

	it('a concrete-path RDT covers that order (and getOrderItems only with its own resource); the generic {orderId} form covers any', async () => {
		const [a, b] = sandbox.data.orders().filter((o) => o.status === 'Shipped');
		const concrete = await rdt([{ method: 'GET', path: `/orders/v0/orders/${a.amazonOrderId}`, dataElements: ['buyerInfo'] }]);
		const okA = await concrete.get(`/orders/v0/orders/${a.amazonOrderId}`);
		expect(okA.status).toBe(200);
		expect(okA.json.payload.BuyerInfo.BuyerEmail).toBe(a.buyer.email);
		expect((await concrete.get(`/orders/v0/orders/${b.amazonOrderId}`)).status).toBe(403);
		expect((await concrete.get(`/orders/v0/orders/${a.amazonOrderId}/orderItems`)).status).toBe(403);
		expect((await concrete.get(`/finances/v0/financialEventGroups`)).status).toBe(403);

		const generic = await rdt([
			{ method: 'GET', path: '/orders/v0/orders/{orderId}', dataElements: ['shippingAddress'] },
			{ method: 'GET', path: '/orders/v0/orders/{orderId}/orderItems', dataElements: ['buyerInfo'] },
		]);
		const okB = await generic.get(`/orders/v0/orders/${b.amazonOrderId}`);
		expect(okB.json.payload.ShippingAddress.PostalCode).toBe(b.address.postalCode);
		expect(okB.json.payload.BuyerInfo).toBeUndefined();
		expect((await generic.get(`/orders/v0/orders/${b.amazonOrderId}/orderItems`)).status).toBe(200);
		// Orders 2026-01-01 does not use RDTs.
		expect((await generic.get(`/orders/2026-01-01/orders/${b.amazonOrderId}`)).status).toBe(403);
	});

	it('RDTs expire with expireAllTokens() and the sandbox clock', async () => {
		const t = await rdt([{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo'] }]);
		const path = `/orders/v0/orders${qs({ MarketplaceIds: [US], CreatedAfter: isoAgo(sandbox, 5 * DAY) })}`;
		expect((await t.get(path)).status).toBe(200);
		sandbox.clock.advance(3600_000);
		expect((await t.get(path)).status).toBe(403);
		sandbox.clock.real();
		const u = await rdt([{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo'] }]);
		expect((await u.get(path)).status).toBe(200);
		sandbox.expireAllTokens();
		expect((await u.get(path)).status).toBe(403);
	});

	it('validates the createRestrictedDataToken body per the model', async () => {
		const bad = async (body: unknown, pattern: RegExp) => {
			const res = await api.post(RDT_PATH, body);
			expect(res.status).toBe(400);
			expect(`${res.json.errors[0].message} ${res.json.errors[0].details}`).toMatch(pattern);
		};
		await bad({}, /Resource not provided/);
		await bad({ restrictedResources: [] }, /Resource not provided/);
		await bad({ restrictedResources: Array.from({ length: 51 }, () => ({ method: 'GET', path: '/orders/v0/orders' })) }, /50/);
		await bad({ restrictedResources: [{ method: 'PATCH', path: '/orders/v0/orders' }] }, /method/);
		await bad({ restrictedResources: [{ method: 'GET' }] }, /path/);
		await bad({ restrictedResources: [{ method: 'GET', path: '/orders/v0/orders/{orderId}/address', dataElements: ['buyerInfo'] }] }, /only supported/);
		await bad({ restrictedResources: [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['creditCard'] }] }, /creditCard/);
		await bad({ restrictedResources: [{ method: 'GET', path: '/finances/v0/financialEventGroups' }] }, /not a restricted resource/);
		await bad('not json', /JSON/);
	});

	it('needs the restricted role: an app without it gets 403', async () => {
		sandbox.setRestrictedRole(DEFAULT_APP.clientId, false);
		const res = await api.post(RDT_PATH, { restrictedResources: [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo'] }] });
		expect(res.status).toBe(403);
		expect(res.json.errors[0].code).toBe('Unauthorized');
	});
});

describe('SP-API sandbox: Orders v2026-01-01', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;
	const NO_ROLE_APP = { clientId: 'amzn1.application-oa2-client.00000000000000000000000000000002', clientSecret: 'secret-2', restrictedRole: false };

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({
			ordersPerSeller: 300,
			rateLimits: false,
			apps: [DEFAULT_APP, NO_ROLE_APP],
			authorizations: [
				{ refreshToken: 'Atzr|with-role', clientId: DEFAULT_APP.clientId, sellerId: DEFAULT_SELLERS[0].sellerId },
				{ refreshToken: 'Atzr|without-role', clientId: NO_ROLE_APP.clientId, sellerId: DEFAULT_SELLERS[0].sellerId },
			],
			sellers: [DEFAULT_SELLERS[0]],
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox, sandbox.authorizations[0]));
	});

	const search = (params: Record<string, string | number | string[] | undefined>, client = api) => client.get(`/orders/2026-01-01/orders${qs(params)}`);

	it('answers unwrapped camelCase orders with items always included and lower-camel Money', async () => {
		const res = await search({ createdAfter: isoAgo(sandbox, 60 * DAY), maxResultsPerPage: 25, includedData: ['PROCEEDS', 'FULFILLMENT'] });
		expect(res.status).toBe(200);
		expect(res.json).not.toHaveProperty('payload');
		expect(res.json.orders).toHaveLength(25);
		expect(res.json.pagination.nextToken).toEqual(expect.any(String));
		expect(res.json.createdBefore).toEqual(expect.any(String));
		const shipped = res.json.orders.find((o: any) => o.fulfillment.fulfillmentStatus === 'SHIPPED');
		expect(shipped).toMatchObject({
			orderId: expect.any(String),
			createdTime: expect.any(String),
			lastUpdatedTime: expect.any(String),
			salesChannel: { channelName: 'AMAZON', marketplaceId: expect.any(String), marketplaceName: expect.stringMatching(/^Amazon\./) },
			proceeds: { grandTotal: { amount: expect.stringMatching(/^\d+\.\d{2}$/), currencyCode: expect.any(String) }, breakdowns: expect.any(Array) },
			fulfillment: { fulfilledBy: expect.stringMatching(/^(AMAZON|MERCHANT)$/) },
		});
		expect(shipped.orderItems[0]).toMatchObject({ orderItemId: expect.any(String), quantityOrdered: expect.any(Number), product: { asin: expect.any(String), sellerSku: expect.any(String) } });
		expect(shipped).not.toHaveProperty('buyer');
		expect(shipped).not.toHaveProperty('recipient');
	});

	it('BUYER and RECIPIENT only for an app with the restricted role', async () => {
		const params = { createdAfter: isoAgo(sandbox, 30 * DAY), maxResultsPerPage: 10, includedData: ['BUYER', 'RECIPIENT'] };
		const withRole = await search(params);
		expect(withRole.json.orders[0].buyer.buyerName).toEqual(expect.any(String));
		expect(withRole.json.orders[0].recipient.deliveryAddress).toMatchObject({ name: expect.any(String), countryCode: expect.any(String) });
		const other = new SpApi(sandbox, await lwaToken(sandbox, sandbox.authorizations[1]));
		const withoutRole = await search(params, other);
		expect(withoutRole.status).toBe(200);
		expect(withoutRole.json.orders[0]).not.toHaveProperty('buyer');
		expect(withoutRole.json.orders[0]).not.toHaveProperty('recipient');
	});

	it('filters by fulfillmentStatuses, fulfilledBy and marketplaceIds and pages with paginationToken', async () => {
		const after = sandbox.clock.now() - 90 * DAY;
		const params = { lastUpdatedAfter: new Date(after).toISOString(), fulfillmentStatuses: ['SHIPPED'], fulfilledBy: ['MERCHANT'], marketplaceIds: [US], maxResultsPerPage: 40, includedData: ['FULFILLMENT'] };
		const ids: string[] = [];
		let res = await search(params);
		for (;;) {
			expect(res.status).toBe(200);
			for (const o of res.json.orders) {
				expect(o.fulfillment).toMatchObject({ fulfillmentStatus: 'SHIPPED', fulfilledBy: 'MERCHANT' });
				expect(o.salesChannel.marketplaceId).toBe(US);
				ids.push(o.orderId);
			}
			const token = res.json.pagination?.nextToken;
			if (!token) break;
			res = await search({ ...params, paginationToken: token });
		}
		const expected = sandbox.data.orders().filter((o) => o.marketplaceId === US && o.status === 'Shipped' && o.fulfillmentChannel === 'MFN' && o.lastUpdateDate >= after && o.lastUpdateDate <= sandbox.clock.now() - 120_000);
		expect(ids.sort()).toEqual(expected.map((o) => o.amazonOrderId).sort());
	});

	it('rejects bad parameters with the reason', async () => {
		const after = isoAgo(sandbox, DAY);
		const cases: Array<[Record<string, string | number | string[]>, RegExp]> = [
			[{}, /Exactly one of createdAfter and lastUpdatedAfter/],
			[{ createdAfter: after, lastUpdatedAfter: after }, /both/],
			[{ createdAfter: after, createdBefore: isoAgo(sandbox, 30_000) }, /at least two minutes before/],
			[{ createdAfter: after, createdBefore: isoAgo(sandbox, 2 * DAY) }, /equal to or after createdAfter/],
			[{ lastUpdatedAfter: after, createdBefore: isoAgo(sandbox, DAY / 2) }, /createdBefore cannot be set/],
			[{ createdAfter: after, maxResultsPerPage: 0 }, /between 1 and 100/],
			[{ createdAfter: after, maxResultsPerPage: 101 }, /between 1 and 100/],
			[{ createdAfter: after, fulfillmentStatuses: 'DELIVERED' }, /fulfillmentStatuses/],
			[{ createdAfter: after, fulfilledBy: 'SELLER' }, /fulfilledBy/],
			[{ createdAfter: after, includedData: 'EVERYTHING' }, /includedData/],
		];
		for (const [params, reason] of cases) {
			const res = await search(params);
			expect({ params, status: res.status }).toEqual({ params, status: 400 });
			expect(res.json.errors[0]).toMatchObject({ code: 'InvalidInput', message: expect.stringMatching(reason) });
		}
	});

	it('getOrder returns { order } with its items', async () => {
		const o = sandbox.data.orders().find((x) => x.items.length > 1)!;
		const res = await api.get(`/orders/2026-01-01/orders/${o.amazonOrderId}${qs({ includedData: ['PROCEEDS'] })}`);
		expect(res.status).toBe(200);
		expect(Object.keys(res.json)).toEqual(['order']);
		expect(res.json.order.orderItems.map((i: any) => i.orderItemId)).toEqual(o.items.map((i) => i.orderItemId));
		expect((await api.get('/orders/2026-01-01/orders/111-0000000-0000000')).status).toBe(404);
	});
});

import { MARKETPLACE_IDS, startSpApiSandbox, type SpApiSandbox } from './index';
import { isoAgo, lwaToken, qs, SpApi } from './helpers';
import { DAY, MINUTE } from './util';

/** Sum of every CurrencyAmount in a v0 FinancialEvents object, in cents. */
function sumV0(value: unknown): number {
	if (Array.isArray(value)) return value.reduce((s: number, v) => s + sumV0(v), 0);
	if (value && typeof value === 'object') {
		const o = value as Record<string, unknown>;
		if (typeof o.CurrencyAmount === 'number') return Math.round(o.CurrencyAmount * 100);
		return Object.values(o).reduce((s: number, v) => s + sumV0(v), 0);
	}
	return 0;
}

describe('SP-API sandbox: Finances', () => {
	let sandbox: SpApiSandbox;
	let api: SpApi;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({ ordersPerSeller: 1500, rateLimits: false });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		api = new SpApi(sandbox, await lwaToken(sandbox));
	});

	describe('v0 listFinancialEventGroups', () => {
		const groups = (params: Record<string, string | number | undefined>) => api.get(`/finances/v0/financialEventGroups${qs(params)}`);

		it('pages 10 groups by default with NextToken (same arguments required) and Currency numbers', async () => {
			const after = isoAgo(sandbox, 170 * DAY);
			const first = await groups({ FinancialEventGroupStartedAfter: after });
			expect(first.status).toBe(200);
			const list = first.json.payload.FinancialEventGroupList;
			expect(list).toHaveLength(10);
			expect(list[0]).toMatchObject({
				FinancialEventGroupId: expect.any(String),
				ProcessingStatus: 'Closed',
				FundTransferStatus: 'Succeeded',
				OriginalTotal: { CurrencyCode: expect.any(String), CurrencyAmount: expect.any(Number) },
				FundTransferDate: expect.any(String),
				FinancialEventGroupStart: expect.any(String),
				FinancialEventGroupEnd: expect.any(String),
			});
			const all = [...list];
			let token = first.json.payload.NextToken;
			expect(token).toEqual(expect.any(String));
			expect((await groups({ NextToken: token })).status).toBe(400);
			while (token) {
				const next = await groups({ FinancialEventGroupStartedAfter: after, NextToken: token });
				expect(next.status).toBe(200);
				all.push(...next.json.payload.FinancialEventGroupList);
				token = next.json.payload.NextToken;
			}
			expect(all.map((g) => g.FinancialEventGroupId).sort()).toEqual(sandbox.data.financialEventGroups().map((g) => g.groupId).sort());
			expect(all.filter((g) => g.ProcessingStatus === 'Open')).toHaveLength(3);
		});

		it('applies the 2-minute rule and returns nothing for windows over 180 days', async () => {
			expect((await groups({ FinancialEventGroupStartedAfter: isoAgo(sandbox, MINUTE) })).status).toBe(400);
			expect((await groups({ FinancialEventGroupStartedAfter: isoAgo(sandbox, DAY), FinancialEventGroupStartedBefore: isoAgo(sandbox, 2 * DAY) })).status).toBe(400);
			const wide = await groups({ FinancialEventGroupStartedAfter: isoAgo(sandbox, 200 * DAY), FinancialEventGroupStartedBefore: isoAgo(sandbox, 10 * MINUTE) });
			expect(wide.status).toBe(200);
			expect(wide.json.payload.FinancialEventGroupList).toEqual([]);
			expect((await groups({ MaxResultsPerPage: 101 })).status).toBe(400);
		});
	});

	describe('v0 listFinancialEventsByGroupId', () => {
		it('lists the events of a group (all lists present, CurrencyAmount numbers) summing to its total, paged', async () => {
			const group = sandbox.data.financialEventGroups().find((g) => g.processingStatus === 'Closed' && g.currency === 'USD' && g.events.length > 30)!;
			const lists: Array<Record<string, unknown[]>> = [];
			let res = await api.get(`/finances/v0/financialEventGroups/${group.groupId}/financialEvents${qs({ MaxResultsPerPage: 25 })}`);
			for (;;) {
				expect(res.status).toBe(200);
				lists.push(res.json.payload.FinancialEvents);
				const token = res.json.payload.NextToken;
				if (!token) break;
				res = await api.get(`/finances/v0/financialEventGroups/${group.groupId}/financialEvents${qs({ MaxResultsPerPage: 25, NextToken: token })}`);
			}
			expect(lists).toHaveLength(Math.ceil(group.events.length / 25));
			expect(Object.keys(lists[0])).toEqual(expect.arrayContaining(['ShipmentEventList', 'RefundEventList', 'ServiceFeeEventList', 'AdjustmentEventList', 'ChargebackEventList']));
			const shipment = lists.flatMap((l) => l.ShipmentEventList as any[])[0];
			expect(shipment).toMatchObject({
				AmazonOrderId: expect.any(String),
				MarketplaceName: 'Amazon.com',
				PostedDate: expect.any(String),
				ShipmentItemList: [
					expect.objectContaining({
						SellerSKU: expect.any(String),
						OrderItemId: expect.any(String),
						QuantityShipped: expect.any(Number),
						ItemChargeList: expect.arrayContaining([{ ChargeType: 'Principal', ChargeAmount: { CurrencyCode: 'USD', CurrencyAmount: expect.any(Number) } }]),
						ItemFeeList: expect.arrayContaining([{ FeeType: 'Commission', FeeAmount: { CurrencyCode: 'USD', CurrencyAmount: expect.any(Number) } }]),
					}),
				],
			});
			expect(lists.reduce((s, l) => s + sumV0(l), 0)).toBe(group.total);
			const total = await api.get(`/finances/v0/financialEventGroups${qs({ FinancialEventGroupStartedAfter: new Date(group.start).toISOString(), FinancialEventGroupStartedBefore: new Date(group.start + 1000).toISOString() })}`);
			const listed = total.json.payload.FinancialEventGroupList.find((g: any) => g.FinancialEventGroupId === group.groupId);
			expect(Math.round(listed.OriginalTotal.CurrencyAmount * 100)).toBe(group.total);
			expect((await api.get('/finances/v0/financialEventGroups/unknown-group/financialEvents')).status).toBe(404);
		});
	});

	describe('2024-06-19 listTransactions', () => {
		const tx = (params: Record<string, string | undefined>) => api.get(`/finances/2024-06-19/transactions${qs(params)}`);

		it('validates postedAfter/postedBefore (2 minutes, order, 180 days), identifiers and status', async () => {
			const cases: Array<[Record<string, string>, RegExp]> = [
				[{}, /postedAfter is required/],
				[{ postedAfter: isoAgo(sandbox, MINUTE) }, /two minutes/],
				[{ postedAfter: isoAgo(sandbox, 10 * DAY), postedBefore: isoAgo(sandbox, MINUTE) }, /two minutes/],
				[{ postedAfter: isoAgo(sandbox, 10 * DAY), postedBefore: isoAgo(sandbox, 11 * DAY) }, /later than postedAfter/],
				[{ relatedIdentifierName: 'SHIPMENT_ID', relatedIdentifierValue: 'x' }, /Only FINANCIAL_EVENT_GROUP_ID and ORDER_ID/],
				[{ relatedIdentifierName: 'ORDER_ID' }, /together/],
				[{ postedAfter: isoAgo(sandbox, DAY), transactionStatus: 'PENDING' }, /transactionStatus/],
			];
			for (const [params, reason] of cases) {
				const res = await tx(params);
				expect({ params, status: res.status }).toEqual({ params, status: 400 });
				expect(res.json.errors[0].message).toMatch(reason);
			}
			const wide = await tx({ postedAfter: isoAgo(sandbox, 200 * DAY), postedBefore: isoAgo(sandbox, DAY) });
			expect(wide.status).toBe(200);
			expect(wide.json).toEqual({ payload: { transactions: [] } });
		});

		it('pages a window slice by slice (empty pages possible) and returns every transaction once', async () => {
			const after = sandbox.clock.now() - 179 * DAY;
			const params = { postedAfter: new Date(after).toISOString() };
			const seen: any[] = [];
			let empty = 0;
			let res = await tx(params);
			for (;;) {
				expect(res.status).toBe(200);
				const { transactions, nextToken } = res.json.payload;
				if (transactions.length === 0 && nextToken) empty++;
				seen.push(...transactions);
				if (!nextToken) break;
				res = await tx({ ...params, nextToken });
			}
			expect(empty).toBeGreaterThan(0);
			const expected = sandbox.data.financialEvents().filter((e) => e.postedDate >= after && e.postedDate < sandbox.clock.now() - 2 * MINUTE);
			expect(seen.map((t) => t.transactionId).sort()).toEqual(expected.map((e) => e.transactionId).sort());
			const shipment = seen.find((t) => t.transactionType === 'Shipment' && t.transactionStatus === 'RELEASED');
			expect(shipment).toMatchObject({
				sellingPartnerMetadata: { sellingPartnerId: 'A1SANDBOXNA001', accountType: expect.any(String), marketplaceId: expect.any(String) },
				relatedIdentifiers: expect.arrayContaining([{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: expect.any(String) }]),
				transactionId: expect.any(String),
				description: 'Order Payment',
				postedDate: expect.any(String),
				totalAmount: { currencyCode: expect.any(String), currencyAmount: expect.any(Number) },
				marketplaceDetails: { marketplaceId: expect.any(String), marketplaceName: expect.stringMatching(/^Amazon\./) },
				items: [expect.objectContaining({ description: expect.any(String), totalAmount: expect.any(Object), breakdowns: expect.any(Array), contexts: [expect.objectContaining({ contextType: 'ProductContext' })] })],
			});
			// Breakdowns add up to the total.
			for (const t of seen.slice(0, 200)) {
				const top = t.breakdowns.reduce((s: number, b: any) => s + Math.round(b.breakdownAmount.currencyAmount * 100), 0);
				expect(top).toBe(Math.round(t.totalAmount.currencyAmount * 100));
			}
			expect(seen.some((t) => t.transactionStatus === 'DEFERRED')).toBe(true);
			expect(seen.some((t) => t.transactionType === 'Refund' && t.description === 'Refund Order')).toBe(true);
		});

		it('filters by ORDER_ID and FINANCIAL_EVENT_GROUP_ID without a date; sums match the group', async () => {
			const refund = sandbox.data.financialEvents().find((e) => e.kind === 'Refund')!;
			const byOrder = await tx({ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: refund.orderId });
			expect(byOrder.json.payload.transactions.map((t: any) => t.transactionType).sort()).toEqual(['Refund', 'Shipment']);
			const group = sandbox.data.financialEventGroups().find((g) => g.processingStatus === 'Closed' && g.events.length > 0)!;
			const items: any[] = [];
			let res = await tx({ relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: group.groupId });
			for (;;) {
				items.push(...res.json.payload.transactions);
				if (!res.json.payload.nextToken) break;
				res = await tx({ relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID', relatedIdentifierValue: group.groupId, nextToken: res.json.payload.nextToken });
			}
			expect(items).toHaveLength(group.events.length);
			expect(items.reduce((s, t) => s + Math.round(t.totalAmount.currencyAmount * 100), 0)).toBe(group.total);
		});

		it('transactionStatus and marketplaceId filters (US MFN orders only without marketplaceId)', async () => {
			const params = { postedAfter: isoAgo(sandbox, 20 * DAY) };
			const collect = async (extra: Record<string, string>) => {
				const out: any[] = [];
				let res = await tx({ ...params, ...extra });
				for (;;) {
					out.push(...res.json.payload.transactions);
					if (!res.json.payload.nextToken) return out;
					res = await tx({ ...params, ...extra, nextToken: res.json.payload.nextToken });
				}
			};
			const deferred = await collect({ transactionStatus: 'DEFERRED' });
			expect(deferred.length).toBeGreaterThan(0);
			for (const t of deferred) expect(t.contexts).toEqual([expect.objectContaining({ contextType: 'DeferredContext', maturityDate: expect.any(String) })]);
			const us = await collect({ marketplaceId: MARKETPLACE_IDS.US });
			const all = await collect({});
			const usAll = all.filter((t) => t.marketplaceDetails.marketplaceId === MARKETPLACE_IDS.US);
			const mfn = (t: any) => t.items.some((i: any) => i.contexts[0].fulfillmentNetwork === 'MFN');
			expect(usAll.some(mfn)).toBe(true);
			expect(us.some(mfn)).toBe(false);
			expect(us.length).toBe(usAll.filter((t) => !mfn(t)).length);
		});
	});
});

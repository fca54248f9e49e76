/**
 * Crafted requests against the SP-API models: each invalid one must produce exactly the expected
 * violations, each valid one none.
 */
import { type SpApiRequest, assertValidSpApiRequest, buildSpApiRequest, getOperation, validateSpApiRequest } from './spapi-contract';

const US = 'ATVPDKIKX0DER';
const DE = 'A1PA6795UKMFR9';

function get(path: string, query: SpApiRequest['query'] = {}, headers: SpApiRequest['headers'] = {}): SpApiRequest {
	return { method: 'GET', path, query, headers };
}

function send(method: string, path: string, body: unknown, query: SpApiRequest['query'] = {}, headers: SpApiRequest['headers'] = { 'content-type': 'application/json' }): SpApiRequest {
	return { method, path, query, headers, body };
}

const violations = (request: SpApiRequest) => validateSpApiRequest(request).violations;

describe('Orders', () => {
	it('getOrders without MarketplaceIds (required) is a violation; the deprecation is info only', () => {
		const result = validateSpApiRequest(get('/orders/v0/orders', { CreatedAfter: '2025-01-01T00:00:00Z' }));
		expect(result).toMatchObject({ operationId: 'getOrders', model: 'ordersV0', pathTemplate: '/orders/v0/orders', deprecated: true });
		expect(result.violations).toEqual(['getOrders [ordersV0] query.MarketplaceIds: required parameter is missing']);
		expect(result.info).toEqual(['getOrders [ordersV0] operation is deprecated: deprecated in the model (Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 searchOrders)']);
	});

	it('getOrders with everything right passes (csv marketplaces, ISO dates)', () => {
		const result = validateSpApiRequest(get('/orders/v0/orders', { MarketplaceIds: `${US},${DE}`, LastUpdatedAfter: '2025-01-01T00:00:00Z', MaxResultsPerPage: '100', OrderStatuses: 'Unshipped,PartiallyShipped' }));
		expect(result.violations).toEqual([]);
	});

	it('searchOrders: a bad enum value in fulfillmentStatuses names the item', () => {
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', fulfillmentStatuses: 'UNSHIPPED,SHIPPING' }))).toEqual([
			'searchOrders [orders_2026-01-01] query.fulfillmentStatuses[1]: "SHIPPING" is not one of PENDING_AVAILABILITY, PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, UNFULFILLABLE',
		]);
	});

	it('searchOrders: maxResultsPerPage > 100 (a limit stated only in the description)', () => {
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', maxResultsPerPage: '101' }))).toEqual([
			"searchOrders [orders_2026-01-01] query.maxResultsPerPage: 101 is greater than the maximum 100 (stated in the model's description, not in its schema)",
		]);
		expect(validateSpApiRequest(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', maxResultsPerPage: '101' }), { documentedRules: false }).violations).toEqual([]);
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', maxResultsPerPage: '100' }))).toEqual([]);
	});

	it('searchOrders: non-integer page size, unknown parameter, both time filters', () => {
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', lastUpdatedAfter: '2025-01-01T00:00:00Z', maxResultsPerPage: '10.5', MarketplaceIds: US }))).toEqual([
			'searchOrders [orders_2026-01-01] query.maxResultsPerPage: expected integer, got "10.5"',
			'searchOrders [orders_2026-01-01] query.MarketplaceIds: unknown query parameter (did you mean "marketplaceIds"?)',
			"searchOrders [orders_2026-01-01] query: createdAfter and lastUpdatedAfter cannot be combined (stated in the model's description, not in its schema)",
		]);
		expect(violations(get('/orders/2026-01-01/orders', { marketplaceIds: US }))).toEqual([
			"searchOrders [orders_2026-01-01] query: one of createdAfter, lastUpdatedAfter is required (stated in the model's description, not in its schema)",
		]);
	});

	it('date-time parameters need a time zone; a non-UTC offset is only info', () => {
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00' }))).toEqual([
			'searchOrders [orders_2026-01-01] query.createdAfter: "2025-01-01T00:00:00" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
		]);
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-02-30T00:00:00Z' }))).toEqual([
			'searchOrders [orders_2026-01-01] query.createdAfter: "2025-02-30T00:00:00Z" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
		]);
		const offset = validateSpApiRequest(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T09:00:00+09:00' }));
		expect(offset.violations).toEqual([]);
		expect(offset.info).toEqual([
			'searchOrders [orders_2026-01-01] query.createdAfter: "2025-01-01T09:00:00+09:00" has offset +09:00; several SP-API endpoints reject non-UTC offsets, send UTC with Z',
		]);
	});

	it('an array parameter with collectionFormat csv must be one comma-separated value, not repeated', () => {
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', marketplaceIds: [US, DE] }))).toEqual([
			'searchOrders [orders_2026-01-01] query.marketplaceIds: sent 2 times; collectionFormat csv expects one ","-separated value',
		]);
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', fulfillmentStatuses: ['SHIPPED', 'NOPE'] }))).toEqual([
			'searchOrders [orders_2026-01-01] query.fulfillmentStatuses: sent 2 times; collectionFormat csv expects one ","-separated value',
			'searchOrders [orders_2026-01-01] query.fulfillmentStatuses[1]: "NOPE" is not one of PENDING_AVAILABILITY, PENDING, UNSHIPPED, PARTIALLY_SHIPPED, SHIPPED, CANCELLED, UNFULFILLABLE',
		]);
		// An empty list is "not sent"; a single-element array is just the value.
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', marketplaceIds: [] }))).toEqual([]);
		expect(violations(get('/orders/2026-01-01/orders', { createdAfter: '2025-01-01T00:00:00Z', marketplaceIds: [`${US},${DE}`] }))).toEqual([]);
	});

	it('the two getOrder operations are told apart by path; v2026 is not deprecated', () => {
		const v0 = validateSpApiRequest(get('/orders/v0/orders/123-1234567-1234567'));
		const v2026 = validateSpApiRequest(get('/orders/2026-01-01/orders/123-1234567-1234567', { includedData: 'BUYER,RECIPIENT' }));
		expect([v0.model, v0.operationId, v0.deprecated, v0.violations]).toEqual(['ordersV0', 'getOrder', true, []]);
		expect([v2026.model, v2026.operationId, v2026.deprecated, v2026.violations, v2026.info]).toEqual(['orders_2026-01-01', 'getOrder', false, [], []]);
	});

	it('confirmShipment: nested body, $ref, date-time and integer in a nested array', () => {
		const body = {
			marketplaceId: US,
			packageDetail: {
				packageReferenceId: '1',
				carrierCode: 'FedEx',
				trackingNumber: '112345678',
				shipDate: '2025-02-11T01:00:00Z',
				orderItems: [{ orderItemId: '79039765272157', quantity: 'one' }],
			},
		};
		expect(violations(send('POST', '/orders/v0/orders/902-1106328-1059050/shipmentConfirmation', body))).toEqual([
			'confirmShipment [ordersV0] body.packageDetail.orderItems[0].quantity: expected integer, got string "one"',
		]);
		body.packageDetail.orderItems[0].quantity = 1 as unknown as string;
		expect(violations(send('POST', '/orders/v0/orders/902-1106328-1059050/shipmentConfirmation', body))).toEqual([]);
	});
});

describe('Finances', () => {
	it('MaxResultsPerPage above the schema maximum (100) and below the minimum (1)', () => {
		expect(violations(get('/finances/v0/financialEvents', { MaxResultsPerPage: '101', PostedAfter: '2025-01-01T00:00:00Z' }))).toEqual([
			'listFinancialEvents [financesV0] query.MaxResultsPerPage: 101 is greater than the maximum 100',
		]);
		expect(violations(get('/finances/v0/financialEventGroups', { MaxResultsPerPage: '0' }))).toEqual(['listFinancialEventGroups [financesV0] query.MaxResultsPerPage: 0 is less than the minimum 1']);
	});

	it('listFinancialEvents* are reported as deprecated (Amazon changelog) although the model does not flag them', () => {
		const result = validateSpApiRequest(get('/finances/v0/orders/123-1234567-1234567/financialEvents'));
		expect(result.violations).toEqual([]);
		expect(result.deprecated).toBe(true);
		expect(result.info).toEqual([
			'listFinancialEventsByOrderId [financesV0] operation is deprecated: deprecated by Amazon (changelog "deprecation-of-finances-v0-operations"; not flagged in the model); use finances_2024-06-19 listTransactions with relatedIdentifierName=ORDER_ID',
		]);
		expect(validateSpApiRequest(get('/finances/v0/financialEventGroups')).deprecated).toBe(false);
	});

	it('listTransactions: format date (not date-time) on listBalances.asOfDate; postedAfter needed without a related identifier', () => {
		expect(violations(get('/finances/2024-06-19/balances', { asOfDate: '2025-01-12T00:00:00Z' }))).toEqual([
			'listBalances [finances_2024-06-19] query.asOfDate: "2025-01-12T00:00:00Z" is not an ISO 8601 date (YYYY-MM-DD)',
		]);
		expect(violations(get('/finances/2024-06-19/transactions', { relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: '123-1234567-1234567' }))).toEqual([]);
		expect(violations(get('/finances/2024-06-19/transactions', { marketplaceId: US }))).toEqual([
			"listTransactions [finances_2024-06-19] query.postedAfter: required unless relatedIdentifierName and relatedIdentifierValue are given (stated in the model's description, not in its schema)",
		]);
	});
});

describe('Reports and feeds', () => {
	it('createReport without reportType', () => {
		expect(violations(send('POST', '/reports/2021-06-30/reports', { marketplaceIds: [US], dataStartTime: '2025-01-01T00:00:00Z' }))).toEqual([
			'createReport [reports_2021-06-30] body: required property "reportType" is missing',
		]);
	});

	it('createReport: minItems, string-valued reportOptions (additionalProperties schema), unknown property, format', () => {
		const body = { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [], reportOptions: { custom: true }, dataStartTime: '2025-01-01', marketplaceID: US };
		expect(violations(send('POST', '/reports/2021-06-30/reports', body))).toEqual([
			'createReport [reports_2021-06-30] body.marketplaceIds: has 0 item(s), fewer than the minimum 1',
			'createReport [reports_2021-06-30] body.reportOptions.custom: expected string, got boolean',
			'createReport [reports_2021-06-30] body.dataStartTime: "2025-01-01" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
			'createReport [reports_2021-06-30] body.marketplaceID: unknown property (not defined in the schema)',
		]);
		// Unknown body properties are allowed by JSON Schema; the check can be switched off.
		expect(validateSpApiRequest(send('POST', '/reports/2021-06-30/reports', { reportType: 'X', marketplaceIds: [US], marketplaceID: US }), { unknownBodyProperties: 'allow' }).violations).toEqual([]);
	});

	it('getReports: reportTypes maxItems 10, pageSize bounds, nextToken must be alone', () => {
		const eleven = Array.from({ length: 11 }, (_, i) => `TYPE_${i}`).join(',');
		expect(violations(get('/reports/2021-06-30/reports', { reportTypes: eleven, pageSize: '0' }))).toEqual([
			'getReports [reports_2021-06-30] query.reportTypes: has 11 item(s), more than the maximum 10',
			'getReports [reports_2021-06-30] query.pageSize: 0 is less than the minimum 1',
		]);
		expect(violations(get('/reports/2021-06-30/reports', { nextToken: 'abc', reportTypes: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2' }))).toEqual([
			"getReports [reports_2021-06-30] query: nextToken must be the only parameter, but reportTypes was sent too (stated in the model's description, not in its schema)",
		]);
		expect(violations(get('/reports/2021-06-30/reports', { nextToken: 'abc' }))).toEqual([]);
		expect(violations(get('/reports/2021-06-30/reports', { processingStatuses: 'DONE' }))).toEqual([
			"getReports [reports_2021-06-30] query: one of reportTypes, nextToken is required (stated in the model's description, not in its schema)",
		]);
		expect(violations(get('/reports/2021-06-30/reports', { reportTypes: '' }))).toEqual([
			'getReports [reports_2021-06-30] query.reportTypes: empty value (allowEmptyValue is not set)',
		]);
	});

	it('boolean query parameters take true/false only', () => {
		expect(violations(get('/reports/2021-06-30/documents/amzn1.doc.1', { enableContentEncodingUrlHeader: 'yes' }))).toEqual([
			'getReportDocument [reports_2021-06-30] query.enableContentEncodingUrlHeader: expected boolean (true or false), got "yes"',
		]);
	});

	it('createFeed for JSON_LISTINGS_FEED passes; feedOptions values must be strings', () => {
		expect(violations(send('POST', '/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: 'amzn1.tortuga.1' }))).toEqual([]);
		expect(violations(send('POST', '/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: 'x', feedOptions: { a: 1 } }))).toEqual([
			'createFeed [feeds_2021-06-30] body.feedOptions.a: expected string, got integer 1',
		]);
	});
});

describe('Tokens', () => {
	const path = '/tokens/2021-03-01/restrictedDataToken';

	it('createRestrictedDataToken: wrong body types', () => {
		expect(violations(send('POST', path, { restrictedResources: { method: 'GET', path: '/orders/v0/orders' } }))).toEqual([
			'createRestrictedDataToken [tokens_2021-03-01] body.restrictedResources: expected array, got object',
		]);
		expect(violations(send('POST', path, { restrictedResources: [{ method: 'GET', path: '/orders/v0/orders', dataElements: 'buyerInfo' }, { method: 'get', path: 42 }] }))).toEqual([
			'createRestrictedDataToken [tokens_2021-03-01] body.restrictedResources[0].dataElements: expected array, got string "buyerInfo"',
			'createRestrictedDataToken [tokens_2021-03-01] body.restrictedResources[1].method: "get" is not one of GET, PUT, POST, DELETE',
			'createRestrictedDataToken [tokens_2021-03-01] body.restrictedResources[1].path: expected string, got integer 42',
		]);
		expect(violations(send('POST', path, '[1,2]'))).toEqual(['createRestrictedDataToken [tokens_2021-03-01] body: expected object, got array']);
		expect(violations(send('POST', path, '{not json'))).toEqual(['createRestrictedDataToken [tokens_2021-03-01] body: is not valid JSON']);
		expect(violations(send('POST', path, undefined))).toEqual(['createRestrictedDataToken [tokens_2021-03-01] body: required request body (body) is missing']);
	});

	it('a correct RDT request passes, also as a JSON string body', () => {
		const body = { restrictedResources: [{ method: 'GET', path: '/orders/v0/orders', dataElements: ['buyerInfo', 'shippingAddress'] }] };
		expect(violations(send('POST', path, body))).toEqual([]);
		expect(violations(send('POST', path, JSON.stringify(body)))).toEqual([]);
	});

	it('a non-JSON content type is a violation', () => {
		expect(violations(send('POST', path, { restrictedResources: [] }, {}, { 'Content-Type': 'application/x-www-form-urlencoded' }))).toEqual([
			'createRestrictedDataToken [tokens_2021-03-01] header.content-type: "application/x-www-form-urlencoded" but the operation consumes application/json',
		]);
	});
});

describe('Listings items', () => {
	const seller = 'A3SELLER';

	it('patchListingsItem: a bad patch op', () => {
		const body = { productType: 'PRODUCT', patches: [{ op: 'move', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] }] };
		expect(violations(send('PATCH', `/listings/2021-08-01/items/${seller}/SKU-1`, body, { marketplaceIds: US }))).toEqual([
			'patchListingsItem [listingsItems_2021-08-01] body.patches[0].op: "move" is not one of add, replace, merge, delete',
		]);
	});

	it('patchListingsItem: merge on fulfillment_availability passes; empty patches, missing path and value items that are not objects fail', () => {
		const ok = { productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] }] };
		expect(violations(send('PATCH', `/listings/2021-08-01/items/${seller}/SKU-1`, ok, { marketplaceIds: US, includedData: 'issues', mode: 'VALIDATION_PREVIEW' }))).toEqual([]);
		expect(violations(send('PATCH', `/listings/2021-08-01/items/${seller}/SKU-1`, { productType: 'PRODUCT', patches: [] }, { marketplaceIds: US }))).toEqual([
			'patchListingsItem [listingsItems_2021-08-01] body.patches: has 0 item(s), fewer than the minimum 1',
		]);
		expect(violations(send('PATCH', `/listings/2021-08-01/items/${seller}/SKU-1`, { productType: 'PRODUCT', patches: [{ op: 'replace', value: [7] }] }, { marketplaceIds: US, mode: 'LIVE' }))).toEqual([
			'patchListingsItem [listingsItems_2021-08-01] query.mode: "LIVE" is not one of VALIDATION_PREVIEW',
			'patchListingsItem [listingsItems_2021-08-01] body.patches[0]: required property "path" is missing',
			'patchListingsItem [listingsItems_2021-08-01] body.patches[0].value[0]: expected object, got integer 7',
		]);
	});

	it('SKUs are percent-decoded before validation; unencoded characters are violations', () => {
		const op = getOperation('listingsItems_2021-08-01', 'getListingsItem');
		if (!op) throw new Error('getListingsItem missing');
		const awkward = 'A/B C+D#1&"x"?é';
		const request = buildSpApiRequest(op, { sellerId: seller, sku: awkward, marketplaceIds: [US] });
		expect(request.path).toBe(`/listings/2021-08-01/items/${seller}/${encodeURIComponent(awkward)}`);
		expect(validateSpApiRequest(request)).toMatchObject({ operationId: 'getListingsItem', violations: [], info: [] });

		expect(violations(get(`/listings/2021-08-01/items/${seller}/A B"1`, { marketplaceIds: US }))).toEqual([
			'getListingsItem [listingsItems_2021-08-01] path.sku: contains characters that must be percent-encoded: " " "\\""',
		]);
		expect(violations(get(`/listings/2021-08-01/items/${seller}/100%`, { marketplaceIds: US }))).toEqual([
			'getListingsItem [listingsItems_2021-08-01] path.sku: malformed percent-encoding in "100%"',
		]);
		// A raw "/" in a SKU changes the path: no operation has that many segments.
		expect(violations(get(`/listings/2021-08-01/items/${seller}/A/B`, { marketplaceIds: US }))).toEqual([
			'no SP-API operation matches GET /listings/2021-08-01/items/A3SELLER/A/B (unknown operation)',
		]);
		const plus = validateSpApiRequest(get(`/listings/2021-08-01/items/${seller}/C+D`, { marketplaceIds: US }));
		expect(plus.violations).toEqual([]);
		expect(plus.info).toEqual([
			'getListingsItem [listingsItems_2021-08-01] path.sku: raw "+" in the path; encodeURIComponent would send %2B (a server that reads "+" as a space would see another SKU)',
		]);
	});

	it('putListingsItem / deleteListingsItem: marketplaceIds maxItems 1, includedData enum per item', () => {
		expect(violations(send('PUT', `/listings/2021-08-01/items/${seller}/SKU-1`, { productType: 'LUGGAGE', attributes: { anything: [{ goes: 1 }] } }, { marketplaceIds: `${US},${DE}`, includedData: 'issues,offers' }))).toEqual([
			'putListingsItem [listingsItems_2021-08-01] query.marketplaceIds: has 2 item(s), more than the maximum 1',
			'putListingsItem [listingsItems_2021-08-01] query.includedData[1]: "offers" is not one of identifiers, issues',
		]);
		expect(violations({ method: 'DELETE', path: `/listings/2021-08-01/items/${seller}/SKU-1`, query: { marketplaceIds: US }, headers: {} })).toEqual([]);
	});

	it('searchListingsItems: identifiers needs identifiersType; pageSize maximum 20', () => {
		expect(violations(get(`/listings/2021-08-01/items/${seller}`, { marketplaceIds: US, identifiers: 'SKU-1,SKU-2', pageSize: '21' }))).toEqual([
			'searchListingsItems [listingsItems_2021-08-01] query.pageSize: 21 is greater than the maximum 20',
			"searchListingsItems [listingsItems_2021-08-01] query: identifiersType is required when identifiers is sent (stated in the model's description, not in its schema)",
		]);
	});
});

describe('FBA inventory', () => {
	it('getInventorySummaries: required params, enum, maxItems 1 on marketplaceIds, sellerSkus maxItems 50', () => {
		const skus = Array.from({ length: 51 }, (_, i) => `S${i}`).join(',');
		expect(violations(get('/fba/inventory/v1/summaries', { granularityType: 'Country', marketplaceIds: `${US},${DE}`, sellerSkus: skus, details: 'true' }))).toEqual([
			'getInventorySummaries [fbaInventory] query.granularityType: "Country" is not one of Marketplace',
			'getInventorySummaries [fbaInventory] query.marketplaceIds: has 2 item(s), more than the maximum 1',
			'getInventorySummaries [fbaInventory] query.sellerSkus: has 51 item(s), more than the maximum 50',
			'getInventorySummaries [fbaInventory] query.granularityId: required parameter is missing',
		]);
		expect(violations(get('/fba/inventory/v1/summaries', { granularityType: 'Marketplace', granularityId: US, marketplaceIds: US, startDateTime: '2025-01-01T00:00:00Z' }))).toEqual([]);
	});

	it('header parameters are case-insensitive; the access token header is never required', () => {
		const body = { inventoryItems: [{ sellerSku: 'SKU-1', marketplaceId: US, quantity: 1 }] };
		const base = { method: 'POST', path: '/fba/inventory/v1/items/inventory', body, host: 'sandbox.sellingpartnerapi-na.amazon.com' };
		const withHeader = validateSpApiRequest({ ...base, headers: { 'X-Amzn-Idempotency-Token': 'k-1', 'Content-Type': 'application/json' } });
		expect([withHeader.operationId, withHeader.violations]).toEqual(['addInventory', []]);
		expect(validateSpApiRequest({ ...base, headers: {} }).violations).toEqual(['addInventory [fbaInventory] header.x-amzn-idempotency-token: required header is missing']);
		expect(validateSpApiRequest({ ...base, headers: { 'x-amzn-idempotency-token': ['a', 'b'] } }).violations).toEqual([
			'addInventory [fbaInventory] header.x-amzn-idempotency-token: sent 2 times, but it is not an array parameter',
		]);
		expect(validateSpApiRequest({ ...base, headers: { 'x-amzn-idempotency-token': 'k', 'x-amz-access-token': 'Atza|x' }, body: { inventory: body.inventoryItems } }).violations).toEqual([
			'addInventory [fbaInventory] body.inventory: unknown property (not defined in the schema)',
		]);
	});

	it('sandbox-only operations (x-amzn-api-sandbox-only) are violations on production hosts', () => {
		const request = { method: 'DELETE', path: '/fba/inventory/v1/items/SKU-1', query: { marketplaceId: US }, headers: {} };
		expect(validateSpApiRequest({ ...request, host: 'sandbox.sellingpartnerapi-na.amazon.com' }).violations).toEqual([]);
		expect(validateSpApiRequest({ ...request, host: 'sellingpartnerapi-na.amazon.com' }).violations).toEqual([
			'deleteInventoryItem [fbaInventory] host: sandbox-only operation (x-amzn-api-sandbox-only) sent to the production host sellingpartnerapi-na.amazon.com',
		]);
		expect(validateSpApiRequest(request).info).toEqual(['deleteInventoryItem [fbaInventory] is a sandbox-only operation (x-amzn-api-sandbox-only); it does not exist on production hosts']);
	});
});

describe('Notifications', () => {
	it('createSubscription: allOf event filter (properties of every branch are known), required eventFilterType, enum, minLength', () => {
		const ok = {
			payloadVersion: '1.0',
			destinationId: 'dest-1',
			processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange', 'BuyerRequestedChange'], marketplaceIds: [US] } },
		};
		expect(violations(send('POST', '/notifications/v1/subscriptions/ORDER_CHANGE', ok))).toEqual([]);
		const bad = { payloadVersion: '1.0', destinationId: 'dest-1', processingDirective: { eventFilter: { orderChangeTypes: ['StatusChange'] }, filterExpression: '' } };
		expect(violations(send('POST', '/notifications/v1/subscriptions/ORDER_CHANGE', bad))).toEqual([
			'createSubscription [notifications] body.processingDirective.eventFilter.orderChangeTypes[0]: "StatusChange" is not one of BuyerRequestedChange, DeliveryTipChange, OrderStatusChange',
			'createSubscription [notifications] body.processingDirective.eventFilter: required property "eventFilterType" is missing',
			'createSubscription [notifications] body.processingDirective.filterExpression: "" is shorter than 1 character(s)',
		]);
	});

	it('createDestination: the SQS ARN pattern and maxLength', () => {
		const body = (arn: string) => ({ name: 'n8n', resourceSpecification: { sqs: { arn } } });
		expect(violations(send('POST', '/notifications/v1/destinations', body('arn:aws:sqs:us-east-1:123456789012:queue')))).toEqual([]);
		expect(violations(send('POST', '/notifications/v1/destinations', body('https://sqs.us-east-1.amazonaws.com/123/queue')))).toEqual([
			'createDestination [notifications] body.resourceSpecification.sqs.arn: "https://sqs.us-east-1.amazonaws.com/123/queue" does not match pattern ^arn:aws:sqs:\\S+:\\S+:\\S+',
		]);
		expect(violations(send('POST', '/notifications/v1/destinations', body(`arn:aws:sqs:us-east-1:1:${'q'.repeat(1000)}`)))).toEqual([
			'createDestination [notifications] body.resourceSpecification.sqs.arn: string of 1024 characters is longer than 1000',
		]);
	});

	it('getSubscriptions: pageSize minimum 30, notificationTypes exactly one', () => {
		expect(violations(get('/notifications/v1/subscriptions', { notificationTypes: 'ORDER_CHANGE,ANY_OFFER_CHANGED', pageSize: '10' }))).toEqual([
			'getSubscriptions [notifications] query.notificationTypes: has 2 item(s), more than the maximum 1',
			'getSubscriptions [notifications] query.pageSize: 10 is less than the minimum 30',
		]);
	});
});

describe('Operation lookup', () => {
	it('unknown operations and wrong methods are violations', () => {
		expect(validateSpApiRequest(get('/orders/v1/orders'))).toEqual({ deprecated: false, violations: ['no SP-API operation matches GET /orders/v1/orders (unknown operation)'], info: [] });
		expect(violations({ method: 'DELETE', path: '/orders/2026-01-01/orders', headers: {} })).toEqual(['no SP-API operation for DELETE /orders/2026-01-01/orders; the path exists for GET']);
		expect(violations(get('/orders/2026-01-01/orders/'))).toEqual(['no SP-API operation matches GET /orders/2026-01-01/orders/ (unknown operation)']);
	});

	it('a literal path segment wins over a template parameter', () => {
		expect(validateSpApiRequest({ method: 'POST', path: '/fba/inventory/v1/items/inventory', headers: { 'x-amzn-idempotency-token': 'k' }, body: { inventoryItems: [] } }).operationId).toBe('addInventory');
		expect(validateSpApiRequest({ method: 'DELETE', path: '/fba/inventory/v1/items/inventory', query: { marketplaceId: US } }).operationId).toBe('deleteInventoryItem');
	});

	it('accepts a full URL with the query string in it (decoded like a browser)', () => {
		const result = validateSpApiRequest({
			method: 'GET',
			path: `https://sellingpartnerapi-na.amazon.com/orders/2026-01-01/orders?createdAfter=2025-01-01T00%3A00%3A00Z&marketplaceIds=${US}%2C${DE}&paginationToken=a%2Bb%3D`,
		});
		expect([result.operationId, result.violations, result.info]).toEqual(['searchOrders', [], []]);
		expect(validateSpApiRequest({ method: 'GET', path: '/orders/2026-01-01/orders?createdAfter=2025-01-01T00:00:00Z', host: 'localhost:8080' }).info).toEqual([
			'searchOrders [orders_2026-01-01] host localhost:8080 is not an SP-API endpoint (fine for a local mock)',
		]);
	});

	it('a raw "+" in a query string is decoded as a space (info); a path must start with "/"', () => {
		const result = validateSpApiRequest({ method: 'GET', path: '/orders/v0/orders/123/orderItems?NextToken=a+b' });
		expect(result.violations).toEqual([]);
		expect(result.info).toContain('getOrderItems [ordersV0] query string: a raw "+" is read as a space; tokens containing "+" must be sent as %2B');
		expect(violations(get('orders/2026-01-01/orders'))).toEqual(['path "orders/2026-01-01/orders" must start with "/"']);
	});

	it('assertValidSpApiRequest throws with every violation listed', () => {
		expect(() => assertValidSpApiRequest(get('/orders/2026-01-01/orders', { maxResultsPerPage: '0' }))).toThrow(
			[
				'GET /orders/2026-01-01/orders violates the SP-API contract:',
				"- searchOrders [orders_2026-01-01] query.maxResultsPerPage: 0 is less than the minimum 1 (stated in the model's description, not in its schema)",
				"- searchOrders [orders_2026-01-01] query: one of createdAfter, lastUpdatedAfter is required (stated in the model's description, not in its schema)",
			].join('\n'),
		);
		expect(assertValidSpApiRequest(get('/orders/2026-01-01/orders', { lastUpdatedAfter: '2025-01-01T00:00:00Z' })).operationId).toBe('searchOrders');
	});

	it('a body on an operation without a body parameter is a violation', () => {
		expect(violations(send('GET', '/reports/2021-06-30/reports/123', { a: 1 }))).toEqual(['getReport [reports_2021-06-30] body: the operation takes no request body']);
	});
});

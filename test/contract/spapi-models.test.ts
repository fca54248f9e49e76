/**
 * The models themselves: they load cleanly, operations can be listed and claimed, and every
 * request example Amazon ships in `x-amzn-api-sandbox` passes the validator (a self-check in
 * both directions: valid examples produce no violations, the 400 examples that are invalid by
 * schema produce exactly the expected ones).
 */
import {
	type OperationClaim,
	SPAPI_MODEL_FILES,
	allOperations,
	checkClaimedOperations,
	getOperation,
	loadSpApiModels,
	operationsOf,
	sandboxExamples,
	validateSpApiRequest,
} from './spapi-contract';

const models = loadSpApiModels();
const examples = sandboxExamples(models);
const key = (e: { model: string; operationId: string; status: string; index: number }) => `${e.model} ${e.operationId} ${e.status}#${e.index}`;

describe('loading', () => {
	it('loads all ten models; every $ref resolves and every schema keyword is supported', () => {
		expect([...models.models.keys()]).toEqual(SPAPI_MODEL_FILES.map((f) => f.replace(/\.json$/, '')));
		expect(models.problems).toEqual([]);
		expect(loadSpApiModels()).toBe(models); // parsed once
	});

	it('lists operations per model, with unique (model, operationId) and (method, path)', () => {
		const counts = Object.fromEntries([...models.models.keys()].map((name) => [name, operationsOf(name).length]));
		expect(counts).toEqual({
			ordersV0: 10,
			'orders_2026-01-01': 2,
			financesV0: 4,
			'finances_2024-06-19': 3,
			'reports_2021-06-30': 9,
			fbaInventory: 4,
			'listingsItems_2021-08-01': 5,
			'feeds_2021-06-30': 6,
			'tokens_2021-03-01': 1,
			notifications: 10,
		});
		const all = allOperations();
		expect(new Set(all.map((op) => `${op.model}#${op.operationId}`)).size).toBe(all.length);
		expect(new Set(all.map((op) => `${op.method} ${op.path}`)).size).toBe(all.length);
		expect(operationsOf('tokens_2021-03-01.json')).toEqual([
			{ model: 'tokens_2021-03-01', operationId: 'createRestrictedDataToken', method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken', deprecated: false, deprecation: undefined, sandboxOnly: false },
		]);
		expect(() => operationsOf('ordersV1')).toThrow(/Unknown SP-API model ordersV1/);
	});

	it('knows which operations are deprecated (model flag or Amazon changelog) and which are sandbox-only', () => {
		const all = allOperations();
		expect(all.filter((op) => op.deprecated).map((op) => `${op.model}#${op.operationId}`)).toEqual([
			'ordersV0#getOrders',
			'ordersV0#getOrder',
			'ordersV0#getOrderBuyerInfo',
			'ordersV0#getOrderAddress',
			'ordersV0#getOrderItems',
			'ordersV0#getOrderItemsBuyerInfo',
			'financesV0#listFinancialEventsByGroupId',
			'financesV0#listFinancialEventsByOrderId',
			'financesV0#listFinancialEvents',
		]);
		expect(all.filter((op) => op.sandboxOnly).map((op) => `${op.model}#${op.operationId}`)).toEqual([
			'fbaInventory#createInventoryItem',
			'fbaInventory#deleteInventoryItem',
			'fbaInventory#addInventory',
			'notifications#sendTestNotification',
		]);
	});
});

describe('claimed operations', () => {
	/** The operations shared/reference/amazon-sp-api.md plans for the node (its rate-limit table). */
	const planned: OperationClaim[] = [
		{ model: 'orders_2026-01-01', operationId: 'searchOrders', method: 'GET', path: '/orders/2026-01-01/orders' },
		{ model: 'orders_2026-01-01', operationId: 'getOrder', method: 'GET', path: '/orders/2026-01-01/orders/{orderId}' },
		{ model: 'ordersV0', operationId: 'confirmShipment', method: 'POST', path: '/orders/v0/orders/{orderId}/shipmentConfirmation' },
		{ model: 'ordersV0', operationId: 'updateShipmentStatus', method: 'POST', path: '/orders/v0/orders/{orderId}/shipment' },
		{ model: 'financesV0', operationId: 'listFinancialEventGroups', method: 'GET', path: '/finances/v0/financialEventGroups' },
		{ model: 'finances_2024-06-19', operationId: 'listTransactions', method: 'GET', path: '/finances/2024-06-19/transactions' },
		{ model: 'finances_2024-06-19', operationId: 'listBalances' },
		{ model: 'finances_2024-06-19', operationId: 'listSummary' },
		{ model: 'reports_2021-06-30', operationId: 'getReports', method: 'GET', path: '/reports/2021-06-30/reports' },
		{ model: 'reports_2021-06-30', operationId: 'createReport', method: 'POST', path: '/reports/2021-06-30/reports' },
		{ model: 'reports_2021-06-30', operationId: 'getReport', method: 'GET', path: '/reports/2021-06-30/reports/{reportId}' },
		{ model: 'reports_2021-06-30', operationId: 'cancelReport', method: 'DELETE', path: '/reports/2021-06-30/reports/{reportId}' },
		{ model: 'reports_2021-06-30', operationId: 'getReportDocument', method: 'GET', path: '/reports/2021-06-30/documents/{reportDocumentId}' },
		{ model: 'fbaInventory', operationId: 'getInventorySummaries', method: 'GET', path: '/fba/inventory/v1/summaries' },
		{ model: 'listingsItems_2021-08-01', operationId: 'getListingsItem', method: 'GET', path: '/listings/2021-08-01/items/{sellerId}/{sku}' },
		{ model: 'listingsItems_2021-08-01', operationId: 'patchListingsItem', method: 'PATCH', path: '/listings/2021-08-01/items/{sellerId}/{sku}' },
		{ model: 'listingsItems_2021-08-01', operationId: 'searchListingsItems', method: 'GET', path: '/listings/2021-08-01/items/{sellerId}' },
		{ model: 'feeds_2021-06-30', operationId: 'createFeedDocument', method: 'POST', path: '/feeds/2021-06-30/documents' },
		{ model: 'feeds_2021-06-30', operationId: 'createFeed', method: 'POST', path: '/feeds/2021-06-30/feeds' },
		{ model: 'feeds_2021-06-30', operationId: 'getFeed', method: 'GET', path: '/feeds/2021-06-30/feeds/{feedId}' },
		{ model: 'feeds_2021-06-30', operationId: 'getFeedDocument', method: 'GET', path: '/feeds/2021-06-30/documents/{feedDocumentId}' },
		{ model: 'tokens_2021-03-01', operationId: 'createRestrictedDataToken', method: 'POST', path: '/tokens/2021-03-01/restrictedDataToken' },
		{ model: 'notifications', operationId: 'createDestination', method: 'POST', path: '/notifications/v1/destinations' },
		{ model: 'notifications', operationId: 'createSubscription', method: 'POST', path: '/notifications/v1/subscriptions/{notificationType}' },
		{ model: 'notifications', operationId: 'getSubscription', method: 'GET', path: '/notifications/v1/subscriptions/{notificationType}' },
	];

	it('every planned default operation exists, with that method and path, and none is deprecated', () => {
		expect(checkClaimedOperations(planned)).toEqual([]);
	});

	it('reports unknown, mismatched and deprecated claims', () => {
		expect(
			checkClaimedOperations([
				{ model: 'ordersV0', operationId: 'getOrders' },
				{ model: 'orders_2026-01-01', operationId: 'getOrders' },
				{ model: 'orders_2026-01-01', operationId: 'searchOrders', method: 'POST', path: '/orders/2026-01-01/order' },
				{ model: 'ordersV2', operationId: 'x' },
			]),
		).toEqual([
			'getOrders [ordersV0]: deprecated (deprecated in the model (Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 searchOrders))',
			'getOrders [orders_2026-01-01]: no such operation in the model',
			'searchOrders [orders_2026-01-01]: method POST, the model says GET',
			'searchOrders [orders_2026-01-01]: path /orders/2026-01-01/order, the model says /orders/2026-01-01/orders',
			'x [ordersV2]: unknown model',
		]);
		expect(checkClaimedOperations([{ model: 'ordersV0', operationId: 'getOrders' }], { allowDeprecated: true })).toEqual([]);
	});
});

describe('x-amzn-api-sandbox request examples', () => {
	it('covers every operation that has static examples, in every model that has any', () => {
		const withExamples = new Set(examples.map((e) => `${e.model}#${e.operationId}`));
		const expectedWithout = ['fbaInventory#getInventorySummaries', 'fbaInventory#createInventoryItem', 'fbaInventory#deleteInventoryItem', 'fbaInventory#addInventory', 'notifications#sendTestNotification'];
		expect(
			allOperations()
				.map((op) => `${op.model}#${op.operationId}`)
				.filter((id) => !withExamples.has(id)),
		).toEqual(expectedWithout); // these use the dynamic sandbox (`x-amzn-api-sandbox: { dynamic: {} }`)
		expect(examples.length).toBe(110);
		expect(examples.filter((e) => e.status.startsWith('2')).length).toBe(64);
	});

	it('maps every example parameter to a parameter of its operation', () => {
		expect(examples.filter((e) => e.unmatched.length)).toEqual([]);
		// Orders v0 names its body parameter "payload"; its examples say "body".
		expect(new Set(examples.flatMap((e) => e.renamed.map((r) => `${e.model}#${e.operationId} ${r}`)))).toEqual(
			new Set(['ordersV0#updateShipmentStatus body→payload', 'ordersV0#updateVerificationStatus body→payload', 'ordersV0#confirmShipment body→payload']),
		);
		// Listings examples carry `"body": {}` without a value (meaning "any body").
		expect(new Set(examples.filter((e) => e.ignored.length).map((e) => `${key(e)} ${e.ignored.join(',')}`))).toEqual(
			new Set(['listingsItems_2021-08-01 getListingsItem 200#0 body', 'listingsItems_2021-08-01 putListingsItem 200#0 body', 'listingsItems_2021-08-01 patchListingsItem 200#0 body']),
		);
	});

	/**
	 * Successful examples whose given values contradict the model's own schema. Pinned so a model
	 * update or a validator change that alters them shows up here.
	 */
	const MODEL_INCONSISTENCIES: Record<string, string[]> = {
		// Query parameters declared `format: date-time`, example values are plain dates.
		'financesV0 listFinancialEventGroups 200#0': [
			'listFinancialEventGroups [financesV0] query.FinancialEventGroupStartedBefore: "2019-10-31" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
			'listFinancialEventGroups [financesV0] query.FinancialEventGroupStartedAfter: "2019-10-13" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
		],
		'finances_2024-06-19 listTransactions 200#0': [
			'listTransactions [finances_2024-06-19] query.postedAfter: "2023-03-07" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
		],
	};

	const successes = examples.filter((e) => e.status.startsWith('2'));
	it.each(successes.map((e) => [key(e), e] as const))('%s passes', (name, example) => {
		const result = validateSpApiRequest(example.request);
		expect([result.model, result.operationId]).toEqual([example.model, example.operationId]);
		expect(result.violations).toEqual(MODEL_INCONSISTENCIES[name] ?? []);
	});

	/**
	 * Error examples (required gaps filled, so only the example's own values count). Those not
	 * listed here are invalid for reasons no schema states (unknown ids, magic TEST_CASE_400
	 * values, report types that do not exist) and must pass the schema checks.
	 */
	const DETECTED_ERROR_EXAMPLES: Record<string, string[]> = {
		'ordersV0 updateVerificationStatus 400#0': ['updateVerificationStatus [ordersV0] body.regulatedOrderVerificationStatus: required property "externalReviewerId" is missing'],
		'ordersV0 updateVerificationStatus 400#2': ['updateVerificationStatus [ordersV0] body.regulatedOrderVerificationStatus: required property "externalReviewerId" is missing'],
		'ordersV0 updateVerificationStatus 400#3': ['updateVerificationStatus [ordersV0] body.regulatedOrderVerificationStatus.verificationDetails.prescriptionDetail: required property "clinicId" is missing'],
		'ordersV0 confirmShipment 400#0': ['confirmShipment [ordersV0] body.packageDetail.shipDate: "02/21/2022" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)'],
		'orders_2026-01-01 searchOrders 400#0': ['searchOrders [orders_2026-01-01] query.createdAfter: "TEST_CASE_400" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)'],
		'finances_2024-06-19 listTransactions 400#0': [
			'listTransactions [finances_2024-06-19] query.postedBefore: "2022-03-07" is not an ISO 8601 date-time with a time zone (e.g. 2024-01-31T23:59:59Z)',
			"listTransactions [finances_2024-06-19] query.postedAfter: required unless relatedIdentifierName and relatedIdentifierValue are given (stated in the model's description, not in its schema)",
		],
		'reports_2021-06-30 getReports 400#0': ['getReports [reports_2021-06-30] query.processingStatuses[0]: "BAD_VALUE" is not one of CANCELLED, DONE, FATAL, IN_PROGRESS, IN_QUEUE'],
		'reports_2021-06-30 createReportSchedule 400#0': ['createReportSchedule [reports_2021-06-30] body: required property "marketplaceIds" is missing'],
		'feeds_2021-06-30 getFeeds 400#0': ['getFeeds [feeds_2021-06-30] query.processingStatuses[0]: "BAD_VALUE" is not one of CANCELLED, DONE, FATAL, IN_PROGRESS, IN_QUEUE'],
		'feeds_2021-06-30 createFeed 400#0': ['createFeed [feeds_2021-06-30] body: required property "feedType" is missing'],
		'feeds_2021-06-30 createFeedDocument 400#0': ['createFeedDocument [feeds_2021-06-30] body: required property "contentType" is missing'],
		'tokens_2021-03-01 createRestrictedDataToken 400#0': ['createRestrictedDataToken [tokens_2021-03-01] body.restrictedResources[0].method: "" is not one of GET, PUT, POST, DELETE'],
	};

	const failures = examples.filter((e) => !e.status.startsWith('2'));
	it.each(failures.map((e) => [key(e), e] as const))('%s gives the expected violations', (name, example) => {
		expect(validateSpApiRequest(example.request).violations).toEqual(DETECTED_ERROR_EXAMPLES[name] ?? []);
	});

	it('every pinned entry belongs to an existing example', () => {
		const names = new Set(examples.map(key));
		expect([...Object.keys(MODEL_INCONSISTENCIES), ...Object.keys(DETECTED_ERROR_EXAMPLES)].filter((name) => !names.has(name))).toEqual([]);
	});
});

describe('mutating the valid examples', () => {
	const successes = examples.filter((e) => e.status.startsWith('2'));

	/** Top-level required properties of a body schema (following `$ref`s). */
	function requiredBodyProperties(model: string, schema: unknown): string[] {
		let node = schema as { $ref?: string; required?: string[] } | undefined;
		while (node?.$ref) node = models.models.get(model)?.resolve(node.$ref) as typeof node;
		return node?.required ?? [];
	}

	it('dropping any required query, path or header parameter or body property is reported by name', () => {
		let checked = 0;
		for (const example of successes) {
			const op = getOperation(example.model, example.operationId);
			if (!op) throw new Error(key(example));
			for (const param of op.parameters.filter((p) => p.required && p.in === 'query')) {
				const query = { ...example.request.query };
				delete query[param.name];
				expect(validateSpApiRequest({ ...example.request, query }).violations).toContain(`${op.operationId} [${op.model}] query.${param.name}: required parameter is missing`);
				checked++;
			}
			const body = example.request.body;
			if (body && typeof body === 'object' && !Array.isArray(body)) {
				const required = requiredBodyProperties(example.model, op.bodyParameter?.schema);
				for (const name of Object.keys(body)) {
					if (!required.includes(name)) continue;
					const copy = { ...(body as Record<string, unknown>) };
					delete copy[name];
					expect(validateSpApiRequest({ ...example.request, body: copy }).violations).toContain(`${op.operationId} [${op.model}] body: required property "${name}" is missing`);
					checked++;
				}
			}
		}
		expect(checked).toBeGreaterThan(40);
	});

	it('replacing any query value with an unknown parameter, or a body property with the wrong type, is reported by path', () => {
		let checked = 0;
		for (const example of successes) {
			const prefix = `${example.operationId} [${example.model}]`;
			const query = { ...example.request.query, notAParameter: 'x' };
			expect(validateSpApiRequest({ ...example.request, query }).violations).toContain(`${prefix} query.notAParameter: unknown query parameter`);
			const body = example.request.body;
			if (body && typeof body === 'object' && !Array.isArray(body)) {
				for (const [name, value] of Object.entries(body)) {
					const wrong = typeof value === 'string' ? 12345 : 'a string';
					const result = validateSpApiRequest({ ...example.request, body: { ...(body as object), [name]: wrong } });
					expect(result.violations.some((v) => v.startsWith(`${prefix} body.${name}: expected `))).toBe(true);
					checked++;
				}
			}
			checked++;
		}
		expect(checked).toBeGreaterThan(80);
	});
});

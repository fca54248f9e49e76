/**
 * The SP-API operations the sandbox serves, with the default usage plans from Amazon's models
 * (reference §3) and path templates as in the models.
 */

export type OperationName =
	| 'ordersV0.getOrders'
	| 'ordersV0.getOrder'
	| 'ordersV0.getOrderItems'
	| 'orders2026.searchOrders'
	| 'orders2026.getOrder'
	| 'tokens.createRestrictedDataToken'
	| 'financesV0.listFinancialEventGroups'
	| 'financesV0.listFinancialEventsByGroupId'
	| 'finances2024.listTransactions'
	| 'reports.getReports'
	| 'reports.createReport'
	| 'reports.getReport'
	| 'reports.cancelReport'
	| 'reports.getReportDocument'
	| 'fbaInventory.getInventorySummaries'
	| 'listings.getListingsItem'
	| 'listings.patchListingsItem'
	| 'feeds.createFeedDocument'
	| 'feeds.createFeed'
	| 'feeds.getFeeds'
	| 'feeds.getFeed'
	| 'feeds.cancelFeed'
	| 'feeds.getFeedDocument'
	| 'notifications.getDestinations'
	| 'notifications.createDestination'
	| 'notifications.getDestination'
	| 'notifications.deleteDestination'
	| 'notifications.getSubscriptions'
	| 'notifications.getSubscription'
	| 'notifications.createSubscription'
	| 'notifications.getSubscriptionById'
	| 'notifications.deleteSubscriptionById'
	| 'notifications.sendTestNotification'
	| 'sellers.getMarketplaceParticipations';

/**
 * Which access token an operation takes: a seller's LWA token (`seller`, RDTs where
 * `restricted`), or an application's grantless token with scope sellingpartnerapi::notifications
 * (`grantless`, reference §10 and the model's descriptions).
 */
export type TokenKind = 'seller' | 'grantless';

export interface OperationDef {
	/** `<api>.<operationId>`: unique across API versions (v0 and 2026-01-01 both have getOrder). */
	name: OperationName;
	/** The model file in shared/reference/openapi/amazon-sp-api. */
	model: string;
	operationId: string;
	method: string;
	/** Path template as in the model. */
	template: string;
	/** Default usage plan (requests per second, bucket size). */
	rate: number;
	burst: number;
	/** Accepts a Restricted Data Token (Orders v0 PII operations). */
	restricted?: boolean;
	auth: TokenKind;
	/** `x-amzn-api-sandbox-only` in the model: served on the sandbox.* hosts only. */
	sandboxOnly?: boolean;
	/** Compiled from the template: one capture group per {param}. */
	pattern: RegExp;
	params: string[];
}

function op(
	name: OperationName,
	model: string,
	method: string,
	template: string,
	rate: number,
	burst: number,
	flags: { restricted?: boolean; auth?: TokenKind; sandboxOnly?: boolean } = {},
): OperationDef {
	const params: string[] = [];
	const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, p: string) => {
		params.push(p);
		return '([^/]+)';
	});
	return {
		name,
		model,
		operationId: name.split('.')[1],
		method,
		template,
		rate,
		burst,
		restricted: flags.restricted ?? false,
		auth: flags.auth ?? 'seller',
		sandboxOnly: flags.sandboxOnly ?? false,
		pattern: new RegExp(`^${source}$`),
		params,
	};
}

export const OPERATIONS: readonly OperationDef[] = [
	op('ordersV0.getOrders', 'ordersV0.json', 'GET', '/orders/v0/orders', 0.0167, 20, { restricted: true }),
	op('ordersV0.getOrder', 'ordersV0.json', 'GET', '/orders/v0/orders/{orderId}', 0.5, 30, { restricted: true }),
	op('ordersV0.getOrderItems', 'ordersV0.json', 'GET', '/orders/v0/orders/{orderId}/orderItems', 0.5, 30, { restricted: true }),
	op('orders2026.searchOrders', 'orders_2026-01-01.json', 'GET', '/orders/2026-01-01/orders', 0.0056, 20),
	op('orders2026.getOrder', 'orders_2026-01-01.json', 'GET', '/orders/2026-01-01/orders/{orderId}', 0.5, 30),
	op('tokens.createRestrictedDataToken', 'tokens_2021-03-01.json', 'POST', '/tokens/2021-03-01/restrictedDataToken', 1, 10),
	op('financesV0.listFinancialEventGroups', 'financesV0.json', 'GET', '/finances/v0/financialEventGroups', 0.5, 30),
	op('financesV0.listFinancialEventsByGroupId', 'financesV0.json', 'GET', '/finances/v0/financialEventGroups/{eventGroupId}/financialEvents', 0.5, 30),
	op('finances2024.listTransactions', 'finances_2024-06-19.json', 'GET', '/finances/2024-06-19/transactions', 0.5, 10),
	op('reports.getReports', 'reports_2021-06-30.json', 'GET', '/reports/2021-06-30/reports', 0.0222, 10),
	op('reports.createReport', 'reports_2021-06-30.json', 'POST', '/reports/2021-06-30/reports', 0.0167, 15),
	op('reports.getReport', 'reports_2021-06-30.json', 'GET', '/reports/2021-06-30/reports/{reportId}', 2, 15),
	op('reports.cancelReport', 'reports_2021-06-30.json', 'DELETE', '/reports/2021-06-30/reports/{reportId}', 0.0222, 10),
	op('reports.getReportDocument', 'reports_2021-06-30.json', 'GET', '/reports/2021-06-30/documents/{reportDocumentId}', 0.0167, 15),
	op('fbaInventory.getInventorySummaries', 'fbaInventory.json', 'GET', '/fba/inventory/v1/summaries', 2, 2),
	op('listings.getListingsItem', 'listingsItems_2021-08-01.json', 'GET', '/listings/2021-08-01/items/{sellerId}/{sku}', 5, 10),
	op('listings.patchListingsItem', 'listingsItems_2021-08-01.json', 'PATCH', '/listings/2021-08-01/items/{sellerId}/{sku}', 5, 5),
	op('feeds.createFeedDocument', 'feeds_2021-06-30.json', 'POST', '/feeds/2021-06-30/documents', 0.5, 15),
	op('feeds.getFeedDocument', 'feeds_2021-06-30.json', 'GET', '/feeds/2021-06-30/documents/{feedDocumentId}', 0.0222, 10),
	op('feeds.createFeed', 'feeds_2021-06-30.json', 'POST', '/feeds/2021-06-30/feeds', 0.0083, 15),
	op('feeds.getFeeds', 'feeds_2021-06-30.json', 'GET', '/feeds/2021-06-30/feeds', 0.0222, 10),
	op('feeds.getFeed', 'feeds_2021-06-30.json', 'GET', '/feeds/2021-06-30/feeds/{feedId}', 2, 15),
	op('feeds.cancelFeed', 'feeds_2021-06-30.json', 'DELETE', '/feeds/2021-06-30/feeds/{feedId}', 2, 15),
	op('notifications.getDestinations', 'notifications.json', 'GET', '/notifications/v1/destinations', 1, 5, { auth: 'grantless' }),
	op('notifications.createDestination', 'notifications.json', 'POST', '/notifications/v1/destinations', 1, 5, { auth: 'grantless' }),
	op('notifications.getDestination', 'notifications.json', 'GET', '/notifications/v1/destinations/{destinationId}', 1, 5, { auth: 'grantless' }),
	op('notifications.deleteDestination', 'notifications.json', 'DELETE', '/notifications/v1/destinations/{destinationId}', 1, 5, { auth: 'grantless' }),
	op('notifications.getSubscriptions', 'notifications.json', 'GET', '/notifications/v1/subscriptions', 1, 5),
	op('notifications.getSubscription', 'notifications.json', 'GET', '/notifications/v1/subscriptions/{notificationType}', 1, 5),
	op('notifications.createSubscription', 'notifications.json', 'POST', '/notifications/v1/subscriptions/{notificationType}', 1, 5),
	op('notifications.sendTestNotification', 'notifications.json', 'POST', '/notifications/v1/subscriptions/{notificationType}/testNotification', 1, 5, {
		auth: 'grantless',
		sandboxOnly: true,
	}),
	op('notifications.getSubscriptionById', 'notifications.json', 'GET', '/notifications/v1/subscriptions/{notificationType}/{subscriptionId}', 1, 5, { auth: 'grantless' }),
	op('notifications.deleteSubscriptionById', 'notifications.json', 'DELETE', '/notifications/v1/subscriptions/{notificationType}/{subscriptionId}', 1, 5, { auth: 'grantless' }),
	// Model not vendored (inferred from Amazon's public Sellers API reference): see sellers.ts.
	op('sellers.getMarketplaceParticipations', 'sellers.json', 'GET', '/sellers/v1/marketplaceParticipations', 0.016, 15),
];

export interface RouteMatch {
	operation: OperationDef;
	/** Decoded path parameters. */
	params: Record<string, string>;
	/** Parameters whose percent-encoding is malformed (e.g. a raw '%'): the request gets 400. */
	malformed: string[];
}

/**
 * The operation for a method + raw path. `undefined` with `methodNotAllowed` when the path
 * exists for another method.
 */
export function matchOperation(method: string, rawPath: string): { match?: RouteMatch; methodNotAllowed?: boolean } {
	let pathExists = false;
	for (const operation of OPERATIONS) {
		const m = operation.pattern.exec(rawPath);
		if (!m) continue;
		if (operation.method !== method) {
			pathExists = true;
			continue;
		}
		const params: Record<string, string> = {};
		const malformed: string[] = [];
		operation.params.forEach((p, i) => {
			let value = m[i + 1];
			try {
				value = decodeURIComponent(value);
			} catch {
				malformed.push(p);
			}
			params[p] = value;
		});
		return { match: { operation, params, malformed } };
	}
	return { methodNotAllowed: pathExists };
}

export function operationByName(name: string): OperationDef | undefined {
	return OPERATIONS.find((o) => o.name === name);
}

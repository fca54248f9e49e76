/**
 * The SP-API operations this node calls, with Amazon's default rate (requests per second) and
 * burst from the official models (reference §3). The live rate, when SP-API sends one in
 * x-amzn-RateLimit-Limit, replaces the default.
 */
import type { IHttpRequestMethods } from 'n8n-workflow';

export interface SpApiOperation {
	id: string;
	method: IHttpRequestMethods;
	/** Path template with `{name}` parameters. */
	path: string;
	rate: number;
	burst: number;
	/** Called with a grantless (client-credentials) token instead of the seller's. */
	grantless?: boolean;
}

function op(id: string, method: IHttpRequestMethods, path: string, rate: number, burst: number, grantless = false): SpApiOperation {
	return { id, method, path, rate, burst, grantless };
}

export const OPERATIONS = {
	searchOrders: op('searchOrders', 'GET', '/orders/2026-01-01/orders', 0.0056, 20),
	getOrder: op('getOrder', 'GET', '/orders/2026-01-01/orders/{orderId}', 0.5, 30),
	getOrdersV0: op('getOrdersV0', 'GET', '/orders/v0/orders', 0.0167, 20),
	getOrderV0: op('getOrderV0', 'GET', '/orders/v0/orders/{orderId}', 0.5, 30),
	getOrderItemsV0: op('getOrderItemsV0', 'GET', '/orders/v0/orders/{orderId}/orderItems', 0.5, 30),
	listTransactions: op('listTransactions', 'GET', '/finances/2024-06-19/transactions', 0.5, 10),
	listFinancialEventGroups: op('listFinancialEventGroups', 'GET', '/finances/v0/financialEventGroups', 0.5, 30),
	listFinancialEventsByGroupId: op('listFinancialEventsByGroupId', 'GET', '/finances/v0/financialEventGroups/{eventGroupId}/financialEvents', 0.5, 30),
	createRestrictedDataToken: op('createRestrictedDataToken', 'POST', '/tokens/2021-03-01/restrictedDataToken', 1, 10),
	getReports: op('getReports', 'GET', '/reports/2021-06-30/reports', 0.0222, 10),
	createReport: op('createReport', 'POST', '/reports/2021-06-30/reports', 0.0167, 15),
	getReport: op('getReport', 'GET', '/reports/2021-06-30/reports/{reportId}', 2, 15),
	getReportDocument: op('getReportDocument', 'GET', '/reports/2021-06-30/documents/{reportDocumentId}', 0.0167, 15),
	cancelReport: op('cancelReport', 'DELETE', '/reports/2021-06-30/reports/{reportId}', 0.0222, 10),
	getInventorySummaries: op('getInventorySummaries', 'GET', '/fba/inventory/v1/summaries', 2, 2),
	getListingsItem: op('getListingsItem', 'GET', '/listings/2021-08-01/items/{sellerId}/{sku}', 5, 10),
	patchListingsItem: op('patchListingsItem', 'PATCH', '/listings/2021-08-01/items/{sellerId}/{sku}', 5, 5),
	createFeedDocument: op('createFeedDocument', 'POST', '/feeds/2021-06-30/documents', 0.5, 15),
	createFeed: op('createFeed', 'POST', '/feeds/2021-06-30/feeds', 0.0083, 15),
	getFeed: op('getFeed', 'GET', '/feeds/2021-06-30/feeds/{feedId}', 2, 15),
	cancelFeed: op('cancelFeed', 'DELETE', '/feeds/2021-06-30/feeds/{feedId}', 2, 15),
	getFeeds: op('getFeeds', 'GET', '/feeds/2021-06-30/feeds', 0.0222, 10),
	getFeedDocument: op('getFeedDocument', 'GET', '/feeds/2021-06-30/documents/{feedDocumentId}', 0.0222, 10),
	getDestinations: op('getDestinations', 'GET', '/notifications/v1/destinations', 1, 5, true),
	createDestination: op('createDestination', 'POST', '/notifications/v1/destinations', 1, 5, true),
	getDestination: op('getDestination', 'GET', '/notifications/v1/destinations/{destinationId}', 1, 5, true),
	deleteDestination: op('deleteDestination', 'DELETE', '/notifications/v1/destinations/{destinationId}', 1, 5, true),
	createSubscription: op('createSubscription', 'POST', '/notifications/v1/subscriptions/{notificationType}', 1, 5),
	getSubscription: op('getSubscription', 'GET', '/notifications/v1/subscriptions/{notificationType}', 1, 5),
	getSubscriptionById: op('getSubscriptionById', 'GET', '/notifications/v1/subscriptions/{notificationType}/{subscriptionId}', 1, 5, true),
	deleteSubscriptionById: op('deleteSubscriptionById', 'DELETE', '/notifications/v1/subscriptions/{notificationType}/{subscriptionId}', 1, 5, true),
	getMarketplaceParticipations: op('getMarketplaceParticipations', 'GET', '/sellers/v1/marketplaceParticipations', 0.016, 15),
} satisfies Record<string, SpApiOperation>;

/** Limits for raw requests to paths we do not model: conservative, one at a time. */
export const UNKNOWN_OPERATION_LIMIT = { rate: 0.5, burst: 1 };

/** The known operation a raw request's method and path belong to, for its rate limit. */
export function operationFor(method: string, path: string): SpApiOperation | undefined {
	const clean = path.split('?')[0];
	return Object.values(OPERATIONS).find((candidate) => {
		if (candidate.method !== method.toUpperCase()) return false;
		const pattern = new RegExp(`^${candidate.path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
		return pattern.test(clean);
	});
}

/** Fills `{name}` path parameters, each percent-encoded as one segment (SKUs contain / and spaces). */
export function fillPath(template: string, parameters: Record<string, string>): string {
	return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
		const value = parameters[name];
		if (value === undefined || value === '') throw new Error(`Missing path parameter ${name}`);
		return encodeURIComponent(value);
	});
}

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
	| 'fbaInventory.getInventorySummaries';

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
	/** Compiled from the template: one capture group per {param}. */
	pattern: RegExp;
	params: string[];
}

function op(name: OperationName, model: string, method: string, template: string, rate: number, burst: number, restricted = false): OperationDef {
	const params: string[] = [];
	const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, p: string) => {
		params.push(p);
		return '([^/]+)';
	});
	return { name, model, operationId: name.split('.')[1], method, template, rate, burst, restricted, pattern: new RegExp(`^${source}$`), params };
}

export const OPERATIONS: readonly OperationDef[] = [
	op('ordersV0.getOrders', 'ordersV0.json', 'GET', '/orders/v0/orders', 0.0167, 20, true),
	op('ordersV0.getOrder', 'ordersV0.json', 'GET', '/orders/v0/orders/{orderId}', 0.5, 30, true),
	op('ordersV0.getOrderItems', 'ordersV0.json', 'GET', '/orders/v0/orders/{orderId}/orderItems', 0.5, 30, true),
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
];

export interface RouteMatch {
	operation: OperationDef;
	/** Decoded path parameters. */
	params: Record<string, string>;
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
		operation.params.forEach((p, i) => {
			let value = m[i + 1];
			try {
				value = decodeURIComponent(value);
			} catch {
				// keep as sent; the handler will not find it
			}
			params[p] = value;
		});
		return { match: { operation, params } };
	}
	return { methodNotAllowed: pathExists };
}

export function operationByName(name: string): OperationDef | undefined {
	return OPERATIONS.find((o) => o.name === name);
}

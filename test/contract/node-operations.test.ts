/**
 * The Amazon node's own operation table (nodes/AmazonSellerCentral/transport/operations.ts) checked
 * against Amazon's official models: every operation the node can call exists with that method and
 * path template, the default rate and burst equal the usage plan the model documents, and the
 * operations we call with a grantless token are the ones the model says are grantless.
 */
import { OPERATIONS } from '../../nodes/AmazonSellerCentral/transport/operations';
import { findOperation } from './spapi-contract';

/** The Sellers model is not vendored (test/contract/README.md); the credential test calls it. */
const NOT_VENDORED = new Set(['getMarketplaceParticipations']);

/** The usage plan table in an operation's description: `| 0.0083 | 15 |`. */
function usagePlan(description: string): { rate: number; burst: number } | undefined {
	const match = /\|\s*Rate \(requests per second\)\s*\|\s*Burst\s*\|\s*\n\s*\|[-\s|]+\|\s*\n\s*\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|/.exec(description);
	return match ? { rate: Number(match[1]), burst: Number(match[2]) } : undefined;
}

const entries = Object.entries(OPERATIONS).filter(([, operation]) => !NOT_VENDORED.has(operation.id));

describe("the Amazon node's operations against Amazon's models", () => {
	it.each(entries)('%s exists with its method and path, Amazon\'s usage plan and token kind', (_, operation) => {
		// A concrete path as the node sends it: every {parameter} filled with a sample segment.
		const concrete = operation.path.replace(/\{[^}]+\}/g, 'SAMPLE-1');
		const match = findOperation(operation.method, concrete);
		expect(match).toBeDefined();
		const official = match!.operation;
		expect({ method: official.method, path: official.path }).toEqual({ method: operation.method, path: operation.path });
		const raw = official.raw as { description?: string; security?: unknown };
		const plan = usagePlan(String(raw.description ?? ''));
		expect(plan).toEqual({ rate: operation.rate, burst: operation.burst });
		const grantless = /grantless/i.test(JSON.stringify(raw));
		expect({ operation: operation.id, grantless }).toEqual({ operation: operation.id, grantless: operation.grantless === true });
	});

	it('covers every operation family the node offers', () => {
		const models = new Set(entries.map(([, operation]) => findOperation(operation.method, operation.path.replace(/\{[^}]+\}/g, 'X'))?.operation.model));
		expect([...models].sort()).toEqual(
			['fbaInventory', 'feeds_2021-06-30', 'financesV0', 'finances_2024-06-19', 'listingsItems_2021-08-01', 'notifications', 'ordersV0', 'orders_2026-01-01', 'reports_2021-06-30', 'tokens_2021-03-01'].sort(),
		);
	});
});

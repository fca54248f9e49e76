/**
 * Acceptance timing for Orders Get Many (issue 4): 60 pages under the documented getOrders usage
 * plan (0.0167 requests/s, burst 20) complete within 1.15× the theoretical minimum, with no 429
 * and no failed item. The sandbox runs Amazon's plan 300× faster (timeScale) and states the
 * scaled rate in x-amzn-RateLimit-Limit, as Amazon states a seller's real rate; the node must pace
 * itself by that header. The minimum: the burst goes at once, each further page waits one token.
 */
import { type AmazonTestbed, AMAZON_NODE, jsonOf, runAmazon, startAmazonTestbed } from './helpers';

const TIME_SCALE = 300;
const RATE = 0.0167 * TIME_SCALE;
const BURST = 20;

let bed: AmazonTestbed;
beforeAll(async () => {
	bed = await startAmazonTestbed({ timeScale: TIME_SCALE, ordersPerSeller: 6100 });
});
afterAll(async () => await bed?.close());

test('60 pages of getOrders at 0.0167 rps / burst 20 take at most 1.15× the theoretical minimum, without a 429', async () => {
	// A window holding 5 950 orders: 60 pages of up to 100 (5 901–6 000 would all be 60 pages).
	const updates = bed.sandbox.data
		.orders()
		.map((order) => order.lastUpdateDate)
		.filter((at) => at <= Date.now() - 130_000)
		.sort((a, b) => b - a);
	const after = Math.floor(updates[5949] / 1000) * 1000;
	const started = Date.now();
	const result = await runAmazon({
		sandbox: bed.sandbox,
		parameters: { resource: 'order', operation: 'getMany', apiVersion: 'v0', after: new Date(after).toISOString(), returnAll: true, options: {} },
		timeoutMs: 120_000,
	});
	const elapsedMs = Date.now() - started;
	expect(result.status).toBe('success');

	const pages = bed.sandbox.stats.requests({ operation: 'ordersV0.getOrders' });
	expect(pages).toHaveLength(60);
	expect(pages.every((page) => page.status === 200)).toBe(true);
	expect(pages).toHaveLength(60);
	expect(pages.every((page) => page.status === 200)).toBe(true);
	expect(bed.sandbox.stats.count429()).toBe(0);
	expect(result.output(AMAZON_NODE, 1)).toEqual([]);

	const visible = bed.sandbox.data.orders().filter((order) => order.lastUpdateDate >= after && order.lastUpdateDate <= Date.now() - 130_000);
	expect(jsonOf(result.output(AMAZON_NODE)).map((order) => order.AmazonOrderId).sort()).toEqual(visible.map((order) => order.amazonOrderId).sort());

	const minimumMs = ((pages.length - BURST) / RATE) * 1000;
	const ratio = elapsedMs / minimumMs;
	// Printed for the issue notes; the bench script reports the same measure at other scales.
	process.stdout.write(`getOrders 60 pages: ${elapsedMs} ms, theoretical minimum ${Math.round(minimumMs)} ms, ratio ${ratio.toFixed(3)}\n`);
	expect(ratio).toBeLessThanOrEqual(1.15);
	// Not faster than the plan allows either: pacing is real, not skipped.
	expect(ratio).toBeGreaterThanOrEqual(0.98);
	expect(bed.sandbox.contractViolations).toEqual([]);
}, 120_000);

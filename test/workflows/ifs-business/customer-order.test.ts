/**
 * Customer Order through real workflow JSON: 500 marketplace orders created once with all their
 * lines, across re-runs, retried executions, failing lines and lost answers; reads with lines;
 * ETag-safe header updates; clear errors for wrong names.
 */
import type { IDataObject } from 'n8n-workflow';

import { type IfsSandbox, SITE_COMPANY, seededCatalogNo, seededCustomerId, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, runIfs } from '../ifs/helpers';

const P = 'CustomerOrderHandling';
const SITE = Object.keys(SITE_COMPANY).find((site) => SITE_COMPANY[site] === '10') as string;
/** No client-side pacing: the sandbox's limit is off, and we want the run to be quick. */
const FAST = { requestsPerWindow: 0, sourceSystem: 'Amazon Seller Central' };

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox({ rateLimit: false });
});
afterAll(async () => await sandbox.close());
beforeEach(() => sandbox.reset());

/** An Amazon-like order: 1–3 lines, quantities and prices with cents. */
function marketplaceOrder(index: number): IDataObject {
	const lineCount = (index % 3) + 1;
	return {
		AmazonOrderId: `114-${String(1_000_000 + index).padStart(7, '0')}-0${index % 10}`,
		customer: seededCustomerId(index % 30),
		lines: Array.from({ length: lineCount }, (_, line) => ({
			CatalogNo: seededCatalogNo((index * 7 + line) % 400),
			BuyQtyDue: line + 1,
			SalePrice: Number(`${10 + line}.${String(index % 100).padStart(2, '0')}`),
		})),
	};
}

function createParameters(extra: IDataObject = {}): IDataObject {
	return {
		resource: 'customerOrder',
		operation: 'create',
		externalReference: '={{ $json.AmazonOrderId }}',
		orderFields: `={{ JSON.stringify({ CustomerNo: $json.customer, Contract: "${SITE}", CurrencyCode: "EUR", WantedDeliveryDate: "2024-07-01" }) }}`,
		lines: '={{ JSON.stringify($json.lines) }}',
		options: FAST,
		...extra,
	};
}

const ordersWithReference = () => sandbox.data.rows(P, 'CustomerOrderSet').filter((row) => String(row.CustomerPoNo).startsWith('114-'));
const linesOf = (orderNo: unknown) => sandbox.data.rows(P, 'CustomerOrderLineSet').filter((line) => line.OrderNo === orderNo);

test('500 marketplace orders created twice (and retried) leave exactly 500 orders with all their lines', async () => {
	const items = Array.from({ length: 500 }, (_, index) => marketplaceOrder(index));
	const first = await runIfs({ sandbox, parameters: createParameters(), items, timeoutMs: 120_000 });
	expect(first.status).toBe('success');
	const created = jsonOf(first.output(IFS_NODE));
	expect(created).toHaveLength(500);
	expect(created.every((order) => (order._trace as IDataObject).action === 'created')).toBe(true);
	expect(created[7]._trace).toMatchObject({
		source: { system: 'Amazon Seller Central', id: items[7].AmazonOrderId },
		target: { system: 'IFS Cloud', id: `${P}/CustomerOrderSet(OrderNo='${created[7].OrderNo}')` },
	});

	const second = await runIfs({ sandbox, parameters: createParameters(), items, timeoutMs: 120_000 });
	const again = jsonOf(second.output(IFS_NODE));
	expect(again.every((order) => (order._trace as IDataObject).action === 'found' && order.linesCreated === 0)).toBe(true);
	expect(again.map((order) => order.OrderNo)).toEqual(created.map((order) => order.OrderNo));

	// n8n's "retry execution" re-runs the failed node with all its items: nothing is created twice.
	const retried = await runIfs({ sandbox, parameters: createParameters(), items: items.slice(100, 300), timeoutMs: 60_000 });
	expect(jsonOf(retried.output(IFS_NODE)).every((order) => (order._trace as IDataObject).action === 'found')).toBe(true);

	const orders = ordersWithReference();
	expect(orders).toHaveLength(500);
	expect(new Set(orders.map((order) => order.CustomerPoNo)).size).toBe(500);
	for (const [index, item] of items.entries()) {
		const order = orders.find((row) => row.CustomerPoNo === item.AmazonOrderId);
		const lines = linesOf(order?.OrderNo);
		const wanted = item.lines as IDataObject[];
		expect(lines).toHaveLength(wanted.length);
		expect(lines.map((line) => [line.CatalogNo, line.BuyQtyDue, line.SalePrice])).toEqual(wanted.map((line) => [line.CatalogNo, line.BuyQtyDue, line.SalePrice]));
		if (index === 0) expect(order?.CustomerNo).toBe(item.customer);
	}
}, 240_000);

test('a reference unique across customers finds the order after its customer mapping changed; per customer, the same reference may serve two customers', async () => {
	const item = marketplaceOrder(4);
	const remapped = { ...item, customer: seededCustomerId(29) };
	expect(remapped.customer).not.toBe(item.customer);
	const global = createParameters({ referenceScope: 'global' });
	const first = await runIfs({ sandbox, parameters: global, items: [item] });
	const [created] = jsonOf(first.output(IFS_NODE));
	expect((created._trace as IDataObject).action).toBe('created');

	// A later run maps the same Amazon order to another customer: found, not created again.
	const second = await runIfs({ sandbox, parameters: global, items: [remapped] });
	const [found] = jsonOf(second.output(IFS_NODE));
	expect(found).toMatchObject({ OrderNo: created.OrderNo, CustomerNo: item.customer, linesCreated: 0 });
	expect((found._trace as IDataObject).action).toBe('found');
	expect(ordersWithReference()).toHaveLength(1);
	const lookups = sandbox.stats.log.filter((entry) => entry.method === 'GET' && entry.path.endsWith('CustomerOrderSet') && entry.query.$filter);
	expect(lookups.every((entry) => !String(entry.query.$filter).includes('CustomerNo'))).toBe(true);

	// Per customer (the default), the same reference for another customer is another order.
	const third = await runIfs({ sandbox, parameters: createParameters(), items: [remapped] });
	const [other] = jsonOf(third.output(IFS_NODE));
	expect((other._trace as IDataObject).action).toBe('created');
	expect(other.OrderNo).not.toBe(created.OrderNo);
	expect(ordersWithReference().map((order) => order.CustomerNo).sort()).toEqual([item.customer, remapped.customer].sort());
});

test('a failing line fails the item with the order number; the re-run adds only the missing lines', async () => {
	const item = marketplaceOrder(1);
	const lines = item.lines as IDataObject[];
	const broken = { ...item, lines: [lines[0], { ...lines[1], CatalogNo: 'NO-SUCH-PART' }] };
	const failed = await runIfs({ sandbox, parameters: createParameters(), items: [broken], node: { onError: 'continueErrorOutput' } });
	const [error] = jsonOf(failed.output(IFS_NODE, 1));
	const order = ordersWithReference()[0];
	expect(String(error.error)).toMatch(new RegExp(`Customer order ${order.OrderNo} is in IFS, but line 2 failed: .*NO-SUCH-PART`));
	const context = (error.details as IDataObject).context as IDataObject;
	expect(context).toMatchObject({ orderNo: order.OrderNo, externalReference: item.AmazonOrderId, linesInIfs: 1, linesWanted: 2 });
	expect(String((error.details as IDataObject).description)).toMatch(/re-run this item/);
	expect(linesOf(order.OrderNo)).toHaveLength(1);

	const fixed = await runIfs({ sandbox, parameters: createParameters(), items: [item] });
	const [completed] = jsonOf(fixed.output(IFS_NODE));
	expect(completed).toMatchObject({ OrderNo: order.OrderNo, linesCreated: 1 });
	expect((completed._trace as IDataObject).action).toBe('found');
	expect(ordersWithReference()).toHaveLength(1);
	expect(linesOf(order.OrderNo).map((line) => line.LineNo)).toEqual(['1', '2']);
});

test('a reset connection while creating the header or a line is resolved by looking, not by posting again', async () => {
	sandbox.faults.resetNext(1, { match: /CustomerOrderSet$/ });
	sandbox.faults.resetNext(1, { match: /CustomerOrderLineSet$/ });
	const item = marketplaceOrder(2);
	const result = await runIfs({ sandbox, parameters: createParameters(), items: [item] });
	expect(result.status).toBe('success');
	expect(sandbox.stats.resets).toBe(2);
	const orders = ordersWithReference();
	expect(orders).toHaveLength(1);
	expect(linesOf(orders[0].OrderNo)).toHaveLength((item.lines as IDataObject[]).length);
	expect(jsonOf(result.output(IFS_NODE))[0]).toMatchObject({ OrderNo: orders[0].OrderNo, linesCreated: 3 });
});

test('an empty external reference is refused before any request', async () => {
	const result = await runIfs({ sandbox, parameters: createParameters({ externalReference: '={{ $json.noSuchField }}' }), items: [marketplaceOrder(3)] });
	expect(result.status).toBe('error');
	expect(result.error?.message).toBe('External Reference is empty');
	expect(sandbox.stats.log.filter((entry) => entry.method === 'POST' && entry.kind === 'api')).toHaveLength(0);
});

test('Get returns the order with its lines; Get Many filters and adds lines in batches', async () => {
	const seeded = sandbox.data.rows(P, 'CustomerOrderSet').filter((row) => row.Company === '10');
	const one = await runIfs({ sandbox, parameters: { resource: 'customerOrder', operation: 'get', orderNo: String(seeded[0].OrderNo) } });
	const [order] = jsonOf(one.output(IFS_NODE));
	expect(order.OrderNo).toBe(seeded[0].OrderNo);
	expect((order.lines as IDataObject[]).map((line) => line.LineNo)).toEqual(linesOf(seeded[0].OrderNo).map((line) => line.LineNo));

	const many = await runIfs({
		sandbox,
		parameters: { resource: 'customerOrder', operation: 'getMany', returnAll: true, filter: "Company eq '10'", includeLines: true },
	});
	const orders = jsonOf(many.output(IFS_NODE));
	expect(orders.map((row) => row.OrderNo)).toEqual(seeded.map((row) => row.OrderNo));
	for (const row of orders) expect((row.lines as IDataObject[]).length).toBe(linesOf(row.OrderNo).length);
});

test('Update writes only changed header fields with the ETag, and keeps a concurrent change', async () => {
	const order = sandbox.data.rows(P, 'CustomerOrderSet')[0];
	sandbox.faults.concurrentWriter({ projection: P, entitySet: 'CustomerOrderSet', times: 1, field: 'Note' });
	const parameters = { resource: 'customerOrder', operation: 'update', orderNo: String(order.OrderNo), fields: '{"WantedDeliveryDate": "2024-09-30"}' };
	const result = await runIfs({ sandbox, parameters });
	expect(jsonOf(result.output(IFS_NODE))[0]._trace).toMatchObject({ action: 'updated' });
	const stored = sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: order.OrderNo });
	expect(stored?.WantedDeliveryDate).toBe('2024-09-30');
	expect(stored?.Note).toBe(sandbox.faults.concurrentWrites[0].newValue);
	expect(sandbox.stats.count412).toBe(1);

	sandbox.stats.reset();
	const again = await runIfs({ sandbox, parameters });
	expect(jsonOf(again.output(IFS_NODE))[0]._trace).toMatchObject({ action: 'unchanged' });
	expect(sandbox.stats.log.filter((entry) => entry.method === 'PATCH')).toHaveLength(0);
});

test('wrong names are reported with the missing name and the tenant’s likely candidates', async () => {
	const field = await runIfs({
		sandbox,
		parameters: createParameters({ names: { externalReferenceField: 'CustomerPoNumber' } }),
		items: [marketplaceOrder(4)],
	});
	expect(field.status).toBe('error');
	expect(field.error?.message).toMatch(/CustomerOrderSet in CustomerOrderHandling has no field "CustomerPoNumber" \(external reference\) — fields with a similar name: .*CustomerPoNo/);
	expect(String((field.error as { description?: string }).description)).toMatch(/API Explorer/);

	const set = await runIfs({ sandbox, parameters: createParameters({ names: { lineEntitySet: 'CustomerOrderLines' } }), items: [marketplaceOrder(4)] });
	expect(set.error?.message).toMatch(/Entity set "CustomerOrderLines" is not in projection CustomerOrderHandling \(order lines\)/);
	expect(String((set.error as { description?: string }).description)).toMatch(/CustomerOrderLineSet/);

	const projection = await runIfs({ sandbox, parameters: createParameters({ names: { projection: 'CustomerOrderHandlingX' } }), items: [marketplaceOrder(4)] });
	expect(projection.error?.message).toMatch(/Projection CustomerOrderHandlingX/);
	expect(ordersWithReference()).toHaveLength(0);
});

/**
 * Writes through real workflow JSON: idempotent Create, ETag-safe Update under a concurrent
 * writer (no lost update, no PATCH without If-Match in safe mode), Delete, Call Action.
 */
import type { IDataObject } from 'n8n-workflow';

import { type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, jsonOf, locator, runIfs } from './helpers';

const ORDERS = { projection: locator('CustomerOrderHandling'), entitySet: locator('CustomerOrderSet') };
const P = 'CustomerOrderHandling';

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
});

const patches = () => sandbox.stats.log.filter((entry) => entry.method === 'PATCH');
const posts = () => sandbox.stats.log.filter((entry) => entry.method === 'POST' && entry.kind === 'api');

function newOrder(orderNo: string): IDataObject {
	return {
		OrderNo: orderNo,
		Contract: 'S100',
		CustomerNo: '10001',
		CustomerPoNo: `AMZ-${orderNo}`,
		CurrencyCode: 'EUR',
		WantedDeliveryDate: '2024-06-01',
	};
}

function createParameters(extra: IDataObject = {}): IDataObject {
	return {
		operation: 'create',
		...ORDERS,
		dataMode: 'autoMapInputData',
		options: { sourceSystem: 'Amazon Seller Central', sourceId: '={{ $json.CustomerPoNo }}' },
		...extra,
	};
}

describe('Create', () => {
	test('creates each row once; a re-run (retried execution) finds them instead of duplicating', async () => {
		const items = Array.from({ length: 25 }, (_, index) => newOrder(`MLC-${1000 + index}`));
		const before = sandbox.data.count(P, 'CustomerOrderSet');

		const first = await runIfs({ sandbox, parameters: createParameters(), items });
		expect(first.status).toBe('success');
		const created = jsonOf(first.output(IFS_NODE));
		expect(created).toHaveLength(25);
		expect(created.every((row) => (row._trace as IDataObject).action === 'created')).toBe(true);
		expect(created[3]._trace).toMatchObject({
			source: { system: 'Amazon Seller Central', id: 'AMZ-MLC-1003' },
			target: { system: 'IFS Cloud', id: "CustomerOrderHandling/CustomerOrderSet(OrderNo='MLC-1003')" },
		});
		expect(first.output(IFS_NODE).map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));

		const second = await runIfs({ sandbox, parameters: createParameters(), items });
		expect(jsonOf(second.output(IFS_NODE)).every((row) => (row._trace as IDataObject).action === 'found')).toBe(true);
		expect(sandbox.data.count(P, 'CustomerOrderSet')).toBe(before + 25);
		expect(posts()).toHaveLength(25);
	});

	test('the company is filled from the credential and values are typed from $metadata', async () => {
		const result = await runIfs({ sandbox, parameters: createParameters(), items: [{ ...newOrder('MLC-TYPED'), WantedDeliveryDate: '2024-06-01T22:30:00Z' }] });
		expect(result.status).toBe('success');
		const stored = sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: 'MLC-TYPED' });
		expect(stored?.Company).toBe('10');
		expect(stored?.WantedDeliveryDate).toBe('2024-06-01');
		expect(posts()[0].headers['content-type']).toMatch(/application\/json/);
		expect(posts()[0].headers.prefer).toBe('return=representation');
	});

	test('a connection reset on the POST is verified by key: created exactly once, no error', async () => {
		sandbox.faults.resetNext(1, { match: /CustomerOrderSet$/ });
		const result = await runIfs({ sandbox, parameters: createParameters({ ifExists: 'fail' }), items: [newOrder('MLC-RESET')] });
		expect(result.status).toBe('success');
		expect(sandbox.stats.resets).toBe(1);
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: 'MLC-RESET' })).toBeDefined();
		const output = jsonOf(result.output(IFS_NODE));
		expect(output).toHaveLength(1);
		expect(output[0].OrderNo).toBe('MLC-RESET');
	});

	test('with "If Record Exists: Fail", an existing key is an error that says what to do', async () => {
		const existing = sandbox.data.rows(P, 'CustomerOrderSet')[0];
		const result = await runIfs({
			sandbox,
			parameters: createParameters({ ifExists: 'fail' }),
			items: [newOrder(String(existing.OrderNo))],
			node: { onError: 'continueErrorOutput' },
		});
		expect(result.output(IFS_NODE, 0)).toHaveLength(0);
		const [failed] = jsonOf(result.output(IFS_NODE, 1));
		expect(String(failed.error)).toMatch(/already exists/);
		expect(JSON.stringify(failed.details)).toMatch(/Return Existing Record/);
	});

	test('an unknown field is rejected before any write, naming the valid fields', async () => {
		const result = await runIfs({
			sandbox,
			parameters: createParameters({ dataMode: 'json', jsonBody: JSON.stringify({ OrderNo: 'X1', CustomerPo: 'typo' }) }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/CustomerOrder has no field CustomerPo/);
		expect((result.error as { description?: string }).description).toMatch(/CustomerPoNo/);
		expect(posts()).toHaveLength(0);
	});
});

describe('Update', () => {
	const orderNos = () =>
		sandbox.data
			.rows(P, 'CustomerOrderSet')
			.slice(0, 20)
			.map((row) => String(row.OrderNo));

	function updateParameters(extra: IDataObject = {}): IDataObject {
		return {
			operation: 'update',
			...ORDERS,
			key: { fields: [{ name: 'OrderNo', value: '={{ $json.OrderNo }}' }] },
			dataMode: 'defineBelow',
			fields: { field: [{ name: 'CustomerPoNo', value: '={{ $json.po }}' }] },
			...extra,
		};
	}

	test('under a concurrent writer every item ends with the intended value and the other writer keeps theirs', async () => {
		const targets = orderNos();
		sandbox.faults.concurrentWriter({ projection: P, entitySet: 'CustomerOrderSet', times: 10, field: 'Note', oncePerRow: true });

		const result = await runIfs({
			sandbox,
			parameters: updateParameters(),
			items: targets.map((OrderNo) => ({ OrderNo, po: `PO-${OrderNo}` })),
		});

		expect(result.status).toBe('success');
		expect(sandbox.stats.count412).toBe(10);
		for (const OrderNo of targets) {
			expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo })?.CustomerPoNo).toBe(`PO-${OrderNo}`);
		}
		// No lost update: the interfering writer's change is still there.
		for (const write of sandbox.faults.concurrentWrites) {
			const row = sandbox.data.get(P, 'CustomerOrderSet', write.keys);
			expect(row?.Note).toBe(write.newValue);
		}
		expect(patches().every((entry) => typeof entry.headers['if-match'] === 'string' && entry.headers['if-match'] !== '*')).toBe(true);
		expect(jsonOf(result.output(IFS_NODE)).map((row) => (row._trace as IDataObject).action)).toEqual(targets.map(() => 'updated'));
	});

	test('only changed fields are sent; an item that changes nothing sends no PATCH', async () => {
		const [OrderNo] = orderNos();
		const current = sandbox.data.get(P, 'CustomerOrderSet', { OrderNo });
		const result = await runIfs({ sandbox, parameters: updateParameters(), items: [{ OrderNo, po: String(current?.CustomerPoNo) }] });
		expect(jsonOf(result.output(IFS_NODE))[0]._trace).toMatchObject({ action: 'unchanged' });
		expect(patches()).toHaveLength(0);
	});

	test('a row that keeps changing fails the item with both versions, to the error output', async () => {
		const [OrderNo] = orderNos();
		sandbox.faults.concurrentWriter({ projection: P, entitySet: 'CustomerOrderSet', times: 50, field: 'Note' });
		const result = await runIfs({
			sandbox,
			parameters: updateParameters({ options: { maxConflictRetries: 2 } }),
			items: [{ OrderNo, po: 'PO-CONTESTED' }],
			node: { onError: 'continueErrorOutput' },
		});
		expect(sandbox.stats.count412).toBe(3);
		const [failed] = jsonOf(result.output(IFS_NODE, 1));
		expect(String(failed.error)).toMatch(/kept changing/);
		const context = (failed.details as IDataObject).context as IDataObject;
		expect(context.attempted).toEqual({ CustomerPoNo: 'PO-CONTESTED' });
		expect((context.current as IDataObject).OrderNo).toBe(OrderNo);
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo })?.CustomerPoNo).not.toBe('PO-CONTESTED');
	});

	test('Overwrite sends If-Match: *; Create or Update sends no If-Match and creates a missing row', async () => {
		const [OrderNo] = orderNos();
		await runIfs({ sandbox, parameters: updateParameters({ concurrencyMode: 'overwrite' }), items: [{ OrderNo, po: 'PO-STAR' }] });
		expect(patches().map((entry) => entry.headers['if-match'])).toEqual(['*']);
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo })?.CustomerPoNo).toBe('PO-STAR');

		sandbox.stats.reset();
		const result = await runIfs({
			sandbox,
			parameters: updateParameters({
				concurrencyMode: 'upsert',
				fields: {
					field: [
						{ name: 'CustomerPoNo', value: 'PO-UPSERT' },
						{ name: 'Contract', value: 'S100' },
						{ name: 'CustomerNo', value: '10001' },
						{ name: 'CurrencyCode', value: 'EUR' },
						{ name: 'WantedDeliveryDate', value: '2024-07-01' },
					],
				},
			}),
			items: [{ OrderNo: 'MLC-UPSERT' }],
		});
		expect(result.error?.message).toBeUndefined();
		expect(result.status).toBe('success');
		expect(patches().map((entry) => entry.headers['if-match'])).toEqual([undefined]);
		expect(jsonOf(result.output(IFS_NODE))[0]._trace).toMatchObject({ action: 'created' });
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: 'MLC-UPSERT' })?.CustomerPoNo).toBe('PO-UPSERT');
	});
});

describe('Get, Delete and keys', () => {
	test('composite keys are typed from $metadata (numbers bare, strings quoted) and values round-trip through the URL', async () => {
		const voucher = sandbox.data.rows('VoucherHandling', 'VoucherSet')[0];
		const result = await runIfs({
			sandbox,
			parameters: {
				operation: 'get',
				projection: locator('VoucherHandling'),
				entitySet: locator('VoucherSet'),
				key: {
					fields: [
						{ name: 'AccountingYear', value: String(voucher.AccountingYear) },
						{ name: 'VoucherType', value: String(voucher.VoucherType) },
						{ name: 'VoucherNo', value: String(voucher.VoucherNo) },
					],
				},
			},
			credentials: { companyCode: String(voucher.Company) },
		});
		expect(result.status).toBe('success');
		expect(jsonOf(result.output(IFS_NODE))[0]).toMatchObject({ Company: voucher.Company, VoucherNo: voucher.VoucherNo });
		const get = sandbox.stats.log.find((entry) => entry.method === 'GET' && entry.path.includes('VoucherSet('));
		expect(decodeURIComponent(get?.path ?? '')).toContain(`AccountingYear=${voucher.AccountingYear},`);
	});

	test("an order number with / # ? & + % space and ' is one key value end to end", async () => {
		const orderNo = "A/B#C?&+% '";
		const created = await runIfs({ sandbox, parameters: createParameters(), items: [newOrder(orderNo)] });
		expect(created.status).toBe('success');
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: orderNo })).toBeDefined();
		const read = await runIfs({
			sandbox,
			parameters: { operation: 'get', ...ORDERS, key: { fields: [{ name: 'OrderNo', value: orderNo }] } },
		});
		expect(jsonOf(read.output(IFS_NODE))[0].OrderNo).toBe(orderNo);
	});

	test('Delete uses If-Match; deleting again reports the row already absent instead of failing', async () => {
		sandbox.data.insert(P, 'CustomerOrderSet', newOrder('MLC-DEL'));
		const parameters = { operation: 'delete', ...ORDERS, key: { fields: [{ name: 'OrderNo', value: 'MLC-DEL' }] } };
		const first = await runIfs({ sandbox, parameters });
		expect(jsonOf(first.output(IFS_NODE))[0]).toMatchObject({ deleted: true, alreadyAbsent: false });
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: 'MLC-DEL' })).toBeUndefined();
		const deletes = sandbox.stats.log.filter((entry) => entry.method === 'DELETE');
		expect(deletes).toHaveLength(1);
		expect(deletes[0].headers['if-match']).toMatch(/^W\/"/);

		const again = await runIfs({ sandbox, parameters });
		expect(jsonOf(again.output(IFS_NODE))[0]).toMatchObject({ deleted: true, alreadyAbsent: true });
	});
});

describe('Call Action', () => {
	test('a bound action is called with the row ETag and retried after a concurrent change', async () => {
		const planned = sandbox.data.rows(P, 'CustomerOrderSet').find((row) => row.Objstate === 'Planned');
		expect(planned).toBeDefined();
		sandbox.faults.concurrentWriter({ projection: P, entitySet: 'CustomerOrderSet', times: 1, field: 'Note' });
		const result = await runIfs({
			sandbox,
			parameters: {
				operation: 'callAction',
				projection: locator('CustomerOrderHandling'),
				actionScope: 'bound',
				entitySet: locator('CustomerOrderSet'),
				key: { fields: [{ name: 'OrderNo', value: String(planned?.OrderNo) }] },
				action: 'IfsApp.CustomerOrderHandling.CustomerOrder_Release',
				parameters: '{}',
			},
		});
		expect(result.status).toBe('success');
		expect(sandbox.data.get(P, 'CustomerOrderSet', { OrderNo: planned?.OrderNo })?.Objstate).toBe('Released');
		expect(sandbox.stats.count412).toBe(1);
		expect(jsonOf(result.output(IFS_NODE))[0]._trace).toMatchObject({ action: 'called' });
	});

	test('an unbound action takes typed parameters and returns its value', async () => {
		const result = await runIfs({
			sandbox,
			parameters: {
				operation: 'callAction',
				projection: locator('CustomerOrderHandling'),
				actionScope: 'unbound',
				action: 'CheckCustomerCredit',
				parameters: '={{ JSON.stringify({ CustomerNo: $json.customer }) }}',
			},
			items: [{ customer: '10001' }],
		});
		expect(result.status).toBe('success');
		expect(typeof jsonOf(result.output(IFS_NODE))[0].value).toBe('boolean');
	});

	test('an unknown parameter is refused with the list of real ones', async () => {
		const result = await runIfs({
			sandbox,
			parameters: {
				operation: 'callAction',
				projection: locator('CustomerOrderHandling'),
				actionScope: 'unbound',
				action: 'CheckCustomerCredit',
				parameters: '{"Customer": "1"}',
			},
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/no parameter "Customer"/);
		expect((result.error as { description?: string }).description).toMatch(/CustomerNo/);
	});
});

/**
 * What the editor shows in the IFS Cloud node's dropdowns, produced by the node's methods in
 * n8n-core's LoadOptionsContext against the sandbox: entity sets, keys, fields and actions come
 * from the tenant's own $metadata.
 */
import type { INode, INodeParameters } from 'n8n-workflow';

import { listSearch, loadOptions } from '../../harness';
import { type IfsSandbox, startIfsSandbox } from '../../sandbox/ifs';
import { ifsCredentials, locator, packageTypes } from './helpers';

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox();
});
afterAll(async () => await sandbox.close());

function call(parameters: INodeParameters) {
	const node: INode = {
		id: 'ifs-node',
		name: 'IFS Cloud',
		type: 'n8n-nodes-ml-connector.ifsCloud',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'entity', ...parameters },
		credentials: { ifsCloudOAuth2Api: { id: 'mlcIfsSandbox001', name: 'IFS Cloud sandbox' } },
	};
	return { node, types: packageTypes(), credentials: ifsCredentials(sandbox) };
}

test('projection search offers well-known projections and filters by text', async () => {
	const all = await listSearch(call({ operation: 'getMany' }), 'searchProjections');
	expect(all.results.map((result) => result.value)).toEqual(expect.arrayContaining(['CustomerOrderHandling', 'InventoryPartInStockHandling', 'VoucherHandling']));
	const filtered = await listSearch(call({ operation: 'getMany' }), 'searchProjections', 'voucher');
	expect(filtered.results.length).toBeGreaterThan(0);
	expect(filtered.results.every((result) => /voucher/i.test(result.name))).toBe(true);
});

test("entity sets come from the projection's $metadata", async () => {
	const result = await listSearch(call({ operation: 'getMany', projection: locator('CustomerOrderHandling') }), 'searchEntitySets');
	expect(result.results.map((entry) => entry.value)).toEqual(['CustomerOrderLineSet', 'CustomerOrderSet']);
	expect(sandbox.stats.log.some((entry) => entry.path.endsWith('CustomerOrderHandling.svc/$metadata'))).toBe(true);
});

test('key fields and fields are typed from $metadata', async () => {
	const parameters = { operation: 'update', projection: locator('VoucherHandling'), entitySet: locator('VoucherSet') };
	const keys = await loadOptions(call(parameters), 'getKeyFields');
	expect(keys).toEqual([
		{ name: 'Company', value: 'Company', description: 'String' },
		{ name: 'AccountingYear', value: 'AccountingYear', description: 'Int32' },
		{ name: 'VoucherType', value: 'VoucherType', description: 'String' },
		{ name: 'VoucherNo', value: 'VoucherNo', description: 'Int32' },
	]);
	const fields = await loadOptions(call(parameters), 'getEntityFields');
	expect(fields.find((field) => field.value === 'VoucherDate')?.description).toMatch(/^Date/);
	expect(fields.find((field) => field.value === 'Company')?.name).toBe('Company (key)');
});

test('actions: bound ones for the entity set, unbound ones for the projection', async () => {
	const bound = await loadOptions(
		call({ operation: 'callAction', actionScope: 'bound', projection: locator('CustomerOrderHandling'), entitySet: locator('CustomerOrderSet') }),
		'getOperations',
	);
	expect(bound.map((option) => option.value)).toContain('IfsApp.CustomerOrderHandling.CustomerOrder_Release');
	const unbound = await loadOptions(call({ operation: 'callAction', actionScope: 'unbound', projection: locator('CustomerOrderHandling') }), 'getOperations');
	expect(unbound.map((option) => option.value)).toEqual(expect.arrayContaining(['CheckCustomerCredit']));
	expect(unbound.find((option) => option.value === 'CheckCustomerCredit')?.description).toMatch(/CustomerNo: String/);
});

test('without a projection the lists say what to choose first', async () => {
	await expect(listSearch(call({ operation: 'getMany' }), 'searchEntitySets')).rejects.toThrow('Choose a projection first');
});

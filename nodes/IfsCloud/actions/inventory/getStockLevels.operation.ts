import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { Decimal } from '../../../common/decimal';
import { operationError } from '../../../common/errors';
import { quoteString } from '../../odata/literals';
import { andFilter } from '../../odata/query';
import type { IfsClient } from '../../transport';
import { type EntityRef, entityOf, findRows, names, requireFields } from '../business';
import { namesCollection, optionsCollection, pageSizeOption } from '../descriptions';

export const STOCK_NAMES = {
	projection: 'InventoryPartInStockHandling',
	entitySet: 'InventoryPartInStockSet',
	siteField: 'Contract',
	partField: 'PartNo',
	onHandField: 'QtyOnhand',
	availableField: 'AvailableQty',
};

/** Parts per request when a part list is given (keeps filters short). */
const PARTS_PER_QUERY = 40;

const properties: INodeProperties[] = [
	{
		displayName: 'Sites',
		name: 'sites',
		type: 'string',
		default: '',
		placeholder: 'S100, S200',
		description: 'Comma-separated sites (contracts); empty means all sites',
	},
	{
		displayName: 'Parts',
		name: 'parts',
		type: 'string',
		default: '',
		placeholder: 'P-0001, P-0002 or {{ $json.parts }}',
		description: 'Comma-separated part numbers, or an array from an expression; empty means all parts',
	},
	{
		displayName: 'Group By',
		name: 'groupBy',
		type: 'options',
		default: 'sitePart',
		options: [
			{ name: 'Site and Part', value: 'sitePart', description: 'One result per part and site' },
			{ name: 'Part', value: 'part', description: 'One result per part, summed over the chosen sites' },
		],
	},
	{
		displayName: 'Changed Only',
		name: 'changedOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to output only parts whose quantities differ from the previous run of this node (the first run outputs all). Use one input item, so each run compares one complete snapshot.',
	},
	namesCollection([
		{ displayName: 'Available Quantity Field', name: 'availableField', type: 'string', default: 'AvailableQty' },
		{ displayName: 'Entity Set', name: 'entitySet', type: 'string', default: 'InventoryPartInStockSet' },
		{ displayName: 'On Hand Quantity Field', name: 'onHandField', type: 'string', default: 'QtyOnhand' },
		{ displayName: 'Part Field', name: 'partField', type: 'string', default: 'PartNo' },
		{ displayName: 'Projection', name: 'projection', type: 'string', default: 'InventoryPartInStockHandling' },
		{ displayName: 'Site Field', name: 'siteField', type: 'string', default: 'Contract' },
	]),
	optionsCollection([
		{
			displayName: 'Additional Filter',
			name: 'filter',
			type: 'string',
			default: '',
			placeholder: "LocationNo ne 'QUARANTINE'",
			description: 'OData $filter added to the site and part selection, e.g. to leave out locations',
		},
		pageSizeOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['inventory'], operation: ['getStockLevels'] } }, properties);

function list(value: unknown): string[] {
	const entries = Array.isArray(value) ? value : String(value ?? '').split(',');
	return [...new Set(entries.map((entry) => String(entry).trim()).filter(Boolean))];
}

function anyOf(field: string, values: string[]): string {
	return `(${values.map((value) => `${field} eq ${quoteString(value)}`).join(' or ')})`;
}

/**
 * Sums on-hand and available quantities over locations, lots and serials, exactly (decimal
 * arithmetic), per site and part or per part.
 */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject[]> {
	const n = names(context, itemIndex, STOCK_NAMES);
	const ref: EntityRef = { projection: n.projection, entitySet: n.entitySet };
	const type = await entityOf(client, ref, itemIndex, 'inventory in stock');
	requireFields(client, ref, type, { site: n.siteField, part: n.partField, 'on hand quantity': n.onHandField, 'available quantity': n.availableField }, itemIndex);

	const sites = list(context.getNodeParameter('sites', itemIndex, ''));
	const parts = list(context.getNodeParameter('parts', itemIndex, ''));
	const bySite = context.getNodeParameter('groupBy', itemIndex, 'sitePart') === 'sitePart';
	let base = String(context.getNodeParameter('options.filter', itemIndex, '') ?? '').trim();
	if (sites.length) base = andFilter(base, anyOf(n.siteField, sites));
	const select = [n.siteField, n.partField, n.onHandField, n.availableField].join(',');

	const rows: IDataObject[] = [];
	const partChunks = parts.length ? Array.from({ length: Math.ceil(parts.length / PARTS_PER_QUERY) }, (_, index) => parts.slice(index * PARTS_PER_QUERY, (index + 1) * PARTS_PER_QUERY)) : [[]];
	for (const chunk of partChunks) {
		const filter = chunk.length ? andFilter(base, anyOf(n.partField, chunk)) : base;
		// A loop, not push(...rows): a spread of ~125 000 rows or more overflows the call stack.
		for (const row of await findRows(client, ref, filter, itemIndex, { select })) rows.push(row);
	}

	const groups = new Map<string, { site: string | null; part: string; onHand: Decimal; available: Decimal; rows: number }>();
	for (const row of rows) {
		const part = String(row[n.partField]);
		const site = bySite ? String(row[n.siteField]) : null;
		const key = JSON.stringify([site, part]);
		const group = groups.get(key) ?? { site, part, onHand: Decimal.ZERO, available: Decimal.ZERO, rows: 0 };
		try {
			group.onHand = group.onHand.plus(Decimal.from(row[n.onHandField] ?? 0));
			group.available = group.available.plus(Decimal.from(row[n.availableField] ?? 0));
		} catch (error) {
			throw operationError(context.getNode(), `A quantity of part ${part} is not a number: ${(error as Error).message}`, `Check the quantity field names under IFS Names (${n.onHandField}, ${n.availableField}).`, itemIndex);
		}
		group.rows++;
		groups.set(key, group);
	}
	// Parts asked for by name but not in stock anywhere are reported with zero, so a sync can zero them.
	for (const part of parts) {
		for (const site of bySite ? (sites.length ? sites : []) : [null]) {
			const key = JSON.stringify([site, part]);
			if (!groups.has(key)) groups.set(key, { site, part, onHand: Decimal.ZERO, available: Decimal.ZERO, rows: 0 });
		}
	}

	let results = [...groups.values()]
		.sort((a, b) => a.part.localeCompare(b.part) || String(a.site).localeCompare(String(b.site)))
		.map((group) => ({
			...(bySite ? { [n.siteField]: group.site } : {}),
			[n.partField]: group.part,
			[n.onHandField]: group.onHand.toNumber(),
			[n.availableField]: group.available.toNumber(),
			stockRows: group.rows,
		}));

	if (context.getNodeParameter('changedOnly', itemIndex, false)) {
		// The store must end up holding exactly this snapshot: recording alone would remember every
		// value ever seen, and a quantity returning to an earlier value would go unnoticed.
		const fingerprints = results.map((result) => JSON.stringify([result[n.siteField] ?? null, result[n.partField], result[n.onHandField], result[n.availableField]]));
		const options = { mode: 'entries' as const, maxEntries: Math.max(1000, fingerprints.length * 2) };
		const seen = await context.helpers.checkProcessedAndRecord(fingerprints, 'node', options);
		const fresh = new Set(seen.new.map(String));
		await context.helpers.clearAllProcessedItems('node', options);
		await context.helpers.checkProcessedAndRecord(fingerprints, 'node', options);
		results = results.filter((_, index) => fresh.has(fingerprints[index]));
	}
	return results;
}

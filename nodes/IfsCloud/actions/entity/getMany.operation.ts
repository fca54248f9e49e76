import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { quoteString } from '../../odata/literals';
import { andFilter, filterMentions, keyIdentity, totalOrder } from '../../odata/query';
import type { IfsClient } from '../../transport';
import { entitySetLocator, expandOption, optionsCollection, pageSizeOption, projectionLocator, readLimit, returnAllAndLimit, selectOption } from '../descriptions';
import { COMPANY_FIELD, companyFor, readTarget } from '../parameters';

const properties: INodeProperties[] = [
	projectionLocator,
	entitySetLocator,
	...returnAllAndLimit,
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: "Objstate eq 'Released' and DateEntered ge 2024-05-01T00:00:00Z",
		description:
			"OData $filter. Strings in single quotes ('O''Brien'), dates and numbers without quotes. IFS supports comparison, and/or/not and string functions; not lambdas or arithmetic on dates.",
	},
	optionsCollection([
		{ ...selectOption, description: 'Comma-separated fields to return ($select); key fields are always added so paging stays exact' },
		{
			displayName: 'Order By',
			name: 'orderby',
			type: 'string',
			default: '',
			placeholder: 'DateEntered desc',
			description: 'Sort order ($orderby). The key fields are appended so pages never overlap or skip rows.',
		},
		expandOption,
		pageSizeOption,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['getMany'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject[]> {
	const target = readTarget(context, itemIndex);
	const limit = readLimit(context, itemIndex);
	const type = await client.entityType(target.projection, target.entitySet, itemIndex);

	let filter = String(context.getNodeParameter('filter', itemIndex, '') ?? '').trim();
	const company = companyFor(context, client, itemIndex);
	if (company && type.properties[COMPANY_FIELD] && !filterMentions(filter, COMPANY_FIELD)) {
		filter = andFilter(filter, `${COMPANY_FIELD} eq ${quoteString(company)}`);
	}

	const selected = String(context.getNodeParameter('options.select', itemIndex, '') ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
	const select = selected.length ? [...new Set([...selected, ...type.keys])].join(',') : undefined;
	const orderby = totalOrder(String(context.getNodeParameter('options.orderby', itemIndex, '') ?? ''), type.keys);
	const expand = String(context.getNodeParameter('options.expand', itemIndex, '') ?? '');

	return await client.readCollection(
		target.projection,
		encodeURIComponent(target.entitySet),
		{ filter, select, orderby, expand },
		{ limit, identity: keyIdentity(type.keys) },
		itemIndex,
	);
}

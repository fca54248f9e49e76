import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { quoteString } from '../../odata/literals';
import { andFilter, filterMentions } from '../../odata/query';
import type { IfsClient } from '../../transport';
import { type EntityRef, entityOf, equals, findRows } from '../business';
import { optionsCollection, pageSizeOption, readLimit, returnAllAndLimit } from '../descriptions';
import { companyFor } from '../parameters';
import { paymentNames, paymentNamesCollection } from './names';

const properties: INodeProperties[] = [
	...returnAllAndLimit,
	{
		displayName: 'Filter',
		name: 'filter',
		type: 'string',
		default: '',
		placeholder: 'ProposalDate ge 2024-05-01',
		description: "OData $filter on the proposals (the company is added from Options or the credential's default)",
	},
	{
		displayName: 'Include Lines',
		name: 'includeLines',
		type: 'boolean',
		default: true,
		description: 'Whether to add each proposal\'s lines as a "lines" array',
	},
	paymentNamesCollection,
	optionsCollection([pageSizeOption]),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['getPaymentProposals'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject[]> {
	const names = paymentNames(context, itemIndex);
	const proposals: EntityRef = { projection: names.proposalProjection, entitySet: names.proposalEntitySet };
	const type = await entityOf(client, proposals, itemIndex, 'payment proposals');
	let filter = String(context.getNodeParameter('filter', itemIndex, '') ?? '').trim();
	const company = companyFor(context, client, itemIndex);
	if (company && type.properties[names.companyField] && !filterMentions(filter, names.companyField)) filter = andFilter(filter, `${names.companyField} eq ${quoteString(company)}`);
	const rows = await findRows(client, proposals, filter, itemIndex, { limit: readLimit(context, itemIndex) });
	if (!context.getNodeParameter('includeLines', itemIndex, true) || !rows.length) return rows;

	const lines: EntityRef = { projection: names.proposalProjection, entitySet: names.proposalLineEntitySet };
	const lineType = await entityOf(client, lines, itemIndex, 'payment proposal lines');
	const result: IDataObject[] = [];
	for (const proposal of rows) {
		const clauses = [];
		for (const key of type.keys) if (lineType.properties[key]) clauses.push(await equals(client, lines, lineType, key, proposal[key], itemIndex));
		result.push({ ...proposal, lines: await findRows(client, lines, clauses.join(' and '), itemIndex) });
	}
	return result;
}

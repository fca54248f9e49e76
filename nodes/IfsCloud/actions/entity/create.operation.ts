import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { buildTrace, withTrace } from '../../../common/trace';
import { keyPredicate } from '../../odata/literals';
import type { IfsClient, IfsResponse } from '../../transport';
import { dataMode, entitySetLocator, fieldValues, jsonBody, optionsCollection, projectionLocator, traceOptions } from '../descriptions';
import { COMPANY_FIELD, IFS_TARGET, companyFor, ifsRecordId, readData, readTarget, readTraceSource } from '../parameters';

const properties: INodeProperties[] = [
	projectionLocator,
	entitySetLocator,
	dataMode,
	fieldValues,
	jsonBody,
	{
		displayName: 'If Record Exists',
		name: 'ifExists',
		type: 'options',
		default: 'returnExisting',
		options: [
			{
				name: 'Return Existing Record',
				value: 'returnExisting',
				description: 'Output the existing row (marked "found"): re-runs and retried executions create nothing twice',
			},
			{ name: 'Fail', value: 'fail', description: 'Treat an existing key as an error' },
		],
		description:
			'What to do when a row with the same key already exists. Checked before creating when every key field is given.',
	},
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['create'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const target = readTarget(context, itemIndex);
	const type = await client.entityType(target.projection, target.entitySet, itemIndex);
	const payload = await readData(context, client, target, type, itemIndex);
	const company = companyFor(context, client, itemIndex);
	if (company && type.properties[COMPANY_FIELD] && (payload[COMPANY_FIELD] ?? '') === '') payload[COMPANY_FIELD] = company;

	const ifExists = context.getNodeParameter('ifExists', itemIndex, 'returnExisting') as string;
	const source = readTraceSource(context, itemIndex);
	const parts = await client.keyParts(target.projection, target.entitySet, itemIndex);
	const enums = await client.enumTypeNames(target.projection, itemIndex);
	const hasAllKeys = parts.every((part) => payload[part.name] !== undefined && payload[part.name] !== null && payload[part.name] !== '');
	const rowPath = hasAllKeys ? `${encodeURIComponent(target.entitySet)}${keyPredicate(parts, payload, enums)}` : undefined;

	const read = async (): Promise<IfsResponse<IDataObject> | undefined> => {
		if (!rowPath) return undefined;
		const response = await client.request<IDataObject>(
			{ method: 'GET', projection: target.projection, path: rowPath, allowStatuses: [404] },
			itemIndex,
		);
		return response.statusCode === 404 ? undefined : response;
	};
	const output = (row: IDataObject, action: 'created' | 'found', path: string | undefined) =>
		withTrace(row, buildTrace(source, { system: IFS_TARGET, id: path ? ifsRecordId(target.projection, path) : keyrefOf(row) }, action));

	// Query first: a re-run finds the row instead of failing or duplicating it.
	if (ifExists === 'returnExisting') {
		const existing = await read();
		if (existing) return output(existing.body, 'found', rowPath);
	}

	const response = await client.request<IDataObject>(
		{
			method: 'POST',
			projection: target.projection,
			path: encodeURIComponent(target.entitySet),
			body: payload,
			allowStatuses: ifExists === 'returnExisting' ? [409] : [],
			// After a timeout or reset the row may exist: look it up rather than posting blind. Without
			// all keys there is nothing to look up, so the request is not repeated.
			verify: rowPath
				? async () => {
						const found = await read();
						return found ?? 'resend';
					}
				: undefined,
		},
		itemIndex,
	);
	if (response.statusCode === 409) {
		const existing = await read();
		if (existing) return output(existing.body, 'found', rowPath);
	}
	const created = response.statusCode === 204 || !response.body ? ((await read())?.body ?? payload) : response.body;
	return output(created, 'created', rowPath ?? pathFromRow(parts, created, target.entitySet, enums));
}

function keyrefOf(row: IDataObject): string | null {
	return typeof row.keyref === 'string' ? row.keyref : null;
}

function pathFromRow(parts: Parameters<typeof keyPredicate>[0], row: IDataObject, entitySet: string, enums: Set<string>): string | undefined {
	try {
		return `${encodeURIComponent(entitySet)}${keyPredicate(parts, row, enums)}`;
	} catch {
		return undefined;
	}
}

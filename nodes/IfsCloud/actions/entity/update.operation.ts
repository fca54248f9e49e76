import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { applyChanges } from '../business';
import { buildTrace, withTrace } from '../../../common/trace';
import type { IfsClient } from '../../transport';
import { dataMode, entitySetLocator, fieldValues, jsonBody, keyFields, optionsCollection, projectionLocator, traceOptions } from '../descriptions';
import { IFS_TARGET, ifsRecordId, readData, readKey, readTarget, readTraceSource } from '../parameters';
import { DEFAULT_CONFLICT_RETRIES } from './conflicts';

const properties: INodeProperties[] = [
	projectionLocator,
	entitySetLocator,
	keyFields,
	dataMode,
	fieldValues,
	jsonBody,
	{
		displayName: 'Concurrency Mode',
		name: 'concurrencyMode',
		type: 'options',
		default: 'etag',
		options: [
			{
				name: 'ETag (Safe)',
				value: 'etag',
				description:
					'Read the row, write only changed fields with If-Match; if someone changed it meanwhile, read again and re-apply',
			},
			{
				name: 'Overwrite (Ignore Concurrent Changes)',
				value: 'overwrite',
				description: 'Write with If-Match: * (no concurrency check); fails if the row does not exist',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Max Conflict Retries',
			name: 'maxConflictRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 10 },
			default: 3,
			description: 'How often to re-read and re-apply after 412 Precondition Failed (ETag mode)',
		},
		...traceOptions,
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['update'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const target = readTarget(context, itemIndex);
	const type = await client.entityType(target.projection, target.entitySet, itemIndex);
	const key = await readKey(context, client, target, itemIndex);
	const path = await client.keyPath(target.projection, target.entitySet, key, itemIndex);
	const data = await readData(context, client, target, type, itemIndex);
	// Keys travel in the URL; IFS ignores them in the body.
	for (const keyField of type.keys) delete data[keyField];
	if (!Object.keys(data).length) {
		throw operationError(context.getNode(), 'Nothing to update: no fields given', 'Add at least one non-key field to write.', itemIndex);
	}
	const mode = context.getNodeParameter('concurrencyMode', itemIndex, 'etag') as string;
	const source = readTraceSource(context, itemIndex);
	const traced = (row: IDataObject, action: 'updated' | 'unchanged' | 'created') =>
		withTrace(row, buildTrace(source, { system: IFS_TARGET, id: ifsRecordId(target.projection, path) }, action));
	const row = { projection: target.projection, entitySet: target.entitySet };

	if (mode === 'upsert' || mode === 'overwrite') {
		const existed =
			mode === 'upsert'
				? (await client.request({ method: 'GET', projection: row.projection, path, allowStatuses: [404] }, itemIndex)).statusCode !== 404
				: true;
		const response = await client.request<IDataObject>(
			{ method: 'PATCH', projection: row.projection, path, body: data, ifMatch: mode === 'overwrite' ? '*' : undefined, idempotent: true },
			itemIndex,
		);
		const body = response.body && Object.keys(response.body).length ? response.body : (await client.request<IDataObject>({ method: 'GET', projection: row.projection, path }, itemIndex)).body;
		return traced(body, existed ? 'updated' : 'created');
	}

	const maxRetries = Number(context.getNodeParameter('options.maxConflictRetries', itemIndex, DEFAULT_CONFLICT_RETRIES));
	const result = await applyChanges(client, row, path, type, data, itemIndex, {
		maxRetries,
		missing: {
			message: `No row to update at ${ifsRecordId(target.projection, path)}`,
			description: 'Check the key values, or use Create (or the Create or Update mode) to create the row.',
		},
	});
	return traced(result.row, result.action);
}

import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { buildTrace } from '../../../common/trace';
import type { IfsClient } from '../../transport';
import { entitySetLocator, keyFields, optionsCollection, projectionLocator, traceOptions } from '../descriptions';
import { IFS_TARGET, ifsRecordId, readKey, readTarget, readTraceSource } from '../parameters';
import { DEFAULT_CONFLICT_RETRIES, writeWithEtag } from './conflicts';

const properties: INodeProperties[] = [
	projectionLocator,
	entitySetLocator,
	keyFields,
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['delete'] } }, properties);

/** Deleting a row that is already gone is success: a retried execution must not fail here. */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const target = readTarget(context, itemIndex);
	const key = await readKey(context, client, target, itemIndex);
	const path = await client.keyPath(target.projection, target.entitySet, key, itemIndex);
	const source = readTraceSource(context, itemIndex);
	const result = (action: 'deleted' | 'absent') => ({
		deleted: true,
		alreadyAbsent: action === 'absent',
		_trace: buildTrace(source, { system: IFS_TARGET, id: ifsRecordId(target.projection, path) }, action),
	});

	return await writeWithEtag(client, { projection: target.projection, path }, itemIndex, DEFAULT_CONFLICT_RETRIES, async (current) => {
		if (!current) return { done: true, value: result('absent') };
		const response = await client.request(
			{ method: 'DELETE', projection: target.projection, path, ifMatch: current.etag ?? '*', allowStatuses: [404, 412] },
			itemIndex,
		);
		if (response.statusCode === 412) return { done: false, attempted: { delete: true } };
		return { done: true, value: result(response.statusCode === 404 ? 'absent' : 'deleted') };
	});
}

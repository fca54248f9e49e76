/**
 * Optimistic concurrency against IFS: read the row (its ETag comes only from a get-by-key), write
 * with If-Match, and on 412 read again and re-apply, a bounded number of times.
 */
import type { IDataObject } from 'n8n-workflow';

import { apiError } from '../../../common/errors';
import type { IfsClient, IfsResponse } from '../../transport';

export const DEFAULT_CONFLICT_RETRIES = 3;

export type ConflictStep<T> = { done: true; value: T } | { done: false; attempted: IDataObject };

export async function writeWithEtag<T>(
	client: IfsClient,
	row: { projection: string; path: string },
	itemIndex: number,
	maxRetries: number,
	step: (current: IfsResponse<IDataObject> | undefined) => Promise<ConflictStep<T>>,
): Promise<T> {
	let attempted: IDataObject = {};
	let current: IfsResponse<IDataObject> | undefined;
	for (let attempt = 0; attempt <= maxRetries; attempt++) {
		const read = await client.request<IDataObject>(
			{ method: 'GET', projection: row.projection, path: row.path, allowStatuses: [404] },
			itemIndex,
		);
		current = read.statusCode === 404 ? undefined : read;
		const outcome = await step(current);
		if (outcome.done) return outcome.value;
		attempted = outcome.attempted;
	}
	// Show what we tried to write and what IFS holds now, so the user can decide.
	const latest = await client.request<IDataObject>(
		{ method: 'GET', projection: row.projection, path: row.path, allowStatuses: [404] },
		itemIndex,
	);
	throw apiError(
		client.node,
		{
			message: `The row kept changing in IFS Cloud: ${maxRetries + 1} attempts each met 412 Precondition Failed`,
			description:
				'Another user or integration is updating this row at the same time. Run the item again later, or choose the "Overwrite (If-Match: *)" mode if this integration owns these fields.',
			httpCode: 412,
			details: {
				row: `${row.projection}/${decodeURIComponent(row.path)}`,
				attempted,
				current: latest.statusCode === 404 ? null : latest.body,
			},
		},
		itemIndex,
		client.redactor,
	);
}

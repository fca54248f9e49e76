/**
 * Parameters and helpers shared by the Amazon Seller Central operations.
 */
import type { IDataObject, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';

import { toDateTime } from '../../common/dates';
import { operationError } from '../../common/errors';
import { OPERATIONS } from '../transport/operations';
import type { SpApiClient, SpApiSettings } from '../transport';

export const returnAllAndLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

export function readLimit(context: IExecuteFunctions, itemIndex: number): number | undefined {
	return context.getNodeParameter('returnAll', itemIndex, false) ? undefined : (context.getNodeParameter('limit', itemIndex, 50) as number);
}

export const runOptions: INodeProperties[] = [
	{
		displayName: 'Time Budget (Minutes)',
		name: 'timeBudgetMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 15,
		description:
			"Longest time this node run may take, waits for Amazon's rate limits included. Rate-limited calls wait instead of failing until the budget is spent.",
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'timeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 60,
	},
];

export function optionsCollection(specific: INodeProperties[] = []): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: [...specific, ...runOptions] };
}

export function readSpApiSettings(context: IExecuteFunctions): Partial<SpApiSettings> {
	const minutes = Number(context.getNodeParameter('options.timeBudgetMinutes', 0, 15));
	const seconds = Number(context.getNodeParameter('options.timeoutSeconds', 0, 60));
	return { timeBudgetMs: Math.max(1, minutes) * 60_000, requestTimeoutMs: Math.max(1, seconds) * 1000 };
}

/** How far "before" limits must stay behind now (Amazon: at least 2 minutes), with a margin for clock skew. */
export const LATEST_LAG_MS = 2 * 60_000 + 10_000;

/** The latest instant SP-API accepts as a "before" limit right now. */
export function latestBefore(now = Date.now()): number {
	return now - LATEST_LAG_MS;
}

/** `2026-05-01T10:00:00Z`: SP-API wants UTC with Z; some endpoints reject milliseconds or offsets. */
export function spApiInstant(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A date window as SP-API accepts it: UTC with Z, the end at least 2 minutes before now (a later
 * or missing end is moved back to that limit), and the start before the end.
 */
export function dateWindow(node: INode, itemIndex: number | undefined, after: unknown, before: unknown): { after: string; before: string } {
	const latest = latestBefore();
	const read = (value: unknown, name: string) => {
		try {
			return toDateTime(value);
		} catch (error) {
			throw operationError(node, `${name}: ${(error as Error).message}`, 'Use an ISO 8601 date/time, e.g. 2024-05-01T00:00:00Z or {{ $now.minus({days: 1}) }}.', itemIndex);
		}
	};
	const start = read(after, 'After');
	const end = before === undefined || before === null || before === '' ? undefined : read(before, 'Before');
	const endMs = Math.min(end ? end.toMillis() : latest, latest);
	if (start.toMillis() >= endMs) {
		throw operationError(
			node,
			`The window is empty: "After" (${start.toUTC().toISO()}) is not before ${new Date(endMs).toISOString()}`,
			'Amazon only returns data up to 2 minutes ago; choose an earlier "After".',
			itemIndex,
		);
	}
	return { after: spApiInstant(start.toMillis()), before: spApiInstant(endMs) };
}

/** Comma-separated list parameter → array (empty → undefined). */
export function list(value: unknown): string[] | undefined {
	const items = (Array.isArray(value) ? value : String(value ?? '').split(',')).map((entry) => String(entry).trim()).filter(Boolean);
	return items.length ? items : undefined;
}

/**
 * A Restricted Data Token for exactly the given calls (method, path, data elements), requested
 * once per node run and reused for those calls.
 */
export async function restrictedDataToken(
	client: SpApiClient,
	resources: Array<{ method: string; path: string; dataElements?: string[] }>,
	itemIndex: number,
): Promise<string> {
	const key = JSON.stringify(resources);
	const cached = client.restrictedTokens.get(key);
	if (cached) return cached;
	const response = await client.call<IDataObject>({ operation: OPERATIONS.createRestrictedDataToken, body: { restrictedResources: resources as unknown as IDataObject[] } }, itemIndex);
	const token = response.body.restrictedDataToken;
	if (typeof token !== 'string' || !token) {
		throw operationError(client.node, 'Amazon returned no Restricted Data Token', 'The app needs the restricted role for personal data (e.g. Direct-to-Consumer Shipping). Check its roles.', itemIndex);
	}
	client.redactor.add(token);
	client.restrictedTokens.set(key, token);
	return token;
}

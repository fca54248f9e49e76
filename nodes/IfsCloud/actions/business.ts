/**
 * Building blocks of the business operations (orders, customers, shipments, journals, payments):
 * names checked against the tenant's $metadata, lookups by typed filters, creates that are safe
 * to retry, and ETag-safe changes of only the fields that differ.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { operationError } from '../../common/errors';
import type { EdmEntityType } from '../odata/csdl';
import { formatLiteral, keyPredicate } from '../odata/literals';
import { keyIdentity, totalOrder } from '../odata/query';
import { ValueError, sameValue, toEdmValue } from '../odata/values';
import type { IfsClient, IfsResponse } from '../transport';
import { writeWithEtag } from './entity/conflicts';

export interface EntityRef {
	projection: string;
	entitySet: string;
}

/** The entity type of a configured projection/entity set, with an error that says where to look. */
export async function entityOf(client: IfsClient, ref: EntityRef, itemIndex: number, role: string): Promise<EdmEntityType> {
	try {
		return await client.entityType(ref.projection, ref.entitySet, itemIndex);
	} catch (error) {
		const base = error as Error & { description?: string };
		throw operationError(
			client.node,
			`${base.message} (${role})`,
			`${base.description ?? ''} Set the right name under "IFS Names" in this node; API Explorer lists the projection's entity sets.`.trim(),
			itemIndex,
		);
	}
}

/** Field names ranked by likeness to `wanted`, to suggest the tenant's name for a missing field. */
function similarFields(type: EdmEntityType, wanted: string): string[] {
	const tokens = wanted.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter((token) => token.length > 2);
	return Object.keys(type.properties)
		.map((name) => ({ name, score: tokens.filter((token) => name.toLowerCase().includes(token)).length }))
		.filter((entry) => entry.score > 0)
		.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
		.slice(0, 6)
		.map((entry) => entry.name);
}

/** Checks that every configured field exists on the entity; names the missing ones and likely candidates. */
export function requireFields(client: IfsClient, ref: EntityRef, type: EdmEntityType, fields: Record<string, string>, itemIndex: number): void {
	const missing = Object.entries(fields).filter(([, name]) => !type.properties[name]);
	if (!missing.length) return;
	const lines = missing.map(([role, name]) => {
		const similar = similarFields(type, name);
		return `"${name}" (${role})${similar.length ? ` — fields with a similar name: ${similar.join(', ')}` : ''}`;
	});
	throw operationError(
		client.node,
		`${ref.entitySet} in ${ref.projection} has no field ${lines.join('; ')}`,
		`Field names differ between IFS releases and tenants. Look up ${ref.entitySet} in API Explorer (projection ${ref.projection}) and set the field names under "IFS Names" in this node.`,
		itemIndex,
	);
}

/** `Field eq <literal>` with the literal typed from $metadata. */
export async function equals(client: IfsClient, ref: EntityRef, type: EdmEntityType, field: string, value: unknown, itemIndex: number): Promise<string> {
	const enums = await client.enumTypeNames(ref.projection, itemIndex);
	return `${field} eq ${formatLiteral(value, type.properties[field]?.type ?? 'Edm.String', enums)}`;
}

/** Rows matching `filter`, at most `limit` (enough to tell "none", "one" and "several"). */
export async function findRows(
	client: IfsClient,
	ref: EntityRef,
	filter: string,
	itemIndex: number,
	options: { limit?: number; orderby?: string; select?: string } = {},
): Promise<IDataObject[]> {
	// Paging needs a total order: the keys are appended to any sort given.
	const keys = (await client.keyParts(ref.projection, ref.entitySet, itemIndex)).map((part) => part.name);
	const select = options.select ? [...new Set([...options.select.split(','), ...keys])].join(',') : undefined;
	return await client.readCollection(
		ref.projection,
		encodeURIComponent(ref.entitySet),
		{ filter, orderby: totalOrder(options.orderby, keys), select },
		{ limit: options.limit, identity: keyIdentity(keys) },
		itemIndex,
	);
}

export async function rowPath(client: IfsClient, ref: EntityRef, row: IDataObject, itemIndex: number): Promise<string> {
	const parts = await client.keyParts(ref.projection, ref.entitySet, itemIndex);
	const enums = await client.enumTypeNames(ref.projection, itemIndex);
	return `${encodeURIComponent(ref.entitySet)}${keyPredicate(parts, row, enums)}`;
}

/** Readable id of a row for the trace: `Projection/EntitySet(Key='…')`. */
export async function recordId(client: IfsClient, ref: EntityRef, row: IDataObject, itemIndex: number): Promise<string> {
	return `${ref.projection}/${decodeURIComponent(await rowPath(client, ref, row, itemIndex))}`;
}

/**
 * POSTs a new row. `findExisting` says how to recognise it afterwards (by key or by an external
 * reference): a timeout or reset is then resolved by looking, never by posting blind.
 */
export async function createRow(
	client: IfsClient,
	ref: EntityRef,
	body: IDataObject,
	itemIndex: number,
	findExisting?: () => Promise<IDataObject | undefined>,
	path = encodeURIComponent(ref.entitySet),
): Promise<IDataObject> {
	const response = await client.request<IDataObject>(
		{
			method: 'POST',
			projection: ref.projection,
			path,
			body,
			verify: findExisting
				? async () => {
						const found = await findExisting();
						return found ? { statusCode: 200, headers: {}, body: found } : 'resend';
					}
				: undefined,
		},
		itemIndex,
	);
	if (response.body && typeof response.body === 'object' && Object.keys(response.body).length) return response.body;
	const found = findExisting ? await findExisting() : undefined;
	return found ?? body;
}

/** Converts values to the entity's field types, naming the field when a value does not fit. */
export function typedValues(client: IfsClient, type: EdmEntityType, values: IDataObject, itemIndex: number, enumMembers: (type: string) => string[] | undefined): IDataObject {
	const result: IDataObject = {};
	for (const [field, value] of Object.entries(values)) {
		if (value === undefined) continue;
		const property = type.properties[field];
		if (!property) {
			throw operationError(
				client.node,
				`${type.name} has no field "${field}"`,
				`Field names are case-sensitive. Fields of ${type.name}: ${Object.keys(type.properties).join(', ')}.`,
				itemIndex,
			);
		}
		try {
			result[field] = toEdmValue(value, property, enumMembers(property.type)) as IDataObject[string];
		} catch (error) {
			throw operationError(client.node, (error as ValueError).message, 'Give the value in the field type shown in $metadata (API Explorer).', itemIndex);
		}
	}
	return result;
}

export type ChangeAction = 'updated' | 'unchanged';

/**
 * Writes `changes` to the row at `path` with If-Match, sending only fields whose value differs;
 * on 412 it reads the row again and re-applies. Returns the row as IFS holds it afterwards.
 */
export async function applyChanges(
	client: IfsClient,
	ref: EntityRef,
	path: string,
	type: EdmEntityType,
	changes: IDataObject,
	itemIndex: number,
	options: { maxRetries?: number; missing?: { message: string; description: string } } = {},
): Promise<{ row: IDataObject; action: ChangeAction }> {
	const maxRetries = options.maxRetries ?? 3;
	return await writeWithEtag<{ row: IDataObject; action: ChangeAction }>(client, { projection: ref.projection, path }, itemIndex, maxRetries, async (current) => {
		if (!current) {
			const missing = options.missing ?? {
				message: `The row ${ref.projection}/${decodeURIComponent(path)} no longer exists`,
				description: 'It was deleted in IFS meanwhile; re-run to create it again.',
			};
			throw operationError(client.node, missing.message, missing.description, itemIndex);
		}
		if (!current.etag) {
			throw operationError(
				client.node,
				`IFS Cloud returned no ETag for ${ref.projection}/${decodeURIComponent(path)}`,
				'This entity does not support optimistic concurrency; use the Entity resource\'s Update with the "Overwrite (Ignore Concurrent Changes)" mode.',
				itemIndex,
			);
		}
		const differing: IDataObject = {};
		for (const [field, value] of Object.entries(changes)) {
			if (!sameValue(current.body[field], value, type.properties[field]?.type ?? 'Edm.String')) differing[field] = value;
		}
		if (!Object.keys(differing).length) return { done: true, value: { row: current.body, action: 'unchanged' as const } };
		const response: IfsResponse<IDataObject> = await client.request<IDataObject>(
			{ method: 'PATCH', projection: ref.projection, path, body: differing, ifMatch: current.etag, allowStatuses: [412] },
			itemIndex,
		);
		if (response.statusCode === 412) return { done: false, attempted: differing };
		const row =
			response.body && Object.keys(response.body).length
				? response.body
				: (await client.request<IDataObject>({ method: 'GET', projection: ref.projection, path }, itemIndex)).body;
		return { done: true, value: { row, action: 'updated' as const } };
	});
}

/** Reads a JSON parameter that must hold an array of objects (n8n passes text or parsed values). */
export function parseJsonArray(context: IExecuteFunctions, name: string, itemIndex: number, example: string): IDataObject[] {
	const raw = context.getNodeParameter(name, itemIndex, '[]');
	let value: unknown = raw;
	let syntaxError = '';
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw || '[]');
		} catch (error) {
			syntaxError = (error as Error).message;
		}
	}
	if (syntaxError || !Array.isArray(value) || value.some((entry) => !entry || typeof entry !== 'object' || Array.isArray(entry))) {
		throw operationError(
			context.getNode(),
			syntaxError ? `${name} is not valid JSON: ${syntaxError}` : `${name} must be a JSON array of objects`,
			`Example: ${example}. An expression such as {{ $json.lines }} works too.`,
			itemIndex,
		);
	}
	return value as IDataObject[];
}

/** Fields of the IFS Names collection, with defaults. */
export function names<T extends Record<string, string>>(context: IExecuteFunctions, itemIndex: number, defaults: T): T {
	const given = (context.getNodeParameter('names', itemIndex, {}) ?? {}) as Record<string, unknown>;
	const result = { ...defaults } as Record<string, string>;
	for (const key of Object.keys(defaults)) {
		const value = given[key];
		if (typeof value === 'string' && value.trim()) result[key] = value.trim();
	}
	return result as T;
}

/** Model enum members lookup for value conversion. */
export async function enumMembersOf(client: IfsClient, projection: string, itemIndex: number): Promise<(type: string) => string[] | undefined> {
	const model = await client.model(projection, itemIndex);
	return (typeName: string) => model.enumTypes[typeName]?.members;
}


export type UpsertAction = 'created' | 'updated' | 'unchanged';

/**
 * The row with key `key` ends up holding `values`: created when missing, otherwise only the
 * differing fields are written (ETag-safe). Repeating it changes nothing.
 */
export async function upsertByKey(
	client: IfsClient,
	ref: EntityRef,
	type: EdmEntityType,
	key: IDataObject,
	values: IDataObject,
	itemIndex: number,
): Promise<{ row: IDataObject; action: UpsertAction }> {
	const path = await rowPath(client, ref, key, itemIndex);
	const read = async () => {
		const response = await client.request<IDataObject>({ method: 'GET', projection: ref.projection, path, allowStatuses: [404] }, itemIndex);
		return response.statusCode === 404 ? undefined : response.body;
	};
	if (!(await read())) {
		return { row: await createRow(client, ref, { ...key, ...values }, itemIndex, read), action: 'created' };
	}
	const changes = { ...values };
	for (const field of Object.keys(key)) delete changes[field];
	return await applyChanges(client, ref, path, type, changes, itemIndex);
}

/** The strongest of several actions: any creation, else any update, else unchanged. */
export function overallAction(actions: UpsertAction[]): UpsertAction {
	if (actions.includes('created')) return 'created';
	return actions.includes('updated') ? 'updated' : 'unchanged';
}

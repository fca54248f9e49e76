import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError, toNodeError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import type { EdmOperation } from '../../odata/csdl';
import { encodeLiteral, formatLiteral } from '../../odata/literals';
import { ValueError, toEdmValue } from '../../odata/values';
import type { IfsClient } from '../../transport';
import { entitySetLocator, keyFields, optionsCollection, projectionLocator, traceOptions } from '../descriptions';
import { IFS_TARGET, ifsRecordId, parseJsonObject, readKey, readTarget, readTraceSource } from '../parameters';
import { DEFAULT_CONFLICT_RETRIES, writeWithEtag } from './conflicts';

const properties: INodeProperties[] = [
	projectionLocator,
	{
		displayName: 'Scope',
		name: 'actionScope',
		type: 'options',
		default: 'bound',
		options: [
			{ name: 'On a Row (Bound)', value: 'bound', description: 'An action or function of an entity, called on one row' },
			{ name: 'On the Projection (Unbound)', value: 'unbound', description: 'An action or function of the projection itself' },
		],
	},
	{ ...entitySetLocator, displayOptions: { show: { actionScope: ['bound'] } } },
	{ ...keyFields, displayOptions: { show: { actionScope: ['bound'] } } },
	{
		displayName: 'Action or Function Name or ID',
		name: 'action',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getOperations',
			loadOptionsDependsOn: ['projection.value', 'entitySet.value', 'actionScope'],
		},
		default: '',
		required: true,
		description:
			'Actions and functions from the projection\'s $metadata. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description: 'Parameter names and values, e.g. {"CustomerNo": "C100"}. Values are converted to the types in $metadata.',
	},
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['entity'], operation: ['callAction'] } }, properties);

export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const bound = context.getNodeParameter('actionScope', itemIndex, 'bound') === 'bound';
	const target = readTarget(context, itemIndex, bound);
	const name = String(context.getNodeParameter('action', itemIndex, '') ?? '').trim();
	const model = await client.model(target.projection, itemIndex);
	const type = bound ? await client.entityType(target.projection, target.entitySet, itemIndex) : undefined;
	const operation = model.operations.find(
		(candidate) =>
			candidate.isBound === bound &&
			(candidate.qualifiedName === name || candidate.name === name || candidate.importName === name) &&
			(!bound || candidate.bindingType === type?.qualifiedName),
	);
	if (!operation) {
		const available = model.operations.filter((candidate) => candidate.isBound === bound && (!bound || candidate.bindingType === type?.qualifiedName));
		throw operationError(
			context.getNode(),
			`${bound ? `${target.entitySet} has` : `${target.projection} has`} no ${bound ? 'bound' : 'unbound'} action or function "${name}"`,
			available.length
				? `Available: ${available.map((candidate) => candidate.name).join(', ')}.`
				: 'Check the action in API Explorer; it may be bound to another entity set or be unbound.',
			itemIndex,
		);
	}
	const parameters = readParameters(context, operation, model.enumTypes, itemIndex);
	const source = readTraceSource(context, itemIndex);
	const traced = (result: IDataObject, id: string) => withTrace(result, buildTrace(source, { system: IFS_TARGET, id }, 'called'));

	if (!bound) {
		const path = operation.importName ?? operation.name;
		const result = await invoke(client, operation, target.projection, encodeURIComponent(path), parameters, undefined, itemIndex);
		return traced(result.value, ifsRecordId(target.projection, path));
	}

	const key = await readKey(context, client, target, itemIndex);
	const rowPath = await client.keyPath(target.projection, target.entitySet, key, itemIndex);
	const path = `${rowPath}/${operation.qualifiedName}`;
	if (operation.kind === 'function') {
		const result = await invoke(client, operation, target.projection, path, parameters, undefined, itemIndex);
		return traced(result.value, ifsRecordId(target.projection, rowPath));
	}
	// Bound actions change the row: they need its current ETag, like an update.
	return await writeWithEtag(client, { projection: target.projection, path: rowPath }, itemIndex, DEFAULT_CONFLICT_RETRIES, async (current) => {
		if (!current) {
			throw operationError(context.getNode(), `No row at ${ifsRecordId(target.projection, rowPath)}`, 'Check the key values.', itemIndex);
		}
		const result = await invoke(client, operation, target.projection, path, parameters, current.etag ?? '*', itemIndex);
		if (result.status === 412) return { done: false, attempted: { action: operation.name, parameters } };
		return { done: true, value: traced(result.value, ifsRecordId(target.projection, rowPath)) };
	});
}

async function invoke(
	client: IfsClient,
	operation: EdmOperation,
	projection: string,
	path: string,
	parameters: IDataObject,
	ifMatch: string | undefined,
	itemIndex: number,
): Promise<{ status: number; value: IDataObject }> {
	if (operation.kind === 'function') {
		const enums = await client.enumTypeNames(projection, itemIndex);
		const args = operation.parameters
			.filter((parameter) => parameters[parameter.name] !== undefined)
			.map((parameter) => `${parameter.name}=${encodeLiteral(formatLiteral(parameters[parameter.name], parameter.type, enums))}`);
		const response = await client.request<IDataObject>({ method: 'GET', projection, path: `${path}(${args.join(',')})` }, itemIndex);
		return { status: response.statusCode, value: resultOf(response.body) };
	}
	const response = await client.request<IDataObject>(
		{ method: 'POST', projection, path, body: parameters, ifMatch, allowStatuses: ifMatch ? [412] : [] },
		itemIndex,
	);
	return { status: response.statusCode, value: resultOf(response.body) };
}

/** Actions answer 204 (nothing), a primitive `{ value }`, or an entity. */
function resultOf(body: unknown): IDataObject {
	if (body === undefined || body === null || body === '') return { success: true };
	if (typeof body !== 'object' || Array.isArray(body)) return { value: body as IDataObject[string] };
	return body as IDataObject;
}

function readParameters(
	context: IExecuteFunctions,
	operation: EdmOperation,
	enumTypes: Record<string, { members: string[] }>,
	itemIndex: number,
): IDataObject {
	const given = parseJsonObject(context, context.getNodeParameter('parameters', itemIndex, '{}'), itemIndex, 'Parameters', '{"CustomerNo": "C100"}');
	const result: IDataObject = {};
	for (const [name, value] of Object.entries(given)) {
		const parameter = operation.parameters.find((candidate) => candidate.name === name);
		if (!parameter) {
			throw operationError(
				context.getNode(),
				`${operation.name} has no parameter "${name}"`,
				`Parameters of ${operation.name}: ${operation.parameters.map((candidate) => `${candidate.name} (${candidate.type.replace('Edm.', '')})`).join(', ') || 'none'}.`,
				itemIndex,
			);
		}
		try {
			result[name] = toEdmValue(value, { name, type: parameter.type, nullable: parameter.nullable }, enumTypes[parameter.type]?.members) as IDataObject[string];
		} catch (error) {
			if (error instanceof ValueError) throw operationError(context.getNode(), error.message, 'Give the value in the parameter type from $metadata.', itemIndex);
			throw toNodeError(context.getNode(), error, itemIndex);
		}
	}
	const missing = operation.parameters.filter((parameter) => !parameter.nullable && result[parameter.name] === undefined);
	if (missing.length) {
		throw operationError(
			context.getNode(),
			`${operation.name} needs parameter${missing.length > 1 ? 's' : ''} ${missing.map((parameter) => parameter.name).join(', ')}`,
			'Add them to Parameters (JSON).',
			itemIndex,
		);
	}
	return result;
}

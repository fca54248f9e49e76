/**
 * Reading and checking the parameters the Entity operations share.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { z } from 'zod';

import { operationError, toNodeError } from '../../common/errors';
import { parseInput } from '../../common/validation';
import type { EdmEntityType } from '../odata/csdl';
import { ValueError, buildPayload } from '../odata/values';
import { DEFAULT_SETTINGS, type Deployment, IFS_SYSTEM, type IfsClient, type IfsSettings } from '../transport';

export interface EntityTarget {
	projection: string;
	entitySet: string;
}

export const COMPANY_FIELD = 'Company';

/** Defaults an operation sets for the connection, e.g. a projection IFS exposes only on /main. */
export interface OperationDefaults {
	deployment?: Deployment;
}

function option<T>(context: IExecuteFunctions, itemIndex: number, name: string, fallback: T): T {
	return context.getNodeParameter(`options.${name}`, itemIndex, fallback) as T;
}

export function readTarget(context: IExecuteFunctions, itemIndex: number, needsEntitySet = true): EntityTarget {
	const projection = String(context.getNodeParameter('projection', itemIndex, '', { extractValue: true }) ?? '').trim();
	const entitySet = needsEntitySet
		? String(context.getNodeParameter('entitySet', itemIndex, '', { extractValue: true }) ?? '').trim()
		: '';
	if (!projection) {
		throw operationError(context.getNode(), 'No projection chosen', 'Pick a projection from the list or type its name (API Explorer lists them).', itemIndex);
	}
	if (needsEntitySet && !entitySet) {
		throw operationError(context.getNode(), 'No entity set chosen', 'Pick an entity set of the projection from the list, or type its name.', itemIndex);
	}
	return { projection, entitySet };
}

const settingsSchema = z.object({
	deployment: z.enum(['credential', 'int', 'main']),
	timeZoneAware: z.boolean(),
	requestsPerWindow: z.number({ invalid_type_error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (off) or more'),
	rateWindowSeconds: z.number({ invalid_type_error: 'must be a number' }).positive('must be more than 0'),
	maxConcurrency: z.number({ invalid_type_error: 'must be a number' }).int('must be a whole number').min(1).max(16),
	pageSize: z.number({ invalid_type_error: 'must be a number' }).int('must be a whole number').min(1).max(5000, 'IFS returns at most 5000 rows per request'),
	timeoutSeconds: z.number({ invalid_type_error: 'must be a number' }).positive('must be more than 0'),
	retryBudgetSeconds: z.number({ invalid_type_error: 'must be a number' }).min(0),
});

/** Connection settings, read once per node run (the client and its rate limiter serve all items). */
export function readSettings(context: IExecuteFunctions, operationDefaults: OperationDefaults = {}): Partial<IfsSettings> {
	const defaults = DEFAULT_SETTINGS;
	const raw = {
		// An option the user did not add reads as this fallback, not as the collection's default.
		deployment: option(context, 0, 'deployment', operationDefaults.deployment ?? 'credential'),
		timeZoneAware: option(context, 0, 'timeZoneAware', defaults.timeZoneAware),
		requestsPerWindow: option(context, 0, 'requestsPerWindow', defaults.rateLimit.requests),
		rateWindowSeconds: option(context, 0, 'rateWindowSeconds', defaults.rateLimit.windowMs / 1000),
		maxConcurrency: option(context, 0, 'maxConcurrency', defaults.maxConcurrency),
		pageSize: option(context, 0, 'pageSize', defaults.pageSize),
		timeoutSeconds: option(context, 0, 'timeoutSeconds', defaults.requestTimeoutMs / 1000),
		retryBudgetSeconds: option(context, 0, 'retryBudgetSeconds', defaults.retryBudgetMs / 1000),
	};
	let settings: z.infer<typeof settingsSchema>;
	try {
		settings = parseInput(settingsSchema, raw, 'node options');
	} catch (error) {
		throw operationError(context.getNode(), (error as Error).message, 'Correct the values under Options (numbers only; see each option\'s hint).', 0);
	}
	return {
		deployment: settings.deployment === 'credential' ? undefined : (settings.deployment as Deployment),
		timeZoneAware: settings.timeZoneAware,
		rateLimit: { requests: settings.requestsPerWindow, windowMs: settings.rateWindowSeconds * 1000 },
		maxConcurrency: settings.maxConcurrency,
		pageSize: settings.pageSize,
		requestTimeoutMs: settings.timeoutSeconds * 1000,
		retryBudgetMs: settings.retryBudgetSeconds * 1000,
	};
}

/** The company to apply, or undefined when the option is off or no company is known. */
export function companyFor(context: IExecuteFunctions, client: IfsClient, itemIndex: number): string | undefined {
	if (!option(context, itemIndex, 'applyCompany', true)) return undefined;
	const company = String(option(context, itemIndex, 'company', '') || client.companyCode || '').trim();
	return company || undefined;
}

/** Key values from the Key parameter (or, when absent, from the input item), typed later by the predicate. */
export async function readKey(
	context: IExecuteFunctions,
	client: IfsClient,
	target: EntityTarget,
	itemIndex: number,
): Promise<Record<string, unknown>> {
	const parts = await client.keyParts(target.projection, target.entitySet, itemIndex);
	const given = (context.getNodeParameter('key.fields', itemIndex, []) as Array<{ name: string; value: unknown }>) ?? [];
	const key: Record<string, unknown> = {};
	for (const { name, value } of given) {
		if (!parts.some((part) => part.name === name)) {
			throw operationError(
				context.getNode(),
				`"${name}" is not a key field of ${target.entitySet}`,
				`${target.entitySet} is keyed by ${parts.map((part) => part.name).join(', ')}.`,
				itemIndex,
			);
		}
		key[name] = value;
	}
	const company = companyFor(context, client, itemIndex);
	if (company && parts.some((part) => part.name === COMPANY_FIELD) && (key[COMPANY_FIELD] ?? '') === '') {
		key[COMPANY_FIELD] = company;
	}
	return key;
}

/** The fields to write, converted to the entity's types; unknown fields are an error except in auto-map mode. */
export async function readData(
	context: IExecuteFunctions,
	client: IfsClient,
	target: EntityTarget,
	type: EdmEntityType,
	itemIndex: number,
): Promise<IDataObject> {
	const mode = context.getNodeParameter('dataMode', itemIndex, 'defineBelow') as string;
	let data: IDataObject;
	if (mode === 'autoMapInputData') {
		data = { ...context.getInputData()[itemIndex].json };
	} else if (mode === 'json') {
		data = parseJsonObject(context, context.getNodeParameter('jsonBody', itemIndex, '{}'), itemIndex, 'The JSON', '{"CustomerPoNo": "AMZ-123"}');
	} else {
		const fields = (context.getNodeParameter('fields.field', itemIndex, []) as Array<{ name: string; value: unknown }>) ?? [];
		data = Object.fromEntries(fields.map(({ name, value }) => [name, value])) as IDataObject;
	}

	const model = await client.model(target.projection, itemIndex);
	let result;
	try {
		result = buildPayload(type, data, (typeName) => model.enumTypes[typeName]?.members);
	} catch (error) {
		if (error instanceof ValueError) {
			throw operationError(context.getNode(), error.message, 'Give the value in the field type shown in $metadata (API Explorer → the entity).', itemIndex);
		}
		throw toNodeError(context.getNode(), error, itemIndex);
	}
	if (mode !== 'autoMapInputData' && result.unknown.length) {
		throw operationError(
			context.getNode(),
			`${type.name} has no field${result.unknown.length > 1 ? 's' : ''} ${result.unknown.join(', ')}`,
			`Field names are case-sensitive. Fields of ${type.name}: ${Object.keys(type.properties).join(', ')}.`,
			itemIndex,
		);
	}
	return result.payload;
}

/** A JSON parameter that must hold an object (n8n hands it over as text or already parsed). */
export function parseJsonObject(context: IExecuteFunctions, raw: unknown, itemIndex: number, what: string, example: string): IDataObject {
	let value = raw;
	let syntaxError = '';
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw || '{}');
		} catch (error) {
			syntaxError = (error as Error).message;
		}
	}
	if (syntaxError) {
		throw operationError(context.getNode(), `${what} is not valid JSON: ${syntaxError}`, `Check quotes and commas, e.g. ${example}.`, itemIndex);
	}
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw operationError(context.getNode(), `${what} must be a JSON object of names and values`, `Example: ${example}.`, itemIndex);
	}
	return value as IDataObject;
}

export { readTraceSource } from '../../common/trace';

/** What the output's trace calls the IFS record: `Projection/EntitySet(Key=…)`, readable. */
export function ifsRecordId(projection: string, path: string): string {
	let readable = path;
	try {
		readable = decodeURIComponent(path);
	} catch {
		// keep the encoded form
	}
	return `${projection}/${readable}`;
}

export const IFS_TARGET = IFS_SYSTEM;

/**
 * Contract validator for the HTTP requests our Amazon node sends, checked against Amazon's own
 * SP-API models (Swagger 2.0, `amzn/selling-partner-api-models`) and the JSON Schemas next to
 * them (JSON_LISTINGS_FEED body, notification payloads). See README.md in this folder.
 *
 *   const result = validateSpApiRequest({ method: 'GET', path: '/orders/2026-01-01/orders', query: { ... }, headers: {} });
 *   expect(result.violations).toEqual([]);
 *
 * Models are read from `$SPAPI_MODELS_DIR`, else the copies in `test/contract/models/amazon-sp-api`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from '../repo-root';
import { type Schema, type SchemaIssue, checkSchema, collectRefs, describe, findUnsupportedKeywords, parseDateTimeZone, resolvePointer } from './json-schema';

// ---------------------------------------------------------------------------------------------
// Types

type Json = Record<string, unknown>;

export type ParameterLocation = 'query' | 'path' | 'header' | 'body' | 'formData';

/** A Swagger 2.0 parameter object with `$ref` resolved. */
export interface SpApiParameter {
	name: string;
	in: ParameterLocation;
	required?: boolean;
	type?: string;
	format?: string;
	items?: Json;
	collectionFormat?: string;
	allowEmptyValue?: boolean;
	enum?: unknown[];
	schema?: Schema;
	[keyword: string]: unknown;
}

export interface OperationInfo {
	/** Model name = file name without `.json`, e.g. `ordersV0`, `orders_2026-01-01`. */
	model: string;
	operationId: string;
	/** Upper case, e.g. `GET`. */
	method: string;
	/** Path template as in the model, e.g. `/orders/v0/orders/{orderId}`. */
	path: string;
	/** Deprecated in the model (`deprecated: true`) or by an Amazon changelog entry (see `deprecation`). */
	deprecated: boolean;
	/** Why / since when, and what to use instead; set when `deprecated`. */
	deprecation?: string;
	/** Path item carries `x-amzn-api-sandbox-only: true` (exists only on the sandbox hosts). */
	sandboxOnly: boolean;
}

export interface SpApiOperation extends OperationInfo {
	parameters: SpApiParameter[];
	bodyParameter?: SpApiParameter;
	consumes: string[];
	/** The raw operation object from the model. */
	raw: Json;
	segments: string[];
}

export interface SpApiModel {
	name: string;
	file: string;
	title: string;
	version: string;
	document: Json;
	operations: SpApiOperation[];
	/** Resolves a `$ref` local to this model (`#/definitions/…`, `#/parameters/…`, `#/responses/…`). */
	resolve(ref: string): Schema;
}

export interface SpApiModels {
	dir: string;
	models: Map<string, SpApiModel>;
	operations: SpApiOperation[];
	/** Load-time problems: unresolvable `$ref`s, schema keywords the checker does not support. Expected empty. */
	problems: string[];
}

export interface SpApiRequest {
	method: string;
	/** Path (percent-encoded as sent), optionally with `?query`; a full URL is accepted too. */
	path: string;
	/** Decoded query values; repeated keys as arrays. */
	query?: Record<string, string | string[] | number | boolean | undefined>;
	headers?: Record<string, string | string[] | undefined>;
	/** Parsed JSON body (a JSON string is parsed first). */
	body?: unknown;
	/** Host the request goes to, e.g. `sellingpartnerapi-eu.amazon.com`. */
	host?: string;
}

export interface SpApiValidationResult {
	operationId?: string;
	model?: string;
	pathTemplate?: string;
	deprecated: boolean;
	/** Contract violations; empty = the request conforms. */
	violations: string[];
	/** Non-failing notes: deprecated operation, non-UTC offsets, unknown host, raw `+` in a path. */
	info: string[];
}

export interface ValidateOptions {
	/** Also apply the constraints Amazon states only in parameter descriptions (default true). */
	documentedRules?: boolean;
	/** Flag body properties the model does not define (default `'error'`). */
	unknownBodyProperties?: 'error' | 'allow';
}

// ---------------------------------------------------------------------------------------------
// Loading

export const SPAPI_MODEL_FILES = [
	'ordersV0.json',
	'orders_2026-01-01.json',
	'financesV0.json',
	'finances_2024-06-19.json',
	'reports_2021-06-30.json',
	'fbaInventory.json',
	'listingsItems_2021-08-01.json',
	'feeds_2021-06-30.json',
	'tokens_2021-03-01.json',
	'notifications.json',
] as const;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/**
 * Deprecations Amazon announced without setting `deprecated: true` in the model, and migration
 * targets for the ones the model does flag. Source: shared/reference/amazon-sp-api.md (Confidence).
 */
const DEPRECATION_NOTES: Record<string, { flaggedInModel: boolean; note: string }> = {
	'ordersV0#getOrders': { flaggedInModel: true, note: 'Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 searchOrders' },
	'ordersV0#getOrder': { flaggedInModel: true, note: 'Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 getOrder' },
	'ordersV0#getOrderBuyerInfo': { flaggedInModel: true, note: 'Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 getOrder with includedData=BUYER' },
	'ordersV0#getOrderAddress': { flaggedInModel: true, note: 'Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 getOrder with includedData=RECIPIENT' },
	'ordersV0#getOrderItems': { flaggedInModel: true, note: 'Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 getOrder (order items are part of the order)' },
	'ordersV0#getOrderItemsBuyerInfo': { flaggedInModel: true, note: 'Orders v0 is removed 27 Mar 2027; use orders_2026-01-01 getOrder with includedData=BUYER' },
	'financesV0#listFinancialEvents': {
		flaggedInModel: false,
		note: 'deprecated by Amazon (changelog "deprecation-of-finances-v0-operations"; not flagged in the model); use finances_2024-06-19 listTransactions',
	},
	'financesV0#listFinancialEventsByGroupId': {
		flaggedInModel: false,
		note: 'deprecated by Amazon (changelog "deprecation-of-finances-v0-operations"; not flagged in the model); use finances_2024-06-19 listTransactions with relatedIdentifierName=FINANCIAL_EVENT_GROUP_ID',
	},
	'financesV0#listFinancialEventsByOrderId': {
		flaggedInModel: false,
		note: 'deprecated by Amazon (changelog "deprecation-of-finances-v0-operations"; not flagged in the model); use finances_2024-06-19 listTransactions with relatedIdentifierName=ORDER_ID',
	},
};

export function defaultModelsDir(): string {
	const fromEnv = process.env.SPAPI_MODELS_DIR;
	if (fromEnv) return fromEnv;
	const candidates = [path.resolve(REPO_ROOT, 'test', 'contract', 'models', 'amazon-sp-api')];
	return candidates.find((dir) => fs.existsSync(path.join(dir, 'ordersV0.json'))) ?? candidates[0];
}

function readJson(file: string): Json {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}

/** Every `$ref` string in a document, skipping example payloads. */
function documentRefs(node: unknown, out: string[] = []): string[] {
	if (Array.isArray(node)) {
		for (const item of node) documentRefs(item, out);
	} else if (node && typeof node === 'object') {
		for (const [key, value] of Object.entries(node)) {
			if (key === 'examples' || key === 'example' || key === 'x-amzn-api-sandbox' || key === 'x-example') continue;
			if (key === '$ref' && typeof value === 'string') out.push(value);
			else documentRefs(value, out);
		}
	}
	return out;
}

function loadModel(file: string, problems: string[]): SpApiModel {
	const document = readJson(file);
	const name = path.basename(file, '.json');
	const refCache = new Map<string, Schema>();
	const resolve = (ref: string): Schema => {
		let hit = refCache.get(ref);
		if (hit === undefined) {
			const target = resolvePointer(document, ref);
			if (target === undefined) throw new Error(`${name}: cannot resolve $ref ${ref}`);
			hit = target as Schema;
			refCache.set(ref, hit);
		}
		return hit;
	};

	for (const ref of new Set(documentRefs(document))) {
		if (!ref.startsWith('#')) problems.push(`${name}: external $ref ${ref} is not supported`);
		else if (resolvePointer(document, ref) === undefined) problems.push(`${name}: unresolvable $ref ${ref}`);
	}
	const definitions = (document.definitions ?? {}) as Record<string, Schema>;
	for (const [defName, def] of Object.entries(definitions)) {
		for (const problem of findUnsupportedKeywords(def, `#/definitions/${defName}`)) problems.push(`${name}: unsupported schema keyword at ${problem}`);
	}

	const info = (document.info ?? {}) as Json;
	const basePath = typeof document.basePath === 'string' && document.basePath !== '/' ? document.basePath.replace(/\/$/, '') : '';
	const modelConsumes = (document.consumes as string[] | undefined) ?? ['application/json'];
	const operations: SpApiOperation[] = [];
	const resolveParameter = (p: Json): SpApiParameter => {
		let param = p;
		for (let i = 0; i < 8 && typeof param.$ref === 'string'; i++) param = resolve(param.$ref) as Json;
		return param as unknown as SpApiParameter;
	};

	for (const [template, itemRaw] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
		const item = itemRaw;
		const sandboxOnly = item['x-amzn-api-sandbox-only'] === true;
		const pathLevel = ((item.parameters as Json[] | undefined) ?? []).map(resolveParameter);
		for (const method of HTTP_METHODS) {
			const op = item[method] as Json | undefined;
			if (!op) continue;
			const own = ((op.parameters as Json[] | undefined) ?? []).map(resolveParameter);
			const parameters = [...pathLevel.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
			for (const p of parameters) {
				if (p.schema) for (const problem of findUnsupportedKeywords(p.schema, `${String(op.operationId)}/${p.name}`)) problems.push(`${name}: unsupported schema keyword at ${problem}`);
			}
			const operationId = String(op.operationId);
			const note = DEPRECATION_NOTES[`${name}#${operationId}`];
			const flagged = op.deprecated === true;
			if (note && note.flaggedInModel !== flagged) problems.push(`${name}: ${operationId} deprecated flag is ${flagged}, the deprecation table expects ${note.flaggedInModel}`);
			const fullPath = basePath + template;
			operations.push({
				model: name,
				operationId,
				method: method.toUpperCase(),
				path: fullPath,
				deprecated: flagged || !!note,
				deprecation: flagged ? `deprecated in the model${note ? ` (${note.note})` : ''}` : note?.note,
				sandboxOnly,
				parameters,
				bodyParameter: parameters.find((p) => p.in === 'body'),
				consumes: (op.consumes as string[] | undefined) ?? modelConsumes,
				raw: op,
				segments: fullPath.split('/').slice(1),
			});
		}
	}
	return { name, file, title: String(info.title ?? name), version: String(info.version ?? ''), document, operations, resolve };
}

const cache = new Map<string, SpApiModels>();

/** Loads (once per directory) the ten SP-API models. */
export function loadSpApiModels(dir: string = defaultModelsDir()): SpApiModels {
	const key = path.resolve(dir);
	const hit = cache.get(key);
	if (hit) return hit;
	if (!fs.existsSync(path.join(key, 'ordersV0.json'))) {
		throw new Error(`SP-API models not found in ${key}; set SPAPI_MODELS_DIR to the folder holding ordersV0.json etc. (shared/reference/openapi/amazon-sp-api)`);
	}
	const problems: string[] = [];
	const models = new Map<string, SpApiModel>();
	for (const file of SPAPI_MODEL_FILES) {
		const model = loadModel(path.join(key, file), problems);
		models.set(model.name, model);
	}
	const loaded: SpApiModels = { dir: key, models, operations: [...models.values()].flatMap((m) => m.operations), problems };
	cache.set(key, loaded);
	return loaded;
}

function toInfo(op: SpApiOperation): OperationInfo {
	const { model, operationId, method, path: p, deprecated, deprecation, sandboxOnly } = op;
	return { model, operationId, method, path: p, deprecated, deprecation, sandboxOnly };
}

/** Operations of one model (`ordersV0`, `orders_2026-01-01.json`, …). Throws for an unknown model. */
export function operationsOf(model: string, models: SpApiModels = loadSpApiModels()): OperationInfo[] {
	const m = models.models.get(model.replace(/\.json$/, ''));
	if (!m) throw new Error(`Unknown SP-API model ${model}; known: ${[...models.models.keys()].join(', ')}`);
	return m.operations.map(toInfo);
}

export function allOperations(models: SpApiModels = loadSpApiModels()): OperationInfo[] {
	return models.operations.map(toInfo);
}

/** Looks an operation up by model + operationId (operationIds repeat across models, e.g. getOrder). */
export function getOperation(model: string, operationId: string, models: SpApiModels = loadSpApiModels()): SpApiOperation | undefined {
	return models.models.get(model.replace(/\.json$/, ''))?.operations.find((op) => op.operationId === operationId);
}

export interface OperationClaim {
	model: string;
	operationId: string;
	/** When given, must equal the model's method. */
	method?: string;
	/** When given, must equal the model's path template. */
	path?: string;
}

/**
 * Checks a list of operations a node says it supports: each must exist in the named model (with
 * the same method and path template when given); deprecated ones are reported unless
 * `allowDeprecated`. Returns one readable problem per failed claim (empty = all good).
 */
export function checkClaimedOperations(claims: OperationClaim[], options: { allowDeprecated?: boolean } = {}, models: SpApiModels = loadSpApiModels()): string[] {
	const problems: string[] = [];
	for (const claim of claims) {
		const label = `${claim.operationId} [${claim.model}]`;
		const model = models.models.get(claim.model.replace(/\.json$/, ''));
		if (!model) {
			problems.push(`${label}: unknown model`);
			continue;
		}
		const op = model.operations.find((o) => o.operationId === claim.operationId);
		if (!op) {
			problems.push(`${label}: no such operation in the model`);
			continue;
		}
		if (claim.method && claim.method.toUpperCase() !== op.method) problems.push(`${label}: method ${claim.method.toUpperCase()}, the model says ${op.method}`);
		if (claim.path && claim.path !== op.path) problems.push(`${label}: path ${claim.path}, the model says ${op.path}`);
		if (op.deprecated && !options.allowDeprecated) problems.push(`${label}: deprecated (${op.deprecation})`);
	}
	return problems;
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface OperationMatch {
	operation: SpApiOperation;
	/** Raw (still percent-encoded) path segments per template parameter. */
	rawPathParams: Record<string, string>;
}

function templateParam(segment: string): string | undefined {
	const m = /^\{([^}]+)\}$/.exec(segment);
	return m ? m[1] : undefined;
}

function matchSegments(op: SpApiOperation, segments: string[]): Record<string, string> | undefined {
	if (op.segments.length !== segments.length) return undefined;
	const params: Record<string, string> = {};
	for (let i = 0; i < segments.length; i++) {
		const name = templateParam(op.segments[i]);
		if (name === undefined) {
			if (op.segments[i] !== segments[i]) return undefined;
		} else {
			if (segments[i] === '') return undefined;
			params[name] = segments[i];
		}
	}
	return params;
}

/** Literal segments beat parameters, left to right (`/items/inventory` over `/items/{sellerSku}`). */
function specificity(op: SpApiOperation): string {
	return op.segments.map((s) => (templateParam(s) === undefined ? '1' : '0')).join('');
}

/** Finds the operation for `method` + a raw path (no query). */
export function findOperation(method: string, rawPath: string, models: SpApiModels = loadSpApiModels()): OperationMatch | undefined {
	const segments = rawPath.split('/').slice(1);
	const candidates: OperationMatch[] = [];
	for (const op of models.operations) {
		if (op.method !== method.toUpperCase()) continue;
		const params = matchSegments(op, segments);
		if (params) candidates.push({ operation: op, rawPathParams: params });
	}
	candidates.sort((a, b) => (specificity(a.operation) < specificity(b.operation) ? 1 : -1));
	return candidates[0];
}

// ---------------------------------------------------------------------------------------------
// Parameter checks

const SEPARATORS: Record<string, string> = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' };
const SCHEMA_KEYS = ['type', 'format', 'items', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf'];

function parameterSchema(param: Json): Json {
	const schema: Json = {};
	for (const key of SCHEMA_KEYS) if (param[key] !== undefined) schema[key] = param[key];
	if (param.items && typeof param.items === 'object') schema.items = parameterSchema(param.items as Json);
	return schema;
}

/** Converts one raw string to the parameter's primitive type; returns an error text on failure. */
function convertScalar(type: string | undefined, raw: string): { value?: unknown; error?: string } {
	switch (type) {
		case 'integer':
			return /^[+-]?\d+$/.test(raw) ? { value: Number(raw) } : { error: `expected integer, got ${describe(raw)}` };
		case 'number':
			return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? { value: Number(raw) } : { error: `expected number, got ${describe(raw)}` };
		case 'boolean':
			return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { error: `expected boolean (true or false), got ${describe(raw)}` };
		default:
			return { value: raw };
	}
}

interface ParamCheck {
	issues: SchemaIssue[];
	info: string[];
	typed?: unknown;
}

/** Checks the raw value(s) of a non-body parameter. `where` is e.g. `query.MarketplaceIds`. */
function checkParameter(param: SpApiParameter, rawValues: string[], where: string): ParamCheck {
	const issues: SchemaIssue[] = [];
	const info: string[] = [];
	const emptyAllowed = param.allowEmptyValue === true || param.in === 'path';
	let typed: unknown;
	if (param.type === 'array') {
		const format = param.collectionFormat ?? 'csv';
		const itemType = (param.items?.type as string | undefined) ?? 'string';
		let tokens: string[];
		if (format === 'multi') {
			tokens = rawValues;
		} else {
			const sep = SEPARATORS[format] ?? ',';
			if (rawValues.length > 1) {
				issues.push({ path: where, message: `sent ${rawValues.length} times; collectionFormat ${format} expects one ${JSON.stringify(sep)}-separated value` });
			}
			tokens = rawValues.flatMap((raw) => raw.split(sep));
		}
		if (!emptyAllowed && rawValues.every((raw) => raw === '')) {
			issues.push({ path: where, message: 'empty value (allowEmptyValue is not set)' });
			return { issues, info };
		}
		const values: unknown[] = [];
		let unconvertible = false;
		tokens.forEach((token, i) => {
			const converted = convertScalar(itemType, token);
			if (converted.error) {
				issues.push({ path: `${where}[${i}]`, message: converted.error });
				unconvertible = true;
			}
			values.push(converted.value);
		});
		if (unconvertible) return { issues, info };
		typed = values;
	} else {
		if (rawValues.length > 1) {
			issues.push({ path: where, message: `sent ${rawValues.length} times, but it is not an array parameter` });
			return { issues, info };
		}
		const raw = rawValues[0];
		if (raw === '' && !emptyAllowed) {
			issues.push({ path: where, message: 'empty value (allowEmptyValue is not set)' });
			return { issues, info };
		}
		const converted = convertScalar(param.type, raw);
		if (converted.error) return { issues: [{ path: where, message: converted.error }], info };
		typed = converted.value;
	}
	issues.push(...checkSchema(parameterSchema(param), typed, { rootPath: where }));
	const dateValues = param.format === 'date-time' ? [typed] : param.items?.format === 'date-time' && Array.isArray(typed) ? typed : [];
	for (const value of dateValues) {
		if (typeof value !== 'string') continue;
		const zone = parseDateTimeZone(value);
		if (zone && zone !== 'Z' && zone !== '+00:00') info.push(`${where}: ${describe(value)} has offset ${zone}; several SP-API endpoints reject non-UTC offsets, send UTC with Z`);
	}
	return { issues, info, typed };
}

// ---------------------------------------------------------------------------------------------
// Constraints stated only in the models' prose (parameter / operation descriptions)

type DocumentedRule =
	| { kind: 'range'; param: string; minimum: number; maximum: number; source: string }
	| { kind: 'atLeastOne'; params: string[]; source: string }
	| { kind: 'exclusiveGroups'; groups: string[][]; source: string }
	| { kind: 'onlyParameter'; param: string; source: string }
	| { kind: 'together'; params: string[]; source: string }
	| { kind: 'requiredUnless'; param: string; unless: string[]; source: string };

/**
 * Keyed `model#operationId`. Each rule quotes the sentence of the model it comes from; the
 * schema part of the model does not express these.
 */
export const DOCUMENTED_RULES: Record<string, DocumentedRule[]> = {
	'ordersV0#getOrders': [
		{ kind: 'range', param: 'MaxResultsPerPage', minimum: 1, maximum: 100, source: 'MaxResultsPerPage: "Value must be 1 - 100."' },
		{ kind: 'atLeastOne', params: ['CreatedAfter', 'LastUpdatedAfter'], source: 'CreatedAfter: "Either the `CreatedAfter` parameter or the `LastUpdatedAfter` parameter is required."' },
		{
			kind: 'exclusiveGroups',
			groups: [
				['CreatedAfter', 'CreatedBefore'],
				['LastUpdatedAfter', 'LastUpdatedBefore'],
			],
			source: 'CreatedAfter / LastUpdatedAfter: "`LastUpdatedAfter` and `LastUpdatedBefore` cannot be set when `CreatedAfter` is set." / "`CreatedAfter` or `CreatedBefore` cannot be set when `LastUpdatedAfter` is set."',
		},
	],
	'orders_2026-01-01#searchOrders': [
		{ kind: 'range', param: 'maxResultsPerPage', minimum: 1, maximum: 100, source: 'maxResultsPerPage: "The value must be between 1 and 100."' },
		{ kind: 'atLeastOne', params: ['createdAfter', 'lastUpdatedAfter'], source: 'createdAfter: "You must provide exactly one of `createdAfter` and `lastUpdatedAfter`"' },
		{
			kind: 'exclusiveGroups',
			groups: [
				['createdAfter', 'createdBefore'],
				['lastUpdatedAfter', 'lastUpdatedBefore'],
			],
			source: 'createdAfter / createdBefore: "neither `lastUpdatedAfter` nor `lastUpdatedBefore` may be provided"',
		},
	],
	'reports_2021-06-30#getReports': [
		{ kind: 'atLeastOne', params: ['reportTypes', 'nextToken'], source: 'reportTypes: "Either reportTypes or nextToken is required."' },
		{ kind: 'onlyParameter', param: 'nextToken', source: 'nextToken: "include this token as the only parameter. Specifying `nextToken` with any other parameters will cause the request to fail."' },
	],
	'feeds_2021-06-30#getFeeds': [
		{ kind: 'atLeastOne', params: ['feedTypes', 'nextToken'], source: 'feedTypes: "Either feedTypes or nextToken is required."' },
		{ kind: 'onlyParameter', param: 'nextToken', source: 'nextToken: "include this token as the only parameter. Specifying nextToken with any other parameters will cause the request to fail."' },
	],
	'listingsItems_2021-08-01#searchListingsItems': [
		{ kind: 'together', params: ['identifiers', 'identifiersType'], source: 'identifiers: "This is required when you specify `identifiersType`." / identifiersType: "This is required when `identifiers` is provided."' },
		{
			kind: 'exclusiveGroups',
			groups: [['identifiers'], ['variationParentSku'], ['packageHierarchySku']],
			source: 'identifiers / variationParentSku / packageHierarchySku: "You cannot use … if you specify …"',
		},
	],
	'finances_2024-06-19#listTransactions': [
		{ kind: 'requiredUnless', param: 'postedAfter', unless: ['relatedIdentifierName', 'relatedIdentifierValue'], source: 'postedAfter: "This field is required if you do not specify a related identifier."' },
	],
};

const DOCUMENTED = '(stated in the model\'s description, not in its schema)';

function applyDocumentedRules(rules: DocumentedRule[], query: Map<string, unknown>, push: (where: string, message: string) => void) {
	const has = (name: string) => query.has(name);
	for (const rule of rules) {
		switch (rule.kind) {
			case 'range': {
				const value = query.get(rule.param);
				if (typeof value !== 'number') break;
				if (value < rule.minimum) push(`query.${rule.param}`, `${value} is less than the minimum ${rule.minimum} ${DOCUMENTED}`);
				if (value > rule.maximum) push(`query.${rule.param}`, `${value} is greater than the maximum ${rule.maximum} ${DOCUMENTED}`);
				break;
			}
			case 'atLeastOne':
				if (!rule.params.some(has)) push('query', `one of ${rule.params.join(', ')} is required ${DOCUMENTED}`);
				break;
			case 'exclusiveGroups': {
				const used = rule.groups.map((group) => group.filter(has)).filter((names) => names.length > 0);
				if (used.length > 1) push('query', `${used.map((names) => names.join('+')).join(' and ')} cannot be combined ${DOCUMENTED}`);
				break;
			}
			case 'onlyParameter':
				if (has(rule.param)) {
					const others = [...query.keys()].filter((name) => name !== rule.param);
					if (others.length) push('query', `${rule.param} must be the only parameter, but ${others.join(', ')} ${others.length === 1 ? 'was' : 'were'} sent too ${DOCUMENTED}`);
				}
				break;
			case 'together': {
				const present = rule.params.filter(has);
				if (present.length && present.length < rule.params.length) push('query', `${rule.params.filter((p) => !has(p)).join(', ')} is required when ${present.join(', ')} is sent ${DOCUMENTED}`);
				break;
			}
			case 'requiredUnless':
				if (!has(rule.param) && !rule.unless.every(has)) push(`query.${rule.param}`, `required unless ${rule.unless.join(' and ')} are given ${DOCUMENTED}`);
				break;
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Request validation

const SPAPI_HOST = /^(sandbox\.)?sellingpartnerapi-(na|eu|fe)\.amazon\.com$/i;
/** The header the transport adds; never required from callers. */
const ACCESS_TOKEN_HEADER = 'x-amz-access-token';
/** RFC 3986 `pchar` (plus `%` of a percent-encoding). */
const PCHAR = /[^A-Za-z0-9\-._~!$&'()*+,;=:@%]/g;

function queryValues(value: unknown): string[] | undefined {
	if (value === undefined) return undefined;
	if (Array.isArray(value)) return value.length ? value.map((v) => String(v)) : undefined;
	return [String(value)];
}

function mergeQueryString(query: Map<string, string[]>, search: string) {
	for (const [key, value] of new URLSearchParams(search)) {
		const list = query.get(key) ?? [];
		list.push(value);
		query.set(key, list);
	}
}

/** Validates one request against the operation it addresses. */
export function validateSpApiRequest(request: SpApiRequest, options: ValidateOptions = {}, models: SpApiModels = loadSpApiModels()): SpApiValidationResult {
	const violations: string[] = [];
	const info: string[] = [];
	const method = request.method.toUpperCase();
	let rawPath = request.path;
	let host = request.host;
	const query = new Map<string, string[]>();
	for (const [key, value] of Object.entries(request.query ?? {})) {
		const values = queryValues(value);
		if (values) query.set(key, values);
	}
	if (/^https?:\/\//i.test(rawPath)) {
		const url = new URL(rawPath);
		host = host ?? url.host;
		rawPath = url.pathname + url.search;
	}
	const q = rawPath.indexOf('?');
	let rawQueryHasPlus = false;
	if (q >= 0) {
		const search = rawPath.slice(q + 1);
		rawQueryHasPlus = search.includes('+');
		mergeQueryString(query, search);
		rawPath = rawPath.slice(0, q);
	}
	if (!rawPath.startsWith('/')) {
		violations.push(`path ${describe(rawPath)} must start with "/"`);
		return { deprecated: false, violations, info };
	}

	const match = findOperation(method, rawPath, models);
	if (!match) {
		const segments = rawPath.split('/').slice(1);
		const otherMethods = models.operations.filter((op) => matchSegments(op, segments)).map((op) => op.method);
		violations.push(
			otherMethods.length
				? `no SP-API operation for ${method} ${rawPath}; the path exists for ${[...new Set(otherMethods)].join(', ')}`
				: `no SP-API operation matches ${method} ${rawPath} (unknown operation)`,
		);
		return { deprecated: false, violations, info };
	}

	const op = match.operation;
	const prefix = `${op.operationId} [${op.model}]`;
	const violation = (where: string, message: string) => violations.push(`${prefix} ${where}: ${message}`);
	const note = (message: string) => info.push(`${prefix} ${message}`);
	const pushIssues = (issues: SchemaIssue[]) => issues.forEach((issue) => violation(issue.path, issue.message));

	if (op.deprecated) note(`operation is deprecated: ${op.deprecation}`);
	if (rawQueryHasPlus) note('query string: a raw "+" is read as a space; tokens containing "+" must be sent as %2B');
	if (host !== undefined) {
		const bareHost = host.replace(/:\d+$/, '');
		if (!SPAPI_HOST.test(bareHost)) note(`host ${host} is not an SP-API endpoint (fine for a local mock)`);
		else if (op.sandboxOnly && !/^sandbox\./i.test(bareHost)) violation('host', `sandbox-only operation (x-amzn-api-sandbox-only) sent to the production host ${host}`);
	} else if (op.sandboxOnly) {
		note('is a sandbox-only operation (x-amzn-api-sandbox-only); it does not exist on production hosts');
	}

	// Path parameters
	for (const param of op.parameters.filter((p) => p.in === 'path')) {
		const raw = match.rawPathParams[param.name];
		const where = `path.${param.name}`;
		if (raw === undefined) {
			violation(where, 'declared by the operation but not in its path template');
			continue;
		}
		const unsafe = [...new Set(raw.match(PCHAR) ?? [])];
		if (unsafe.length) violation(where, `contains characters that must be percent-encoded: ${unsafe.map((c) => JSON.stringify(c)).join(' ')}`);
		if (/%(?![0-9A-Fa-f]{2})/.test(raw)) {
			violation(where, `malformed percent-encoding in ${describe(raw)}`);
			continue;
		}
		let decoded: string;
		try {
			decoded = decodeURIComponent(raw);
		} catch {
			violation(where, `percent-encoding of ${describe(raw)} is not valid UTF-8`);
			continue;
		}
		if (raw.includes('+')) note(`${where}: raw "+" in the path; encodeURIComponent would send %2B (a server that reads "+" as a space would see another SKU)`);
		const checked = checkParameter(param, [decoded], where);
		pushIssues(checked.issues);
		checked.info.forEach(note);
	}

	// Query parameters
	const queryParams = op.parameters.filter((p) => p.in === 'query');
	const typedQuery = new Map<string, unknown>();
	for (const [name, values] of query) {
		const param = queryParams.find((p) => p.name === name);
		if (!param) {
			const near = queryParams.find((p) => p.name.toLowerCase() === name.toLowerCase());
			violation(`query.${name}`, `unknown query parameter${near ? ` (did you mean "${near.name}"?)` : ''}`);
			continue;
		}
		const checked = checkParameter(param, values, `query.${name}`);
		pushIssues(checked.issues);
		checked.info.forEach(note);
		typedQuery.set(name, checked.typed);
	}
	for (const param of queryParams) {
		if (param.required && !query.has(param.name)) violation(`query.${param.name}`, 'required parameter is missing');
	}

	// Header parameters (case-insensitive names)
	const headers = new Map<string, string[]>();
	for (const [name, value] of Object.entries(request.headers ?? {})) {
		if (value === undefined) continue;
		const list = headers.get(name.toLowerCase()) ?? [];
		list.push(...(Array.isArray(value) ? value : [value]));
		headers.set(name.toLowerCase(), list);
	}
	for (const param of op.parameters.filter((p) => p.in === 'header')) {
		const key = param.name.toLowerCase();
		const values = headers.get(key);
		if (!values) {
			if (param.required && key !== ACCESS_TOKEN_HEADER) violation(`header.${param.name}`, 'required header is missing');
			continue;
		}
		const checked = checkParameter(param, values, `header.${param.name}`);
		pushIssues(checked.issues);
	}

	// Body
	const bodyParam = op.bodyParameter;
	let body = request.body;
	let unparsable = false;
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string' && op.consumes.some((c) => /json/i.test(c))) {
		try {
			body = JSON.parse(body);
		} catch {
			violation('body', 'is not valid JSON');
			unparsable = true;
		}
	}
	if (unparsable) {
		// reported above
	} else if (!bodyParam) {
		if (body !== undefined) violation('body', 'the operation takes no request body');
	} else if (body === undefined) {
		if (bodyParam.required) violation('body', `required request body (${bodyParam.name}) is missing`);
	} else {
		const contentType = headers.get('content-type')?.[0];
		if (contentType && !op.consumes.some((c) => contentType.toLowerCase().startsWith(c.toLowerCase()))) {
			violation('header.content-type', `${describe(contentType)} but the operation consumes ${op.consumes.join(', ')}`);
		}
		const model = models.models.get(op.model) as SpApiModel;
		pushIssues(
			checkSchema(bodyParam.schema ?? true, body, {
				resolveRef: model.resolve,
				rootPath: 'body',
				unknownProperties: options.unknownBodyProperties ?? 'error',
			}),
		);
	}

	// Constraints from the prose
	if (options.documentedRules !== false) {
		const rules = DOCUMENTED_RULES[`${op.model}#${op.operationId}`];
		if (rules) applyDocumentedRules(rules, typedQuery, violation);
	}

	return { operationId: op.operationId, model: op.model, pathTemplate: op.path, deprecated: op.deprecated, violations, info };
}

/**
 * Like {@link validateSpApiRequest} but throws one error listing every violation; returns the
 * result otherwise (for use inside a nock reply callback or a transport test).
 */
export function assertValidSpApiRequest(request: SpApiRequest, options: ValidateOptions = {}): SpApiValidationResult {
	const result = validateSpApiRequest(request, options);
	if (result.violations.length) {
		throw new Error(`${request.method.toUpperCase()} ${request.path} violates the SP-API contract:\n- ${result.violations.join('\n- ')}`);
	}
	return result;
}

// ---------------------------------------------------------------------------------------------
// Building requests (for tests and for the sandbox self-check)

/**
 * Builds the request a correct client sends for `values` (by parameter name): path values
 * percent-encoded with encodeURIComponent, arrays joined per `collectionFormat` (csv default) or
 * repeated (`multi`), the body parameter's value as `body`.
 */
export function buildSpApiRequest(operation: SpApiOperation, values: Record<string, unknown>, host?: string): SpApiRequest {
	const query: Record<string, string | string[]> = {};
	const headers: Record<string, string> = {};
	let body: unknown;
	let p = operation.path;
	for (const param of operation.parameters) {
		if (!(param.name in values) || values[param.name] === undefined) continue;
		const value = values[param.name];
		const asString = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
		switch (param.in) {
			case 'path':
				p = p.replace(`{${param.name}}`, encodeURIComponent(asString(value)));
				break;
			case 'query':
				if (Array.isArray(value)) {
					const format = param.collectionFormat ?? 'csv';
					query[param.name] = format === 'multi' ? value.map(asString) : value.map(asString).join(SEPARATORS[format] ?? ',');
				} else {
					query[param.name] = asString(value);
				}
				break;
			case 'header':
				headers[param.name] = asString(value);
				break;
			case 'body':
				body = value;
				break;
			default:
				break;
		}
	}
	if (body !== undefined) headers['content-type'] = 'application/json';
	return { method: operation.method, path: p, query, headers, body, host };
}

/** A minimal value satisfying `schema` (required properties only), for filling gaps in examples. */
export function sampleValue(schema: Schema, resolve: (ref: string) => Schema, hint = 'SAMPLE', depth = 0): unknown {
	if (depth > 20) throw new Error('sampleValue: schema too deep');
	if (typeof schema !== 'object' || schema === null) return hint;
	const s = schema;
	if (typeof s.$ref === 'string') return sampleValue(resolve(s.$ref), resolve, hint, depth + 1);
	if ('const' in s) return s.const;
	if (Array.isArray(s.enum)) return s.enum[0];
	if (s.example !== undefined) return s.example;
	if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((sub) => sampleValue(sub as Schema, resolve, hint, depth + 1)));
	const type = s.type ?? (s.properties ? 'object' : s.items ? 'array' : 'string');
	switch (type) {
		case 'object': {
			const out: Json = {};
			const props = (s.properties ?? {}) as Record<string, Schema>;
			for (const name of (s.required as string[] | undefined) ?? []) out[name] = sampleValue(props[name] ?? true, resolve, name, depth + 1);
			return out;
		}
		case 'array': {
			const count = Math.max(typeof s.minItems === 'number' ? s.minItems : 1, 1);
			return Array.from({ length: count }, () => sampleValue((s.items as Schema) ?? true, resolve, hint, depth + 1));
		}
		case 'integer':
		case 'number':
			return typeof s.minimum === 'number' ? s.minimum + (s.exclusiveMinimum === true ? 1 : 0) : 1;
		case 'boolean':
			return false;
		default: {
			if (s.format === 'date-time') return '2024-01-01T00:00:00Z';
			if (s.format === 'date') return '2024-01-01';
			if (typeof s.pattern === 'string') throw new Error(`sampleValue: cannot synthesize a value for pattern ${s.pattern}`);
			const min = typeof s.minLength === 'number' ? s.minLength : 0;
			return hint.length >= min ? hint : hint.padEnd(min, 'X');
		}
	}
}

export interface SandboxExample {
	model: string;
	operationId: string;
	/** HTTP status of the response the example belongs to, e.g. `200`, `400`. */
	status: string;
	/** Index among the operation's static examples for that status. */
	index: number;
	/** The example's parameter values, by model parameter name. */
	values: Record<string, unknown>;
	/** Required parameters the example leaves out, filled with {@link sampleValue}. */
	filled: string[];
	/** Example keys that are not parameter names but were mapped (`body` → the body parameter's name). */
	renamed: string[];
	/** Example entries without a `value` (ignored), e.g. listings' `"body": {}`. */
	ignored: string[];
	/** Example keys matching no parameter of the operation. */
	unmatched: string[];
	/**
	 * The example with every required gap filled (the static sandbox matches on the given
	 * parameters only, anything else is free): what a correct client would send.
	 */
	request: SpApiRequest;
}

/** Every `x-amzn-api-sandbox.static` request example of every model, as a ready request. */
export function sandboxExamples(models: SpApiModels = loadSpApiModels()): SandboxExample[] {
	const out: SandboxExample[] = [];
	for (const model of models.models.values()) {
		for (const op of model.operations) {
			for (const [status, response] of Object.entries((op.raw.responses ?? {}) as Record<string, Json>)) {
				const sandbox = response['x-amzn-api-sandbox'] as { static?: Array<{ request?: { parameters?: Record<string, Json> } }> } | undefined;
				(sandbox?.static ?? []).forEach((example, index) => {
					const values: Record<string, unknown> = {};
					const filled: string[] = [];
					const renamed: string[] = [];
					const ignored: string[] = [];
					const unmatched: string[] = [];
					for (const [key, entry] of Object.entries(example.request?.parameters ?? {})) {
						if (!entry || typeof entry !== 'object' || !('value' in entry)) {
							ignored.push(key);
							continue;
						}
						let param = op.parameters.find((p) => p.name === key);
						if (!param && key === 'body' && op.bodyParameter) {
							param = op.bodyParameter;
							renamed.push(`body→${param.name}`);
						}
						if (!param) {
							unmatched.push(key);
							continue;
						}
						values[param.name] = entry.value;
					}
					for (const param of op.parameters) {
						if (!param.required || param.name in values) continue;
						if (param.in === 'header' && param.name.toLowerCase() === ACCESS_TOKEN_HEADER) continue;
						const schema = param.in === 'body' ? (param.schema ?? true) : parameterSchema(param);
						values[param.name] = sampleValue(schema, model.resolve, param.in === 'path' ? `SAMPLE-${param.name}` : 'SAMPLE');
						filled.push(param.name);
					}
					out.push({
						model: model.name,
						operationId: op.operationId,
						status,
						index,
						values,
						filled,
						renamed,
						ignored,
						unmatched,
						request: buildSpApiRequest(op, values),
					});
				});
			}
		}
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// JSON Schema documents (listings feed, notifications)

const documentCache = new Map<string, Json>();

/** Loads one of the JSON Schema documents stored next to the models (e.g. `listings-feed-schema-v2.json`). */
export function loadJsonSchemaDocument(file: string, dir: string = defaultModelsDir()): Json {
	const full = path.resolve(dir, file);
	let doc = documentCache.get(full);
	if (!doc) {
		doc = readJson(full);
		const unsupported = findUnsupportedKeywords(doc as Schema);
		if (unsupported.length) throw new Error(`${file}: schema keywords not supported by the checker: ${unsupported.join('; ')}`);
		documentCache.set(full, doc);
	}
	return doc;
}

function validateAgainstDocument(file: string, document: unknown, unknownProperties: 'allow' | 'error', dir?: string): string[] {
	const schema = loadJsonSchemaDocument(file, dir);
	return checkSchema(schema as Schema, document, {
		resolveRef: (ref) => {
			const target = resolvePointer(schema, ref);
			if (target === undefined) throw new Error(`${file}: cannot resolve $ref ${ref}`);
			return target as Schema;
		},
		unknownProperties,
		rootPath: '$',
	}).map((issue) => `${issue.path}: ${issue.message}`);
}

/**
 * Validates a JSON_LISTINGS_FEED document against `listings-feed-schema-v2.json` (draft-07:
 * `const`, `oneOf` per operationType, boolean `false` subschemas, `minProperties`). Properties
 * the schema does not define are reported too unless `unknownProperties: 'allow'`.
 */
export function validateJsonListingsFeed(document: unknown, options: { unknownProperties?: 'allow' | 'error'; dir?: string } = {}): { violations: string[] } {
	return { violations: validateAgainstDocument('listings-feed-schema-v2.json', document, options.unknownProperties ?? 'error', options.dir) };
}

export const NOTIFICATION_SCHEMAS: Record<string, string> = {
	ORDER_CHANGE: 'OrderChangeNotification.json',
	REPORT_PROCESSING_FINISHED: 'ReportProcessingFinishedNotification.json',
	TRANSACTION_UPDATE: 'TransactionUpdateNotification.json',
	FBA_INVENTORY_AVAILABILITY_CHANGES: 'FBAInventoryAvailabilityChangeNotification.json',
	LISTINGS_ITEM_MFN_QUANTITY_CHANGE: 'ListingsItemMfnQuantityChange.json',
};

/**
 * Validates a received notification payload (the SQS message body, parsed) against Amazon's
 * schema for its type. Open world: new fields Amazon adds are not violations.
 */
export function validateNotificationPayload(notificationType: keyof typeof NOTIFICATION_SCHEMAS | string, payload: unknown, options: { dir?: string } = {}): { violations: string[] } {
	const file = NOTIFICATION_SCHEMAS[notificationType];
	if (!file) throw new Error(`No stored schema for notification type ${notificationType}; known: ${Object.keys(NOTIFICATION_SCHEMAS).join(', ')}`);
	return { violations: validateAgainstDocument(file, payload, 'allow', options.dir) };
}

/** Checks `document` against any stored JSON Schema file (e.g. the feed processing report). */
export function validateJsonSchemaFile(file: string, document: unknown, options: { unknownProperties?: 'allow' | 'error'; dir?: string } = {}): { violations: string[] } {
	return { violations: validateAgainstDocument(file, document, options.unknownProperties ?? 'allow', options.dir) };
}

/** Every `$ref` used in a schema document (re-exported for tests). */
export { collectRefs };

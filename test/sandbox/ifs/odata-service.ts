/**
 * The OData v4 service of one projection request: resolves the resource path, then reads
 * (collections with paging, single entities, $count, functions) or writes (create, update /
 * upsert, delete, actions) against the store.
 *
 * Choices where IFS behaviour is not documented (see the reference's "Inferred" notes):
 * - DELETE and ETag-guarded bound actions without If-Match answer 400 ODP_MISSING_PRECONDITION
 *   (the IFS-style code public integrators report), not 428.
 * - If-Match naming a row that does not exist answers 404 (PATCH with If-Match and DELETE).
 * - PATCH without If-Match on a set that does not allow create (VoucherSet), or whose keys the
 *   server assigns (ShipmentSet, VoucherEntrySet), answers 404 when the row is missing.
 * - An action returning a structure answers with the structure's properties at the top level
 *   next to @odata.context (OData JSON format for a single complex value), not inside `value`.
 * - Stale If-Match -> 412 ODP_PRECONDITION_FAILED with the IFS FND_MODIFIED text.
 * - PUT answers 405; If-None-Match is ignored (IFS does not support it).
 * - Server-driven paging uses $skip in @odata.nextLink (offset paging, so inserts between pages
 *   can shift rows, as IFS warns); `Prefer: odata.maxpagesize=N` lowers the page size.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { coerceJsonValue, formatKeyPredicate } from './edm-values';
import {
	badRequest,
	deserializationError,
	ErrorCode,
	methodNotAllowed,
	notFound,
	notSupported,
	ODataError,
} from './errors';
import type { FaultController } from './faults';
import { buildMetadataXml, buildServiceDocument } from './metadata';
import {
	typeName,
	type ActionDef,
	type Deployment,
	type EntityTypeDef,
	type FunctionDef,
	type ParameterDef,
	type ProjectionDef,
	type PropertyDef,
	type ReturnTypeDef,
	type RowValues,
	type Value,
} from './model';
import { compileFilter, compileOrderBy, sortRows, type FilterScope } from './odata-filter';
import {
	buildQueryString,
	decodeStrict,
	parseExpand,
	parseFunctionParameters,
	parseKeyPredicate,
	parseSegment,
	parseSelect,
	parseSystemQueryOptions,
	splitPath,
	type ExpandItem,
	type QueryPair,
	type SystemQueryOptions,
} from './odata-query';
import { etagOf, luLabel, type Database, type StoredRow, type Table } from './store';

export interface ServiceRequest {
	method: string;
	deployment: Deployment;
	projection: ProjectionDef;
	/** Still percent-encoded path after `<Projection>.svc`, e.g. '' or `/CustomerOrderSet('C1')`. */
	resourcePath: string;
	query: QueryPair[];
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** Absolute service root, e.g. http://127.0.0.1:1234/int/ifsapplications/projection/v1/X.svc */
	serviceRoot: string;
	/** IAM client id of the access token (the IFS user actions record). */
	user?: string;
}

export interface ServiceResponse {
	status: number;
	headers: Record<string, string>;
	body?: string;
	/** Collection reads get the "page latency" fault. */
	collectionRead?: boolean;
}

export interface ServiceContext {
	db(): Database;
	faults: FaultController;
	maxPageSize: number;
	nextLinkStyle: 'absolute' | 'relative';
	now(): number;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';

interface CollectionTarget {
	table: Table;
	/** Values fixed by the navigation the collection was reached through. */
	fixed: RowValues;
}

interface EntityTarget {
	table: Table;
	keys: RowValues;
	row: StoredRow | undefined;
	fixed: RowValues;
	/** Reached through a single-valued navigation (no create/delete through it). */
	viaSingleNavigation: boolean;
}

type Resolved =
	| { kind: 'serviceDocument' }
	| { kind: 'metadata' }
	| { kind: 'collection'; target: CollectionTarget }
	| { kind: 'count'; target: CollectionTarget }
	| { kind: 'entity'; target: EntityTarget }
	| { kind: 'boundAction'; action: ActionDef; target: EntityTarget }
	| { kind: 'unboundAction'; action: ActionDef }
	| { kind: 'function'; fn: FunctionDef; args: string };

function json(status: number, body: unknown, headers: Record<string, string> = {}): ServiceResponse {
	return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

function empty(status: number, headers: Record<string, string> = {}): ServiceResponse {
	return { status, headers };
}

function parsePrefer(headers: IncomingHttpHeaders): { returnMinimal?: boolean; maxPageSize?: number } {
	const raw = ([] as string[]).concat(headers.prefer ?? []).join(',');
	const out: { returnMinimal?: boolean; maxPageSize?: number } = {};
	for (const token of raw.split(/[,;]/).map((t) => t.trim().toLowerCase())) {
		if (token === 'return=minimal') out.returnMinimal = true;
		else if (token === 'return=representation') out.returnMinimal = false;
		else if (token.startsWith('odata.maxpagesize=')) {
			const n = Number(token.slice('odata.maxpagesize='.length));
			if (Number.isInteger(n) && n > 0) out.maxPageSize = n;
		}
	}
	return out;
}

/** If-Match values: '*' or a comma-separated list of (weak) entity tags. */
function parseIfMatch(headers: IncomingHttpHeaders): string[] | undefined {
	const raw = headers['if-match'];
	if (raw === undefined) return undefined;
	const tags: string[] = [];
	let current = '';
	let quoted = false;
	for (const c of String(raw)) {
		if (c === '"') quoted = !quoted;
		if (c === ',' && !quoted) {
			tags.push(current.trim());
			current = '';
		} else current += c;
	}
	tags.push(current.trim());
	return tags.filter((t) => t !== '');
}

function readJsonBody(headers: IncomingHttpHeaders, body: Buffer): Record<string, unknown> {
	const contentType = String(headers['content-type'] ?? '').toLowerCase();
	if (!/^application\/json(\s*;|$)/.test(contentType)) {
		throw deserializationError(`Content-Type must be application/json, got '${contentType || '(none)'}'`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(body.toString('utf8'));
	} catch {
		throw deserializationError('The request body is not valid JSON');
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw deserializationError('The request body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}

function isAnnotation(name: string): boolean {
	return name.includes('@');
}

export class ODataService {
	private readonly metadataCache = new Map<string, string>();
	private readonly resultCache = new WeakMap<Table, Map<string, StoredRow[]>>();
	private readonly scopeCache = new WeakMap<Table, FilterScope<StoredRow>>();

	constructor(private readonly ctx: ServiceContext) {}

	handle(req: ServiceRequest): ServiceResponse {
		const resolved = this.resolve(req);
		const method = req.method === 'HEAD' ? 'GET' : req.method;
		switch (resolved.kind) {
			case 'serviceDocument':
				this.allow(method, ['GET']);
				return json(200, buildServiceDocument(req.projection, req.serviceRoot));
			case 'metadata':
				this.allow(method, ['GET']);
				return { status: 200, headers: { 'Content-Type': 'application/xml' }, body: this.metadata(req.projection) };
			case 'collection':
				this.allow(method, ['GET', 'POST']);
				return method === 'GET' ? this.readCollection(req, resolved.target) : this.create(req, resolved.target);
			case 'count':
				this.allow(method, ['GET']);
				return this.readCount(req, resolved.target);
			case 'entity':
				if (method === 'PUT') throw methodNotAllowed('PUT is not supported; use PATCH', ['GET', 'PATCH', 'DELETE']);
				this.allow(method, ['GET', 'PATCH', 'DELETE']);
				if (method === 'GET') return this.readEntity(req, resolved.target);
				if (method === 'PATCH') return this.update(req, resolved.target);
				return this.remove(req, resolved.target);
			case 'boundAction':
				this.allow(method, ['POST']);
				return this.invokeBoundAction(req, resolved.action, resolved.target);
			case 'unboundAction':
				this.allow(method, ['POST']);
				return this.invokeUnboundAction(req, resolved.action);
			case 'function':
				this.allow(method, ['GET']);
				return this.invokeFunction(req, resolved.fn, resolved.args);
		}
	}

	private allow(method: string, allowed: string[]): void {
		if (!allowed.includes(method)) {
			throw methodNotAllowed(`Method ${method} is not allowed on this resource`, allowed);
		}
	}

	private metadata(p: ProjectionDef): string {
		let xml = this.metadataCache.get(p.name);
		if (!xml) {
			xml = buildMetadataXml(p);
			this.metadataCache.set(p.name, xml);
		}
		return xml;
	}

	// ---- resource path ------------------------------------------------------------------------

	private resolve(req: ServiceRequest): Resolved {
		const p = req.projection;
		const db = this.ctx.db();
		const decoded = decodeStrict(req.resourcePath.replace(/^\//, ''), 'the resource path');
		if (decoded === '') return { kind: 'serviceDocument' };
		const segments = splitPath(decoded);
		const first = parseSegment(segments[0]);
		if (first.name === '$metadata' && segments.length === 1 && first.args === undefined) return { kind: 'metadata' };
		if (first.name === '$batch' || first.name === '$openapi') {
			throw new ODataError(501, ErrorCode.notImplemented, `The IFS sandbox does not implement ${first.name}`);
		}
		const set = p.entitySets.find((s) => s.name === first.name);
		if (!set) {
			const action = p.actions.find((a) => !a.boundTo && a.name === first.name);
			if (action && segments.length === 1 && first.args === undefined) return { kind: 'unboundAction', action };
			const fn = p.functions.find((f) => f.name === first.name);
			if (fn && segments.length === 1 && first.args !== undefined) return { kind: 'function', fn, args: first.args };
			throw notFound(`Resource '${first.name}' was not found in projection ${p.name}`);
		}
		const table = db.table(p.name, set.name);
		let current: Resolved =
			first.args === undefined
				? { kind: 'collection', target: { table, fixed: {} } }
				: { kind: 'entity', target: this.entityTarget(table, parseKeyPredicate(first.args, set.entityType), {}, false) };

		for (let i = 1; i < segments.length; i++) {
			const seg = parseSegment(segments[i]);
			const last = i === segments.length - 1;
			if (current.kind === 'collection') {
				if (seg.name === '$count' && seg.args === undefined && last) {
					current = { kind: 'count', target: current.target };
					continue;
				}
				throw notFound(`Segment '${segments[i]}' is not valid after an entity set`);
			}
			if (current.kind !== 'entity') throw badRequest(`Segment '${segments[i]}' is not allowed here`);
			const target: EntityTarget = current.target;
			const type = target.table.type;
			const nav = type.navigationMap.get(seg.name);
			if (nav) {
				if (!target.row) throw this.rowNotFound(target.table, target.keys);
				const fixed: RowValues = {};
				for (const c of nav.on) fixed[c.targetProperty] = target.row.values[c.sourceProperty];
				const navTable = db.table(p.name, nav.targetSet);
				if (nav.collection) {
					current =
						seg.args === undefined
							? { kind: 'collection', target: { table: navTable, fixed } }
							: { kind: 'entity', target: this.entityTarget(navTable, parseKeyPredicate(seg.args, navTable.type, fixed), fixed, false) };
				} else {
					if (seg.args !== undefined) throw badRequest(`'${nav.name}' is single-valued and takes no key`);
					current = { kind: 'entity', target: this.entityTarget(navTable, fixed, {}, true) };
				}
				continue;
			}
			if (seg.name.startsWith(`${p.namespace}.`) && last && seg.args === undefined) {
				const actionName = seg.name.slice(p.namespace.length + 1);
				const action = p.actions.find((a) => a.boundTo === target.table.set.name && a.name === actionName);
				if (!action) throw notFound(`Bound action '${seg.name}' does not exist for ${target.table.set.name}`);
				current = { kind: 'boundAction', action, target };
				continue;
			}
			if (type.propertyMap.has(seg.name)) {
				throw new ODataError(501, ErrorCode.notImplemented, 'The IFS sandbox does not implement addressing single properties');
			}
			throw notFound(`Segment '${seg.name}' was not found on ${type.name}`);
		}
		return current;
	}

	private entityTarget(table: Table, keys: RowValues, fixed: RowValues, viaSingleNavigation: boolean): EntityTarget {
		const row = table.getRow(keys);
		// A row reached through a navigation must belong to the parent.
		const belongs = row !== undefined && Object.entries(fixed).every(([k, v]) => row.values[k] === v);
		return { table, keys, row: belongs ? row : undefined, fixed, viaSingleNavigation };
	}

	private rowNotFound(table: Table, keys: RowValues): ODataError {
		return notFound(`${table.type.name}${formatKeyPredicate(table.type, keys)} was not found`);
	}

	// ---- reads --------------------------------------------------------------------------------

	/** $filter over StoredRows, including one-to-one navigation paths like OrderNoRef/CustomerNo. */
	private scope(table: Table): FilterScope<StoredRow> {
		let scope = this.scopeCache.get(table);
		if (scope) return scope;
		const db = this.ctx.db();
		const p = table.projection;
		const type = table.type;
		scope = {
			typeName: `${p.namespace}.${type.name}`,
			property: (name) => type.propertyMap.get(name),
			read: (row, name) => table.valueOf(row, name),
			enumType: (qualified) => p.enumTypes.find((e) => `${p.namespace}.${e.name}` === qualified),
			now: () => this.ctx.now(),
			navigation: (name) => {
				const nav = type.navigationMap.get(name);
				if (!nav) return undefined;
				const target = db.table(p.name, nav.targetSet);
				return {
					collection: nav.collection,
					target: this.scope(target),
					follow: (row) => {
						const keys: RowValues = {};
						for (const c of nav.on) keys[c.targetProperty] = row.values[c.sourceProperty];
						return target.getRow(keys);
					},
				};
			},
		};
		this.scopeCache.set(table, scope);
		return scope;
	}

	/** Rows matching filter + order, cached per table version so paging 100k rows stays fast. */
	private matchingRows(target: CollectionTarget, options: SystemQueryOptions): StoredRow[] {
		const { table, fixed } = target;
		const scope = this.scope(table);
		// Compile first so syntax errors surface even when the result is cached.
		const predicate = options.filter !== undefined ? compileFilter(options.filter, scope) : undefined;
		const order = options.orderby !== undefined ? compileOrderBy(options.orderby, scope) : undefined;
		const cacheKey = `${table.version}\u0000${JSON.stringify(fixed)}\u0000${options.filter ?? ''}\u0000${options.orderby ?? ''}`;
		let perTable = this.resultCache.get(table);
		if (!perTable) {
			perTable = new Map();
			this.resultCache.set(table, perTable);
		}
		const hit = perTable.get(cacheKey);
		if (hit && !/\bnow\(\)/.test(options.filter ?? '')) return hit;
		const fixedEntries = Object.entries(fixed);
		let rows: StoredRow[] = table.rows;
		if (fixedEntries.length > 0 || predicate) {
			rows = rows.filter((row) => fixedEntries.every(([k, v]) => row.values[k] === v) && (!predicate || predicate(row)));
		} else {
			rows = rows.slice();
		}
		if (order) rows = sortRows(rows, order);
		if (perTable.size >= 8) perTable.delete(perTable.keys().next().value as string);
		perTable.set(cacheKey, rows);
		return rows;
	}

	/** JSON representation of a row, as the API returns it (also used by sandbox.data). */
	serialize(table: Table, row: StoredRow, select: Set<string> | undefined = undefined, expand: ExpandItem[] = []): Record<string, unknown> {
		const type = table.type;
		const out: Record<string, unknown> = { '@odata.etag': etagOf(row), luname: type.luname, keyref: table.keyrefOf(row) };
		for (const prop of type.properties) {
			if (prop.name === 'luname' || prop.name === 'keyref') continue;
			if (select && !select.has(prop.name)) continue;
			out[prop.name] = row.values[prop.name] ?? null;
		}
		for (const item of expand) {
			const targetTable = this.ctx.db().table(table.projection.name, item.navigation.targetSet);
			const keys: RowValues = {};
			for (const c of item.navigation.on) keys[c.targetProperty] = row.values[c.sourceProperty];
			const target = targetTable.getRow(keys);
			out[item.navigation.name] = target ? this.serialize(targetTable, target, item.select, item.expand) : null;
		}
		return out;
	}

	private shape(table: Table, options: SystemQueryOptions) {
		const type = table.type;
		const select = options.select !== undefined ? parseSelect(options.select, type) : undefined;
		const expand =
			options.expand !== undefined
				? parseExpand(options.expand, type, (nav) => this.ctx.db().table(table.projection.name, nav.targetSet).type)
				: [];
		return { select, expand };
	}

	private contextUrl(req: ServiceRequest, table: Table, select: Set<string> | undefined, entity: boolean): string {
		const selectPart = select ? `(${[...select].join(',')})` : '';
		return `${req.serviceRoot}/$metadata#${table.set.name}${selectPart}${entity ? '/$entity' : ''}`;
	}

	private readCollection(req: ServiceRequest, target: CollectionTarget): ServiceResponse {
		const options = parseSystemQueryOptions(req.query);
		const { select, expand } = this.shape(target.table, options);
		const rows = this.matchingRows(target, options);
		const prefer = parsePrefer(req.headers);
		const pageLimit = Math.min(this.ctx.maxPageSize, prefer.maxPageSize ?? Number.POSITIVE_INFINITY);
		const skip = options.skip ?? 0;
		const wanted = options.top ?? Number.POSITIVE_INFINITY;
		const page = rows.slice(skip, skip + Math.min(wanted, pageLimit));

		const meta: Record<string, unknown> = { '@odata.context': this.contextUrl(req, target.table, select, false) };
		if (options.count) meta['@odata.count'] = rows.length;
		const served = skip + page.length;
		if (served < rows.length && wanted > page.length) {
			meta['@odata.nextLink'] = this.nextLink(req, served, options.top === undefined ? undefined : wanted - page.length);
		}
		// Plain pages are joined from per-row JSON cached by Objversion: this single-threaded stand-in
		// for a multi-core tenant must not make serialization the bottleneck of concurrent reads.
		const value =
			select || expand.length
				? JSON.stringify(page.map((row) => this.serialize(target.table, row, select, expand)))
				: `[${page.map((row) => this.rowJson(target.table, row)).join(',')}]`;
		const headers: Record<string, string> = { 'Content-Type': JSON_TYPE };
		if (prefer.maxPageSize !== undefined) headers['Preference-Applied'] = `odata.maxpagesize=${pageLimit}`;
		return { status: 200, headers, body: `${JSON.stringify(meta).slice(0, -1)},"value":${value}}`, collectionRead: true };
	}

	private readonly rowJsonCache = new WeakMap<StoredRow, { rev: number; json: string }>();

	/** A row's full JSON, recomputed only when the row changes (computed values included). */
	private rowJson(table: Table, row: StoredRow): string {
		const rev = row.rev ?? 0;
		const cached = this.rowJsonCache.get(row);
		if (cached && cached.rev === rev) return cached.json;
		const json = JSON.stringify(this.serialize(table, row));
		this.rowJsonCache.set(row, { rev, json });
		return json;
	}

	/** Same request with $skip advanced (and $top reduced); other options kept in place. */
	private nextLink(req: ServiceRequest, skip: number, top: number | undefined): string {
		const pairs: QueryPair[] = [];
		let skipSet = false;
		for (const pair of req.query) {
			if (pair.name === '$skip') {
				pairs.push({ name: '$skip', value: String(skip) });
				skipSet = true;
			} else if (pair.name === '$top') {
				if (top !== undefined) pairs.push({ name: '$top', value: String(top) });
			} else pairs.push(pair);
		}
		if (!skipSet) pairs.push({ name: '$skip', value: String(skip) });
		const relative = `${req.resourcePath.replace(/^\//, '')}?${buildQueryString(pairs)}`;
		// Relative links resolve against the @odata.context URL, i.e. the service root.
		return this.ctx.nextLinkStyle === 'relative' ? relative : `${req.serviceRoot}/${relative}`;
	}

	private readCount(req: ServiceRequest, target: CollectionTarget): ServiceResponse {
		const options = parseSystemQueryOptions(req.query);
		const rows = this.matchingRows(target, { filter: options.filter, aliases: options.aliases });
		return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(rows.length) };
	}

	private readEntity(req: ServiceRequest, target: EntityTarget): ServiceResponse {
		const options = parseSystemQueryOptions(req.query);
		for (const name of ['filter', 'orderby', 'top', 'skip', 'count'] as const) {
			if (options[name] !== undefined) throw badRequest(`$${name} is not allowed when reading a single entity`);
		}
		if (!target.row) throw this.rowNotFound(target.table, target.keys);
		const { select, expand } = this.shape(target.table, options);
		const body = {
			'@odata.context': this.contextUrl(req, target.table, select, true),
			...this.serialize(target.table, target.row, select, expand),
		};
		return json(200, body, { ETag: etagOf(target.row) });
	}

	// ---- writes -------------------------------------------------------------------------------

	/** Body properties -> stored values. Unknown names fail; non-writable ones are ignored (IFS). */
	private writableValues(type: EntityTypeDef, namespace: string, body: Record<string, unknown>, mode: 'insert' | 'update'): RowValues {
		const values: RowValues = {};
		for (const [name, raw] of Object.entries(body)) {
			if (isAnnotation(name)) continue;
			const prop = type.propertyMap.get(name);
			if (!prop) {
				if (type.navigationMap.has(name)) throw notSupported(`Deep insert/update through '${name}' is not supported`);
				throw deserializationError(`Property '${name}' does not exist in type '${namespace}.${type.name}'`);
			}
			const writable = mode === 'insert' ? prop.insertable : prop.updatable && !type.keys.includes(name);
			if (!writable) continue;
			values[name] = coerceJsonValue(name, prop.type, prop.nullable || mode === 'insert', prop.maxLength, raw);
		}
		return values;
	}


	private created(req: ServiceRequest, table: Table, row: StoredRow): ServiceResponse {
		const location = `${req.serviceRoot}/${table.set.name}${formatKeyPredicate(table.type, row.values)}`;
		const headers = { ETag: etagOf(row), Location: location, 'OData-EntityId': location };
		if (parsePrefer(req.headers).returnMinimal) return empty(204, { ...headers, 'Preference-Applied': 'return=minimal' });
		return json(201, { '@odata.context': this.contextUrl(req, table, undefined, true), ...this.serialize(table, row, undefined, []) }, headers);
	}

	private create(req: ServiceRequest, target: CollectionTarget): ServiceResponse {
		const { table } = target;
		if (!table.set.crud.create) throw methodNotAllowed(`Create is not allowed on ${table.set.name}`, ['GET']);
		const body = readJsonBody(req.headers, req.body);
		const provided = this.writableValues(table.type, table.projection.namespace, body, 'insert');
		const row = table.create(table.complete(provided, target.fixed));
		return this.created(req, table, row);
	}

	/** concurrentWriter fault: another session changes the row right before this request is evaluated. */
	private interfere(target: EntityTarget): void {
		const { table, row } = target;
		const writer = this.ctx.faults.takeConcurrentWriter(table.projection.name, table.set.name, JSON.stringify({ ...target.keys }));
		if (!writer || !row) return;
		const type = table.type;
		const candidates = type.properties.filter((p) => !type.keys.includes(p.name) && p.updatable);
		const field =
			writer.field ??
			(candidates.find((p) => p.nullable && p.type.kind === 'primitive' && p.type.edm === 'Edm.String') ?? candidates[0] ?? type.properties.find((p) => !type.keys.includes(p.name)))!.name;
		const prop = type.propertyMap.get(field);
		if (!prop) throw new Error(`concurrentWriter: ${type.name} has no property ${field}`);
		const previousValue = row.values[field] ?? null;
		const previousEtag = etagOf(row);
		const newValue = changedValue(prop, previousValue, this.ctx.faults.concurrentWrites.length + 1);
		table.update(row, { [field]: newValue });
		this.ctx.faults.recordConcurrentWrite({
			projection: table.projection.name,
			entitySet: table.set.name,
			keys: { ...target.keys },
			field,
			previousValue,
			newValue,
			previousEtag,
			newEtag: etagOf(row),
			at: this.ctx.now(),
		});
	}

	/** Optimistic concurrency check; returns whether the row may be written. */
	private checkEtag(target: EntityTarget, ifMatch: string[]): StoredRow {
		if (!target.row) throw this.rowNotFound(target.table, target.keys);
		if (ifMatch.includes('*')) return target.row;
		const current = etagOf(target.row);
		if (!ifMatch.includes(current)) {
			const lu = target.table.type.luname;
			throw new ODataError(
				412,
				ErrorCode.preconditionFailed,
				`ORA-20114: ${lu}.FND_MODIFIED: The ${luLabel(lu)} record has already been changed. Please refresh the record and reenter your changes.`,
			);
		}
		return target.row;
	}

	private updated(req: ServiceRequest, table: Table, row: StoredRow): ServiceResponse {
		const headers = { ETag: etagOf(row) };
		if (parsePrefer(req.headers).returnMinimal) return empty(204, { ...headers, 'Preference-Applied': 'return=minimal' });
		return json(200, { '@odata.context': this.contextUrl(req, table, undefined, true), ...this.serialize(table, row, undefined, []) }, headers);
	}

	private update(req: ServiceRequest, target: EntityTarget): ServiceResponse {
		const { table } = target;
		if (!table.set.crud.update) throw methodNotAllowed(`Update is not allowed on ${table.set.name}`, ['GET']);
		const body = readJsonBody(req.headers, req.body);
		const ifMatch = parseIfMatch(req.headers);
		if (ifMatch !== undefined) this.interfere(target);

		if (ifMatch === undefined && !target.row) {
			// Upsert (IFS "Entity Upserts"): PATCH without If-Match creates the row; keys come from the URL.
			if (!table.set.crud.create || target.viaSingleNavigation) throw this.rowNotFound(table, target.keys);
			// IFS: an upsert fails when a key is not insertable (the server assigns it).
			const assigned = table.type.keys.filter((k) => !table.type.propertyMap.get(k)!.insertable);
			if (assigned.length > 0) {
				const error = this.rowNotFound(table, target.keys);
				throw new ODataError(404, error.code, `${error.message}; ${assigned.join(', ')} is assigned by the server, create the row with POST`);
			}
			const withoutKeys = { ...body };
			for (const key of table.type.keys) delete withoutKeys[key];
			const provided = this.writableValues(table.type, table.projection.namespace, withoutKeys, 'insert');
			const row = table.create(table.complete(provided, { ...target.keys, ...target.fixed }));
			return this.created(req, table, row);
		}
		const row = ifMatch === undefined ? target.row! : this.checkEtag(target, ifMatch);
		const changes = this.writableValues(table.type, table.projection.namespace, body, 'update');
		table.update(row, changes);
		return this.updated(req, table, row);
	}

	private remove(req: ServiceRequest, target: EntityTarget): ServiceResponse {
		const { table } = target;
		if (!table.set.crud.delete || target.viaSingleNavigation) {
			throw methodNotAllowed(`Delete is not allowed on ${table.set.name}`, ['GET', 'PATCH']);
		}
		const ifMatch = parseIfMatch(req.headers);
		if (ifMatch === undefined) {
			throw new ODataError(400, ErrorCode.missingPrecondition, 'The request must contain an If-Match header (ETag) to delete this entity.');
		}
		const row = this.checkEtag(target, ifMatch);
		table.delete(row);
		return empty(204);
	}

	// ---- actions and functions -----------------------------------------------------------------

	private parameters(defs: ParameterDef[], raw: Record<string, unknown>): Record<string, Value> {
		const params: Record<string, Value> = {};
		for (const name of Object.keys(raw)) {
			if (!isAnnotation(name) && !defs.some((d) => d.name === name)) throw deserializationError(`Unknown parameter '${name}'`);
		}
		for (const def of defs) {
			if (!(def.name in raw)) {
				if (!def.nullable) throw badRequest(`Missing required parameter '${def.name}'`, ErrorCode.deserialization);
				params[def.name] = null;
				continue;
			}
			params[def.name] = coerceJsonValue(def.name, def.type, def.nullable, def.maxLength, raw[def.name]);
		}
		return params;
	}

	private actionBody(req: ServiceRequest): Record<string, unknown> {
		// An action without parameters may be posted with an empty body.
		if (req.body.length === 0) return {};
		return readJsonBody(req.headers, req.body);
	}

	private result(req: ServiceRequest, p: ProjectionDef, returnType: ReturnTypeDef | undefined, value: Value | RowValues | void): ServiceResponse {
		if (!returnType) return empty(204);
		const context = `${req.serviceRoot}/$metadata#${typeName(returnType, p.namespace)}`;
		if (returnType.kind === 'complex') {
			// A single complex value: its properties sit next to @odata.context (OData JSON §11.2).
			const structure = (value ?? {}) as RowValues;
			const out: Record<string, unknown> = { '@odata.context': context };
			for (const prop of returnType.complexType.properties) out[prop.name] = structure[prop.name] ?? null;
			return json(200, out);
		}
		return json(200, { '@odata.context': context, value: value ?? null });
	}

	private invokeBoundAction(req: ServiceRequest, action: ActionDef, target: EntityTarget): ServiceResponse {
		const p = req.projection;
		const params = this.parameters(action.parameters, this.actionBody(req));
		const ifMatch = parseIfMatch(req.headers);
		if (ifMatch !== undefined) this.interfere(target);
		if (!target.row) throw this.rowNotFound(target.table, target.keys);
		if (action.requiresEtag) {
			if (ifMatch === undefined) {
				throw new ODataError(400, ErrorCode.missingPrecondition, `Action ${action.name} requires an If-Match header (ETag).`);
			}
			this.checkEtag(target, ifMatch);
		}
		const value = action.handler({
			...this.ctx.db().scope(p),
			params,
			entity: { table: target.table, values: target.row.values },
			user: req.user,
		});
		return this.result(req, p, action.returnType, value);
	}

	private invokeUnboundAction(req: ServiceRequest, action: ActionDef): ServiceResponse {
		const p = req.projection;
		const params = this.parameters(action.parameters, this.actionBody(req));
		const value = action.handler({ ...this.ctx.db().scope(p), params, user: req.user });
		return this.result(req, p, action.returnType, value);
	}

	private invokeFunction(req: ServiceRequest, fn: FunctionDef, args: string): ServiceResponse {
		const p = req.projection;
		const options = parseSystemQueryOptions(req.query);
		const params = parseFunctionParameters(args, fn.parameters, options.aliases);
		const value = fn.handler({ ...this.ctx.db().scope(p), params });
		return this.result(req, p, fn.returnType, value);
	}
}

/** A value different from `previous`, valid for the property (used by the concurrent writer). */
function changedValue(prop: PropertyDef, previous: Value, n: number): Value {
	const t = prop.type;
	if (t.kind === 'enum') {
		const members = t.enumType.members;
		return members[(members.indexOf(String(previous)) + 1) % members.length];
	}
	switch (t.edm) {
		case 'Edm.String': {
			const long = `concurrent-writer-${n}`;
			const text = prop.maxLength !== undefined && prop.maxLength < long.length ? `CW${n}` : long;
			return prop.maxLength !== undefined ? text.slice(-prop.maxLength) : text;
		}
		case 'Edm.Boolean':
			return !previous;
		case 'Edm.Date': {
			const base = typeof previous === 'string' ? Date.parse(`${previous}T00:00:00Z`) : Date.UTC(2024, 0, 1);
			return new Date(base + 86_400_000).toISOString().slice(0, 10);
		}
		case 'Edm.DateTimeOffset': {
			const base = typeof previous === 'string' ? Date.parse(previous) : Date.UTC(2024, 0, 1);
			return new Date(base + 1000).toISOString().replace('.000Z', 'Z');
		}
		default:
			return (typeof previous === 'number' ? previous : 0) + 1;
	}
}


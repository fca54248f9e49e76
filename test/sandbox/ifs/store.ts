/**
 * In-memory tables of the sandbox tenant. `int` and `main` read the same tables, as both
 * deployments of a real tenant sit on one database.
 *
 * Rows are kept in key order (the order IFS returns without $orderby) with a hash index for
 * key look-ups, so seeding and paging 100 000 rows stays cheap. Each row carries an Oracle-like
 * Objid and an Objversion (`YYYYMMDDHH24MISS`) from which the weak ETag is derived.
 */
import { compareNonNull, formatDateTimeOffset, formatKeyref } from './edm-values';
import { databaseError } from './errors';
import type {
	EntitySetDef,
	EntityTypeDef,
	HookContext,
	ProjectionDef,
	RowValues,
	TableAccess,
	Value,
} from './model';

export interface StoredRow {
	/** Oracle-like ROWID; derived lazily from `seq` (seeding 100k rows stays cheap). */
	objid?: string;
	seq: number;
	objectNumber: number;
	objversion: string;
	values: RowValues;
	/** Cached ETag; cleared whenever Objversion changes. */
	etag?: string;
	/** Cached keyref (keys never change). */
	keyref?: string;
	/** Bumped on every change, computed values included (cache key of the row's JSON). */
	rev?: number;
}

/** `W/"<base64 of W/"Objid:Objversion">"` — the form shown in the IFS Script-A-Rest docs. */
export function computeEtag(objid: string, objversion: string): string {
	return `W/"${Buffer.from(`W/"${objid}:${objversion}"`, 'utf8').toString('base64')}"`;
}

export function etagOf(row: StoredRow): string {
	if (row.etag === undefined) row.etag = computeEtag(objidOf(row), row.objversion);
	return row.etag;
}

export function objidOf(row: StoredRow): string {
	if (row.objid === undefined) row.objid = makeObjid(row.objectNumber, row.seq);
	return row.objid;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatObjversion(epochMs: number): string {
	const d = new Date(epochMs);
	return (
		`${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
		`${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
	);
}

function parseObjversion(v: string): number {
	return Date.UTC(
		Number(v.slice(0, 4)),
		Number(v.slice(4, 6)) - 1,
		Number(v.slice(6, 8)),
		Number(v.slice(8, 10)),
		Number(v.slice(10, 12)),
		Number(v.slice(12, 14)),
	);
}

/** Objversion for a change made now; one second after the previous one if the clock has not moved. */
export function nextObjversion(previous: string | undefined, nowMs: number): string {
	const now = formatObjversion(nowMs);
	if (previous === undefined || now > previous) return now;
	return formatObjversion(parseObjversion(previous) + 1000);
}

const ROWID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function rowidPart(n: number, width: number): string {
	let out = '';
	for (let i = 0; i < width; i++) {
		out = ROWID_ALPHABET[n % 64] + out;
		n = Math.floor(n / 64);
	}
	return out;
}

/** Oracle extended ROWID shape: object(6) file(3) block(6) row(3). */
export function makeObjid(objectNumber: number, sequence: number): string {
	return (
		rowidPart(objectNumber, 6) +
		rowidPart(1 + (objectNumber % 7), 3) +
		rowidPart(4096 + Math.floor(sequence / 50), 6) +
		rowidPart(sequence % 50, 3)
	);
}

/** "CustomerOrder" -> "Customer Order" for IFS-style messages. */
export function luLabel(luname: string): string {
	return luname.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
}

export class Table implements TableAccess {
	/** Rows in key order. */
	readonly rows: StoredRow[] = [];
	/** Key -> row; built on first use so bulk-seeded tables that are only paged never pay for it. */
	private indexCache?: Map<string, StoredRow>;
	private sequence = 0;
	/** Bumped on every change; query results are cached per version. */
	version = 0;

	constructor(
		readonly projection: ProjectionDef,
		readonly set: EntitySetDef,
		private readonly db: Database,
		private readonly objectNumber: number,
	) {}

	get type(): EntityTypeDef {
		return this.set.entityType;
	}

	private get index(): Map<string, StoredRow> {
		if (!this.indexCache) {
			this.indexCache = new Map();
			for (const row of this.rows) {
				const key = this.keyString(row.values);
				if (this.indexCache.has(key)) throw new Error(`duplicate key ${key} in ${this.set.name}`);
				this.indexCache.set(key, row);
			}
		}
		return this.indexCache;
	}

	keyString(values: RowValues): string {
		const keys = this.type.keys;
		let s = '';
		for (let i = 0; i < keys.length; i++) s += `${String(values[keys[i]])}\u0001`;
		return s;
	}

	compareKeys(a: RowValues, b: RowValues): number {
		for (const k of this.type.keys) {
			const c = compareNonNull(this.type.propertyMap.get(k)!.type, a[k], b[k]);
			if (c !== 0) return c;
		}
		return 0;
	}

	/** keyref is derived from the (immutable) keys, so it is computed once per row. */
	keyrefOf(row: StoredRow): string {
		if (row.keyref === undefined) row.keyref = formatKeyref(this.type, row.values);
		return row.keyref;
	}

	/** Property value including the IFS system fields luname and keyref. */
	valueOf(row: StoredRow, name: string): Value {
		if (name === 'luname') return this.type.luname;
		if (name === 'keyref') return this.keyrefOf(row);
		return row.values[name] ?? null;
	}

	getRow(keys: RowValues): StoredRow | undefined {
		return this.index.get(this.keyString(keys));
	}

	/** Seeding: rows are appended without hooks; sorted (and checked for duplicates) if needed. */
	load(values: RowValues[], objversions: string[]): void {
		const wasEmpty = this.rows.length === 0;
		let strictlyIncreasing = true;
		for (let i = 0; i < values.length; i++) {
			const last = this.rows[this.rows.length - 1];
			if (strictlyIncreasing && last !== undefined && this.compareKeys(last.values, values[i]) >= 0) strictlyIncreasing = false;
			this.rows.push({ seq: this.sequence++, objectNumber: this.objectNumber, objversion: objversions[i], values: values[i] });
		}
		if (!strictlyIncreasing) this.rows.sort((a, b) => this.compareKeys(a.values, b.values));
		// Strictly increasing keys are unique; otherwise building the index finds duplicates.
		this.indexCache = undefined;
		if (!strictlyIncreasing || !wasEmpty) void this.index;
		this.version++;
	}

	private position(values: RowValues): number {
		let lo = 0;
		let hi = this.rows.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.compareKeys(this.rows[mid].values, values) < 0) lo = mid + 1;
			else hi = mid;
		}
		return lo;
	}

	/** IFS rejects missing mandatory values with the LU's NULLVALUE error ('' counts as null, as in Oracle). */
	private requireValues(values: RowValues, names: string[]): void {
		for (const name of names) {
			const v = values[name];
			if (v === null || v === undefined || v === '') {
				const lu = this.type.luname;
				const column = this.type.propertyMap.get(name)!.column;
				throw databaseError(400, `ORA-20110: ${lu}.NULLVALUE: Field [${column}] is mandatory for ${luLabel(lu)} and requires a value.`);
			}
		}
	}

	/**
	 * A new row's values: `fixed` (keys from the URL / navigation), then what the client
	 * provided, then defaults evaluated at the sandbox clock's now.
	 */
	complete(provided: RowValues, fixed: RowValues = {}): RowValues {
		const now = new Date(this.db.now());
		const values: RowValues = {};
		for (const prop of this.type.properties) {
			if (prop.name === 'luname' || prop.name === 'keyref') continue;
			if (prop.name in fixed) values[prop.name] = fixed[prop.name];
			else if (prop.name in provided) values[prop.name] = provided[prop.name];
			else values[prop.name] = prop.defaultValue ? prop.defaultValue(now) : null;
		}
		return values;
	}

	/** Change-stamp properties get the clock's now unless the change sets them itself. */
	private stamp(values: RowValues, explicit: RowValues): void {
		let text: string | undefined;
		for (const prop of this.type.properties) {
			if (!prop.changeStamp || (prop.name in explicit && explicit[prop.name] !== null)) continue;
			text ??= formatDateTimeOffset(this.db.now());
			values[prop.name] = text;
		}
	}

	/** Insert a complete row (runs the set's hooks and the mandatory-field checks). */
	create(values: RowValues): StoredRow {
		this.set.hooks?.assignKeys?.(this.db.scope(this.projection), values);
		this.requireValues(values, this.type.keys);
		const key = this.keyString(values);
		if (this.index.has(key)) {
			const lu = this.type.luname;
			throw databaseError(409, `ORA-20112: ${lu}.EXIST: The ${luLabel(lu)} already exists.`);
		}
		this.set.hooks?.beforeInsert?.(this.db.scope(this.projection), values);
		this.stamp(values, values);
		this.requireValues(
			values,
			this.type.properties.filter((p) => !p.nullable).map((p) => p.name),
		);
		delete values.luname;
		delete values.keyref;
		const row: StoredRow = {
			seq: this.sequence++,
			objectNumber: this.objectNumber,
			objversion: nextObjversion(undefined, this.db.now()),
			values,
		};
		this.rows.splice(this.position(values), 0, row);
		this.index.set(key, row);
		this.version++;
		this.set.hooks?.afterChange?.(this.db.scope(this.projection), values);
		return row;
	}

	/** A real modification: values change and Objversion strictly increases (new ETag). */
	update(row: StoredRow, changes: RowValues): StoredRow {
		this.set.hooks?.beforeUpdate?.(this.db.scope(this.projection), row.values, changes);
		for (const [k, v] of Object.entries(changes)) {
			if (!this.type.keys.includes(k)) row.values[k] = v;
		}
		this.stamp(row.values, changes);
		row.objversion = nextObjversion(row.objversion, this.db.now());
		row.etag = undefined;
		row.rev = (row.rev ?? 0) + 1;
		this.version++;
		this.set.hooks?.afterChange?.(this.db.scope(this.projection), row.values);
		return row;
	}

	delete(row: StoredRow): void {
		this.set.hooks?.beforeDelete?.(this.db.scope(this.projection), row.values);
		const key = this.keyString(row.values);
		if (!this.index.delete(key)) return;
		const at = this.position(row.values);
		if (this.rows[at] === row) this.rows.splice(at, 1);
		this.version++;
		this.set.hooks?.afterChange?.(this.db.scope(this.projection), row.values);
	}

	// TableAccess (used by hooks and action handlers) ------------------------------------------

	find(keys: RowValues): RowValues | undefined {
		return this.getRow(keys)?.values;
	}

	all(): readonly RowValues[] {
		return this.rows.map((r) => r.values);
	}

	modify(keys: RowValues, changes: RowValues): RowValues {
		const row = this.getRow(keys);
		if (!row) throw new Error(`modify: no row ${this.keyString(keys)} in ${this.set.name}`);
		return this.update(row, changes).values;
	}

	setComputed(keys: RowValues, changes: Record<string, Value>): void {
		const row = this.getRow(keys);
		if (!row) return;
		Object.assign(row.values, changes);
		row.rev = (row.rev ?? 0) + 1;
		this.version++;
	}

	remove(keys: RowValues): boolean {
		const row = this.getRow(keys);
		if (!row) return false;
		this.delete(row);
		return true;
	}

	insert(values: RowValues): RowValues {
		return this.create(this.complete(values)).values;
	}
}

export class Database {
	private readonly tables = new Map<string, Table>();
	private readonly scopes = new Map<string, HookContext>();
	/** Number series (order numbers, shipment ids, Objkeys...): last number handed out. */
	private readonly series = new Map<string, number>();

	constructor(
		readonly projections: ProjectionDef[],
		readonly now: () => number = Date.now,
	) {
		let objectNumber = 73_000;
		for (const p of projections) {
			for (const set of p.entitySets) {
				this.tables.set(`${p.name}/${set.name}`, new Table(p, set, this, objectNumber));
				objectNumber += 131;
			}
		}
	}

	find(projection: string, entitySet: string): Table | undefined {
		return this.tables.get(`${projection}/${entitySet}`);
	}

	table(projection: string, entitySet: string): Table {
		const t = this.find(projection, entitySet);
		if (!t) throw new Error(`No entity set ${projection}.svc/${entitySet} in the sandbox`);
		return t;
	}

	/** Next number of a series; numbers are never handed out twice (until the data is re-seeded). */
	sequence(name: string, atLeast = 1): number {
		const next = Math.max((this.series.get(name) ?? 0) + 1, atLeast);
		this.series.set(name, next);
		return next;
	}

	/** A client chose `n` itself: the series continues after it. */
	reserve(name: string, n: number): void {
		if (n > (this.series.get(name) ?? 0)) this.series.set(name, n);
	}

	/** Hook/action view: entity sets of one projection by name, the others by projection. */
	scope(projection: ProjectionDef): HookContext {
		let s = this.scopes.get(projection.name);
		if (!s) {
			s = {
				table: (entitySet: string) => this.table(projection.name, entitySet),
				other: (otherProjection: string, entitySet: string) => this.table(otherProjection, entitySet),
				now: () => this.now(),
				sequence: (name: string, atLeast?: number) => this.sequence(name, atLeast),
				reserve: (name: string, n: number) => this.reserve(name, n),
			};
			this.scopes.set(projection.name, s);
		}
		return s;
	}
}

/**
 * The polling trigger's cursor: where the last sweep got to, which recent rows it has already
 * emitted, and how to ask IFS for what comes next. Pure functions over plain data, so the state
 * fits in n8n's static data and the logic is testable without n8n.
 *
 * Why it works: rows are read in (timestamp, keys) order with keyset paging, not $skip, so rows
 * that change while we page cannot shift unseen rows past us. Each sweep starts an overlap window
 * before the newest timestamp seen, catching rows committed late with an older timestamp; rows
 * already emitted in that window are recognised by key + version (ETag or content) and skipped.
 * A row changed twice has two versions and is emitted twice; a version is emitted once. A version
 * is the row's key + ETag together with its timestamp: a change that moves the timestamp but not
 * the ETag (an IFS header whose lines changed) is a new version too.
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { toDateTime } from '../../common/dates';
import { formatLiteral } from '../odata/literals';

export interface CursorState {
	/** Identifies the configuration the state belongs to; a change of entity set or field starts afresh. */
	config: string;
	/** Newest timestamp value seen (as IFS returned it). */
	newest?: string;
	/** Position inside an unfinished sweep: the last row's timestamp and key values. */
	resume?: { value: string; keys: IDataObject };
	/** Lower bound of the current sweep (kept while a sweep spans several polls). */
	sweepFrom?: string;
	/** Versions emitted recently (within the overlap window): id → timestamp value. */
	seen: Record<string, string>;
	/** Set while the first sweep after "Start From: Now" records what exists without emitting it. */
	priming?: boolean;
	/**
	 * The newest timestamp at activation ("Start From: Now"): while priming, rows up to it existed
	 * before and are only recorded; later ones changed after activation and are emitted.
	 */
	primedUpTo?: string;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface OrderField {
	name: string;
	type: string;
}

/** `(F gt v) or (F eq v and k1 gt a1) or (F eq v and k1 eq a1 and k2 gt a2) …` — strictly after a position. */
export function afterPosition(fields: OrderField[], values: IDataObject, enums: ReadonlySet<string>): string {
	const literal = (field: OrderField) => {
		const value = values[field.name];
		// A timestamp goes back exactly as IFS wrote it: rounding it (e.g. dropping milliseconds)
		// would make "eq" miss the tie it is meant to continue from.
		if (field.type === 'Edm.DateTimeOffset' && typeof value === 'string' && ISO_TIMESTAMP.test(value)) return value;
		return formatLiteral(value, field.type, enums);
	};
	const alternatives = fields.map((field, index) => {
		const equalities = fields.slice(0, index).map((previous) => `${previous.name} eq ${literal(previous)}`);
		return `(${[...equalities, `${field.name} gt ${literal(field)}`].join(' and ')})`;
	});
	return `(${alternatives.join(' or ')})`;
}

/** The timestamp `seconds` before `value`, as a literal of the field's type (a date steps back whole days). */
export function windowStart(value: string, type: string, seconds: number): string {
	const moment = toDateTime(value);
	if (type === 'Edm.Date') return moment.minus({ days: Math.max(1, Math.ceil(seconds / 86_400)) }).toISODate() as string;
	return moment.minus({ seconds }).toUTC().toISO({ suppressMilliseconds: true }) as string;
}

export function isLater(a: string, b: string | undefined): boolean {
	return b === undefined || toDateTime(a).toMillis() > toDateTime(b).toMillis();
}

/** Identity of one version of a row: its key plus its ETag, or a hash of its content without one. */
export function versionId(row: IDataObject, keys: string[]): string {
	const key = JSON.stringify(keys.map((name) => row[name] ?? null));
	const etag = row['@odata.etag'];
	if (typeof etag === 'string' && etag) return `${key}@${etag}`;
	const content = Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith('@')).sort(([a], [b]) => a.localeCompare(b)));
	return `${key}#${createHash('sha1').update(JSON.stringify(content)).digest('base64').slice(0, 16)}`;
}

/** Whether the version `id`, read with timestamp `value`, was already emitted (or recorded). Same ETag, moved timestamp: a new version. */
export function alreadySeen(state: CursorState, id: string, value: string): boolean {
	return state.seen[id] === value;
}

/** Whether a row read while priming existed at activation, so it is recorded and not emitted. */
export function existedAtActivation(state: CursorState, value: string): boolean {
	if (!state.priming) return false;
	// A state from before `primedUpTo` existed: record the whole first sweep, as then.
	return state.primedUpTo === undefined || !isLater(value, state.primedUpTo);
}

/** Forgets versions older than the overlap window: they can no longer be read again. */
export function pruneSeen(state: CursorState, type: string, overlapSeconds: number): void {
	if (!state.newest) return;
	const floor = toDateTime(windowStart(state.newest, type, overlapSeconds)).toMillis();
	for (const [id, value] of Object.entries(state.seen)) {
		if (toDateTime(value).toMillis() < floor) delete state.seen[id];
	}
}

/** Fingerprint of a row's compared fields, for snapshot mode. */
export function fingerprint(row: IDataObject, fields: string[] | undefined): string {
	const names = (fields?.length ? fields : Object.keys(row).filter((name) => !name.startsWith('@'))).sort();
	return createHash('sha1')
		.update(JSON.stringify(names.map((name) => [name, row[name] ?? null])))
		.digest('base64')
		.slice(0, 16);
}

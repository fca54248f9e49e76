/**
 * Deterministic-data helpers shared by the seed modules: the random generator, the seed's base
 * date, and bulk loading of pre-sorted rows.
 */
import { formatDateTimeOffset } from './edm-values';
import type { RowValues } from './model';
import { formatObjversion, type Table } from './store';

/** mulberry32: tiny, fast, good enough for demo data. */
export function createRandom(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
		chance: (p: number) => next() < p,
		money: (min: number, max: number) => Math.round((min + next() * (max - min)) * 100) / 100,
	};
}
export type Random = ReturnType<typeof createRandom>;

export const DAY = 86_400_000;
/** 2024-01-02T08:00:00Z: seeded business dates lie around it. */
export const BASE = Date.UTC(2024, 0, 2, 8, 0, 0);
export const pad = (n: number, width: number) => String(n).padStart(width, '0');

export type Entry = { values: RowValues; objversion: string };

export function load(table: Table, entries: Entry[]): void {
	table.load(
		entries.map((e) => e.values),
		entries.map((e) => e.objversion),
	);
}

export function objversionNear(rnd: Random, epochMs: number): string {
	return formatObjversion(epochMs + rnd.int(0, 20 * DAY));
}

/** The instant an Objversion (`YYYYMMDDHH24MISS`) stands for, as Edm.DateTimeOffset text. */
export function objversionToDateTimeOffset(objversion: string): string {
	const v = objversion;
	return formatDateTimeOffset(Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8), +v.slice(8, 10), +v.slice(10, 12), +v.slice(12, 14)));
}

/** Amount in minor units (cents) -> JSON number, exact for two-decimal currencies. */
export const cents = (units: number): number => Number((units / 100).toFixed(2));

/**
 * Fake clocks for unit tests: virtual time only, nothing here waits for real.
 */
import type { Clock } from '../../../nodes/common/rateLimiter';

/**
 * A clock whose `sleep` moves time forward at once and records the wait. Good for code where one
 * caller sleeps at a time (the retry loop, a bucket used by one caller).
 */
export class SteppingClock implements Clock {
	readonly sleeps: number[] = [];

	constructor(public current = 0) {}

	now(): number {
		return this.current;
	}

	async sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		this.current += Math.max(0, ms);
	}

	get slept(): number {
		return this.sleeps.reduce((sum, ms) => sum + ms, 0);
	}
}

interface Timer {
	at: number;
	seq: number;
	resolve: () => void;
	reject: (error: unknown) => void;
}

/** Lets every pending promise callback run (one macrotask turn drains the microtask queue). */
export async function flushPromises(): Promise<void> {
	await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A scheduler of virtual time for code with several concurrent sleepers: `sleep` registers a
 * timer, and `run` fires timers in time order whenever nothing else can make progress.
 */
export class VirtualClock implements Clock {
	private timers: Timer[] = [];
	private seq = 0;
	readonly sleeps: number[] = [];

	constructor(public current = 0) {}

	now(): number {
		return this.current;
	}

	sleep(ms: number): Promise<void> {
		this.sleeps.push(ms);
		return new Promise<void>((resolve, reject) => {
			this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, resolve, reject });
		});
	}

	get pendingTimers(): number {
		return this.timers.length;
	}

	/** Fires timers until `work` settles; fails if it waits on something that never comes. */
	async run<T>(work: Promise<T>, maxTimers = 1_000_000): Promise<T> {
		let settled = false;
		work.then(
			() => (settled = true),
			() => (settled = true),
		);
		for (let fired = 0; ; fired++) {
			await flushPromises();
			if (settled) return await work;
			if (fired >= maxTimers) throw new Error('VirtualClock: too many timers');
			const next = this.nextTimer();
			if (!next) throw new Error('VirtualClock: work is stuck with no timer pending');
			this.current = Math.max(this.current, next.at);
			next.resolve();
		}
	}

	/** Fires every timer due at or before `until` and leaves the clock there. */
	async advanceTo(until: number): Promise<void> {
		for (;;) {
			await flushPromises();
			const due = [...this.timers].sort(byTime)[0];
			if (!due || due.at > until) break;
			this.timers.splice(this.timers.indexOf(due), 1);
			this.current = Math.max(this.current, due.at);
			due.resolve();
		}
		this.current = Math.max(this.current, until);
		await flushPromises();
	}

	private nextTimer(): Timer | undefined {
		if (!this.timers.length) return undefined;
		this.timers.sort(byTime);
		return this.timers.shift();
	}
}

const byTime = (a: Timer, b: Timer) => a.at - b.at || a.seq - b.seq;

/** A deterministic pseudo-random source (mulberry32), so "random" tests repeat exactly. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

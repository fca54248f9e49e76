/**
 * The sandbox clock: what "now" is for data timestamps (DateEntered, ChangeDate, CreationDate
 * and other date defaults, Objversion, `now()` in $filter) and for access-token lifetimes.
 *
 * Tests of change detection need control over it: a frozen clock puts many changes into one
 * second (the boundary case a polling trigger must handle), and advancing it lets tokens
 * expire without waiting. Transport timing (latency faults, the rate window, request log
 * times) stays on real time, since it models the network, not the tenant's data.
 */

export interface IfsClockControls {
	/** Current sandbox time, epoch ms. */
	now(): number;
	/** Freeze the clock at this instant (epoch ms, Date or ISO text); it stays there until moved. */
	set(at: number | Date | string): void;
	/** Move the clock: a frozen clock jumps by `ms`, a running one keeps running `ms` ahead. */
	advance(ms: number): void;
	/** Back to real time (also what `sandbox.reset()` does). */
	real(): void;
	/** Whether the clock is frozen by set(). */
	readonly frozen: boolean;
}

function instant(at: number | Date | string): number {
	const ms = typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();
	if (!Number.isFinite(ms)) throw new Error(`clock.set: not a valid instant: ${String(at)}`);
	return ms;
}

export class SandboxClock implements IfsClockControls {
	private frozenAt: number | undefined;
	private offsetMs = 0;

	/** Bound so it can be handed around as a plain `() => number`. */
	readonly now = (): number => this.frozenAt ?? Date.now() + this.offsetMs;

	set(at: number | Date | string): void {
		this.frozenAt = instant(at);
		this.offsetMs = 0;
	}

	advance(ms: number): void {
		if (!Number.isFinite(ms)) throw new Error(`clock.advance: not a number of milliseconds: ${ms}`);
		if (this.frozenAt !== undefined) this.frozenAt += ms;
		else this.offsetMs += ms;
	}

	real(): void {
		this.frozenAt = undefined;
		this.offsetMs = 0;
	}

	get frozen(): boolean {
		return this.frozenAt !== undefined;
	}
}

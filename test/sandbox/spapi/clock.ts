/**
 * The sandbox clock: "now" for the 2-minute rules, data windows (90-day report retention,
 * 180-day finance windows), token lifetimes, next-token and pre-signed URL expiry, the report and
 * feed lifecycles and the moment accepted listings changes are applied (scheduler.ts runs due
 * work whenever the clock moves). Same contract as the IFS sandbox clock. Token buckets (rate
 * limits), latency and the request log stay on real time: they model the network, not Amazon's
 * data.
 */

export interface SpApiClockControls {
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

export class SandboxClock implements SpApiClockControls {
	private frozenAt: number | undefined;
	private offsetMs = 0;
	/** Called after every move (the scheduler runs due work). */
	onChange: (() => void) | undefined;

	/** Bound so it can be handed around as a plain `() => number`. */
	readonly now = (): number => this.frozenAt ?? Date.now() + this.offsetMs;

	set(at: number | Date | string): void {
		this.frozenAt = instant(at);
		this.offsetMs = 0;
		this.onChange?.();
	}

	advance(ms: number): void {
		if (!Number.isFinite(ms)) throw new Error(`clock.advance: not a number of milliseconds: ${ms}`);
		if (this.frozenAt !== undefined) this.frozenAt += ms;
		else this.offsetMs += ms;
		this.onChange?.();
	}

	real(): void {
		this.frozenAt = undefined;
		this.offsetMs = 0;
		this.onChange?.();
	}

	get frozen(): boolean {
		return this.frozenAt !== undefined;
	}
}

/**
 * Work Amazon does after answering: applying accepted listings submissions, moving reports and
 * feeds along when polls are not required, delivering the notifications those changes cause.
 * Jobs are due at a sandbox-clock instant. They run
 *
 * - before every SP-API request is handled (so a read after the delay sees the change), and
 * - on a real-time timer while the clock runs (so notifications arrive without anyone asking), and
 * - when the clock is moved (set / advance / real).
 *
 * A job gets its scheduled instant, not the instant it happens to run, so results do not depend on
 * when the timer fired. Jobs that throw are recorded in `errors` (never rethrown into a request).
 */

interface Job {
	at: number;
	seq: number;
	run: (at: number) => void;
}

const MAX_TIMER_MS = 2_147_000_000;

export class Scheduler {
	private jobs: Job[] = [];
	private seq = 0;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;
	private running = false;
	readonly errors: string[] = [];

	constructor(
		private readonly now: () => number,
		private readonly frozen: () => boolean,
	) {}

	/** Run `run(at)` once the sandbox clock reaches `at`. */
	schedule(at: number, run: (at: number) => void): void {
		const job: Job = { at, seq: this.seq++, run };
		// Insert in order (stable for equal instants); queues stay small, one job per submission/feed.
		let i = this.jobs.length;
		while (i > 0 && this.jobs[i - 1].at > at) i--;
		this.jobs.splice(i, 0, job);
		this.arm();
	}

	/** Runs every job that is due by the sandbox clock's now. */
	pump(): void {
		if (this.running) return;
		this.running = true;
		try {
			const now = this.now();
			while (this.jobs.length && this.jobs[0].at <= now) {
				const job = this.jobs.shift()!;
				try {
					job.run(job.at);
				} catch (error) {
					this.errors.push(error instanceof Error ? error.message : String(error));
				}
			}
		} finally {
			this.running = false;
		}
		this.arm();
	}

	get pending(): number {
		return this.jobs.length;
	}

	/** Drop every job (reset). */
	clear(): void {
		this.jobs = [];
		this.errors.length = 0;
		this.disarm();
	}

	/** No more timers (close). */
	stop(): void {
		this.stopped = true;
		this.clear();
	}

	private disarm(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
	}

	private arm(): void {
		this.disarm();
		if (this.stopped || this.jobs.length === 0 || this.frozen()) return;
		const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.jobs[0].at - this.now()));
		this.timer = setTimeout(() => this.pump(), delay);
		this.timer.unref();
	}
}

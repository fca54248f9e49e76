/**
 * Peak resident memory of one process (Linux /proc) over a measured stretch.
 *
 * Two sources: the kernel's own high-water mark (VmHWM), reset at the start of the stretch by
 * writing 5 to /proc/<pid>/clear_refs (allowed for our own child processes), and a sampler that
 * reads VmRSS every `intervalMs` as a cross-check and a fallback when the reset is refused.
 * `checkpoint()` ends the stretch early in effect: `end()` reports the peak as it was at the last
 * checkpoint (used to leave out what the benchmark itself then asks of the process).
 */
import * as fs from 'node:fs';

export interface MemoryReport {
	/** Highest RSS in MiB (VmHWM since the reset, or the highest sample when the reset failed). */
	peakMiB: number;
	/** RSS when the stretch started. */
	startMiB: number;
	/** Highest VmRSS seen by the sampler. */
	sampledPeakMiB: number;
	samples: number;
	/** 'VmHWM' when the kernel's peak (reset at start) is reported, else 'sampled'. */
	source: 'VmHWM' | 'sampled';
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
	try {
		const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
		return match ? Number(match[1]) / 1024 : undefined;
	} catch {
		return undefined;
	}
}

export class PeakMemory {
	private timer?: NodeJS.Timeout;
	private peak = 0;
	private count = 0;
	private start = 0;
	private hwmReset = false;
	private marked?: { hwm?: number; sampled: number };

	constructor(
		readonly pid: number,
		private readonly intervalMs = 50,
	) {}

	begin(): void {
		try {
			fs.writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
			this.hwmReset = true;
		} catch {
			this.hwmReset = false;
		}
		this.start = statusField(this.pid, 'VmRSS') ?? 0;
		this.peak = this.start;
		this.count = 0;
		this.marked = undefined;
		this.timer = setInterval(() => this.sample(), this.intervalMs);
		this.timer.unref();
	}

	private sample(): void {
		const rss = statusField(this.pid, 'VmRSS');
		if (rss === undefined) return;
		this.count++;
		if (rss > this.peak) this.peak = rss;
	}

	/** Remember the peak so far; `end()` reports the last checkpoint's peak. */
	checkpoint(): void {
		this.sample();
		this.marked = { hwm: this.hwmReset ? statusField(this.pid, 'VmHWM') : undefined, sampled: this.peak };
	}

	end(): MemoryReport {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
		if (!this.marked) this.checkpoint();
		const { hwm, sampled } = this.marked!;
		return {
			peakMiB: hwm ?? sampled,
			startMiB: this.start,
			sampledPeakMiB: sampled,
			samples: this.count,
			source: hwm === undefined ? 'sampled' : 'VmHWM',
		};
	}
}

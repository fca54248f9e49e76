/**
 * The IN_QUEUE → IN_PROGRESS → DONE | FATAL | CANCELLED lifecycle shared by created reports and
 * feeds. By default it advances on getReport / getFeed polls and Amazon time (÷ timeScale), as the
 * tests expect; with `requirePolls: false` time alone drives it and the scheduler finishes the job
 * in the background, so a client waiting for a *_PROCESSING_FINISHED notification sees it.
 */
import type { ReportProcessingOptions } from './config';
import type { SandboxState } from './context';
import type { ProcessingStatus } from './model';
import type { SellerData } from './store';

export interface LifecycleJob {
	createdTime: number;
	status: ProcessingStatus;
	outcome: 'DONE' | 'FATAL' | 'CANCELLED';
	polls: number;
	processingStartTime?: number;
	processingEndTime?: number;
}

export const isFinal = (status: ProcessingStatus) => status === 'DONE' || status === 'FATAL' || status === 'CANCELLED';

/**
 * Moves a job along. `poll` = this is a getReport / getFeed response. Calls `finish(at)` once,
 * when the job reaches its outcome (it attaches documents and publishes the notification).
 */
export function advanceJob(job: LifecycleJob, options: Required<ReportProcessingOptions>, timeScale: number, now: number, poll: boolean, finish: (at: number) => void): void {
	if (isFinal(job.status)) return;
	if (poll) job.polls++;
	const elapsed = (now - job.createdTime) * timeScale;
	const pollsDone = (n: number) => !options.requirePolls || job.polls > n;
	if (job.status === 'IN_QUEUE' && pollsDone(options.inQueuePolls) && elapsed >= options.inQueueMs) {
		job.status = 'IN_PROGRESS';
		job.processingStartTime = now;
	}
	if (job.status === 'IN_PROGRESS' && pollsDone(options.inQueuePolls + options.inProgressPolls) && elapsed >= options.minProcessingMs) {
		job.status = job.outcome;
		job.processingEndTime = now;
		finish(now);
	}
}

/** With requirePolls false: background ticks at the two instants the times allow a step. */
export function scheduleJob(state: SandboxState, seller: SellerData, job: LifecycleJob, options: Required<ReportProcessingOptions>, tick: (at: number) => void): void {
	if (options.requirePolls) return;
	const ts = state.config.timeScale;
	const run = (at: number) => {
		// A reset() re-seeds the store: jobs of the old data are dropped.
		if (state.store.sellers.get(seller.sellerId) === seller) tick(at);
	};
	state.scheduler.schedule(job.createdTime + options.inQueueMs / ts, run);
	state.scheduler.schedule(job.createdTime + Math.max(options.inQueueMs, options.minProcessingMs) / ts, run);
}

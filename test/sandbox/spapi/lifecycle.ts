/**
 * The IN_QUEUE → IN_PROGRESS → DONE | FATAL | CANCELLED lifecycle shared by created reports and
 * feeds. By default it advances on getReport / getFeed polls and Amazon time (÷ timeScale), as the
 * tests expect; with `requirePolls: false` time alone drives it and the scheduler finishes the job
 * in the background, so a client waiting for a *_PROCESSING_FINISHED notification sees it.
 */
import type { ReportProcessingOptions } from './config';
import type { ApiContext, ApiResult, SandboxState } from './context';
import { invalidInput } from './errors';
import { PROCESSING_STATUSES, type ProcessingStatus } from './model';
import { checkEnum, checkMaxItems, parseDateParam, parseIntParam } from './query';
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
 * cancelReport / cancelFeed: only an IN_QUEUE job can be cancelled (400 otherwise); the job is
 * brought up to date first, and `finished` publishes its *_PROCESSING_FINISHED notification.
 */
export function cancelJob(job: LifecycleJob, label: string, now: number, finished: () => void): ApiResult {
	if (job.status !== 'IN_QUEUE') throw invalidInput(`${label} cannot be cancelled: only IN_QUEUE ${label.split(' ')[0].toLowerCase()}s can be cancelled (it is ${job.status}).`);
	job.status = 'CANCELLED';
	job.outcome = 'CANCELLED';
	job.processingEndTime = now;
	finished();
	return { status: 200 };
}

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

/** getReports / getFeeds paging state, kept behind a nextToken. */
interface JobListToken {
	types: string[];
	statuses?: ProcessingStatus[];
	marketplaceIds?: string[];
	since: number;
	until: number;
	pageSize: number;
	offset: number;
}

export interface JobListing<J extends LifecycleJob> {
	/** `reportTypes` / `feedTypes`: the query parameter and its type field. */
	typesParam: string;
	typeOf: (job: J) => string;
	idOf: (job: J) => string;
	marketplacesOf: (job: J) => string[];
	/** Response property holding the page (`reports` / `feeds`). */
	listKey: string;
	jobs: J[];
	retentionMs: number;
	advance: (job: J) => void;
	render: (job: J) => Record<string, unknown>;
}

/**
 * getReports and getFeeds: the types (1–10) or a nextToken sent alone, statuses, marketplaces,
 * created window within retention, pages of 1–100 (default 10), newest first.
 */
export function listJobs<J extends LifecycleJob>(ctx: ApiContext, listing: JobListing<J>): ApiResult {
	const q = ctx.query;
	const token = q.get('nextToken');
	let state: JobListToken;
	if (token !== undefined) {
		const others = q.names().filter((n) => n !== 'nextToken');
		if (others.length) throw invalidInput(`nextToken must be the only parameter when paging; remove ${others.join(', ')}.`);
		const r = ctx.state.paging.resolve<JobListToken>(token, ctx.seller.sellerId, ctx.operation.name);
		if (!r.ok) throw invalidInput('Invalid nextToken.', 'The nextToken is invalid or expired.');
		state = r.state;
	} else {
		const types = checkMaxItems(listing.typesParam, q.list(listing.typesParam), 10);
		if (!types) throw invalidInput(`Either ${listing.typesParam} or nextToken is required.`);
		const statuses = checkEnum('processingStatuses', q.list('processingStatuses'), PROCESSING_STATUSES) as ProcessingStatus[] | undefined;
		const marketplaceIds = checkMaxItems('marketplaceIds', q.list('marketplaceIds'), 10);
		const since = parseDateParam('createdSince', q.get('createdSince')) ?? ctx.now - listing.retentionMs;
		const until = parseDateParam('createdUntil', q.get('createdUntil')) ?? ctx.now;
		if (until < since) throw invalidInput('createdUntil must not be before createdSince.');
		state = { types, statuses, marketplaceIds, since, until, pageSize: parseIntParam('pageSize', q.get('pageSize'), 1, 100, 10), offset: 0 };
	}
	for (const job of listing.jobs) listing.advance(job);
	const oldest = ctx.now - listing.retentionMs;
	const matching = listing.jobs
		.filter(
			(job) =>
				state.types.includes(listing.typeOf(job)) &&
				(!state.statuses || state.statuses.includes(job.status)) &&
				(!state.marketplaceIds || listing.marketplacesOf(job).some((m) => state.marketplaceIds!.includes(m))) &&
				job.createdTime >= Math.max(state.since, oldest) &&
				job.createdTime <= state.until,
		)
		.sort((a, b) => b.createdTime - a.createdTime || (listing.idOf(a) < listing.idOf(b) ? 1 : -1));
	const page = matching.slice(state.offset, state.offset + state.pageSize);
	const body: Record<string, unknown> = { [listing.listKey]: page.map(listing.render) };
	if (state.offset + state.pageSize < matching.length) body.nextToken = ctx.state.paging.issue(ctx.seller.sellerId, ctx.operation.name, { ...state, offset: state.offset + state.pageSize });
	return { status: 200, body };
}

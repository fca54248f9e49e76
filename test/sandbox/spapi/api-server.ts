/**
 * The SP-API server: one server for all regions; each request's host (x-forwarded-host, else
 * Host) names the region. Pipeline:
 *
 *   route (operation, for faults and the log) -> read body -> validateRequest hook (records
 *   violations, never blocks) -> faults (reset, latency, failNext) -> region -> 404 for unknown
 *   paths (and sandbox-only operations on production hosts) -> access token (x-amz-access-token
 *   only; 403) -> token kind (seller token, or grantless for grantless operations) -> RDT scope ->
 *   token bucket (429 QuotaExceeded, no Retry-After) -> due background work (scheduler) -> handler
 *
 * Every response carries x-amzn-RequestId; responses of admitted requests (2xx and the handler's
 * 4xx) also x-amzn-RateLimit-Limit with the effective (scaled) rate.
 */
import type { RequestValidator, ValidatedRequest } from './config';
import type { ApiContext, ApiResult, AppContext, GrantlessHandler, OperationHandler, SandboxState } from './context';
import { accessDenied, injectedError, invalidInput, invalidToken, quotaExceeded, SpApiError } from './errors';
import type { FaultController } from './faults';
import { createReport, cancelReport, getReport, getReportDocument, getReports } from './reports';
import { listFinancialEventGroups, listFinancialEventsByGroupId, listTransactions } from './finances';
import { SandboxHttpServer, type RequestContext } from './http-server';
import { cancelFeed, createFeed, createFeedDocument, getFeed, getFeedDocument, getFeeds } from './feeds';
import { getInventorySummaries } from './inventory';
import { getListingsItem, patchListingsItem } from './listings';
import { regionOfHost, spApiHostName, type Region } from './marketplaces';
import {
	checkNotificationsScope,
	createDestination,
	createSubscription,
	deleteDestination,
	deleteSubscriptionById,
	getDestination,
	getDestinations,
	getSubscription,
	getSubscriptionById,
	getSubscriptions,
	sendTestNotification,
} from './notifications';
import { matchOperation, OPERATIONS, type OperationName, type RouteMatch } from './operations';
import { getOrder2026, getOrderItemsV0, getOrdersV0, getOrderV0, pathCovers, searchOrders } from './orders';
import { QueryParams } from './query';
import type { TokenBucketLimiter } from './rate-limit';
import { getMarketplaceParticipations } from './sellers';
import type { Stats } from './stats';
import { createRestrictedDataToken } from './tokens';
import { randomToken, requestId } from './util';

/** Operations called with a seller's token. */
const HANDLERS: Partial<Record<OperationName, OperationHandler>> = {
	'ordersV0.getOrders': getOrdersV0,
	'ordersV0.getOrder': getOrderV0,
	'ordersV0.getOrderItems': getOrderItemsV0,
	'orders2026.searchOrders': searchOrders,
	'orders2026.getOrder': getOrder2026,
	'tokens.createRestrictedDataToken': createRestrictedDataToken,
	'financesV0.listFinancialEventGroups': listFinancialEventGroups,
	'financesV0.listFinancialEventsByGroupId': listFinancialEventsByGroupId,
	'finances2024.listTransactions': listTransactions,
	'reports.getReports': getReports,
	'reports.createReport': createReport,
	'reports.getReport': getReport,
	'reports.cancelReport': cancelReport,
	'reports.getReportDocument': getReportDocument,
	'fbaInventory.getInventorySummaries': getInventorySummaries,
	'listings.getListingsItem': getListingsItem,
	'listings.patchListingsItem': patchListingsItem,
	'feeds.createFeedDocument': createFeedDocument,
	'feeds.createFeed': createFeed,
	'feeds.getFeeds': getFeeds,
	'feeds.getFeed': getFeed,
	'feeds.cancelFeed': cancelFeed,
	'feeds.getFeedDocument': getFeedDocument,
	'notifications.getSubscriptions': getSubscriptions,
	'notifications.getSubscription': getSubscription,
	'notifications.createSubscription': createSubscription,
	'sellers.getMarketplaceParticipations': getMarketplaceParticipations,
};

/** Grantless operations (an application's token, no seller). */
const GRANTLESS_HANDLERS: Partial<Record<OperationName, GrantlessHandler>> = {
	'notifications.getDestinations': getDestinations,
	'notifications.createDestination': createDestination,
	'notifications.getDestination': getDestination,
	'notifications.deleteDestination': deleteDestination,
	'notifications.getSubscriptionById': getSubscriptionById,
	'notifications.deleteSubscriptionById': deleteSubscriptionById,
	'notifications.sendTestNotification': sendTestNotification,
};

for (const op of OPERATIONS) {
	const handler = op.auth === 'grantless' ? GRANTLESS_HANDLERS[op.name] : HANDLERS[op.name];
	if (!handler) throw new Error(`spapi sandbox: no ${op.auth} handler for ${op.name}`);
}

export interface ContractViolation {
	at: number;
	method: string;
	/** Path + query as received. */
	url: string;
	host: string;
	operation?: string;
	messages: string[];
}

const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export class ApiServer extends SandboxHttpServer {
	private readonly routes = new WeakMap<RequestContext, RouteMatch | undefined>();
	readonly contractViolations: ContractViolation[] = [];

	constructor(
		stats: Stats,
		faults: FaultController,
		maxBodyBytes: number,
		private readonly state: SandboxState,
		private readonly limiter: TokenBucketLimiter,
		private readonly validator: () => RequestValidator | undefined,
	) {
		super('api', stats, faults, maxBodyBytes);
	}

	private sendJson(ctx: RequestContext, status: number, body: unknown, extra: Record<string, string> = {}): void {
		const id = requestId();
		ctx.entry.requestId = id;
		const headers: Record<string, string> = { 'x-amzn-RequestId': id, 'x-amz-rid': randomToken(15).toUpperCase(), ...extra };
		if (body === undefined) {
			this.send(ctx, status, headers, '');
			return;
		}
		this.send(ctx, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(body));
	}

	private sendError(ctx: RequestContext, error: SpApiError, extra: Record<string, string> = {}): void {
		this.sendJson(ctx, error.status, error.toBody(), { ...extra, ...error.headers });
	}

	protected sendInjectedFailure(ctx: RequestContext, status: number): void {
		this.sendError(ctx, injectedError(status));
	}

	protected sendInternalError(ctx: RequestContext, message: string, status = 500): void {
		this.sendError(ctx, new SpApiError(status, status === 413 ? 'RequestTooLarge' : 'InternalFailure', message));
	}

	protected classify(ctx: RequestContext): string | undefined {
		const { match } = matchOperation(ctx.method, ctx.path);
		this.routes.set(ctx, match);
		return match?.operation.name;
	}

	protected beforeFaults(ctx: RequestContext): void {
		const validate = this.validator();
		if (!validate) return;
		const text = ctx.body.toString('utf8');
		let body: unknown = text === '' ? undefined : text;
		if (text !== '') {
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: the validator gets the text
			}
		}
		const request: ValidatedRequest = {
			method: ctx.method,
			path: ctx.path,
			query: QueryParams.parseLenient(ctx.rawQuery).toRecord(),
			headers: { ...ctx.headers },
			body,
			host: ctx.host,
		};
		let messages: string[];
		try {
			messages = validate(request);
		} catch (error) {
			messages = [`validateRequest threw: ${error instanceof Error ? error.message : String(error)}`];
		}
		if (messages.length) {
			this.contractViolations.push({ at: Date.now(), method: ctx.method, url: ctx.url, host: ctx.host, operation: ctx.entry.operation, messages: [...messages] });
		}
	}

	private region(ctx: RequestContext): Region | undefined {
		const r = regionOfHost(ctx.host);
		if (r) return r.region;
		return LOOPBACK.test(ctx.host) || ctx.host === '' ? this.state.config.defaultRegion : undefined;
	}

	protected handle(ctx: RequestContext): void {
		const region = this.region(ctx);
		if (!region) {
			this.sendError(ctx, new SpApiError(404, 'NotFound', `Unknown host ${ctx.host}: not an SP-API endpoint.`));
			return;
		}
		ctx.entry.region = region;
		const match = this.routes.get(ctx);
		const sandboxHost = regionOfHost(ctx.host)?.environment === 'sandbox';
		if (!match || (match.operation.sandboxOnly && !sandboxHost)) {
			const { methodNotAllowed } = matchOperation(ctx.method, ctx.path);
			this.sendError(
				ctx,
				match
					? new SpApiError(404, 'NotFound', `Resource ${ctx.path} is not found: ${match.operation.operationId} is a sandbox-only operation; call it on sandbox.${spApiHostName(region)}.`)
					: methodNotAllowed
						? new SpApiError(405, 'MethodNotAllowed', `Method ${ctx.method} is not allowed on ${ctx.path}.`)
						: new SpApiError(404, 'NotFound', `Resource ${ctx.path} is not found.`),
			);
			return;
		}
		const { operation } = match;

		// Authentication: the token travels in x-amz-access-token only; Authorization is ignored.
		const header = ctx.headers['x-amz-access-token'];
		const lookup = this.state.tokens.lookup(Array.isArray(header) ? header[0] : header);
		if (!lookup.ok) {
			this.sendError(ctx, invalidToken());
			return;
		}
		const token = lookup.token;
		if (operation.auth === 'grantless') {
			if (token.kind !== 'grantless') {
				this.sendError(
					ctx,
					accessDenied(
						`${operation.operationId} is a grantless operation: call it with an application token from grant_type=client_credentials and scope sellingpartnerapi::notifications, not with a ${token.kind === 'rdt' ? 'Restricted Data Token' : "seller's access token"}.`,
					),
				);
				return;
			}
		} else {
			if (token.kind === 'grantless' || !token.sellerId) {
				this.sendError(ctx, accessDenied(`A grantless token cannot be used for ${operation.operationId}: exchange the seller's refresh token (grant_type=refresh_token).`));
				return;
			}
			if (token.region !== region) {
				this.sendError(ctx, accessDenied(`The access token was issued for region ${token.region} and cannot be used on a ${region} endpoint.`));
				return;
			}
		}
		let decodedPath = ctx.path;
		try {
			decodedPath = decodeURIComponent(ctx.path);
		} catch {
			// keep
		}
		if (token.kind === 'rdt') {
			const covered = operation.restricted && (token.resources ?? []).some((r) => r.method === ctx.method && pathCovers(r.path, decodedPath));
			if (!covered) {
				this.sendError(ctx, accessDenied('The Restricted Data Token does not cover this operation and path.'));
				return;
			}
		}
		if (token.sellerId) ctx.entry.sellerId = token.sellerId;
		const app = this.state.tokens.app(token.clientId);

		// Usage plan: one bucket per seller + application + operation (grantless: per application).
		if (!this.limiter.tryTake(`${token.sellerId ?? 'app'}|${token.clientId}|${operation.name}`, operation)) {
			ctx.entry.throttled = true;
			this.sendError(ctx, quotaExceeded());
			return;
		}
		const rateHeader = { 'x-amzn-RateLimit-Limit': this.limiter.headerValue(operation) };
		// Work Amazon did since the last request (accepted listings changes, finished reports and feeds).
		this.state.scheduler.pump();
		const appCtx: AppContext = {
			state: this.state,
			operation,
			params: match.params,
			query: QueryParams.parse(''),
			body: ctx.body,
			method: ctx.method,
			path: decodedPath,
			region,
			sandboxHost,
			token,
			now: this.state.now(),
		};
		let result: ApiResult;
		try {
			if (match.malformed.length) throw invalidInput(`Malformed percent-encoding in path parameter ${match.malformed.join(', ')}: encode every reserved character, '%' included, exactly once.`);
			appCtx.query = QueryParams.parse(ctx.rawQuery);
			if (operation.auth === 'grantless') {
				checkNotificationsScope(appCtx);
				result = GRANTLESS_HANDLERS[operation.name]!(appCtx);
			} else {
				const apiCtx: ApiContext = { ...appCtx, seller: this.state.store.seller(token.sellerId!), restrictedRole: app?.restrictedRole ?? false };
				result = HANDLERS[operation.name]!(apiCtx);
			}
		} catch (error) {
			if (error instanceof SpApiError) {
				this.sendError(ctx, error, error.status < 500 ? rateHeader : {});
				return;
			}
			throw error;
		}
		this.sendJson(ctx, result.status, result.body, rateHeader);
	}
}

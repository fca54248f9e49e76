/**
 * The one way this package calls SP-API: regional host from the credential's marketplaces, the
 * access token refreshed by n8n on 401/403, per-operation token buckets (Amazon's published
 * rate and burst, then the live x-amzn-RateLimit-Limit), 429 backoff within the run's time
 * budget, Restricted Data Tokens, next-token paging, and errors that say what to fix.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	sleep,
} from 'n8n-workflow';
import { z } from 'zod';

import { apiError, operationError } from '../../common/errors';
import { HostGuardError, assertRelativePath, assertSameOrigin } from '../../common/hostGuard';
import { collectCursor } from '../../common/paging';
import { RateBudgetError, RateLimiterRegistry } from '../../common/rateLimiter';
import { Redactor } from '../../common/redaction';
import { type CallOutcome, type RawResponse, TransportFailure, sendWithRetry } from '../../common/retry';
import { InputValidationError, parseInput } from '../../common/validation';
import { type Region, regionOf, spApiHost } from '../marketplaces';
import { describeSpApiFailure, describeTransportFailure } from './errors';
import { requestLwaToken } from './lwa';
import { type SpApiOperation, fillPath } from './operations';

export const SPAPI_CREDENTIAL_TYPE = 'amazonSellingPartnerApi';
/** The scope of grantless calls this node makes (Notifications destinations and subscriptions by id). */
const GRANTLESS_SCOPE = 'sellingpartnerapi::notifications';
export const AMAZON_SYSTEM = 'Amazon Seller Central';

export type SpApiFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

export interface SpApiSettings {
	/** How long one node run may spend, waits for rate limits included. */
	timeBudgetMs: number;
	requestTimeoutMs: number;
}

export const DEFAULT_SPAPI_SETTINGS: SpApiSettings = { timeBudgetMs: 15 * 60_000, requestTimeoutMs: 60_000 };

const credentialSchema = z.object({
	clientId: z.string().trim().min(1, 'LWA Client ID is empty'),
	clientSecret: z.string().min(1, 'LWA Client Secret is empty'),
	refreshToken: z.string().trim().min(1, 'Refresh Token is empty'),
	marketplaceIds: z.array(z.string()).min(1, 'choose at least one marketplace'),
	sandbox: z.boolean().optional().default(false),
	sellerId: z.string().trim().optional().default(''),
});

export type QueryValue = string | number | boolean | string[] | undefined;

export interface SpApiCall {
	operation: SpApiOperation;
	pathParameters?: Record<string, string>;
	query?: Record<string, QueryValue>;
	body?: IDataObject;
	/** A Restricted Data Token to send instead of the access token (for PII). */
	restrictedDataToken?: string;
	/** Statuses the caller handles itself instead of an error. */
	allowStatuses?: number[];
}

/** Amazon encodes query arrays as comma-separated values; we build the query string ourselves. */
export function buildSpApiQuery(query: Record<string, QueryValue> = {}): string {
	const parts: string[] = [];
	for (const [name, value] of Object.entries(query)) {
		if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) continue;
		const text = Array.isArray(value) ? value.join(',') : String(value);
		parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
	}
	return parts.join('&');
}

export class SpApiClient {
	readonly host: string;
	readonly region: Region;
	readonly marketplaceIds: string[];
	/** The merchant token from the credential ('' when not given). */
	readonly sellerId: string;
	readonly redactor: Redactor;
	/** Restricted Data Tokens of this run, by the resources they cover (they live an hour). */
	readonly restrictedTokens = new Map<string, string>();
	/** Set once the rate limit needed more time than the run had left (a wait refused, or 429s until the end). */
	budgetSpent = false;
	private readonly deadline: number;
	private readonly limiter: RateLimiterRegistry;
	private readonly credentialKey: string;
	/** The application's grantless token of this run (Notifications destinations and the like). */
	private grantlessToken?: string;

	private constructor(
		private readonly context: SpApiFunctions,
		private readonly credentials: z.infer<typeof credentialSchema>,
		region: Region,
		redactor: Redactor,
		readonly settings: SpApiSettings,
	) {
		this.region = region;
		this.host = spApiHost(region, credentials.sandbox);
		this.marketplaceIds = credentials.marketplaceIds;
		this.sellerId = credentials.sellerId;
		this.redactor = redactor;
		this.deadline = Date.now() + settings.timeBudgetMs;
		this.limiter = new RateLimiterRegistry({ now: () => Date.now(), sleep: async (ms) => await sleep(ms, cancelSignal(context)) });
		const id = context.getNode().credentials?.[SPAPI_CREDENTIAL_TYPE]?.id;
		// Buckets are per seller authorization: never shared between refresh tokens.
		this.credentialKey = id ?? `${credentials.clientId}|${credentials.refreshToken.slice(-12)}`;
	}

	/** One client per node run: it owns the run's buckets and time budget. */
	static async create(context: SpApiFunctions, settings: Partial<SpApiSettings> = {}, itemIndex?: number): Promise<SpApiClient> {
		const raw = (await context.getCredentials(SPAPI_CREDENTIAL_TYPE, itemIndex)) as IDataObject;
		const redactor = new Redactor().addCredentialSecrets(raw);
		let credentials: z.infer<typeof credentialSchema>;
		try {
			credentials = parseInput(credentialSchema, raw, 'Amazon Selling Partner API credential');
		} catch (error) {
			throw operationError(
				context.getNode(),
				(error as InputValidationError).message,
				'Open the Amazon Selling Partner API credential and fill in the LWA client ID and secret, the refresh token and the marketplaces.',
				itemIndex,
				redactor,
			);
		}
		const { region, error } = regionOf(credentials.marketplaceIds);
		if (!region) {
			throw operationError(context.getNode(), `${error}`, 'Choose marketplaces of one region in the credential (North America, Europe or Far East).', itemIndex, redactor);
		}
		return new SpApiClient(context, credentials, region, redactor, { ...DEFAULT_SPAPI_SETTINGS, ...settings });
	}

	get node(): INode {
		return this.context.getNode();
	}

	get logger(): SpApiFunctions['logger'] {
		return this.context.logger;
	}

	/** Milliseconds left of this run's time budget. */
	remainingMs(): number {
		return Math.max(0, this.deadline - Date.now());
	}

	/** Sends one call and returns its successful (or explicitly allowed) answer, else throws a node error. */
	async call<T = IDataObject>(call: SpApiCall, itemIndex?: number): Promise<RawResponse<T>> {
		let path: string;
		try {
			path = fillPath(call.operation.path, call.pathParameters ?? {});
		} catch (error) {
			throw operationError(this.node, `${call.operation.id}: ${(error as Error).message}`, 'Fill in every identifier the operation needs.', itemIndex);
		}
		const query = buildSpApiQuery(call.query);
		const url = `${this.host}${path}${query ? `?${query}` : ''}`;
		const token = call.restrictedDataToken ?? (call.operation.grantless ? await this.grantless(itemIndex) : undefined);
		let outcome = await this.send<T>(call.operation, { url, body: call.body, token }, itemIndex);
		if (call.operation.grantless && outcome.response.statusCode === 403) {
			// A grantless token lives an hour like any other: fetch a new one and try once more.
			this.grantlessToken = undefined;
			outcome = await this.send<T>(call.operation, { url, body: call.body, token: await this.grantless(itemIndex) }, itemIndex);
		}
		const { response } = outcome;
		if (response.statusCode < 300 || call.allowStatuses?.includes(response.statusCode)) return response;
		// Still throttled when the run's time was up: the quota, not the request, is the problem.
		if (response.statusCode === 429) this.budgetSpent = true;
		throw apiError(this.node, describeSpApiFailure(response, call.operation, outcome, this.region), itemIndex, this.redactor);
	}

	/** A client-credentials token of the app (scope: notifications), fetched once per run. */
	private async grantless(itemIndex?: number): Promise<string> {
		if (this.grantlessToken) return this.grantlessToken;
		let accessToken: string;
		try {
			({ accessToken } = await requestLwaToken(this.context.helpers, {
				grant_type: 'client_credentials',
				scope: GRANTLESS_SCOPE,
				client_id: this.credentials.clientId.trim(),
				client_secret: this.credentials.clientSecret,
			}));
		} catch (error) {
			throw apiError(
				this.node,
				{ message: 'Login with Amazon refused the grantless token for this operation', description: (error as Error).message, httpCode: 401 },
				itemIndex,
				this.redactor,
			);
		}
		this.redactor.add(accessToken);
		this.grantlessToken = accessToken;
		return accessToken;
	}

	/** The node error for an answer the caller allowed (allowStatuses) but cannot handle after all. */
	failure(response: RawResponse, operation: SpApiOperation, itemIndex?: number): Error {
		return apiError(this.node, describeSpApiFailure(response, operation, { attempts: 1, waitedMs: 0 }, this.region), itemIndex, this.redactor);
	}

	/**
	 * A request to any SP-API path (Raw Request): only a path, always on the credential's regional
	 * host, with the limits of the operation it matches (or conservative ones).
	 */
	async raw<T = IDataObject>(operation: SpApiOperation, pathAndQuery: string, body: IDataObject | undefined, itemIndex?: number): Promise<RawResponse<T>> {
		let url: string;
		try {
			// SP-API paths are written from the host root (/orders/v0/…): one leading slash is the
			// root; two would name another host and are refused by the guard.
			const relative = assertRelativePath(pathAndQuery.trim().replace(/^\/(?!\/)/, ''));
			url = assertSameOrigin(relative, `${this.host}/`, this.host);
		} catch (error) {
			throw operationError(
				this.node,
				(error as HostGuardError).message,
				`Give a path such as /orders/2026-01-01/orders/123-1234567-1234567. Requests always go to ${this.host}, the host of the credential's region.`,
				itemIndex,
			);
		}
		const outcome = await this.send<T>(operation, { url, body }, itemIndex);
		return outcome.response;
	}

	private async send<T>(
		operation: SpApiOperation,
		/** `token`: an RDT or grantless token sent instead of the seller's access token. */
		request: { url: string; body?: IDataObject; token?: string },
		itemIndex?: number,
	): Promise<CallOutcome<T>> {
		// Grantless operations are limited per application, the others per seller authorization.
		const bucketKey = operation.grantless ? `app:${this.credentials.clientId}` : this.credentialKey;
		const bucket = this.limiter.rateBucket(bucketKey, operation.id, operation.rate, operation.burst);
		const headers: Record<string, string> = {
			Accept: 'application/json',
			'User-Agent': 'n8n-nodes-ml-connector (Language=TypeScript; Platform=n8n)',
		};
		if (request.body !== undefined) headers['Content-Type'] = 'application/json';
		const options: IHttpRequestOptions = {
			method: operation.method,
			url: request.url,
			headers,
			body: request.body,
			returnFullResponse: true,
			// 401 and 403 stay exceptions: SP-API signals an expired token with 403, and n8n then
			// refreshes the token (preAuthentication) and resends once.
			ignoreHttpStatusErrors: { ignore: true, except: [401, 403] },
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: this.settings.requestTimeoutMs,
			json: true,
		};
		const send = async (): Promise<RawResponse<T>> => {
			const response = (request.token
				? // Same regional host; the token replaces the seller's for exactly this call. Its
					// 403 comes back as an answer: n8n cannot refresh a token it does not manage.
					await this.context.helpers.httpRequest({ ...options, ignoreHttpStatusErrors: true, headers: { ...headers, 'x-amz-access-token': request.token } })
				: await this.context.helpers.httpRequestWithAuthentication.call(this.context, SPAPI_CREDENTIAL_TYPE, { ...options, headers: { ...headers } }, {
						preAuthenticationRetryStatusCode: [401, 403],
					})) as { statusCode: number; headers: RawResponse['headers']; body: T };
			return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
		};
		try {
			return await sendWithRetry<T>(
				send,
				{
					clock: {
						now: () => Date.now(),
						sleep: async (ms) => await sleep(ms, cancelSignal(this.context)),
					},
					signal: cancelSignal(this.context),
					// Waits for the bucket end at the run's deadline instead of blocking past it.
					bucket: {
						acquire: async () => await bucket.acquire(this.deadline),
						pause: (ms) => bucket.pause(ms),
						adaptRate: (rate) => bucket.adaptRate(rate),
					},
					logger: this.context.logger,
				},
				{
					idempotent: operation.method === 'GET' || operation.method === 'DELETE' || operation.method === 'PUT',
					// 429 QuotaExceeded has no Retry-After: back off from one token's time at the live
					// rate (Amazon's advice: start at 1/rate), with jitter, capped at 30 s.
					backoff: { budgetMs: Math.max(0, this.deadline - Date.now()), maxAttempts: 50, baseDelayMs: Math.min(30_000, Math.ceil(1 / bucket.ratePerMs)) },
					label: operation.id,
				},
			);
		} catch (error) {
			if (error instanceof RateBudgetError) {
				this.budgetSpent = true;
				throw apiError(
					this.node,
					{
						message: `The ${operation.id} rate limit (${operation.rate} requests/s after a burst of ${operation.burst}) needs more time than this run has left`,
						description: `${error.message}. Raise "Time Budget (Minutes)" in the node options, narrow the query (shorter date window, fewer pages), or use reports or notifications for bulk data.`,
						httpCode: 429,
					},
					itemIndex,
					this.redactor,
				);
			}
			if (error instanceof TransportFailure && error.reason === 'cancelled') {
				throw operationError(this.node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', itemIndex);
			}
			throw apiError(this.node, describeTransportFailure(error, operation, this.region), itemIndex, this.redactor);
		}
	}

	/** All items of a next-token paged operation (or up to `limit`). */
	async collect<T>(
		fetchPage: (token: string | undefined) => Promise<{ items: T[]; next?: string }>,
		limit?: number,
	): Promise<T[]> {
		return await collectCursor<T, string>(async (token) => await fetchPage(token), { limit });
	}
}

export function cancelSignal(context: SpApiFunctions): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

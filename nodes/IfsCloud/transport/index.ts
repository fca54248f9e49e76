/**
 * The one way this package calls IFS Cloud: projection URLs, OAuth2 via n8n, CSRF on /main,
 * pacing, retries, ETag round-trips, paging, `$metadata`, and errors that say how to fix them.
 */
import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	sleep,
} from 'n8n-workflow';
import { z } from 'zod';

import { headerValue } from '../../common/backoff';
import { apiError, operationError } from '../../common/errors';
import { HostGuardError, assertSameOrigin, parseBaseUrl } from '../../common/hostGuard';
import { collectOffsetPages } from '../../common/paging';
import { type RateLimit, RateLimiterRegistry, type SlidingWindowLimiter } from '../../common/rateLimiter';
import { Redactor } from '../../common/redaction';
import {
	type CallOutcome,
	type FailureKind,
	type RawResponse,
	type RetryOptions,
	TransportFailure,
	sendWithRetry,
} from '../../common/retry';
import { InputValidationError, parseInput } from '../../common/validation';
import { type EdmEntityType, MetadataError, type ServiceModel, entityTypeOfSet, parseCsdl } from '../odata/csdl';
import { type KeyPart, keyPredicate } from '../odata/literals';
import { type QueryOptions, buildQueryString } from '../odata/query';
import { type RequestContext, describeIfsFailure, describeTokenFailure, ifsEnvelope } from './errors';

export const IFS_CREDENTIAL_TYPE = 'ifsCloudOAuth2Api';
export const IFS_SYSTEM = 'IFS Cloud';

export type IfsFunctions = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;
export type Deployment = 'int' | 'main';

export interface IfsSettings {
	/** Overrides the credential's deployment. */
	deployment?: Deployment;
	timeZoneAware: boolean;
	rateLimit: RateLimit;
	maxConcurrency: number;
	pageSize: number;
	requestTimeoutMs: number;
	retryBudgetMs: number;
}

export const DEFAULT_SETTINGS: IfsSettings = {
	timeZoneAware: false,
	// IFS documents no limit; ~1000 requests/min per tenant is the working assumption for cloud tenants.
	rateLimit: { requests: 1000, windowMs: 60_000 },
	maxConcurrency: 4,
	pageSize: 5000,
	requestTimeoutMs: 60_000,
	retryBudgetMs: 120_000,
};

/** The server-side cap on rows per request (IFS Cloud and our sandbox). */
export const MAX_PAGE_SIZE = 5000;

const credentialSchema = z.object({
	systemUrl: z.string().trim().min(1, 'System URL is empty'),
	realm: z.string().trim().min(1, 'Realm is empty'),
	clientId: z.string().trim().min(1, 'Client ID is empty'),
	clientSecret: z.string().min(1, 'Client Secret is empty'),
	companyCode: z.string().trim().optional().default(''),
	deployment: z.enum(['int', 'main']).optional().default('int'),
});
type IfsCredentialFields = z.infer<typeof credentialSchema>;

export interface IfsRequest {
	method: IHttpRequestMethods;
	projection: string;
	/** Path below the projection's service root, already encoded (`CustomerOrderSet(OrderNo='C1')`). */
	path: string;
	query?: string;
	/** A next link from IFS: followed only when it stays on the configured host. */
	absoluteUrl?: string;
	body?: IDataObject;
	ifMatch?: string;
	headers?: Record<string, string>;
	/** Defaults by method: GET, PUT, DELETE and PATCH with If-Match are idempotent. */
	idempotent?: boolean;
	/** For non-idempotent writes: establish whether an ambiguous attempt took effect. */
	verify?: RetryOptions['verifyAfterAmbiguousFailure'];
	/** `return=representation` (default for POST/PATCH) or `return=minimal`. */
	prefer?: 'representation' | 'minimal';
	responseType?: 'json' | 'text';
	/** Statuses the caller handles itself instead of an error (e.g. 404 = "not there", 412 = "changed"). */
	allowStatuses?: number[];
}

export interface IfsResponse<T = IDataObject> extends RawResponse<T> {
	etag?: string;
	verified?: boolean;
}

interface Csrf {
	token: string;
}

export class IfsClient {
	readonly redactor: Redactor;
	readonly credentials: IfsCredentialFields;
	readonly deployment: Deployment;
	readonly origin: string;
	private readonly apiRoot: string;
	private readonly bucket: SlidingWindowLimiter | undefined;
	private readonly models = new Map<string, Promise<ServiceModel>>();
	private csrf: Csrf | undefined;
	private csrfPending: Promise<Csrf> | undefined;

	private constructor(
		private readonly context: IfsFunctions,
		credentials: IfsCredentialFields,
		readonly settings: IfsSettings,
		redactor: Redactor,
		bucket: SlidingWindowLimiter | undefined,
	) {
		this.credentials = credentials;
		this.redactor = redactor;
		this.deployment = settings.deployment ?? credentials.deployment;
		const base = parseBaseUrl(credentials.systemUrl, 'System URL');
		this.origin = base.origin;
		const prefix = base.pathname.replace(/\/+$/, '');
		this.apiRoot = `${base.origin}${prefix}/${this.deployment}/ifsapplications/projection/v1`;
		this.bucket = bucket;
	}

	/** One client per node run: it owns the run's rate limiter, XSRF token and metadata cache. */
	static async create(context: IfsFunctions, settings: Partial<IfsSettings> = {}, itemIndex?: number): Promise<IfsClient> {
		const raw = (await context.getCredentials(IFS_CREDENTIAL_TYPE, itemIndex)) as IDataObject;
		const redactor = new Redactor().addCredentialSecrets(raw);
		const node = context.getNode();
		let credentials: IfsCredentialFields;
		try {
			credentials = parseInput(credentialSchema, raw, 'IFS Cloud credential');
			parseBaseUrl(credentials.systemUrl, 'System URL');
		} catch (error) {
			const message = error instanceof InputValidationError || error instanceof HostGuardError ? error.message : String(error);
			throw operationError(
				node,
				message,
				'Open the IFS Cloud credential and fill in System URL (e.g. https://mytenant.ifs.cloud), Realm, Client ID and Client Secret.',
				itemIndex,
				redactor,
			);
		}
		const merged: IfsSettings = { ...DEFAULT_SETTINGS, ...settings };
		merged.pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(merged.pageSize)));
		merged.maxConcurrency = Math.max(1, Math.min(16, Math.floor(merged.maxConcurrency)));
		const limiter = new RateLimiterRegistry({ now: () => Date.now(), sleep: async (ms) => await pause(context, ms) });
		const credentialKey = credentialIdentity(node, credentials);
		const bucket = limiter.bucket(credentialKey, 'tenant', merged.rateLimit);
		return new IfsClient(context, credentials, merged, redactor, bucket);
	}

	get node(): INode {
		return this.context.getNode();
	}

	get companyCode(): string {
		return this.credentials.companyCode;
	}

	serviceRoot(projection: string): string {
		return `${this.apiRoot}/${encodeURIComponent(validProjection(projection))}.svc`;
	}

	/** Sends one request and returns a successful (or explicitly allowed) answer, else throws a node error. */
	async request<T = IDataObject>(request: IfsRequest, itemIndex?: number): Promise<IfsResponse<T>> {
		const outcome = await this.execute<T>(request, itemIndex);
		const { response } = outcome;
		if (response.statusCode < 300 || request.allowStatuses?.includes(response.statusCode)) {
			return { ...response, etag: etagOf(response), verified: outcome.verified };
		}
		throw apiError(this.node, describeIfsFailure(response, this.requestContext(request), outcome), itemIndex, this.redactor);
	}

	private requestContext(request: IfsRequest): RequestContext {
		return {
			method: request.method,
			projection: request.projection,
			path: request.path,
			deployment: this.deployment,
			realm: this.credentials.realm,
		};
	}

	private async execute<T>(request: IfsRequest, itemIndex?: number, csrfRetried = false): Promise<CallOutcome<T>> {
		const url = this.resolveUrl(request, itemIndex);
		const write = request.method !== 'GET' && request.method !== 'HEAD';
		const csrf = write && this.deployment === 'main' ? await this.csrfToken(request.projection, itemIndex) : undefined;
		const headers: Record<string, string> = {
			Accept: request.responseType === 'text' ? 'application/xml, text/plain, */*' : 'application/json',
			...request.headers,
		};
		if (request.body !== undefined) headers['Content-Type'] = 'application/json';
		if (request.ifMatch) headers['If-Match'] = request.ifMatch;
		if (write && request.method !== 'DELETE') headers.Prefer = `return=${request.prefer ?? 'representation'}`;
		if (this.settings.timeZoneAware) headers['X-Ifs-Time-Zone-Aware-Request'] = 'true';
		if (csrf) {
			headers['X-XSRF-TOKEN'] = csrf.token;
			headers.Cookie = `XSRF-TOKEN=${csrf.token}`;
		}
		this.redactor.add(csrf?.token);

		const options: IHttpRequestOptions = {
			method: request.method,
			url,
			headers,
			body: request.body,
			returnFullResponse: true,
			// 401 must stay an exception: it is what makes n8n fetch a new token and retry once.
			ignoreHttpStatusErrors: { ignore: true, except: [401] },
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
			timeout: this.settings.requestTimeoutMs,
			encoding: request.responseType === 'text' ? 'text' : undefined,
			json: request.responseType !== 'text',
		};
		const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'HEAD' || request.method === 'PUT' || request.method === 'DELETE' || (request.method === 'PATCH' && !!request.ifMatch));

		let outcome: CallOutcome<T>;
		try {
			outcome = await sendWithRetry<T>(
				async () => await this.send<T>(options),
				{
					clock: { now: () => Date.now(), sleep: async (ms) => await pause(this.context, ms) },
					signal: cancelSignal(this.context),
					bucket: this.bucket,
					logger: this.context.logger,
				},
				{
					idempotent,
					verifyAfterAmbiguousFailure: request.verify,
					classifyResponse: classifyIfsResponse,
					backoff: { budgetMs: this.settings.retryBudgetMs },
					label: `${request.method} ${request.projection}`,
				},
			);
		} catch (error) {
			throw this.transportError(error, request, itemIndex);
		}

		const { response } = outcome;
		if (response.statusCode === 403 && ifsEnvelope(response.body)?.code === 'CSRF_ERROR' && csrf && !csrfRetried) {
			// The XSRF token expired with its session: fetch a new one and try once more.
			this.csrf = undefined;
			return await this.execute<T>(request, itemIndex, true);
		}
		if (request.method === 'GET' && this.deployment === 'main') this.rememberCsrf(response.headers);
		return outcome;
	}

	private async send<T>(options: IHttpRequestOptions): Promise<RawResponse<T>> {
		const response = (await this.context.helpers.httpRequestWithAuthentication.call(
			this.context,
			IFS_CREDENTIAL_TYPE,
			{ ...options, headers: { ...options.headers } },
		)) as { statusCode: number; headers: RawResponse['headers']; body: T };
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
	}

	private resolveUrl(request: IfsRequest, itemIndex?: number): string {
		const root = this.serviceRoot(request.projection);
		try {
			if (request.absoluteUrl) return assertSameOrigin(request.absoluteUrl, `${root}/`, this.origin);
		} catch (error) {
			throw operationError(
				this.node,
				(error as Error).message,
				'IFS returned a next link to another host. The node never sends the IFS token elsewhere; check for a proxy rewriting URLs, or set the System URL to the host IFS reports.',
				itemIndex,
				this.redactor,
			);
		}
		const path = request.path.replace(/^\/+/, '');
		return `${root}/${path}${request.query ? `?${request.query}` : ''}`;
	}

	/**
	 * Errors without an HTTP answer: network failures the retry loop gave up on, token endpoint
	 * failures, cancellation. n8n's own error objects carry the request (headers, token included),
	 * so they are never passed on: a clean error is built from what they say.
	 */
	private transportError(error: unknown, request: IfsRequest, itemIndex?: number): Error {
		const node = this.node;
		if (!(error instanceof TransportFailure)) {
			if (cancelSignal(this.context)?.aborted) {
				return operationError(node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', itemIndex);
			}
			// Our own node errors (e.g. from a verification read) are already clean.
			if (error instanceof Error && 'node' in error && !(error as { cause?: unknown }).cause) return error;
		}
		const token = describeTokenFailure(error, this.credentials.systemUrl, this.credentials.realm, this.credentials.clientId);
		if (token) return apiError(node, token, itemIndex, this.redactor);

		const failure = error instanceof TransportFailure ? error : undefined;
		if (failure?.reason === 'cancelled') {
			return operationError(node, 'The execution was cancelled', 'Nothing to fix: the run was stopped.', itemIndex);
		}
		const where = `${request.method} ${request.projection}/${request.path}`;
		const httpCode = httpCodeOf(failure?.cause ?? error);
		if (httpCode === '401') {
			return apiError(
				node,
				{
					message: `IFS Cloud rejected the access token even after fetching a new one (${where})`,
					description: `Check that the IAM client is enabled in realm "${this.credentials.realm}", that its service account user is active, and that System URL is the environment the client belongs to.`,
					httpCode,
				},
				itemIndex,
				this.redactor,
			);
		}
		if (!failure || failure.code === undefined) {
			return apiError(
				node,
				{
					message: `IFS Cloud request failed (${where}): ${messageOf(failure?.cause ?? error)}`,
					description: 'Check the credential (System URL, Realm, Client ID and Secret) and the node parameters.',
					httpCode,
				},
				itemIndex,
				this.redactor,
			);
		}
		const description =
			failure.reason === 'ambiguous-unsafe'
				? `The ${request.method} may or may not have been applied in IFS Cloud, so it was not sent again automatically. Check whether the record exists in IFS before re-running this item.`
				: failure.code === 'ENOTFOUND' || failure.code === 'ECONNREFUSED'
					? `Check the System URL (${this.credentials.systemUrl}) in the credential and that the environment is reachable from n8n.`
					: `Retried ${failure.attempts} times over ${Math.round(failure.waitedMs / 1000)} s. Try again later; retrying the execution is safe.`;
		return apiError(
			node,
			{ message: `${failure.message} (${where})`, description, details: { code: failure.code, attempts: failure.attempts } },
			itemIndex,
			this.redactor,
		);
	}

	private rememberCsrf(headers: RawResponse['headers']): void {
		const token = xsrfFromSetCookie(headers);
		if (token) this.csrf = { token };
	}

	private async csrfToken(projection: string, itemIndex?: number): Promise<Csrf> {
		if (this.csrf) return this.csrf;
		// One fetch even when several writes start at once.
		this.csrfPending ??= (async () => {
			const response = await this.request({ method: 'GET', projection, path: '' }, itemIndex);
			const token = xsrfFromSetCookie(response.headers);
			if (!token) {
				throw operationError(
					this.node,
					'IFS Cloud did not issue an XSRF token on the /main deployment',
					'Writes on /main need the XSRF-TOKEN cookie. Use the Integration (/int) deployment for this projection, or check that no proxy strips cookies.',
					itemIndex,
				);
			}
			this.csrf = { token };
			return this.csrf;
		})().finally(() => {
			this.csrfPending = undefined;
		});
		return await this.csrfPending;
	}

	/** The projection's `$metadata`, fetched once per run. */
	async model(projection: string, itemIndex?: number): Promise<ServiceModel> {
		let pending = this.models.get(projection);
		if (!pending) {
			pending = (async () => {
				const response = await this.request<string>(
					{ method: 'GET', projection, path: '$metadata', responseType: 'text' },
					itemIndex,
				);
				try {
					return parseCsdl(typeof response.body === 'string' ? response.body : String(response.body));
				} catch (error) {
					throw operationError(
						this.node,
						`Could not read the $metadata of ${projection}: ${(error as MetadataError).message}`,
						'Check that the projection name is right (API Explorer) and that the System URL points at IFS Cloud, not a login page.',
						itemIndex,
					);
				}
			})();
			this.models.set(projection, pending);
			pending.catch(() => this.models.delete(projection));
		}
		return await pending;
	}

	async entityType(projection: string, entitySet: string, itemIndex?: number): Promise<EdmEntityType> {
		const model = await this.model(projection, itemIndex);
		const type = entityTypeOfSet(model, entitySet);
		if (!type) {
			const available = Object.keys(model.entitySets).sort();
			throw operationError(
				this.node,
				`Entity set "${entitySet}" is not in projection ${projection}`,
				`Pick one from the list or check the name in API Explorer. Entity sets in ${projection}: ${available.slice(0, 30).join(', ')}${available.length > 30 ? ', …' : ''}.`,
				itemIndex,
			);
		}
		return type;
	}

	/** Typed key parts of an entity set, for building `(Key=…)` predicates. */
	async keyParts(projection: string, entitySet: string, itemIndex?: number): Promise<KeyPart[]> {
		const type = await this.entityType(projection, entitySet, itemIndex);
		return type.keys.map((name) => ({ name, type: type.properties[name]?.type ?? 'Edm.String' }));
	}

	async enumTypeNames(projection: string, itemIndex?: number): Promise<Set<string>> {
		return new Set(Object.keys((await this.model(projection, itemIndex)).enumTypes));
	}

	async keyPath(projection: string, entitySet: string, key: Record<string, unknown>, itemIndex?: number): Promise<string> {
		const parts = await this.keyParts(projection, entitySet, itemIndex);
		const enums = await this.enumTypeNames(projection, itemIndex);
		try {
			return `${encodeURIComponent(entitySet)}${keyPredicate(parts, key, enums)}`;
		} catch (error) {
			throw operationError(
				this.node,
				`Cannot address a row of ${entitySet}: ${(error as Error).message}`,
				`${entitySet} is keyed by ${parts.map((part) => `${part.name} (${part.type.replace('Edm.', '')})`).join(', ')}. Provide every key field.`,
				itemIndex,
			);
		}
	}

	/**
	 * Reads a collection. With `limit` undefined it returns every row: the first page reports the
	 * total, the other pages are fetched concurrently (bounded, paced) and joined in order. Rows
	 * that shift between pages are de-duplicated by `identity`.
	 */
	async readCollection(
		projection: string,
		path: string,
		query: QueryOptions,
		options: { limit?: number; identity?: (row: IDataObject) => string },
		itemIndex?: number,
	): Promise<IDataObject[]> {
		return await collectOffsetPages<IDataObject>({
			pageSize: this.settings.pageSize,
			limit: options.limit,
			concurrency: this.settings.maxConcurrency,
			identity: options.identity,
			fetchPage: async (offset, size) =>
				await this.readPage(projection, path, { ...query, top: size, skip: offset, count: offset === 0 }, size, itemIndex),
		});
	}

	/** One `$top`/`$skip` page; if IFS pages it further with next links, they are followed to fill it. */
	private async readPage(
		projection: string,
		path: string,
		query: QueryOptions,
		size: number,
		itemIndex?: number,
	): Promise<{ items: IDataObject[]; total?: number }> {
		let response = await this.request<IDataObject>({ method: 'GET', projection, path, query: buildQueryString(query) }, itemIndex);
		const total = typeof response.body['@odata.count'] === 'number' ? (response.body['@odata.count'] as number) : undefined;
		const items = rowsOf(response.body, this, itemIndex);
		const seenLinks = new Set<string>();
		for (let link = nextLinkOf(response.body); link && items.length < size; link = nextLinkOf(response.body)) {
			if (seenLinks.has(link)) break;
			seenLinks.add(link);
			response = await this.request<IDataObject>({ method: 'GET', projection, path, absoluteUrl: link }, itemIndex);
			items.push(...rowsOf(response.body, this, itemIndex));
		}
		return { items: items.slice(0, size), total };
	}
}

function rowsOf(body: IDataObject, client: IfsClient, itemIndex?: number): IDataObject[] {
	if (!Array.isArray(body?.value)) {
		throw operationError(
			client.node,
			'IFS Cloud answered without a "value" array',
			'The path does not name a collection. Use Get for a single row, or check the entity set name.',
			itemIndex,
		);
	}
	return body.value as IDataObject[];
}

function nextLinkOf(body: IDataObject): string | undefined {
	const link = body?.['@odata.nextLink'];
	return typeof link === 'string' && link !== '' ? link : undefined;
}

/** IFS-specific retry rule: a projection redeployed under us is retried once. */
function classifyIfsResponse(response: RawResponse, attempt: number): FailureKind | undefined {
	if (response.statusCode === 500 && attempt === 1 && ifsEnvelope(response.body)?.code === 'MI_MODIFIED_ERROR') {
		return 'rejected';
	}
	return undefined;
}

export function etagOf(response: RawResponse): string | undefined {
	const header = headerValue(response.headers, 'etag');
	if (header) return header;
	const body = response.body as IDataObject | undefined;
	const inBody = body && typeof body === 'object' ? body['@odata.etag'] : undefined;
	return typeof inBody === 'string' ? inBody : undefined;
}

function xsrfFromSetCookie(headers: RawResponse['headers']): string | undefined {
	const raw = Object.entries(headers).find(([name]) => name.toLowerCase() === 'set-cookie')?.[1];
	const cookies = Array.isArray(raw) ? raw : raw !== undefined ? [String(raw)] : [];
	for (const cookie of cookies) {
		const match = /(?:^|;\s*)XSRF-TOKEN=([^;]+)/i.exec(cookie);
		if (match) return decodeURIComponent(match[1]);
	}
	return undefined;
}

function httpCodeOf(error: unknown): string | undefined {
	const code = (error as { httpCode?: unknown } | undefined)?.httpCode;
	return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

function validProjection(projection: string): string {
	const name = projection.trim().replace(/\.svc$/i, '');
	if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
		throw new HostGuardError(`"${projection}" is not a projection name (letters, digits and _ only, e.g. CustomerOrderHandling)`, projection, '');
	}
	return name;
}

function credentialIdentity(node: INode, credentials: IfsCredentialFields): string {
	const id = node.credentials?.[IFS_CREDENTIAL_TYPE]?.id;
	return id ?? `${credentials.systemUrl}|${credentials.clientId}`;
}

function cancelSignal(context: IfsFunctions): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

async function pause(context: IfsFunctions, ms: number): Promise<void> {
	await sleep(ms, cancelSignal(context));
}

/**
 * IFS Cloud sandbox: a local HTTP server that behaves like an IFS Cloud tenant's IAM
 * (Keycloak) and OData v4 projection API where our tests need it.
 *
 * Plain Node module (no jest imports): usable from tests, demo scripts and benchmarks.
 *
 *   const sandbox = await startIfsSandbox({ inventoryRows: 100_000 });
 *   // sandbox.tokenUrl, sandbox.clientId, sandbox.clientSecret, sandbox.serviceUrl('CustomerOrderHandling')
 *   sandbox.clock.set('2024-06-01T12:00:00Z');                  // data timestamps and token lifetimes
 *   sandbox.hooks.beforeApiRequest = ({ path }) => { ... };     // change data between two requests
 *   await sandbox.close();
 */
import { TokenService } from './auth';
import { SandboxClock, type IfsClockControls } from './clock';
import { coerceJsonValue } from './edm-values';
import { FaultController, type IfsFaultControls } from './faults';
import type { Deployment, ProjectionDef, RowValues, Value } from './model';
import { ODataService } from './odata-service';
import { buildProjections } from './projections';
import { SlidingWindowRateLimiter, type RateLimitConfig } from './rate-limit';
import { seedDatabase, type SeedCounts } from './seed';
import { SandboxServer, type SandboxHooks, type ServerDeps } from './server';
import { Stats, type IfsStatsView } from './stats';
import { Database, etagOf, type Table } from './store';

export type { IfsFaultControls, ConcurrentWriteRecord, ConcurrentWriterOptions, FailOptions, FaultOptions, RequestMatcher } from './faults';
export type { IfsStatsView, RequestLogEntry } from './stats';
export type { Deployment } from './model';
export type { SeedCounts } from './seed';
export type { IfsClockControls } from './clock';
export type { ApiRequestInfo, SandboxHooks } from './server';
export { computeEtag } from './store';
export { CUSTOMER_ORDER_STATES, VOUCHER_STATUSES, INVENTORY_KEYS, CREDIT_LIMIT, SITE_COMPANY } from './projections';
export { SHIPMENT_STATES } from './shipments';
export { CUSTOMER_INVOICE_STATES } from './payments';
export { CHART_OF_ACCOUNTS, COST_CENTERS, VOUCHER_TYPES } from './gl-vouchers';
export { CURRENCY_DECIMALS } from './money';
export { seededCustomerId, seededOrderNo, CUSTOMER_COUNT, ORDER_COUNT, SALES_PART_COUNT, seededCatalogNo } from './seed';

export interface IfsSandboxOptions {
	/** IAM realm (namespace). Default 'mlcdemo'. */
	realm?: string;
	/** clientId -> secret. Default { MLC_INTEGRATION: 'sandbox-secret-1' }. */
	clients?: Record<string, string>;
	/** Access-token lifetime (expires_in). Default 180 (the IFS docs sample). */
	tokenLifetimeSeconds?: number;
	/** Tenant-wide sliding window over API requests, or false. Default 1000 per 60 000 ms. */
	rateLimit?: RateLimitConfig | false;
	/** Server-side page size cap. Default 5000. */
	maxPageSize?: number;
	/** @odata.nextLink form. 'relative' links resolve against @odata.context (the service root). */
	nextLinkStyle?: 'absolute' | 'relative';
	/** Data seed. Default 1. */
	seed?: number;
	/** Rows in InventoryPartInStockSet. Default 1000. */
	inventoryRows?: number;
	/** Default 0 = random free port. */
	port?: number;
	/** Projections the service user has no grants for (-> 403). */
	deniedProjections?: string[];
	/** Idle timeout of every socket. Default 30 000 ms. */
	socketTimeoutMs?: number;
	/** Request log entries kept in stats.log. Default 10 000. */
	requestLogLimit?: number;
	/** Largest accepted request body. Default 10 MiB. */
	maxBodyBytes?: number;
}

/** A row as the API returns it: @odata.etag, luname, keyref and all properties. */
export type SandboxRow = Record<string, unknown> & { '@odata.etag': string };

export interface IfsSandboxData {
	/** All rows in key order (copies). */
	rows(projection: string, entitySet: string): SandboxRow[];
	count(projection: string, entitySet: string): number;
	get(projection: string, entitySet: string, keys: Record<string, unknown>): SandboxRow | undefined;
	/** Current ETag, or undefined when the row does not exist. */
	etag(projection: string, entitySet: string, keys: Record<string, unknown>): string | undefined;
	objversion(projection: string, entitySet: string, keys: Record<string, unknown>): string | undefined;
	/**
	 * Seed a row. Values are type-checked; defaults and the set's rules (parent exists, totals,
	 * known sales part, number series) apply; read-only fields may be set (a given ChangeDate is
	 * kept); the set's create permission is not checked.
	 */
	insert(projection: string, entitySet: string, values: Record<string, unknown>): SandboxRow;
	/**
	 * Change a row like another user would: Objversion increases, so its ETag changes, and
	 * ChangeDate moves to the sandbox clock's now (unless `changes` sets it).
	 */
	update(projection: string, entitySet: string, keys: Record<string, unknown>, changes: Record<string, unknown>): SandboxRow;
	remove(projection: string, entitySet: string, keys: Record<string, unknown>): boolean;
	/** Back to the seeded data. */
	reset(): void;
	/** Row counts of the last seeding. */
	readonly seeded: SeedCounts;
}

export interface IfsSandbox {
	/** http://127.0.0.1:<port> */
	readonly url: string;
	readonly port: number;
	readonly realm: string;
	/** First configured client. */
	readonly clientId: string;
	readonly clientSecret: string;
	readonly tokenUrl: string;
	readonly userinfoUrl: string;
	/** `<url>/<deployment>/ifsapplications/projection/v1` */
	apiBase(deployment?: Deployment): string;
	/** `<apiBase>/<Projection>.svc` */
	serviceUrl(projection: string, deployment?: Deployment): string;
	/** Mint an access token without an HTTP round trip (counts as issued). */
	issueToken(clientId?: string): string;
	readonly faults: IfsFaultControls;
	readonly stats: IfsStatsView;
	readonly data: IfsSandboxData;
	/** The tenant's clock (data timestamps, token lifetimes); real time unless set. */
	readonly clock: IfsClockControls;
	/**
	 * Replace the tenant rate limit (or turn it off with false) while serving, e.g. between two
	 * benchmark runs; the window starts empty. `reset()` keeps the limit and empties the window.
	 */
	setRateLimit(rateLimit: RateLimitConfig | false): void;
	/** The rate limit in force. */
	readonly rateLimit: RateLimitConfig | false;
	/** Test hooks (see SandboxHooks); assign and clear freely. */
	readonly hooks: SandboxHooks;
	/**
	 * Re-seed data, clear faults, stats, hooks and the rate window, clock back to real time.
	 * Issued tokens stay valid (except those minted while the clock was set to the past: they
	 * expire by their own lifetime once real time is back).
	 */
	reset(): void;
	/** Close the server and every socket. */
	close(): Promise<void>;
}

function resolveOptions(options: IfsSandboxOptions) {
	const clients = options.clients ?? { MLC_INTEGRATION: 'sandbox-secret-1' };
	if (Object.keys(clients).length === 0) throw new Error('startIfsSandbox: at least one client is required');
	const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 180;
	if (!Number.isInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1) {
		throw new Error('startIfsSandbox: tokenLifetimeSeconds must be a positive integer');
	}
	const maxPageSize = options.maxPageSize ?? 5000;
	if (!Number.isInteger(maxPageSize) || maxPageSize < 1) throw new Error('startIfsSandbox: maxPageSize must be a positive integer');
	return {
		realm: options.realm ?? 'mlcdemo',
		clients,
		tokenLifetimeSeconds,
		rateLimit: options.rateLimit === undefined ? { requests: 1000, windowMs: 60_000 } : options.rateLimit,
		maxPageSize,
		nextLinkStyle: options.nextLinkStyle ?? 'absolute',
		seed: options.seed ?? 1,
		inventoryRows: options.inventoryRows ?? 1000,
		port: options.port ?? 0,
		deniedProjections: new Set(options.deniedProjections ?? []),
		socketTimeoutMs: options.socketTimeoutMs ?? 30_000,
		requestLogLimit: options.requestLogLimit ?? 10_000,
		maxBodyBytes: options.maxBodyBytes ?? 10 * 1024 * 1024,
	};
}

export async function startIfsSandbox(options: IfsSandboxOptions = {}): Promise<IfsSandbox> {
	const config = resolveOptions(options);
	const projections: ProjectionDef[] = buildProjections();
	const clock = new SandboxClock();
	const hooks: SandboxHooks = {};

	let db = new Database(projections, clock.now);
	let seeded = seedDatabase(db, config);
	const reseed = () => {
		db = new Database(projections, clock.now);
		seeded = seedDatabase(db, config);
	};

	let baseUrl = '';
	const tokens = new TokenService(
		config.realm,
		config.clients,
		config.tokenLifetimeSeconds,
		() => `${baseUrl}/auth/realms/${config.realm}`,
		clock.now,
	);
	const faults = new FaultController(() => tokens.expireAll());
	const stats = new Stats(config.rateLimit ? config.rateLimit.windowMs : 60_000, config.requestLogLimit);
	let rateLimit: RateLimitConfig | false = config.rateLimit ? { ...config.rateLimit } : false;
	const service = new ODataService({
		db: () => db,
		faults,
		maxPageSize: config.maxPageSize,
		nextLinkStyle: config.nextLinkStyle,
		now: clock.now,
	});
	// The server reads deps.limiter per request, so setRateLimit takes effect at once.
	const deps: ServerDeps = {
		hooks,
		tokens,
		faults,
		stats,
		limiter: rateLimit ? new SlidingWindowRateLimiter(rateLimit) : undefined,
		service,
		projections,
	};
	const server = new SandboxServer(
		{
			realm: config.realm,
			deniedProjections: config.deniedProjections,
			socketTimeoutMs: config.socketTimeoutMs,
			maxBodyBytes: config.maxBodyBytes,
		},
		deps,
	);
	baseUrl = await server.listen(config.port);
	const port = Number(new URL(baseUrl).port);
	const [clientId, clientSecret] = Object.entries(config.clients)[0];

	const table = (projection: string, entitySet: string): Table => db.table(projection, entitySet);
	const json = (t: Table, keys: Record<string, unknown>) => {
		const row = t.getRow(keys as RowValues);
		return row ? (service.serialize(t, row) as SandboxRow) : undefined;
	};
	const coerce = (t: Table, values: Record<string, unknown>): RowValues => {
		const out: RowValues = {};
		for (const [name, raw] of Object.entries(values)) {
			const prop = t.type.propertyMap.get(name);
			if (!prop) throw new Error(`${t.type.name} has no property ${name}`);
			out[name] = coerceJsonValue(name, prop.type, true, prop.maxLength, raw);
		}
		return out;
	};

	const data: IfsSandboxData = {
		rows: (projection, entitySet) => {
			const t = table(projection, entitySet);
			return t.rows.map((row) => service.serialize(t, row) as SandboxRow);
		},
		count: (projection, entitySet) => table(projection, entitySet).rows.length,
		get: (projection, entitySet, keys) => json(table(projection, entitySet), keys),
		etag: (projection, entitySet, keys) => {
			const row = table(projection, entitySet).getRow(keys as RowValues);
			return row ? etagOf(row) : undefined;
		},
		objversion: (projection, entitySet, keys) => table(projection, entitySet).getRow(keys as RowValues)?.objversion,
		insert: (projection, entitySet, values) => {
			const t = table(projection, entitySet);
			const row = t.create(t.complete(coerce(t, values)));
			return service.serialize(t, row) as SandboxRow;
		},
		update: (projection, entitySet, keys, changes) => {
			const t = table(projection, entitySet);
			const row = t.getRow(keys as RowValues);
			if (!row) throw new Error(`${entitySet}: no row with keys ${JSON.stringify(keys)}`);
			t.update(row, coerce(t, changes));
			return service.serialize(t, row) as SandboxRow;
		},
		remove: (projection, entitySet, keys) => table(projection, entitySet).remove(keys as Record<string, Value>),
		reset: reseed,
		get seeded() {
			return seeded;
		},
	};

	return {
		url: baseUrl,
		port,
		realm: config.realm,
		clientId,
		clientSecret,
		tokenUrl: `${baseUrl}/auth/realms/${config.realm}/protocol/openid-connect/token`,
		userinfoUrl: `${baseUrl}/auth/realms/${config.realm}/protocol/openid-connect/userinfo`,
		apiBase: (deployment = 'int') => `${baseUrl}/${deployment}/ifsapplications/projection/v1`,
		serviceUrl: (projection, deployment = 'int') => `${baseUrl}/${deployment}/ifsapplications/projection/v1/${projection}.svc`,
		issueToken: (id = clientId) => {
			if (!(id in config.clients)) throw new Error(`issueToken: unknown client ${id}`);
			stats.tokensIssued++;
			return tokens.mint(id);
		},
		faults,
		stats,
		data,
		clock,
		hooks,
		setRateLimit: (next) => {
			// Validates before anything changes (the limiter's constructor throws on bad values).
			const limiter = next ? new SlidingWindowRateLimiter(next) : undefined;
			rateLimit = next ? { ...next } : false;
			deps.limiter = limiter;
			stats.setRateWindow(next ? next.windowMs : 60_000);
		},
		get rateLimit() {
			return rateLimit ? { ...rateLimit } : false;
		},
		reset: () => {
			clock.real();
			delete hooks.beforeApiRequest;
			reseed();
			faults.clear();
			stats.reset();
			deps.limiter?.reset();
		},
		close: () => server.close(),
	};
}

/**
 * Routes Amazon's real host names to the sandbox with nock, so the node under test calls
 * https://api.amazon.com and https://sellingpartnerapi-<region>.amazon.com exactly as in
 * production (no endpoint override). Each intercepted request is forwarded to the local server
 * with its method, path + query, headers (the original host kept in Host and x-forwarded-host,
 * plus x-forwarded-proto: https) and raw body bytes; status, headers and raw response bytes are
 * relayed back (binary-safe: gzip documents arrive byte for byte). All other hosts stay blocked
 * (nock.disableNetConnect) except loopback.
 */
import nock from 'nock';

import { type SpApiEndpoints, amazonHostRoutes, relayBuffered, relayRequestHeaders } from './relay';

export type { SpApiEndpoints } from './relay';

export interface RouteOptions {
	/** Also let these hosts through to the real network (default: loopback only). */
	allowHosts?: RegExp;
	/** Leave nock's net-connect setting alone (default false: block everything else). */
	keepNetConnect?: boolean;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
let activeRoutes = 0;
const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/;

/** nock hands reply functions the body as utf8 text, or as hex when the bytes are not valid UTF-8. */
function rawBody(text: string | undefined): Buffer {
	if (!text) return Buffer.alloc(0);
	if (text.length % 2 === 0 && /^[0-9a-f]+$/i.test(text)) {
		const bytes = Buffer.from(text, 'hex');
		if (!Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)) return bytes;
	}
	return Buffer.from(text, 'utf8');
}

/**
 * Intercepts LWA, the SP-API hosts of all regions (production and `sandbox.` names) and the
 * storage host, forwarding them to the sandbox. Returns a function that removes the interceptors
 * and allows network connections again.
 */
export function routeAmazonToSandbox(sandbox: SpApiEndpoints, options: RouteOptions = {}): () => void {
	return routeHostsToLocal(
		amazonHostRoutes(sandbox).map(([host, local]): [string, string] => [`https://${host}`, local]),
		options,
	);
}

/**
 * The forwarding itself, for any sandbox: each `[origin, localUrl]` pair intercepts every method
 * on `origin` and relays it to the local server as described above (relay.ts, shared with the
 * end-to-end MITM proxy; also used by the SQS sandbox). Returns the undo function.
 */
export function routeHostsToLocal(routes: Array<[origin: string, localUrl: string]>, options: RouteOptions = {}): () => void {
	// nock patches Node's http module, which jest shares between the test files of one worker:
	// each file's nock must unpatch when its last route goes, or the patches pile up.
	if (!nock.isActive()) nock.activate();
	activeRoutes++;
	const interceptors: nock.Interceptor[] = [];
	const bodies = new WeakMap<object, string>();
	for (const [origin, local] of routes) {
		const host = new URL(origin).host;
		const target = new URL(local);
		const scope = nock(origin).persist();
		scope.on('request', (req: object, _interceptor: unknown, body: string) => bodies.set(req, body));
		for (const method of METHODS) {
			const interceptor = scope.intercept(() => true, method);
			interceptors.push(interceptor);
			interceptor.reply(async function (uri) {
				const body = rawBody(bodies.get(this.req));
				const headers = relayRequestHeaders(this.req.headers as Record<string, string | string[] | undefined>, host, body.length);
				return relayBuffered(target, { method, path: uri, headers, body });
			});
		}
	}
	if (!options.keepNetConnect) {
		nock.disableNetConnect();
		nock.enableNetConnect((h: string) => LOOPBACK.test(h) || (options.allowHosts?.test(h) ?? false));
	}
	let undone = false;
	return () => {
		if (undone) return;
		undone = true;
		for (const i of interceptors) nock.removeInterceptor(i);
		if (!options.keepNetConnect) nock.enableNetConnect();
		if (--activeRoutes === 0) nock.restore();
	};
}

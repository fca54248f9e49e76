/**
 * Relaying one HTTP request, received under a real host name (api.amazon.com, an SP-API host, the
 * document storage), to the local sandbox server that stands for that host. Shared by the nock
 * routing of in-process tests (route.ts) and the man-in-the-middle proxy that a real n8n process
 * goes through (test/e2e/lib/mitm.ts), so both forward exactly the same way:
 *
 * - method, path + query and the raw body bytes unchanged;
 * - request headers kept (names lower-cased) except hop-by-hop ones; the original host in `Host`
 *   and `x-forwarded-host`, `x-forwarded-proto: https`, `content-length` = the body's length;
 * - response status, headers (without hop-by-hop ones) and raw bytes relayed back;
 * - a socket failure towards the sandbox (its `resetNext` fault) surfaces as `ECONNRESET`.
 *
 * No nock here: the end-to-end library imports this module into a process that must keep Node's
 * HTTP stack unpatched.
 */
import { type Agent, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, request as httpRequest } from 'node:http';

import { LWA_HOST, SP_API_HOSTS } from './marketplaces';

/** Where the sandbox listens (an in-process sandbox or one in another process). */
export interface SpApiEndpoints {
	lwaUrl: string;
	apiUrl: string;
	storageUrl: string;
	storageHost: string;
}

export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'proxy-authorization', 'te', 'trailer']);

/**
 * Every Amazon host name the sandbox serves and the local URL serving it: Login with Amazon, the
 * six SP-API hosts (three regions, production and `sandbox.` names) and the document storage.
 */
export function amazonHostRoutes(sandbox: SpApiEndpoints): Array<[hostname: string, localUrl: string]> {
	return [[LWA_HOST, sandbox.lwaUrl], ...SP_API_HOSTS.map((host): [string, string] => [host, sandbox.apiUrl]), [sandbox.storageHost, sandbox.storageUrl]];
}

/** The headers the local server gets for a request that was sent to `host`. */
export function relayRequestHeaders(incoming: Record<string, string | string[] | number | undefined>, host: string, bodyLength: number): OutgoingHttpHeaders {
	const headers: OutgoingHttpHeaders = {};
	for (const [name, value] of Object.entries(incoming)) {
		const key = name.toLowerCase();
		if (value === undefined || HOP_BY_HOP.has(key)) continue;
		headers[key] = value;
	}
	headers.host = host;
	headers['x-forwarded-host'] = host;
	headers['x-forwarded-proto'] = 'https';
	if (bodyLength || headers['content-length'] !== undefined) headers['content-length'] = String(bodyLength);
	return headers;
}

/** The local server's response headers as the client gets them (hop-by-hop ones dropped). */
export function relayResponseHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined || HOP_BY_HOP.has(name)) continue;
		out[name] = value;
	}
	return out;
}

export interface RelayRequest {
	method: string;
	/** Path and query, as sent to the real host. */
	path: string;
	/** Already prepared with {@link relayRequestHeaders}. */
	headers: OutgoingHttpHeaders;
	body: Buffer;
}

export interface RelayOptions {
	/** Agent for the connection to the sandbox (default: Node's global agent). */
	agent?: Agent;
	/** Gives up (as a reset) when the sandbox is silent this long; default: no limit. */
	timeoutMs?: number;
}

/** A network failure on the way to the sandbox, shaped like the reset a client of the real host would see. */
function resetError(error: NodeJS.ErrnoException): Error {
	return Object.assign(new Error(`socket hang up (${error.code ?? error.message})`), { code: 'ECONNRESET' });
}

/**
 * Sends the request to the local server and resolves with its response as soon as the head has
 * arrived (the body is left to the caller, for streaming). Rejects with an `ECONNRESET` error when
 * the socket fails before the head.
 */
export function openRelay(target: URL, request: RelayRequest, options: RelayOptions = {}): Promise<IncomingMessage> {
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: target.hostname, port: target.port, method: request.method, path: request.path, headers: request.headers, agent: options.agent }, resolve);
		if (options.timeoutMs) req.setTimeout(options.timeoutMs, () => req.destroy(Object.assign(new Error('the sandbox did not answer in time'), { code: 'ETIMEDOUT' })));
		// The sandbox reset the socket (faults.resetNext): surface it like a network reset.
		req.on('error', (error: NodeJS.ErrnoException) => reject(resetError(error)));
		req.end(request.body);
	});
}

/** {@link openRelay} with the whole body read: `[status, body, headers]`, as a nock reply returns them. */
export async function relayBuffered(target: URL, request: RelayRequest, options: RelayOptions = {}): Promise<[number, Buffer, Record<string, string | string[]>]> {
	const res = await openRelay(target, request, options);
	return await new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		res.on('data', (chunk: Buffer) => chunks.push(chunk));
		res.on('end', () => resolve([res.statusCode ?? 502, Buffer.concat(chunks), relayResponseHeaders(res.headers)]));
		res.on('error', reject);
	});
}

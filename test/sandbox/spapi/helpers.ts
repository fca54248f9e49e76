/**
 * Helpers for the sandbox's own tests: fetch wrapper, LWA token fetch and a small SP-API client
 * that calls the local server directly with the region's host in x-forwarded-host.
 */
import { request } from 'node:http';

import type { Region, SpApiCredentials, SpApiSandbox } from './index';

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	bytes: Buffer;
	json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<CallResult> {
	const res = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(15_000) });
	const bytes = Buffer.from(await res.arrayBuffer());
	const text = bytes.toString('utf8');
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, bytes, json };
}

export async function lwaToken(sandbox: SpApiSandbox, creds: SpApiCredentials = sandbox.credentials()): Promise<string> {
	const res = await call(sandbox.tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.refreshToken, client_id: creds.clientId, client_secret: creds.clientSecret }).toString(),
	});
	if (res.status !== 200) throw new Error(`LWA failed: ${res.status} ${res.text}`);
	return res.json.access_token as string;
}

/** Query string from values; arrays comma-separated; every value URL-encoded once. */
export function qs(params: Record<string, string | number | boolean | string[] | undefined>): string {
	const parts = Object.entries(params)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`);
	return parts.length ? `?${parts.join('&')}` : '';
}

export class SpApi {
	constructor(
		private readonly sandbox: SpApiSandbox,
		public token: string,
		readonly region: Region = 'na',
	) {}

	request(method: string, pathAndQuery: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<CallResult> {
		const headers: Record<string, string> = { ...this.sandbox.hostHeaders(this.region), 'x-amz-access-token': this.token, Accept: 'application/json', ...options.headers };
		let body: string | undefined;
		if (options.body !== undefined) {
			body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
			headers['Content-Type'] ??= 'application/json';
		}
		return call(`${this.sandbox.apiUrl}${pathAndQuery}`, { method, headers, body });
	}

	get(pathAndQuery: string, headers?: Record<string, string>): Promise<CallResult> {
		return this.request('GET', pathAndQuery, { headers });
	}

	post(path: string, body: unknown, headers?: Record<string, string>): Promise<CallResult> {
		return this.request('POST', path, { body, headers });
	}

	patch(path: string, body: unknown, headers?: Record<string, string>): Promise<CallResult> {
		return this.request('PATCH', path, { body, headers });
	}

	delete(path: string, headers?: Record<string, string>): Promise<CallResult> {
		return this.request('DELETE', path, { headers });
	}
}

/** A grantless token (client_credentials, scope sellingpartnerapi::notifications) fetched over HTTP. */
export async function grantlessToken(sandbox: SpApiSandbox, app: { clientId: string; clientSecret: string } = sandbox.credentials(), scope = 'sellingpartnerapi::notifications'): Promise<string> {
	const res = await call(sandbox.tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', scope, client_id: app.clientId, client_secret: app.clientSecret }).toString(),
	});
	if (res.status !== 200) throw new Error(`LWA client_credentials failed: ${res.status} ${res.text}`);
	return res.json.access_token as string;
}

/** Polls `check` every few ms until it returns a value (bounded). */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 2000): Promise<T> {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const value = check();
		if (value !== undefined) return value;
		if (Date.now() > until) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 5));
	}
}

/** ISO text of an instant relative to the sandbox clock. */
export function isoAgo(sandbox: SpApiSandbox, ms: number): string {
	return new Date(sandbox.clock.now() - ms).toISOString();
}

/** node:http request (fetch cannot set the Host header). */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(options.body);
	});
}

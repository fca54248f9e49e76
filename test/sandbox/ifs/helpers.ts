/**
 * Small helpers for the sandbox tests: token fetch, an HTTP call wrapper around Node's fetch,
 * query encoding, and a strict mini XML parser to check $metadata well-formedness.
 */
import type { Deployment, IfsSandbox } from './index';

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	json: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<CallResult> {
	const res = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(10_000) });
	const text = await res.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

export async function fetchToken(sandbox: IfsSandbox, scope = 'openid microprofile-jwt'): Promise<string> {
	const res = await call(sandbox.tokenUrl, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: sandbox.clientId,
			client_secret: sandbox.clientSecret,
			scope,
		}).toString(),
	});
	if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
	return res.json.access_token as string;
}

/** Query string from decoded values, encoded like a careful client (%20 for spaces, %2B for '+'). */
export function q(options: Record<string, string | number | boolean>): string {
	return Object.entries(options)
		.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
		.join('&');
}

/** Authenticated client for one deployment of the sandbox. */
export class Api {
	/** X-XSRF-TOKEN + cookie for writes on `main`, once fetched by csrf(). */
	private csrfHeaders: Record<string, string> = {};

	constructor(
		private readonly sandbox: IfsSandbox,
		readonly token: string,
		readonly deployment: Deployment = 'int',
	) {}

	/** Fetch the CSRF token with a GET (as a browser client would) and send it on every later request. */
	async csrf(projection = 'CustomerOrderHandling'): Promise<this> {
		const res = await this.get(projection, '');
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='));
		if (!cookie) throw new Error(`no XSRF-TOKEN cookie from ${this.deployment}`);
		const token = cookie.split(';')[0].slice('XSRF-TOKEN='.length);
		this.csrfHeaders = { 'X-XSRF-TOKEN': token, Cookie: `XSRF-TOKEN=${token}` };
		return this;
	}

	url(projection: string, path = ''): string {
		return `${this.sandbox.serviceUrl(projection, this.deployment)}${path === '' ? '' : `/${path}`}`;
	}

	request(method: string, projection: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
		const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json', ...this.csrfHeaders, ...options.headers };
		let body: string | undefined;
		if (options.body !== undefined) {
			body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
			if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
		}
		return call(this.url(projection, path), { method, headers, body });
	}

	get(projection: string, path: string, headers: Record<string, string> = {}) {
		return this.request('GET', projection, path, { headers });
	}

	post(projection: string, path: string, body: unknown, headers: Record<string, string> = {}) {
		return this.request('POST', projection, path, { body, headers });
	}

	patch(projection: string, path: string, body: unknown, headers: Record<string, string> = {}) {
		return this.request('PATCH', projection, path, { body, headers });
	}

	/** GET then the ETag of the entity (throws when it does not exist). */
	async etag(projection: string, path: string): Promise<string> {
		const res = await this.get(projection, path);
		if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
		return res.headers.get('etag')!;
	}
}

// ---------------------------------------------------------------------------------------------
// Mini XML parser (elements, attributes, text, comments, XML declaration). Throws on anything
// that is not well-formed, which is all the $metadata tests need.

export interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
}

const NAME = /^[A-Za-z_][\w.:-]*/;

function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (m, ent: string | undefined) => {
		if (ent === undefined) throw new Error('XML: bare & in text');
		if (ent.startsWith('#x')) return String.fromCodePoint(parseInt(ent.slice(2), 16));
		if (ent.startsWith('#')) return String.fromCodePoint(parseInt(ent.slice(1), 10));
		const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
		if (!(ent in named)) throw new Error(`XML: unknown entity ${m}`);
		return named[ent];
	});
}

export function parseXml(xml: string): XmlElement {
	let i = 0;
	const stack: XmlElement[] = [];
	let root: XmlElement | undefined;
	if (xml.startsWith('<?xml')) {
		const end = xml.indexOf('?>');
		if (end < 0) throw new Error('XML: unterminated declaration');
		i = end + 2;
	}
	while (i < xml.length) {
		if (xml[i] !== '<') {
			const next = xml.indexOf('<', i);
			const text = xml.slice(i, next < 0 ? xml.length : next);
			decodeEntities(text);
			if (text.trim() !== '' && stack.length === 0) throw new Error('XML: text outside the root element');
			i = next < 0 ? xml.length : next;
			continue;
		}
		if (xml.startsWith('<!--', i)) {
			const end = xml.indexOf('-->', i);
			if (end < 0) throw new Error('XML: unterminated comment');
			i = end + 3;
			continue;
		}
		if (xml[i + 1] === '/') {
			const m = NAME.exec(xml.slice(i + 2));
			if (!m) throw new Error(`XML: bad end tag at ${i}`);
			const open = stack.pop();
			if (!open || open.name !== m[0]) throw new Error(`XML: </${m[0]}> does not close <${open?.name}>`);
			const close = xml.indexOf('>', i);
			if (xml.slice(i + 2 + m[0].length, close).trim() !== '') throw new Error('XML: junk in end tag');
			i = close + 1;
			continue;
		}
		const m = NAME.exec(xml.slice(i + 1));
		if (!m) throw new Error(`XML: bad start tag at ${i}`);
		if (root && stack.length === 0) throw new Error('XML: more than one root element');
		const element: XmlElement = { name: m[0], attributes: {}, children: [] };
		i += 1 + m[0].length;
		for (;;) {
			while (/\s/.test(xml[i])) i++;
			if (xml.startsWith('/>', i)) {
				i += 2;
				break;
			}
			if (xml[i] === '>') {
				i += 1;
				stack.push(element);
				break;
			}
			const a = /^([A-Za-z_][\w.:-]*)\s*=\s*"([^"<]*)"/.exec(xml.slice(i));
			if (!a) throw new Error(`XML: bad attribute in <${element.name}> at ${i}`);
			if (a[1] in element.attributes) throw new Error(`XML: duplicate attribute ${a[1]}`);
			element.attributes[a[1]] = decodeEntities(a[2]);
			i += a[0].length;
		}
		const parent = stack[stack.length - (stack[stack.length - 1] === element ? 2 : 1)];
		if (parent) parent.children.push(element);
		else root = element;
	}
	if (stack.length > 0) throw new Error(`XML: <${stack[stack.length - 1].name}> is not closed`);
	if (!root) throw new Error('XML: no root element');
	return root;
}

export function findAll(element: XmlElement, name: string): XmlElement[] {
	const out: XmlElement[] = [];
	const walk = (e: XmlElement) => {
		if (e.name === name) out.push(e);
		e.children.forEach(walk);
	};
	walk(element);
	return out;
}

export function child(element: XmlElement, name: string, attr?: [string, string]): XmlElement | undefined {
	return element.children.find((c) => c.name === name && (!attr || c.attributes[attr[0]] === attr[1]));
}

export function decodeEtag(etag: string): string {
	const m = /^W\/"([A-Za-z0-9+/=]+)"$/.exec(etag);
	if (!m) throw new Error(`not a weak base64 etag: ${etag}`);
	return Buffer.from(m[1], 'base64').toString('utf8');
}

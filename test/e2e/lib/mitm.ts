/**
 * A man-in-the-middle HTTPS proxy for end-to-end tests: a real n8n process (which cannot use nock)
 * calls Amazon's real host names, and this proxy serves them from local sandboxes.
 *
 *   const proxy = await startMitmProxy({ routes: [['api.amazon.com', sandbox.lwaUrl], …] });
 *   const n8n = await N8nInstance.create({ env: proxy.env() });   // HTTPS_PROXY, NODE_EXTRA_CA_CERTS, …
 *   …
 *   proxy.requests();   // [{ host, method, path, status, hadAuthorization, outcome }]
 *   await proxy.close();
 *
 * How n8n 2.41 reaches it: with HTTPS_PROXY set, its HTTP agents (@n8n/backend-network
 * EnvProxyHttpsAgent, also installed as https.globalAgent) open a tunnel with
 * `CONNECT <host>:443` through https-proxy-agent and then speak TLS inside it, checking the
 * certificate against <host>. NO_PROXY keeps loopback direct (n8n's task broker, other sandboxes).
 *
 * This proxy:
 * - listens on 127.0.0.1 only;
 * - answers CONNECT to a routed host on port 443 with 200 and terminates TLS with a leaf
 *   certificate for all routed hosts (SANs), signed by a throw-away CA made with the `openssl`
 *   CLI in a temporary folder (the CA key is deleted as soon as the leaf is signed; the folder is
 *   removed on close). n8n trusts it through NODE_EXTRA_CA_CERTS;
 * - relays each decrypted request to the host's local URL exactly as the in-process nock routing
 *   does (test/sandbox/spapi/relay.ts: method, path, body bytes, headers, original host in Host and
 *   x-forwarded-host, x-forwarded-proto https) and streams the answer back; a reset by the
 *   sandbox becomes a TCP reset for the client;
 * - refuses (403) and logs CONNECT to any other host or port and plain-HTTP proxy requests:
 *   nothing leaves the machine;
 * - logs per request only host, method, path WITHOUT query (pre-signed URLs carry signatures),
 *   status and whether a credential header was present, never a header value;
 * - bounds every wait (TLS handshake, idle connections, the sandbox's answer, openssl, close)
 *   and destroys every socket on close.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

import { openRelay, relayRequestHeaders, relayResponseHeaders } from '../../sandbox/spapi/relay';
import { LOOPBACK_NO_PROXY } from './n8n';
import { run } from './processes';

export interface MitmProxyOptions {
	/** `[hostname, localUrl]`: requests to https://hostname are served by the local http:// URL. */
	routes: Array<[hostname: string, localUrl: string]>;
	/** How long the sandbox may take to answer one request (default 120 s); then the client gets a reset. */
	upstreamTimeoutMs?: number;
	/** Idle keep-alive time of a client's tunnel (default 5 s). */
	keepAliveMs?: number;
}

export interface MitmRequestLog {
	/** Host the client asked for (the CONNECT target, or the URL host of a plain-HTTP request). */
	host: string;
	/** HTTP method; `CONNECT` for a refused tunnel, `TLS` for a failed handshake. */
	method: string;
	/** Path WITHOUT the query string (pre-signed URLs carry their signature there). */
	path: string;
	/** Status sent to the client; 0 when it got a reset or the request never completed. */
	status: number;
	/** Whether an `authorization` or `x-amz-access-token` header was present (values are never kept). */
	hadAuthorization: boolean;
	/** relayed: served by the sandbox; refused: 403 from the proxy; reset: the client got a TCP reset; tls-failed: no handshake. */
	outcome: 'relayed' | 'refused' | 'reset' | 'tls-failed' | 'pending';
}

export interface MitmProxy {
	/** http://127.0.0.1:<port> */
	readonly url: string;
	/** The throw-away CA certificate (PEM) the client must trust; gone after close(). */
	readonly caFile: string;
	/**
	 * Environment for the client process: HTTPS_PROXY / HTTP_PROXY (and the lower-case names, which
	 * win in proxy-from-env), NO_PROXY=127.0.0.1,localhost,::1 and NODE_EXTRA_CA_CERTS.
	 */
	env(): Record<string, string>;
	/** Copies of the log entries so far, oldest first. */
	requests(): MitmRequestLog[];
	/** Empties the log. */
	clearRequests(): void;
	/** Destroys every socket, stops listening and removes the temporary folder. Idempotent. */
	close(): Promise<void>;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const OPENSSL_TIMEOUT_MS = 30_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const CLOSE_TIMEOUT_MS = 5_000;

interface Certificates {
	caFile: string;
	key: Buffer;
	cert: Buffer;
}

async function openssl(args: string[], cwd: string): Promise<void> {
	const result = await run('openssl', args, { cwd, timeoutMs: OPENSSL_TIMEOUT_MS, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', OPENSSL_CONF: path.join(cwd, 'none.cnf') } });
	if (result.code !== 0) {
		throw new Error(`openssl ${args[0]} failed (${result.timedOut ? 'timed out' : `rc ${result.code ?? result.signal}`}): ${result.stderr.slice(-2000)}`);
	}
}

/** A CA (its key deleted once used) and a leaf for `hostnames`, in `folder`. */
async function makeCertificates(folder: string, hostnames: string[]): Promise<Certificates> {
	fs.writeFileSync(path.join(folder, 'none.cnf'), '# no system defaults\n');
	fs.writeFileSync(
		path.join(folder, 'ca.cnf'),
		[
			'[req]',
			'distinguished_name = dn',
			'prompt = no',
			'x509_extensions = ca_ext',
			'[dn]',
			'CN = n8n-nodes-ml-connector e2e throw-away CA',
			'[ca_ext]',
			'basicConstraints = critical,CA:TRUE,pathlen:0',
			'keyUsage = critical,keyCertSign,cRLSign',
			'subjectKeyIdentifier = hash',
			'',
		].join('\n'),
	);
	fs.writeFileSync(
		path.join(folder, 'leaf.cnf'),
		[
			'[req]',
			'distinguished_name = dn',
			'prompt = no',
			'[dn]',
			`CN = ${hostnames[0]}`,
			'[leaf_ext]',
			'basicConstraints = critical,CA:FALSE',
			'keyUsage = critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage = serverAuth',
			`subjectAltName = ${hostnames.map((host) => `DNS:${host}`).join(',')}`,
			'subjectKeyIdentifier = hash',
			'authorityKeyIdentifier = keyid',
			'',
		].join('\n'),
	);
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	await openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-config', 'ca.cnf'], folder);
	await openssl(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-config', 'leaf.cnf'], folder);
	const serial = `0x${crypto.randomBytes(12).toString('hex')}`;
	try {
		await openssl(
			['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', serial, '-days', '2', '-extfile', 'leaf.cnf', '-extensions', 'leaf_ext', '-out', 'leaf.pem'],
			folder,
		);
	} finally {
		// Nothing else may ever be signed with this CA.
		fs.rmSync(path.join(folder, 'ca.key'), { force: true });
	}
	const certificates = { caFile: path.join(folder, 'ca.pem'), key: fs.readFileSync(path.join(folder, 'leaf.key')), cert: fs.readFileSync(path.join(folder, 'leaf.pem')) };
	for (const file of ['leaf.key', 'leaf.csr', 'leaf.pem', 'ca.cnf', 'leaf.cnf', 'none.cnf']) fs.rmSync(path.join(folder, file), { force: true });
	return certificates;
}

function splitAuthority(authority: string): { host: string; port: number } {
	const match = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(authority.trim());
	return { host: (match?.[1] ?? authority).toLowerCase(), port: match?.[2] ? Number(match[2]) : 443 };
}

function credentialHeaderPresent(headers: http.IncomingHttpHeaders): boolean {
	return headers.authorization !== undefined || headers['x-amz-access-token'] !== undefined;
}

/** The path of a request target (origin form or absolute form), without its query. */
function pathOnly(target: string | undefined): string {
	const value = target ?? '/';
	if (/^[a-z]+:\/\//i.test(value)) return URL.canParse(value) ? new URL(value).pathname : '/';
	return value.split('?')[0] || '/';
}

/** Sends a TCP reset if the socket allows it, else just destroys it. */
function reset(socket: net.Socket | Duplex): void {
	const resettable = socket as net.Socket & { resetAndDestroy?: () => void };
	if (typeof resettable.resetAndDestroy === 'function' && !resettable.destroyed) {
		try {
			resettable.resetAndDestroy();
			return;
		} catch {
			// not a TCP socket after all
		}
	}
	socket.destroy();
}

export async function startMitmProxy(options: MitmProxyOptions): Promise<MitmProxy> {
	const routes = new Map<string, URL>();
	for (const [hostname, local] of options.routes) {
		const host = hostname.toLowerCase();
		if (!HOSTNAME.test(host)) throw new Error(`startMitmProxy: "${hostname}" is not a DNS host name`);
		const target = new URL(local);
		if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) {
			throw new Error(`startMitmProxy: ${hostname} must route to a loopback http:// URL, not ${local}`);
		}
		routes.set(host, target);
	}
	if (!routes.size) throw new Error('startMitmProxy: no routes');
	const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 120_000;

	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-mitm-'));
	let certificates: Certificates;
	try {
		certificates = await makeCertificates(folder, [...routes.keys()]);
	} catch (error) {
		fs.rmSync(folder, { recursive: true, force: true });
		throw error;
	}
	const secureContext = tls.createSecureContext({ key: certificates.key, cert: certificates.cert });

	const log: MitmRequestLog[] = [];
	const sockets = new Set<net.Socket | Duplex>();
	const track = <T extends net.Socket | Duplex>(socket: T): T => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		return socket;
	};
	/** Which host each TLS connection tunnels to, and the TCP socket under it (for resets). */
	const tunnels = new WeakMap<object, { host: string; raw: net.Socket | Duplex }>();
	const upstreamAgent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000 });
	let closing = false;

	// The decrypted side: an HTTP server that is never listening; TLS sockets are handed to it.
	const inner = http.createServer({ requestTimeout: upstreamTimeoutMs + 30_000, headersTimeout: 30_000, keepAliveTimeout: options.keepAliveMs ?? 5000 });
	inner.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
		const tunnel = tunnels.get(req.socket);
		const host = tunnel?.host ?? '';
		const target = routes.get(host);
		const entry: MitmRequestLog = { host, method: req.method ?? 'GET', path: pathOnly(req.url), status: 0, hadAuthorization: credentialHeaderPresent(req.headers), outcome: 'pending' };
		log.push(entry);
		if (!tunnel || !target) {
			entry.status = 421;
			entry.outcome = 'refused';
			res.writeHead(421, { 'content-type': 'text/plain', connection: 'close' }).end('Misdirected request\n');
			return;
		}
		const resetClient = () => {
			if (!res.headersSent) entry.status = 0;
			entry.outcome = 'reset';
			reset(tunnel.raw);
		};
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('error', () => resetClient());
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const headers = relayRequestHeaders(req.headers, host, body.length);
			openRelay(target, { method: entry.method, path: req.url ?? '/', headers, body }, { agent: upstreamAgent, timeoutMs: upstreamTimeoutMs }).then(
				(upstream) => {
					entry.status = upstream.statusCode ?? 502;
					entry.outcome = 'relayed';
					res.writeHead(entry.status, relayResponseHeaders(upstream.headers));
					// A sandbox that breaks off mid-body breaks the client's transfer the same way.
					upstream.on('error', () => undefined);
					upstream.once('close', () => {
						if (!upstream.complete) resetClient();
					});
					upstream.setTimeout(upstreamTimeoutMs, () => upstream.destroy(new Error('the sandbox stalled')));
					// A client that goes away mid-body releases the sandbox's connection too.
					res.once('close', () => {
						if (!res.writableFinished) upstream.destroy();
					});
					upstream.pipe(res);
				},
				() => resetClient(),
			);
		});
	});
	inner.on('clientError', (_error, socket: Duplex) => socket.destroy());

	const refuse = (socket: Duplex, message: string) => {
		const text = `${message}\n`;
		socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
	};

	const proxy = http.createServer((req, res) => {
		// Plain-HTTP proxying (absolute-form target) or a direct request: nothing is forwarded.
		const absolute = /^[a-z]+:\/\//i.test(req.url ?? '');
		const host = absolute && URL.canParse(req.url ?? '') ? new URL(req.url as string).hostname.toLowerCase() : '';
		log.push({ host, method: req.method ?? 'GET', path: pathOnly(req.url), status: 403, hadAuthorization: credentialHeaderPresent(req.headers), outcome: 'refused' });
		req.resume();
		res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' }).end(absolute ? 'This test proxy relays only HTTPS to routed hosts.\n' : 'This is a test proxy.\n');
	});
	proxy.on('connection', (socket: net.Socket) => track(socket));
	proxy.on('clientError', (_error, socket: Duplex) => socket.destroy());
	proxy.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
		socket.on('error', () => undefined);
		const { host, port } = splitAuthority(req.url ?? '');
		if (closing || !routes.has(host) || port !== 443) {
			log.push({ host, method: 'CONNECT', path: `${host}:${port}`, status: 403, hadAuthorization: false, outcome: 'refused' });
			refuse(socket, closing ? 'The proxy is closing.' : `This test proxy does not tunnel to ${host}:${port}.`);
			return;
		}
		if (head.length) {
			// A client that talks before the tunnel is confirmed is not one we know how to serve.
			log.push({ host, method: 'CONNECT', path: `${host}:${port}`, status: 400, hadAuthorization: false, outcome: 'refused' });
			socket.destroy();
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		const secure = track(new tls.TLSSocket(socket as net.Socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] }));
		tunnels.set(secure, { host, raw: socket });
		const handshake = setTimeout(() => secure.destroy(new Error('TLS handshake timed out')), HANDSHAKE_TIMEOUT_MS);
		let established = false;
		secure.once('secure', () => {
			established = true;
			clearTimeout(handshake);
		});
		const handshakeFailed = () => {
			clearTimeout(handshake);
			// Typically: the client does not trust the CA (NODE_EXTRA_CA_CERTS not applied).
			if (!established && !closing) log.push({ host, method: 'TLS', path: '', status: 0, hadAuthorization: false, outcome: 'tls-failed' });
			established = true; // logged once
			socket.destroy();
		};
		secure.on('error', handshakeFailed);
		secure.once('close', handshakeFailed);
		inner.emit('connection', secure);
	});

	await new Promise<void>((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(0, '127.0.0.1', () => {
			proxy.off('error', reject);
			resolve();
		});
	});
	const url = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

	let closed: Promise<void> | undefined;
	return {
		url,
		caFile: certificates.caFile,
		env: () => ({
			HTTPS_PROXY: url,
			HTTP_PROXY: url,
			https_proxy: url,
			http_proxy: url,
			NO_PROXY: LOOPBACK_NO_PROXY,
			no_proxy: LOOPBACK_NO_PROXY,
			NODE_EXTRA_CA_CERTS: certificates.caFile,
		}),
		requests: () => log.map((entry) => ({ ...entry })),
		clearRequests: () => void log.splice(0, log.length),
		close: () => {
			closed ??= (async () => {
				closing = true;
				const stopped = new Promise<void>((resolve) => proxy.close(() => resolve()));
				for (const socket of sockets) socket.destroy();
				proxy.closeAllConnections();
				inner.close(() => undefined);
				upstreamAgent.destroy();
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([stopped, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
				clearTimeout(timer);
				fs.rmSync(folder, { recursive: true, force: true });
			})();
			return closed;
		},
	};
}

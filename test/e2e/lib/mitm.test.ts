/**
 * The end-to-end MITM proxy on its own (no n8n): a hand-written client opens CONNECT tunnels the
 * way https-proxy-agent does and speaks TLS inside them, trusting only the proxy's throw-away CA.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';

import { type MitmProxy, startMitmProxy } from './mitm';

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
}

/*
 * The client speaks HTTP/1.1 by hand on raw sockets: other test files in the same jest worker may
 * leave nock (which patches http.request and fetch on import) active, and a patched ClientRequest
 * ignores `createConnection`.
 */

/** Writes one request (Connection: close) and reads the answer to its end; rejects on a socket error (e.g. a reset). */
async function exchange(socket: net.Socket | tls.TLSSocket, head: string, body: Buffer = Buffer.alloc(0)): Promise<Reply> {
	return await new Promise<Reply>((resolve, reject) => {
		const chunks: Buffer[] = [];
		socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
		socket.on('data', (chunk: Buffer) => chunks.push(chunk));
		socket.once('error', reject);
		socket.once('end', () => {
			try {
				resolve(parseResponse(Buffer.concat(chunks)));
			} catch (error) {
				reject(error as Error);
			}
		});
		socket.write(Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]));
		socket.resume();
	});
}

function parseResponse(raw: Buffer): Reply {
	const end = raw.indexOf('\r\n\r\n');
	if (end === -1) throw new Error(`incomplete response: ${raw.toString('latin1').slice(0, 200)}`);
	const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
	const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
	let body = raw.subarray(end + 4);
	if (headers['transfer-encoding'] === 'chunked') {
		const parts: Buffer[] = [];
		for (let at = 0; ; ) {
			const lineEnd = body.indexOf('\r\n', at);
			const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
			if (!size) break;
			parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
			at = lineEnd + 2 + size + 2;
		}
		body = Buffer.concat(parts);
	} else if (headers['content-length'] !== undefined) {
		const length = Number(headers['content-length']);
		if (body.length < length) throw Object.assign(new Error(`body cut short (${body.length} of ${length} bytes)`), { code: 'SHORT_BODY' });
		body = body.subarray(0, length);
	}
	return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0), headers, body };
}

/** Sends CONNECT and returns the proxy's status code, with the socket (the tunnel when 200). */
async function connectTunnel(proxyUrl: string, authority: string): Promise<{ status: number; socket: net.Socket }> {
	const { port } = new URL(proxyUrl);
	const socket = net.connect(Number(port), '127.0.0.1');
	socket.setTimeout(10_000, () => socket.destroy(new Error('proxy silent')));
	return await new Promise((resolve, reject) => {
		let buffer = '';
		const onData = (chunk: Buffer) => {
			buffer += chunk.toString('latin1');
			const end = buffer.indexOf('\r\n\r\n');
			if (end === -1) return;
			socket.off('data', onData);
			socket.pause();
			resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(buffer)?.[1] ?? 0), socket });
		};
		socket.on('data', onData);
		socket.once('error', reject);
		socket.once('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\nProxy-Connection: close\r\n\r\n`));
	});
}

async function viaProxy(
	proxy: MitmProxy,
	host: string,
	request: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer },
	trustProxyCa = true,
): Promise<Reply> {
	const { status, socket } = await connectTunnel(proxy.url, `${host}:443`);
	if (status !== 200) {
		socket.destroy();
		return { status, headers: {}, body: Buffer.alloc(0) };
	}
	// Without the proxy's CA the client has Node's public roots only, as n8n would.
	const secure = tls.connect({ socket, servername: host, ...(trustProxyCa ? { ca: fs.readFileSync(proxy.caFile) } : {}) });
	await new Promise<void>((resolve, reject) => {
		secure.once('secureConnect', () => resolve());
		secure.once('error', reject);
	});
	const body = request.body ?? Buffer.alloc(0);
	const headers = { host, connection: 'close', ...(body.length ? { 'content-length': String(body.length) } : {}), ...request.headers };
	const head = [`${request.method ?? 'GET'} ${request.path} HTTP/1.1`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), ''].join('\r\n');
	try {
		return await exchange(secure, head, body);
	} finally {
		secure.destroy();
	}
}

describe('startMitmProxy', () => {
	let local: http.Server;
	let localUrl: string;
	let proxy: MitmProxy;
	const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
	const BINARY = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

	beforeAll(async () => {
		local = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks) });
				if (req.url === '/reset') {
					req.socket.resetAndDestroy();
				} else if (req.url?.startsWith('/binary')) {
					res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BINARY.length), 'x-sandbox': 'yes' });
					res.end(BINARY);
				} else if (req.url === '/break') {
					// Head and part of the body, then the connection breaks.
					res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' });
					res.write('only part');
					setTimeout(() => req.socket.resetAndDestroy(), 50);
				} else {
					res.writeHead(201, { 'content-type': 'text/plain' });
					res.end('created');
				}
			});
		});
		await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
		localUrl = `http://127.0.0.1:${(local.address() as net.AddressInfo).port}`;
		proxy = await startMitmProxy({ routes: [['api.amazon.com', localUrl], ['sellingpartnerapi-eu.amazon.com', localUrl]] });
	});

	afterAll(async () => {
		await proxy?.close();
		local?.closeAllConnections();
		await new Promise<void>((resolve) => local.close(() => resolve()));
	});

	beforeEach(() => {
		seen.length = 0;
		proxy.clearRequests();
	});

	it('gives the client an environment for n8n: proxy on loopback, loopback direct, the CA file', () => {
		expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(proxy.env()).toEqual({
			HTTPS_PROXY: proxy.url,
			HTTP_PROXY: proxy.url,
			https_proxy: proxy.url,
			http_proxy: proxy.url,
			NO_PROXY: '127.0.0.1,localhost,::1',
			no_proxy: '127.0.0.1,localhost,::1',
			NODE_EXTRA_CA_CERTS: proxy.caFile,
		});
		expect(fs.readFileSync(proxy.caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
		// Only the CA certificate is left on disk: no key that could sign anything else.
		expect(fs.readdirSync(path.dirname(proxy.caFile))).toEqual(['ca.pem']);
	});

	it('relays method, path, query, headers and body bytes under the Amazon host name, and the answer byte for byte', async () => {
		const body = Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x0a]);
		const reply = await viaProxy(proxy, 'sellingpartnerapi-eu.amazon.com', {
			method: 'PUT',
			path: '/binary/doc?X-Amz-Signature=abc123&x=1',
			headers: { 'x-amz-access-token': 'Atza|secret', 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
			body,
		});
		expect(reply.status).toBe(200);
		expect(reply.body.equals(BINARY)).toBe(true);
		expect(reply.headers['x-sandbox']).toBe('yes');
		expect(seen).toHaveLength(1);
		expect(seen[0]).toMatchObject({ method: 'PUT', url: '/binary/doc?X-Amz-Signature=abc123&x=1' });
		expect(seen[0].body.equals(body)).toBe(true);
		expect(seen[0].headers).toMatchObject({
			host: 'sellingpartnerapi-eu.amazon.com',
			'x-forwarded-host': 'sellingpartnerapi-eu.amazon.com',
			'x-forwarded-proto': 'https',
			'x-amz-access-token': 'Atza|secret',
			'content-length': String(body.length),
		});
		// The log keeps no query (signatures) and no header value.
		expect(proxy.requests()).toEqual([{ host: 'sellingpartnerapi-eu.amazon.com', method: 'PUT', path: '/binary/doc', status: 200, hadAuthorization: true, outcome: 'relayed' }]);
		expect(JSON.stringify(proxy.requests())).not.toMatch(/abc123|Atza/);
	});

	it('notes a request without credential headers as such', async () => {
		const reply = await viaProxy(proxy, 'api.amazon.com', { method: 'POST', path: '/auth/o2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('grant_type=x') });
		expect(reply).toMatchObject({ status: 201 });
		expect(reply.body.toString()).toBe('created');
		expect(proxy.requests()).toEqual([{ host: 'api.amazon.com', method: 'POST', path: '/auth/o2/token', status: 201, hadAuthorization: false, outcome: 'relayed' }]);
	});

	it('refuses and logs tunnels to any other host or port, and plain-HTTP proxying: nothing leaves the machine', async () => {
		expect((await viaProxy(proxy, 'example.com', { path: '/' })).status).toBe(403);
		const wrongPort = await connectTunnel(proxy.url, 'api.amazon.com:8443');
		wrongPort.socket.destroy();
		expect(wrongPort.status).toBe(403);
		const plain = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
		await new Promise((resolve) => plain.once('connect', resolve));
		expect((await exchange(plain, 'GET http://example.com/x?token=1 HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n')).status).toBe(403);
		expect(proxy.requests()).toEqual([
			{ host: 'example.com', method: 'CONNECT', path: 'example.com:443', status: 403, hadAuthorization: false, outcome: 'refused' },
			{ host: 'api.amazon.com', method: 'CONNECT', path: 'api.amazon.com:8443', status: 403, hadAuthorization: false, outcome: 'refused' },
			{ host: 'example.com', method: 'GET', path: '/x', status: 403, hadAuthorization: false, outcome: 'refused' },
		]);
		expect(seen).toEqual([]);
	});

	it('relays a reset by the sandbox as a reset, before and during the body', async () => {
		await expect(viaProxy(proxy, 'api.amazon.com', { path: '/reset' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		await expect(viaProxy(proxy, 'api.amazon.com', { path: '/break' })).rejects.toMatchObject({ code: 'ECONNRESET' });
		expect(proxy.requests()).toEqual([
			{ host: 'api.amazon.com', method: 'GET', path: '/reset', status: 0, hadAuthorization: false, outcome: 'reset' },
			{ host: 'api.amazon.com', method: 'GET', path: '/break', status: 200, hadAuthorization: false, outcome: 'reset' },
		]);
	});

	it('a client that does not trust the throw-away CA gets no connection, and the log says so', async () => {
		await expect(viaProxy(proxy, 'api.amazon.com', { path: '/' }, false)).rejects.toThrow(/self-signed|unable to (get|verify)/i);
		// The proxy learns of it a moment later (the client's alert, or its close).
		for (let waited = 0; waited < 3000 && !proxy.requests().length; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
		expect(proxy.requests()).toEqual([{ host: 'api.amazon.com', method: 'TLS', path: '', status: 0, hadAuthorization: false, outcome: 'tls-failed' }]);
	});

	it('rejects routes that are not a host name to a loopback http URL', async () => {
		await expect(startMitmProxy({ routes: [['api.amazon.com\nDNS:evil', localUrl]] })).rejects.toThrow(/not a DNS host name/);
		await expect(startMitmProxy({ routes: [['api.amazon.com', 'http://10.0.0.1:80']] })).rejects.toThrow(/loopback/);
	});

	it('close() stops listening, destroys its sockets and removes the CA folder', async () => {
		const extra = await startMitmProxy({ routes: [['api.amazon.com', localUrl]] });
		const { socket } = await connectTunnel(extra.url, 'api.amazon.com:443');
		const closedSocket = new Promise<void>((resolve) => socket.once('close', () => resolve()));
		socket.resume();
		const started = Date.now();
		await extra.close();
		await closedSocket;
		expect(Date.now() - started).toBeLessThan(3000);
		expect(fs.existsSync(extra.caFile)).toBe(false);
		await expect(connectTunnel(extra.url, 'api.amazon.com:443')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
	});
});

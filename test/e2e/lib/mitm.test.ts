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
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

/** Sends CONNECT and returns the proxy's status line's code, with the socket (tunnel) if 200. */
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
	return await new Promise<Reply>((resolve, reject) => {
		const req = http.request(
			{ createConnection: () => secure, method: request.method ?? 'GET', path: request.path, headers: { host, connection: 'close', ...request.headers }, timeout: 10_000 },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
				res.on('error', reject);
			},
		);
		req.on('error', reject);
		req.end(request.body);
	});
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
					res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-sandbox': 'yes' });
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
		const plain = await fetch(`${proxy.url}/`, { signal: AbortSignal.timeout(5000) });
		expect(plain.status).toBe(403);
		expect(proxy.requests()).toEqual([
			{ host: 'example.com', method: 'CONNECT', path: 'example.com:443', status: 403, hadAuthorization: false, outcome: 'refused' },
			{ host: 'api.amazon.com', method: 'CONNECT', path: 'api.amazon.com:8443', status: 403, hadAuthorization: false, outcome: 'refused' },
			{ host: '', method: 'GET', path: '/', status: 403, hadAuthorization: false, outcome: 'refused' },
		]);
		expect(seen).toEqual([]);
	});

	it('relays a reset by the sandbox as a reset, before and during the body', async () => {
		await expect(viaProxy(proxy, 'api.amazon.com', { path: '/reset' })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE/) });
		await expect(viaProxy(proxy, 'api.amazon.com', { path: '/break' })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE|EPIPE/) });
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

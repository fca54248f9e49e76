import { startIfsSandbox, type IfsSandbox } from './index';
import { Api } from './helpers';

const CUSTOMER = { CustomerId: 'CSRF1', Name: 'Csrf Test AB', Country: 'SE', CreationDate: '2024-06-01' };

describe('IFS sandbox: CSRF on main, none on int', () => {
	let sandbox: IfsSandbox;
	let main: Api;
	let int: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		const token = sandbox.issueToken();
		main = new Api(sandbox, token, 'main');
		int = new Api(sandbox, token, 'int');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	async function csrfToken(): Promise<string> {
		const res = await main.get('CustomerOrderHandling', 'CustomerOrderSet?$top=1');
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('XSRF-TOKEN='));
		expect(cookie).toBeDefined();
		return cookie!.split(';')[0].slice('XSRF-TOKEN='.length);
	}

	const post = (api: Api, headers: Record<string, string> = {}) =>
		api.request('POST', 'CustomerHandling', 'CustomerInfoSet', { body: CUSTOMER, headers });

	it('rejects writes on main without the token: 403 CSRF_ERROR', async () => {
		const res = await post(main);
		expect(res.status).toBe(403);
		expect(res.json).toEqual({ error: { code: 'CSRF_ERROR', message: 'A security error occurred while processing the request.' } });
	});

	it('accepts writes on main that echo the cookie in X-XSRF-TOKEN and send the cookie back', async () => {
		const token = await csrfToken();
		const res = await post(main, { 'X-XSRF-TOKEN': token, Cookie: `XSRF-TOKEN=${token}` });
		expect(res.status).toBe(201);
		const etag = res.headers.get('etag')!;
		const patch = await main.request('PATCH', 'CustomerHandling', "CustomerInfoSet(CustomerId='CSRF1')", {
			body: { Name: 'Renamed' },
			headers: { 'If-Match': etag, 'X-XSRF-TOKEN': token, Cookie: `other=1; XSRF-TOKEN=${token}` },
		});
		expect(patch.status).toBe(200);
		const del = await main.request('DELETE', 'CustomerHandling', "CustomerInfoSet(CustomerId='CSRF1')", {
			headers: { 'If-Match': '*', 'X-XSRF-TOKEN': token, Cookie: `XSRF-TOKEN=${token}` },
		});
		expect(del.status).toBe(204);
	});

	it('keeps the issued token on later GETs that send the cookie', async () => {
		const token = await csrfToken();
		const again = await main.get('CustomerOrderHandling', '$metadata', { Cookie: `XSRF-TOKEN=${token}` });
		expect(again.headers.getSetCookie()[0]).toMatch(new RegExp(`^XSRF-TOKEN=${token};`));
	});

	it.each([
		['header without cookie', (t: string) => ({ 'X-XSRF-TOKEN': t })],
		['cookie without header', (t: string) => ({ Cookie: `XSRF-TOKEN=${t}` })],
		['header and cookie that differ', (t: string) => ({ 'X-XSRF-TOKEN': t, Cookie: 'XSRF-TOKEN=other' })],
		['a token the server never issued', () => ({ 'X-XSRF-TOKEN': 'forged', Cookie: 'XSRF-TOKEN=forged' })],
	])('rejects %s', async (_name, headers) => {
		const token = await csrfToken();
		const res = await post(main, headers(token));
		expect(res.status).toBe(403);
		expect(res.json.error.code).toBe('CSRF_ERROR');
	});

	it('protects actions on main too', async () => {
		const res = await main.request('POST', 'CustomerOrderHandling', 'CheckCustomerCredit', { body: { CustomerNo: '10001' } });
		expect(res.status).toBe(403);
	});

	it('never checks (or sets) CSRF on int', async () => {
		const get = await int.get('CustomerOrderHandling', 'CustomerOrderSet?$top=1');
		expect(get.headers.getSetCookie()).toEqual([]);
		const res = await int.request('POST', 'CustomerOrderHandling', 'CheckCustomerCredit', { body: { CustomerNo: '10001' } });
		expect(res.status).toBe(200);
	});
});

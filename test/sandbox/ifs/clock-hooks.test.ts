import { startControlServer } from './control';
import { startIfsSandbox, type ApiRequestInfo, type IfsSandbox } from './index';
import { Api, call, fetchToken, q } from './helpers';

const CO = 'CustomerOrderHandling';
const newOrder = { Contract: 'S100', CustomerNo: '10001', CurrencyCode: 'SEK', WantedDeliveryDate: '2024-12-01' };

describe('IFS sandbox: test clock and request hooks', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	describe('clock', () => {
		it('freezes, advances and returns to real time', () => {
			const { clock } = sandbox;
			expect(clock.frozen).toBe(false);
			expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
			clock.set('2024-05-01T00:00:00Z');
			expect(clock.frozen).toBe(true);
			expect(clock.now()).toBe(Date.UTC(2024, 4, 1));
			clock.advance(1500);
			expect(clock.now()).toBe(Date.UTC(2024, 4, 1) + 1500);
			clock.set(new Date(Date.UTC(2024, 4, 2)));
			expect(clock.now()).toBe(Date.UTC(2024, 4, 2));
			clock.real();
			clock.advance(3_600_000);
			expect(clock.frozen).toBe(false);
			expect(clock.now() - Date.now()).toBeGreaterThan(3_599_000);
			expect(() => clock.set('not a date')).toThrow(/not a valid instant/);
			sandbox.reset();
			expect(Math.abs(clock.now() - Date.now())).toBeLessThan(50);
		});

		it('stamps DateEntered, ChangeDate and Objversion; many rows share one frozen second', async () => {
			sandbox.clock.set('2024-07-07T07:07:07Z');
			const created = [];
			for (let i = 0; i < 3; i++) created.push((await api.post(CO, 'CustomerOrderSet', newOrder)).json);
			expect(created.map((o) => [o.DateEntered, o.ChangeDate])).toEqual(Array(3).fill(['2024-07-07T07:07:07Z', '2024-07-07T07:07:07Z']));
			expect(sandbox.data.objversion(CO, 'CustomerOrderSet', { OrderNo: created[0].OrderNo })).toBe('20240707070707');
			const res = await api.get(CO, `CustomerOrderSet?${q({ $filter: 'ChangeDate eq 2024-07-07T07:07:07Z', $count: 'true', $top: 0 })}`);
			expect(res.json['@odata.count']).toBe(3);
		});

		it('is what now() means in $filter', async () => {
			sandbox.clock.set('2024-03-01T00:00:00Z');
			const before = await api.get(CO, `CustomerOrderSet?${q({ $filter: 'DateEntered lt now()', $count: 'true', $top: 0 })}`);
			const expected = sandbox.data.rows(CO, 'CustomerOrderSet').filter((o) => Date.parse(o.DateEntered as string) < Date.UTC(2024, 2, 1)).length;
			expect(before.json['@odata.count']).toBe(expected);
			expect(expected).toBeLessThan(50);
		});

		it('drives token lifetimes: advancing past expires_in expires the token', async () => {
			sandbox.clock.set('2024-06-01T12:00:00Z');
			const token = await fetchToken(sandbox);
			const client = new Api(sandbox, token);
			expect((await client.get(CO, 'CustomerOrderSet?$top=1')).status).toBe(200);
			sandbox.clock.advance(179_000);
			expect((await client.get(CO, 'CustomerOrderSet?$top=1')).status).toBe(200);
			sandbox.clock.advance(1_000);
			const expired = await client.get(CO, 'CustomerOrderSet?$top=1');
			expect(expired.status).toBe(401);
			expect(expired.headers.get('www-authenticate')).toMatch(/invalid_token/);
		});
	});

	describe('hooks.beforeApiRequest', () => {
		it('sees every API request (not IAM) before it is processed', async () => {
			const seen: ApiRequestInfo[] = [];
			sandbox.hooks.beforeApiRequest = (entry) => void seen.push(entry);
			await fetchToken(sandbox);
			sandbox.faults.failNext(1, 503);
			await api.get(CO, `CustomerOrderSet?${q({ $top: 2, $filter: "Contract eq 'S100'" })}`);
			await api.get(CO, `CustomerOrderSet?$top=1`);
			expect(seen).toHaveLength(2);
			expect(seen[0]).toMatchObject({
				method: 'GET',
				path: '/int/ifsapplications/projection/v1/CustomerOrderHandling.svc/CustomerOrderSet',
				query: { $top: '2', $filter: "Contract eq 'S100'" },
			});
			expect(seen[0].url).toContain('$filter=Contract%20eq%20');
		});

		it('changes data between two pages of a poll, deterministically', async () => {
			sandbox.clock.set('2024-09-01T00:00:00Z');
			const pageQuery = q({ $filter: "Company eq '10'", $orderby: 'ChangeDate,OrderNo', $select: 'OrderNo,ChangeDate' });
			let pages = 0;
			sandbox.hooks.beforeApiRequest = ({ path }) => {
				if (!path.endsWith('/CustomerOrderSet')) return;
				pages++;
				// Another user touches the first order of company 10 while page 2 is requested.
				if (pages === 2) sandbox.data.update(CO, 'CustomerOrderSet', { OrderNo: firstOfCompany10 }, { Note: 'edited mid-poll' });
			};
			const firstOfCompany10 = sandbox.data.rows(CO, 'CustomerOrderSet').filter((o) => o.Company === '10').sort((a, b) => Date.parse(a.ChangeDate as string) - Date.parse(b.ChangeDate as string))[0].OrderNo as string;
			const seen: string[] = [];
			let url: string | undefined = `${api.url(CO, 'CustomerOrderSet')}?${pageQuery}`;
			while (url) {
				const res = await call(url, { headers: { Authorization: `Bearer ${api.token}`, Prefer: 'odata.maxpagesize=5' } });
				seen.push(...res.json.value.map((r: { OrderNo: string }) => r.OrderNo));
				url = res.json['@odata.nextLink'];
			}
			// Offset paging: the edited row moved to the end, so every later row shifted one place up
			// and one row was skipped while the edited row appears again — the gap IFS warns about.
			expect(seen).toHaveLength(19);
			expect(seen[0]).toBe(firstOfCompany10);
			expect(seen[18]).toBe(firstOfCompany10);
			expect(new Set(seen).size).toBe(18);
			expect(sandbox.data.get(CO, 'CustomerOrderSet', { OrderNo: firstOfCompany10 })!.ChangeDate).toBe('2024-09-01T00:00:00Z');
		});

		it('may be async; a throwing hook answers 500 with its message; reset() clears it', async () => {
			sandbox.hooks.beforeApiRequest = async () => {
				await new Promise((resolve) => setTimeout(resolve, 20));
				sandbox.clock.set('2024-01-15T00:00:00Z');
			};
			const created = await api.post(CO, 'CustomerOrderSet', newOrder);
			expect(created.json.DateEntered).toBe('2024-01-15T00:00:00Z');
			sandbox.hooks.beforeApiRequest = () => {
				throw new Error('test hook broke');
			};
			const broken = await api.get(CO, 'CustomerOrderSet?$top=1');
			expect(broken.status).toBe(500);
			expect(broken.json.error.message).toBe('Sandbox beforeApiRequest hook failed: test hook broke');
			sandbox.reset();
			expect(sandbox.hooks.beforeApiRequest).toBeUndefined();
			expect((await api.get(CO, 'CustomerOrderSet?$top=1')).status).toBe(200);
		});
	});

	describe('control channel', () => {
		it('moves the clock and changes rows as another user over HTTP', async () => {
			const control = await startControlServer(sandbox);
			try {
				const post = (path: string, body: unknown) => call(`${control.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
				expect((await post('/clock', { set: '2024-02-02T02:02:02Z' })).json).toEqual({ now: Date.UTC(2024, 1, 2, 2, 2, 2), iso: '2024-02-02T02:02:02.000Z', frozen: true });
				expect((await post('/clock', { advance: 1000 })).json.iso).toBe('2024-02-02T02:02:03.000Z');
				expect((await call(`${control.url}/clock`)).json.frozen).toBe(true);
				const updated = await post('/rows/update', { projection: CO, entitySet: 'CustomerOrderSet', keys: { OrderNo: 'C1000001' }, values: { Note: 'via control' } });
				expect(updated.json).toMatchObject({ OrderNo: 'C1000001', Note: 'via control', ChangeDate: '2024-02-02T02:02:03Z' });
				const inserted = await post('/rows/insert', { projection: CO, entitySet: 'CustomerOrderSet', values: newOrder });
				expect(inserted.json.OrderNo).toBe('C1000051');
				expect((await post('/clock', { set: 1, real: true })).status).toBe(400);
				expect((await post('/clock', { real: true })).json.frozen).toBe(false);
			} finally {
				await control.close();
			}
		});
	});
});

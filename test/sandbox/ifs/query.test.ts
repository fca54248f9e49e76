import { startIfsSandbox, type IfsSandbox, type SandboxRow } from './index';
import { Api, call, decodeEtag, q } from './helpers';

const CO = 'CustomerOrderHandling';
const ENUM = 'IfsApp.CustomerOrderHandling.CustomerOrderState';

describe('IFS sandbox: OData queries', () => {
	let sandbox: IfsSandbox;
	let api: Api;
	let orders: SandboxRow[];
	let lines: SandboxRow[];

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
		orders = sandbox.data.rows(CO, 'CustomerOrderSet');
		lines = sandbox.data.rows(CO, 'CustomerOrderLineSet');
	});
	afterAll(() => sandbox.close());

	async function filterOrders(filter: string): Promise<string[]> {
		const res = await api.get(CO, `CustomerOrderSet?${q({ $filter: filter, $select: 'OrderNo' })}`);
		expect(res.status).toBe(200);
		return res.json.value.map((r: { OrderNo: string }) => r.OrderNo);
	}
	const orderNos = (pred: (r: SandboxRow) => boolean) => orders.filter(pred).map((r) => r.OrderNo as string);

	async function expect400(path: string, pattern: RegExp, code?: string) {
		const res = await api.get(CO, path);
		expect(res.status).toBe(400);
		expect(res.json.error.message).toMatch(pattern);
		if (code) expect(res.json.error.code).toBe(code);
		return res;
	}

	describe('rows', () => {
		it('carry @odata.etag (base64 of W/"Objid:Objversion"), luname, keyref and JSON-number decimals', async () => {
			const res = await api.get(CO, 'CustomerOrderSet?$top=1');
			const row = res.json.value[0];
			expect(res.json['@odata.context']).toBe(`${api.url(CO)}/$metadata#CustomerOrderSet`);
			expect(decodeEtag(row['@odata.etag'])).toMatch(/^W\/"[A-Za-z0-9+/]{18}:\d{14}"$/);
			expect(row.luname).toBe('CustomerOrder');
			expect(row.keyref).toBe(`ORDER_NO=${row.OrderNo}^`);
			expect(typeof row.TotalAmount).toBe('number');
			expect(row.DateEntered).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
			expect(row.WantedDeliveryDate).toMatch(/^\d{4}-\d\d-\d\d$/);
			expect(res.headers.get('odata-version')).toBe('4.0');
		});

		it('come in key order without $orderby', async () => {
			const res = await api.get(CO, 'CustomerOrderLineSet');
			expect(res.json.value.map((r: SandboxRow) => r.keyref)).toEqual(lines.map((r) => r.keyref));
		});
	});

	describe('$filter', () => {
		it('supports comparison operators on strings, decimals and integers', async () => {
			expect(await filterOrders("Contract eq 'S100'")).toEqual(orderNos((r) => r.Contract === 'S100'));
			expect(await filterOrders("Contract ne 'S100'")).toEqual(orderNos((r) => r.Contract !== 'S100'));
			expect(await filterOrders('TotalAmount gt 10000')).toEqual(orderNos((r) => (r.TotalAmount as number) > 10000));
			expect(await filterOrders('TotalAmount le 5000.5')).toEqual(orderNos((r) => (r.TotalAmount as number) <= 5000.5));
			expect(await filterOrders("OrderNo ge 'C1000040' and OrderNo lt 'C1000043'")).toEqual(['C1000040', 'C1000041', 'C1000042']);
			const vouchers = await api.get('VoucherHandling', `VoucherSet?${q({ $filter: "Company eq '20' and AccountingYear eq 2024 and VoucherNo le 2 and VoucherType eq 'M'" })}`);
			expect(vouchers.json.value.map((v: SandboxRow) => v.VoucherNo)).toEqual([1, 2]);
		});

		it('supports and/or/not with parentheses and precedence', async () => {
			const expected = orderNos((r) => (r.Contract === 'S100' || r.Contract === 'S200') && !((r.TotalAmount as number) > 20000));
			expect(await filterOrders("(Contract eq 'S100' or Contract eq 'S200') and not (TotalAmount gt 20000)")).toEqual(expected);
			// and binds tighter than or
			const precedence = orderNos((r) => r.Contract === 'S300' || (r.Contract === 'S100' && (r.TotalAmount as number) > 20000));
			expect(await filterOrders("Contract eq 'S300' or Contract eq 'S100' and TotalAmount gt 20000")).toEqual(precedence);
		});

		it('supports the string functions', async () => {
			const name = (r: SandboxRow) => r.CustomerPoNo as string | null;
			expect(await filterOrders("contains(CustomerPoNo,'PO-1')")).toEqual(orderNos((r) => !!name(r)?.includes('PO-1')));
			expect(await filterOrders("startswith(OrderNo,'C100001')")).toEqual(orderNos((r) => (r.OrderNo as string).startsWith('C100001')));
			expect(await filterOrders("endswith(OrderNo,'7')")).toEqual(orderNos((r) => (r.OrderNo as string).endsWith('7')));
			expect(await filterOrders("tolower(Contract) eq 's200'")).toEqual(orderNos((r) => r.Contract === 'S200'));
			expect(await filterOrders("toupper(tolower(Contract)) eq 'S200'")).toEqual(orderNos((r) => r.Contract === 'S200'));
			expect(await filterOrders('length(CustomerPoNo) gt 8')).toEqual(orderNos((r) => (name(r)?.length ?? 0) > 8));
			expect(await filterOrders("indexof(OrderNo,'5') eq 7")).toEqual(orderNos((r) => (r.OrderNo as string).indexOf('5') === 7));
			expect(await filterOrders("substring(OrderNo,6) eq '01'")).toEqual(['C1000001']);
			expect(await filterOrders("substring(OrderNo,1,3) eq '100'")).toHaveLength(orders.length);
			expect(await filterOrders("trim(concat(' ',Contract)) eq 'S300'")).toEqual(orderNos((r) => r.Contract === 'S300'));
		});

		it("handles '' escaping and characters that need URL encoding", async () => {
			const po = "PO#12/A+B & C 'rush'";
			const expected = orderNos((r) => r.CustomerPoNo === po);
			expect(expected).toHaveLength(1);
			expect(await filterOrders(`CustomerPoNo eq '${po.replace(/'/g, "''")}'`)).toEqual(expected);
			expect(await filterOrders("contains(Note,'O''Brien')")).toEqual(orderNos((r) => String(r.Note).includes("O'Brien")));
			await expect400(`CustomerOrderSet?$filter=${encodeURIComponent("Note eq 'O'Brien'")}`, /Syntax error/);
		});

		it('supports null, Edm.Date and Edm.DateTimeOffset literals', async () => {
			expect(await filterOrders('Note eq null')).toEqual(orderNos((r) => r.Note === null));
			expect(await filterOrders('Note ne null')).toEqual(orderNos((r) => r.Note !== null));
			expect(await filterOrders('WantedDeliveryDate ge 2024-05-01')).toEqual(orderNos((r) => (r.WantedDeliveryDate as string) >= '2024-05-01'));
			const cut = Date.parse('2024-03-01T00:00:00Z');
			expect(await filterOrders('DateEntered lt 2024-03-01T00:00:00Z')).toEqual(orderNos((r) => Date.parse(r.DateEntered as string) < cut));
			// Offsets are honoured: 02:00+02:00 is midnight UTC.
			expect(await filterOrders('DateEntered lt 2024-03-01T02:00:00+02:00')).toEqual(orderNos((r) => Date.parse(r.DateEntered as string) < cut));
			expect(await filterOrders('year(DateEntered) eq 2024 and month(WantedDeliveryDate) ge 4')).toEqual(
				orderNos((r) => Number((r.WantedDeliveryDate as string).slice(5, 7)) >= 4),
			);
			await expect400(`CustomerOrderSet?${q({ $filter: "WantedDeliveryDate eq '2024-05-01'" })}`, /incompatible operand types Edm.Date and Edm.String/);
			await expect400(`CustomerOrderSet?${q({ $filter: 'WantedDeliveryDate eq 2024-02-30' })}`, /invalid Edm.Date literal/);
		});

		it('needs qualified literals for typed enums; plain client values work on string states', async () => {
			expect(await filterOrders(`Objstate eq ${ENUM}'Released'`)).toEqual(orderNos((r) => r.Objstate === 'Released'));
			expect(await filterOrders(`Objstate ne ${ENUM}'Cancelled' and Objstate le ${ENUM}'Reserved'`)).toEqual(
				orderNos((r) => ['Planned', 'Released', 'Reserved'].includes(r.Objstate as string)),
			);
			await expect400(`CustomerOrderSet?${q({ $filter: "Objstate eq 'Released'" })}`, /qualified literal, e\.g\. IfsApp\.CustomerOrderHandling\.CustomerOrderState'/);
			await expect400(`CustomerOrderSet?${q({ $filter: `Objstate eq ${ENUM}'Shipped'` })}`, /not a member/);
			const res = await api.get(CO, `CustomerOrderLineSet?${q({ $filter: "Objstate eq 'Released'" })}`);
			expect(res.json.value).toHaveLength(lines.filter((l) => l.Objstate === 'Released').length);
		});

		it('follows one-to-one navigation paths', async () => {
			const customer = orders[0].CustomerNo as string;
			const res = await api.get(CO, `CustomerOrderLineSet?${q({ $filter: `OrderNoRef/CustomerNo eq '${customer}'` })}`);
			const expectedOrders = new Set(orderNos((r) => r.CustomerNo === customer));
			expect(res.json.value.length).toBe(lines.filter((l) => expectedOrders.has(l.OrderNo as string)).length);
		});

		it.each([
			["Objstate has IfsApp.CustomerOrderHandling.CustomerOrderState'Released'", /'has' operator is not supported/],
			["OrderLinesArray/any(l:l/PartNo eq 'X')", /any\/all are not supported/],
			['OrderLinesArray/all(l:l/BuyQtyDue gt 1)', /any\/all are not supported/],
			['round(TotalAmount) eq 100', /Math functions \(round\)/],
			['floor(TotalAmount) eq 100', /Math functions/],
			['OrderLinesArray/$count gt 2', /\$count is not supported inside \$filter/],
			['DateEntered add duration\'P1D\' gt 2024-03-01T00:00:00Z', /Arithmetic on Edm.Date/],
			['WantedDeliveryDate sub 2024-01-01 gt 0', /Arithmetic on Edm.Date/],
			["Contract in ('S100','S200')", /'in' operator is not supported/],
			["hassubset(OrderNo,'C')", /Collection functions/],
			["OrderLinesArray eq null", /Collection-valued navigation/],
		])('rejects unsupported %s with 400', async (filter, pattern) => {
			await expect400(`CustomerOrderSet?${q({ $filter: filter })}`, pattern, 'ODP_NOT_SUPPORTED');
		});

		it('supports numeric arithmetic', async () => {
			const res = await api.get(CO, `CustomerOrderLineSet?${q({ $filter: 'BuyQtyDue mul SalePrice gt 10000 and BuyQtyDue mod 2 eq 0' })}`);
			const expected = lines.filter((l) => (l.BuyQtyDue as number) * (l.SalePrice as number) > 10000 && (l.BuyQtyDue as number) % 2 === 0);
			expect(res.json.value.map((l: SandboxRow) => l.keyref)).toEqual(expected.map((l) => l.keyref));
		});

		it.each([
			["(Contract eq 'S100'", /expected '\)'/],
			["Contract eq 'S100')", /unexpected '\)'/],
			["NoSuchField eq 'x'", /property 'NoSuchField' does not exist in type 'IfsApp.CustomerOrderHandling.CustomerOrder'/],
			["Contains(OrderNo,'C')", /unknown function 'Contains'/],
			['TotalAmount eq true', /incompatible operand types/],
			["Contract eq 'S100' and", /unexpected end of input/],
			["contains(OrderNo)", /expects 2 arguments/],
			["'abc", /unterminated string literal/],
			['Contract', /must be a boolean expression/],
		])('rejects malformed %s with 400', async (filter, pattern) => {
			await expect400(`CustomerOrderSet?${q({ $filter: filter })}`, pattern, 'ODP_URI_PARSING_ERROR');
		});

		it("rejects '+' used as a space (form encoding) but accepts %20", async () => {
			const plus = await expect400("CustomerOrderSet?$filter=Contract+eq+'S100'", /'\+' as a space/);
			expect(plus.json.error.code).toBe('ODP_URI_PARSING_ERROR');
			const encoded = await api.get(CO, "CustomerOrderSet?$filter=Contract%20eq%20'S100'");
			expect(encoded.status).toBe(200);
			expect(encoded.json.value.length).toBe(orderNos((r) => r.Contract === 'S100').length);
		});
	});

	describe('$select, $orderby, $top, $skip, $count, $expand', () => {
		it('$select returns the chosen properties plus etag, luname and keyref', async () => {
			const res = await api.get(CO, 'CustomerOrderSet?$select=OrderNo,TotalAmount&$top=2');
			expect(res.json['@odata.context']).toMatch(/#CustomerOrderSet\(OrderNo,TotalAmount\)$/);
			expect(Object.keys(res.json.value[0])).toEqual(['@odata.etag', 'luname', 'keyref', 'OrderNo', 'TotalAmount']);
			await expect400('CustomerOrderSet?$select=OrderNo,Nope', /Nope/);
			await expect400('CustomerOrderSet?$select=OrderLinesArray', /use \$expand/);
		});

		it('$orderby sorts by several keys, asc and desc', async () => {
			const res = await api.get(CO, `CustomerOrderSet?${q({ $orderby: 'Contract desc,TotalAmount', $select: 'OrderNo' })}`);
			const expected = [...orders]
				.sort((a, b) => (a.Contract === b.Contract ? (a.TotalAmount as number) - (b.TotalAmount as number) : a.Contract! < b.Contract! ? 1 : -1))
				.map((r) => r.OrderNo);
			expect(res.json.value.map((r: SandboxRow) => r.OrderNo)).toEqual(expected);
			const nulls = await api.get(CO, `CustomerOrderSet?${q({ $orderby: 'Note asc,OrderNo asc', $select: 'Note' })}`);
			const notes = nulls.json.value.map((r: SandboxRow) => r.Note);
			expect(notes[notes.length - 1]).toBeNull(); // Oracle: nulls last ascending
			expect(notes[0]).not.toBeNull();
			await expect400(`CustomerOrderSet?${q({ $orderby: 'OrderNo sideways' })}`, /expected ','/);
		});

		it('$top, $skip and $count=true', async () => {
			const res = await api.get(CO, 'CustomerOrderSet?$top=5&$skip=10&$count=true&$select=OrderNo');
			expect(res.json['@odata.count']).toBe(orders.length);
			expect(res.json.value.map((r: SandboxRow) => r.OrderNo)).toEqual(orders.slice(10, 15).map((r) => r.OrderNo));
			expect(res.json['@odata.nextLink']).toBeUndefined();
			const filtered = await api.get(CO, `CustomerOrderSet?${q({ $filter: "Contract eq 'S100'", $count: true, $top: 1 })}`);
			expect(filtered.json['@odata.count']).toBe(orderNos((r) => r.Contract === 'S100').length);
			await expect400('CustomerOrderSet?$top=-1', /\$top must be a non-negative integer/);
			await expect400('CustomerOrderSet?$skip=abc', /\$skip/);
			await expect400('CustomerOrderSet?$count=yes', /\$count must be true or false/);
		});

		it('/$count answers text/plain and honours $filter', async () => {
			const res = await api.get(CO, `CustomerOrderSet/$count?${q({ $filter: "Contract eq 'S200'" })}`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
			expect(res.text).toBe(String(orderNos((r) => r.Contract === 'S200').length));
		});

		it('$expand works for one-to-one associations only', async () => {
			const res = await api.get(CO, 'CustomerOrderLineSet?$top=1&$expand=OrderNoRef($select=OrderNo,CustomerNo)');
			const line = res.json.value[0];
			expect(line.OrderNoRef).toEqual({
				'@odata.etag': expect.any(String),
				luname: 'CustomerOrder',
				keyref: `ORDER_NO=${line.OrderNo}^`,
				OrderNo: line.OrderNo,
				CustomerNo: orders.find((o) => o.OrderNo === line.OrderNo)!.CustomerNo,
			});
			await expect400('CustomerOrderSet?$expand=OrderLinesArray', /only supported for one-to-one/, 'ODP_NOT_SUPPORTED');
			await expect400('CustomerOrderSet?$expand=Nope', /not a navigation property/);
		});

		it('rejects unknown, duplicated and unsupported system query options', async () => {
			await expect400('CustomerOrderSet?$frobnicate=1', /Unknown system query option/);
			await expect400('CustomerOrderSet?$Filter=OrderNo%20eq%20%27x%27', /case-sensitive/);
			await expect400('CustomerOrderSet?$top=1&$top=2', /more than once/);
			await expect400('CustomerOrderSet?$search=abc', /not supported/);
			await expect400("CustomerOrderSet?$filter=OrderNo%20eq%20'%ZZ'", /percent-encoding/);
			expect((await api.get(CO, 'CustomerOrderSet?$top=1&custom=ignored')).status).toBe(200);
		});
	});

	describe('single entities, navigation and functions', () => {
		it('reads by key in every accepted spelling, with an ETag header', async () => {
			const first = orders[0];
			for (const path of [
				`CustomerOrderSet(OrderNo='${first.OrderNo}')`,
				`CustomerOrderSet('${first.OrderNo}')`,
				`CustomerOrderSet(OrderNo=%27${first.OrderNo}%27)`,
				`CustomerOrderSet%28OrderNo%3D%27${first.OrderNo}%27%29`,
			]) {
				const res = await api.get(CO, path);
				expect(res.status).toBe(200);
				expect(res.json['@odata.context']).toBe(`${api.url(CO)}/$metadata#CustomerOrderSet/$entity`);
				expect(res.json.OrderNo).toBe(first.OrderNo);
				expect(res.headers.get('etag')).toBe(res.json['@odata.etag']);
			}
		});

		it('reads composite keys with typed literals', async () => {
			const res = await api.get('VoucherHandling', "VoucherSet(Company='10',AccountingYear=2024,VoucherType='M',VoucherNo=2)");
			expect(res.status).toBe(200);
			expect(res.json).toMatchObject({ Company: '10', AccountingYear: 2024, VoucherType: 'M', VoucherNo: 2, keyref: 'COMPANY=10^ACCOUNTING_YEAR=2024^VOUCHER_TYPE=M^VOUCHER_NO=2^' });
			const quotedNumber = await api.get('VoucherHandling', "VoucherSet(Company='10',AccountingYear=2024,VoucherType='M',VoucherNo='2')");
			expect(quotedNumber.status).toBe(400);
			const missingKey = await api.get('VoucherHandling', "VoucherSet(Company='10',AccountingYear=2024,VoucherType='M')");
			expect(missingKey.status).toBe(400);
			expect(missingKey.json.error.message).toMatch(/missing key\(s\) VoucherNo/);
			const unquoted = await api.get(CO, 'CustomerOrderSet(OrderNo=C1000001)');
			expect(unquoted.status).toBe(400);
			expect(unquoted.json.error.message).toMatch(/must be quoted/);
		});

		it('answers 404 for unknown keys', async () => {
			const res = await api.get(CO, "CustomerOrderSet(OrderNo='NOPE')");
			expect(res.status).toBe(404);
			expect(res.json.error.code).toBe('ODP_RESOURCE_NOTFOUND');
		});

		it('addresses the lines of an order through OrderLinesArray, with query options', async () => {
			const order = orders.find((o) => lines.filter((l) => l.OrderNo === o.OrderNo).length >= 2)!;
			const res = await api.get(CO, `CustomerOrderSet(OrderNo='${order.OrderNo}')/OrderLinesArray?$orderby=${encodeURIComponent('LineNo desc')}`);
			expect(res.status).toBe(200);
			expect(res.json['@odata.context']).toMatch(/#CustomerOrderLineSet$/);
			const expected = lines.filter((l) => l.OrderNo === order.OrderNo).map((l) => l.LineNo).reverse();
			expect(res.json.value.map((l: SandboxRow) => l.LineNo)).toEqual(expected);
			const single = await api.get(CO, `CustomerOrderSet(OrderNo='${order.OrderNo}')/OrderLinesArray(LineNo='1',RelNo='1',LineItemNo=0)`);
			expect(single.status).toBe(200);
			expect(single.json.LineNo).toBe('1');
			const ref = await api.get(CO, `CustomerOrderLineSet(OrderNo='${order.OrderNo}',LineNo='1',RelNo='1',LineItemNo=0)/OrderNoRef`);
			expect(ref.json.OrderNo).toBe(order.OrderNo);
		});

		it('calls the unbound function by GET', async () => {
			const customer = orders[0].CustomerNo as string;
			const res = await api.get(CO, `GetOrderCount(CustomerNo='${customer}')`);
			expect(res.status).toBe(200);
			expect(res.json).toEqual({ '@odata.context': `${api.url(CO)}/$metadata#Edm.Int32`, value: orderNos((r) => r.CustomerNo === customer).length });
			const alias = await api.get(CO, `GetOrderCount(CustomerNo=@c)?@c='${customer}'`);
			expect(alias.json.value).toBe(res.json.value);
		});

		it('answers HEAD like GET without a body', async () => {
			const res = await call(api.url(CO, 'CustomerOrderSet?$top=1'), { method: 'HEAD', headers: { Authorization: `Bearer ${api.token}` } });
			expect(res.status).toBe(200);
			expect(res.text).toBe('');
		});
	});
});

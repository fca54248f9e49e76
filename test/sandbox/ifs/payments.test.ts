import { startIfsSandbox, type IfsSandbox, type SandboxRow } from './index';
import { Api, q } from './helpers';
import { toMinorUnits } from './money';

const PP = 'PaymentProposalHandling';
const CI = 'CustomerInvoiceHandling';
const CP = 'CustomerPaymentHandling';

describe('IFS sandbox: payment proposals, customer invoices and payments', () => {
	let sandbox: IfsSandbox;
	let api: Api;

	beforeAll(async () => {
		sandbox = await startIfsSandbox();
		api = new Api(sandbox, sandbox.issueToken());
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.reset());

	const invoices = () => sandbox.data.rows(CI, 'CustomerInvoiceSet');
	const openInvoice = (company = '10') => invoices().find((i) => i.Company === company && i.Objstate === 'PostedAuth')!;
	const invoicePath = (i: SandboxRow) => `CustomerInvoiceSet(Company='${String(i.Company)}',InvoiceId=${String(i.InvoiceId)})`;
	const pay = (body: Record<string, unknown>) => api.post(CP, 'CustomerPaymentSet', { Company: '10', PaymentDate: '2024-09-30', ...body });

	it('serves read-only payment proposals with lines that add up to the total', async () => {
		const res = await api.get(PP, `PaymentProposalSet?${q({ $orderby: 'Company,ProposalId' })}`);
		expect(res.json.value.map((p: SandboxRow) => `${String(p.Company)}/${String(p.ProposalId)}`)).toEqual(['10/1', '10/2', '10/3', '20/1', '20/2']);
		for (const p of res.json.value) {
			const lines = await api.get(PP, `PaymentProposalSet(Company='${p.Company}',ProposalId=${p.ProposalId})/ProposalLinesArray`);
			expect(lines.json.value.length).toBeGreaterThanOrEqual(2);
			const sum = lines.json.value.reduce((s: bigint, l: SandboxRow) => s + toMinorUnits(l.CurrAmount as number, p.CurrencyCode), 0n);
			expect(sum).toBe(toMinorUnits(p.TotalAmount, p.CurrencyCode));
			expect(lines.json.value[0]).toMatchObject({ PartyType: 'Supplier', CurrencyCode: p.CurrencyCode });
		}
		expect((await api.post(PP, 'PaymentProposalSet', { Company: '10', ProposalId: 9 })).status).toBe(405);
	});

	it('seeds open, partly paid and paid invoices with cents, read-only over the API', async () => {
		const all = invoices();
		expect(new Set(all.map((i) => i.Objstate))).toEqual(new Set(['PostedAuth', 'PartlyPaid', 'Paid']));
		for (const i of all) {
			const open = toMinorUnits(i.OpenAmount as number, i.CurrencyCode as string);
			const amount = toMinorUnits(i.InvoiceAmount as number, i.CurrencyCode as string);
			expect(i.Objstate === 'Paid' ? open === 0n : i.Objstate === 'PostedAuth' ? open === amount : open > 0n && open < amount).toBe(true);
		}
		expect(all.some((i) => !Number.isInteger((i.InvoiceAmount as number) * 10))).toBe(true);
		const open = await api.get(CI, `CustomerInvoiceSet?${q({ $filter: "Company eq '10' and Objstate ne 'Paid' and OpenAmount gt 0", $select: 'InvoiceNo,Identity,OpenAmount' })}`);
		expect(open.json.value.length).toBeGreaterThan(10);
		expect((await api.patch(CI, invoicePath(all[0]), { OpenAmount: 0 })).status).toBe(405);
	});

	it('applies a partial and then the final payment in exact decimals', async () => {
		const invoice = sandbox.data.insert(CI, 'CustomerInvoiceSet', {
			Company: '10', InvoiceId: 900, InvoiceNo: 'CI10-00900', Identity: '10005', CurrencyCode: 'SEK',
			InvoiceAmount: 0.3, OpenAmount: 0.3, InvoiceDate: '2024-09-01', DueDate: '2024-10-01',
		});
		const etag = invoice['@odata.etag'];
		const first = await pay({ InvoiceNo: 'CI10-00900', Amount: 0.1, ExternalReference: 'stripe:pi_1', Text: 'Partial' });
		expect(first.status).toBe(201);
		expect(first.json).toMatchObject({ Company: '10', PaymentId: 1, Identity: '10005', InvoiceId: 900, CurrencyCode: 'SEK', Amount: 0.1, ExternalReference: 'stripe:pi_1' });
		let now = await api.get(CI, invoicePath(invoice));
		expect(now.json).toMatchObject({ OpenAmount: 0.2, Objstate: 'PartlyPaid' });
		expect(now.headers.get('etag')).not.toBe(etag);

		const second = await pay({ InvoiceNo: 'CI10-00900', Identity: '10005', Amount: 0.2, CurrencyCode: 'SEK' });
		expect(second.json.PaymentId).toBe(2);
		now = await api.get(CI, invoicePath(invoice));
		expect(now.json).toMatchObject({ OpenAmount: 0, Objstate: 'Paid' });
		const found = await api.get(CP, `CustomerPaymentSet?${q({ $filter: "ExternalReference eq 'stripe:pi_1'" })}`);
		expect(found.json.value).toHaveLength(1);
		// Only the texts can change afterwards; a payment is not deleted.
		const path = "CustomerPaymentSet(Company='10',PaymentId=1)";
		const patched = await api.patch(CP, path, { Text: 'Partial, matched', Amount: 99 }, { 'If-Match': first.headers.get('etag')! });
		expect(patched.json).toMatchObject({ Text: 'Partial, matched', Amount: 0.1 });
		expect((await api.request('DELETE', CP, path, { headers: { 'If-Match': '*' } })).status).toBe(405);
	});

	it('pays a seeded open invoice in full', async () => {
		const invoice = openInvoice('20');
		const res = await api.post(CP, 'CustomerPaymentSet', { Company: '20', InvoiceNo: invoice.InvoiceNo, Amount: invoice.OpenAmount });
		expect(res.status).toBe(201);
		expect(res.json).toMatchObject({ Identity: invoice.Identity, CurrencyCode: invoice.CurrencyCode, PaymentDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
		expect(sandbox.data.get(CI, 'CustomerInvoiceSet', { Company: '20', InvoiceId: invoice.InvoiceId })).toMatchObject({ OpenAmount: 0, Objstate: 'Paid' });
	});

	it('refuses an amount above the open amount, another currency, an unknown invoice and non-positive amounts', async () => {
		const invoice = openInvoice();
		const over = await pay({ InvoiceNo: invoice.InvoiceNo, Amount: Number(((invoice.OpenAmount as number) + 0.01).toFixed(2)) });
		expect(over.status).toBe(400);
		expect(over.json.error).toMatchObject({ code: 'DATABASE_ERROR', message: expect.stringMatching(/exceeds the open amount/) });

		const otherCurrency = invoice.CurrencyCode === 'SEK' ? 'USD' : 'SEK';
		const currency = await pay({ InvoiceNo: invoice.InvoiceNo, Amount: 1, CurrencyCode: otherCurrency });
		expect(currency.status).toBe(400);
		expect(currency.json.error.message).toMatch(new RegExp(`Payment currency ${otherCurrency} does not match currency ${String(invoice.CurrencyCode)}`));

		const unknown = await pay({ InvoiceNo: 'CI10-99999', Amount: 1 });
		expect(unknown.status).toBe(400);
		expect(unknown.json.error.message).toMatch(/Customer Invoice CI10-99999 in company 10 does not exist/);
		const wrongCustomer = await pay({ InvoiceNo: invoice.InvoiceNo, Identity: 'SOMEONE', Amount: 1 });
		expect(wrongCustomer.status).toBe(400);
		for (const Amount of [0, -5]) expect((await pay({ InvoiceNo: invoice.InvoiceNo, Amount })).status).toBe(400);
		expect((await pay({ InvoiceNo: invoice.InvoiceNo, Amount: 0.001 })).json.error.message).toMatch(/more decimals/);
		expect((await pay({ InvoiceNo: invoice.InvoiceNo })).json.error.message).toMatch(/AMOUNT\] is mandatory/);

		// Nothing was applied.
		expect(sandbox.data.get(CI, 'CustomerInvoiceSet', { Company: '10', InvoiceId: invoice.InvoiceId })!.OpenAmount).toBe(invoice.OpenAmount);
		expect(sandbox.data.count(CP, 'CustomerPaymentSet')).toBe(0);
	});

	it('asks for Identity when an invoice number exists for two customers', async () => {
		const base = { Company: '10', InvoiceNo: 'DUP-1', CurrencyCode: 'SEK', InvoiceAmount: 50, OpenAmount: 50, InvoiceDate: '2024-09-01', DueDate: '2024-10-01' };
		sandbox.data.insert(CI, 'CustomerInvoiceSet', { ...base, InvoiceId: 901, Identity: '10001' });
		sandbox.data.insert(CI, 'CustomerInvoiceSet', { ...base, InvoiceId: 902, Identity: '10002' });
		expect((await pay({ InvoiceNo: 'DUP-1', Amount: 5 })).json.error.message).toMatch(/send Identity/);
		const res = await pay({ InvoiceNo: 'DUP-1', Identity: '10002', Amount: 5 });
		expect(res.json).toMatchObject({ InvoiceId: 902 });
	});
});

/**
 * Payment through real workflow JSON against the IFS sandbox: customer payments applied to an
 * invoice exactly (cents), once per external reference, IFS's refusals surfaced, exactly one
 * payment after a reset on the POST; payment proposals read with their lines.
 */
import type { IDataObject } from 'n8n-workflow';

import { type IfsSandbox, type SandboxRow, startIfsSandbox } from '../../sandbox/ifs';
import { IFS_NODE, apiRequests, firstOutput, jsonOf, runIfs, traceOf, writes } from './finance-helpers';

const INVOICES = ['CustomerInvoiceHandling', 'CustomerInvoiceSet'] as const;
const PAYMENTS = ['CustomerPaymentHandling', 'CustomerPaymentSet'] as const;
const PROPOSALS = 'PaymentProposalHandling';

let sandbox: IfsSandbox;
beforeAll(async () => {
	sandbox = await startIfsSandbox();
});
afterAll(async () => await sandbox.close());
beforeEach(() => {
	sandbox.reset();
});

/** Exact cents of a JSON amount as the sandbox stores it (two decimals). */
const cents = (amount: unknown) => BigInt(Math.round(Number(amount) * 100));
const amountText = (units: bigint) => `${units / 100n}.${String(units % 100n).padStart(2, '0')}`;

function invoice(invoiceNo: string, company = '10'): SandboxRow {
	const found = sandbox.data.rows(...INVOICES).find((row) => row.Company === company && row.InvoiceNo === invoiceNo);
	if (!found) throw new Error(`no seeded invoice ${invoiceNo}`);
	return found;
}

/** An open (PostedAuth) invoice of company 10 in the given currency. */
function openInvoice(currency = 'SEK'): SandboxRow {
	const found = sandbox.data.rows(...INVOICES).find((row) => row.Company === '10' && row.CurrencyCode === currency && row.Objstate === 'PostedAuth');
	if (!found) throw new Error(`no open ${currency} invoice`);
	return found;
}

const paymentsFor = (reference: string) => sandbox.data.rows(...PAYMENTS).filter((row) => row.ExternalReference === reference);
const paymentPosts = () => apiRequests(sandbox).filter((entry) => entry.method === 'POST' && entry.path.endsWith('CustomerPaymentSet'));

function paymentParameters(reference: string, invoiceNo: string, amount: string, extra: IDataObject = {}): IDataObject {
	return {
		resource: 'payment',
		operation: 'recordCustomerPayment',
		externalReference: reference,
		invoiceNo,
		amount,
		currency: 'SEK',
		paymentDate: '2024-06-01',
		text: `Shopify payout ${reference}`,
		...extra,
	};
}

const pay = (reference: string, invoiceNo: string, amount: string, extra: IDataObject = {}, run: IDataObject = {}) =>
	runIfs({ sandbox, parameters: paymentParameters(reference, invoiceNo, amount, extra), ...run });

describe('Record Customer Payment', () => {
	test('partial payments lower the open amount to the cent (0.10 + 0.20 = 0.30); the last one pays it in full', async () => {
		const target = openInvoice('SEK');
		const open = cents(target.OpenAmount);

		const first = await pay('TX-0001', String(target.InvoiceNo), '0.10');
		expect(first.error?.message).toBeUndefined();
		const second = await pay('TX-0002', String(target.InvoiceNo), '0.2');
		expect(second.error?.message).toBeUndefined();
		const partly = invoice(String(target.InvoiceNo));
		expect(amountText(cents(partly.OpenAmount))).toBe(amountText(open - 30n));
		expect(partly.OpenAmount).toBe(Number(amountText(open - 30n)));
		expect(partly.Objstate).toBe('PartlyPaid');

		const created = firstOutput(first);
		expect(created).toMatchObject({
			Company: '10',
			InvoiceNo: target.InvoiceNo,
			InvoiceId: target.InvoiceId,
			Identity: target.Identity,
			Amount: 0.1,
			CurrencyCode: 'SEK',
			PaymentDate: '2024-06-01',
			ExternalReference: 'TX-0001',
			Text: 'Shopify payout TX-0001',
		});
		expect(traceOf(created)).toMatchObject({
			action: 'created',
			target: { system: 'IFS Cloud', id: `CustomerPaymentHandling/CustomerPaymentSet(Company='10',PaymentId=${String(created.PaymentId)})` },
		});

		const rest = amountText(open - 30n);
		const full = await pay('TX-0003', String(target.InvoiceNo), rest);
		expect(full.error?.message).toBeUndefined();
		expect(invoice(String(target.InvoiceNo))).toMatchObject({ OpenAmount: 0, Objstate: 'Paid' });
		expect(paymentsFor('TX-0003').map((row) => row.Amount)).toEqual([Number(rest)]);
		expect(sandbox.data.rows(...PAYMENTS).filter((row) => row.InvoiceNo === target.InvoiceNo)).toHaveLength(3);
	});

	test('re-running with the same external reference records nothing more', async () => {
		const target = openInvoice('EUR');
		const parameters = { currency: 'EUR', customer: String(target.Identity) };
		const first = await pay('TX-RERUN', String(target.InvoiceNo), '100.05', parameters);
		expect(first.error?.message).toBeUndefined();
		const afterFirst = invoice(String(target.InvoiceNo));
		expect(cents(afterFirst.OpenAmount)).toBe(cents(target.OpenAmount) - 10005n);
		const count = sandbox.data.count(...PAYMENTS);

		sandbox.stats.reset();
		const again = await pay('TX-RERUN', String(target.InvoiceNo), '100.05', parameters);
		expect(again.status).toBe('success');
		const found = firstOutput(again);
		expect(traceOf(found).action).toBe('found');
		expect(found.PaymentId).toBe(firstOutput(first).PaymentId);
		expect(writes(sandbox)).toHaveLength(0);
		expect(sandbox.data.count(...PAYMENTS)).toBe(count);
		expect(invoice(String(target.InvoiceNo)).OpenAmount).toBe(afterFirst.OpenAmount);
		expect(invoice(String(target.InvoiceNo))['@odata.etag']).toBe(afterFirst['@odata.etag']);
	});

	test("an amount over the open amount surfaces IFS's message and changes nothing", async () => {
		const target = openInvoice('SEK');
		const over = amountText(cents(target.OpenAmount) + 1n);
		const result = await pay('TX-OVER', String(target.InvoiceNo), over);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`The payment amount ${over} exceeds the open amount ${amountText(cents(target.OpenAmount))} of invoice ${String(target.InvoiceNo)}`);
		expect(invoice(String(target.InvoiceNo))).toMatchObject({ OpenAmount: target.OpenAmount, Objstate: 'PostedAuth' });
		expect(paymentsFor('TX-OVER')).toHaveLength(0);
	});

	test("an unknown invoice surfaces IFS's message", async () => {
		const result = await pay('TX-NOINV', 'CI10-99999', '10.00');
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/CI10-99999 in company 10 does not exist/);
		expect(paymentsFor('TX-NOINV')).toHaveLength(0);
	});

	test('an already paid invoice, a foreign currency and too many decimals are refused by IFS; nothing is rounded', async () => {
		const paid = sandbox.data.rows(...INVOICES).find((row) => row.Company === '10' && row.Objstate === 'Paid');
		const onPaid = await pay('TX-PAID', String(paid?.InvoiceNo), '1.00', { currency: String(paid?.CurrencyCode) });
		expect(onPaid.error?.message).toMatch(/exceeds the open amount 0\.00/);

		const target = openInvoice('SEK');
		const currency = await pay('TX-CUR', String(target.InvoiceNo), '1.00', { currency: 'EUR' });
		expect(currency.error?.message).toMatch(/Payment currency EUR does not match currency SEK/);

		const decimals = await pay('TX-DEC', String(target.InvoiceNo), '1.005');
		expect(decimals.error?.message).toMatch(/The amount 1\.005 has more decimals than currency SEK allows \(2\)/);
		expect(invoice(String(target.InvoiceNo)).OpenAmount).toBe(target.OpenAmount);
		expect(sandbox.data.count(...PAYMENTS)).toBe(0);
	});

	test('a zero, negative or non-numeric amount is refused before anything is written', async () => {
		const target = openInvoice('SEK');
		for (const [amount, message] of [
			['0.00', /Amount must be positive \(got 0\)/],
			['-5', /Amount must be positive \(got -5\)/],
			['12,50', /Amount: "12,50" is not a decimal number/],
		] as const) {
			const result = await pay('TX-BAD', String(target.InvoiceNo), amount);
			expect(result.error?.message).toMatch(message);
		}
		expect(writes(sandbox)).toHaveLength(0);
	});

	test('a connection reset on the POST is verified by reference: one payment, then a retried execution finds it', async () => {
		const target = openInvoice('SEK');
		sandbox.faults.resetNext(1, { match: /CustomerPaymentSet$/ });
		const first = await pay('TX-RESET', String(target.InvoiceNo), '250.00');
		expect(first.error?.message).toBeUndefined();
		expect(sandbox.stats.resets).toBe(1);
		expect(paymentPosts().map((entry) => entry.outcome)).toEqual(['reset', 'response']);
		expect(traceOf(firstOutput(first)).action).toBe('created');

		const retried = await pay('TX-RESET', String(target.InvoiceNo), '250.00');
		expect(traceOf(firstOutput(retried)).action).toBe('found');
		expect(paymentsFor('TX-RESET')).toHaveLength(1);
		expect(cents(invoice(String(target.InvoiceNo)).OpenAmount)).toBe(cents(target.OpenAmount) - 25000n);
	});

	test('a payment applied in IFS whose answer was lost is found, not posted again', async () => {
		const target = openInvoice('SEK');
		let applied = false;
		sandbox.hooks.beforeApiRequest = ({ method, path }) => {
			if (applied || method !== 'POST' || !path.endsWith('CustomerPaymentSet')) return;
			applied = true;
			// IFS commits the payment, then the connection drops before the answer arrives.
			sandbox.data.insert(...PAYMENTS, { Company: '10', InvoiceNo: target.InvoiceNo, Amount: 99.99, CurrencyCode: 'SEK', PaymentDate: '2024-06-01', ExternalReference: 'TX-LOST' });
			sandbox.faults.resetNext(1, { match: /CustomerPaymentSet$/ });
		};
		const result = await pay('TX-LOST', String(target.InvoiceNo), '99.99');
		expect(result.error?.message).toBeUndefined();
		expect(paymentPosts().map((entry) => entry.outcome)).toEqual(['reset']);
		expect(paymentsFor('TX-LOST')).toHaveLength(1);
		expect(firstOutput(result)).toMatchObject({ ExternalReference: 'TX-LOST', Amount: 99.99 });
		expect(cents(invoice(String(target.InvoiceNo)).OpenAmount)).toBe(cents(target.OpenAmount) - 9999n);
	});

	test('a wrong reference field name fails with the missing name before anything is written', async () => {
		const target = openInvoice('SEK');
		const result = await pay('TX-NAMES', String(target.InvoiceNo), '1.00', { names: { referenceField: 'ExtReference' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^CustomerPaymentSet in CustomerPaymentHandling has no field "ExtReference" \(reference\) — fields with a similar name: ExternalReference/);
		expect(writes(sandbox)).toHaveLength(0);
		expect(invoice(String(target.InvoiceNo)).OpenAmount).toBe(target.OpenAmount);
	});

	test('several items in one run: each applied once, paired with its input', async () => {
		const target = openInvoice('SEK');
		const items = [1, 2, 3].map((n) => ({ tx: `SHOP-${n}`, amount: `${n}.01` }));
		const parameters = paymentParameters('={{ $json.tx }}', String(target.InvoiceNo), '={{ $json.amount }}');
		const result = await runIfs({ sandbox, parameters, items });
		expect(result.error?.message).toBeUndefined();
		const output = result.output(IFS_NODE);
		expect(jsonOf(output).map((row) => [row.ExternalReference, row.Amount])).toEqual([
			['SHOP-1', 1.01],
			['SHOP-2', 2.01],
			['SHOP-3', 3.01],
		]);
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(cents(invoice(String(target.InvoiceNo)).OpenAmount)).toBe(cents(target.OpenAmount) - 603n);
	});
});

describe('Get Payment Proposals', () => {
	const proposalsOf = (company: string) => sandbox.data.rows(PROPOSALS, 'PaymentProposalSet').filter((row) => row.Company === company);
	const linesOf = (proposal: IDataObject) =>
		sandbox.data.rows(PROPOSALS, 'PaymentProposalLineSet').filter((line) => line.Company === proposal.Company && line.ProposalId === proposal.ProposalId);
	const read = (extra: IDataObject = {}, credentials?: IDataObject) =>
		runIfs({ sandbox, parameters: { resource: 'payment', operation: 'getPaymentProposals', returnAll: true, ...extra }, credentials });

	test("reads the default company's proposals, each with its lines", async () => {
		const result = await read();
		expect(result.error?.message).toBeUndefined();
		const proposals = jsonOf(result.output(IFS_NODE));
		const expected = proposalsOf('10');
		expect(expected.length).toBeGreaterThan(1);
		expect(proposals.map((row) => [row.Company, row.ProposalId])).toEqual(expected.map((row) => ['10', row.ProposalId]));
		for (const proposal of proposals) {
			const lines = proposal.lines as IDataObject[];
			expect(lines.map((line) => [line.ProposalId, line.LineNo, line.InvoiceNo, line.CurrAmount])).toEqual(
				linesOf(proposal).map((line) => [line.ProposalId, line.LineNo, line.InvoiceNo, line.CurrAmount]),
			);
			// The lines add up to the proposal's total, to the cent.
			expect(lines.reduce((sum, line) => sum + cents(line.CurrAmount), 0n)).toBe(cents(proposal.TotalAmount));
		}
		expect(writes(sandbox)).toHaveLength(0);
	});

	test('a wrong proposal line entity set is named', async () => {
		const result = await read({ names: { proposalLineEntitySet: 'PaymentProposalLines' } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/PaymentProposalLines/);
		expect(result.error?.message).toMatch(/payment proposal lines/);
	});

	test('filter, limit and Include Lines off; another company from the credential', async () => {
		const created = await read({ filter: "Objstate eq 'Created'", includeLines: false });
		const rows = jsonOf(created.output(IFS_NODE));
		expect(rows.map((row) => row.ProposalId)).toEqual(proposalsOf('10').filter((row) => row.Objstate === 'Created').map((row) => row.ProposalId));
		expect(rows.every((row) => row.lines === undefined && row.Company === '10')).toBe(true);

		const named = await read({ filter: "Company eq '20' and Objstate eq 'Approved'", includeLines: false });
		expect(jsonOf(named.output(IFS_NODE)).map((row) => [row.Company, row.ProposalId])).toEqual(
			proposalsOf('20').filter((row) => row.Objstate === 'Approved').map((row) => ['20', row.ProposalId]),
		);

		const limited = await read({ returnAll: false, limit: 1 });
		expect(jsonOf(limited.output(IFS_NODE))).toHaveLength(1);

		const other = await read({}, { companyCode: '20' });
		const otherRows = jsonOf(other.output(IFS_NODE));
		expect(otherRows.map((row) => row.Company)).toEqual(proposalsOf('20').map(() => '20'));
		expect(otherRows.every((row) => (row.lines as IDataObject[]).every((line) => line.Company === '20'))).toBe(true);
	});
});

test('a used reference with another amount or invoice is refused, not silently found', async () => {
	const target = openInvoice();
	await pay('TX-REUSED', String(target.InvoiceNo), '1.00');
	const other = await pay('TX-REUSED', String(target.InvoiceNo), '2.00');
	expect(other.status).toBe('error');
	expect(other.error?.message).toMatch(/Reference "TX-REUSED" is already used by a payment of 1 on invoice .* \(now: 2 on /);
	expect(paymentsFor('TX-REUSED')).toHaveLength(1);
});

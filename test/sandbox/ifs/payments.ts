/**
 * Accounts receivable side for payment integrations: payment proposals (read-only), customer
 * invoices with their open amounts (read-only over the API), and customer payments that are
 * applied to an invoice when they are created.
 *
 * IFS documents no API names here (reference §5: "customer payments: unknown"); the projection,
 * entity and field names are the sandbox's choice, modelled on IFS's LU and column names
 * (PaymentProposal, CustomerInvoice with INVOICE_ID/INVOICE_NO/IDENTITY/OPEN_AMOUNT, states
 * PostedAuth/PartlyPaid/Paid). Amounts are applied in exact integer minor units (money.ts).
 */
import { databaseError } from './errors';
import { formatMinorUnits, fromMinorUnits, toMinorUnits } from './money';
import { entityType, prop, type EntitySetDef, type ProjectionDef } from './model';
import { ifsSystemProperties, isBlank, mandatory, nextInSeries, projection, recordNotExist, requireCompany, today } from './projection-kit';

/** Invoice states (client values) in the order an invoice passes through them. */
export const CUSTOMER_INVOICE_STATES = ['PostedAuth', 'PartlyPaid', 'Paid'] as const;

export function paymentProposalHandling(): ProjectionDef {
	const proposal = entityType({
		name: 'PaymentProposal',
		luname: 'PaymentProposal',
		keys: ['Company', 'ProposalId'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.int32('ProposalId'),
			prop.string('Description', 100),
			prop.date('ProposalDate', { nullable: false }),
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.decimal('TotalAmount', { nullable: false, precision: 38 }),
			prop.string('Objstate', 20, { nullable: false }),
		],
		navigations: [
			{
				name: 'ProposalLinesArray',
				targetSet: 'PaymentProposalLineSet',
				collection: true,
				on: [
					{ sourceProperty: 'Company', targetProperty: 'Company' },
					{ sourceProperty: 'ProposalId', targetProperty: 'ProposalId' },
				],
				expandable: false,
			},
		],
	});
	const line = entityType({
		name: 'PaymentProposalLine',
		luname: 'PaymentProposalLine',
		keys: ['Company', 'ProposalId', 'LineNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.int32('ProposalId'),
			prop.int32('LineNo'),
			prop.string('PartyType', 20, { nullable: false }),
			prop.string('Identity', 20, { nullable: false }),
			prop.string('InvoiceNo', 50, { nullable: false }),
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.decimal('CurrAmount', { nullable: false, precision: 38 }),
		],
	});
	const readOnly = { create: false, update: false, delete: false };
	return projection('PaymentProposalHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [proposal, line],
		entitySets: [
			{ name: 'PaymentProposalSet', entityType: proposal, crud: readOnly },
			{ name: 'PaymentProposalLineSet', entityType: line, crud: readOnly },
		],
		actions: [],
		functions: [],
	});
}

export function customerInvoiceHandling(): ProjectionDef {
	const invoice = entityType({
		name: 'CustomerInvoice',
		luname: 'CustomerInvoice',
		keys: ['Company', 'InvoiceId'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.int32('InvoiceId'),
			prop.string('InvoiceNo', 50, { nullable: false }),
			prop.string('Identity', 20, { nullable: false }),
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.decimal('InvoiceAmount', { nullable: false, precision: 38 }),
			prop.decimal('OpenAmount', { nullable: false, precision: 38 }),
			prop.date('InvoiceDate', { nullable: false }),
			prop.date('DueDate', { nullable: false }),
			// Client value (plain string): PostedAuth, PartlyPaid, Paid.
			prop.string('Objstate', 20, { nullable: false, defaultValue: () => 'PostedAuth' }),
		],
	});
	return projection('CustomerInvoiceHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [invoice],
		// Read-only over the API: invoices change through payments (CustomerPaymentHandling).
		entitySets: [{ name: 'CustomerInvoiceSet', entityType: invoice, crud: { create: false, update: false, delete: false } }],
		actions: [],
		functions: [],
	});
}

export function customerPaymentHandling(): ProjectionDef {
	const payment = entityType({
		name: 'CustomerPayment',
		luname: 'CustomerPayment',
		keys: ['Company', 'PaymentId'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			// Assigned by the server on POST (per company).
			prop.int32('PaymentId', { insertable: false }),
			// Defaults to the invoice's customer; when sent, it narrows the invoice search.
			prop.string('Identity', 20, { nullable: false, updatable: false }),
			prop.string('InvoiceNo', 50, { nullable: false, updatable: false }),
			prop.int32('InvoiceId', { readOnly: true }),
			prop.date('PaymentDate', { nullable: false, updatable: false, defaultValue: today }),
			// Defaults to the invoice's currency; a different one is rejected.
			prop.string('CurrencyCode', 3, { nullable: false, updatable: false }),
			prop.decimal('Amount', { nullable: false, updatable: false, precision: 38 }),
			// What an integration stores its own payment id in (find-before-create).
			prop.string('ExternalReference', 100),
			prop.string('Text', 200),
		],
	});

	const paymentSet: EntitySetDef = {
		name: 'CustomerPaymentSet',
		entityType: payment,
		// No delete: reversing a payment is not modelled.
		crud: { create: true, update: true, delete: false },
		hooks: {
			assignKeys(ctx, values) {
				if (isBlank(values.Company) || (values.PaymentId !== null && values.PaymentId !== undefined)) return;
				const mine = ctx.table('CustomerPaymentSet').all().filter((p) => p.Company === values.Company);
				values.PaymentId = nextInSeries(ctx, `CustomerPayment:${String(values.Company)}`, mine, (p) => p.PaymentId as number);
			},
			beforeInsert(ctx, values) {
				const company = requireCompany(values.Company);
				// Identity and currency come from the invoice: the invoice number and amount are needed first.
				if (isBlank(values.InvoiceNo)) throw mandatory('CustomerPayment', 'INVOICE_NO');
				if (values.Amount === null) throw mandatory('CustomerPayment', 'AMOUNT');
				const invoices = ctx.other('CustomerInvoiceHandling', 'CustomerInvoiceSet');
				const candidates = invoices
					.all()
					.filter((i) => i.Company === company && i.InvoiceNo === values.InvoiceNo && (isBlank(values.Identity) || i.Identity === values.Identity));
				const forWhom = isBlank(values.Identity) ? '' : ` for customer ${String(values.Identity)}`;
				if (candidates.length === 0) throw recordNotExist('CustomerInvoice', `${String(values.InvoiceNo)}${forWhom} in company ${company}`);
				if (candidates.length > 1) {
					throw databaseError(400, `ORA-20110: CustomerPayment.AMBIGUOUS: Invoice ${String(values.InvoiceNo)} exists for several customers in company ${company}; send Identity.`);
				}
				const invoice = candidates[0];
				const currency = String(invoice.CurrencyCode);
				if (isBlank(values.CurrencyCode)) values.CurrencyCode = currency;
				if (values.CurrencyCode !== currency) {
					throw databaseError(
						400,
						`ORA-20110: CustomerPayment.CURRENCY: Payment currency ${String(values.CurrencyCode)} does not match currency ${currency} of invoice ${String(invoice.InvoiceNo)}.`,
					);
				}
				const amount = toMinorUnits(values.Amount as number, currency, 'Amount');
				if (amount <= 0n) throw databaseError(400, 'ORA-20110: CustomerPayment.AMOUNT: The payment amount must be greater than 0.');
				const open = toMinorUnits(invoice.OpenAmount as number, currency, 'OpenAmount');
				if (amount > open) {
					throw databaseError(
						400,
						`ORA-20110: CustomerPayment.EXCEEDS: The payment amount ${formatMinorUnits(amount, currency)} exceeds the open amount ` +
							`${formatMinorUnits(open, currency)} of invoice ${String(invoice.InvoiceNo)}.`,
					);
				}
				// Everything checked: apply the payment (a real change of the invoice, new ETag).
				const rest = open - amount;
				invoices.modify(invoice, { OpenAmount: fromMinorUnits(rest, currency), Objstate: rest === 0n ? 'Paid' : 'PartlyPaid' });
				values.Identity = invoice.Identity;
				values.InvoiceId = invoice.InvoiceId;
				values.Amount = fromMinorUnits(amount, currency);
			},
		},
	};

	return projection('CustomerPaymentHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [payment],
		entitySets: [paymentSet],
		actions: [],
		functions: [],
	});
}

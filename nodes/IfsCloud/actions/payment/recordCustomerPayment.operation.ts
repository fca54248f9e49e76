import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { Decimal } from '../../../common/decimal';
import { operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import { type EntityRef, createRow, entityOf, enumMembersOf, equals, findRows, recordId, requireFields, typedValues } from '../business';
import { optionsCollection, traceOptions } from '../descriptions';
import { companyFor, readTraceSource } from '../parameters';
import { paymentNames, paymentNamesCollection } from './names';

const properties: INodeProperties[] = [
	{
		displayName: 'External Reference',
		name: 'externalReference',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. SHOPIFY-TX-{{ $json.transactionId }}',
		description: 'Unique reference of this payment (e.g. the payment transaction ID); a payment with the same reference is never recorded twice',
	},
	{
		displayName: 'Customer',
		name: 'customer',
		type: 'string',
		default: '',
		description: 'IFS customer number (identity) that paid',
	},
	{
		displayName: 'Invoice Number',
		name: 'invoiceNo',
		type: 'string',
		default: '',
		required: true,
		description: 'Customer invoice the payment is applied to',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 149.90',
		description: 'Amount paid, as a decimal number (never rounded)',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'EUR',
	},
	{
		displayName: 'Payment Date',
		name: 'paymentDate',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2024-06-01',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		default: '',
	},
	paymentNamesCollection,
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['payment'], operation: ['recordCustomerPayment'] } }, properties);

/** Cash application against an invoice, once per external reference. */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = paymentNames(context, itemIndex);
	const payments: EntityRef = { projection: names.paymentProjection, entitySet: names.paymentEntitySet };
	const type = await entityOf(client, payments, itemIndex, 'customer payments');
	requireFields(
		client,
		payments,
		type,
		{ reference: names.referenceField, company: names.companyField, invoice: names.invoiceField, amount: names.amountField, currency: names.currencyField, 'payment date': names.dateField },
		itemIndex,
	);
	const value = (name: string) => String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	const reference = value('externalReference');
	const company = companyFor(context, client, itemIndex);
	const missing = Object.entries({ 'External Reference': reference, 'Invoice Number': value('invoiceNo'), Amount: value('amount'), Currency: value('currency'), 'Payment Date': value('paymentDate'), Company: company ?? '' }).filter(([, given]) => !given);
	if (missing.length) {
		throw operationError(context.getNode(), `${missing.map(([name]) => name).join(', ')} ${missing.length > 1 ? 'are' : 'is'} empty`, 'Fill them in (Company under Options, or the Default Company of the credential).', itemIndex);
	}
	let amount: Decimal;
	try {
		amount = Decimal.from(value('amount'));
	} catch (error) {
		throw operationError(context.getNode(), `Amount: ${(error as Error).message}`, 'Give the amount as a decimal number, e.g. 149.90.', itemIndex);
	}
	if (!(amount.compare(0) > 0)) throw operationError(context.getNode(), `Amount must be positive (got ${amount.toString()})`, 'Record refunds as a credit note in IFS instead.', itemIndex);

	const filter = `${await equals(client, payments, type, names.companyField, company, itemIndex)} and ${await equals(client, payments, type, names.referenceField, reference, itemIndex)}`;
	const find = async () => (await findRows(client, payments, filter, itemIndex, { limit: 1 }))[0];
	const source = readTraceSource(context, itemIndex);
	const output = async (row: IDataObject, action: 'created' | 'found') =>
		withTrace(row, buildTrace({ system: source.system, id: source.id ?? reference }, { system: IFS_SYSTEM, id: await recordId(client, payments, row, itemIndex) }, action));

	const existing = await find();
	if (existing) {
		const storedAmount = existing[names.amountField];
		const sameAmount = storedAmount !== null && storedAmount !== undefined && Decimal.from(storedAmount as number | string).equals(amount);
		const sameInvoice = String(existing[names.invoiceField] ?? '') === value('invoiceNo');
		if (!sameAmount || !sameInvoice) {
			throw operationError(
				context.getNode(),
				`Reference "${reference}" is already used by a payment of ${String(storedAmount)} on invoice ${String(existing[names.invoiceField])} (now: ${amount.toString()} on ${value('invoiceNo')})`,
				'A recorded payment is not changed by a re-run. Use a new external reference for a different payment, or correct the recorded one in IFS.',
				itemIndex,
			);
		}
		return await output(existing, 'found');
	}

	const fields: IDataObject = {
		[names.companyField]: company,
		[names.referenceField]: reference,
		[names.invoiceField]: value('invoiceNo'),
		[names.amountField]: amount.toNumber(),
		[names.currencyField]: value('currency'),
		[names.dateField]: value('paymentDate'),
	};
	if (value('customer')) fields[names.customerField] = value('customer');
	if (value('text') && type.properties[names.textField]) fields[names.textField] = value('text');
	const row = await createRow(client, payments, typedValues(client, type, fields, itemIndex, await enumMembersOf(client, names.paymentProjection, itemIndex)), itemIndex, find);
	return await output(row, 'created');
}

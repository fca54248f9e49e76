/**
 * Where payment proposals and customer payments live, by default. The reference lists no confirmed
 * customer-payment projection: confirm the names in API Explorer and override them here.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { names } from '../business';
import { namesCollection } from '../descriptions';

export const PAYMENT_NAMES = {
	proposalProjection: 'PaymentProposalHandling',
	proposalEntitySet: 'PaymentProposalSet',
	proposalLineEntitySet: 'PaymentProposalLineSet',
	paymentProjection: 'CustomerPaymentHandling',
	paymentEntitySet: 'CustomerPaymentSet',
	referenceField: 'ExternalReference',
	companyField: 'Company',
	customerField: 'Identity',
	invoiceField: 'InvoiceNo',
	amountField: 'Amount',
	currencyField: 'CurrencyCode',
	dateField: 'PaymentDate',
	textField: 'Text',
};

export type PaymentNames = typeof PAYMENT_NAMES;

export function paymentNames(context: IExecuteFunctions, itemIndex: number): PaymentNames {
	return names(context, itemIndex, PAYMENT_NAMES);
}

export const paymentNamesCollection: INodeProperties = namesCollection([
		{ displayName: 'Amount Field', name: 'amountField', type: 'string', default: 'Amount' },
		{ displayName: 'Company Field', name: 'companyField', type: 'string', default: 'Company' },
		{ displayName: 'Currency Field', name: 'currencyField', type: 'string', default: 'CurrencyCode' },
		{ displayName: 'Customer Field', name: 'customerField', type: 'string', default: 'Identity' },
		{ displayName: 'Invoice Field', name: 'invoiceField', type: 'string', default: 'InvoiceNo' },
		{ displayName: 'Payment Date Field', name: 'dateField', type: 'string', default: 'PaymentDate' },
		{ displayName: 'Payment Entity Set', name: 'paymentEntitySet', type: 'string', default: 'CustomerPaymentSet' },
		{ displayName: 'Payment Projection', name: 'paymentProjection', type: 'string', default: 'CustomerPaymentHandling' },
		{ displayName: 'Proposal Entity Set', name: 'proposalEntitySet', type: 'string', default: 'PaymentProposalSet' },
		{ displayName: 'Proposal Line Entity Set', name: 'proposalLineEntitySet', type: 'string', default: 'PaymentProposalLineSet' },
		{ displayName: 'Proposal Projection', name: 'proposalProjection', type: 'string', default: 'PaymentProposalHandling' },
		{ displayName: 'Reference Field', name: 'referenceField', type: 'string', default: 'ExternalReference', description: 'Payment field holding your reference (idempotency)' },
		{ displayName: 'Text Field', name: 'textField', type: 'string', default: 'Text' },
]);

/**
 * Where GL vouchers are created and found, by default. The projections come from the reference
 * (§5: VoucherEntryAssistantHandling with CreateVoucher, ExternalVouchers, VoucherHandling); the
 * creation path must be agreed with the finance team, and every name can be overridden.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { names } from '../business';
import { namesCollection } from '../descriptions';

export const JOURNAL_NAMES = {
	entryProjection: 'VoucherEntryAssistantHandling',
	entryEntitySet: 'VoucherEntrySet',
	postingNavigation: 'VoucherPostingArray',
	createVoucherAction: 'VoucherEntry_CreateVoucher',
	externalProjection: 'ExternalVouchers',
	externalEntitySet: 'ExternalVouchersSet',
	loadAction: 'LoadExternalVouchers',
	loadIdField: 'LoadId',
	recordNoField: 'RecordNo',
	externalReferenceField: 'Reference',
	transactionDateField: 'TransactionDate',
	voucherProjection: 'VoucherHandling',
	voucherEntitySet: 'VoucherSet',
	voucherRowEntitySet: 'VoucherRowSet',
	voucherReferenceField: 'VoucherText2',
	companyField: 'Company',
	voucherTypeField: 'VoucherType',
	voucherDateField: 'VoucherDate',
	accountField: 'Account',
	debitField: 'CurrencyDebitAmount',
	creditField: 'CurrencyCreditAmount',
	currencyField: 'CurrencyCode',
	textField: 'Text',
};

export type JournalNames = typeof JOURNAL_NAMES;

export function journalNames(context: IExecuteFunctions, itemIndex: number): JournalNames {
	return names(context, itemIndex, JOURNAL_NAMES);
}

export const journalNamesCollection: INodeProperties = namesCollection([
		{ displayName: 'Account Field', name: 'accountField', type: 'string', default: 'Account' },
		{ displayName: 'Company Field', name: 'companyField', type: 'string', default: 'Company' },
		{ displayName: 'Create Voucher Action', name: 'createVoucherAction', type: 'string', default: 'VoucherEntry_CreateVoucher', description: 'Bound action of the voucher entry that creates the voucher' },
		{ displayName: 'Credit Amount Field', name: 'creditField', type: 'string', default: 'CurrencyCreditAmount' },
		{ displayName: 'Currency Field', name: 'currencyField', type: 'string', default: 'CurrencyCode' },
		{ displayName: 'Debit Amount Field', name: 'debitField', type: 'string', default: 'CurrencyDebitAmount' },
		{ displayName: 'External Load Action', name: 'loadAction', type: 'string', default: 'LoadExternalVouchers' },
		{ displayName: 'External Load Entity Set', name: 'externalEntitySet', type: 'string', default: 'ExternalVouchersSet' },
		{ displayName: 'External Load ID Field', name: 'loadIdField', type: 'string', default: 'LoadId' },
		{ displayName: 'External Load Projection', name: 'externalProjection', type: 'string', default: 'ExternalVouchers' },
		{ displayName: 'External Load Record Number Field', name: 'recordNoField', type: 'string', default: 'RecordNo' },
		{ displayName: 'External Load Reference Field', name: 'externalReferenceField', type: 'string', default: 'Reference' },
		{ displayName: 'External Load Transaction Date Field', name: 'transactionDateField', type: 'string', default: 'TransactionDate' },
		{ displayName: 'Posting Navigation', name: 'postingNavigation', type: 'string', default: 'VoucherPostingArray', description: 'Navigation from the voucher entry to its posting rows' },
		{ displayName: 'Text Field', name: 'textField', type: 'string', default: 'Text' },
		{ displayName: 'Voucher Date Field', name: 'voucherDateField', type: 'string', default: 'VoucherDate' },
		{ displayName: 'Voucher Entity Set', name: 'voucherEntitySet', type: 'string', default: 'VoucherSet', description: 'Where created vouchers are looked up by reference' },
		{ displayName: 'Voucher Entry Entity Set', name: 'entryEntitySet', type: 'string', default: 'VoucherEntrySet' },
		{ displayName: 'Voucher Entry Projection', name: 'entryProjection', type: 'string', default: 'VoucherEntryAssistantHandling' },
		{ displayName: 'Voucher Projection', name: 'voucherProjection', type: 'string', default: 'VoucherHandling' },
		{ displayName: 'Voucher Reference Field', name: 'voucherReferenceField', type: 'string', default: 'VoucherText2', description: 'Voucher field holding the external reference (idempotency)' },
		{ displayName: 'Voucher Row Entity Set', name: 'voucherRowEntitySet', type: 'string', default: 'VoucherRowSet', description: 'Rows of created vouchers (read when reversing)' },
		{ displayName: 'Voucher Type Field', name: 'voucherTypeField', type: 'string', default: 'VoucherType' },
], 'Projection, entity set, action and field names');

/**
 * Where customers live in IFS by default (reference §5: CustomerHandling, reachable on /main);
 * every name can be overridden and is checked against the tenant's $metadata.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { names } from '../business';
import { namesCollection } from '../descriptions';

export const CUSTOMER_NAMES = {
	projection: 'CustomerHandling',
	customerEntitySet: 'CustomerInfoSet',
	customerIdField: 'CustomerId',
	addressEntitySet: 'CustomerInfoAddressSet',
	addressIdField: 'AddressId',
	companyEntitySet: 'CustomerCompanySet',
	companyField: 'Company',
	paymentTermsField: 'PayTermId',
	currencyField: 'CurrencyCode',
};

export type CustomerNames = typeof CUSTOMER_NAMES;

export function customerNames(context: IExecuteFunctions, itemIndex: number): CustomerNames {
	return names(context, itemIndex, CUSTOMER_NAMES);
}

export const customerNamesCollection: INodeProperties = namesCollection([
		{ displayName: 'Address Entity Set', name: 'addressEntitySet', type: 'string', default: 'CustomerInfoAddressSet' },
		{ displayName: 'Address ID Field', name: 'addressIdField', type: 'string', default: 'AddressId' },
		{ displayName: 'Company Entity Set', name: 'companyEntitySet', type: 'string', default: 'CustomerCompanySet', description: 'Company-specific customer data (payment terms, currency)' },
		{ displayName: 'Company Field', name: 'companyField', type: 'string', default: 'Company' },
		{ displayName: 'Currency Field', name: 'currencyField', type: 'string', default: 'CurrencyCode' },
		{ displayName: 'Customer Entity Set', name: 'customerEntitySet', type: 'string', default: 'CustomerInfoSet' },
		{ displayName: 'Customer ID Field', name: 'customerIdField', type: 'string', default: 'CustomerId' },
		{ displayName: 'Payment Terms Field', name: 'paymentTermsField', type: 'string', default: 'PayTermId' },
		{ displayName: 'Projection', name: 'projection', type: 'string', default: 'CustomerHandling' },
]);

export const customerId: INodeProperties = {
	displayName: 'Customer ID',
	name: 'customerId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 10001',
};

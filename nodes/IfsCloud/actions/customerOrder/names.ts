/**
 * Where customer orders live in IFS, by default (reference §5); every name can be overridden per
 * node, and is checked against the tenant's $metadata before use.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { names } from '../business';
import { namesCollection } from '../descriptions';

export const ORDER_NAMES = {
	projection: 'CustomerOrderHandling',
	orderEntitySet: 'CustomerOrderSet',
	lineEntitySet: 'CustomerOrderLineSet',
	orderNumberField: 'OrderNo',
	externalReferenceField: 'CustomerPoNo',
	lineNumberField: 'LineNo',
	customerField: 'CustomerNo',
};

export type OrderNames = typeof ORDER_NAMES;

export function orderNames(context: IExecuteFunctions, itemIndex: number): OrderNames {
	return names(context, itemIndex, ORDER_NAMES);
}

export const orderNamesCollection: INodeProperties = namesCollection([
		{ displayName: 'Customer Field', name: 'customerField', type: 'string', default: 'CustomerNo', description: 'Customer number on the order header; also narrows the external reference lookup when the reference is unique per customer' },
		{ displayName: 'External Reference Field', name: 'externalReferenceField', type: 'string', default: 'CustomerPoNo', description: 'Header field holding your reference (e.g. the marketplace order ID)' },
		{ displayName: 'Line Entity Set', name: 'lineEntitySet', type: 'string', default: 'CustomerOrderLineSet' },
		{ displayName: 'Line Number Field', name: 'lineNumberField', type: 'string', default: 'LineNo' },
		{ displayName: 'Order Entity Set', name: 'orderEntitySet', type: 'string', default: 'CustomerOrderSet' },
		{ displayName: 'Order Number Field', name: 'orderNumberField', type: 'string', default: 'OrderNo', description: 'Key of the order header; also the link from lines to their order' },
		{ displayName: 'Projection', name: 'projection', type: 'string', default: 'CustomerOrderHandling' },
]);

export const orderNumber: INodeProperties = {
	displayName: 'Order Number',
	name: 'orderNo',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. C1000123',
	description: 'IFS customer order number',
};

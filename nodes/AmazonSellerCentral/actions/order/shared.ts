/** Order parameters common to the order operations. */
import type { INodeProperties } from 'n8n-workflow';

export const apiVersion: INodeProperties = {
	displayName: 'API Version',
	name: 'apiVersion',
	type: 'options',
	default: '2026-01-01',
	options: [
		{ name: 'Orders 2026-01-01', value: '2026-01-01', description: 'The current Orders API' },
		{ name: 'Orders V0 (Until 27 March 2027)', value: 'v0', description: 'Deprecated by Amazon; removed on 27 March 2027' },
	],
};

export const includePersonalData: INodeProperties = {
	displayName: 'Include Personal Data',
	name: 'includePersonalData',
	type: 'boolean',
	default: false,
	description:
		'Whether to include buyer name, address and phone. Needs the restricted role; v0 requests a Restricted Data Token for exactly these calls, 2026-01-01 asks for BUYER and RECIPIENT data.',
};

export const V2026_STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'];
export const V0_STATUSES = ['PendingAvailability', 'Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'Canceled', 'Unfulfillable', 'InvoiceUnconfirmed'];
export const V2026_INCLUDED_DATA = ['PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'];
export const PII_DATA_ELEMENTS = ['buyerInfo', 'shippingAddress'];

/** Order parameters common to the order operations. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { list } from '../shared';
import type { OrderSearch, OrdersApiVersion } from './search';

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

/** `PARTIALLY_SHIPPED` → `Partially shipped`. */
export const toOption = (value: string) => ({ name: value.replace(/_/g, ' ').toLowerCase().replace(/^./, (first) => first.toUpperCase()), value });

/** Which orders: channel, marketplaces and statuses (each API version has its own status names). */
export const orderFilters: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Fulfilled By',
			name: 'fulfilledBy',
			type: 'options',
			default: '',
			options: [
				{ name: 'Any', value: '' },
				{ name: 'Amazon (FBA)', value: 'AMAZON' },
				{ name: 'Merchant', value: 'MERCHANT' },
			],
		},
		{
			displayName: 'Marketplace IDs',
			name: 'marketplaceIds',
			type: 'string',
			default: '',
			placeholder: 'A1PA6795UKMFR9, A13V1IB3VIYZZH',
			description: "Comma-separated; empty means the credential's marketplaces",
		},
		{
			displayName: 'Statuses (2026-01-01)',
			name: 'fulfillmentStatuses',
			type: 'multiOptions',
			default: [],
			options: V2026_STATUSES.map(toOption),
		},
		{
			displayName: 'Statuses (V0)',
			name: 'orderStatuses',
			type: 'multiOptions',
			default: [],
			options: V0_STATUSES.map((value) => ({ name: value, value })),
		},
	],
};

export const includedDataOption: INodeProperties = {
	displayName: 'Included Data (2026-01-01)',
	name: 'includedData',
	type: 'multiOptions',
	default: [],
	options: V2026_INCLUDED_DATA.map(toOption),
	description: 'Further data sets to include with each order',
};

/** The filters collection as search fields; marketplaces default to the credential's. */
export function searchFilters(filters: IDataObject, version: OrdersApiVersion, credentialMarketplaces: string[]): Pick<OrderSearch, 'marketplaceIds' | 'statuses' | 'fulfilledBy'> {
	return {
		marketplaceIds: list(filters.marketplaceIds) ?? credentialMarketplaces,
		statuses: list(version === 'v0' ? filters.orderStatuses : filters.fulfillmentStatuses),
		fulfilledBy: (filters.fulfilledBy as OrderSearch['fulfilledBy']) || undefined,
	};
}

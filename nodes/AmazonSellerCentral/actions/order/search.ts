/**
 * Searching orders by date window, one page at a time, in either Orders API version. Shared by
 * Order → Get Many and the polling trigger, which resumes a sweep from a stored page token.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { restrictedDataToken } from '../shared';
import { PII_DATA_ELEMENTS } from './shared';

export type OrdersApiVersion = 'v0' | '2026-01-01';

export interface OrderSearch {
	version: OrdersApiVersion;
	/** Window on the creation date instead of the last update. */
	byCreation: boolean;
	/** UTC instants with Z; `before` at least 2 minutes in the past. */
	after: string;
	before: string;
	marketplaceIds: string[];
	/** Status values of the chosen version (v0: OrderStatuses, 2026: fulfillmentStatuses). */
	statuses?: string[];
	fulfilledBy?: 'AMAZON' | 'MERCHANT';
	/** Buyer and recipient data: an RDT for v0, BUYER/RECIPIENT for 2026-01-01. */
	personal: boolean;
	/** 2026-01-01 only: further data sets. */
	includedData?: string[];
	pageSize: number;
}

export interface OrderPage {
	orders: IDataObject[];
	/** The token of the next page; absent on the last one. */
	next?: string;
}

/** One page of the search: the first when `token` is undefined. */
export async function searchOrdersPage(client: SpApiClient, search: OrderSearch, token: string | undefined, itemIndex?: number): Promise<OrderPage> {
	const pageSize = Math.max(1, Math.min(100, Math.floor(search.pageSize)));
	if (search.version === 'v0') {
		const query = {
			MarketplaceIds: search.marketplaceIds,
			[search.byCreation ? 'CreatedAfter' : 'LastUpdatedAfter']: search.after,
			[search.byCreation ? 'CreatedBefore' : 'LastUpdatedBefore']: search.before,
			OrderStatuses: search.statuses,
			FulfillmentChannels: search.fulfilledBy ? [search.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN'] : undefined,
			MaxResultsPerPage: pageSize,
			NextToken: token,
		};
		const rdt = search.personal
			? await restrictedDataToken(client, [{ method: 'GET', path: OPERATIONS.getOrdersV0.path, dataElements: PII_DATA_ELEMENTS }], itemIndex ?? 0)
			: undefined;
		const response = await client.call<{ payload?: { Orders?: IDataObject[]; NextToken?: string } }>(
			{ operation: OPERATIONS.getOrdersV0, query, restrictedDataToken: rdt },
			itemIndex,
		);
		return { orders: response.body.payload?.Orders ?? [], next: response.body.payload?.NextToken || undefined };
	}
	const includedData = [...(search.includedData ?? []), ...(search.personal ? ['BUYER', 'RECIPIENT'] : [])];
	const query = {
		[search.byCreation ? 'createdAfter' : 'lastUpdatedAfter']: search.after,
		[search.byCreation ? 'createdBefore' : 'lastUpdatedBefore']: search.before,
		marketplaceIds: search.marketplaceIds,
		fulfillmentStatuses: search.statuses,
		fulfilledBy: search.fulfilledBy ? [search.fulfilledBy] : undefined,
		includedData: includedData.length ? [...new Set(includedData)] : undefined,
		maxResultsPerPage: pageSize,
		paginationToken: token,
	};
	const response = await client.call<{ orders?: IDataObject[]; pagination?: { nextToken?: string } }>({ operation: OPERATIONS.searchOrders, query }, itemIndex);
	return { orders: response.body.orders ?? [], next: response.body.pagination?.nextToken || undefined };
}

/** The order id, last update and creation time, whichever API version the order came from. */
export function orderFacts(order: IDataObject): { id: string; lastUpdate: string; created: string } {
	return {
		id: String(order.AmazonOrderId ?? order.orderId ?? ''),
		lastUpdate: String(order.LastUpdateDate ?? order.lastUpdatedTime ?? ''),
		created: String(order.PurchaseDate ?? order.createdTime ?? ''),
	};
}

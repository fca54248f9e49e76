/**
 * Reading FBA inventory summaries page by page (getInventorySummaries), shared by Inventory → Get
 * FBA Summaries and the listing operations that must tell FBA SKUs from merchant-fulfilled ones.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SpApiClient } from '../../transport';
import { spApiErrors } from '../../transport/errors';
import { OPERATIONS } from '../../transport/operations';

/**
 * A next token lives 30 seconds. Pages are fetched at once, so it only runs out when Amazon
 * throttles us for longer; then the listing starts over (a few times at most).
 */
const MAX_RESTARTS = 3;

interface SummariesPage {
	payload?: { inventorySummaries?: IDataObject[] };
	pagination?: { nextToken?: string };
}

function isExpiredToken(body: unknown): boolean {
	return spApiErrors(body).some((error) => /next ?token/i.test(`${error.message ?? ''} ${error.details ?? ''}`));
}

/** Every summary of one marketplace matching the filter (or up to `limit`). */
export async function readInventorySummaries(
	client: SpApiClient,
	filter: { marketplaceId: string; details: boolean; changedSince?: string; skus?: string[] },
	limit: number | undefined,
	itemIndex: number,
): Promise<IDataObject[]> {
	const query = {
		granularityType: 'Marketplace',
		granularityId: filter.marketplaceId,
		marketplaceIds: [filter.marketplaceId],
		details: filter.details,
		startDateTime: filter.changedSince,
		sellerSkus: filter.skus,
	};
	for (let restart = 0; ; restart++) {
		let expired = false;
		const rows = await client.collect<IDataObject>(async (next) => {
			if (expired) return { items: [] };
			const response = await client.call<SummariesPage>(
				// Follow-up pages repeat the filters: Amazon needs startDateTime again with the token.
				{ operation: OPERATIONS.getInventorySummaries, query: { ...query, nextToken: next }, allowStatuses: next ? [400] : [] },
				itemIndex,
			);
			if (response.statusCode === 400) {
				if (!isExpiredToken(response.body) || restart >= MAX_RESTARTS) throw client.failure(response, OPERATIONS.getInventorySummaries, itemIndex);
				expired = true;
				return { items: [] };
			}
			return { items: response.body.payload?.inventorySummaries ?? [], next: response.body.pagination?.nextToken || undefined };
		}, limit);
		if (!expired) return rows;
		client.logger.warn('FBA inventory next token expired; reading the listing again', { restart: restart + 1 });
	}
}

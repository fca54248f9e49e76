/**
 * Sellers API v1 getMarketplaceParticipations (the node's credential test calls it). The model is
 * not vendored in test/contract/models; the shape below is inferred from Amazon's public Sellers
 * API reference and its published model: `payload` is a list of { marketplace { id, name,
 * countryCode, defaultCurrencyCode, defaultLanguageCode, domainName }, participation
 * { isParticipating, hasSuspendedListings }, storeName }. Rate 0.016/s, burst 15.
 */
import type { ApiContext, ApiResult } from './context';
import { LANGUAGE_TAGS } from './listings-seed';
import { marketplace } from './marketplaces';

export function getMarketplaceParticipations(ctx: ApiContext): ApiResult {
	const storeName = ctx.state.config.sellers.find((s) => s.sellerId === ctx.seller.sellerId)?.storeName ?? ctx.seller.sellerId;
	const payload = ctx.seller.marketplaceIds.map((id) => {
		const mp = marketplace(id)!;
		return {
			marketplace: {
				id,
				name: mp.name,
				countryCode: mp.country,
				defaultCurrencyCode: mp.currency,
				defaultLanguageCode: LANGUAGE_TAGS[mp.country] ?? 'en_US',
				domainName: `www.${mp.name.toLowerCase()}`,
			},
			participation: { isParticipating: true, hasSuspendedListings: ctx.seller.suspendedListingsIn.includes(id) },
			storeName,
		};
	});
	return { status: 200, body: { payload } };
}

/**
 * The inferred response model (Swagger 2.0 fragment in the vendored models' style) that
 * schemas.test.ts checks responses against. Not Amazon's file: see the header.
 */
export const SELLERS_MODEL_INFERRED = {
	paths: {
		'/sellers/v1/marketplaceParticipations': {
			get: {
				responses: Object.fromEntries(['200', '400', '403', '404', '413', '415', '429', '500', '503'].map((code) => [code, { schema: { $ref: '#/definitions/GetMarketplaceParticipationsResponse' } }])),
			},
		},
	},
	definitions: {
		GetMarketplaceParticipationsResponse: {
			type: 'object',
			properties: { payload: { $ref: '#/definitions/MarketplaceParticipationList' }, errors: { $ref: '#/definitions/ErrorList' } },
		},
		MarketplaceParticipationList: { type: 'array', items: { $ref: '#/definitions/MarketplaceParticipation' } },
		MarketplaceParticipation: {
			type: 'object',
			required: ['marketplace', 'participation', 'storeName'],
			properties: { marketplace: { $ref: '#/definitions/Marketplace' }, participation: { $ref: '#/definitions/Participation' }, storeName: { type: 'string' } },
		},
		Marketplace: {
			type: 'object',
			required: ['id', 'name', 'countryCode', 'defaultCurrencyCode', 'defaultLanguageCode', 'domainName'],
			properties: {
				id: { type: 'string' },
				name: { type: 'string' },
				countryCode: { type: 'string' },
				defaultCurrencyCode: { type: 'string' },
				defaultLanguageCode: { type: 'string' },
				domainName: { type: 'string' },
			},
		},
		Participation: {
			type: 'object',
			required: ['isParticipating', 'hasSuspendedListings'],
			properties: { isParticipating: { type: 'boolean' }, hasSuspendedListings: { type: 'boolean' } },
		},
		ErrorList: { type: 'array', items: { $ref: '#/definitions/Error' } },
		Error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'string' } } },
	},
};

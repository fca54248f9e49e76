/**
 * Seeded listings (Listings Items 2021-08-01): one per catalog product, in every marketplace of
 * the seller. MFN products carry `fulfillment_availability: [{ fulfillment_channel_code: 'DEFAULT',
 * quantity, lead_time_to_ship_max_days }]`, FBA products the region's Amazon channel code without
 * a quantity (Amazon owns FBA stock). The catalog's awkward SKUs (`BUNDLE A&B/2`, `MUG+LID #4`,
 * …) are listings too.
 */
import type { ResolvedConfig } from './config';
import { marketplace, type Region } from './marketplaces';
import type { AttributeValue, ListingRecord, Product } from './model';
import { localPrice } from './seed';
import { DAY, formatMinor, type Random } from './util';

type SellerConfig = ResolvedConfig['sellers'][number];

/** FBA fulfillment channel code of a region. */
export function fbaChannelCode(region: Region): string {
	return region === 'na' ? 'AMAZON_NA' : region === 'eu' ? 'AMAZON_EU' : 'AMAZON_FE';
}

/** Amazon-fulfilled channel codes (AMAZON_NA, AMAZON_EU, AMAZON_FE, AMAZON_JP, …): quantity is not settable. */
export function isFbaChannel(code: string): boolean {
	return /^AMAZON_/.test(code);
}

const PRODUCT_TYPES = ['HOME', 'KITCHEN', 'SPORTING_GOODS', 'OUTDOOR_LIVING', 'OFFICE_PRODUCTS', 'LUGGAGE'];

export const LANGUAGE_TAGS: Record<string, string> = {
	US: 'en_US',
	CA: 'en_CA',
	MX: 'es_MX',
	BR: 'pt_BR',
	GB: 'en_GB',
	DE: 'de_DE',
	FR: 'fr_FR',
	IT: 'it_IT',
	ES: 'es_ES',
	NL: 'nl_NL',
	SE: 'sv_SE',
	PL: 'pl_PL',
	BE: 'fr_BE',
	IE: 'en_IE',
	TR: 'tr_TR',
	AE: 'en_AE',
	SA: 'ar_SA',
	EG: 'ar_EG',
	IN: 'en_IN',
	ZA: 'en_ZA',
	JP: 'ja_JP',
	AU: 'en_AU',
	SG: 'en_SG',
};

export function seedListings(rnd: Random, seller: SellerConfig, catalog: Product[], anchor: number): ListingRecord[] {
	return catalog.map((p) => {
		const created = anchor - rnd.int(30, 400) * DAY - rnd.int(0, 86_399) * 1000;
		const updated = Math.min(anchor, created + rnd.int(0, 25) * DAY);
		const fulfillment: AttributeValue[] = p.fba
			? [{ fulfillment_channel_code: fbaChannelCode(seller.region) }]
			: [{ fulfillment_channel_code: 'DEFAULT', quantity: rnd.chance(0.1) ? 0 : rnd.int(1, 80), lead_time_to_ship_max_days: rnd.int(1, 3) }];
		const perMarketplace = (build: (mpId: string, country: string, currency: string) => AttributeValue) =>
			seller.marketplaceIds.map((id) => {
				const mp = marketplace(id)!;
				return build(id, mp.country, mp.currency);
			});
		const listing: ListingRecord = {
			sellerId: seller.sellerId,
			sku: p.sku,
			asin: p.asin,
			fnSku: p.fba ? p.fnSku : undefined,
			productType: rnd.pick(PRODUCT_TYPES),
			conditionType: 'new_new',
			itemName: p.title,
			marketplaceIds: [...seller.marketplaceIds],
			createdDate: Math.floor(created / 1000) * 1000,
			lastUpdatedDate: Math.floor(updated / 1000) * 1000,
			attributes: {
				item_name: perMarketplace((id, country) => ({ value: p.title, language_tag: LANGUAGE_TAGS[country] ?? 'en_US', marketplace_id: id })),
				condition_type: perMarketplace((id) => ({ value: 'new_new', marketplace_id: id })),
				purchasable_offer: perMarketplace((id, _c, currency) => ({
					marketplace_id: id,
					currency,
					audience: 'ALL',
					our_price: [{ schedule: [{ value_with_tax: Number(formatMinor(localPrice(p.usdCents, currency), currency)) }] }],
				})),
				fulfillment_availability: fulfillment,
			},
			issues: [],
		};
		if (rnd.chance(0.08)) {
			listing.issues.push({
				code: '18155',
				message: "The 'minimum price' is greater than the selling price (excluding shipping) for the listing. Review and update your price and/or minimum price.",
				severity: 'WARNING',
				attributeNames: ['purchasable_offer'],
				categories: ['INVALID_PRICE'],
				marketplaceIds: [seller.marketplaceIds[0]],
			});
		}
		return listing;
	});
}

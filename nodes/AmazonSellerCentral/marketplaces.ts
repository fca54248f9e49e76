/**
 * Amazon marketplaces and the SP-API region serving each. The region (and so the host) is always
 * derived from the marketplace: choosing them separately is how tokens end up at the wrong host.
 */

export type Region = 'na' | 'eu' | 'fe';

export interface Marketplace {
	id: string;
	country: string;
	name: string;
	region: Region;
}

export const MARKETPLACES: Marketplace[] = [
	{ id: 'ATVPDKIKX0DER', country: 'US', name: 'Amazon.com (United States)', region: 'na' },
	{ id: 'A2EUQ1WTGCTBG2', country: 'CA', name: 'Amazon.ca (Canada)', region: 'na' },
	{ id: 'A1AM78C64UM0Y8', country: 'MX', name: 'Amazon.com.mx (Mexico)', region: 'na' },
	{ id: 'A2Q3Y263D00KWC', country: 'BR', name: 'Amazon.com.br (Brazil)', region: 'na' },
	{ id: 'A1F83G8C2ARO7P', country: 'UK', name: 'Amazon.co.uk (United Kingdom)', region: 'eu' },
	{ id: 'A1PA6795UKMFR9', country: 'DE', name: 'Amazon.de (Germany)', region: 'eu' },
	{ id: 'A13V1IB3VIYZZH', country: 'FR', name: 'Amazon.fr (France)', region: 'eu' },
	{ id: 'APJ6JRA9NG5V4', country: 'IT', name: 'Amazon.it (Italy)', region: 'eu' },
	{ id: 'A1RKKUPIHCS9HS', country: 'ES', name: 'Amazon.es (Spain)', region: 'eu' },
	{ id: 'A1805IZSGTT6HS', country: 'NL', name: 'Amazon.nl (Netherlands)', region: 'eu' },
	{ id: 'A2NODRKZP88ZB9', country: 'SE', name: 'Amazon.se (Sweden)', region: 'eu' },
	{ id: 'A1C3SOZRARQ6R3', country: 'PL', name: 'Amazon.pl (Poland)', region: 'eu' },
	{ id: 'AMEN7PMS3EDWL', country: 'BE', name: 'Amazon.com.be (Belgium)', region: 'eu' },
	{ id: 'A28R8C7NBKEWEA', country: 'IE', name: 'Amazon.ie (Ireland)', region: 'eu' },
	{ id: 'A33AVAJ2PDY3EV', country: 'TR', name: 'Amazon.com.tr (Turkey)', region: 'eu' },
	{ id: 'A2VIGQ35RCS4UG', country: 'AE', name: 'Amazon.ae (United Arab Emirates)', region: 'eu' },
	{ id: 'A17E79C6D8DWNP', country: 'SA', name: 'Amazon.sa (Saudi Arabia)', region: 'eu' },
	{ id: 'ARBP9OOSHTCHU', country: 'EG', name: 'Amazon.eg (Egypt)', region: 'eu' },
	{ id: 'A21TJRUUN4KGV', country: 'IN', name: 'Amazon.in (India)', region: 'eu' },
	{ id: 'AE08WJ6YKNBMC', country: 'ZA', name: 'Amazon.co.za (South Africa)', region: 'eu' },
	{ id: 'A1VC38T7YXB528', country: 'JP', name: 'Amazon.co.jp (Japan)', region: 'fe' },
	{ id: 'A39IBJ37TRP1C6', country: 'AU', name: 'Amazon.com.au (Australia)', region: 'fe' },
	{ id: 'A19VAU5U5O7RUS', country: 'SG', name: 'Amazon.sg (Singapore)', region: 'fe' },
];

export const LWA_TOKEN_URL = 'https://api.amazon.com/auth/o2/token';

export function spApiHost(region: Region, sandbox: boolean): string {
	return `https://${sandbox ? 'sandbox.' : ''}sellingpartnerapi-${region}.amazon.com`;
}

/** The one region all `marketplaceIds` belong to; an error message when they span regions or are unknown. */
export function regionOf(marketplaceIds: string[]): { region?: Region; error?: string } {
	if (!marketplaceIds.length) return { error: 'No marketplace is selected' };
	const unknown = marketplaceIds.filter((id) => !MARKETPLACES.some((marketplace) => marketplace.id === id));
	if (unknown.length) return { error: `Unknown marketplace ID${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` };
	const regions = new Set(marketplaceIds.map((id) => MARKETPLACES.find((marketplace) => marketplace.id === id)?.region));
	if (regions.size > 1) {
		return { error: 'The marketplaces belong to different SP-API regions; a seller authorization (refresh token) covers one region — create one credential per region' };
	}
	return { region: [...regions][0] };
}

/**
 * Regions, host names and marketplaces (reference §1). The sandbox keeps its own table so it
 * does not depend on the node's code under test.
 */

export type Region = 'na' | 'eu' | 'fe';
export const REGIONS: readonly Region[] = ['na', 'eu', 'fe'];

export interface MarketplaceInfo {
	id: string;
	country: string;
	/** As SP-API names it in SalesChannel / marketplaceName / settlement marketplace-name. */
	name: string;
	region: Region;
	currency: string;
	/** First group of a seeded AmazonOrderId (3-7-7). */
	orderPrefixes: string[];
	/** Tax rate used for seeded orders (basis points). */
	taxBp: number;
	/** Settlement flat-file style: 'iso' (2026-03-01 00:00:00 UTC, 12.34) or 'de' (01.03.2026 00:00:00 UTC, 12,34). */
	settlementStyle: 'iso' | 'de';
	/** Charset of flat-file report documents of this marketplace. */
	flatFileCharset: 'UTF-8' | 'windows-1252';
}

const m = (
	id: string,
	country: string,
	name: string,
	region: Region,
	currency: string,
	orderPrefixes: string[],
	taxBp: number,
	settlementStyle: 'iso' | 'de' = 'iso',
): MarketplaceInfo => ({
	id,
	country,
	name,
	region,
	currency,
	orderPrefixes,
	taxBp,
	settlementStyle,
	flatFileCharset: region === 'eu' ? 'windows-1252' : 'UTF-8',
});

export const MARKETPLACES: readonly MarketplaceInfo[] = [
	m('ATVPDKIKX0DER', 'US', 'Amazon.com', 'na', 'USD', ['111', '112', '113', '114'], 800),
	m('A2EUQ1WTGCTBG2', 'CA', 'Amazon.ca', 'na', 'CAD', ['701', '702'], 1300),
	m('A1AM78C64UM0Y8', 'MX', 'Amazon.com.mx', 'na', 'MXN', ['701', '702'], 1600),
	m('A2Q3Y263D00KWC', 'BR', 'Amazon.com.br', 'na', 'BRL', ['701'], 1700),
	m('A1F83G8C2ARO7P', 'GB', 'Amazon.co.uk', 'eu', 'GBP', ['202', '203', '204', '205', '206'], 2000),
	m('A1PA6795UKMFR9', 'DE', 'Amazon.de', 'eu', 'EUR', ['302', '303', '304', '305', '306'], 1900, 'de'),
	m('A13V1IB3VIYZZH', 'FR', 'Amazon.fr', 'eu', 'EUR', ['402', '403', '404', '405', '406', '407'], 2000, 'de'),
	m('APJ6JRA9NG5V4', 'IT', 'Amazon.it', 'eu', 'EUR', ['402', '403', '404', '405', '406', '407'], 2200, 'de'),
	m('A1RKKUPIHCS9HS', 'ES', 'Amazon.es', 'eu', 'EUR', ['402', '403', '404', '405', '406', '407'], 2100, 'de'),
	m('A1805IZSGTT6HS', 'NL', 'Amazon.nl', 'eu', 'EUR', ['402', '403'], 2100, 'de'),
	m('A2NODRKZP88ZB9', 'SE', 'Amazon.se', 'eu', 'SEK', ['402'], 2500),
	m('A1C3SOZRARQ6R3', 'PL', 'Amazon.pl', 'eu', 'PLN', ['402'], 2300),
	m('AMEN7PMS3EDWL', 'BE', 'Amazon.com.be', 'eu', 'EUR', ['402'], 2100, 'de'),
	m('A28R8C7NBKEWEA', 'IE', 'Amazon.ie', 'eu', 'EUR', ['402'], 2300, 'de'),
	m('A33AVAJ2PDY3EV', 'TR', 'Amazon.com.tr', 'eu', 'TRY', ['402'], 2000),
	m('A2VIGQ35RCS4UG', 'AE', 'Amazon.ae', 'eu', 'AED', ['402'], 500),
	m('A17E79C6D8DWNP', 'SA', 'Amazon.sa', 'eu', 'SAR', ['402'], 1500),
	m('ARBP9OOSHTCHU', 'EG', 'Amazon.eg', 'eu', 'EGP', ['402'], 1400),
	m('A21TJRUUN4KGV', 'IN', 'Amazon.in', 'eu', 'INR', ['402', '403', '404', '405', '406', '407', '408'], 1800),
	m('AE08WJ6YKNBMC', 'ZA', 'Amazon.co.za', 'eu', 'ZAR', ['402'], 1500),
	m('A1VC38T7YXB528', 'JP', 'Amazon.co.jp', 'fe', 'JPY', ['249', '250', '503'], 1000),
	m('A39IBJ37TRP1C6', 'AU', 'Amazon.com.au', 'fe', 'AUD', ['249', '250'], 1000),
	m('A19VAU5U5O7RUS', 'SG', 'Amazon.sg', 'fe', 'SGD', ['249'], 900),
];

const BY_ID = new Map(MARKETPLACES.map((mp) => [mp.id, mp]));

export function marketplace(id: string): MarketplaceInfo | undefined {
	return BY_ID.get(id);
}

export const MARKETPLACE_IDS = {
	US: 'ATVPDKIKX0DER',
	CA: 'A2EUQ1WTGCTBG2',
	MX: 'A1AM78C64UM0Y8',
	BR: 'A2Q3Y263D00KWC',
	UK: 'A1F83G8C2ARO7P',
	DE: 'A1PA6795UKMFR9',
	FR: 'A13V1IB3VIYZZH',
	IT: 'APJ6JRA9NG5V4',
	ES: 'A1RKKUPIHCS9HS',
	JP: 'A1VC38T7YXB528',
	AU: 'A39IBJ37TRP1C6',
	SG: 'A19VAU5U5O7RUS',
} as const;

/** Rough conversion of a USD price into each currency (demo data only). */
export const USD_RATE: Record<string, number> = {
	USD: 1,
	CAD: 1.36,
	MXN: 17.1,
	BRL: 5.0,
	GBP: 0.79,
	EUR: 0.92,
	SEK: 10.5,
	PLN: 4.0,
	TRY: 32,
	AED: 3.67,
	SAR: 3.75,
	EGP: 48,
	INR: 83,
	ZAR: 18.5,
	JPY: 150,
	AUD: 1.52,
	SGD: 1.35,
};

// ---- hosts ---------------------------------------------------------------------------------

export const LWA_HOST = 'api.amazon.com';
export const LWA_ORIGIN = `https://${LWA_HOST}`;

export function spApiHostName(region: Region, sandbox = false): string {
	return `${sandbox ? 'sandbox.' : ''}sellingpartnerapi-${region}.amazon.com`;
}

/** Every SP-API host the sandbox serves (production and Amazon's sandbox host names). */
export const SP_API_HOSTS: readonly string[] = REGIONS.flatMap((r) => [spApiHostName(r), spApiHostName(r, true)]);

const HOST_PATTERN = /^(sandbox\.)?sellingpartnerapi-(na|eu|fe)\.amazon\.com(?::443)?$/i;

/** Region and environment of an SP-API host name, or undefined for any other host. */
export function regionOfHost(host: string | undefined): { region: Region; environment: 'production' | 'sandbox' } | undefined {
	if (!host) return undefined;
	const m = HOST_PATTERN.exec(host.trim());
	if (!m) return undefined;
	return { region: m[2].toLowerCase() as Region, environment: m[1] ? 'sandbox' : 'production' };
}

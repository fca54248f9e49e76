/**
 * Exact money arithmetic for balance checks and payment application.
 *
 * Amounts arrive as JSON numbers (IFS serializes Edm.Decimal as numbers). A JSON number is
 * parsed to the nearest double, whose shortest round-trip text (`String(n)`) is the decimal
 * the client wrote (for up to 15 significant digits). That text is converted to integer minor
 * units of the currency (BigInt), so 0.1 + 0.2 equals 0.3 exactly and a difference of one
 * cent is never lost to floating point. Results go back to JSON as the double nearest to the
 * exact decimal, which prints as that decimal.
 */
import { databaseError } from './errors';

/** Currencies of the sandbox tenant with their number of decimals (ISO 4217 minor units). */
export const CURRENCY_DECIMALS: Readonly<Record<string, number>> = {
	SEK: 2,
	EUR: 2,
	USD: 2,
	GBP: 2,
	NOK: 2,
	DKK: 2,
	CHF: 2,
	JPY: 0,
};

/** Plain decimal text of a finite number (no exponent), e.g. 1e-7 -> '0.0000001'. */
export function decimalText(n: number): string {
	if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
	const text = String(n);
	const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
	if (!m) return text;
	const [, sign, int, frac = '', exp] = m;
	const digits = int + frac;
	const point = int.length + Number(exp);
	if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
	if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
	return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function currencyDecimals(currency: string): number {
	const decimals = CURRENCY_DECIMALS[currency];
	if (decimals === undefined) throw databaseError(400, `ORA-20111: IsoCurrency.NOTEXIST: Currency code ${currency} does not exist.`);
	return decimals;
}

/**
 * Integer minor units of `amount` in `currency`. More decimals than the currency has is a
 * client error (400), not something to round away silently: the integration sent a value the
 * ledger cannot hold.
 */
export function toMinorUnits(amount: number, currency: string, field = 'Amount'): bigint {
	const decimals = currencyDecimals(currency);
	const text = decimalText(amount);
	const negative = text.startsWith('-');
	const [int, frac = ''] = (negative ? text.slice(1) : text).split('.');
	const significant = frac.replace(/0+$/, '');
	if (significant.length > decimals) {
		throw databaseError(
			400,
			`ORA-20110: ${field}.ROUNDING: The amount ${text} has more decimals than currency ${currency} allows (${decimals}).`,
		);
	}
	const units = BigInt(int) * 10n ** BigInt(decimals) + BigInt(significant.padEnd(decimals, '0') || '0');
	return negative ? -units : units;
}

/** Decimal text of minor units, with exactly the currency's decimals: 1234n, 'EUR' -> '12.34'. */
export function formatMinorUnits(units: bigint, currency: string): string {
	const decimals = currencyDecimals(currency);
	const negative = units < 0n;
	const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
	const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
	return negative ? `-${text}` : text;
}

/** The JSON number for minor units (the double nearest to the exact decimal). */
export function fromMinorUnits(units: bigint, currency: string): number {
	return Number(formatMinorUnits(units, currency));
}

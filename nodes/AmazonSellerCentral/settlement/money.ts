/** Printing exact amounts with the currency's minor digits (JPY 0, EUR 2, …), never fewer. */
import type { Decimal } from '../../common/decimal';

const digitsCache = new Map<string, number>();

export function currencyDigits(currency: string): number {
	let digits = digitsCache.get(currency);
	if (digits === undefined) {
		try {
			digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
		} catch {
			// Not an ISO 4217 code Intl knows: two decimals, the common case.
			digits = 2;
		}
		digitsCache.set(currency, digits);
	}
	return digits;
}

/** Exact text with at least the currency's minor digits; extra digits are kept, never rounded. */
export function formatAmount(value: Decimal, currency: string): string {
	return value.toFixed(currencyDigits(currency));
}

/**
 * Amount text → exact Decimal. V2 settlement files write amounts in the marketplace's local
 * format (`95.00`, `95,00`, `1.234,56`, `1,234.56`), so the decimal separator is a property of the
 * whole file: it is learned from the first value that can only be read one way and then enforced
 * on every other value. A value that could be read both ways (`1,234`, `1.234`) is never guessed.
 */
import { Decimal } from '../../common/decimal';

export type DecimalSeparator = '.' | ',';

/** What one amount text says about the file's decimal separator. */
export type AmountEvidence =
	/** No separator at all (`25`, `-3`): reads the same either way. */
	| { kind: 'neutral' }
	/** Only readable with this decimal separator (`12,50`, `1.234,56`, `0.123`). */
	| { kind: 'decides'; separator: DecimalSeparator }
	/** One separator followed by exactly three digits (`1,234`): a thousands group or three decimals. */
	| { kind: 'ambiguous' }
	/** Not an amount in any format we accept. */
	| { kind: 'malformed' };

const SIGNED = /^([+-]?)(.*)$/;
const DIGITS = /^\d+$/;
const SINGLE_SEPARATOR = /^(\d+)([.,])(\d+)$/;
const GROUPED_POINT = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
const GROUPED_COMMA = /^\d{1,3}(?:\.\d{3})+(?:,\d+)?$/;

/** Classifies `text` (already trimmed, non-empty). */
export function amountEvidence(text: string): AmountEvidence {
	const body = (SIGNED.exec(text) as RegExpExecArray)[2];
	if (DIGITS.test(body)) return { kind: 'neutral' };
	const single = SINGLE_SEPARATOR.exec(body);
	if (single) {
		const [, whole, separator, fraction] = single;
		// A thousands group is exactly three digits after 1–3 leading digits that do not start with 0.
		const couldBeGrouping = fraction.length === 3 && whole.length <= 3 && !whole.startsWith('0');
		return couldBeGrouping ? { kind: 'ambiguous' } : { kind: 'decides', separator: separator as DecimalSeparator };
	}
	// Several groups, or groups plus a fraction, can only be read one way.
	if (GROUPED_POINT.test(body)) return { kind: 'decides', separator: '.' };
	if (GROUPED_COMMA.test(body)) return { kind: 'decides', separator: ',' };
	return { kind: 'malformed' };
}

/**
 * Reads `text` with a known decimal separator; thousands separators are accepted only in proper
 * groups of three. Returns undefined when the text is not an amount in that format.
 */
export function parseAmount(text: string, separator: DecimalSeparator): Decimal | undefined {
	const [, sign, body] = SIGNED.exec(text) as RegExpExecArray;
	let plain: string;
	if (DIGITS.test(body)) plain = body;
	else if (separator === '.') {
		if (/^\d+\.\d+$/.test(body)) plain = body;
		else if (GROUPED_POINT.test(body)) plain = body.replace(/,/g, '');
		else return undefined;
	} else {
		if (/^\d+,\d+$/.test(body)) plain = body.replace(',', '.');
		else if (GROUPED_COMMA.test(body)) plain = body.replace(/\./g, '').replace(',', '.');
		else return undefined;
	}
	return Decimal.from(`${sign === '-' ? '-' : ''}${plain}`);
}

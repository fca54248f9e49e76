import { Decimal, DecimalError } from '../../../nodes/common/decimal';

describe('Decimal', () => {
	it('adds exactly where floats drift: 0.1 + 0.2 = 0.3', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(Decimal.from(0.1).plus(0.2).equals('0.3')).toBe(true);
		expect(Decimal.from('0.1').plus('0.2').toFixed(2)).toBe('0.30');
	});

	it('sums a long column of cents without drift', () => {
		const total = Decimal.sum(Array.from({ length: 10_000 }, () => '0.01'));
		expect(total.toFixed(2)).toBe('100.00');
		let float = 0;
		for (let i = 0; i < 10_000; i++) float += 0.01;
		expect(float).not.toBe(100);
	});

	it.each([
		['12', '12'],
		['12.50', '12.5'],
		['-0.10', '-0.1'],
		['+3', '3'],
		['.5', '0.5'],
		['5.', '5'],
		['1e-2', '0.01'],
		['1.5E3', '1500'],
		['000123.4500', '123.45'],
		['-0', '0'],
	])('parses %s as %s', (input, text) => {
		expect(Decimal.from(input).toString()).toBe(text);
	});

	it('reads JS numbers through their shortest decimal form', () => {
		expect(Decimal.from(1234.56).toString()).toBe('1234.56');
		expect(Decimal.from(1e21).toString()).toBe('1000000000000000000000');
		expect(Decimal.from(-0.000001).toString()).toBe('-0.000001');
	});

	it.each(['', ' ', 'abc', '1,5', '1.2.3', '--1', 'NaN', '1e'])('refuses %p', (input) => {
		expect(() => Decimal.from(input)).toThrow(DecimalError);
	});

	it('refuses non-finite numbers and other types', () => {
		expect(() => Decimal.from(Number.NaN)).toThrow(DecimalError);
		expect(() => Decimal.from(Number.POSITIVE_INFINITY)).toThrow(DecimalError);
		expect(() => Decimal.from({})).toThrow(DecimalError);
	});

	it('compares across scales and signs', () => {
		expect(Decimal.from('1.10').compare('1.1')).toBe(0);
		expect(Decimal.from('-2').compare('1')).toBe(-1);
		expect(Decimal.from('2.001').compare('2')).toBe(1);
		expect(Decimal.from('0.00').isZero()).toBe(true);
		expect(Decimal.from('-0.5').isNegative()).toBe(true);
		expect(Decimal.from('-0.5').abs().toString()).toBe('0.5');
	});

	it('subtracts and formats with a minimum number of decimals', () => {
		expect(Decimal.from('100').minus('99.99').toFixed(2)).toBe('0.01');
		expect(Decimal.from('-1.5').toFixed(3)).toBe('-1.500');
		expect(Decimal.from('0.005').toFixed(2)).toBe('0.005');
		expect(Decimal.from('19.99').toNumber()).toBe(19.99);
	});

	it('keeps large values exact', () => {
		const big = Decimal.from('123456789012345678901234.56');
		expect(big.plus('0.44').toString()).toBe('123456789012345678901235');
		expect(big.fractionDigits).toBe(2);
	});
});

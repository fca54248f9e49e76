/**
 * Exact decimal arithmetic for money and quantities: values are integers scaled by a power of ten
 * (BigInt), so 0.1 + 0.2 is exactly 0.3 and a journal balances to the last cent.
 */

export class DecimalError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DecimalError';
	}
}

export class Decimal {
	private constructor(
		/** The value times 10^scale. */
		readonly units: bigint,
		readonly scale: number,
	) {}

	static readonly ZERO = new Decimal(0n, 0);

	/**
	 * Reads `12.5`, `"12.50"`, `"-0.1"`, `"1e-2"` or a bigint. A JS number is read through its
	 * shortest decimal representation (0.1 → "0.1"), never through its binary value.
	 */
	static from(value: unknown): Decimal {
		if (value instanceof Decimal) return value;
		if (typeof value === 'bigint') return new Decimal(value, 0);
		if (typeof value === 'number') {
			if (!Number.isFinite(value)) throw new DecimalError(`${value} is not a finite number`);
			return Decimal.parse(String(value));
		}
		if (typeof value === 'string') return Decimal.parse(value);
		throw new DecimalError(`"${String(value)}" is not a number`);
	}

	private static parse(text: string): Decimal {
		const match = /^\s*([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
		if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new DecimalError(`"${text}" is not a decimal number`);
		const [, sign, whole, fraction = '', exponentText] = match;
		const exponent = exponentText ? Number(exponentText) : 0;
		if (Math.abs(exponent) > 100) throw new DecimalError(`"${text}" is out of range`);
		let digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '') || '0';
		let scale = fraction.length - exponent;
		if (scale < 0) {
			digits += '0'.repeat(-scale);
			scale = 0;
		}
		const units = BigInt(digits) * (sign === '-' ? -1n : 1n);
		return new Decimal(units, scale).normalized();
	}

	/** Same value with trailing fractional zeros removed. */
	normalized(): Decimal {
		let { units, scale } = this;
		while (scale > 0 && units % 10n === 0n) {
			units /= 10n;
			scale--;
		}
		return new Decimal(units, scale);
	}

	private rescaled(scale: number): bigint {
		return this.units * 10n ** BigInt(scale - this.scale);
	}

	plus(other: Decimal | number | string): Decimal {
		const right = Decimal.from(other);
		const scale = Math.max(this.scale, right.scale);
		return new Decimal(this.rescaled(scale) + right.rescaled(scale), scale).normalized();
	}

	minus(other: Decimal | number | string): Decimal {
		return this.plus(Decimal.from(other).negated());
	}

	negated(): Decimal {
		return new Decimal(-this.units, this.scale);
	}

	abs(): Decimal {
		return this.units < 0n ? this.negated() : this;
	}

	compare(other: Decimal | number | string): -1 | 0 | 1 {
		const right = Decimal.from(other);
		const scale = Math.max(this.scale, right.scale);
		const a = this.rescaled(scale);
		const b = right.rescaled(scale);
		return a < b ? -1 : a > b ? 1 : 0;
	}

	equals(other: Decimal | number | string): boolean {
		return this.compare(other) === 0;
	}

	isZero(): boolean {
		return this.units === 0n;
	}

	isNegative(): boolean {
		return this.units < 0n;
	}

	/** Number of fractional digits actually used (after normalisation). */
	get fractionDigits(): number {
		return this.normalized().scale;
	}

	/** Exact text, with at least `minFractionDigits` decimals (e.g. 2 for money). */
	toFixed(minFractionDigits = 0): string {
		const scale = Math.max(this.scale, minFractionDigits);
		const units = this.rescaled(scale);
		const negative = units < 0n;
		const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
		const whole = digits.slice(0, digits.length - scale);
		const fraction = scale ? `.${digits.slice(digits.length - scale)}` : '';
		return `${negative ? '-' : ''}${whole}${fraction}`;
	}

	toString(): string {
		return this.toFixed(0);
	}

	/** As a JSON number for APIs that take numbers (exact for up to 15 significant digits). */
	toNumber(): number {
		return Number(this.toString());
	}

	static sum(values: Iterable<Decimal | number | string>): Decimal {
		let total = Decimal.ZERO;
		for (const value of values) total = total.plus(value);
		return total;
	}
}

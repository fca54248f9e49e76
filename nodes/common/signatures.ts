/**
 * Comparing secrets and signatures without leaking, through timing, how much of a guess matched.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two strings. Both are hashed first, so the comparison also does not
 * reveal the expected length; a missing value never matches.
 */
export function secretsEqual(given: string | undefined | null, expected: string | undefined | null): boolean {
	if (typeof given !== 'string' || typeof expected !== 'string' || expected === '') return false;
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

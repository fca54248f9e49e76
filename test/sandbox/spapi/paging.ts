/**
 * Server-side state behind opaque next tokens. Tokens are standard base64 with '+', '/' and '='
 * (see opaqueNextToken), are bound to one seller and one operation, may be reused (a client
 * retrying a page after a 429 sends the same token again) and may expire (FBA Inventory: 30 s).
 */
import { opaqueNextToken } from './util';

interface Stored {
	sellerId: string;
	operation: string;
	state: unknown;
	issuedAt: number;
	expiresAt: number;
}

export type TokenResult<T> = { ok: true; state: T } | { ok: false; reason: 'unknown' | 'expired' };

export class NextTokenStore {
	private readonly tokens = new Map<string, Stored>();

	constructor(
		private readonly now: () => number,
		private readonly limit = 200_000,
	) {}

	issue(sellerId: string, operation: string, state: unknown, ttlMs = Infinity): string {
		const token = opaqueNextToken();
		const now = this.now();
		this.tokens.set(token, { sellerId, operation, state, issuedAt: now, expiresAt: now + ttlMs });
		if (this.tokens.size > this.limit) {
			const oldest = this.tokens.keys().next().value;
			if (oldest !== undefined) this.tokens.delete(oldest);
		}
		return token;
	}

	resolve<T>(token: string, sellerId: string, operation: string): TokenResult<T> {
		const stored = this.tokens.get(token);
		if (!stored || stored.sellerId !== sellerId || stored.operation !== operation) return { ok: false, reason: 'unknown' };
		if (this.now() >= stored.expiresAt) return { ok: false, reason: 'expired' };
		return { ok: true, state: stored.state as T };
	}

	clear(): void {
		this.tokens.clear();
	}

	get size(): number {
		return this.tokens.size;
	}
}

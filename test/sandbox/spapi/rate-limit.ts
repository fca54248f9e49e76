/**
 * SP-API usage plans: one token bucket per selling partner + application + operation
 * (reference §3). A bucket starts full with `burst` tokens and refills at `rate` tokens per
 * second; a request takes one token or is answered 429 QuotaExceeded (no Retry-After). Rejected
 * requests take nothing. `timeScale` multiplies every rate, so a test can page through getOrders
 * (0.0167/s) at 16.7/s with scale 1000. Buckets run on real time (performance.now()), not on the
 * sandbox clock.
 */
import { performance } from 'node:perf_hooks';

import type { OperationDef } from './operations';

export interface UsagePlan {
	rate: number;
	burst: number;
}

interface Bucket {
	tokens: number;
	at: number;
}

export class TokenBucketLimiter {
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		private readonly timeScale: number,
		private readonly overrides: Partial<Record<string, UsagePlan>>,
		private readonly enabled: boolean,
		private readonly clock: () => number = () => performance.now(),
	) {}

	/** The plan applied to an operation (override or model default), rate already scaled. */
	plan(operation: OperationDef): UsagePlan {
		const base = this.overrides[operation.name] ?? { rate: operation.rate, burst: operation.burst };
		return { rate: base.rate * this.timeScale, burst: base.burst };
	}

	/** `x-amzn-RateLimit-Limit` value: the effective rate, e.g. "0.0167" or "16.7". */
	headerValue(operation: OperationDef): string {
		return formatRate(this.plan(operation).rate);
	}

	tryTake(key: string, operation: OperationDef): boolean {
		if (!this.enabled) return true;
		const { rate, burst } = this.plan(operation);
		const now = this.clock();
		const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
		bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
		bucket.at = now;
		this.buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return true;
		}
		return false;
	}

	/** Tokens currently available (for tests and diagnostics). */
	available(key: string, operation: OperationDef): number {
		const { rate, burst } = this.plan(operation);
		const bucket = this.buckets.get(key);
		if (!bucket) return burst;
		return Math.min(burst, bucket.tokens + ((this.clock() - bucket.at) / 1000) * rate);
	}

	reset(): void {
		this.buckets.clear();
	}
}

export function formatRate(rate: number): string {
	return String(Number(rate.toPrecision(6)));
}

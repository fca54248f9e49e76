/**
 * CSRF protection of the `main` deployment (IFS docs, "CSRF"): a GET sets the cookie
 * `XSRF-TOKEN`; POST/PATCH/PUT/DELETE must echo it in the `X-XSRF-TOKEN` header and send the
 * cookie back, otherwise 403 CSRF_ERROR. `int` is not protected. Tokens are global to the
 * sandbox (not bound to an access token) to keep the model simple.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const CSRF_COOKIE = 'XSRF-TOKEN';
export const CSRF_HEADER = 'x-xsrf-token';

export function parseCookies(header: string | undefined): Map<string, string> {
	const cookies = new Map<string, string>();
	for (const part of (header ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq <= 0) continue;
		cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
	}
	return cookies;
}

export class CsrfGuard {
	private readonly issued = new Set<string>();

	/** Token to set on a GET: the client's current one if we issued it, else a new one. */
	cookieForGet(headers: IncomingHttpHeaders): string {
		const current = parseCookies(headers.cookie).get(CSRF_COOKIE);
		let token = current !== undefined && this.issued.has(current) ? current : undefined;
		if (!token) {
			token = randomBytes(18).toString('base64url');
			this.issued.add(token);
		}
		return `${CSRF_COOKIE}=${token}; Path=/; SameSite=Strict`;
	}

	/** Header present, issued by us, and equal to the cookie. */
	verify(headers: IncomingHttpHeaders): boolean {
		const header = headers[CSRF_HEADER];
		if (typeof header !== 'string' || !this.issued.has(header)) return false;
		return parseCookies(headers.cookie).get(CSRF_COOKIE) === header;
	}
}

/**
 * Credentials are attached only to requests for the host the credential configures. Anything
 * else (a next-link pointing elsewhere, a webhook's resource URL, a "custom path" that is really
 * an absolute URL) is refused before a request is built.
 */

export class HostGuardError extends Error {
	constructor(
		message: string,
		readonly url: string,
		readonly allowedOrigin: string,
	) {
		super(message);
		this.name = 'HostGuardError';
	}
}

/** Normalised origin (`scheme://host[:port]`, default ports dropped, lower case). */
export function originOf(url: string): string {
	const parsed = new URL(url);
	return parsed.origin.toLowerCase();
}

export function parseBaseUrl(raw: string, what = 'URL'): URL {
	if (!URL.canParse(raw.trim())) throw new HostGuardError(`The ${what} "${raw}" is not a valid URL`, raw, '');
	const parsed = new URL(raw.trim());
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new HostGuardError(`The ${what} must start with https:// (got "${parsed.protocol}")`, raw, '');
	}
	if (parsed.username || parsed.password) {
		throw new HostGuardError(`The ${what} must not contain a user name or password`, raw, '');
	}
	return parsed;
}

/**
 * Resolves `target` (absolute, or relative to `base`) and checks it stays on `allowedOrigin`.
 * Returns the absolute URL to request.
 */
export function assertSameOrigin(target: string, base: string, allowedOrigin = originOf(base)): string {
	if (!URL.canParse(target, base)) throw new HostGuardError(`"${target}" is not a valid URL or path`, target, allowedOrigin);
	const resolved = new URL(target, base);
	if (resolved.origin.toLowerCase() !== allowedOrigin.toLowerCase()) {
		throw new HostGuardError(
			`Refused to send credentials to ${resolved.origin}: only ${allowedOrigin} (the host configured in the credential) may receive them`,
			resolved.toString(),
			allowedOrigin,
		);
	}
	return resolved.toString();
}

/**
 * A user-supplied path must be a path: no scheme, no `//host`, no backslash tricks, no way to
 * climb above the API root.
 */
export function assertRelativePath(path: string): string {
	const trimmed = path.trim();
	if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) || trimmed.startsWith('//') || trimmed.includes('\\')) {
		throw new HostGuardError(
			`"${path}" is not a path: give a path relative to the API root, not a full URL`,
			path,
			'',
		);
	}
	// Resolve against a probe base the way the HTTP client will: tabs and newlines are dropped,
	// dot segments (also encoded ones) collapse. Whatever escapes the base is refused.
	const probeBase = 'https://probe.invalid/root/api/';
	const resolved = URL.canParse(trimmed, probeBase) ? new URL(trimmed, probeBase) : undefined;
	const encodedDots = /(^|\/)(\.|%2e){2}(\/|$|[?#])/i.test(trimmed.replace(/[\t\n\r]/g, ''));
	if (!resolved || resolved.origin !== 'https://probe.invalid' || !resolved.pathname.startsWith('/root/api/') || encodedDots) {
		throw new HostGuardError(`"${path}" may not leave the API root (no ".." segments)`, path, '');
	}
	return trimmed;
}

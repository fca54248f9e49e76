/**
 * Keeps secrets out of error messages, descriptions, output items and logs.
 *
 * Two layers: the exact secret values we know (credential fields, current tokens) and patterns
 * that catch secrets we cannot know in advance (a token refreshed mid-run, a vendor echoing a
 * header back in an error body).
 */

export const REDACTED = '[redacted]';

/** Field names whose values are secrets wherever they appear. */
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|x-xsrf-token|x-amz-access-token|x-amz-security-token|x-shopify-access-token|api-key|x-api-key|access_?token|refresh_?token|id_?token|client_?secret|password|passwd|secret|signature|x-amz-signature|saak|sask|token|api_?secret|consumer_?secret|oauth_token_secret|access_token_secret)$/i;

const SECRET_FIELD_NAMES =
	'access_token|refresh_token|id_token|client_secret|password|signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token|oauth_signature|oauth_token_secret';

type Replacement = string | ((match: string, ...groups: string[]) => string);

const SECRET_PATTERNS: Array<[RegExp, Replacement]> = [
	// Bearer tokens (the scheme is case-insensitive).
	[/\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
	// Basic credentials: only what really decodes to user:password, so prose ("Basic authentication") survives.
	[
		/\b(Basic)\s+([A-Za-z0-9+/]{4,}={0,2})/gi,
		(match: string, scheme: string, encoded: string) =>
			/^[\x20-\x7e]+:[\x20-\x7e]*$/.test(Buffer.from(encoded, 'base64').toString('latin1')) ? `${scheme} ${REDACTED}` : match,
	],
	// JSON Web Tokens (three base64url segments, the first starting with {" encoded).
	[/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, REDACTED],
	// "key": "value" (or single quotes) in JSON-like text: the whole quoted value, spaces and escapes included.
	[new RegExp(`((?:${SECRET_FIELD_NAMES})["']?\\s*:\\s*)(["'])(?:(?!\\2)[^\\\\]|\\\\.)*\\2`, 'gi'), `$1$2${REDACTED}$2`],
	// key=value in query strings and form bodies.
	[new RegExp(`((?:${SECRET_FIELD_NAMES})=)[^&\\s"']+`, 'gi'), `$1${REDACTED}`],
];

/** Values shorter than this are not redacted by value: they would mangle ordinary words. */
const MIN_SECRET_LENGTH = 6;

export class Redactor {
	private readonly secrets = new Set<string>();

	constructor(secrets: Iterable<unknown> = []) {
		this.add(...secrets);
	}

	add(...values: unknown[]): this {
		for (const value of values) {
			if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) {
				this.secrets.add(value);
				// Secrets also travel URL-encoded (query strings) and form-encoded (token request bodies).
				for (const encoded of [encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]) {
					if (encoded !== value) this.secrets.add(encoded);
				}
			}
		}
		return this;
	}

	/** Adds every string field of a credential whose name marks it as secret. */
	addCredentialSecrets(credentials: Record<string, unknown> | undefined): this {
		if (!credentials) return this;
		for (const [key, value] of Object.entries(credentials)) {
			if (SECRET_KEY.test(key) || /secret|password|token/i.test(key)) {
				if (typeof value === 'string') this.add(value);
				else if (value && typeof value === 'object') this.addCredentialSecrets(value as Record<string, unknown>);
			}
		}
		return this;
	}

	text(input: string): string {
		let output = input;
		// Longest first so a secret that contains another is removed whole.
		const known = [...this.secrets].sort((a, b) => b.length - a.length);
		for (const secret of known) output = output.split(secret).join(REDACTED);
		for (const [pattern, replacement] of SECRET_PATTERNS) output = output.replace(pattern, replacement as string);
		return output;
	}

	/** A redacted deep copy; secret-named fields are blanked whatever their value. */
	value<T>(input: T, depth = 0): T {
		if (depth > 20) return REDACTED as unknown as T;
		if (typeof input === 'string') return this.text(input) as unknown as T;
		if (Array.isArray(input)) return input.map((entry) => this.value(entry, depth + 1)) as unknown as T;
		if (input && typeof input === 'object') {
			if (input instanceof Date) return input;
			const copy: Record<string, unknown> = {};
			for (const [key, entry] of Object.entries(input as Record<string, unknown>)) {
				copy[key] = SECRET_KEY.test(key) && entry !== null && entry !== '' ? REDACTED : this.value(entry, depth + 1);
			}
			return copy as T;
		}
		return input;
	}
}

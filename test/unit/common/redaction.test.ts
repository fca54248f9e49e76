import { REDACTED, Redactor } from '../../../nodes/common/redaction';

const CLIENT_SECRET = 'Zk3!pQ9/xw+Lm 7&a=b';
const ACCESS_TOKEN = 'ya29.a0AfH6SMBx-token-value_123';
const JWT =
	'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJpZnMtY2xpZW50IiwiZXhwIjoxNzE3MTcxNzE3fQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

describe('Redactor.text: known values', () => {
	it('removes a known secret wherever it appears', () => {
		const redactor = new Redactor([CLIENT_SECRET]);
		const output = redactor.text(`secret is ${CLIENT_SECRET}; again: ${CLIENT_SECRET}.`);
		expect(output).not.toContain(CLIENT_SECRET);
		expect(output).toBe(`secret is ${REDACTED}; again: ${REDACTED}.`);
	});

	it('removes the URL-encoded form too (query strings)', () => {
		const redactor = new Redactor([CLIENT_SECRET]);
		const encoded = encodeURIComponent(CLIENT_SECRET);
		expect(encoded).not.toBe(CLIENT_SECRET);
		const output = redactor.text(`GET /token?assertion=${encoded}&x=1`);
		expect(output).not.toContain(encoded);
		expect(output).toBe(`GET /token?assertion=${REDACTED}&x=1`);
	});

	// Form bodies (application/x-www-form-urlencoded, as URLSearchParams writes them) encode a
	// space as "+" and also escape ! ' ( ) ~, unlike encodeURIComponent.
	it('removes the form-encoded form too (form bodies)', () => {
		const redactor = new Redactor([CLIENT_SECRET]);
		const body = new URLSearchParams({ grant_type: 'client_credentials', assertion: CLIENT_SECRET }).toString();
		const output = redactor.text(`token request failed, body: ${body}`);
		expect(output).not.toContain(body.split('assertion=')[1]);
		expect(output).toContain('grant_type=client_credentials');
	});

	it('removes a longer secret whole when it contains a shorter one', () => {
		const redactor = new Redactor(['abcdef', 'abcdefghijkl']);
		expect(redactor.text('x abcdefghijkl y abcdef z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
	});

	it('does not redact short values by value (they would mangle words)', () => {
		const redactor = new Redactor(['12345', 'ab', '']);
		expect(redactor.text('order 12345 has ab in it')).toBe('order 12345 has ab in it');
	});

	it('redacts values of exactly six characters', () => {
		expect(new Redactor(['s3cr3t']).text('pw s3cr3t')).toBe(`pw ${REDACTED}`);
	});

	it('ignores non-string values handed to add()', () => {
		const redactor = new Redactor([123456789, null, undefined, { a: 'object' }]);
		expect(redactor.text('123456789')).toBe('123456789');
	});

	it('learns secrets added later (e.g. a refreshed token)', () => {
		const redactor = new Redactor();
		expect(redactor.text(`t=${ACCESS_TOKEN}`)).toContain(ACCESS_TOKEN);
		redactor.add(ACCESS_TOKEN);
		expect(redactor.text(`t=${ACCESS_TOKEN}`)).toBe(`t=${REDACTED}`);
	});
});

describe('Redactor.text: patterns for secrets it does not know', () => {
	const redactor = new Redactor();

	it('redacts Bearer and Basic authorization values', () => {
		expect(redactor.text(`Authorization: Bearer ${ACCESS_TOKEN}`)).toBe(`Authorization: Bearer ${REDACTED}`);
		expect(redactor.text('Authorization: Basic dXNlcjpwYXNzd29yZA==')).toBe(`Authorization: Basic ${REDACTED}`);
		expect(redactor.text('{"Authorization":"Bearer abc.DEF-ghi~jkl+/="}')).toBe(`{"Authorization":"Bearer ${REDACTED}"}`);
	});

	// RFC 9110 §11.1: the authentication scheme is case-insensitive; servers echo "bearer …" too.
	it('redacts authorization values whatever the case of the scheme', () => {
		expect(redactor.text('authorization: bearer abc.DEF-ghi~jkl')).not.toContain('abc.DEF-ghi~jkl');
		expect(redactor.text('authorization: BASIC dXNlcjpwYXNzd29yZA==')).not.toContain('dXNlcjpwYXNzd29yZA');
	});

	it('redacts JSON Web Tokens anywhere in text', () => {
		const output = redactor.text(`token ${JWT} expired`);
		expect(output).toBe(`token ${REDACTED} expired`);
	});

	it('redacts access_token= and friends in query strings and form bodies', () => {
		expect(redactor.text('https://h/cb?access_token=abc123XYZ&state=ok')).toBe(`https://h/cb?access_token=${REDACTED}&state=ok`);
		expect(redactor.text('grant_type=refresh_token&refresh_token=rt-987&client_id=app')).toBe(
			`grant_type=refresh_token&refresh_token=${REDACTED}&client_id=app`,
		);
		expect(redactor.text('client_secret=very-secret-value')).toBe(`client_secret=${REDACTED}`);
		expect(redactor.text('X-Amz-Signature=0123abcd&X-Amz-Credential=AKIA/2024')).toBe(
			`X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}`,
		);
	});

	it('redacts "client_secret": "…" and similar JSON text', () => {
		const output = redactor.text('{"client_id":"app","client_secret": "s3cr3t-value","password":"hunter22"}');
		expect(output).toBe(`{"client_id":"app","client_secret": "${REDACTED}","password":"${REDACTED}"}`);
		expect(redactor.text("{'access_token': 'abc.def'}")).toBe(`{'access_token': '${REDACTED}'}`);
	});

	// A JSON string value runs to its closing quote; a passphrase with spaces must go whole.
	it('redacts the whole JSON string value of a secret field, spaces included', () => {
		const output = redactor.text('{"password": "correct horse battery staple", "user": "ifsapp"}');
		for (const word of ['correct', 'horse', 'battery', 'staple']) expect(output).not.toContain(word);
		expect(output).toContain('"user": "ifsapp"');
	});

	it('leaves ordinary text alone', () => {
		const text = 'Order C1 for customer 1000 failed: quantity must be positive (line 3).';
		expect(redactor.text(text)).toBe(text);
	});
});

describe('Redactor.value', () => {
	it('blanks secret-named keys whatever their value, at any depth and any case', () => {
		const redactor = new Redactor();
		const input = {
			headers: { Authorization: 'Bearer x', 'X-API-Key': 'k', Cookie: 'sid=1', accept: 'application/json' },
			body: { client_secret: 'cs', refreshToken: 'rt', Password: 'pw', nested: [{ access_token: 'at' }] },
			token: { value: 'structured' },
		};
		const output = redactor.value(input);
		expect(output).toEqual({
			headers: { Authorization: REDACTED, 'X-API-Key': REDACTED, Cookie: REDACTED, accept: 'application/json' },
			body: { client_secret: REDACTED, refreshToken: REDACTED, Password: REDACTED, nested: [{ access_token: REDACTED }] },
			token: REDACTED,
		});
	});

	it('keeps empty and null secret fields as they are (nothing to hide)', () => {
		expect(new Redactor().value({ password: '', token: null })).toEqual({ password: '', token: null });
	});

	it('redacts known values inside ordinary fields and strings in arrays', () => {
		const redactor = new Redactor([ACCESS_TOKEN]);
		const output = redactor.value({ message: `bad token ${ACCESS_TOKEN}`, list: [ACCESS_TOKEN, 'ok'], count: 3, flag: true });
		expect(output).toEqual({ message: `bad token ${REDACTED}`, list: [REDACTED, 'ok'], count: 3, flag: true });
	});

	it('returns a copy and leaves the input untouched', () => {
		const input = { password: 'pw-123456', inner: { text: 'Bearer abcdef' } };
		const snapshot = JSON.parse(JSON.stringify(input));
		const output = new Redactor(['pw-123456']).value(input);
		expect(input).toEqual(snapshot);
		expect(output).not.toBe(input);
		expect(output.inner).not.toBe(input.inner);
	});

	it('keeps Dates and primitives', () => {
		const date = new Date('2024-05-31T00:00:00Z');
		const output = new Redactor().value({ when: date, n: 1, none: null, missing: undefined });
		expect(output.when).toBe(date);
		expect(output).toEqual({ when: date, n: 1, none: null, missing: undefined });
	});

	it('stops at a depth limit instead of recursing forever', () => {
		let deep: Record<string, unknown> = { leaf: 'x' };
		for (let i = 0; i < 30; i++) deep = { child: deep };
		const text = JSON.stringify(new Redactor().value(deep));
		expect(text).toContain(REDACTED);
		expect(text).not.toContain('leaf');
	});
});

describe('Redactor.addCredentialSecrets', () => {
	it('adds secret-looking credential fields (nested too), not identifiers', () => {
		const redactor = new Redactor().addCredentialSecrets({
			systemUrl: 'https://tenant.ifs.cloud',
			clientId: 'n8n-integration-client',
			clientSecret: 'client-secret-value',
			oauthTokenData: { access_token: ACCESS_TOKEN, refresh_token: 'refresh-token-value', expires_in: 3600 },
			userPassword: 'p4ssw0rd!',
		});
		const text = redactor.text(
			`n8n-integration-client client-secret-value ${ACCESS_TOKEN} refresh-token-value p4ssw0rd! https://tenant.ifs.cloud`,
		);
		expect(text).toBe(`n8n-integration-client ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} https://tenant.ifs.cloud`);
	});

	it('accepts undefined credentials', () => {
		expect(new Redactor().addCredentialSecrets(undefined).text('abc')).toBe('abc');
	});
});

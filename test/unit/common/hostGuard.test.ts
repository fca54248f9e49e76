import { HostGuardError, assertRelativePath, assertSameOrigin, originOf, parseBaseUrl } from '../../../nodes/common/hostGuard';

const BASE = 'https://tenant.ifs.cloud/main/ifsapplications/projection/v1/CustomerOrderHandling.svc/';
const ORIGIN = 'https://tenant.ifs.cloud';

function refusal(run: () => unknown): HostGuardError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(HostGuardError);
		return error as HostGuardError;
	}
	throw new Error('expected a HostGuardError, nothing was thrown');
}

describe('originOf', () => {
	it('normalises scheme and host case and drops default ports', () => {
		expect(originOf('HTTPS://Tenant.IFS.Cloud:443/main/x?y=1')).toBe(ORIGIN);
		expect(originOf('http://localhost:80/x')).toBe('http://localhost');
		expect(originOf('https://tenant.ifs.cloud:8443/')).toBe('https://tenant.ifs.cloud:8443');
	});
});

describe('parseBaseUrl', () => {
	it('accepts https and http URLs, trimmed', () => {
		expect(parseBaseUrl('  https://tenant.ifs.cloud  ').origin).toBe(ORIGIN);
		expect(parseBaseUrl('http://localhost:8080/sandbox').host).toBe('localhost:8080');
	});

	it('refuses text that is not a URL', () => {
		expect(refusal(() => parseBaseUrl('tenant.ifs.cloud', 'System URL')).message).toMatch(/System URL "tenant\.ifs\.cloud" is not a valid URL/);
		refusal(() => parseBaseUrl(''));
	});

	it('refuses other schemes', () => {
		expect(refusal(() => parseBaseUrl('ftp://tenant.ifs.cloud')).message).toMatch(/https:\/\//);
		refusal(() => parseBaseUrl('file:///etc/passwd'));
		refusal(() => parseBaseUrl('javascript:alert(1)'));
	});

	it('refuses a user name or password in the URL', () => {
		expect(refusal(() => parseBaseUrl('https://admin:pw@tenant.ifs.cloud')).message).toMatch(/user name or password/);
		refusal(() => parseBaseUrl('https://admin@tenant.ifs.cloud'));
		refusal(() => parseBaseUrl('https://:pw@tenant.ifs.cloud'));
	});
});

describe('assertSameOrigin', () => {
	it('resolves relative links against the base', () => {
		expect(assertSameOrigin("CustomerOrderSet?$skip=5000&$top=5000", BASE)).toBe(`${BASE}CustomerOrderSet?$skip=5000&$top=5000`);
		expect(assertSameOrigin('/main/ifsapplications/projection/v1/Other.svc/Set', BASE)).toBe(
			`${ORIGIN}/main/ifsapplications/projection/v1/Other.svc/Set`,
		);
	});

	it('accepts absolute links to the same origin, whatever the case or default port', () => {
		const next = `${BASE}CustomerOrderSet?$skiptoken='C100'`;
		// Returned as the URL parser writes it (the quote in the query percent-encoded): same target.
		expect(decodeURIComponent(assertSameOrigin(next, BASE))).toBe(next);
		expect(assertSameOrigin('HTTPS://TENANT.IFS.CLOUD:443/main/x', BASE)).toBe(`${ORIGIN}/main/x`);
	});

	it('accepts an explicitly given allowed origin', () => {
		expect(assertSameOrigin('https://tenant.ifs.cloud/x', 'https://tenant.ifs.cloud/root/', 'HTTPS://Tenant.ifs.cloud')).toBe(
			'https://tenant.ifs.cloud/x',
		);
	});

	it.each([
		['another host', 'https://evil.example/steal'],
		['a look-alike host', 'https://tenant.ifs.cloud.evil.example/x'],
		['a sub-domain', 'https://api.tenant.ifs.cloud/x'],
		['another port', 'https://tenant.ifs.cloud:8443/x'],
		['another scheme', 'http://tenant.ifs.cloud/x'],
		['a protocol-relative link', '//evil.example/x'],
		['backslashes (read as slashes by URL parsers)', '\\\\evil.example\\x'],
		['userinfo that hides the real host', 'https://tenant.ifs.cloud@evil.example/x'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a data: URL', 'data:text/plain,hello'],
	])('refuses %s', (_label, target) => {
		const error = refusal(() => assertSameOrigin(target, BASE));
		expect(error.allowedOrigin).toBe(ORIGIN);
		expect(error.message).toMatch(/Refused to send credentials|not a valid URL/);
	});

	it('names the refused origin and the allowed one', () => {
		const error = refusal(() => assertSameOrigin('https://evil.example/a?token=1', BASE));
		expect(error.message).toContain('https://evil.example');
		expect(error.message).toContain(ORIGIN);
		expect(error.url).toBe('https://evil.example/a?token=1');
	});

	it('refuses text that cannot be resolved', () => {
		refusal(() => assertSameOrigin('http://[::1', BASE));
	});
});

describe('assertRelativePath', () => {
	it.each([
		"CustomerOrderSet(OrderNo='C1')",
		'CustomerOrderSet/IfsApp.CustomerOrderHandling.CustomerOrder_Release',
		"Set?$filter=Name eq '..'",
		'a/..b/c',
		'.../x',
		'./Set',
	])('accepts the path %s', (path) => {
		expect(assertRelativePath(path)).toBe(path);
	});

	it('trims surrounding whitespace', () => {
		expect(assertRelativePath('  CustomerOrderSet  ')).toBe('CustomerOrderSet');
	});

	it.each([
		['an absolute URL', 'https://evil.example/x'],
		['an upper-case scheme', 'HTTP://evil.example/x'],
		['another scheme', 'mailto:someone@example.com'],
		['a javascript: URL', 'javascript:alert(1)'],
		['a protocol-relative URL', '//evil.example/x'],
		['leading whitespace before //', '   //evil.example/x'],
		['a backslash', 'a\\b'],
		['leading backslashes', '\\\\evil.example\\x'],
	])('refuses %s', (_label, path) => {
		expect(refusal(() => assertRelativePath(path)).message).toMatch(/not a path/);
	});

	it.each([
		['a bare ..', '..'],
		['a leading ../', '../Other.svc/Set'],
		['an inner ..', 'Set/../../Other.svc'],
		['a trailing ..', 'Set/..'],
		['.. before a query', 'Set/..?$top=1'],
		['encoded %2e%2e', 'Set/%2e%2e/%2e%2e/Other.svc'],
		['encoded %2E%2E', '%2E%2E/Other.svc'],
		['half-encoded .%2e', '.%2e/Other.svc'],
		['half-encoded %2e.', '%2e./Other.svc'],
	])('refuses %s', (_label, path) => {
		expect(refusal(() => assertRelativePath(path)).message).toMatch(/may not leave the API root/);
	});

	// URL parsers treat these as ".." too: new URL('..#x', base) climbs a level, and tabs and
	// newlines inside a URL are dropped before parsing.
	it.each([
		['.. before a fragment', '..#top'],
		['.. split by a tab', '.\t./Other.svc'],
		['.. split by a newline', '.\n./Other.svc'],
	])('refuses %s (a URL parser reads it as a .. segment)', (_label, path) => {
		expect(new URL(path, 'https://h/a/b/c/').pathname.startsWith('/a/b/c/')).toBe(false);
		refusal(() => assertRelativePath(path));
	});
});

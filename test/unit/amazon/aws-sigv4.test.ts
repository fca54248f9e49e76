/**
 * AWS Signature Version 4 against AWS's published expectations:
 * - the "AWS Signature Version 4 test suite" (aws-sig-v4-test-suite, 2015 edition: AKIDEXAMPLE,
 *   20150830T123600Z, us-east-1, service "service", host example.amazonaws.com), the `.authz`
 *   signatures and `.sts` canonical-request hashes;
 * - the IAM ListUsers example from the SigV4 documentation (canonical request hash, signing key,
 *   signature) and the documented key-derivation example (20120215, iam);
 * - the S3 "GET object" example (x-amz-content-sha256, single-encoded path).
 * The expected values are AWS's, copied from those documents; nothing here is produced by our code.
 */
import {
	EMPTY_PAYLOAD_SHA256,
	awsUriEncode,
	buildCanonicalRequest,
	canonicalQueryString,
	canonicalUri,
	deriveSigningKey,
	parseAmzDate,
	sha256Hex,
	signRequest,
	toAmzDate,
} from '../../../nodes/common/awsSigV4';

const SUITE_KEY = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SUITE_DATE = new Date('2015-08-30T12:36:00Z');
const SUITE = { region: 'us-east-1', service: 'service', date: SUITE_DATE };
const HOST = 'https://example.amazonaws.com';
const SUITE_TOKEN =
	'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';

interface Vector {
	name: string;
	method: string;
	/** Path and query as sent (percent-encoded). */
	target: string;
	headers?: Record<string, string | string[]>;
	body?: string;
	signedHeaders: string;
	signature: string;
}

const VECTORS: Vector[] = [
	{ name: 'get-vanilla', method: 'GET', target: '/', signedHeaders: 'host;x-amz-date', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
	{ name: 'get-vanilla-empty-query-key', method: 'GET', target: '/?Param1=value1', signedHeaders: 'host;x-amz-date', signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb' },
	{ name: 'get-vanilla-query-order-key', method: 'GET', target: '/?Param1=value2&Param1=Value1', signedHeaders: 'host;x-amz-date', signature: 'eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1' },
	{ name: 'get-vanilla-query-order-key-case', method: 'GET', target: '/?Param2=value2&Param1=value1', signedHeaders: 'host;x-amz-date', signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
	{
		name: 'get-vanilla-query-unreserved',
		method: 'GET',
		target: '/?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
		signedHeaders: 'host;x-amz-date',
		signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197',
	},
	{ name: 'get-vanilla-utf8-query', method: 'GET', target: '/?%E1%88%B4=bar', signedHeaders: 'host;x-amz-date', signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04' },
	{ name: 'get-unreserved', method: 'GET', target: '/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', signedHeaders: 'host;x-amz-date', signature: '07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f' },
	{ name: 'get-header-key-duplicate', method: 'GET', target: '/', headers: { 'My-Header1': ['value2', 'value2', 'value1'] }, signedHeaders: 'host;my-header1;x-amz-date', signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea' },
	{ name: 'get-header-value-order', method: 'GET', target: '/', headers: { 'My-Header1': ['value4', 'value1', 'value3', 'value2'] }, signedHeaders: 'host;my-header1;x-amz-date', signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01' },
	{ name: 'get-header-value-trim', method: 'GET', target: '/', headers: { 'My-Header1': ' value1', 'My-Header2': '"a   b   c"' }, signedHeaders: 'host;my-header1;my-header2;x-amz-date', signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
	{ name: 'post-vanilla', method: 'POST', target: '/', signedHeaders: 'host;x-amz-date', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
	{ name: 'post-vanilla-query', method: 'POST', target: '/?Param1=value1', signedHeaders: 'host;x-amz-date', signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11' },
	{
		name: 'post-vanilla-query-nonunreserved',
		method: 'POST',
		target: '/?%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D',
		signedHeaders: 'host;x-amz-date',
		signature: '66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e',
	},
	{ name: 'post-header-key-sort', method: 'POST', target: '/', headers: { 'My-Header1': 'value1' }, signedHeaders: 'host;my-header1;x-amz-date', signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c' },
	{ name: 'post-header-value-case', method: 'POST', target: '/', headers: { 'My-Header1': 'VALUE1' }, signedHeaders: 'host;my-header1;x-amz-date', signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d' },
	{
		name: 'post-x-www-form-urlencoded',
		method: 'POST',
		target: '/',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: 'Param1=value1',
		signedHeaders: 'content-type;host;x-amz-date',
		signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
	},
	{
		name: 'post-x-www-form-urlencoded-parameters',
		method: 'POST',
		target: '/',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf8' },
		body: 'Param1=value1',
		signedHeaders: 'content-type;host;x-amz-date',
		signature: '1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe',
	},
];

describe('AWS SigV4 test suite (2015)', () => {
	it.each(VECTORS)('$name', (vector) => {
		const signed = signRequest({ method: vector.method, url: `${HOST}${vector.target}`, headers: vector.headers, body: vector.body }, SUITE_KEY, SUITE);
		expect(signed.signedHeaders).toBe(vector.signedHeaders);
		expect(signed.signature).toBe(vector.signature);
		expect(signed.authorization).toBe(
			`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=${vector.signedHeaders}, Signature=${vector.signature}`,
		);
		expect(signed.headers['x-amz-date']).toBe('20150830T123600Z');
	});

	it('get-vanilla: the canonical request hashes to the value in get-vanilla.sts', () => {
		const signed = signRequest({ method: 'GET', url: `${HOST}/` }, SUITE_KEY, SUITE);
		expect(signed.canonicalRequest).toBe(`GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n${EMPTY_PAYLOAD_SHA256}`);
		expect(signed.stringToSign).toBe(
			'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63',
		);
	});

	it('post-x-www-form-urlencoded: the payload hash of "Param1=value1"', () => {
		const signed = signRequest({ method: 'POST', url: `${HOST}/`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Param1=value1' }, SUITE_KEY, SUITE);
		expect(signed.payloadHash).toBe('9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e');
	});

	it('post-sts-header-before: the session token is a signed header', () => {
		const signed = signRequest({ method: 'POST', url: `${HOST}/` }, { ...SUITE_KEY, sessionToken: SUITE_TOKEN }, SUITE);
		expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-security-token');
		expect(signed.stringToSign.split('\n')[3]).toBe('c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6');
		expect(signed.signature).toBe('85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead');
		expect(signed.headers['x-amz-security-token']).toBe(SUITE_TOKEN);
	});

	it('post-sts-header-after: the token is added after signing (the signature is post-vanilla\'s)', () => {
		const signed = signRequest({ method: 'POST', url: `${HOST}/` }, { ...SUITE_KEY, sessionToken: SUITE_TOKEN }, { ...SUITE, signSessionToken: false });
		expect(signed.signedHeaders).toBe('host;x-amz-date');
		expect(signed.signature).toBe('5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b');
		expect(signed.headers['x-amz-security-token']).toBe(SUITE_TOKEN);
	});
});

describe('AWS documentation examples', () => {
	it('IAM ListUsers: canonical request hash, signing key and signature', () => {
		const signed = signRequest(
			{ method: 'GET', url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } },
			SUITE_KEY,
			{ region: 'us-east-1', service: 'iam', date: SUITE_DATE },
		);
		expect(sha256Hex(signed.canonicalRequest)).toBe('f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59');
		expect(deriveSigningKey(SUITE_KEY.secretAccessKey, '20150830', 'us-east-1', 'iam').toString('hex')).toBe('c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9');
		expect(signed.signature).toBe('5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7');
		expect(signed.authorization).toBe(
			'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
		);
	});

	it('key derivation example (20120215, us-east-1, iam)', () => {
		expect(deriveSigningKey(SUITE_KEY.secretAccessKey, '20120215', 'us-east-1', 'iam').toString('hex')).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
	});

	it('S3 GET object: x-amz-content-sha256 signed, path encoded once', () => {
		const signed = signRequest(
			{ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt', headers: { Range: 'bytes=0-9' } },
			{ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
			{ region: 'us-east-1', service: 's3', date: new Date('2013-05-24T00:00:00Z'), contentSha256Header: true, normalizePath: false },
		);
		expect(signed.signedHeaders).toBe('host;range;x-amz-content-sha256;x-amz-date');
		expect(sha256Hex(signed.canonicalRequest)).toBe('7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
		expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
		expect(signed.headers['x-amz-content-sha256']).toBe(EMPTY_PAYLOAD_SHA256);
	});
});

describe('canonicalisation rules', () => {
	it('AWS URI encoding keeps only unreserved characters', () => {
		expect(awsUriEncode("a b/+%='!*()~-._日")).toBe('a%20b%2F%2B%25%3D%27%21%2A%28%29~-._%E6%97%A5');
	});

	it('paths: non-S3 services encode the wire path again and drop dot segments; S3 keeps it', () => {
		expect(canonicalUri('/123456789012/my-queue')).toBe('/123456789012/my-queue');
		expect(canonicalUri('/a%20b/c')).toBe('/a%2520b/c');
		expect(canonicalUri('/a/./b/../c')).toBe('/a/c');
		expect(canonicalUri('')).toBe('/');
		expect(canonicalUri('/a%20b/c', false)).toBe('/a%20b/c');
	});

	it('query: decoded, re-encoded, sorted by name then value; empty values kept', () => {
		expect(canonicalQueryString('?b=2&a=1&a=0&c')).toBe('a=0&a=1&b=2&c=');
		expect(canonicalQueryString('x=a+b&y=%7E')).toBe('x=a%2Bb&y=~');
		expect(canonicalQueryString('')).toBe('');
	});

	it('headers: only signable headers are signed, names lower-cased, values trimmed', () => {
		const signed = signRequest(
			{ method: 'POST', url: 'https://sqs.eu-west-1.amazonaws.com/', headers: { 'User-Agent': 'n8n', 'Content-Length': '2', 'X-Amz-Target': ' AmazonSQS.ReceiveMessage ' }, body: '{}' },
			SUITE_KEY,
			{ region: 'eu-west-1', service: 'sqs', date: SUITE_DATE },
		);
		expect(signed.signedHeaders).toBe('host;x-amz-date;x-amz-target');
		expect(signed.canonicalRequest).toContain('x-amz-target:AmazonSQS.ReceiveMessage\n');
		expect(signed.canonicalRequest.endsWith(sha256Hex('{}'))).toBe(true);
	});

	it('the host header carries a non-default port', () => {
		const signed = signRequest({ method: 'GET', url: 'https://localhost:8443/' }, SUITE_KEY, SUITE);
		expect(signed.canonicalRequest).toContain('host:localhost:8443\n');
	});

	it('buildCanonicalRequest reproduces what signRequest signed (used by verifiers)', () => {
		const signed = signRequest({ method: 'POST', url: `${HOST}/?Param1=value1`, headers: { 'My-Header1': 'value1' } }, SUITE_KEY, SUITE);
		const rebuilt = buildCanonicalRequest({
			method: 'POST',
			path: '/',
			query: 'Param1=value1',
			headers: { host: 'example.amazonaws.com', 'my-header1': 'value1', 'x-amz-date': '20150830T123600Z' },
			signedHeaders: ['host', 'my-header1', 'x-amz-date'],
			payloadHash: EMPTY_PAYLOAD_SHA256,
		});
		expect(rebuilt).toBe(signed.canonicalRequest);
	});

	it('amz dates round-trip; malformed ones are refused', () => {
		expect(toAmzDate(SUITE_DATE)).toBe('20150830T123600Z');
		expect(parseAmzDate('20150830T123600Z')?.toISOString()).toBe('2015-08-30T12:36:00.000Z');
		expect(parseAmzDate('2015-08-30T12:36:00Z')).toBeUndefined();
		expect(parseAmzDate('20151330T123600Z')).toBeUndefined();
	});

	it('a different secret, region or body gives a different signature', () => {
		const base = signRequest({ method: 'POST', url: `${HOST}/`, body: 'a' }, SUITE_KEY, SUITE).signature;
		expect(signRequest({ method: 'POST', url: `${HOST}/`, body: 'b' }, SUITE_KEY, SUITE).signature).not.toBe(base);
		expect(signRequest({ method: 'POST', url: `${HOST}/`, body: 'a' }, { ...SUITE_KEY, secretAccessKey: 'other' }, SUITE).signature).not.toBe(base);
		expect(signRequest({ method: 'POST', url: `${HOST}/`, body: 'a' }, SUITE_KEY, { ...SUITE, region: 'eu-west-1' }).signature).not.toBe(base);
	});
});

/**
 * JSON_LISTINGS_FEED documents against Amazon's listings-feed-schema-v2.json (draft-07), and
 * notification payloads against the stored notification schemas.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { NOTIFICATION_SCHEMAS, defaultModelsDir, validateJsonListingsFeed, validateJsonSchemaFile, validateNotificationPayload } from './spapi-contract';

const dir = defaultModelsDir();
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, any>;

function feed(...messages: unknown[]) {
	return { header: { sellerId: 'A3SELLER', version: '2.0', issueLocale: 'en_US' }, messages };
}

const patchMessage = (overrides: Record<string, unknown> = {}) => ({
	messageId: 1,
	sku: 'SKU-1',
	operationType: 'PATCH',
	productType: 'PRODUCT',
	patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 10 }] }],
	...overrides,
});

describe('validateJsonListingsFeed', () => {
	it("Amazon's own example feed (DELETE, PARTIAL_UPDATE, UPDATE, PATCH replace and merge) is valid", () => {
		expect(validateJsonListingsFeed(readJson('listings-feed-schema-v2.example.json'))).toEqual({ violations: [] });
	});

	it('the feed the node builds for MFN quantities is valid', () => {
		expect(validateJsonListingsFeed(feed(patchMessage(), patchMessage({ messageId: 2, sku: 'SKU/2 +x' })))).toEqual({ violations: [] });
	});

	it('a message missing sku', () => {
		const { sku: _sku, ...withoutSku } = patchMessage();
		expect(validateJsonListingsFeed(feed(withoutSku)).violations).toEqual(['$.messages[0]: required property "sku" is missing']);
	});

	it('an empty sku, messageId 0, a bad patch op, a wrong version', () => {
		const doc = feed(patchMessage({ sku: '', messageId: 0, patches: [{ op: 'move', path: '/attributes/fulfillment_availability' }] }));
		doc.header.version = '1.0';
		expect(validateJsonListingsFeed(doc).violations).toEqual([
			'$.header.version: "1.0" must be "2.0"',
			'$.messages[0].messageId: 0 is less than the minimum 1',
			'$.messages[0].sku: "" is shorter than 1 character(s)',
			'$.messages[0].patches[0].op: "move" is not one of add, replace, merge, delete',
		]);
	});

	it('operationType rules (oneOf) are explained with the branch that applies', () => {
		expect(validateJsonListingsFeed(feed(patchMessage({ attributes: { item_name: [] } }))).violations).toEqual([
			'$.messages[0].attributes: is not allowed here ("PATCH" operations require a "productType" and "patches"; "requirements" and "attributes" are not applicable to "PATCH" operations.)',
		]);
		expect(validateJsonListingsFeed(feed({ messageId: 1, sku: 'S', operationType: 'PATCH', productType: 'PRODUCT' })).violations).toEqual([
			'$.messages[0]: required property "patches" is missing ("PATCH" operations require a "productType" and "patches"; "requirements" and "attributes" are not applicable to "PATCH" operations.)',
		]);
		expect(validateJsonListingsFeed(feed({ messageId: 1, sku: 'S', operationType: 'DELETE', productType: 'PRODUCT' })).violations).toEqual([
			'$.messages[0].productType: is not allowed here ("requirements", "attributes", "productType", and "patches" are not applicable to "DELETE" operations.)',
		]);
		expect(validateJsonListingsFeed(feed({ messageId: 1, sku: 'S', operationType: 'PARTIAL_UPDATE', productType: 'PRODUCT', attributes: {} })).violations).toEqual([
			'$.messages[0].attributes: has 0 properties, fewer than the minimum 1',
		]);
	});

	it('an unknown operationType fails the enum and every alternative', () => {
		expect(validateJsonListingsFeed(feed({ messageId: 1, sku: 'S', operationType: 'UPSERT' })).violations).toEqual([
			'$.messages[0].operationType: "UPSERT" is not one of UPDATE, PARTIAL_UPDATE, PATCH, DELETE',
			'$.messages[0]: matches none of the 4 oneOf alternatives (closest, #2: $.messages[0].operationType: "UPSERT" must be "DELETE")',
		]);
	});

	it('header and document structure; unknown properties are flagged unless allowed', () => {
		expect(validateJsonListingsFeed({ header: { version: '2.0', report: { includedData: [] } }, messages: [] }).violations).toEqual([
			'$.header: required property "sellerId" is missing',
			'$.header.report: required property "apiVersion" is missing',
			'$.header.report.includedData: has 0 item(s), fewer than the minimum 1',
			'$.messages: has 0 item(s), fewer than the minimum 1',
		]);
		expect(validateJsonListingsFeed([]).violations).toEqual(['$: expected object, got array']);
		const typo = feed(patchMessage({ quantity: 5 }));
		expect(validateJsonListingsFeed(typo).violations).toEqual(['$.messages[0].quantity: unknown property (not defined in the schema)']);
		expect(validateJsonListingsFeed(typo, { unknownProperties: 'allow' }).violations).toEqual([]);
	});

	it('at most 25 000 messages', () => {
		const many = Array.from({ length: 25001 }, (_, i) => ({ messageId: i + 1, sku: `S${i}`, operationType: 'DELETE' }));
		expect(validateJsonListingsFeed(feed(...many)).violations).toEqual(['$.messages: has 25001 item(s), more than the maximum 25000']);
	});
});

describe('notification payloads', () => {
	it.each(Object.entries(NOTIFICATION_SCHEMAS))('the examples in the %s schema (%s) are valid', (type, file) => {
		const schema = readJson(file);
		const examples = (schema.examples ?? []) as unknown[];
		for (const example of examples) expect(validateNotificationPayload(type, example)).toEqual({ violations: [] });
	});

	it('an ORDER_CHANGE payload without NotificationMetadata or with a bad enum', () => {
		const example = readJson('OrderChangeNotification.json').examples[0];
		const { NotificationMetadata: _m, ...rest } = example;
		expect(validateNotificationPayload('ORDER_CHANGE', rest).violations).toEqual(['$: required property "NotificationMetadata" is missing']);
		const bad = JSON.parse(JSON.stringify(example));
		bad.Payload.OrderChangeNotification.OrderChangeType = 'Whatever';
		expect(validateNotificationPayload('ORDER_CHANGE', bad).violations).toEqual([
			'$.Payload.OrderChangeNotification.OrderChangeType: "Whatever" is not one of BuyerRequestedChange, DeliveryTipChange, OrderStatusChange',
		]);
		// Received payloads are open: fields Amazon adds later are not violations.
		expect(validateNotificationPayload('ORDER_CHANGE', { ...example, NewField: 1 }).violations).toEqual([]);
		expect(() => validateNotificationPayload('ANY_OFFER_CHANGED', {})).toThrow(/No stored schema/);
	});

	it('the feed processing report schema is usable too', () => {
		expect(
			validateJsonSchemaFile('listings-feed-processing-report-schema-v2.json', {
				header: { sellerId: 'A3SELLER', version: '2.0', feedId: '123' },
				issues: [],
				summary: { errors: 0, warnings: 0, messagesProcessed: 1, messagesAccepted: 1, messagesInvalid: 0 },
			}).violations,
		).toEqual([]);
	});
});

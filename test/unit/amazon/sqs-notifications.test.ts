/**
 * Parsing SP-API notifications from SQS bodies: every type with an official schema (Amazon's own
 * examples and our builders, which are validated against the schemas first), both casings, SNS
 * envelopes, and bodies that are not notifications.
 */
import { loadJsonSchemaDocument, NOTIFICATION_SCHEMAS, validateNotificationPayload } from '../../contract/spapi-contract';
import { parseNotificationBody, typeSelected } from '../../../nodes/AmazonSellerCentral/sqs/notifications';
import { BUILDERS, SCHEMA_KINDS, notificationIdOf } from '../../sandbox/sqs/notifications';

describe('notification fixtures match Amazon\'s schemas', () => {
	it.each(SCHEMA_KINDS)('%s builder output is valid', (kind) => {
		for (let n = 1; n <= 5; n++) {
			expect(validateNotificationPayload(kind, BUILDERS[kind]({ n })).violations).toEqual([]);
		}
	});

	it('every stored notification schema is covered by a builder', () => {
		expect(Object.keys(NOTIFICATION_SCHEMAS).sort()).toEqual([...SCHEMA_KINDS].sort());
	});
});

describe('parseNotificationBody', () => {
	it.each(Object.entries(NOTIFICATION_SCHEMAS))('Amazon\'s own %s examples parse', (type, file) => {
		const examples = (loadJsonSchemaDocument(file).examples as unknown[] | undefined) ?? [];
		for (const example of examples) {
			const parsed = parseNotificationBody(JSON.stringify(example));
			expect(parsed).toMatchObject({ ok: true, notificationType: type });
		}
	});

	it('ORDER_CHANGE (PascalCase): order id, seller, status, marketplace, SKUs', () => {
		const body = BUILDERS.ORDER_CHANGE({ n: 7, notificationId: 'n-oc-7' });
		const parsed = parseNotificationBody(JSON.stringify(body));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.notificationId).toBe('n-oc-7');
		expect(parsed.summary).toEqual({
			notificationType: 'ORDER_CHANGE',
			notificationId: 'n-oc-7',
			eventTime: body.EventTime,
			publishTime: (body.NotificationMetadata as Record<string, string>).PublishTime,
			payloadVersion: '1.0',
			notificationVersion: '1.0',
			applicationId: expect.stringMatching(/^amzn1\.sellerapps\.app\./),
			subscriptionId: 'subscription-id-n-oc-7',
			sellerId: 'A3TH9S8BH6GOGM',
			amazonOrderId: expect.stringMatching(/^\d{3}-\d{7}-\d{7}$/),
			orderChangeType: 'OrderStatusChange',
			notificationLevel: 'OrderLevel',
			marketplaceId: 'ATVPDKIKX0DER',
			orderStatus: 'Unshipped',
			fulfillmentType: 'MFN',
			skus: ['SKU-7-A', 'SKU-7-B'],
		});
		expect(parsed.notification).toEqual(body);
	});

	it('REPORT_PROCESSING_FINISHED (camelCase): report id, type, status and document id', () => {
		const body = BUILDERS.REPORT_PROCESSING_FINISHED({ n: 3, notificationId: 'n-rpf' });
		const parsed = parseNotificationBody(JSON.stringify(body));
		if (!parsed.ok) throw new Error(parsed.error);
		const report = (body.payload as Record<string, Record<string, string>>).reportProcessingFinishedNotification;
		expect(parsed.summary).toMatchObject({
			notificationType: 'REPORT_PROCESSING_FINISHED',
			notificationId: 'n-rpf',
			eventTime: body.eventTime,
			publishTime: (body.notificationMetadata as Record<string, string>).publishTime,
			sellerId: 'A3TH9S8BH6GOGM',
			accountId: 'amzn1.merchant.o.A3TH9S8BH6GOGM',
			reportId: report.reportId,
			reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
			processingStatus: 'DONE',
			reportDocumentId: report.reportDocumentId,
		});
	});

	it('Amazon\'s vendor-group REPORT_PROCESSING_FINISHED example has no sellerId (null)', () => {
		const example = (loadJsonSchemaDocument('ReportProcessingFinishedNotification.json').examples as unknown[])[1];
		const parsed = parseNotificationBody(JSON.stringify(example));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.summary.sellerId).toBeNull();
		expect(parsed.summary.accountId).toBe('amzn1.vg.6213651');
		expect(parsed.summary.processingStatus).toBe('CANCELLED');
	});

	it('TRANSACTION_UPDATE: seller, marketplace, type, amount and the related order id', () => {
		const body = BUILDERS.TRANSACTION_UPDATE({ n: 4 });
		const parsed = parseNotificationBody(JSON.stringify(body));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.summary).toMatchObject({
			sellerId: 'A3TH9S8BH6GOGM',
			marketplaceId: 'ATVPDKIKX0DER',
			accountType: 'PAYABLE',
			transactionType: 'Shipment',
			totalAmount: { currencyAmount: 14.25, currencyCode: 'USD' },
			amazonOrderId: expect.stringMatching(/^\d{3}-\d{7}-\d{7}$/),
		});
	});

	it('FBA_INVENTORY_AVAILABILITY_CHANGES: SKU, ASIN, FNSKU and marketplaces', () => {
		const parsed = parseNotificationBody(JSON.stringify(BUILDERS.FBA_INVENTORY_AVAILABILITY_CHANGES({ n: 12 })));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.summary).toMatchObject({ sellerId: 'A3TH9S8BH6GOGM', sku: 'FBA-SKU-12', asin: 'B000000012', fnsku: 'X000000012', marketplaceIds: ['ATVPDKIKX0DER'] });
	});

	it('LISTINGS_ITEM_MFN_QUANTITY_CHANGE: SKU, quantity, channel', () => {
		const parsed = parseNotificationBody(JSON.stringify(BUILDERS.LISTINGS_ITEM_MFN_QUANTITY_CHANGE({ n: 42 })));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.summary).toMatchObject({ sellerId: 'A3TH9S8BH6GOGM', sku: 'MFN-SKU-42', quantity: 42, fulfillmentChannelCode: 'DEFAULT' });
	});

	it('FEED_PROCESSING_FINISHED (camelCase, no stored schema): feed id, type, status, result document', () => {
		const parsed = parseNotificationBody(JSON.stringify(BUILDERS.FEED_PROCESSING_FINISHED({ n: 2 })));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.summary).toMatchObject({ sellerId: 'A3TH9S8BH6GOGM', feedId: '7002', feedType: 'JSON_LISTINGS_FEED', processingStatus: 'DONE', resultFeedDocumentId: expect.stringMatching(/^amzn1\.tortuga\.4\./) });
	});

	it('types without a dedicated reader still get seller, ASIN and marketplace from the payload', () => {
		const body = {
			NotificationVersion: '1.0',
			NotificationType: 'ANY_OFFER_CHANGED',
			PayloadVersion: '1.0',
			EventTime: '2026-10-01T00:00:00Z',
			Payload: { AnyOfferChangedNotification: { SellerId: 'A1SELLER', OfferChangeTrigger: { MarketplaceId: 'A1PA6795UKMFR9', ASIN: 'B0TEST0001' } } },
			NotificationMetadata: { NotificationId: 'n-aoc', PublishTime: '2026-10-01T00:00:01Z' },
		};
		const parsed = parseNotificationBody(JSON.stringify(body));
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.summary).toMatchObject({ notificationType: 'ANY_OFFER_CHANGED', notificationId: 'n-aoc', sellerId: 'A1SELLER', asin: 'B0TEST0001', marketplaceId: 'A1PA6795UKMFR9' });
	});

	it('an SNS envelope is unwrapped', () => {
		const inner = BUILDERS.ORDER_CHANGE({ n: 1 });
		const envelope = { Type: 'Notification', MessageId: 'sns-1', TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: JSON.stringify(inner) };
		const parsed = parseNotificationBody(JSON.stringify(envelope));
		expect(parsed).toMatchObject({ ok: true, unwrappedFrom: 'sns', notificationId: notificationIdOf(inner) });
	});

	it('a missing notification id is allowed (dedup falls back to the SQS message id)', () => {
		const body = BUILDERS.LISTINGS_ITEM_MFN_QUANTITY_CHANGE({ n: 1 });
		delete body.NotificationMetadata;
		const parsed = parseNotificationBody(JSON.stringify(body));
		expect(parsed).toMatchObject({ ok: true, notificationId: undefined });
	});

	it.each([
		['', /empty body/],
		['not json', /not JSON/],
		['[1,2]', /not an object \(an array\)/],
		['"text"', /not an object \(string\)/],
		['{"hello":"world"}', /no NotificationType/],
		['{"NotificationType":"ORDER_CHANGE"}', /ORDER_CHANGE notification has no Payload/],
		[JSON.stringify({ Type: 'Notification', TopicArn: 'arn:aws:sns:x', Message: 'nope' }), /SNS envelope's Message is not JSON/],
	])('refuses %j with a clear reason', (body, reason) => {
		const parsed = parseNotificationBody(body);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) expect(parsed.error).toMatch(reason);
	});

	it('the type filter: empty passes all', () => {
		expect(typeSelected('ORDER_CHANGE', [])).toBe(true);
		expect(typeSelected('ORDER_CHANGE', ['ORDER_CHANGE'])).toBe(true);
		expect(typeSelected('ORDER_CHANGE', ['REPORT_PROCESSING_FINISHED'])).toBe(false);
	});
});

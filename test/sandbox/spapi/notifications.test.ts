import { checkSchema, type Schema } from '../../contract/json-schema';
import { validateNotificationPayload } from '../../contract/spapi-contract';
import { DEFAULT_APP, DEFAULT_SELLERS, defaultRefreshToken, MARKETPLACE_IDS, startSpApiSandbox, type DeliveredNotification, type NotificationDestination, type SpApiSandbox } from './index';
import { call, grantlessToken, lwaToken, qs, SpApi, waitFor } from './helpers';

const { US, CA } = MARKETPLACE_IDS;
const DESTINATIONS = '/notifications/v1/destinations';
const SUBS = '/notifications/v1/subscriptions';
const ARN = 'arn:aws:sqs:us-east-1:123456789012:ml-connector-notifications';
const SELLER = 'A1SANDBOXNA001';
const SECOND_APP = { clientId: 'amzn1.application-oa2-client.second', clientSecret: 'second-secret' };

/**
 * FEED_PROCESSING_FINISHED has no stored schema in test/contract/models; this is the required
 * structure of Amazon's published FeedProcessingFinishedNotification.json (inferred, not vendored).
 */
const FEED_FINISHED_SCHEMA: Schema = {
	type: 'object',
	required: ['notificationVersion', 'notificationType', 'payloadVersion', 'eventTime', 'payload', 'notificationMetadata'],
	properties: {
		notificationVersion: { type: 'string' },
		notificationType: { const: 'FEED_PROCESSING_FINISHED' },
		payloadVersion: { type: 'string' },
		eventTime: { type: 'string' },
		payload: {
			type: 'object',
			required: ['feedProcessingFinishedNotification'],
			properties: {
				feedProcessingFinishedNotification: {
					type: 'object',
					required: ['accountId', 'feedId', 'feedType', 'processingStatus'],
					properties: {
						sellerId: { type: 'string' },
						accountId: { type: 'string' },
						feedId: { type: 'string' },
						feedType: { type: 'string' },
						processingStatus: { enum: ['CANCELLED', 'DONE', 'FATAL'] },
						resultFeedDocumentId: { type: 'string' },
					},
				},
			},
		},
		notificationMetadata: {
			type: 'object',
			required: ['applicationId', 'subscriptionId', 'publishTime', 'notificationId'],
			properties: { applicationId: { type: 'string' }, subscriptionId: { type: 'string' }, publishTime: { type: 'string' }, notificationId: { type: 'string' } },
		},
	},
};

/** Every delivered body against its schema (test/contract for the five stored types). */
function payloadProblems(d: DeliveredNotification): string[] {
	const parsed = JSON.parse(d.body) as unknown;
	if (d.notificationType === 'FEED_PROCESSING_FINISHED') return checkSchema(FEED_FINISHED_SCHEMA, parsed).map((i) => `${i.path}: ${i.message}`);
	return validateNotificationPayload(d.notificationType, parsed).violations;
}

describe('SP-API sandbox: Notifications v1', () => {
	let sandbox: SpApiSandbox;
	let seller: SpApi;
	let app: SpApi;
	let received: Array<{ destination: NotificationDestination; body: string }>;

	beforeAll(async () => {
		sandbox = await startSpApiSandbox({
			ordersPerSeller: 40,
			rateLimits: false,
			apps: [DEFAULT_APP, SECOND_APP],
			authorizations: [
				...DEFAULT_SELLERS.map((s) => ({ refreshToken: defaultRefreshToken(s.sellerId), clientId: DEFAULT_APP.clientId, sellerId: s.sellerId })),
				{ refreshToken: 'Atzr|second-app-na', clientId: SECOND_APP.clientId, sellerId: SELLER },
			],
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.reset();
		received = [];
		sandbox.notifications.onDeliver = (destination, body) => received.push({ destination, body });
		seller = new SpApi(sandbox, await lwaToken(sandbox));
		app = new SpApi(sandbox, await grantlessToken(sandbox));
	});

	const createSqs = async (arn = ARN, name = 'orders-queue') => {
		const res = await app.post(DESTINATIONS, { name, resourceSpecification: { sqs: { arn } } });
		expect(res.status).toBe(200);
		return res.json.payload.destinationId as string;
	};
	const subscribe = async (type: string, destinationId: string, body: Record<string, unknown> = {}) => {
		const res = await seller.post(`${SUBS}/${type}`, { payloadVersion: type.endsWith('_FINISHED') ? '2020-09-04' : '1.0', destinationId, ...body });
		expect({ type, status: res.status, body: res.json }).toEqual({ type, status: 200, body: expect.anything() });
		return res.json.payload.subscriptionId as string;
	};

	it('token kinds: destinations need a grantless token, subscriptions the seller token, by-id operations grantless again', async () => {
		const asSeller = await seller.get(DESTINATIONS);
		expect(asSeller.status).toBe(403);
		expect(asSeller.json.errors[0]).toEqual({ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: expect.stringContaining('grantless') });
		expect(asSeller.headers.get('x-amzn-ratelimit-limit')).toBeNull();
		const destinationId = await createSqs();
		const asApp = await app.post(`${SUBS}/ORDER_CHANGE`, { payloadVersion: '1.0', destinationId });
		expect(asApp.status).toBe(403);
		expect(asApp.json.errors[0].details).toContain('grantless token cannot be used for createSubscription');
		const subscriptionId = await subscribe('ORDER_CHANGE', destinationId);
		expect((await seller.get(`${SUBS}/ORDER_CHANGE/${subscriptionId}`)).status).toBe(403);
		expect((await app.get(`${SUBS}/ORDER_CHANGE`)).status).toBe(403);
		expect((await app.get(`${SUBS}/ORDER_CHANGE/${subscriptionId}`)).json.payload).toEqual({ subscriptionId, payloadVersion: '1.0', destinationId });
		// The rotation scope is grantless too, but not for notifications.
		const rotation = new SpApi(sandbox, await grantlessToken(sandbox, sandbox.credentials(), 'sellingpartnerapi::client_credential:rotation'));
		const wrongScope = await rotation.get(DESTINATIONS);
		expect(wrongScope.status).toBe(403);
		expect(wrongScope.json.errors[0].details).toContain('sellingpartnerapi::notifications');
		// A grantless token is not region-bound; destinations are kept per region.
		const euApp = new SpApi(sandbox, app.token, 'eu');
		expect((await euApp.get(DESTINATIONS)).json).toEqual({ payload: [] });
		expect((await new SpApi(sandbox, 'Atza|nope').get(DESTINATIONS)).status).toBe(403);
	});

	it('destinations: SQS and EventBridge; ARN rules; duplicates are 409; per application; delete needs no subscriptions', async () => {
		const created = await app.post(DESTINATIONS, { name: 'orders-queue', resourceSpecification: { sqs: { arn: ARN } } });
		expect(created.json).toEqual({ payload: { name: 'orders-queue', destinationId: expect.stringMatching(/^[0-9a-f-]{36}$/), resource: { sqs: { arn: ARN } } } });
		expect(created.headers.get('x-amzn-ratelimit-limit')).toBe('1');
		const duplicate = await app.post(DESTINATIONS, { name: 'other name', resourceSpecification: { sqs: { arn: ARN } } });
		expect(duplicate.status).toBe(409);
		expect(duplicate.json.errors[0]).toEqual({
			code: 'Conflict',
			message: 'The requested resource conflict with a resource in the server.',
			details: `A destination with arn ${ARN} already exists for the application ${DEFAULT_APP.applicationId}`,
		});
		for (const arn of ['arn:aws:sqs:us-east-1:12345:q', 'arn:aws:sns:us-east-1:123456789012:q', 'arn:aws:sqs:useast1:123456789012:q', 'arn:aws:sqs:us-east-1:123456789012:', 'arn:aws:sqs:us-east-1:123456789012:q.fifo']) {
			const res = await app.post(DESTINATIONS, { name: 'x', resourceSpecification: { sqs: { arn } } });
			expect({ arn, status: res.status, code: res.json.errors[0].code }).toEqual({ arn, status: 400, code: 'InvalidInput' });
		}
		expect((await app.post(DESTINATIONS, { name: 'x', resourceSpecification: { sqs: { arn: ARN.replace('ml', 'b') }, eventBridge: { region: 'us-east-1', accountId: '123456789012' } } })).status).toBe(400);
		expect((await app.post(DESTINATIONS, { resourceSpecification: { sqs: { arn: ARN } } })).status).toBe(400);
		expect((await app.post(DESTINATIONS, { name: 'x' })).status).toBe(400);
		const eb = await app.post(DESTINATIONS, { name: 'bus', resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } } });
		expect(eb.json.payload.resource).toEqual({ eventBridge: { name: expect.stringMatching(/^aws\.partner\/sellingpartnerapi\.amazon\/123456789012\//), region: 'us-east-1', accountId: '123456789012' } });
		expect((await app.post(DESTINATIONS, { name: 'bus2', resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '123456789012' } } })).status).toBe(409);
		expect((await app.post(DESTINATIONS, { name: 'bus3', resourceSpecification: { eventBridge: { region: 'us-east-1', accountId: '1234' } } })).status).toBe(400);

		const list = await app.get(DESTINATIONS);
		expect(list.json.payload.map((d: any) => d.name)).toEqual(['orders-queue', 'bus']);
		// Grantless tokens belong to an application: the second app sees none of these and may reuse the ARN.
		const second = new SpApi(sandbox, await grantlessToken(sandbox, SECOND_APP));
		expect((await second.get(DESTINATIONS)).json).toEqual({ payload: [] });
		expect((await second.get(`${DESTINATIONS}/${created.json.payload.destinationId}`)).status).toBe(404);
		expect((await second.post(DESTINATIONS, { name: 'mine', resourceSpecification: { sqs: { arn: ARN } } })).status).toBe(200);

		const id = created.json.payload.destinationId;
		expect((await app.get(`${DESTINATIONS}/${id}`)).json.payload.name).toBe('orders-queue');
		const subscriptionId = await subscribe('ORDER_CHANGE', id);
		const busy = await app.delete(`${DESTINATIONS}/${id}`);
		expect(busy.status).toBe(403);
		expect(busy.json.errors[0]).toEqual({ code: 'Unauthorized', message: 'The requested action is forbidden.', details: 'Destination has subscriptions' });
		expect((await app.delete(`${SUBS}/ORDER_CHANGE/${subscriptionId}`)).json).toEqual({});
		expect((await app.delete(`${DESTINATIONS}/${id}`)).json).toEqual({});
		const gone = await app.get(`${DESTINATIONS}/${id}`);
		expect(gone.status).toBe(404);
		expect(gone.json.errors[0].code).toBe('NotFound');
	});

	it('subscriptions: 409 for a second one of a type; unknown destination, payloadVersion and processingDirective rules are 400; get / list / by id / delete', async () => {
		const destinationId = await createSqs();
		const created = await seller.post(`${SUBS}/ORDER_CHANGE`, {
			payloadVersion: '1.0',
			destinationId,
			processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'], marketplaceIds: [US] } },
		});
		expect(created.json).toEqual({
			payload: {
				subscriptionId: expect.any(String),
				payloadVersion: '1.0',
				destinationId,
				processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'], marketplaceIds: [US] } },
			},
		});
		const again = await seller.post(`${SUBS}/ORDER_CHANGE`, { payloadVersion: '1.0', destinationId });
		expect(again.status).toBe(409);
		expect(again.json.errors[0]).toEqual({ code: 'StateConflict', message: 'The resource specified conflicts with the current state.', details: 'Subscription already exist for notification type ORDER_CHANGE' });

		const bad = async (type: string, body: Record<string, unknown>, text: string) => {
			const res = await seller.post(`${SUBS}/${type}`, body);
			expect({ type, status: res.status, text: `${res.json.errors[0].message} ${res.json.errors[0].details ?? ''}`.includes(text) }).toEqual({ type, status: 400, text: true });
		};
		await bad('REPORT_PROCESSING_FINISHED', { payloadVersion: '2020-09-04', destinationId: 'nope' }, "No destination with id 'nope'");
		await bad('REPORT_PROCESSING_FINISHED', { payloadVersion: '1.0', destinationId }, '2020-09-04');
		await bad('REPORT_PROCESSING_FINISHED', { destinationId }, 'payloadVersion');
		await bad('NOT_A_TYPE', { payloadVersion: '1.0', destinationId }, 'Invalid notification type');
		await bad('REPORT_PROCESSING_FINISHED', { payloadVersion: '2020-09-04', destinationId, processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE' } } }, 'does not support eventFilter');
		await bad('ANY_OFFER_CHANGED', { payloadVersion: '1.0', destinationId, processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE' } } }, 'use ANY_OFFER_CHANGED');
		await bad('ANY_OFFER_CHANGED', { payloadVersion: '1.0', destinationId, processingDirective: { eventFilter: { eventFilterType: 'ANY_OFFER_CHANGED' }, filterExpression: 'x == 1' } }, 'mutually exclusive');
		await bad('ANY_OFFER_CHANGED', { payloadVersion: '1.0', destinationId, processingDirective: { eventFilter: { eventFilterType: 'ANY_OFFER_CHANGED', orderChangeTypes: ['OrderStatusChange'] } } }, 'ORDER_CHANGE only');
		await bad('ANY_OFFER_CHANGED', { payloadVersion: '1.0', destinationId, processingDirective: { eventFilter: { eventFilterType: 'ANY_OFFER_CHANGED', aggregationSettings: { aggregationTimePeriod: 'OneMinute' } } } }, 'FiveMinutes');
		await bad('LISTINGS_ITEM_MFN_QUANTITY_CHANGE', { payloadVersion: '1.0', destinationId, processingDirective: { filterExpression: '' } }, 'filterExpression');
		const anyOffer = await seller.post(`${SUBS}/ANY_OFFER_CHANGED`, {
			payloadVersion: '1.0',
			destinationId,
			processingDirective: { eventFilter: { eventFilterType: 'ANY_OFFER_CHANGED', aggregationSettings: { aggregationTimePeriod: 'FiveMinutes' }, marketplaceIds: [US] } },
		});
		expect(anyOffer.status).toBe(200);

		const one = await seller.get(`${SUBS}/ORDER_CHANGE`);
		expect(one.json.payload.subscriptionId).toBe(created.json.payload.subscriptionId);
		expect((await seller.get(`${SUBS}/ORDER_CHANGE${qs({ payloadVersion: '2.0' })}`)).status).toBe(404);
		const none = await seller.get(`${SUBS}/FEED_PROCESSING_FINISHED`);
		expect(none.status).toBe(404);
		expect(none.json.errors[0].code).toBe('NotFound');
		const list = await seller.get(`${SUBS}${qs({ notificationTypes: 'ORDER_CHANGE' })}`);
		expect(list.json).toEqual({ payload: { subscriptions: [created.json.payload] } });
		expect((await seller.get(SUBS)).status).toBe(400);
		expect((await seller.get(`${SUBS}${qs({ notificationTypes: 'ORDER_CHANGE,ANY_OFFER_CHANGED' })}`)).status).toBe(400);
		expect((await seller.get(`${SUBS}${qs({ notificationTypes: 'ORDER_CHANGE', pageSize: 10 })}`)).status).toBe(400);
		// Subscriptions are per seller: the EU seller has none, and may subscribe to the same type.
		const eu = new SpApi(sandbox, await lwaToken(sandbox, sandbox.credentials('eu')), 'eu');
		expect((await eu.get(`${SUBS}/ORDER_CHANGE`)).status).toBe(404);
		const id = created.json.payload.subscriptionId;
		expect((await app.get(`${SUBS}/ANY_OFFER_CHANGED/${id}`)).status).toBe(404);
		expect((await app.delete(`${SUBS}/ORDER_CHANGE/${id}`)).status).toBe(200);
		expect((await app.get(`${SUBS}/ORDER_CHANGE/${id}`)).status).toBe(404);
		expect((await seller.get(`${SUBS}/ORDER_CHANGE`)).status).toBe(404);
	});

	it('ORDER_CHANGE on data.addOrder / updateOrder: the SQS body with NotificationMetadata, valid against the schema; eventFilter applies', async () => {
		const destinationId = await createSqs();
		const subscriptionId = await subscribe('ORDER_CHANGE', destinationId, { processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', marketplaceIds: [US] } } });
		const order = sandbox.data.addOrder({ marketplaceId: US, fulfillmentChannel: 'MFN' });
		sandbox.data.addOrder({ marketplaceId: CA });
		sandbox.data.updateOrder(order.amazonOrderId, { status: 'Shipped' });
		expect(received).toHaveLength(2);
		expect(received[0].destination).toMatchObject({ destinationId, resource: { sqs: { arn: ARN } } });
		const [created, shipped] = received.map((r) => JSON.parse(r.body));
		expect(created).toEqual({
			NotificationVersion: '1.0',
			NotificationType: 'ORDER_CHANGE',
			PayloadVersion: '1.0',
			EventTime: expect.any(String),
			Payload: {
				OrderChangeNotification: expect.objectContaining({
					NotificationLevel: 'OrderLevel',
					SellerId: SELLER,
					AmazonOrderId: order.amazonOrderId,
					OrderChangeType: 'OrderStatusChange',
					Summary: expect.objectContaining({ MarketplaceId: US, OrderStatus: 'Unshipped', FulfillmentType: 'MFN', OrderItems: expect.any(Array) }),
				}),
			},
			NotificationMetadata: { ApplicationId: DEFAULT_APP.applicationId, SubscriptionId: subscriptionId, PublishTime: expect.any(String), NotificationId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
		});
		expect(shipped.Payload.OrderChangeNotification.Summary.OrderStatus).toBe('Shipped');
		expect(shipped.NotificationMetadata.NotificationId).not.toBe(created.NotificationMetadata.NotificationId);
		for (const d of sandbox.notifications.deliveries()) expect(payloadProblems(d)).toEqual([]);
		// Only OrderStatusChange? BuyerRequestedChange-only subscriptions hear nothing of status changes.
		await app.delete(`${SUBS}/ORDER_CHANGE/${subscriptionId}`);
		await subscribe('ORDER_CHANGE', destinationId, { processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['BuyerRequestedChange'] } } });
		sandbox.data.updateOrder(order.amazonOrderId, { status: 'Shipped' });
		expect(received).toHaveLength(2);
	});

	it('REPORT_PROCESSING_FINISHED (camelCase) reaches only the app that created the report; also for cancelled reports; ORDER_CHANGE reaches every app', async () => {
		const destinationId = await createSqs();
		await subscribe('REPORT_PROCESSING_FINISHED', destinationId);
		await subscribe('ORDER_CHANGE', destinationId);
		// A second app authorized by the same seller, with its own queue and subscriptions.
		const secondApp = new SpApi(sandbox, await grantlessToken(sandbox, SECOND_APP));
		const secondDestination = (await secondApp.post(DESTINATIONS, { name: 'second', resourceSpecification: { sqs: { arn: ARN.replace('ml-connector', 'other-app') } } })).json.payload.destinationId;
		const secondSeller = new SpApi(sandbox, await lwaToken(sandbox, sandbox.authorizations.find((a) => a.clientId === SECOND_APP.clientId)));
		for (const type of ['REPORT_PROCESSING_FINISHED', 'ORDER_CHANGE']) {
			const res = await secondSeller.post(`${SUBS}/${type}`, { payloadVersion: type === 'ORDER_CHANGE' ? '1.0' : '2020-09-04', destinationId: secondDestination });
			expect(res.status).toBe(200);
		}
		sandbox.data.addOrder();
		expect(sandbox.notifications.deliveries({ notificationType: 'ORDER_CHANGE' }).map((d) => d.destinationId).sort()).toEqual([destinationId, secondDestination].sort());
		const created = (await seller.post('/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US] })).json.reportId;
		for (let i = 0; i < 3; i++) await seller.get(`/reports/2021-06-30/reports/${created}`);
		const cancelled = (await seller.post('/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US] })).json.reportId;
		await seller.delete(`/reports/2021-06-30/reports/${cancelled}`);
		sandbox.addReport({ reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', content: 'x' });
		const deliveries = sandbox.notifications.deliveries({ notificationType: 'REPORT_PROCESSING_FINISHED' });
		expect(deliveries).toHaveLength(2);
		expect(deliveries.map((d) => d.destinationId)).toEqual([destinationId, destinationId]);
		for (const d of deliveries) expect(payloadProblems(d)).toEqual([]);
		const [done, cancel] = deliveries.map((d) => JSON.parse(d.body));
		expect(done).toEqual({
			notificationVersion: '2020-09-04',
			notificationType: 'REPORT_PROCESSING_FINISHED',
			payloadVersion: '2020-09-04',
			eventTime: expect.any(String),
			payload: {
				reportProcessingFinishedNotification: {
					sellerId: SELLER,
					accountId: `amzn1.merchant.o.${SELLER}`,
					reportId: created,
					reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA',
					processingStatus: 'DONE',
					reportDocumentId: sandbox.data.reports().find((r) => r.reportId === created)!.reportDocumentId,
				},
			},
			notificationMetadata: { applicationId: DEFAULT_APP.applicationId, subscriptionId: expect.any(String), publishTime: expect.any(String), notificationId: expect.any(String) },
		});
		expect(cancel.payload.reportProcessingFinishedNotification).toMatchObject({ reportId: cancelled, processingStatus: 'CANCELLED' });
		expect(cancel.payload.reportProcessingFinishedNotification.reportDocumentId).toBeUndefined();
	});

	it('FEED_PROCESSING_FINISHED when a feed finishes; LISTINGS_ITEM_MFN_QUANTITY_CHANGE when a quantity is applied (not when accepted); FBA_INVENTORY_AVAILABILITY_CHANGES on updateInventory', async () => {
		sandbox.clock.set(sandbox.clock.now());
		const destinationId = await createSqs();
		for (const type of ['FEED_PROCESSING_FINISHED', 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE', 'FBA_INVENTORY_AVAILABILITY_CHANGES']) await subscribe(type, destinationId);
		const mfn = sandbox.data.listings().find((l) => l.attributes.fulfillment_availability?.[0].fulfillment_channel_code === 'DEFAULT')!;
		const target = (mfn.attributes.fulfillment_availability[0].quantity as number) + 1;
		const patch = await seller.patch(`/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(mfn.sku)}${qs({ marketplaceIds: US })}`, {
			productType: 'PRODUCT',
			patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: target }] }],
		});
		expect(patch.json.status).toBe('ACCEPTED');
		expect(sandbox.notifications.deliveries()).toEqual([]);
		sandbox.clock.advance(5000);
		const [quantity] = sandbox.notifications.deliveries({ notificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE' });
		expect(JSON.parse(quantity.body).Payload).toEqual({ SellerId: SELLER, FulfillmentChannelCode: 'DEFAULT', Sku: mfn.sku, Quantity: target });
		// Same quantity again: nothing changes, nothing is sent.
		sandbox.data.setListing(mfn.sku, { quantity: target });
		expect(sandbox.notifications.deliveries({ notificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE' })).toHaveLength(1);

		const doc = await seller.post('/feeds/2021-06-30/documents', { contentType: 'application/json; charset=UTF-8' });
		const local = doc.json.url.replace(`https://${sandbox.storageHost}`, sandbox.storageUrl);
		await call(local, { method: 'PUT', headers: { 'Content-Type': 'application/json; charset=UTF-8', 'x-forwarded-host': sandbox.storageHost }, body: JSON.stringify({ header: { sellerId: SELLER, version: '2.0' }, messages: [{ messageId: 1, sku: mfn.sku, operationType: 'PATCH', productType: 'PRODUCT', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 0 }] }] }] }) });
		const feedId = (await seller.post('/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: doc.json.feedDocumentId })).json.feedId;
		for (let i = 0; i < 3; i++) await seller.get(`/feeds/2021-06-30/feeds/${feedId}`);
		const [feed] = sandbox.notifications.deliveries({ notificationType: 'FEED_PROCESSING_FINISHED' });
		expect(JSON.parse(feed.body).payload.feedProcessingFinishedNotification).toEqual({
			sellerId: SELLER,
			accountId: `amzn1.merchant.o.${SELLER}`,
			feedId,
			feedType: 'JSON_LISTINGS_FEED',
			processingStatus: 'DONE',
			resultFeedDocumentId: sandbox.data.feeds()[0].resultFeedDocumentId,
		});
		sandbox.clock.advance(5000);
		expect(JSON.parse(sandbox.notifications.deliveries({ notificationType: 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE' })[1].body).Payload.Quantity).toBe(0);

		const fbaRow = sandbox.data.inventory()[0];
		sandbox.data.updateInventory(fbaRow.sku, { fulfillable: fbaRow.fulfillable + 5 });
		const [inv] = sandbox.notifications.deliveries({ notificationType: 'FBA_INVENTORY_AVAILABILITY_CHANGES' });
		const invBody = JSON.parse(inv.body);
		expect(invBody.Payload).toMatchObject({ SellerId: SELLER, SKU: fbaRow.sku, FNSKU: fbaRow.fnSku, ASIN: fbaRow.asin });
		expect(invBody.Payload.FulfillmentInventoryByMarketplace.find((m: any) => m.MarketplaceId === US).FulfillmentInventory.Fulfillable).toBe(fbaRow.fulfillable + 5);
		expect(invBody.NotificationMetadata).toEqual(expect.objectContaining({ NotificationId: expect.any(String) }));

		const all = sandbox.notifications.deliveries();
		expect(all.map((d) => d.notificationType).sort()).toEqual(['FBA_INVENTORY_AVAILABILITY_CHANGES', 'FEED_PROCESSING_FINISHED', 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE', 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE']);
		for (const d of all) expect({ type: d.notificationType, problems: payloadProblems(d) }).toEqual({ type: d.notificationType, problems: [] });
		expect(received.map((r) => r.body)).toEqual(all.map((d) => d.body));
	});

	it('sendTestNotification is grantless and sandbox-only; every deliverable type produces a schema-valid test message', async () => {
		const destinationId = await createSqs();
		const sandboxApp = new SpApi(sandbox, app.token);
		const onSandboxHost = (type: string, body: unknown) => sandboxApp.request('POST', `${SUBS}/${type}/testNotification`, { body, headers: sandbox.hostHeaders('na', true) });
		const production = await app.post(`${SUBS}/ORDER_CHANGE/testNotification`, { destinationId, testNotification: { payloadVersion: '1.0', testScenario: 'default' } });
		expect(production.status).toBe(404);
		expect(production.json.errors[0].message).toContain('sandbox-only');
		const withSellerToken = await seller.request('POST', `${SUBS}/ORDER_CHANGE/testNotification`, { body: { destinationId, testNotification: { payloadVersion: '1.0', testScenario: 'default' } }, headers: sandbox.hostHeaders('na', true) });
		expect(withSellerToken.status).toBe(403);
		const versions: Record<string, string> = { REPORT_PROCESSING_FINISHED: '2020-09-04', FEED_PROCESSING_FINISHED: '2020-09-04' };
		for (const type of ['ORDER_CHANGE', 'REPORT_PROCESSING_FINISHED', 'FEED_PROCESSING_FINISHED', 'LISTINGS_ITEM_MFN_QUANTITY_CHANGE', 'FBA_INVENTORY_AVAILABILITY_CHANGES', 'TRANSACTION_UPDATE']) {
			const res = await onSandboxHost(type, { destinationId, testNotification: { payloadVersion: versions[type] ?? '1.0', testScenario: 'default' } });
			expect({ type, status: res.status, body: res.json }).toEqual({ type, status: 200, body: {} });
		}
		const deliveries = sandbox.notifications.deliveries();
		expect(deliveries).toHaveLength(6);
		for (const d of deliveries) expect({ type: d.notificationType, problems: payloadProblems(d) }).toEqual({ type: d.notificationType, problems: [] });
		expect((await onSandboxHost('ORDER_CHANGE', { destinationId, testNotification: { payloadVersion: '1.0', testScenario: '' } })).status).toBe(400);
		expect((await onSandboxHost('ORDER_CHANGE', { destinationId, testNotification: { payloadVersion: '9.9', testScenario: 'x' } })).status).toBe(400);
		expect((await onSandboxHost('ORDER_CHANGE', { destinationId: 'nope', testNotification: { payloadVersion: '1.0', testScenario: 'x' } })).status).toBe(400);
		expect((await onSandboxHost('ORDER_CHANGE', { testNotification: { payloadVersion: '1.0', testScenario: 'x' } })).status).toBe(400);
	});

	it('deliverBatch: N distinct notifications plus deliberate duplicates with the same NotificationId and body', async () => {
		const destination = sandbox.notifications.createDestination({ sqsArn: ARN });
		const subscription = sandbox.notifications.subscribe({ notificationType: 'ORDER_CHANGE', destinationId: destination.destinationId });
		expect(subscription).toMatchObject({ sellerId: SELLER, clientId: DEFAULT_APP.clientId, payloadVersion: '1.0' });
		const batch = sandbox.notifications.deliverBatch({ count: 10, duplicates: 3 });
		expect(batch).toHaveLength(13);
		const ids = batch.map((d) => d.notificationId);
		expect(new Set(ids).size).toBe(10);
		const dups = batch.filter((d) => d.duplicate);
		expect(dups).toHaveLength(3);
		for (const d of dups) {
			const first = batch.find((x) => !x.duplicate && x.notificationId === d.notificationId)!;
			expect(d.body).toBe(first.body);
			// Each duplicate arrives after a later message: out of order, as SQS may deliver.
			expect(batch.indexOf(d)).toBeGreaterThan(batch.indexOf(first) + 1);
		}
		expect(received.map((r) => r.body)).toEqual(batch.map((d) => d.body));
		for (const d of batch) expect(payloadProblems(d)).toEqual([]);
		expect(sandbox.notifications.deliverBatch({ count: 2, duplicates: 2 }).map((d) => d.duplicate)).toEqual([false, false, true, true]);
		expect(() => sandbox.notifications.deliverBatch({ notificationType: 'TRANSACTION_UPDATE', count: 1 })).toThrow(/no TRANSACTION_UPDATE subscription/);
		expect(() => sandbox.notifications.deliverBatch({ count: 1, duplicates: 2 })).toThrow(/duplicates/);
		expect(() => sandbox.notifications.subscribe({ notificationType: 'ORDER_CHANGE', destinationId: destination.destinationId })).toThrow(/conflicts/);
	});

	it('a failing sink is recorded, not thrown; reset() clears destinations, subscriptions and deliveries but keeps the sink', async () => {
		const destinationId = await createSqs();
		await subscribe('ORDER_CHANGE', destinationId);
		sandbox.notifications.onDeliver = () => {
			throw new Error('queue down');
		};
		sandbox.data.addOrder();
		expect(sandbox.notifications.sinkErrors).toEqual([expect.stringContaining('queue down')]);
		expect(sandbox.notifications.deliveries()).toHaveLength(1);
		const sink = sandbox.notifications.onDeliver;
		sandbox.reset();
		expect(sandbox.notifications.deliveries()).toEqual([]);
		expect(sandbox.notifications.destinations()).toEqual([]);
		expect(sandbox.notifications.subscriptions()).toEqual([]);
		expect(sandbox.notifications.sinkErrors).toEqual([]);
		expect(sandbox.notifications.onDeliver).toBe(sink);
	});
});

describe('SP-API sandbox: notifications without polling', () => {
	it('reportProcessing.requirePolls false: a report finishes in the background and its notification arrives', async () => {
		const bodies: string[] = [];
		const sandbox = await startSpApiSandbox({ ordersPerSeller: 10, timeScale: 1000, reportProcessing: { requirePolls: false, inQueueMs: 1000, minProcessingMs: 4000 }, onNotification: (_d, body) => bodies.push(body) });
		try {
			const destination = sandbox.notifications.createDestination({ sqsArn: ARN });
			sandbox.notifications.subscribe({ notificationType: 'REPORT_PROCESSING_FINISHED', destinationId: destination.destinationId });
			const api = new SpApi(sandbox, sandbox.issueAccessToken());
			const reportId = (await api.post('/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US] })).json.reportId;
			const body = await waitFor(() => bodies[0], 2000);
			expect(JSON.parse(body).payload.reportProcessingFinishedNotification).toMatchObject({ reportId, processingStatus: 'DONE', reportDocumentId: expect.any(String) });
			expect(sandbox.data.reports().find((r) => r.reportId === reportId)).toMatchObject({ status: 'DONE', polls: 0 });
			expect(sandbox.backgroundErrors).toEqual([]);
		} finally {
			await sandbox.close();
		}
	});
});

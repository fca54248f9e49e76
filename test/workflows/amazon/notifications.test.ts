/**
 * Notifications end to end: the node registers an SQS destination and subscribes the seller
 * (grantless and seller tokens as Amazon requires, idempotent re-runs), the SP-API sandbox
 * delivers ORDER_CHANGE messages into the SQS sandbox, and the Amazon SQS Notification Trigger
 * emits them. Also the credential test of the Amazon credential.
 */
import type { IDataObject } from 'n8n-workflow';

import { runCredentialTest } from '../../harness';
import { type SqsTestbed, ActiveSqsTrigger, startSqsTestbed } from '../amazon-sqs/helpers';
import { type AmazonTestbed, AMAZON_NODE, amazonCredentials, jsonOf, packageTypes, runAmazon, startAmazonTestbed } from './helpers';

describe('Amazon notifications: node operations, delivery into SQS, and the SQS trigger', () => {
	let bed: AmazonTestbed;
	let sqs: SqsTestbed;
	let queueArn: string;

	beforeAll(async () => {
		bed = await startAmazonTestbed({ timeScale: 1000, ordersPerSeller: 200 });
		sqs = await startSqsTestbed();
		queueArn = `arn:aws:sqs:${sqs.sqs.region}:${sqs.sqs.accountId}:sp-api-notifications`;
		// Amazon's delivery: the notification JSON becomes the SQS message body of the destination's queue.
		bed.sandbox.notifications.onDeliver = (destination, body) => {
			const arn = destination.resource.sqs?.arn;
			if (arn) sqs.sqs.send(arn.split(':').pop() as string, body);
		};
	});
	afterAll(async () => {
		await sqs.close();
		await bed.close();
	});
	afterEach(() => expect(bed.sandbox.contractViolations).toEqual([]));

	const node = (parameters: IDataObject, extra: { onError?: string } = {}) =>
		runAmazon({ sandbox: bed.sandbox, node: extra.onError ? { onError: extra.onError } : {}, parameters: { resource: 'notification', ...parameters, options: {} } });

	it('subscribes once (re-runs return what exists), delivers order changes through SQS, and unsubscribes', async () => {
		bed.sandbox.stats.reset();
		const destination = await node({ operation: 'createDestination', name: 'n8n-orders', destinationType: 'sqs', sqsArn: queueArn });
		const [created] = jsonOf(destination.output(AMAZON_NODE));
		expect(created).toMatchObject({ alreadyExisted: false, resource: { sqs: { arn: queueArn } }, destinationId: expect.any(String) });
		// Destinations are grantless: one client-credentials token, no seller token at all.
		expect(bed.sandbox.stats.requests({ server: 'lwa' })).toHaveLength(1);
		const again = await node({ operation: 'createDestination', name: 'n8n-orders', destinationType: 'sqs', sqsArn: queueArn });
		expect(jsonOf(again.output(AMAZON_NODE))[0]).toMatchObject({ alreadyExisted: true, destinationId: created.destinationId });
		expect(bed.sandbox.notifications.destinations()).toHaveLength(1);

		const subscribe = () =>
			node({ operation: 'createSubscription', notificationType: 'ORDER_CHANGE', destinationId: created.destinationId, filters: { orderChangeTypes: ['OrderStatusChange'] } });
		const [subscription] = jsonOf((await subscribe()).output(AMAZON_NODE));
		expect(subscription).toMatchObject({
			notificationType: 'ORDER_CHANGE',
			alreadyExisted: false,
			payloadVersion: '1.0',
			subscriptionId: expect.any(String),
			processingDirective: { eventFilter: { eventFilterType: 'ORDER_CHANGE', orderChangeTypes: ['OrderStatusChange'] } },
		});
		expect(jsonOf((await subscribe()).output(AMAZON_NODE))[0]).toMatchObject({ alreadyExisted: true, subscriptionId: subscription.subscriptionId });
		expect(jsonOf((await node({ operation: 'getSubscription', notificationType: 'ORDER_CHANGE' })).output(AMAZON_NODE))[0]).toMatchObject({ subscribed: true });

		// Amazon changes three orders: three messages in the queue, emitted once by the trigger.
		const changed = bed.sandbox.data
			.orders()
			.filter((order) => order.status === 'Unshipped')
			.slice(0, 3);
		for (const order of changed) bed.sandbox.data.updateOrder(order.amazonOrderId, { status: 'Shipped' });
		expect(sqs.sqs.counts().visible).toBe(3);
		const trigger = new ActiveSqsTrigger(() => sqs.sqs.credentials(), { notificationTypes: ['ORDER_CHANGE'] });
		const emitted = await trigger.items();
		expect(emitted.map((item) => item.amazonOrderId).sort()).toEqual(changed.map((order) => order.amazonOrderId).sort());
		expect(emitted.every((item) => item.notificationType === 'ORDER_CHANGE' && typeof item.notificationId === 'string')).toBe(true);
		expect(await trigger.items()).toEqual([]);
		expect(sqs.sqs.counts()).toEqual({ visible: 0, inFlight: 0, delayed: 0, total: 0 });

		const removed = await node({ operation: 'deleteSubscription', notificationType: 'ORDER_CHANGE' });
		expect(jsonOf(removed.output(AMAZON_NODE))[0]).toMatchObject({ deleted: true, existed: true, subscriptionId: subscription.subscriptionId });
		expect(jsonOf((await node({ operation: 'deleteSubscription', notificationType: 'ORDER_CHANGE' })).output(AMAZON_NODE))[0]).toMatchObject({ existed: false });
		expect(jsonOf((await node({ operation: 'getSubscription', notificationType: 'ORDER_CHANGE' })).output(AMAZON_NODE))[0]).toMatchObject({ subscribed: false });
		expect(jsonOf((await node({ operation: 'deleteDestination', destinationId: created.destinationId })).output(AMAZON_NODE))[0]).toMatchObject({ existed: true });
	});

	it('refuses, with what to do, a subscription that exists for another destination and filters a type does not take', async () => {
		const [first] = jsonOf((await node({ operation: 'createDestination', name: 'a', destinationType: 'sqs', sqsArn: queueArn })).output(AMAZON_NODE));
		const [bridge] = jsonOf((await node({ operation: 'createDestination', name: 'b', destinationType: 'eventBridge', accountId: '210987654321', awsRegion: 'us-east-1' })).output(AMAZON_NODE));
		await node({ operation: 'createSubscription', notificationType: 'REPORT_PROCESSING_FINISHED', destinationId: first.destinationId });
		const other = await node({ operation: 'createSubscription', notificationType: 'REPORT_PROCESSING_FINISHED', destinationId: bridge.destinationId }, { onError: 'continueErrorOutput' });
		const [conflict] = other.output(AMAZON_NODE, 1);
		expect(String(conflict.json.error)).toMatch(/already exists for another destination/);
		expect(JSON.stringify(conflict.json)).toMatch(/Delete Subscription/);

		bed.sandbox.stats.reset();
		const badFilter = await node(
			{ operation: 'createSubscription', notificationType: 'REPORT_PROCESSING_FINISHED', destinationId: first.destinationId, filters: { orderChangeTypes: ['OrderStatusChange'] } },
			{ onError: 'continueErrorOutput' },
		);
		expect(String(badFilter.output(AMAZON_NODE, 1)[0].json.error)).toMatch(/take no event filter/);
		const badArn = await node({ operation: 'createDestination', name: 'c', destinationType: 'sqs', sqsArn: 'arn:aws:sns:us-east-1:123456789012:x' }, { onError: 'continueErrorOutput' });
		expect(String(badArn.output(AMAZON_NODE, 1)[0].json.error)).toMatch(/not an SQS queue ARN/);
		expect(bed.sandbox.stats.requests({ server: 'api' })).toHaveLength(0);
		await node({ operation: 'deleteSubscription', notificationType: 'REPORT_PROCESSING_FINISHED' });
	});

	it('the credential test exchanges exactly the entered LWA values, whether or not a token is saved, and names what to renew', async () => {
		const data = amazonCredentials(bed.sandbox).amazonSellingPartnerApi;
		bed.sandbox.stats.reset();
		const ok = await runCredentialTest({ type: 'amazonSellingPartnerApi', data, types: packageTypes() });
		expect(ok).toMatchObject({ status: 'OK', message: 'Connection successful!' });
		const exchanges = bed.sandbox.stats.requests({ server: 'lwa' });
		expect(exchanges.length).toBeGreaterThan(0);
		expect(exchanges.every((entry) => entry.status === 200 && entry.headers['x-amz-access-token'] === undefined)).toBe(true);

		const revoked = await runCredentialTest({ type: 'amazonSellingPartnerApi', data: { ...data, refreshToken: 'Atzr|not-an-authorization' }, types: packageTypes() });
		expect(revoked.status).toBe('Error');
		expect(revoked.message).toMatch(/invalid_grant|Re-authorize/);

		// A token saved with the old values is not what is tested: the mistyped new secret fails.
		const issued = 'Atza|saved-with-the-previous-secret';
		const mistyped = await runCredentialTest({ type: 'amazonSellingPartnerApi', data: { ...data, accessToken: issued, clientSecret: 'amzn1.oa2-cs.v1.mistyped' }, types: packageTypes() });
		expect(mistyped.status).toBe('Error');
		expect(mistyped.message).toMatch(/invalid_client/);
		expect(bed.sandbox.stats.requests({ server: 'api' }).filter((entry) => entry.headers['x-amz-access-token'] === issued)).toEqual([]);
	});
});

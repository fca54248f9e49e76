import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { list, optionsCollection } from '../shared';
import { destinationId, notificationType, payloadVersionOf } from './shared';

/** The notification types that take an eventFilter, and the filters each understands. */
const EVENT_FILTER_TYPES = ['ANY_OFFER_CHANGED', 'ORDER_CHANGE', 'SHIPMENT_TRACKING_MILESTONE_CHANGED'];

const properties: INodeProperties[] = [
	notificationType,
	destinationId,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Order Change Types (Order Change)',
				name: 'orderChangeTypes',
				type: 'multiOptions',
				default: [],
				options: [
					{ name: 'Buyer Requested Change', value: 'BuyerRequestedChange' },
					{ name: 'Delivery Tip Change', value: 'DeliveryTipChange' },
					{ name: 'Order Status Change', value: 'OrderStatusChange' },
				],
				description: 'Empty means every change type',
			},
			{
				displayName: 'Marketplace IDs (Any Offer Changed)',
				name: 'marketplaceIds',
				type: 'string',
				default: '',
				description: 'Comma-separated marketplaces to receive offer changes for',
			},
			{
				displayName: 'Aggregation (Any Offer Changed)',
				name: 'aggregationTimePeriod',
				type: 'options',
				default: '',
				options: [
					{ name: 'None', value: '' },
					{ name: 'Every Five Minutes', value: 'FiveMinutes' },
					{ name: 'Every Ten Minutes', value: 'TenMinutes' },
				],
			},
			{
				displayName: 'Filter Expression (CEL)',
				name: 'filterExpression',
				type: 'string',
				default: '',
				placeholder: 'FulfillmentOrderStatusNotification.FulfillmentOrderStatus == `SHIPPED`',
				description: 'An expression on the payload, for the types that support it; cannot be combined with the other filters',
			},
		],
	},
	optionsCollection([
		{
			displayName: 'Payload Version',
			name: 'payloadVersion',
			type: 'string',
			default: '',
			description: 'Empty means the version Amazon documents for the type (1.0, or 2020-09-04 for report and feed notifications)',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['createSubscription'] } }, properties);

function processingDirective(client: SpApiClient, type: string, filters: IDataObject, itemIndex: number): IDataObject | undefined {
	const orderChangeTypes = (filters.orderChangeTypes as string[] | undefined) ?? [];
	const marketplaceIds = list(filters.marketplaceIds);
	const aggregation = String(filters.aggregationTimePeriod ?? '');
	const expression = String(filters.filterExpression ?? '').trim();
	const usesEventFilter = orderChangeTypes.length > 0 || !!marketplaceIds || !!aggregation;
	if (expression && usesEventFilter) {
		throw operationError(client.node, 'A filter expression cannot be combined with the other filters', 'Amazon accepts either an event filter or a filter expression: remove one of them.', itemIndex);
	}
	if (expression) return { filterExpression: expression };
	if (!usesEventFilter) return undefined;
	if (!EVENT_FILTER_TYPES.includes(type)) {
		throw operationError(client.node, `${type} notifications take no event filter`, `Event filters exist for ${EVENT_FILTER_TYPES.join(', ')}; use a filter expression or no filter.`, itemIndex);
	}
	if (orderChangeTypes.length && type !== 'ORDER_CHANGE') {
		throw operationError(client.node, 'Order change types only filter ORDER_CHANGE notifications', 'Remove the filter or choose the Order Change type.', itemIndex);
	}
	if ((marketplaceIds || aggregation) && type !== 'ANY_OFFER_CHANGED') {
		throw operationError(client.node, 'Marketplace and aggregation filters only apply to ANY_OFFER_CHANGED notifications', 'Remove them or choose the Any Offer Changed type.', itemIndex);
	}
	return {
		eventFilter: {
			eventFilterType: type,
			...(orderChangeTypes.length ? { orderChangeTypes } : {}),
			...(marketplaceIds ? { marketplaceIds } : {}),
			...(aggregation ? { aggregationSettings: { aggregationTimePeriod: aggregation } } : {}),
		},
	};
}

/**
 * One subscription per type and seller: if one exists already (Amazon answers 409), it is read and
 * returned (`alreadyExisted: true`); when it points at another destination the item fails with
 * what to do, rather than silently keeping the old destination.
 */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const type = String(context.getNodeParameter('notificationType', itemIndex, '')).trim();
	const destination = String(context.getNodeParameter('destinationId', itemIndex, '')).trim();
	if (!/^[A-Z0-9_]+$/.test(type)) throw operationError(client.node, `"${type}" is not a notification type`, 'Use a type such as ORDER_CHANGE or REPORT_PROCESSING_FINISHED.', itemIndex);
	if (!destination) throw operationError(client.node, 'Destination ID is empty', 'Create a destination first (Notification → Create Destination) and use its destinationId.', itemIndex);
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const directive = processingDirective(client, type, filters, itemIndex);
	const payloadVersion = String(context.getNodeParameter('options.payloadVersion', itemIndex, '') || payloadVersionOf(type));
	const body: IDataObject = { payloadVersion, destinationId: destination, ...(directive ? { processingDirective: directive } : {}) };
	const created = await client.call<{ payload?: IDataObject }>(
		{ operation: OPERATIONS.createSubscription, pathParameters: { notificationType: type }, body, allowStatuses: [409] },
		itemIndex,
	);
	if (created.statusCode !== 409) return { notificationType: type, ...(created.body.payload ?? {}), alreadyExisted: false };
	const existing = await client.call<{ payload?: IDataObject }>({ operation: OPERATIONS.getSubscription, pathParameters: { notificationType: type } }, itemIndex);
	const subscription = existing.body.payload ?? {};
	if (subscription.destinationId !== destination) {
		throw operationError(
			client.node,
			`A ${type} subscription already exists for another destination (${String(subscription.destinationId)})`,
			`Amazon allows one subscription per type: delete subscription ${String(subscription.subscriptionId)} (Notification → Delete Subscription) and run again, or use destination ${String(subscription.destinationId)}.`,
			itemIndex,
		);
	}
	return { notificationType: type, ...subscription, alreadyExisted: true };
}

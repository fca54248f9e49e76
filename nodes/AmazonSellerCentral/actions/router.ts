/**
 * Reads resource and operation, builds the node run's SP-API client, and runs the operation for
 * every item (pairing outputs with inputs, honouring Continue On Fail and the error output).
 */
import { type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { errorItem, toNodeError } from '../../common/errors';
import { type ItemResult, emitBatch, forEachItem } from '../../common/items';
import { SpApiClient } from '../transport';
import * as finance from './finance';
import * as inventory from './inventory';
import type { AmazonSellerCentralType } from './node.type';
import * as listing from './listing';
import * as notification from './notification';
import * as order from './order';
import * as rawRequest from './rawRequest';
import * as report from './report';
import * as settlement from './settlement';
import { readSpApiSettings } from './shared';
import * as token from './token';

/** An operation runs per item (`execute`), or once for all items (`executeBatch`, e.g. one feed for many SKUs). */
type OperationModule =
	| { execute: (context: IExecuteFunctions, client: SpApiClient, itemIndex: number) => Promise<ItemResult> }
	| { executeBatch: (context: IExecuteFunctions, client: SpApiClient) => Promise<Array<ItemResult | Error>> };

const resources: { [R in keyof AmazonSellerCentralType]: Record<AmazonSellerCentralType[R], OperationModule> } = {
	finance: { listTransactions: finance.listTransactions, listEventGroups: finance.listEventGroups, listEventsByGroup: finance.listEventsByGroup },
	inventory: { getSummaries: inventory.getSummaries },
	listing: { updateQuantity: listing.updateQuantity, bulkUpdateQuantities: listing.bulkUpdateQuantities },
	notification: {
		createDestination: notification.createDestination,
		getDestinations: notification.getDestinations,
		deleteDestination: notification.deleteDestination,
		createSubscription: notification.createSubscription,
		getSubscription: notification.getSubscription,
		deleteSubscription: notification.deleteSubscription,
	},
	order: { getMany: order.getMany, get: order.get, getItems: order.getItems },
	rawRequest: { request: rawRequest.request },
	report: {
		create: report.create,
		get: report.get,
		getMany: report.getMany,
		cancel: report.cancel,
		getDocument: report.getDocument,
		requestAndDownload: report.requestAndDownload,
	},
	settlement: { getMany: settlement.getMany, get: settlement.get },
	token: { createRestrictedDataToken: token.createRestrictedDataToken },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as keyof AmazonSellerCentralType;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = (resources[resource] as Record<string, OperationModule> | undefined)?.[operation];
	if (!module) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);

	let client: SpApiClient;
	try {
		client = await SpApiClient.create(this, readSpApiSettings(this));
	} catch (error) {
		if (!this.continueOnFail()) throw toNodeError(this.getNode(), error);
		return [this.getInputData().map((_, itemIndex) => errorItem(error, itemIndex))];
	}
	if ('executeBatch' in module) return [emitBatch(this, await module.executeBatch(this, client), client.redactor)];
	return [await forEachItem(this, async (itemIndex) => await module.execute(this, client, itemIndex), client.redactor)];
}

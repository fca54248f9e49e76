/**
 * Reads resource and operation, builds the node run's IFS client, and runs the operation for every
 * item (pairing outputs with inputs, honouring Continue On Fail and the error output).
 */
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { errorItem, toNodeError } from '../../common/errors';
import { forEachItem } from '../../common/items';
import { IfsClient } from '../transport';
import * as customer from './customer';
import * as customerOrder from './customerOrder';
import * as entity from './entity';
import * as fulfillment from './fulfillment';
import * as glJournal from './glJournal';
import * as inventory from './inventory';
import * as payment from './payment';
import type { IfsCloudType } from './node.type';
import { type OperationDefaults, readSettings } from './parameters';

type OperationModule = {
	execute: (context: IExecuteFunctions, client: IfsClient, itemIndex: number) => Promise<IDataObject | IDataObject[]>;
	defaults?: OperationDefaults;
};

const resources: { [R in keyof IfsCloudType]: Record<IfsCloudType[R], OperationModule> } = {
	customer: { get: customer.get, getMany: customer.getMany, upsert: customer.upsert },
	customerOrder: {
		create: customerOrder.create,
		get: customerOrder.get,
		getMany: customerOrder.getMany,
		update: customerOrder.update,
	},
	entity: {
		get: entity.get,
		getMany: entity.getMany,
		create: entity.create,
		update: entity.update,
		delete: entity.delete,
		callAction: entity.callAction,
	},
	fulfillment: { recordShipment: fulfillment.recordShipment },
	glJournal: { postJournal: glJournal.postJournal, reverseJournal: glJournal.reverseJournal },
	inventory: { getStockLevels: inventory.getStockLevels },
	payment: { getPaymentProposals: payment.getPaymentProposals, recordCustomerPayment: payment.recordCustomerPayment },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as keyof IfsCloudType;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = (resources[resource] as Record<string, OperationModule> | undefined)?.[operation];
	if (!module) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}

	let client: IfsClient;
	try {
		client = await IfsClient.create(this, readSettings(this, module.defaults));
	} catch (error) {
		// A broken credential fails every item; with Continue On Fail each item says why.
		if (!this.continueOnFail()) throw toNodeError(this.getNode(), error);
		return [this.getInputData().map((_, itemIndex) => errorItem(error, itemIndex))];
	}
	return [await forEachItem(this, async (itemIndex) => await module.execute(this, client, itemIndex), client.redactor)];
}

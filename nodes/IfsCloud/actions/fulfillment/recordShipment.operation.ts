import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import {
	type EntityRef,
	applyChanges,
	entityOf,
	enumMembersOf,
	equals,
	findRows,
	overallAction,
	recordId,
	requireFields,
	rowPath,
	typedValues,
} from '../business';
import { optionsCollection, traceOptions } from '../descriptions';
import { readTraceSource } from '../parameters';
import { shipmentNames, shipmentNamesCollection } from './names';

const properties: INodeProperties[] = [
	{
		displayName: 'Order Number',
		name: 'orderNo',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. C1000123',
		description: 'IFS customer order number the shipment belongs to',
	},
	{
		displayName: 'Carrier',
		name: 'carrier',
		type: 'string',
		default: '',
		placeholder: 'e.g. UPS',
		description: 'Carrier (forwarder) ID as known in IFS; left unchanged when empty',
	},
	{
		displayName: 'Tracking Number',
		name: 'trackingNumber',
		type: 'string',
		default: '',
		description: 'Left unchanged when empty',
	},
	{
		displayName: 'Ship Date',
		name: 'shipDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2024-06-01 or {{ $json.shipDate }}',
		description: 'Date the goods left; any ISO date or timestamp (its calendar date is written). Left unchanged when empty.',
	},
	{
		displayName: 'Write To',
		name: 'target',
		type: 'options',
		default: 'shipment',
		options: [
			{ name: 'Shipments of the Order', value: 'shipment', description: 'Every IFS shipment with lines from this order' },
			{ name: 'Customer Order', value: 'customerOrder', description: 'The order header (set the field names under IFS Names)' },
		],
	},
	shipmentNamesCollection,
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['fulfillment'], operation: ['recordShipment'] } }, properties);

/** Writes carrier, tracking number and ship date; writing the same values again changes nothing. */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = shipmentNames(context, itemIndex);
	const orderNo = String(context.getNodeParameter('orderNo', itemIndex, '') ?? '').trim();
	if (!orderNo) throw operationError(context.getNode(), 'Order Number is empty', 'Map the IFS customer order number of the shipment.', itemIndex);
	const wanted: IDataObject = {};
	const carrier = String(context.getNodeParameter('carrier', itemIndex, '') ?? '').trim();
	const tracking = String(context.getNodeParameter('trackingNumber', itemIndex, '') ?? '').trim();
	const shipDate = String(context.getNodeParameter('shipDate', itemIndex, '') ?? '').trim();
	if (carrier) wanted[names.carrierField] = carrier;
	if (tracking) wanted[names.trackingField] = tracking;
	if (shipDate) wanted[names.shipDateField] = shipDate;
	if (!Object.keys(wanted).length) {
		throw operationError(context.getNode(), 'Nothing to record: carrier, tracking number and ship date are all empty', 'Map at least one of them.', itemIndex);
	}
	const roles = Object.fromEntries(
		Object.keys(wanted).map((field) => [field === names.carrierField ? 'carrier' : field === names.trackingField ? 'tracking number' : 'ship date', field]),
	);
	const target = context.getNodeParameter('target', itemIndex, 'shipment') as string;
	const source = readTraceSource(context, itemIndex);
	const summary = { orderNo, carrier: carrier || null, trackingNumber: tracking || null, shipDate: shipDate || null };

	if (target === 'customerOrder') {
		const orders: EntityRef = { projection: names.orderProjection, entitySet: names.orderEntitySet };
		const type = await entityOf(client, orders, itemIndex, 'customer orders');
		requireFields(client, orders, type, roles, itemIndex);
		const path = await rowPath(client, orders, { [names.orderNumberField]: orderNo }, itemIndex);
		const changes = typedValues(client, type, wanted, itemIndex, await enumMembersOf(client, names.orderProjection, itemIndex));
		const { row, action } = await applyChanges(client, orders, path, type, changes, itemIndex, {
			missing: { message: `Customer order ${orderNo} was not found`, description: 'Check the order number.' },
		});
		return withTrace({ ...summary, order: row }, buildTrace(source, { system: IFS_SYSTEM, id: await recordId(client, orders, row, itemIndex) }, action));
	}

	const lines: EntityRef = { projection: names.projection, entitySet: names.shipmentLineEntitySet };
	const shipments: EntityRef = { projection: names.projection, entitySet: names.shipmentEntitySet };
	const lineType = await entityOf(client, lines, itemIndex, 'shipment lines');
	const shipmentType = await entityOf(client, shipments, itemIndex, 'shipments');
	requireFields(client, lines, lineType, { 'order reference': names.orderReferenceField, 'source type': names.sourceTypeField, 'shipment ID': names.shipmentIdField }, itemIndex);
	requireFields(client, shipments, shipmentType, { ...roles, 'shipment ID': names.shipmentIdField }, itemIndex);

	const filter = `${await equals(client, lines, lineType, names.orderReferenceField, orderNo, itemIndex)} and ${await equals(client, lines, lineType, names.sourceTypeField, names.sourceTypeValue, itemIndex)}`;
	const shipmentIds = [...new Set((await findRows(client, lines, filter, itemIndex, { select: names.shipmentIdField })).map((line) => line[names.shipmentIdField]))];
	if (!shipmentIds.length) {
		throw operationError(
			context.getNode(),
			`No shipment found for customer order ${orderNo}`,
			'IFS creates shipments when the order is released to shipment handling. Check the order in IFS, or set Write To to "Customer Order" to record the tracking on the order itself.',
			itemIndex,
		);
	}
	const changes = typedValues(client, shipmentType, wanted, itemIndex, await enumMembersOf(client, names.projection, itemIndex));
	const results: IDataObject[] = [];
	for (const shipmentId of shipmentIds) {
		const path = await rowPath(client, shipments, { [names.shipmentIdField]: shipmentId }, itemIndex);
		const { row, action } = await applyChanges(client, shipments, path, shipmentType, changes, itemIndex);
		results.push({ [names.shipmentIdField]: shipmentId, action, shipment: row });
	}
	const targetIds = await Promise.all(results.map(async (result) => await recordId(client, shipments, result.shipment as IDataObject, itemIndex)));
	return withTrace(
		{ ...summary, shipments: results },
		buildTrace({ system: source.system, id: source.id ?? (tracking || orderNo) }, { system: IFS_SYSTEM, id: targetIds.join(', ') }, overallAction(results.map((result) => result.action as 'updated' | 'unchanged'))),
	);
}

/**
 * Where shipments and their tracking fields live in IFS by default. The shipment projection names
 * come from the reference (§5); the carrier, tracking and ship-date field names are not documented
 * and differ between releases: confirm them in API Explorer and override them here.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { names } from '../business';
import { namesCollection } from '../descriptions';

export const SHIPMENT_NAMES = {
	projection: 'ShipmentHandling',
	shipmentEntitySet: 'ShipmentSet',
	shipmentLineEntitySet: 'ShipmentLineSet',
	shipmentIdField: 'ShipmentId',
	orderReferenceField: 'SourceRef1',
	sourceTypeField: 'SourceRefType',
	sourceTypeValue: 'CustomerOrder',
	carrierField: 'ForwardAgentId',
	trackingField: 'AirwayBillNo',
	shipDateField: 'ActualShipDate',
	orderProjection: 'CustomerOrderHandling',
	orderEntitySet: 'CustomerOrderSet',
	orderNumberField: 'OrderNo',
};

export type ShipmentNames = typeof SHIPMENT_NAMES;

export function shipmentNames(context: IExecuteFunctions, itemIndex: number): ShipmentNames {
	return names(context, itemIndex, SHIPMENT_NAMES);
}

export const shipmentNamesCollection: INodeProperties = namesCollection([
		{ displayName: 'Carrier Field', name: 'carrierField', type: 'string', default: 'ForwardAgentId', description: 'Field receiving the carrier (forwarder) ID' },
		{ displayName: 'Order Entity Set', name: 'orderEntitySet', type: 'string', default: 'CustomerOrderSet', description: 'Used when writing to the customer order' },
		{ displayName: 'Order Number Field', name: 'orderNumberField', type: 'string', default: 'OrderNo' },
		{ displayName: 'Order Projection', name: 'orderProjection', type: 'string', default: 'CustomerOrderHandling' },
		{ displayName: 'Order Reference Field', name: 'orderReferenceField', type: 'string', default: 'SourceRef1', description: 'Shipment line field holding the customer order number' },
		{ displayName: 'Projection', name: 'projection', type: 'string', default: 'ShipmentHandling' },
		{ displayName: 'Ship Date Field', name: 'shipDateField', type: 'string', default: 'ActualShipDate' },
		{ displayName: 'Shipment Entity Set', name: 'shipmentEntitySet', type: 'string', default: 'ShipmentSet' },
		{ displayName: 'Shipment ID Field', name: 'shipmentIdField', type: 'string', default: 'ShipmentId' },
		{ displayName: 'Shipment Line Entity Set', name: 'shipmentLineEntitySet', type: 'string', default: 'ShipmentLineSet' },
		{ displayName: 'Source Type Field', name: 'sourceTypeField', type: 'string', default: 'SourceRefType' },
		{ displayName: 'Source Type Value', name: 'sourceTypeValue', type: 'string', default: 'CustomerOrder', description: 'Value marking shipment lines that come from customer orders' },
		{ displayName: 'Tracking Number Field', name: 'trackingField', type: 'string', default: 'AirwayBillNo' },
]);

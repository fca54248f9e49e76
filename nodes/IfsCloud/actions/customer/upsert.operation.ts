import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import {
	type EntityRef,
	type UpsertAction,
	applyChanges,
	createRow,
	entityOf,
	enumMembersOf,
	equals,
	findRows,
	overallAction,
	parseJsonArray,
	recordId,
	requireFields,
	rowPath,
	typedValues,
	upsertByKey,
} from '../business';
import type { OperationDefaults } from '../parameters';
import { optionsCollection, traceOptions } from '../descriptions';
import { companyFor, parseJsonObject, readTraceSource } from '../parameters';
import { customerNames, customerNamesCollection } from './names';

const properties: INodeProperties[] = [
	{
		displayName: 'Match By Field',
		name: 'matchField',
		type: 'string',
		default: 'CustomerId',
		description: 'Customer field holding your external ID: the key (CustomerId) or another unique field, e.g. AssociationNo',
	},
	{
		displayName: 'Match Value',
		name: 'matchValue',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. AMZ-{{ $json.BuyerId }}',
		description: 'The external ID (marketplace buyer ID, e-mail, …) to find the customer by',
	},
	{
		displayName: 'Customer Fields (JSON)',
		name: 'customerFields',
		type: 'json',
		default: '{}',
		description:
			'Fields of the customer, e.g. {"Name": "Jane Doe", "Country": "SE", "DefaultLanguage": "en"}. On create, include the customer ID unless you match by it.',
	},
	{
		displayName: 'Payment Terms',
		name: 'paymentTerms',
		type: 'string',
		default: '',
		description: "Payment terms ID for the customer in the company (Options → Company, else the credential's default company)",
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: '',
		placeholder: 'EUR',
		description: 'Currency of the customer in the company',
	},
	{
		displayName: 'Addresses (JSON)',
		name: 'addresses',
		type: 'json',
		default: '[]',
		description:
			'Addresses to keep in sync, e.g. [{"AddressId": "1", "Address1": "Main St 1", "ZipCode": "11122", "City": "Stockholm", "Country": "SE", "DeliveryAddress": true}]. Without an AddressId they are numbered 1, 2, and so on.',
	},
	customerNamesCollection,
	optionsCollection(traceOptions, { deployment: 'main' }),
];

/** IFS exposes CustomerHandling on /main (reference §5). */
export const defaults: OperationDefaults = { deployment: 'main' };

export const description = updateDisplayOptions({ show: { resource: ['customer'], operation: ['upsert'] } }, properties);

/**
 * Finds the customer by the external ID and makes IFS hold the given data: creates what is
 * missing, writes only fields that differ (with ETags), and leaves the rest alone.
 */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = customerNames(context, itemIndex);
	const customers: EntityRef = { projection: names.projection, entitySet: names.customerEntitySet };
	const type = await entityOf(client, customers, itemIndex, 'customers');
	const matchField = String(context.getNodeParameter('matchField', itemIndex, names.customerIdField) || names.customerIdField).trim();
	requireFields(client, customers, type, { 'customer ID': names.customerIdField, 'match by': matchField }, itemIndex);
	const matchValue = String(context.getNodeParameter('matchValue', itemIndex, '') ?? '').trim();
	if (!matchValue) {
		throw operationError(context.getNode(), 'Match Value is empty', 'Map the external ID that identifies the customer, e.g. the marketplace buyer ID.', itemIndex);
	}
	const enums = await enumMembersOf(client, names.projection, itemIndex);
	const values = typedValues(
		client,
		type,
		{ ...parseJsonObject(context, context.getNodeParameter('customerFields', itemIndex, '{}'), itemIndex, 'Customer Fields', '{"Name": "Jane Doe"}'), [matchField]: matchValue },
		itemIndex,
		enums,
	);

	const find = async (): Promise<IDataObject | undefined> => {
		if (matchField === names.customerIdField) {
			const path = await rowPath(client, customers, { [names.customerIdField]: matchValue }, itemIndex);
			const response = await client.request<IDataObject>({ method: 'GET', projection: names.projection, path, allowStatuses: [404] }, itemIndex);
			return response.statusCode === 404 ? undefined : response.body;
		}
		const found = await findRows(client, customers, await equals(client, customers, type, matchField, matchValue, itemIndex), itemIndex, { limit: 2 });
		if (found.length > 1) {
			throw operationError(
				context.getNode(),
				`${found.length} customers have ${matchField} "${matchValue}": ${found.map((row) => row[names.customerIdField]).join(', ')}`,
				`${matchField} must identify one customer. Merge the duplicates in IFS or match by another field.`,
				itemIndex,
			);
		}
		return found[0];
	};

	const actions: UpsertAction[] = [];
	let customer = await find();
	if (!customer) {
		if (values[names.customerIdField] === undefined || values[names.customerIdField] === '') {
			throw operationError(
				context.getNode(),
				`No customer has ${matchField} "${matchValue}", and no ${names.customerIdField} is given to create one`,
				`Add "${names.customerIdField}" to Customer Fields (JSON), e.g. a prefixed marketplace ID, or match by ${names.customerIdField}.`,
				itemIndex,
			);
		}
		customer = await createRow(client, customers, values, itemIndex, find);
		actions.push('created');
	} else {
		const changes = { ...values };
		delete changes[names.customerIdField];
		const path = await rowPath(client, customers, customer, itemIndex);
		const result = await applyChanges(client, customers, path, type, changes, itemIndex);
		customer = result.row;
		actions.push(result.action);
	}
	const id = customer[names.customerIdField];
	const output: IDataObject = { ...customer };

	const paymentTerms = String(context.getNodeParameter('paymentTerms', itemIndex, '') ?? '').trim();
	const currency = String(context.getNodeParameter('currency', itemIndex, '') ?? '').trim();
	if (paymentTerms || currency) {
		const company = companyFor(context, client, itemIndex);
		if (!company) {
			throw operationError(context.getNode(), 'Payment terms and currency are company data, but no company is set', 'Set Options → Company, or a Default Company in the credential.', itemIndex);
		}
		const companies: EntityRef = { projection: names.projection, entitySet: names.companyEntitySet };
		const companyType = await entityOf(client, companies, itemIndex, 'company-specific customer data');
		const data: IDataObject = {};
		if (paymentTerms) data[names.paymentTermsField] = paymentTerms;
		if (currency) data[names.currencyField] = currency;
		requireFields(client, companies, companyType, Object.fromEntries(Object.keys(data).map((field) => [field, field])), itemIndex);
		const result = await upsertByKey(client, companies, companyType, { [names.customerIdField]: id, [names.companyField]: company }, typedValues(client, companyType, data, itemIndex, enums), itemIndex);
		output.company = result.row;
		actions.push(result.action);
	}

	const addresses = parseJsonArray(context, 'addresses', itemIndex, '[{"AddressId": "1", "City": "Stockholm"}]');
	if (addresses.length) {
		const addressRef: EntityRef = { projection: names.projection, entitySet: names.addressEntitySet };
		const addressType = await entityOf(client, addressRef, itemIndex, 'customer addresses');
		const rows: IDataObject[] = [];
		for (const [index, address] of addresses.entries()) {
			const values = typedValues(client, addressType, { [names.addressIdField]: String(index + 1), ...address }, itemIndex, enums);
			const key = { [names.customerIdField]: id, [names.addressIdField]: values[names.addressIdField] };
			const result = await upsertByKey(client, addressRef, addressType, key, values, itemIndex);
			rows.push(result.row);
			actions.push(result.action);
		}
		output.addresses = rows;
	}

	const source = readTraceSource(context, itemIndex);
	return withTrace(
		output,
		buildTrace({ system: source.system, id: source.id ?? matchValue }, { system: IFS_SYSTEM, id: await recordId(client, customers, customer, itemIndex) }, overallAction(actions)),
	);
}

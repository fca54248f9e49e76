import { type IDataObject, type IExecuteFunctions, type INodeProperties, NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { apiError, operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import {
	type EntityRef,
	createRow,
	entityOf,
	enumMembersOf,
	equals,
	findRows,
	parseJsonArray,
	recordId,
	requireFields,
	typedValues,
} from '../business';
import { optionsCollection, traceOptions } from '../descriptions';
import { parseJsonObject, readTraceSource } from '../parameters';
import { linesOf } from './lines';
import { orderNames, orderNamesCollection } from './names';

const properties: INodeProperties[] = [
	{
		displayName: 'External Reference',
		name: 'externalReference',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.AmazonOrderId }}',
		description:
			'Your reference for the order, e.g. the marketplace order ID. Stored in the external reference field (default CustomerPoNo); a re-run finds the order by it instead of creating another.',
	},
	{
		displayName: 'Reference Is Unique',
		name: 'referenceScope',
		type: 'options',
		default: 'customer',
		options: [
			{
				name: 'Per Customer',
				value: 'customer',
				description: 'Like a purchase order number: two customers may use the same reference, so the lookup is narrowed to the order\'s customer',
			},
			{
				name: 'Across All Customers',
				value: 'global',
				description:
					'A source system\'s own order ID (Amazon, Shopify, Adobe Commerce): the order is found whichever customer it was created for, so a changed customer mapping never creates it twice',
			},
		],
		description: 'How far the external reference identifies one order when a re-run looks for it',
	},
	{
		displayName: 'Order Fields (JSON)',
		name: 'orderFields',
		type: 'json',
		default: '{}',
		description: 'Header fields, e.g. {"CustomerNo": "10001", "Contract": "S100", "CurrencyCode": "EUR", "WantedDeliveryDate": "2024-06-01"}',
	},
	{
		displayName: 'Order Lines (JSON)',
		name: 'lines',
		type: 'json',
		default: '[]',
		description:
			'One object per line, e.g. [{"CatalogNo": "P-0001", "BuyQtyDue": 2, "SalePrice": 19.99}]. Lines are numbered 1, 2, … unless they carry their own line number.',
	},
	orderNamesCollection,
	optionsCollection(traceOptions),
];

export const description = updateDisplayOptions({ show: { resource: ['customerOrder'], operation: ['create'] } }, properties);

/**
 * Header first, then the lines. An order that already exists under the external reference is
 * returned as found — and if an earlier run stopped between lines, the missing lines are added,
 * so a retried execution always ends with the whole order and never with a second one.
 */
export async function execute(context: IExecuteFunctions, client: IfsClient, itemIndex: number): Promise<IDataObject> {
	const names = orderNames(context, itemIndex);
	const header: EntityRef = { projection: names.projection, entitySet: names.orderEntitySet };
	const lineSet: EntityRef = { projection: names.projection, entitySet: names.lineEntitySet };
	const headerType = await entityOf(client, header, itemIndex, 'order header');
	const lineType = await entityOf(client, lineSet, itemIndex, 'order lines');
	requireFields(client, header, headerType, { 'external reference': names.externalReferenceField, 'order number': names.orderNumberField }, itemIndex);
	requireFields(client, lineSet, lineType, { 'link to the order': names.orderNumberField, 'line number': names.lineNumberField }, itemIndex);

	const reference = String(context.getNodeParameter('externalReference', itemIndex, '') ?? '').trim();
	if (!reference) {
		throw operationError(context.getNode(), 'External Reference is empty', 'Map the source order ID (e.g. {{ $json.AmazonOrderId }}): it is how re-runs find the order instead of creating another.', itemIndex);
	}
	const enums = await enumMembersOf(client, names.projection, itemIndex);
	const fields = typedValues(
		client,
		headerType,
		{ ...parseJsonObject(context, context.getNodeParameter('orderFields', itemIndex, '{}'), itemIndex, 'Order Fields', '{"CustomerNo": "10001"}'), [names.externalReferenceField]: reference },
		itemIndex,
		enums,
	);
	const wantedLines = parseJsonArray(context, 'lines', itemIndex, '[{"CatalogNo": "P-0001", "BuyQtyDue": 2}]').map((line, index) =>
		typedValues(client, lineType, { [names.lineNumberField]: String(index + 1), ...line }, itemIndex, enums),
	);
	const lineNumbers = wantedLines.map((line) => String(line[names.lineNumberField]));
	if (new Set(lineNumbers).size !== lineNumbers.length) {
		throw operationError(context.getNode(), `Two order lines have the same ${names.lineNumberField}`, 'Give each line its own line number, or leave it out so lines are numbered 1, 2, …', itemIndex);
	}

	// A PO number is unique per customer only; a marketplace order ID is unique on its own, and the
	// customer it maps to may change between runs (mapping edited, buyer data switched on).
	const perCustomer = context.getNodeParameter('referenceScope', itemIndex, 'customer') !== 'global';
	let filter = await equals(client, header, headerType, names.externalReferenceField, reference, itemIndex);
	if (perCustomer && fields[names.customerField] !== undefined && headerType.properties[names.customerField]) {
		filter += ` and ${await equals(client, header, headerType, names.customerField, fields[names.customerField], itemIndex)}`;
	}
	const findOrder = async () => {
		const found = await findRows(client, header, filter, itemIndex, { limit: 2 });
		if (found.length > 1) {
			throw operationError(
				context.getNode(),
				`${found.length} customer orders carry ${names.externalReferenceField} "${reference}": ${found.map((row) => row[names.orderNumberField]).join(', ')}`,
				'The external reference must identify one order. Cancel the duplicate in IFS, or choose a field that is unique under IFS Names → External Reference Field.',
				itemIndex,
			);
		}
		return found[0];
	};

	const existing = await findOrder();
	const order = existing ?? (await createRow(client, header, fields, itemIndex, findOrder));
	const orderNo = String(order[names.orderNumberField] ?? '');
	if (!orderNo) {
		throw operationError(context.getNode(), `IFS Cloud did not return the new order's ${names.orderNumberField}`, 'Check the Order Number Field under IFS Names.', itemIndex);
	}

	const lines = existing ? ((await linesOf(client, names, [orderNo], itemIndex)).get(orderNo) ?? []) : [];
	const present = new Set(lines.map((line) => String(line[names.lineNumberField])));
	let created = 0;
	for (const line of wantedLines) {
		const lineNo = String(line[names.lineNumberField]);
		if (present.has(lineNo)) continue;
		const body = { ...line, [names.orderNumberField]: orderNo };
		const lineFilter = `${await equals(client, lineSet, lineType, names.orderNumberField, orderNo, itemIndex)} and ${await equals(client, lineSet, lineType, names.lineNumberField, lineNo, itemIndex)}`;
		try {
			lines.push(await createRow(client, lineSet, body, itemIndex, async () => (await findRows(client, lineSet, lineFilter, itemIndex, { limit: 1 }))[0]));
			created++;
		} catch (error) {
			const cause = error as Error & { description?: string; httpCode?: string | null };
			throw apiError(
				context.getNode(),
				{
					message: `Customer order ${orderNo} is in IFS, but line ${lineNo} failed: ${cause.message}`,
					description: `${cause.description ? `${cause.description} ` : ''}The order has ${lines.length} of ${wantedLines.length} lines. Fix the line and re-run this item: the order is found by ${names.externalReferenceField} "${reference}" and only the missing lines are added.`,
					httpCode: error instanceof NodeApiError ? (cause.httpCode ?? undefined) : undefined,
					details: { orderNo, externalReference: reference, linesInIfs: lines.length, linesWanted: wantedLines.length, failedLine: body },
				},
				itemIndex,
				client.redactor,
			);
		}
	}

	const source = readTraceSource(context, itemIndex);
	return withTrace(
		{ ...order, lines, linesCreated: created },
		buildTrace(
			{ system: source.system, id: source.id ?? reference },
			{ system: IFS_SYSTEM, id: await recordId(client, header, order, itemIndex) },
			existing ? 'found' : 'created',
		),
	);
}

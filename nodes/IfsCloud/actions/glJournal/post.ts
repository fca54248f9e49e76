/**
 * Shared by Post and Reverse: find by reference first, else create through the chosen path, then
 * read the voucher back so the output shows what IFS holds.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import { recordId } from '../business';
import { readTraceSource } from '../parameters';
import { type Journal, type Totals, findVoucher, postViaExternalLoad, postViaVoucherEntry } from './journal';
import type { JournalNames } from './names';

export const methodParameter: INodeProperties = {
	displayName: 'Creation Path',
	name: 'method',
	type: 'options',
	default: 'voucherEntry',
	options: [
		{ name: 'Voucher Entry Assistant', value: 'voucherEntry', description: 'VoucherEntryAssistantHandling: a voucher entry with posting rows, then CreateVoucher' },
		{ name: 'External Voucher Load', value: 'externalLoad', description: 'ExternalVouchers: rows into the external voucher table, then the load action' },
	],
	description: 'How IFS creates the voucher; agree on it with your finance team',
};

export const amountDecimalsOption: INodeProperties = {
	displayName: 'Amount Decimals',
	name: 'amountDecimals',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 6 },
	default: 2,
	description: 'Most decimals an amount may have (2 for most currencies); amounts are never rounded',
};

export async function postOnce(
	context: IExecuteFunctions,
	client: IfsClient,
	names: JournalNames,
	journal: Journal,
	totals: Totals,
	method: string,
	itemIndex: number,
): Promise<IDataObject> {
	const source = readTraceSource(context, itemIndex);
	const output = async (voucher: IDataObject, action: 'created' | 'found') =>
		withTrace(
			{ ...voucher, externalReference: journal.reference, totals, lineCount: journal.lines.length },
			buildTrace(
				{ system: source.system, id: source.id ?? journal.reference },
				{ system: IFS_SYSTEM, id: await recordId(client, { projection: names.voucherProjection, entitySet: names.voucherEntitySet }, voucher, itemIndex) },
				action,
			),
		);

	const existing = await findVoucher(client, names, journal.company, journal.reference, itemIndex);
	if (existing) return await output(existing, 'found');

	if (method === 'externalLoad') await postViaExternalLoad(client, names, journal, itemIndex);
	else await postViaVoucherEntry(client, names, journal, itemIndex);

	const voucher = await findVoucher(client, names, journal.company, journal.reference, itemIndex);
	if (!voucher) {
		throw operationError(
			context.getNode(),
			`IFS Cloud accepted the journal "${journal.reference}", but no voucher with that ${names.voucherReferenceField} is found in ${names.voucherEntitySet}`,
			`Check that the creation path copies the reference into ${names.voucherReferenceField} (IFS Names → Voucher Reference Field) before re-running; otherwise a re-run cannot see that the journal was posted.`,
			itemIndex,
		);
	}
	return await output(voucher, 'created');
}

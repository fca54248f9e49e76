/**
 * Shared by Post and Reverse: find by reference first, else create through the chosen path, then
 * read the voucher back so the output shows what IFS holds.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { Decimal } from '../../../common/decimal';
import { operationError, toNodeError } from '../../../common/errors';
import { buildTrace, withTrace } from '../../../common/trace';
import { IFS_SYSTEM, type IfsClient } from '../../transport';
import { recordId } from '../business';
import { readTraceSource } from '../parameters';
import { type Journal, type Totals, findVoucher, postViaExternalLoad, postViaVoucherEntry, voucherRows } from './journal';
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
	const output = async (voucher: IDataObject, action: 'created' | 'found', stored: Totals) =>
		withTrace(
			{ ...voucher, externalReference: journal.reference, totals: stored, lineCount: journal.lines.length },
			buildTrace(
				{ system: source.system, id: source.id ?? journal.reference },
				{ system: IFS_SYSTEM, id: await recordId(client, { projection: names.voucherProjection, entitySet: names.voucherEntitySet }, voucher, itemIndex) },
				action,
			),
		);

	const existing = await findVoucher(client, names, journal.company, journal.reference, itemIndex);
	if (existing) {
		// Same reference, different amounts: not a re-run but a second journal under a used reference.
		const stored = storedTotals(await voucherRows(client, names, existing, itemIndex), names, journal.amountDecimals);
		const differing = [...new Set([...Object.keys(stored), ...Object.keys(totals)])].filter((currency) => stored[currency]?.debit !== totals[currency]?.debit);
		if (differing.length) {
			throw operationError(
				context.getNode(),
				`Reference "${journal.reference}" is already posted with other amounts: ${differing.map((currency) => `${currency} ${stored[currency]?.debit ?? '0'} in IFS vs ${totals[currency]?.debit ?? '0'} now`).join('; ')}`,
				`A posted journal is never changed. To correct it, reverse the posted journal (Reverse Journal) and post the new one under a new reference.`,
				itemIndex,
			);
		}
		return await output(existing, 'found', stored);
	}

	let failure: unknown;
	try {
		if (method === 'externalLoad') await postViaExternalLoad(client, names, journal, itemIndex);
		else await postViaVoucherEntry(client, names, journal, itemIndex);
	} catch (error) {
		failure = error;
	}
	const voucher = await findVoucher(client, names, journal.company, journal.reference, itemIndex);
	// A refused repeat after a lost answer still leaves the voucher the first attempt created.
	if (failure && !voucher) throw toNodeError(context.getNode(), failure, itemIndex);
	if (!voucher) {
		throw operationError(
			context.getNode(),
			`IFS Cloud accepted the journal "${journal.reference}", but no voucher with that ${names.voucherReferenceField} is found in ${names.voucherEntitySet}`,
			`Check that the creation path copies the reference into ${names.voucherReferenceField} (IFS Names → Voucher Reference Field) before re-running; otherwise a re-run cannot see that the journal was posted.`,
			itemIndex,
		);
	}
	return await output(voucher, 'created', totals);
}

/** Debit and credit per currency of a voucher's rows, as posted. */
function storedTotals(rows: IDataObject[], names: JournalNames, amountDecimals: number): Totals {
	const sums = new Map<string, { debit: Decimal; credit: Decimal }>();
	for (const row of rows) {
		const currency = String(row[names.currencyField] ?? '');
		const sum = sums.get(currency) ?? { debit: Decimal.ZERO, credit: Decimal.ZERO };
		const amount = (value: unknown) => (value === null || value === undefined || value === '' ? Decimal.ZERO : Decimal.from(value as number | string));
		sums.set(currency, { debit: sum.debit.plus(amount(row[names.debitField])), credit: sum.credit.plus(amount(row[names.creditField])) });
	}
	return Object.fromEntries([...sums].map(([currency, sum]) => [currency, { debit: sum.debit.toFixed(amountDecimals), credit: sum.credit.toFixed(amountDecimals) }]));
}

/**
 * A GL journal as the user gives it, checked and balanced in exact decimals before anything is
 * sent; and the two ways of turning it into an IFS voucher, both idempotent by reference.
 */
import { createHash } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Decimal, DecimalError } from '../../../common/decimal';
import { operationError } from '../../../common/errors';
import { type EdmEntityType, operationsFor } from '../../odata/csdl';
import { sameValue } from '../../odata/values';
import type { IfsClient } from '../../transport';
import {
	type EntityRef,
	createRow,
	entityOf,
	enumMembersOf,
	equals,
	findRows,
	requireFields,
	rowPath,
	typedValues,
} from '../business';
import { DEFAULT_CONFLICT_RETRIES, writeWithEtag } from '../entity/conflicts';
import type { JournalNames } from './names';

export interface JournalLine {
	account: string;
	debit: Decimal;
	credit: Decimal;
	currency: string;
	text?: string;
	/** Further posting fields (dimensions such as CodeB), by IFS field name. */
	fields: IDataObject;
}

export interface Journal {
	company: string;
	voucherType: string;
	date: string;
	currency: string;
	reference: string;
	text?: string;
	lines: JournalLine[];
	amountDecimals: number;
}

const LINE_KEYS = new Set(['account', 'debit', 'credit', 'amount', 'currency', 'text']);

function isZeroAmount(value: unknown): boolean {
	try {
		return Decimal.from(value as string | number).isZero();
	} catch {
		return false; // not a number: kept, so the line fails with the parse error
	}
}

/** Reads and checks the lines; every problem names the line. */
export function parseLines(context: IExecuteFunctions, raw: IDataObject[], currency: string, amountDecimals: number, itemIndex: number): JournalLine[] {
	const fail = (line: number, message: string) =>
		operationError(
			context.getNode(),
			`Journal line ${line}: ${message}`,
			'Each line needs an account and exactly one of debit, credit or a signed amount (positive = debit), e.g. {"account": "3010", "credit": "100.00", "CodeB": "CC100"}.',
			itemIndex,
		);
	if (!raw.length) throw operationError(context.getNode(), 'The journal has no lines', 'Give at least two lines that balance.', itemIndex);
	return raw.map((entry, index) => {
		const number = index + 1;
		const account = String(entry.account ?? '').trim();
		if (!account) throw fail(number, 'no account');
		let given = (['debit', 'credit', 'amount'] as const).filter((name) => entry[name] !== undefined && entry[name] !== null && entry[name] !== '');
		// Ledger-style lines carry both sides with a zero on one (e.g. Amazon settlement journals:
		// debit "0.00", credit "12.34"): the zero side is not an amount.
		if (given.length > 1) given = given.filter((name) => !isZeroAmount(entry[name]));
		if (given.length !== 1) throw fail(number, given.length ? `give only one of ${given.join(' and ')}` : 'no amount');
		let value: Decimal;
		try {
			value = Decimal.from(entry[given[0]]);
		} catch (error) {
			throw fail(number, (error as DecimalError).message);
		}
		if (value.fractionDigits > amountDecimals) throw fail(number, `${value.toString()} has more than ${amountDecimals} decimals (nothing is rounded; round it upstream)`);
		if (value.isZero()) throw fail(number, 'the amount is zero');
		if (given[0] !== 'amount' && value.isNegative()) throw fail(number, `${given[0]} is negative; use the other side or a signed amount`);
		const isDebit = given[0] === 'debit' || (given[0] === 'amount' && !value.isNegative());
		const fields: IDataObject = {};
		for (const [key, field] of Object.entries(entry)) if (!LINE_KEYS.has(key) && field !== undefined && field !== null && field !== '') fields[key] = field;
		return {
			account,
			debit: isDebit ? value.abs() : Decimal.ZERO,
			credit: isDebit ? Decimal.ZERO : value.abs(),
			currency: String(entry.currency ?? currency).trim() || currency,
			text: entry.text === undefined ? undefined : String(entry.text),
			fields,
		};
	});
}

export interface Totals {
	[currency: string]: { debit: string; credit: string };
}

/** Per-currency totals; throws (before any request) when a currency does not balance. */
export function checkBalanced(context: IExecuteFunctions, lines: JournalLine[], amountDecimals: number, itemIndex: number): Totals {
	const sums = new Map<string, { debit: Decimal; credit: Decimal }>();
	for (const line of lines) {
		const sum = sums.get(line.currency) ?? { debit: Decimal.ZERO, credit: Decimal.ZERO };
		sums.set(line.currency, { debit: sum.debit.plus(line.debit), credit: sum.credit.plus(line.credit) });
	}
	const unbalanced = [...sums].filter(([, sum]) => !sum.debit.equals(sum.credit));
	if (unbalanced.length) {
		throw operationError(
			context.getNode(),
			`The journal does not balance: ${unbalanced
				.map(([currency, sum]) => `${currency} debit ${sum.debit.toFixed(amountDecimals)} vs credit ${sum.credit.toFixed(amountDecimals)} (difference ${sum.debit.minus(sum.credit).toFixed(amountDecimals)})`)
				.join('; ')}`,
			'Debits and credits must be equal in every currency. Nothing was sent to IFS. Add the missing line (e.g. a rounding or clearing account) and run again.',
			itemIndex,
		);
	}
	return Object.fromEntries([...sums].map(([currency, sum]) => [currency, { debit: sum.debit.toFixed(amountDecimals), credit: sum.credit.toFixed(amountDecimals) }]));
}

/** The voucher already created for `reference` in `company`, if any. */
export async function findVoucher(client: IfsClient, names: JournalNames, company: string, reference: string, itemIndex: number): Promise<IDataObject | undefined> {
	const vouchers: EntityRef = { projection: names.voucherProjection, entitySet: names.voucherEntitySet };
	const type = await entityOf(client, vouchers, itemIndex, 'vouchers (idempotency lookup)');
	requireFields(client, vouchers, type, { company: names.companyField, reference: names.voucherReferenceField }, itemIndex);
	const filter = `${await equals(client, vouchers, type, names.companyField, company, itemIndex)} and ${await equals(client, vouchers, type, names.voucherReferenceField, reference, itemIndex)}`;
	return (await findRows(client, vouchers, filter, itemIndex, { limit: 1 }))[0];
}

/** Rows of a created voucher, for reversing it. */
export async function voucherRows(client: IfsClient, names: JournalNames, voucher: IDataObject, itemIndex: number): Promise<IDataObject[]> {
	const vouchers: EntityRef = { projection: names.voucherProjection, entitySet: names.voucherEntitySet };
	const rows: EntityRef = { projection: names.voucherProjection, entitySet: names.voucherRowEntitySet };
	const voucherType = await entityOf(client, vouchers, itemIndex, 'vouchers');
	const rowType = await entityOf(client, rows, itemIndex, 'voucher rows');
	const clauses = [];
	for (const key of voucherType.keys) clauses.push(await equals(client, rows, rowType, key, voucher[key], itemIndex));
	return await findRows(client, rows, clauses.join(' and '), itemIndex);
}

function postingValues(names: JournalNames, line: JournalLine, journalText: string | undefined): IDataObject {
	const values: IDataObject = {
		[names.accountField]: line.account,
		[names.currencyField]: line.currency,
		...line.fields,
	};
	if (!line.debit.isZero()) values[names.debitField] = line.debit.toNumber();
	if (!line.credit.isZero()) values[names.creditField] = line.credit.toNumber();
	const text = line.text ?? journalText;
	if (text !== undefined) values[names.textField] = text;
	return values;
}

/** The posting fields the journal uses, by role (a line's own fields named with the line), for requireFields. */
function postingFieldRoles(names: JournalNames, journal: Journal): Record<string, string> {
	const roles: Record<string, string> = { account: names.accountField, 'debit amount': names.debitField, 'credit amount': names.creditField, currency: names.currencyField };
	if (journal.text !== undefined || journal.lines.some((line) => line.text !== undefined)) roles.text = names.textField;
	for (const [index, line] of journal.lines.entries()) {
		for (const field of Object.keys(line.fields)) if (!Object.values(roles).includes(field)) roles[`field of journal line ${index + 1}`] = field;
	}
	return roles;
}

/** Through the voucher entry assistant: a virtual entry, its posting rows, then CreateVoucher. */
export async function postViaVoucherEntry(client: IfsClient, names: JournalNames, journal: Journal, itemIndex: number): Promise<void> {
	const entries: EntityRef = { projection: names.entryProjection, entitySet: names.entryEntitySet };
	const entryType = await entityOf(client, entries, itemIndex, 'voucher entry');
	requireFields(
		client,
		entries,
		entryType,
		{ company: names.companyField, 'voucher type': names.voucherTypeField, 'voucher date': names.voucherDateField, reference: names.voucherReferenceField, currency: names.currencyField },
		itemIndex,
	);
	const navigation = entryType.navigation[names.postingNavigation];
	if (!navigation) {
		throw operationError(
			client.node,
			`${names.entryEntitySet} has no navigation "${names.postingNavigation}" to its posting rows`,
			`Navigations of ${entryType.name}: ${Object.keys(entryType.navigation).join(', ') || 'none'}. Set Posting Navigation under IFS Names.`,
			itemIndex,
		);
	}
	const model = await client.model(names.entryProjection, itemIndex);
	const postingType = model.entityTypes[navigation.type];
	const action = operationsFor(model, names.entryEntitySet).find((operation) => operation.name === names.createVoucherAction || operation.qualifiedName === names.createVoucherAction);
	if (!postingType || !action) {
		throw operationError(
			client.node,
			`${names.entryProjection} has no ${!action ? `action "${names.createVoucherAction}" bound to ${names.entryEntitySet}` : `posting entity ${navigation.type}`}`,
			`Actions of ${names.entryEntitySet}: ${operationsFor(model, names.entryEntitySet).map((operation) => operation.name).join(', ') || 'none'}. Set the names under IFS Names, or use the external voucher load.`,
			itemIndex,
		);
	}
	// Named as the user finds it in API Explorer (the rows are only reached through the entry).
	const postingRef: EntityRef = { projection: names.entryProjection, entitySet: `${names.entryEntitySet}/${names.postingNavigation}` };
	const enums = await enumMembersOf(client, names.entryProjection, itemIndex);
	// Every line's fields and values are checked before the entry is created.
	requireFields(client, postingRef, postingType, postingFieldRoles(names, journal), itemIndex);
	const postingBodies = journal.lines.map((line) => typedValues(client, postingType, postingValues(names, line, journal.text), itemIndex, enums));

	const header = typedValues(
		client,
		entryType,
		{
			[names.companyField]: journal.company,
			[names.voucherTypeField]: journal.voucherType,
			[names.voucherDateField]: journal.date,
			[names.voucherReferenceField]: journal.reference,
			[names.currencyField]: journal.currency,
		},
		itemIndex,
		enums,
	);
	// The entry is a draft (a virtual): a failure before CreateVoucher leaves no voucher, and a
	// re-run simply starts a new draft.
	const entry = await createRow(client, entries, header, itemIndex);
	const entryPath = await rowPath(client, entries, entry, itemIndex);
	for (const body of postingBodies) {
		await createRow(client, postingRef, body, itemIndex, undefined, `${entryPath}/${encodeURIComponent(names.postingNavigation)}`);
	}
	await writeWithEtag(client, { projection: names.entryProjection, path: entryPath }, itemIndex, 3, async (current) => {
		const response = await client.request(
			{
				method: 'POST',
				projection: names.entryProjection,
				path: `${entryPath}/${action.qualifiedName}`,
				body: {},
				ifMatch: current?.etag ?? '*',
				allowStatuses: [412],
				// The action may have run even if its answer was lost: look for the voucher. If it is not
				// there, sending again is safe: a successful call consumes the entry, so a repeat cannot
				// create a second voucher.
				verify: async () => {
					const voucher = await findVoucher(client, names, journal.company, journal.reference, itemIndex);
					return voucher ? { statusCode: 200, headers: {}, body: voucher } : 'resend';
				},
			},
			itemIndex,
		);
		return response.statusCode === 412 ? { done: false, attempted: { action: names.createVoucherAction } } : { done: true, value: undefined };
	});
}

/** IFS code parts (dimensions) B to J, e.g. CodeB = cost center. */
export const CODE_PART = /^Code[B-J]$/;

/** Whether a loaded row holds exactly `values`, with no other optional field set. */
function sameLoadRow(type: EdmEntityType, row: IDataObject, values: IDataObject, optional: Set<string>): boolean {
	for (const [field, value] of Object.entries(values)) if (!sameValue(row[field], value, type.properties[field]?.type ?? 'Edm.String')) return false;
	for (const field of optional) if (!(field in values) && row[field] !== undefined && row[field] !== null && row[field] !== '') return false;
	return true;
}

/** Deletes a row with its ETag (re-read on 412); a row already gone is fine. */
async function deleteRow(client: IfsClient, ref: EntityRef, row: IDataObject, itemIndex: number): Promise<void> {
	const path = await rowPath(client, ref, row, itemIndex);
	await writeWithEtag(client, { projection: ref.projection, path }, itemIndex, DEFAULT_CONFLICT_RETRIES, async (current) => {
		if (!current) return { done: true, value: undefined };
		const response = await client.request({ method: 'DELETE', projection: ref.projection, path, ifMatch: current.etag ?? '*', allowStatuses: [404, 412] }, itemIndex);
		return response.statusCode === 412 ? { done: false, attempted: { delete: true } } : { done: true, value: undefined };
	});
}

/** The external load is keyed by a load ID derived from company and reference, so a re-run finds its rows. */
export function loadIdFor(company: string, reference: string): string {
	return `N8N${createHash('sha256').update(`${company}\u0000${reference}`).digest('hex').slice(0, 17).toUpperCase()}`;
}

/** Through the external voucher load: rows into the load table, then the load action. */
export async function postViaExternalLoad(client: IfsClient, names: JournalNames, journal: Journal, itemIndex: number): Promise<void> {
	const loads: EntityRef = { projection: names.externalProjection, entitySet: names.externalEntitySet };
	const type = await entityOf(client, loads, itemIndex, 'external voucher load');
	requireFields(
		client,
		loads,
		type,
		{
			'load ID': names.loadIdField,
			'record number': names.recordNoField,
			reference: names.externalReferenceField,
			company: names.companyField,
			'voucher type': names.voucherTypeField,
			'transaction date': names.transactionDateField,
		},
		itemIndex,
	);
	const model = await client.model(names.externalProjection, itemIndex);
	const action = model.operations.find((operation) => !operation.isBound && (operation.name === names.loadAction || operation.importName === names.loadAction));
	if (!action) {
		throw operationError(
			client.node,
			`${names.externalProjection} has no unbound action "${names.loadAction}"`,
			`Unbound actions: ${operationsFor(model).map((operation) => operation.name).join(', ') || 'none'}. Set External Load Action under IFS Names.`,
			itemIndex,
		);
	}
	const enums = await enumMembersOf(client, names.externalProjection, itemIndex);
	const loadId = loadIdFor(journal.company, journal.reference);
	// Every line's fields and values are checked before the first row is written.
	requireFields(client, loads, type, postingFieldRoles(names, journal), itemIndex);
	const wanted = journal.lines.map((line, index) =>
		typedValues(
			client,
			type,
			{
				...postingValues(names, line, journal.text),
				[names.loadIdField]: loadId,
				[names.recordNoField]: index + 1,
				[names.externalReferenceField]: journal.reference,
				[names.companyField]: journal.company,
				[names.voucherTypeField]: journal.voucherType,
				[names.transactionDateField]: journal.date,
			},
			itemIndex,
			enums,
		),
	);
	// Rows an earlier run loaded (e.g. before IFS rejected the load, or before a crash): kept when
	// they are what this journal says, replaced when the journal was corrected since.
	const loaded = new Map<string, IDataObject>();
	for (const row of await findRows(client, loads, await equals(client, loads, type, names.loadIdField, loadId, itemIndex), itemIndex)) {
		loaded.set(String(row[names.recordNoField]), row);
	}
	// Fields a line may or may not set: a value left in one of them is stale too.
	const optional = new Set([names.debitField, names.creditField, names.textField, ...journal.lines.flatMap((line) => Object.keys(line.fields))]);
	for (const field of Object.keys(type.properties)) if (CODE_PART.test(field)) optional.add(field);
	for (const [index, values] of wanted.entries()) {
		const recordNo = index + 1;
		const previous = loaded.get(String(recordNo));
		loaded.delete(String(recordNo));
		if (previous) {
			if (sameLoadRow(type, previous, values, optional)) continue;
			await deleteRow(client, loads, previous, itemIndex);
		}
		const path = await rowPath(client, loads, values, itemIndex);
		await createRow(client, loads, values, itemIndex, async () => {
			const response = await client.request<IDataObject>({ method: 'GET', projection: names.externalProjection, path, allowStatuses: [404] }, itemIndex);
			return response.statusCode === 404 ? undefined : response.body;
		});
	}
	// Rows beyond the journal's lines belong to an earlier, longer version of it.
	for (const row of loaded.values()) await deleteRow(client, loads, row, itemIndex);
	await client.request(
		{
			method: 'POST',
			projection: names.externalProjection,
			path: encodeURIComponent(action.importName ?? action.name),
			body: { [action.parameters[0]?.name ?? names.loadIdField]: loadId },
			// As above: a created load refuses a second load action, so sending again is safe.
			verify: async () => {
				const voucher = await findVoucher(client, names, journal.company, journal.reference, itemIndex);
				return voucher ? { statusCode: 200, headers: {}, body: voucher } : 'resend';
			},
		},
		itemIndex,
	);
}

/**
 * General ledger: the voucher hold table (VoucherHandling), the chart of accounts and cost
 * centers it is checked against, and the two ways an integration creates a voucher:
 *
 *   path A  VoucherEntryAssistantHandling: a virtual VoucherEntry with VoucherPosting rows,
 *           then the bound action VoucherEntry_CreateVoucher (how IFS assistants work: virtual
 *           rows are scratch data that the action turns into real records and drops);
 *   path B  ExternalVouchers: rows loaded under a LoadId, then the unbound action
 *           LoadExternalVouchers creates one voucher from the load.
 *
 * Names from the IFS source copy in the reference (§5: VoucherHandling/VoucherSet,
 * VoucherEntryAssistantHandling with virtual VoucherEntry/VoucherPosting and CreateVoucher,
 * ExternalVouchers/ExternalVouchersSet on LU ExtTransactions). AccountsHandling and
 * CodeBHandling are the sandbox's own names for the master data (see README, Decisions).
 *
 * Both paths share one posting routine: all validation happens before anything is written,
 * and balances are checked per currency in integer minor units (money.ts), never in floats.
 */
import { createHash } from 'node:crypto';
import { formatDateTimeOffset } from './edm-values';
import { databaseError } from './errors';
import { fromMinorUnits, formatMinorUnits, toMinorUnits, currencyDecimals } from './money';
import {
	entityType,
	paramType,
	prop,
	type ActionDef,
	type EntitySetDef,
	type EnumTypeDef,
	type HookContext,
	type ProjectionDef,
	type RowValues,
	type Value,
} from './model';
import {
	COMPANY_CURRENCY,
	ifsSystemProperties,
	isBlank,
	nextInSeries,
	projection,
	recordNotExist,
	requireCompany,
	today,
	VOUCHER_KEY_STRUCTURE,
} from './projection-kit';

export const VOUCHER_STATUSES: EnumTypeDef = {
	name: 'VoucherStatus',
	members: ['Confirmed', 'AwaitingApproval', 'Error', 'Cancelled'],
};

/** Voucher types of both companies (I, K, M are in the seeded vouchers; X is for external loads). */
export const VOUCHER_TYPES: readonly string[] = ['I', 'K', 'M', 'X'];

/**
 * Chart of accounts of both companies: every 10th number in these ranges ('1000', '1010', ...,
 * '8990'). 9000-9999 is deliberately empty, so '9999' is a realistic unknown account.
 */
export const CHART_OF_ACCOUNTS: ReadonlyArray<{ from: number; to: number; group: string; label: string }> = [
	{ from: 1000, to: 1990, group: 'ASSETS', label: 'Asset account' },
	{ from: 2000, to: 2990, group: 'LIABILITIES', label: 'Liability account' },
	{ from: 3000, to: 3990, group: 'REVENUE', label: 'Revenue account' },
	{ from: 4000, to: 7990, group: 'COSTS', label: 'Cost account' },
	{ from: 8000, to: 8990, group: 'FINANCIAL', label: 'Financial account' },
];

/** Accounts with their everyday names (the rest are "<label> <number>"). */
export const NAMED_ACCOUNTS: Readonly<Record<string, string>> = {
	'1510': 'Accounts receivable',
	'1930': 'Bank account',
	'2440': 'Accounts payable',
	'2610': 'Output VAT',
	'2640': 'Input VAT',
	'3010': 'Sales of goods',
	'3740': 'Rounding differences',
	'4010': 'Purchases of goods',
	'6110': 'Office supplies',
	'8310': 'Interest income',
};

/** Code B values (cost centers) of both companies. */
export const COST_CENTERS: readonly string[] = ['100', '200', '300', '400', '500', '600', '700', '800', '900'];

// ---------------------------------------------------------------------------------------------
// Shared amount rules and the posting routine

/** Exactly one of debit and credit per row, with no more decimals than the currency has. */
function checkAmounts(lu: string, values: RowValues): void {
	const debit = values.CurrencyDebitAmount;
	const credit = values.CurrencyCreditAmount;
	if ((debit === null || debit === undefined) === (credit === null || credit === undefined)) {
		throw databaseError(400, `ORA-20110: ${lu}.DEBITCREDIT: Exactly one of CurrencyDebitAmount and CurrencyCreditAmount must have a value.`);
	}
	if (typeof values.CurrencyCode !== 'string') return; // the mandatory check names the field
	const amount = (debit ?? credit) as number;
	toMinorUnits(amount, values.CurrencyCode, debit !== null && debit !== undefined ? 'CurrencyDebitAmount' : 'CurrencyCreditAmount');
}

function requireVoucherType(voucherType: Value): void {
	if (typeof voucherType === 'string' && !VOUCHER_TYPES.includes(voucherType)) {
		throw databaseError(400, `ORA-20111: VoucherType.NOTEXIST: Voucher type ${voucherType} does not exist.`);
	}
}

function requireCurrency(currency: Value): void {
	if (typeof currency === 'string') currencyDecimals(currency);
}

export interface PostingRow {
	Account: Value;
	CodeB: Value;
	CodeC: Value;
	CodeD: Value;
	CurrencyDebitAmount: Value;
	CurrencyCreditAmount: Value;
	CurrencyCode: Value;
	Text: Value;
}

export interface VoucherRequest {
	company: Value;
	voucherType: Value;
	voucherDate: Value;
	voucherText2: Value;
	user: string | undefined;
	rows: PostingRow[];
}

/**
 * Validate and create one voucher with its rows in VoucherHandling; returns its key. Throws
 * (writing nothing) when a row names an unknown account / code B, or a currency does not balance.
 */
export function postVoucher(ctx: HookContext, request: VoucherRequest): RowValues {
	const company = requireCompany(request.company);
	requireVoucherType(request.voucherType);
	if (typeof request.voucherDate !== 'string') throw databaseError(400, 'ORA-20110: Voucher.NULLVALUE: Field [VOUCHER_DATE] is mandatory for Voucher and requires a value.');
	if (request.rows.length === 0) throw databaseError(400, 'ORA-20110: Voucher.NOROWS: The voucher has no rows.');

	const accounts = ctx.other('AccountsHandling', 'AccountSet');
	const codeB = ctx.other('CodeBHandling', 'CodeBSet');
	const balance = new Map<string, { debit: bigint; credit: bigint }>();
	for (const row of request.rows) {
		checkAmounts('Voucher', row as unknown as RowValues);
		if (!accounts.find({ Company: company, Account: row.Account })) {
			throw databaseError(400, `ORA-20111: Account.NOTEXIST: Account ${String(row.Account)} does not exist in company ${company}.`);
		}
		if (!isBlank(row.CodeB) && !codeB.find({ Company: company, CodeB: row.CodeB })) {
			throw databaseError(400, `ORA-20111: CodeB.NOTEXIST: Code B value ${String(row.CodeB)} does not exist in company ${company}.`);
		}
		const currency = String(row.CurrencyCode);
		const sums = balance.get(currency) ?? { debit: 0n, credit: 0n };
		if (row.CurrencyDebitAmount !== null) sums.debit += toMinorUnits(row.CurrencyDebitAmount as number, currency, 'CurrencyDebitAmount');
		else sums.credit += toMinorUnits(row.CurrencyCreditAmount as number, currency, 'CurrencyCreditAmount');
		balance.set(currency, sums);
	}
	for (const [currency, { debit, credit }] of balance) {
		if (debit !== credit) {
			throw databaseError(
				400,
				`ORA-20110: Voucher.NOTBALANCED: Voucher is not balanced in currency ${currency}: debit ${formatMinorUnits(debit, currency)}, ` +
					`credit ${formatMinorUnits(credit, currency)}, difference ${formatMinorUnits(debit - credit, currency)}.`,
			);
		}
	}

	const year = Number(request.voucherDate.slice(0, 4));
	const vouchers = ctx.other('VoucherHandling', 'VoucherSet');
	const sameSeries = vouchers.all().filter((v) => v.Company === company && v.AccountingYear === year && v.VoucherType === request.voucherType);
	const voucherNo = nextInSeries(ctx, `Voucher:${company}:${year}:${String(request.voucherType)}`, sameSeries, (v) => v.VoucherNo as number);
	const key: RowValues = { Company: company, AccountingYear: year, VoucherType: request.voucherType, VoucherNo: voucherNo };
	vouchers.insert({
		...key,
		VoucherDate: request.voucherDate,
		VoucherText2: request.voucherText2,
		VoucherStatus: 'Confirmed',
		Userid: request.user ?? 'IFSAPP',
		FunctionGroup: request.voucherType,
		DateReg: formatDateTimeOffset(ctx.now()),
	});
	const voucherRows = ctx.other('VoucherHandling', 'VoucherRowSet');
	request.rows.forEach((row, index) => {
		voucherRows.insert({
			...key,
			RowNo: index + 1,
			Account: row.Account,
			CodeB: row.CodeB,
			CodeC: row.CodeC,
			CodeD: row.CodeD,
			// Stored as the exact decimal the client sent (validated above).
			CurrencyDebitAmount: row.CurrencyDebitAmount === null ? null : fromMinorUnits(toMinorUnits(row.CurrencyDebitAmount as number, String(row.CurrencyCode)), String(row.CurrencyCode)),
			CurrencyCreditAmount: row.CurrencyCreditAmount === null ? null : fromMinorUnits(toMinorUnits(row.CurrencyCreditAmount as number, String(row.CurrencyCode)), String(row.CurrencyCode)),
			CurrencyCode: row.CurrencyCode,
			Text: row.Text,
		});
	});
	return key;
}

const postingRow = (values: RowValues): PostingRow => ({
	Account: values.Account,
	CodeB: values.CodeB ?? null,
	CodeC: values.CodeC ?? null,
	CodeD: values.CodeD ?? null,
	CurrencyDebitAmount: values.CurrencyDebitAmount ?? null,
	CurrencyCreditAmount: values.CurrencyCreditAmount ?? null,
	CurrencyCode: values.CurrencyCode,
	Text: values.Text ?? null,
});

/** The code-part and amount properties voucher rows, postings and external rows share. */
function postingProperties() {
	return [
		prop.string('Account', 20, { nullable: false }),
		prop.string('CodeB', 20),
		prop.string('CodeC', 20),
		prop.string('CodeD', 20),
		prop.decimal('CurrencyDebitAmount', { precision: 38 }),
		prop.decimal('CurrencyCreditAmount', { precision: 38 }),
	];
}

// ---------------------------------------------------------------------------------------------
// VoucherHandling (hold-table vouchers: Read, Update only; rows read-only)

export function voucherHandling(): ProjectionDef {
	const voucher = entityType({
		name: 'VoucherEntry',
		luname: 'Voucher',
		keys: ['Company', 'AccountingYear', 'VoucherType', 'VoucherNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.int32('AccountingYear'),
			prop.string('VoucherType', 3),
			prop.int32('VoucherNo'),
			prop.date('VoucherDate', { nullable: false }),
			prop.string('VoucherText2', 200),
			prop.enumeration('VoucherStatus', VOUCHER_STATUSES, { nullable: false }),
			prop.string('Userid', 30, { readOnly: true }),
			prop.string('FunctionGroup', 10, { readOnly: true }),
			prop.dateTimeOffset('DateReg', { readOnly: true }),
		],
		navigations: [
			{
				name: 'VoucherRowArray',
				targetSet: 'VoucherRowSet',
				collection: true,
				on: ['Company', 'AccountingYear', 'VoucherType', 'VoucherNo'].map((k) => ({ sourceProperty: k, targetProperty: k })),
				expandable: false,
			},
		],
	});
	const row = entityType({
		name: 'VoucherRow',
		luname: 'VoucherRow',
		keys: ['Company', 'AccountingYear', 'VoucherType', 'VoucherNo', 'RowNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.int32('AccountingYear'),
			prop.string('VoucherType', 3),
			prop.int32('VoucherNo'),
			prop.int32('RowNo'),
			...postingProperties(),
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.string('Text', 200),
		],
	});
	return projection('VoucherHandling', ['int', 'main'], {
		enumTypes: [VOUCHER_STATUSES],
		entityTypes: [voucher, row],
		entitySets: [
			{ name: 'VoucherSet', entityType: voucher, crud: { create: false, update: true, delete: false } },
			{ name: 'VoucherRowSet', entityType: row, crud: { create: false, update: false, delete: false } },
		],
		actions: [],
		functions: [],
	});
}

// ---------------------------------------------------------------------------------------------
// Master data: chart of accounts and code B (cost centers), read-only

export function accountsHandling(): ProjectionDef {
	const account = entityType({
		name: 'Account',
		luname: 'Account',
		keys: ['Company', 'Account'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Company', 20),
			prop.string('Account', 20),
			prop.string('Description', 100, { nullable: false }),
			prop.string('AccountGroup', 20, { nullable: false }),
		],
	});
	return projection('AccountsHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [account],
		entitySets: [{ name: 'AccountSet', entityType: account, crud: { create: false, update: false, delete: false } }],
		actions: [],
		functions: [],
	});
}

export function codeBHandling(): ProjectionDef {
	const codeB = entityType({
		name: 'CodeB',
		luname: 'CodeB',
		keys: ['Company', 'CodeB'],
		properties: [...ifsSystemProperties(), prop.string('Company', 20), prop.string('CodeB', 20), prop.string('Description', 100, { nullable: false })],
	});
	return projection('CodeBHandling', ['int', 'main'], {
		enumTypes: [],
		entityTypes: [codeB],
		entitySets: [{ name: 'CodeBSet', entityType: codeB, crud: { create: false, update: false, delete: false } }],
		actions: [],
		functions: [],
	});
}

// ---------------------------------------------------------------------------------------------
// Path A: VoucherEntryAssistantHandling (virtual entities + CreateVoucher)

/**
 * IFS virtual rows are keyed by an Objkey (a SYS_GUID, 32 hex digits). Ours start with the
 * series number so rows sort in creation order (postings become voucher rows in that order).
 */
function newObjkey(ctx: HookContext, series: string): string {
	const n = ctx.sequence(series);
	const tail = createHash('sha1').update(`${series}:${n}`).digest('hex').toUpperCase().slice(0, 20);
	return n.toString(16).toUpperCase().padStart(12, '0') + tail;
}

export function voucherEntryAssistantHandling(): ProjectionDef {
	const entry = entityType({
		name: 'VoucherEntry',
		luname: 'VoucherEntryVirtual',
		keys: ['Objkey'],
		properties: [
			...ifsSystemProperties(),
			prop.string('Objkey', 50, { insertable: false }),
			prop.string('Company', 20, { nullable: false, updatable: false }),
			prop.string('VoucherType', 3, { nullable: false }),
			prop.date('VoucherDate', { nullable: false, defaultValue: today }),
			// The external reference: copied to the created voucher's VoucherText2.
			prop.string('VoucherText2', 200),
			// Defaults to the company's currency.
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.string('Objstate', 20, { readOnly: true, nullable: false, defaultValue: () => 'New' }),
		],
		navigations: [
			{
				name: 'VoucherPostingArray',
				targetSet: 'VoucherPostingSet',
				collection: true,
				on: [{ sourceProperty: 'Objkey', targetProperty: 'ParentObjkey' }],
				expandable: false,
			},
		],
	});
	const posting = entityType({
		name: 'VoucherPosting',
		luname: 'VoucherPostingVirtual',
		keys: ['ParentObjkey', 'Objkey'],
		properties: [
			...ifsSystemProperties(),
			prop.string('ParentObjkey', 50),
			prop.string('Objkey', 50, { insertable: false }),
			...postingProperties(),
			// Defaults to the voucher entry's currency.
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.string('Text', 200),
		],
	});

	const entrySet: EntitySetDef = {
		name: 'VoucherEntrySet',
		entityType: entry,
		crud: { create: true, update: true, delete: true },
		hooks: {
			assignKeys(ctx, values) {
				values.Objkey = newObjkey(ctx, 'VoucherEntry.Objkey');
			},
			beforeInsert(_ctx, values) {
				if (!isBlank(values.Company)) {
					const company = requireCompany(values.Company);
					if (isBlank(values.CurrencyCode)) values.CurrencyCode = COMPANY_CURRENCY[company];
				}
				requireVoucherType(values.VoucherType);
				requireCurrency(values.CurrencyCode);
			},
			beforeUpdate(_ctx, _current, changes) {
				if ('VoucherType' in changes) requireVoucherType(changes.VoucherType);
				if ('CurrencyCode' in changes) requireCurrency(changes.CurrencyCode);
			},
			beforeDelete(ctx, values) {
				const postings = ctx.table('VoucherPostingSet');
				for (const p of postings.all().filter((r) => r.ParentObjkey === values.Objkey)) postings.remove(p);
			},
		},
	};
	const postingSet: EntitySetDef = {
		name: 'VoucherPostingSet',
		entityType: posting,
		crud: { create: true, update: true, delete: true },
		hooks: {
			assignKeys(ctx, values) {
				values.Objkey = newObjkey(ctx, 'VoucherPosting.Objkey');
			},
			beforeInsert(ctx, values) {
				const parent = ctx.table('VoucherEntrySet').find({ Objkey: values.ParentObjkey });
				if (!parent) throw recordNotExist('VoucherEntryVirtual', String(values.ParentObjkey));
				if (isBlank(values.CurrencyCode)) values.CurrencyCode = parent.CurrencyCode;
				requireCurrency(values.CurrencyCode);
				checkAmounts('VoucherPosting', values);
			},
			beforeUpdate(_ctx, current, changes) {
				if ('CurrencyCode' in changes) requireCurrency(changes.CurrencyCode);
				checkAmounts('VoucherPosting', { ...current, ...changes });
			},
		},
	};

	const createVoucher: ActionDef = {
		name: 'VoucherEntry_CreateVoucher',
		boundTo: 'VoucherEntrySet',
		parameters: [],
		returnType: { kind: 'complex', complexType: VOUCHER_KEY_STRUCTURE },
		requiresEtag: true,
		handler(ctx) {
			const header = ctx.entity!.values;
			const rows = ctx
				.table('VoucherPostingSet')
				.all()
				.filter((p) => p.ParentObjkey === header.Objkey)
				.map(postingRow);
			const key = postVoucher(ctx, {
				company: header.Company,
				voucherType: header.VoucherType,
				voucherDate: header.VoucherDate,
				voucherText2: header.VoucherText2,
				user: ctx.user,
				rows,
			});
			// The assistant's scratch rows are gone once the voucher exists.
			ctx.entity!.table.remove({ Objkey: header.Objkey });
			return key;
		},
	};

	return projection('VoucherEntryAssistantHandling', ['int', 'main'], {
		enumTypes: [],
		complexTypes: [VOUCHER_KEY_STRUCTURE],
		entityTypes: [entry, posting],
		entitySets: [entrySet, postingSet],
		actions: [createVoucher],
		functions: [],
	});
}

// ---------------------------------------------------------------------------------------------
// Path B: ExternalVouchers (load rows, then LoadExternalVouchers)

export function externalVouchers(): ProjectionDef {
	const ext = entityType({
		name: 'ExtTransaction',
		luname: 'ExtTransactions',
		keys: ['LoadId', 'RecordNo'],
		properties: [
			...ifsSystemProperties(),
			prop.string('LoadId', 50),
			// Next number within the load when not sent.
			prop.int32('RecordNo'),
			prop.string('Company', 20, { nullable: false }),
			prop.string('VoucherType', 3, { nullable: false }),
			prop.date('TransactionDate', { nullable: false }),
			...postingProperties(),
			// Defaults to the company's currency.
			prop.string('CurrencyCode', 3, { nullable: false }),
			prop.string('Text', 200),
			// The external reference: the created voucher's VoucherText2.
			prop.string('Reference', 200),
			prop.string('Objstate', 20, { readOnly: true, nullable: false, defaultValue: () => 'Loaded' }),
			// Filled when the load has been created as a voucher.
			prop.int32('AccountingYear', { readOnly: true }),
			prop.int32('VoucherNo', { readOnly: true }),
		],
	});

	const createdRow = (ctx: HookContext, loadId: Value) =>
		ctx
			.table('ExternalVouchersSet')
			.all()
			.find((r) => r.LoadId === loadId && r.Objstate === 'Created');
	const alreadyCreated = (loadId: Value, row: RowValues) =>
		databaseError(
			400,
			`ORA-20110: ExtTransactions.CREATED: Load ${String(loadId)} has already been created as voucher ` +
				`${String(row.Company)} ${String(row.AccountingYear)} ${String(row.VoucherType)} ${String(row.VoucherNo)}.`,
		);

	const extSet: EntitySetDef = {
		name: 'ExternalVouchersSet',
		entityType: ext,
		crud: { create: true, update: true, delete: true },
		hooks: {
			assignKeys(ctx, values) {
				if (isBlank(values.LoadId) || (values.RecordNo !== null && values.RecordNo !== undefined)) return;
				const mine = ctx.table('ExternalVouchersSet').all().filter((r) => r.LoadId === values.LoadId);
				values.RecordNo = mine.reduce((max, r) => Math.max(max, r.RecordNo as number), 0) + 1;
			},
			beforeInsert(ctx, values) {
				const created = createdRow(ctx, values.LoadId);
				if (created) throw alreadyCreated(values.LoadId, created);
				if (!isBlank(values.Company)) {
					const company = requireCompany(values.Company);
					if (isBlank(values.CurrencyCode)) values.CurrencyCode = COMPANY_CURRENCY[company];
				}
				requireVoucherType(values.VoucherType);
				requireCurrency(values.CurrencyCode);
				checkAmounts('ExtTransactions', values);
			},
			beforeUpdate(_ctx, current, changes) {
				if (current.Objstate === 'Created') throw alreadyCreated(current.LoadId, current);
				if ('VoucherType' in changes) requireVoucherType(changes.VoucherType);
				if ('CurrencyCode' in changes) requireCurrency(changes.CurrencyCode);
				checkAmounts('ExtTransactions', { ...current, ...changes });
			},
			beforeDelete(_ctx, values) {
				if (values.Objstate === 'Created') throw alreadyCreated(values.LoadId, values);
			},
		},
	};

	const load: ActionDef = {
		name: 'LoadExternalVouchers',
		parameters: [{ name: 'LoadId', type: paramType.string, nullable: false, maxLength: 50 }],
		returnType: { kind: 'complex', complexType: VOUCHER_KEY_STRUCTURE },
		requiresEtag: false,
		handler(ctx) {
			const loadId = ctx.params.LoadId;
			const table = ctx.table('ExternalVouchersSet');
			const rows = table.all().filter((r) => r.LoadId === loadId);
			if (rows.length === 0) throw databaseError(400, `ORA-20111: ExtLoadInfo.NOTEXIST: Load ${String(loadId)} does not exist.`);
			const created = rows.find((r) => r.Objstate === 'Created');
			if (created) throw alreadyCreated(loadId, created);
			const first = rows[0];
			for (const r of rows) {
				if (r.Company !== first.Company || r.VoucherType !== first.VoucherType || r.TransactionDate !== first.TransactionDate) {
					throw databaseError(
						400,
						`ORA-20110: ExtTransactions.ONEVOUCHER: All rows of load ${String(loadId)} must have the same Company, VoucherType and TransactionDate.`,
					);
				}
			}
			const key = postVoucher(ctx, {
				company: first.Company,
				voucherType: first.VoucherType,
				voucherDate: first.TransactionDate,
				voucherText2: rows.find((r) => !isBlank(r.Reference))?.Reference ?? null,
				user: ctx.user,
				rows: rows.map(postingRow),
			});
			for (const r of rows) table.modify(r, { Objstate: 'Created', AccountingYear: key.AccountingYear, VoucherNo: key.VoucherNo });
			return key;
		},
	};

	return projection('ExternalVouchers', ['int', 'main'], {
		enumTypes: [],
		complexTypes: [VOUCHER_KEY_STRUCTURE],
		entityTypes: [ext],
		entitySets: [extSet],
		actions: [load],
		functions: [],
	});
}

/**
 * Building blocks shared by the projection modules (orders, shipments, finance, payments):
 * IFS system properties, the projection shell, the tenant's companies and sites, and the
 * IFS-style business errors they raise. Kept apart from projections.ts so the area modules can
 * use them without importing each other.
 */
import { formatDate, formatDateTimeOffset } from './edm-values';
import { databaseError, type ODataError } from './errors';
import { prop, type ComplexTypeDef, type HookContext, type ProjectionDef, type PropertyDef, type RowValues, type Value } from './model';
import { luLabel } from './store';

/** Properties every IFS projection entity declares besides its own attributes. */
export function ifsSystemProperties(): PropertyDef[] {
	return [
		prop.string('luname', 30, { readOnly: true, column: 'LUNAME' }),
		prop.string('keyref', 4000, { readOnly: true, column: 'KEYREF' }),
		prop.string('Objgrants', 4000, { readOnly: true, column: 'OBJGRANTS' }),
	];
}

export function projection(
	name: string,
	deployments: ProjectionDef['deployments'],
	parts: Omit<ProjectionDef, 'name' | 'namespace' | 'deployments'>,
): ProjectionDef {
	return { name, namespace: `IfsApp.${name}`, deployments, ...parts };
}

/** Site -> company, as configured in the sandbox tenant. */
export const SITE_COMPANY: Record<string, string> = { S100: '10', S200: '20', S300: '20' };

/** Company -> accounting (base) currency. */
export const COMPANY_CURRENCY: Record<string, string> = { '10': 'SEK', '20': 'EUR' };

/** `{ Company, AccountingYear, VoucherType, VoucherNo }`: what the voucher-creating actions return. */
export const VOUCHER_KEY_STRUCTURE: ComplexTypeDef = {
	name: 'VoucherKeyStructure',
	properties: [
		prop.string('Company', 20, { nullable: false }),
		prop.int32('AccountingYear', { nullable: false }),
		prop.string('VoucherType', 3, { nullable: false }),
		prop.int32('VoucherNo', { nullable: false }),
	],
};

/** `ORA-20111: <Lu>.FND_RECORD_NOT_EXIST: The <Lu label> <what> does not exist.` */
export function recordNotExist(luname: string, what = ''): ODataError {
	return databaseError(400, `ORA-20111: ${luname}.FND_RECORD_NOT_EXIST: The ${luLabel(luname)}${what ? ` ${what}` : ''} does not exist.`);
}

/** The store's mandatory-field error, for hooks that need a value before the store checks it. */
export function mandatory(luname: string, column: string): ODataError {
	return databaseError(400, `ORA-20110: ${luname}.NULLVALUE: Field [${column}] is mandatory for ${luLabel(luname)} and requires a value.`);
}

export function requireCompany(company: Value): string {
	if (typeof company !== 'string' || !(company in COMPANY_CURRENCY)) {
		throw databaseError(400, `ORA-20111: Company.FND_RECORD_NOT_EXIST: Company ${String(company)} does not exist.`);
	}
	return company;
}

/** Today's date (Edm.Date) on the sandbox clock, as a property default. */
export const today = (now: Date): Value => formatDate(now.getTime());

/** '' counts as no value, as in Oracle. */
export const isBlank = (v: Value | undefined): boolean => v === null || v === undefined || v === '';

/**
 * Next number of a series that continues after the highest number already in the table
 * (seeded or explicitly given ones), and never hands out a number twice until reset.
 */
export function nextInSeries(ctx: HookContext, series: string, rows: readonly RowValues[], numberOf: (row: RowValues) => number | undefined): number {
	let highest = 0;
	for (const row of rows) {
		const n = numberOf(row);
		if (n !== undefined && n > highest) highest = n;
	}
	return ctx.sequence(series, highest + 1);
}

/** Sets the parent's change stamp (and derived values) without touching its Objversion. */
export function touchParent(ctx: HookContext, entitySet: string, keys: RowValues, changes: RowValues = {}): void {
	ctx.table(entitySet).setComputed(keys, { ...changes, ChangeDate: formatDateTimeOffset(ctx.now()) });
}

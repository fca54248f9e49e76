/**
 * Settlement summary + account mapping → balanced GL journal(s).
 *
 * Mapping: rules are tried in table order and the FIRST rule whose three match fields all match
 * wins (like a firewall table: put specific rules above catch-alls). A match field that is empty or
 * `*` matches anything; `*` inside a pattern stands for any characters (`*Tax` matches Tax,
 * ShippingTax, GiftWrapTax); otherwise it matches the value exactly. Case and surrounding spaces
 * are ignored. Groups no rule matches are returned as `unmapped`, never dropped.
 *
 * Sign convention (seller's view): a positive component (a sale) credits its account, a negative
 * one (a fee, a refund) debits it; the deposit (total-amount) debits the bank / clearing account
 * (a negative deposit credits it). Lines with the same account, cost center and text are netted.
 *
 * Month-end split: one journal per posting month. Every month before the deposit's month balances
 * against the carry-forward account (debit when Amazon owes us the month's net); the deposit
 * journal releases each carried amount and debits the bank with exactly the deposit, so every
 * journal balances and the bank line equals what reaches the bank.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

import { Decimal } from '../../common/decimal';
import { formatZodError } from '../../common/validation';
import { SettlementError } from './errors';
import { currencyDigits } from './money';
import { type SettlementGroup, type SettlementSummary, dateInZone } from './summary';

const optionalText = z.string().optional();

export const accountMappingRuleSchema = z.object({
	transactionType: optionalText,
	amountType: optionalText,
	amountDescription: optionalText,
	account: z.string().trim().min(1, 'an account is required'),
	costCenter: optionalText,
	/** Line text; may use {transactionType}, {amountType}, {amountDescription}, {settlementId}, {period}. */
	text: optionalText,
});

export type AccountMappingRule = z.input<typeof accountMappingRuleSchema>;

export const journalOptionsSchema = z
	.object({
		/** Debited with the deposit (the bank or an Amazon clearing account). */
		bankAccount: z.string().trim().min(1, 'the bank / clearing account is required'),
		bankCostCenter: optionalText,
		bankText: optionalText,
		/** One journal per posting month, carried forward through carryForwardAccount. */
		splitByMonth: z.boolean().optional(),
		carryForwardAccount: optionalText,
		carryForwardCostCenter: optionalText,
		/** Text of the month-end carry-forward line; `{period}` is the month carried. */
		carryForwardText: optionalText,
		/** Text of the line in the deposit journal that releases a carried month. */
		carryForwardReleaseText: optionalText,
		/** When set, unmapped groups are posted here (and still listed) instead of blocking the journal. */
		suspenseAccount: optionalText,
		suspenseCostCenter: optionalText,
	})
	.refine((options) => !options.splitByMonth || (options.carryForwardAccount ?? '').trim() !== '', {
		message: 'a carry-forward account is required for the month-end split',
		path: ['carryForwardAccount'],
	});

export type JournalOptions = z.input<typeof journalOptionsSchema>;

export interface JournalLine {
	account: string;
	costCenter?: string;
	text: string;
	/** Exact decimal strings; one of the two is zero. */
	debit: string;
	credit: string;
	currency: string;
}

export interface SettlementJournal {
	/** The settlement id (the document reference in the GL). */
	reference: string;
	/** Idempotency key: the settlement id, plus `:yyyy-MM` for each journal of a split. */
	key: string;
	kind: 'settlement' | 'month-end' | 'deposit';
	/** `yyyy-MM` of `date`. */
	period: string;
	/** Posting date `yyyy-MM-dd`: the deposit date, or the last day of a carried month. */
	date: string;
	currency: string;
	lines: JournalLine[];
	totalDebit: string;
	totalCredit: string;
}

export interface GroupMapping {
	transactionType: string;
	amountType: string;
	amountDescription: string;
	currency: string;
	amount: string;
	count: number;
	/** Index of the rule that matched, or null (unmapped, or posted to the suspense account). */
	ruleIndex: number | null;
	account: string | null;
	costCenter?: string;
}

export interface SettlementJournalResult {
	settlementId: string;
	reference: string;
	currency: string;
	totalAmount: string;
	/** `unmapped`: some group with a non-zero amount has no rule (and no suspense account); no journals. */
	status: 'ready' | 'unmapped';
	journals: SettlementJournal[];
	/** Every group without a rule, with its context; zero-amount ones are listed but do not block. */
	unmapped: SettlementGroup[];
	/** How each group was mapped: the preview of the posting. */
	mapping: GroupMapping[];
}

interface Target {
	account: string;
	costCenter?: string;
	/** Text template before group-level placeholders are filled. */
	text: string;
}

function matchesField(pattern: string | undefined, value: string): boolean {
	const wanted = (pattern ?? '').trim().toLowerCase();
	const actual = value.trim().toLowerCase();
	if (wanted === '' || wanted === '*') return true;
	if (!wanted.includes('*')) return wanted === actual;
	// A glob: the literal parts in order, the first anchored at the start, the last at the end.
	const parts = wanted.split('*');
	const first = parts[0];
	const last = parts[parts.length - 1];
	if (!actual.startsWith(first) || !actual.endsWith(last) || actual.length < first.length + last.length) return false;
	let position = first.length;
	const end = actual.length - last.length;
	for (const middle of parts.slice(1, -1)) {
		const found = actual.indexOf(middle, position);
		if (found < 0 || found + middle.length > end) return false;
		position = found + middle.length;
	}
	return true;
}

/** The first rule matching the group, by table order. */
export function findRule(rules: readonly AccountMappingRule[], group: Pick<SettlementGroup, 'transactionType' | 'amountType' | 'amountDescription'>): number | null {
	const index = rules.findIndex(
		(rule) =>
			matchesField(rule.transactionType, group.transactionType) &&
			matchesField(rule.amountType, group.amountType) &&
			matchesField(rule.amountDescription, group.amountDescription),
	);
	return index < 0 ? null : index;
}

function fill(template: string, values: Record<string, string>): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

function optional(value: string | undefined): string | undefined {
	const trimmed = value?.trim();
	return trimmed ? trimmed : undefined;
}

/** Lines of one journal, netted by account + cost center + text; `credit` is signed (debit < 0). */
class LineSet {
	private readonly lines = new Map<string, { account: string; costCenter?: string; text: string; net: Decimal }>();

	credit(target: { account: string; costCenter?: string; text: string }, amount: Decimal): void {
		if (amount.isZero()) return;
		const key = `${target.account}\u0000${target.costCenter ?? ''}\u0000${target.text}`;
		const line = this.lines.get(key);
		if (line) line.net = line.net.plus(amount);
		else this.lines.set(key, { account: target.account, costCenter: target.costCenter, text: target.text, net: amount });
	}

	get size(): number {
		return [...this.lines.values()].filter((line) => !line.net.isZero()).length;
	}

	toLines(currency: string, digits: number): { lines: JournalLine[]; debit: Decimal; credit: Decimal } {
		let debit = Decimal.ZERO;
		let credit = Decimal.ZERO;
		const lines: JournalLine[] = [];
		for (const line of this.lines.values()) {
			if (line.net.isZero()) continue;
			const isCredit = !line.net.isNegative();
			const value = line.net.abs();
			if (isCredit) credit = credit.plus(value);
			else debit = debit.plus(value);
			const zero = Decimal.ZERO.toFixed(digits);
			lines.push({
				account: line.account,
				...(line.costCenter !== undefined ? { costCenter: line.costCenter } : {}),
				text: line.text,
				debit: isCredit ? zero : value.toFixed(digits),
				credit: isCredit ? value.toFixed(digits) : zero,
				currency,
			});
		}
		return { lines, debit, credit };
	}
}

function lastDayOfMonth(month: string): string {
	return DateTime.fromISO(`${month}-01`, { zone: 'utc' }).endOf('month').toISODate() as string;
}

/**
 * Builds the journal(s) for a reconciled summary. Fails on invalid rules/options; returns
 * `status: 'unmapped'` with every unmapped group (and no journals) when the mapping is incomplete.
 */
export function buildSettlementJournals(
	summary: SettlementSummary,
	mappingRules: readonly AccountMappingRule[],
	journalOptions: JournalOptions,
): SettlementJournalResult {
	const parsedRules = z.array(accountMappingRuleSchema).safeParse(mappingRules);
	if (!parsedRules.success) {
		const issues = formatZodError(parsedRules.error).map((issue) => `rule ${issue}`);
		throw new SettlementError('MAPPING', `Invalid account mapping: ${issues.join('; ')}`, { context: { issues } });
	}
	const parsedOptions = journalOptionsSchema.safeParse(journalOptions);
	if (!parsedOptions.success) {
		const issues = formatZodError(parsedOptions.error);
		throw new SettlementError('OPTIONS', `Invalid journal options: ${issues.join('; ')}`, { context: { issues } });
	}
	const rules = parsedRules.data;
	const options = parsedOptions.data;
	const id = summary.settlementId;
	const currency = summary.currency;
	const digits = currencyDigits(currency);

	// Which account each group goes to.
	const unmapped: SettlementGroup[] = [];
	const mapping: GroupMapping[] = [];
	const targets = new Map<SettlementGroup, Target>();
	let blocked = false;
	const suspense = optional(options.suspenseAccount);
	for (const group of summary.groups) {
		const ruleIndex = findRule(rules, group);
		let target: Target | undefined;
		if (ruleIndex !== null) {
			const rule = rules[ruleIndex];
			target = { account: rule.account, costCenter: optional(rule.costCenter), text: optional(rule.text) ?? '{transactionType} / {amountType} / {amountDescription}' };
		} else {
			unmapped.push(group);
			if (suspense) target = { account: suspense, costCenter: optional(options.suspenseCostCenter), text: 'Unmapped: {transactionType} / {amountType} / {amountDescription}' };
			// A group that nets to zero in every month changes no journal; it is listed but does not block.
			else if (group.months.some((month) => !Decimal.from(month.amount).isZero())) blocked = true;
		}
		if (target) targets.set(group, target);
		mapping.push({
			transactionType: group.transactionType,
			amountType: group.amountType,
			amountDescription: group.amountDescription,
			currency: group.currency,
			amount: group.amount,
			count: group.count,
			ruleIndex,
			account: target?.account ?? null,
			...(target?.costCenter !== undefined ? { costCenter: target.costCenter } : {}),
		});
	}

	const result: SettlementJournalResult = {
		settlementId: id,
		reference: id,
		currency,
		totalAmount: summary.totalAmount,
		status: blocked ? 'unmapped' : 'ready',
		journals: [],
		unmapped,
		mapping,
	};
	if (blocked) return result;

	// The deposit journal's date: the deposit date (else the settlement end), in the summary's zone.
	const anchor = summary.depositDate ?? summary.endDate;
	const depositDay = anchor ? dateInZone(anchor, summary.timeZone) : summary.lastPostedDate;
	if (!depositDay) {
		throw new SettlementError('JOURNAL', `Settlement ${id} has no deposit date, end date or posted date to date the journal with`, {
			context: { settlementId: id },
		});
	}
	// A posting after the deposit (rare) moves the deposit journal to that later date, so no month is carried backwards.
	const finalDate = options.splitByMonth && summary.lastPostedDate && summary.lastPostedDate > depositDay ? summary.lastPostedDate : depositDay;
	const finalPeriod = finalDate.slice(0, 7);

	const bank: Target = {
		account: options.bankAccount,
		costCenter: optional(options.bankCostCenter),
		text: fill(optional(options.bankText) ?? 'Amazon settlement {settlementId} deposit', { settlementId: id }),
	};
	const total = Decimal.from(summary.totalAmount);
	const finalLines = new LineSet();
	const carried: Array<{ month: string; lines: LineSet; net: Decimal }> = [];

	const textFor = (group: SettlementGroup, target: Target, period: string) =>
		fill(target.text, {
			transactionType: group.transactionType,
			amountType: group.amountType,
			amountDescription: group.amountDescription,
			settlementId: id,
			period,
		});

	if (!options.splitByMonth) {
		for (const group of summary.groups) {
			const target = targets.get(group);
			if (target) finalLines.credit({ ...target, text: textFor(group, target, finalPeriod) }, Decimal.from(group.amount));
		}
	} else {
		const byMonth = new Map<string, { lines: LineSet; net: Decimal }>();
		for (const group of summary.groups) {
			const target = targets.get(group);
			if (!target) continue;
			for (const part of group.months) {
				const amount = Decimal.from(part.amount);
				const month = part.month;
				if (month === null || month >= finalPeriod) {
					finalLines.credit({ ...target, text: textFor(group, target, finalPeriod) }, amount);
					continue;
				}
				let entry = byMonth.get(month);
				if (!entry) byMonth.set(month, (entry = { lines: new LineSet(), net: Decimal.ZERO }));
				entry.lines.credit({ ...target, text: textFor(group, target, month) }, amount);
				entry.net = entry.net.plus(amount);
			}
		}
		for (const month of [...byMonth.keys()].sort()) {
			const entry = byMonth.get(month) as { lines: LineSet; net: Decimal };
			if (entry.lines.size === 0) continue;
			carried.push({ month, ...entry });
		}
	}

	const carryForward: Target = {
		account: (options.carryForwardAccount ?? '').trim(),
		costCenter: optional(options.carryForwardCostCenter),
		text: '',
	};
	for (const month of carried) {
		const values = { settlementId: id, period: month.month };
		// Month end: the month's net is what Amazon owes us so far — an asset, debited (credit −net).
		month.lines.credit(
			{ ...carryForward, text: fill(optional(options.carryForwardText) ?? 'Amazon settlement {settlementId} carried forward from {period}', values) },
			month.net.negated(),
		);
		finalLines.credit(
			{ ...carryForward, text: fill(optional(options.carryForwardReleaseText) ?? 'Amazon settlement {settlementId} release of carry-forward {period}', values) },
			month.net,
		);
	}
	finalLines.credit(bank, total.negated());

	const journal = (kind: SettlementJournal['kind'], period: string, date: string, lines: LineSet): SettlementJournal => {
		const built = lines.toLines(currency, digits);
		if (!built.debit.equals(built.credit)) {
			throw new SettlementError('JOURNAL', `Journal ${id} ${period} does not balance: debit ${built.debit.toString()}, credit ${built.credit.toString()}`, {
				context: { settlementId: id, period, debit: built.debit.toString(), credit: built.credit.toString() },
			});
		}
		return {
			reference: id,
			key: options.splitByMonth ? `${id}:${period}` : id,
			kind,
			period,
			date,
			currency,
			lines: built.lines,
			totalDebit: built.debit.toFixed(digits),
			totalCredit: built.credit.toFixed(digits),
		};
	};

	for (const month of carried) result.journals.push(journal('month-end', month.month, lastDayOfMonth(month.month), month.lines));
	const deposit = journal(options.splitByMonth ? 'deposit' : 'settlement', finalPeriod, finalDate, finalLines);
	result.journals.push(deposit);

	// The bank line must be exactly the deposit; a mapping rule that reuses the bank text would merge into it.
	const bankLines = deposit.lines.filter((line) => line.account === bank.account && line.text === bank.text && line.costCenter === bank.costCenter);
	const bankNet = bankLines.reduce((sum, line) => sum.plus(line.debit).minus(line.credit), Decimal.ZERO);
	if (!bankNet.equals(total)) {
		throw new SettlementError('JOURNAL', `The bank line of settlement ${id} is ${bankNet.toString()} instead of the deposit ${total.toString()}`, {
			hint: 'A mapping rule posts to the bank account with the bank line text; give it another text or account.',
			context: { settlementId: id, bankAccount: bank.account, deposit: total.toString(), bankLine: bankNet.toString() },
		});
	}
	return result;
}

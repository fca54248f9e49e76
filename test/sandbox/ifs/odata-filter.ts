/**
 * OData v4 expression engine for $filter and $orderby: tokenizer -> parser (AST) ->
 * type-checking compiler that produces plain closures (fast enough for 100 000 rows).
 *
 * Feature set follows IFS "Supported Functionalities": comparison, logical and arithmetic
 * operators, string functions; NOT supported (400): `has`, `in`, lambda any/all, collection
 * functions, math functions, `$count` inside $filter, arithmetic on Date/DateTimeOffset.
 * Typed enum properties need the qualified literal `IfsApp.<Projection>.<Enum>'Value'`.
 *
 * This module knows nothing about the store: callers describe rows through a FilterScope.
 */
import { isValidDate, parseDateTimeOffset } from './edm-values';
import { badRequest, notSupported, type ODataError } from './errors';
import type { EnumTypeDef, PropertyType, Value } from './model';

// ---------------------------------------------------------------------------------------------
// Scope: how the compiler sees the entity type being filtered.

export interface FilterNavigation<Row> {
	collection: boolean;
	target: FilterScope<Row>;
	follow(row: Row): Row | undefined;
}

export interface FilterScope<Row> {
	/** Qualified type name for messages, e.g. IfsApp.CustomerOrderHandling.CustomerOrder. */
	typeName: string;
	property(name: string): { type: PropertyType } | undefined;
	read(row: Row, name: string): Value;
	navigation(name: string): FilterNavigation<Row> | undefined;
	enumType(qualifiedName: string): EnumTypeDef | undefined;
	/** What now() means (the sandbox clock); real time when absent. */
	now?(): number;
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind =
	| 'string'
	| 'number'
	| 'date'
	| 'dateTimeOffset'
	| 'duration'
	| 'enum'
	| 'identifier'
	| '('
	| ')'
	| ','
	| '/'
	| ':'
	| '-'
	| 'end';

interface Token {
	kind: TokenKind;
	text: string;
	pos: number;
	/** Decoded literal: string content, number, enum member. */
	value?: string | number;
	integer?: boolean;
	/** Qualified enum type name of an enum literal. */
	enumType?: string;
}

const DTO_CANDIDATE = /^\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?/;
const DATE_CANDIDATE = /^\d{4}-\d{2}-\d{2}(?![0-9A-Za-z])/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/;
const IDENT = /^[$A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;

export function tokenize(source: string, option: string): Token[] {
	const tokens: Token[] = [];
	const fail = (pos: number, message: string) => badRequest(`Syntax error in ${option} at position ${pos}: ${message}`);
	let i = 0;
	while (i < source.length) {
		const c = source[i];
		if (c === ' ' || c === '\t') {
			i++;
			continue;
		}
		const rest = source.slice(i);
		if ('(),/:'.includes(c)) {
			tokens.push({ kind: c as TokenKind, text: c, pos: i });
			i++;
			continue;
		}
		if (c === "'") {
			const { value, end } = readQuoted(source, i, fail);
			tokens.push({ kind: 'string', text: source.slice(i, end), pos: i, value });
			i = end;
			continue;
		}
		if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
			const dto = DTO_CANDIDATE.exec(rest);
			if (dto && c !== '-') {
				if (parseDateTimeOffset(dto[0]) === undefined) {
					throw fail(i, `invalid Edm.DateTimeOffset literal '${dto[0]}' (expected e.g. 2024-05-31T00:00:00Z)`);
				}
				tokens.push({ kind: 'dateTimeOffset', text: dto[0], pos: i, value: dto[0] });
				i += dto[0].length;
				continue;
			}
			const date = DATE_CANDIDATE.exec(rest);
			if (date && c !== '-') {
				if (!isValidDate(date[0])) throw fail(i, `invalid Edm.Date literal '${date[0]}'`);
				tokens.push({ kind: 'date', text: date[0], pos: i, value: date[0] });
				i += date[0].length;
				continue;
			}
			const num = NUMBER.exec(rest)!;
			const after = source[i + num[0].length] ?? '';
			if (/[A-Za-z_.]/.test(after)) throw fail(i, `invalid number literal '${num[0]}${after}'`);
			tokens.push({
				kind: 'number',
				text: num[0],
				pos: i,
				value: Number(num[0]),
				integer: num[1] === undefined && num[2] === undefined,
			});
			i += num[0].length;
			continue;
		}
		if (c === '-') {
			tokens.push({ kind: '-', text: '-', pos: i });
			i++;
			continue;
		}
		const ident = IDENT.exec(rest);
		if (ident) {
			const name = ident[0];
			const end = i + name.length;
			if (source[end] === "'") {
				// Typed literal: enum (Namespace.Enum'Member') or duration'P1D'.
				const { value, end: litEnd } = readQuoted(source, end, fail);
				if (name === 'duration') {
					tokens.push({ kind: 'duration', text: source.slice(i, litEnd), pos: i, value });
				} else if (name.includes('.')) {
					tokens.push({ kind: 'enum', text: source.slice(i, litEnd), pos: i, value, enumType: name });
				} else {
					throw fail(i, `unsupported typed literal '${source.slice(i, litEnd)}'`);
				}
				i = litEnd;
				continue;
			}
			tokens.push({ kind: 'identifier', text: name, pos: i });
			i = end;
			continue;
		}
		if (c === '+') {
			throw fail(i, "unexpected '+'. OData URLs do not treat '+' as a space: encode spaces as %20 (and a literal plus as %2B)");
		}
		if (c === '@') throw notSupported(`Parameter aliases are not supported in ${option}`);
		throw fail(i, `unexpected character '${c}'`);
	}
	tokens.push({ kind: 'end', text: '', pos: source.length });
	return tokens;
}

function readQuoted(source: string, start: number, fail: (pos: number, m: string) => ODataError) {
	let value = '';
	let i = start + 1;
	for (;;) {
		if (i >= source.length) throw fail(start, 'unterminated string literal');
		const ch = source[i];
		if (ch === "'") {
			if (source[i + 1] === "'") {
				value += "'";
				i += 2;
				continue;
			}
			return { value, end: i + 1 };
		}
		value += ch;
		i++;
	}
}

// ---------------------------------------------------------------------------------------------
// Parser

type BinaryOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'and' | 'or' | 'add' | 'sub' | 'mul' | 'div' | 'mod';

export type Ast =
	| { type: 'literal'; kind: 'string' | 'number' | 'boolean' | 'null' | 'date' | 'dateTimeOffset' | 'duration'; value: Value; integer?: boolean; pos: number }
	| { type: 'enum'; enumType: string; member: string; pos: number }
	| { type: 'path'; segments: string[]; pos: number }
	| { type: 'call'; name: string; args: Ast[]; pos: number }
	| { type: 'binary'; op: BinaryOp; left: Ast; right: Ast; pos: number }
	| { type: 'unary'; op: 'not' | 'negate'; operand: Ast; pos: number };

const MATH_FUNCTIONS = new Set(['round', 'floor', 'ceiling']);
const COLLECTION_FUNCTIONS = new Set(['hassubset', 'hassubsequence']);
const TYPE_FUNCTIONS = new Set(['cast', 'isof']);

class Parser {
	private index = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly option: string,
	) {}

	private get current(): Token {
		return this.tokens[this.index];
	}

	private fail(message: string, pos = this.current.pos): ODataError {
		return badRequest(`Syntax error in ${this.option} at position ${pos}: ${message}`);
	}

	private isWord(word: string): boolean {
		return this.current.kind === 'identifier' && this.current.text === word;
	}

	private expect(kind: TokenKind, what: string): Token {
		if (this.current.kind !== kind) {
			throw this.fail(`expected ${what} but found ${this.current.kind === 'end' ? 'end of input' : `'${this.current.text}'`}`);
		}
		return this.tokens[this.index++];
	}

	atEnd(): boolean {
		return this.current.kind === 'end';
	}

	peekWord(): string | undefined {
		return this.current.kind === 'identifier' ? this.current.text : undefined;
	}

	take(): Token {
		return this.tokens[this.index++];
	}

	expectEnd(): void {
		if (!this.atEnd()) throw this.fail(`unexpected '${this.current.text}'`);
	}

	parseExpression(): Ast {
		return this.parseOr();
	}

	private binaryLevel(ops: string[], next: () => Ast): Ast {
		let left = next();
		for (;;) {
			const word = this.peekWord();
			if (word === 'has') throw notSupported("The 'has' operator is not supported by the IFS OData provider");
			if (word === 'in') throw notSupported("The 'in' operator is not supported by the IFS OData provider");
			if (!word || !ops.includes(word)) return left;
			const pos = this.take().pos;
			const right = next();
			left = { type: 'binary', op: word as BinaryOp, left, right, pos };
		}
	}

	private parseOr = (): Ast => this.binaryLevel(['or'], this.parseAnd);
	private parseAnd = (): Ast => this.binaryLevel(['and'], this.parseEquality);
	private parseEquality = (): Ast => this.binaryLevel(['eq', 'ne'], this.parseRelational);
	private parseRelational = (): Ast => this.binaryLevel(['gt', 'ge', 'lt', 'le'], this.parseAdditive);
	private parseAdditive = (): Ast => this.binaryLevel(['add', 'sub'], this.parseMultiplicative);
	private parseMultiplicative = (): Ast => this.binaryLevel(['mul', 'div', 'mod'], this.parseUnary);

	private parseUnary = (): Ast => {
		if (this.isWord('not')) {
			const pos = this.take().pos;
			return { type: 'unary', op: 'not', operand: this.parseUnary(), pos };
		}
		if (this.current.kind === '-') {
			const pos = this.take().pos;
			return { type: 'unary', op: 'negate', operand: this.parseUnary(), pos };
		}
		return this.parsePrimary();
	};

	private parsePrimary(): Ast {
		const token = this.current;
		switch (token.kind) {
			case '(': {
				this.take();
				const inner = this.parseOr();
				this.expect(')', "')'");
				return inner;
			}
			case 'string':
				this.take();
				return { type: 'literal', kind: 'string', value: token.value as string, pos: token.pos };
			case 'number':
				this.take();
				return { type: 'literal', kind: 'number', value: token.value as number, integer: token.integer, pos: token.pos };
			case 'date':
				this.take();
				return { type: 'literal', kind: 'date', value: token.value as string, pos: token.pos };
			case 'dateTimeOffset':
				this.take();
				return { type: 'literal', kind: 'dateTimeOffset', value: token.value as string, pos: token.pos };
			case 'duration':
				this.take();
				return { type: 'literal', kind: 'duration', value: token.value as string, pos: token.pos };
			case 'enum':
				this.take();
				return { type: 'enum', enumType: token.enumType!, member: token.value as string, pos: token.pos };
			case 'identifier':
				return this.parseIdentifier();
			case 'end':
				throw this.fail('unexpected end of input');
			default:
				throw this.fail(`unexpected '${token.text}'`);
		}
	}

	private parseIdentifier(): Ast {
		const token = this.take();
		const name = token.text;
		const next = this.current;
		if (next.kind === '(') {
			return this.parseCall(name, token.pos);
		}
		if (name === 'true' || name === 'false') return { type: 'literal', kind: 'boolean', value: name === 'true', pos: token.pos };
		if (name === 'null') return { type: 'literal', kind: 'null', value: null, pos: token.pos };
		if (name === '$count') throw notSupported('$count is not supported inside $filter');
		if (name.startsWith('$')) throw notSupported(`'${name}' is not supported in ${this.option}`);
		const segments = [name];
		while (this.current.kind === '/') {
			this.take();
			const seg = this.expect('identifier', 'a property name after /');
			const followedByParen = (this.current.kind as TokenKind) === '(';
			if ((seg.text === 'any' || seg.text === 'all') && followedByParen) {
				throw notSupported('Lambda operators any/all are not supported by the IFS OData provider');
			}
			if (seg.text === '$count') throw notSupported('$count is not supported inside $filter');
			segments.push(seg.text);
		}
		return { type: 'path', segments, pos: token.pos };
	}

	private parseCall(name: string, pos: number): Ast {
		if (MATH_FUNCTIONS.has(name)) throw notSupported(`Math functions (${name}) are not supported by the IFS OData provider`);
		if (COLLECTION_FUNCTIONS.has(name)) throw notSupported(`Collection functions (${name}) are not supported by the IFS OData provider`);
		if (TYPE_FUNCTIONS.has(name)) throw notSupported(`Type functions (${name}) are not supported by the IFS OData provider`);
		this.expect('(', "'('");
		const args: Ast[] = [];
		if (this.current.kind !== ')') {
			for (;;) {
				args.push(this.parseOr());
				if (this.current.kind === ',') {
					this.take();
					continue;
				}
				break;
			}
		}
		this.expect(')', "')' or ','");
		return { type: 'call', name, args, pos };
	}
}

export function parseExpression(source: string, option = '$filter'): Ast {
	if (source.trim() === '') throw badRequest(`${option} must not be empty`);
	const parser = new Parser(tokenize(source, option), option);
	const ast = parser.parseExpression();
	parser.expectEnd();
	return ast;
}

// ---------------------------------------------------------------------------------------------
// Type checking + compilation

type ExprType =
	| { kind: 'string' }
	| { kind: 'number'; integer: boolean }
	| { kind: 'boolean' }
	| { kind: 'date' }
	| { kind: 'dateTimeOffset' }
	| { kind: 'enum'; enumType: EnumTypeDef; qualified: string }
	| { kind: 'duration' }
	| { kind: 'null' };

/** Runtime values: DateTimeOffset as epoch ms, enum as member index, Date as 'YYYY-MM-DD'. */
type Runtime = string | number | boolean | null;

interface Compiled<Row> {
	type: ExprType;
	fn: (row: Row) => Runtime;
}

function typeText(t: ExprType): string {
	switch (t.kind) {
		case 'string':
			return 'Edm.String';
		case 'number':
			return t.integer ? 'Edm.Int32' : 'Edm.Decimal';
		case 'boolean':
			return 'Edm.Boolean';
		case 'date':
			return 'Edm.Date';
		case 'dateTimeOffset':
			return 'Edm.DateTimeOffset';
		case 'enum':
			return t.qualified;
		case 'duration':
			return 'Edm.Duration';
		case 'null':
			return 'null';
	}
}

function exprTypeOf(t: PropertyType, namespaceOf: (e: EnumTypeDef) => string): ExprType {
	if (t.kind === 'enum') return { kind: 'enum', enumType: t.enumType, qualified: namespaceOf(t.enumType) };
	switch (t.edm) {
		case 'Edm.String':
			return { kind: 'string' };
		case 'Edm.Int32':
		case 'Edm.Int64':
			return { kind: 'number', integer: true };
		case 'Edm.Decimal':
		case 'Edm.Double':
			return { kind: 'number', integer: false };
		case 'Edm.Boolean':
			return { kind: 'boolean' };
		case 'Edm.Date':
			return { kind: 'date' };
		case 'Edm.DateTimeOffset':
			return { kind: 'dateTimeOffset' };
	}
}

interface FunctionSpec {
	/** Accepted argument kinds per position; the last entry may be optional via minArgs. */
	args: Array<Array<ExprType['kind']>>;
	minArgs?: number;
	result: ExprType;
	impl: (...args: Array<Exclude<Runtime, null>>) => Runtime;
}

const STR: Array<ExprType['kind']> = ['string'];
const NUM: Array<ExprType['kind']> = ['number'];
const DATES: Array<ExprType['kind']> = ['date', 'dateTimeOffset'];
const INT: ExprType = { kind: 'number', integer: true };

/** Date parts: Date values are 'YYYY-MM-DD', DateTimeOffset values epoch ms (UTC). */
const datePart = (part: 'year' | 'month' | 'day') => (v: Exclude<Runtime, null>) => {
	if (typeof v === 'string') return Number(part === 'year' ? v.slice(0, 4) : part === 'month' ? v.slice(5, 7) : v.slice(8, 10));
	const d = new Date(v as number);
	return part === 'year' ? d.getUTCFullYear() : part === 'month' ? d.getUTCMonth() + 1 : d.getUTCDate();
};

const FUNCTIONS: Record<string, FunctionSpec> = {
	contains: { args: [STR, STR], result: { kind: 'boolean' }, impl: (a, b) => (a as string).includes(b as string) },
	startswith: { args: [STR, STR], result: { kind: 'boolean' }, impl: (a, b) => (a as string).startsWith(b as string) },
	endswith: { args: [STR, STR], result: { kind: 'boolean' }, impl: (a, b) => (a as string).endsWith(b as string) },
	length: { args: [STR], result: INT, impl: (a) => (a as string).length },
	indexof: { args: [STR, STR], result: INT, impl: (a, b) => (a as string).indexOf(b as string) },
	substring: {
		args: [STR, NUM, NUM],
		minArgs: 2,
		result: { kind: 'string' },
		impl: (s, start, len) => {
			const from = Math.max(0, Math.trunc(start as number));
			return len === undefined ? (s as string).slice(from) : (s as string).substr(from, Math.max(0, Math.trunc(len as number)));
		},
	},
	tolower: { args: [STR], result: { kind: 'string' }, impl: (a) => (a as string).toLowerCase() },
	toupper: { args: [STR], result: { kind: 'string' }, impl: (a) => (a as string).toUpperCase() },
	trim: { args: [STR], result: { kind: 'string' }, impl: (a) => (a as string).trim() },
	concat: { args: [STR, STR], result: { kind: 'string' }, impl: (a, b) => (a as string) + (b as string) },
	year: { args: [DATES], result: INT, impl: datePart('year') },
	month: { args: [DATES], result: INT, impl: datePart('month') },
	day: { args: [DATES], result: INT, impl: datePart('day') },
	hour: { args: [['dateTimeOffset']], result: INT, impl: (v) => new Date(v as number).getUTCHours() },
	minute: { args: [['dateTimeOffset']], result: INT, impl: (v) => new Date(v as number).getUTCMinutes() },
	second: { args: [['dateTimeOffset']], result: INT, impl: (v) => new Date(v as number).getUTCSeconds() },
};

class Compiler<Row> {
	private readonly now: number;

	constructor(
		private readonly root: FilterScope<Row>,
		private readonly option: string,
	) {
		this.now = root.now ? root.now() : Date.now();
	}

	private fail(message: string, pos: number): ODataError {
		return badRequest(`Invalid ${this.option} at position ${pos}: ${message}`);
	}

	compile(node: Ast): Compiled<Row> {
		switch (node.type) {
			case 'literal':
				return this.literal(node);
			case 'enum':
				return this.enumLiteral(node);
			case 'path':
				return this.path(node);
			case 'call':
				return this.call(node);
			case 'unary':
				return this.unary(node);
			case 'binary':
				return this.binary(node);
		}
	}

	private literal(node: Extract<Ast, { type: 'literal' }>): Compiled<Row> {
		switch (node.kind) {
			case 'string':
				return { type: { kind: 'string' }, fn: () => node.value };
			case 'number':
				return { type: { kind: 'number', integer: node.integer === true }, fn: () => node.value };
			case 'boolean':
				return { type: { kind: 'boolean' }, fn: () => node.value };
			case 'null':
				return { type: { kind: 'null' }, fn: () => null };
			case 'date':
				return { type: { kind: 'date' }, fn: () => node.value };
			case 'dateTimeOffset': {
				const ms = parseDateTimeOffset(node.value as string)!;
				return { type: { kind: 'dateTimeOffset' }, fn: () => ms };
			}
			case 'duration':
				return { type: { kind: 'duration' }, fn: () => node.value };
		}
	}

	private enumLiteral(node: Extract<Ast, { type: 'enum' }>): Compiled<Row> {
		const enumType = this.root.enumType(node.enumType);
		if (!enumType) throw this.fail(`unknown enumeration type '${node.enumType}'`, node.pos);
		const index = enumType.members.indexOf(node.member);
		if (index < 0) {
			throw this.fail(`'${node.member}' is not a member of ${node.enumType} (members: ${enumType.members.join(', ')})`, node.pos);
		}
		return { type: { kind: 'enum', enumType, qualified: node.enumType }, fn: () => index };
	}

	private path(node: Extract<Ast, { type: 'path' }>): Compiled<Row> {
		let scope: FilterScope<Row> = this.root;
		const hops: Array<(row: Row) => Row | undefined> = [];
		const segments = node.segments;
		for (let i = 0; i < segments.length - 1; i++) {
			const nav = scope.navigation(segments[i]);
			if (!nav) {
				if (scope.property(segments[i])) throw this.fail(`'${segments[i]}' is not a navigation property`, node.pos);
				throw this.fail(`property '${segments[i]}' does not exist in type '${scope.typeName}'`, node.pos);
			}
			if (nav.collection) {
				throw notSupported(
					`Collection-valued navigation '${segments[i]}' cannot be used in ${this.option}: lambda operators any/all are not supported by the IFS OData provider`,
				);
			}
			hops.push(nav.follow);
			scope = nav.target;
		}
		const last = segments[segments.length - 1];
		const property = scope.property(last);
		if (!property) {
			const nav = scope.navigation(last);
			if (nav?.collection) {
				throw notSupported(`Collection-valued navigation '${last}' cannot be used in ${this.option}: lambda operators any/all are not supported`);
			}
			if (nav) throw this.fail(`navigation property '${last}' cannot be used as a value`, node.pos);
			throw this.fail(`property '${last}' does not exist in type '${scope.typeName}'`, node.pos);
		}
		const type = exprTypeOf(property.type, (e) => this.qualifiedEnumName(scope, e));
		const target = scope;
		const convert = this.runtimeConverter(type);
		const read = (row: Row): Runtime => {
			let r: Row | undefined = row;
			for (const hop of hops) {
				r = hop(r);
				if (r === undefined) return null;
			}
			const v = target.read(r, last);
			return v === null || v === undefined ? null : convert(v);
		};
		return { type, fn: read };
	}

	private qualifiedEnumName(scope: FilterScope<Row>, e: EnumTypeDef): string {
		const ns = scope.typeName.slice(0, scope.typeName.lastIndexOf('.'));
		return `${ns}.${e.name}`;
	}

	private runtimeConverter(type: ExprType): (v: Exclude<Value, null>) => Runtime {
		if (type.kind === 'dateTimeOffset') return (v) => parseDateTimeOffset(v as string) ?? null;
		if (type.kind === 'enum') {
			const members = type.enumType.members;
			return (v) => members.indexOf(v as string);
		}
		return (v) => v;
	}

	private call(node: Extract<Ast, { type: 'call' }>): Compiled<Row> {
		if (node.name === 'now') {
			if (node.args.length !== 0) throw this.fail('now() takes no arguments', node.pos);
			const now = Math.floor(this.now / 1000) * 1000;
			return { type: { kind: 'dateTimeOffset' }, fn: () => now };
		}
		const spec = FUNCTIONS[node.name];
		if (!spec) throw this.fail(`unknown function '${node.name}'`, node.pos);
		const min = spec.minArgs ?? spec.args.length;
		if (node.args.length < min || node.args.length > spec.args.length) {
			throw this.fail(`${node.name}() expects ${min === spec.args.length ? min : `${min} to ${spec.args.length}`} arguments`, node.pos);
		}
		const args = node.args.map((a, i) => {
			const compiled = this.compile(a);
			const kind = compiled.type.kind;
			if (kind !== 'null' && !spec.args[i].includes(kind)) {
				throw this.fail(`argument ${i + 1} of ${node.name}() must be ${spec.args[i].join(' or ')}, not ${typeText(compiled.type)}`, a.pos);
			}
			return compiled.fn;
		});
		const impl = spec.impl;
		if (args.length === 1) {
			const [a] = args;
			return { type: spec.result, fn: (row) => { const v = a(row); return v === null ? null : impl(v); } };
		}
		return {
			type: spec.result,
			fn: (row) => {
				const values: Array<Exclude<Runtime, null>> = [];
				for (const f of args) {
					const v = f(row);
					if (v === null) return null;
					values.push(v);
				}
				return impl(...values);
			},
		};
	}

	private unary(node: Extract<Ast, { type: 'unary' }>): Compiled<Row> {
		const operand = this.compile(node.operand);
		if (node.op === 'not') {
			if (operand.type.kind !== 'boolean' && operand.type.kind !== 'null') {
				throw this.fail(`'not' needs a boolean operand, not ${typeText(operand.type)}`, node.pos);
			}
			const f = operand.fn;
			return { type: { kind: 'boolean' }, fn: (row) => { const v = f(row); return v === null ? null : !v; } };
		}
		if (operand.type.kind === 'date' || operand.type.kind === 'dateTimeOffset' || operand.type.kind === 'duration') {
			throw notSupported('Arithmetic on Edm.Date / Edm.DateTimeOffset values is not supported by the IFS OData provider');
		}
		if (operand.type.kind !== 'number') throw this.fail(`'-' needs a numeric operand, not ${typeText(operand.type)}`, node.pos);
		const f = operand.fn;
		return { type: operand.type, fn: (row) => { const v = f(row); return v === null ? null : -(v as number); } };
	}

	private binary(node: Extract<Ast, { type: 'binary' }>): Compiled<Row> {
		const left = this.compile(node.left);
		const right = this.compile(node.right);
		switch (node.op) {
			case 'and':
			case 'or':
				return this.logical(node, left, right);
			case 'add':
			case 'sub':
			case 'mul':
			case 'div':
			case 'mod':
				return this.arithmetic(node, left, right);
			default:
				return this.comparison(node, left, right);
		}
	}

	private logical(node: Extract<Ast, { type: 'binary' }>, left: Compiled<Row>, right: Compiled<Row>): Compiled<Row> {
		for (const side of [left, right]) {
			if (side.type.kind !== 'boolean' && side.type.kind !== 'null') {
				throw this.fail(`'${node.op}' needs boolean operands, not ${typeText(side.type)}`, node.pos);
			}
		}
		const l = left.fn;
		const r = right.fn;
		// Three-valued logic as in OData/SQL: null only when the other side does not decide.
		const fn =
			node.op === 'and'
				? (row: Row) => {
						const a = l(row);
						if (a === false) return false;
						const b = r(row);
						if (b === false) return false;
						return a === null || b === null ? null : true;
					}
				: (row: Row) => {
						const a = l(row);
						if (a === true) return true;
						const b = r(row);
						if (b === true) return true;
						return a === null || b === null ? null : false;
					};
		return { type: { kind: 'boolean' }, fn };
	}

	private arithmetic(node: Extract<Ast, { type: 'binary' }>, left: Compiled<Row>, right: Compiled<Row>): Compiled<Row> {
		const temporal = ['date', 'dateTimeOffset', 'duration'];
		if (temporal.includes(left.type.kind) || temporal.includes(right.type.kind)) {
			throw notSupported('Arithmetic on Edm.Date / Edm.DateTimeOffset values is not supported by the IFS OData provider');
		}
		for (const side of [left, right]) {
			if (side.type.kind !== 'number' && side.type.kind !== 'null') {
				throw this.fail(`'${node.op}' needs numeric operands, not ${typeText(side.type)}`, node.pos);
			}
		}
		const integer =
			left.type.kind === 'number' && right.type.kind === 'number' && left.type.integer && right.type.integer;
		const l = left.fn;
		const r = right.fn;
		const op = node.op;
		const fail = () => this.fail('division by zero', node.pos);
		const apply = (a: number, b: number): number => {
			switch (op) {
				case 'add':
					return a + b;
				case 'sub':
					return a - b;
				case 'mul':
					return a * b;
				case 'div':
					if (b === 0) throw fail();
					return integer ? Math.trunc(a / b) : a / b;
				default:
					if (b === 0) throw fail();
					return a % b;
			}
		};
		return {
			type: { kind: 'number', integer },
			fn: (row) => {
				const a = l(row);
				const b = r(row);
				return a === null || b === null ? null : apply(a as number, b as number);
			},
		};
	}

	private comparison(node: Extract<Ast, { type: 'binary' }>, left: Compiled<Row>, right: Compiled<Row>): Compiled<Row> {
		const lt = left.type;
		const rt = right.type;
		const equality = node.op === 'eq' || node.op === 'ne';
		if (lt.kind !== 'null' && rt.kind !== 'null') {
			const enumSide = lt.kind === 'enum' ? lt : rt.kind === 'enum' ? rt : undefined;
			if (enumSide && (lt.kind === 'string' || rt.kind === 'string')) {
				throw this.fail(
					`incompatible operand types ${typeText(lt)} and ${typeText(rt)} for '${node.op}'. ` +
						`Typed enumeration properties need the qualified literal, e.g. ${enumSide.qualified}'${enumSide.enumType.members[0]}'`,
					node.pos,
				);
			}
			const compatible =
				lt.kind === rt.kind && (lt.kind !== 'enum' || (rt.kind === 'enum' && lt.qualified === rt.qualified));
			if (!compatible) {
				throw this.fail(`incompatible operand types ${typeText(lt)} and ${typeText(rt)} for '${node.op}'`, node.pos);
			}
			if (lt.kind === 'duration') throw notSupported('Edm.Duration values are not supported in $filter');
			if (lt.kind === 'boolean' && !equality) {
				throw this.fail(`'${node.op}' is not defined for Edm.Boolean`, node.pos);
			}
		}
		const l = left.fn;
		const r = right.fn;
		let fn: (row: Row) => Runtime;
		switch (node.op) {
			case 'eq':
				fn = (row) => l(row) === r(row);
				break;
			case 'ne':
				fn = (row) => l(row) !== r(row);
				break;
			case 'gt':
				fn = (row) => { const a = l(row); const b = r(row); return a === null || b === null ? null : a > b; };
				break;
			case 'ge':
				fn = (row) => { const a = l(row); const b = r(row); return a === null || b === null ? null : a >= b; };
				break;
			case 'lt':
				fn = (row) => { const a = l(row); const b = r(row); return a === null || b === null ? null : a < b; };
				break;
			default:
				fn = (row) => { const a = l(row); const b = r(row); return a === null || b === null ? null : a <= b; };
		}
		return { type: { kind: 'boolean' }, fn };
	}
}

/** Compile a $filter into a row predicate; throws ODataError(400) on any problem. */
export function compileFilter<Row>(source: string, scope: FilterScope<Row>): (row: Row) => boolean {
	const ast = parseExpression(source, '$filter');
	const compiled = new Compiler(scope, '$filter').compile(ast);
	if (compiled.type.kind !== 'boolean' && compiled.type.kind !== 'null') {
		throw badRequest(`$filter must be a boolean expression, not ${typeText(compiled.type)}`);
	}
	const fn = compiled.fn;
	return (row) => fn(row) === true;
}

export interface OrderByItem<Row> {
	value: (row: Row) => Runtime;
	descending: boolean;
}

/** `$orderby=A desc,tolower(B)` -> sort keys. Expressions are allowed, as in OData. */
export function compileOrderBy<Row>(source: string, scope: FilterScope<Row>): OrderByItem<Row>[] {
	if (source.trim() === '') throw badRequest('$orderby must not be empty');
	const parser = new Parser(tokenize(source, '$orderby'), '$orderby');
	const compiler = new Compiler(scope, '$orderby');
	const items: OrderByItem<Row>[] = [];
	for (;;) {
		const compiled = compiler.compile(parser.parseExpression());
		let descending = false;
		const word = parser.peekWord();
		if (word === 'asc' || word === 'desc') {
			parser.take();
			descending = word === 'desc';
		}
		items.push({ value: compiled.fn, descending });
		if (parser.atEnd()) break;
		const sep = parser.take();
		if (sep.kind !== ',') throw badRequest(`Syntax error in $orderby at position ${sep.pos}: expected ',' or 'asc'/'desc'`);
	}
	return items;
}

/**
 * Stable sort for $orderby; sort keys are computed once per row (not per comparison) so
 * 100 000 rows sort quickly. Nulls sort last ascending and first descending (Oracle default);
 * ties keep the incoming (key) order.
 */
export function sortRows<Row>(rows: readonly Row[], items: OrderByItem<Row>[]): Row[] {
	const keys = rows.map((row) => items.map((item) => item.value(row)));
	const order = rows.map((_, i) => i);
	order.sort((x, y) => {
		const kx = keys[x];
		const ky = keys[y];
		for (let i = 0; i < items.length; i++) {
			const va = kx[i];
			const vb = ky[i];
			if (va === vb) continue;
			const c = va === null ? 1 : vb === null ? -1 : va < vb ? -1 : va > vb ? 1 : 0;
			if (c !== 0) return items[i].descending ? -c : c;
		}
		return x - y;
	});
	return order.map((i) => rows[i]);
}

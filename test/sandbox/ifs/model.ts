/**
 * Generic EDM model of an IFS projection: entity types, sets, navigation, actions.
 * The concrete projections live in projections.ts; $metadata, the query engine and the
 * write handlers are all driven by these definitions so they cannot drift apart.
 */

export type Deployment = 'int' | 'main';

export type EdmPrimitive =
	| 'Edm.String'
	| 'Edm.Int32'
	| 'Edm.Int64'
	| 'Edm.Decimal'
	| 'Edm.Double'
	| 'Edm.Boolean'
	| 'Edm.Date'
	| 'Edm.DateTimeOffset';

/** Runtime value of a property. Dates are kept in their OData JSON form (strings). */
export type Value = string | number | boolean | null;
export type RowValues = Record<string, Value>;

export interface EnumTypeDef {
	name: string;
	members: string[];
}

export type PropertyType = { kind: 'primitive'; edm: EdmPrimitive } | { kind: 'enum'; enumType: EnumTypeDef };

/** A structure an action returns (CSDL ComplexType), e.g. the key of a created voucher. */
export interface ComplexTypeDef {
	name: string;
	properties: PropertyDef[];
}

/** What an action or function may return: a primitive/enum value or a structure. */
export type ReturnTypeDef = PropertyType | { kind: 'complex'; complexType: ComplexTypeDef };

export interface PropertyDef {
	name: string;
	type: PropertyType;
	nullable: boolean;
	maxLength?: number;
	precision?: number;
	/** Accepted on POST / upsert-create; otherwise silently ignored (IFS behaviour). */
	insertable: boolean;
	/** Accepted on PATCH; otherwise silently ignored (IFS behaviour). */
	updatable: boolean;
	/** Value used on create when the client sends none. */
	defaultValue?: (now: Date) => Value;
	/**
	 * Change timestamp (Edm.DateTimeOffset, second resolution): the store sets it to the
	 * sandbox clock's now on every create and update of the row, unless the change names it.
	 */
	changeStamp: boolean;
	/** Database column name used in `keyref` (UPPER_SNAKE of the name unless given). */
	column: string;
}

export interface NavigationDef {
	name: string;
	/** Entity set (same projection) the navigation leads to. */
	targetSet: string;
	collection: boolean;
	/** target[targetProperty] === source[sourceProperty] for every pair. */
	on: Array<{ sourceProperty: string; targetProperty: string }>;
	partner?: string;
	/** IFS expands one-to-one associations only. */
	expandable: boolean;
}

export interface EntityTypeDef {
	name: string;
	luname: string;
	keys: string[];
	properties: PropertyDef[];
	propertyMap: Map<string, PropertyDef>;
	navigations: NavigationDef[];
	navigationMap: Map<string, NavigationDef>;
}

export interface Crud {
	create: boolean;
	update: boolean;
	delete: boolean;
}

export interface ParameterDef {
	name: string;
	type: PropertyType;
	nullable: boolean;
	maxLength?: number;
}

export interface EntitySetDef {
	name: string;
	entityType: EntityTypeDef;
	crud: Crud;
	hooks?: EntitySetHooks;
}

/** Cross-table rules (parent must exist, cascading delete, computed totals). */
export interface EntitySetHooks {
	/** Runs before the key check: fill server-assigned keys (number series, Objkey). */
	assignKeys?(ctx: HookContext, values: RowValues): void;
	beforeInsert?(ctx: HookContext, values: RowValues): void;
	/** Runs before a real modification; `changes` may be adjusted, throwing rejects it. */
	beforeUpdate?(ctx: HookContext, current: RowValues, changes: RowValues): void;
	afterChange?(ctx: HookContext, values: RowValues): void;
	beforeDelete?(ctx: HookContext, values: RowValues): void;
}

/** What hooks and action handlers may touch; implemented by the store. */
export interface TableAccess {
	readonly set: EntitySetDef;
	find(keys: RowValues): RowValues | undefined;
	all(): readonly RowValues[];
	/** Change values of a row and bump its Objversion (a real modification). */
	modify(keys: RowValues, changes: RowValues): RowValues;
	/** Change computed values without bumping Objversion (e.g. totals derived from lines). */
	setComputed(keys: RowValues, changes: RowValues): void;
	remove(keys: RowValues): boolean;
	/** Insert a row: defaults, hooks and mandatory checks apply as for a POST. */
	insert(values: RowValues): RowValues;
}

export interface HookContext {
	/** An entity set of the same projection. */
	table(entitySet: string): TableAccess;
	/** An entity set of another projection (one tenant, one database). */
	other(projection: string, entitySet: string): TableAccess;
	/** The sandbox clock (epoch ms). */
	now(): number;
	/** Next number of a series: last + 1, but at least `atLeast`; never reused until reset. */
	sequence(name: string, atLeast?: number): number;
	/** Record that `n` is taken (a client chose it), so the series continues after it. */
	reserve(name: string, n: number): void;
}

export interface ActionContext extends HookContext {
	params: Record<string, Value>;
	/** The bound entity (bound actions only). */
	entity?: { table: TableAccess; values: RowValues };
	/** IFS user of the call (the IAM client id in upper case), when known. */
	user?: string;
}

export interface ActionDef {
	name: string;
	/** Entity set whose entity the action is bound to; absent = unbound (ActionImport). */
	boundTo?: string;
	parameters: ParameterDef[];
	returnType?: ReturnTypeDef;
	/** Bound actions that change the entity need the current ETag in If-Match. */
	requiresEtag: boolean;
	/** A complex return type answers with a RowValues structure. */
	handler(ctx: ActionContext): Value | RowValues | void;
}

export interface FunctionDef {
	name: string;
	parameters: ParameterDef[];
	returnType: PropertyType;
	handler(ctx: ActionContext): Value;
}

export interface ProjectionDef {
	name: string;
	namespace: string;
	deployments: Deployment[];
	enumTypes: EnumTypeDef[];
	/** Structures returned by actions (optional: most projections have none). */
	complexTypes?: ComplexTypeDef[];
	entityTypes: EntityTypeDef[];
	entitySets: EntitySetDef[];
	actions: ActionDef[];
	functions: FunctionDef[];
}

/** Properties every IFS row carries outside the entity's own attributes. */
export const SYSTEM_FIELDS = ['luname', 'keyref'] as const;

// ---------------------------------------------------------------------------------------------
// Builders: keep projection definitions short and uniform.

export interface PropertyOptions {
	nullable?: boolean;
	maxLength?: number;
	precision?: number;
	insertable?: boolean;
	updatable?: boolean;
	/** Shorthand for insertable=false, updatable=false. */
	readOnly?: boolean;
	defaultValue?: (now: Date) => Value;
	/** See PropertyDef.changeStamp (implies read-only). */
	changeStamp?: boolean;
	column?: string;
}

export function columnName(propertyName: string): string {
	return propertyName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function property(name: string, type: PropertyType, options: PropertyOptions = {}): PropertyDef {
	const readOnly = options.readOnly === true || options.changeStamp === true;
	return {
		name,
		type,
		nullable: options.nullable ?? true,
		maxLength: options.maxLength,
		precision: options.precision,
		insertable: readOnly ? false : (options.insertable ?? true),
		updatable: readOnly ? false : (options.updatable ?? true),
		defaultValue: options.defaultValue,
		changeStamp: options.changeStamp === true,
		column: options.column ?? columnName(name),
	};
}

const primitive = (edm: EdmPrimitive): PropertyType => ({ kind: 'primitive', edm });

export const prop = {
	string: (name: string, maxLength: number, o: PropertyOptions = {}) =>
		property(name, primitive('Edm.String'), { maxLength, ...o }),
	int32: (name: string, o: PropertyOptions = {}) => property(name, primitive('Edm.Int32'), o),
	decimal: (name: string, o: PropertyOptions = {}) => property(name, primitive('Edm.Decimal'), o),
	boolean: (name: string, o: PropertyOptions = {}) => property(name, primitive('Edm.Boolean'), o),
	date: (name: string, o: PropertyOptions = {}) => property(name, primitive('Edm.Date'), o),
	dateTimeOffset: (name: string, o: PropertyOptions = {}) => property(name, primitive('Edm.DateTimeOffset'), o),
	enumeration: (name: string, enumType: EnumTypeDef, o: PropertyOptions = {}) =>
		property(name, { kind: 'enum', enumType }, o),
};

export const paramType = {
	string: primitive('Edm.String'),
	int32: primitive('Edm.Int32'),
	decimal: primitive('Edm.Decimal'),
	boolean: primitive('Edm.Boolean'),
	date: primitive('Edm.Date'),
};

export function entityType(def: {
	name: string;
	luname: string;
	keys: string[];
	properties: PropertyDef[];
	navigations?: NavigationDef[];
}): EntityTypeDef {
	const propertyMap = new Map(def.properties.map((p) => [p.name, p]));
	for (const key of def.keys) {
		const p = propertyMap.get(key);
		if (!p) throw new Error(`${def.name}: key ${key} is not a property`);
		// Keys are never null and never change after insert.
		p.nullable = false;
		p.updatable = false;
	}
	const navigations = def.navigations ?? [];
	return {
		name: def.name,
		luname: def.luname,
		keys: def.keys,
		properties: def.properties,
		propertyMap,
		navigations,
		navigationMap: new Map(navigations.map((n) => [n.name, n])),
	};
}

export function typeName(t: ReturnTypeDef, namespace: string): string {
	if (t.kind === 'primitive') return t.edm;
	return `${namespace}.${t.kind === 'enum' ? t.enumType.name : t.complexType.name}`;
}

export function findEntitySet(projection: ProjectionDef, name: string): EntitySetDef | undefined {
	return projection.entitySets.find((s) => s.name === name);
}

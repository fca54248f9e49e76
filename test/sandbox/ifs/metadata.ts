/**
 * OData v4 CSDL ($metadata) and JSON service document, generated from the model so the
 * sandbox's contract is always what it serves.
 */
import type { EntitySetDef, EntityTypeDef, ParameterDef, ProjectionDef, PropertyDef, PropertyType } from './model';
import { typeName } from './model';

const CORE_VOCABULARY = 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml';
const CAPABILITIES_VOCABULARY = 'https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml';

export function escapeXml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&apos;');
}

function attrs(values: Record<string, string | number | undefined>): string {
	return Object.entries(values)
		.filter(([, v]) => v !== undefined)
		.map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
		.join('');
}

function facets(t: PropertyType, nullable: boolean, maxLength?: number, precision?: number) {
	const decimal = t.kind === 'primitive' && t.edm === 'Edm.Decimal';
	return {
		Nullable: nullable ? undefined : 'false',
		MaxLength: maxLength,
		// Without Scale a CSDL 4.0 decimal has scale 0; IFS amounts have decimals.
		Precision: decimal ? (precision ?? 38) : undefined,
		Scale: decimal ? 'variable' : undefined,
	};
}

function propertyXml(p: PropertyDef, ns: string, indent: string): string {
	const open = `<Property${attrs({ Name: p.name, Type: typeName(p.type, ns), ...facets(p.type, p.nullable, p.maxLength, p.precision) })}`;
	const annotations: string[] = [];
	if (!p.insertable && !p.updatable) annotations.push('<Annotation Term="Core.Computed" Bool="true"/>');
	else if (!p.updatable) annotations.push('<Annotation Term="Core.Immutable" Bool="true"/>');
	if (annotations.length === 0) return `${indent}${open}/>`;
	return `${indent}${open}>\n${annotations.map((a) => `${indent}  ${a}`).join('\n')}\n${indent}</Property>`;
}

function entityTypeXml(t: EntityTypeDef, p: ProjectionDef, indent: string): string {
	const ns = p.namespace;
	const lines = [`${indent}<EntityType Name="${escapeXml(t.name)}">`, `${indent}  <Key>`];
	for (const key of t.keys) lines.push(`${indent}    <PropertyRef Name="${escapeXml(key)}"/>`);
	lines.push(`${indent}  </Key>`);
	for (const prop of t.properties) lines.push(propertyXml(prop, ns, `${indent}  `));
	for (const nav of t.navigations) {
		const target = p.entitySets.find((s) => s.name === nav.targetSet)!.entityType;
		const type = nav.collection ? `Collection(${ns}.${target.name})` : `${ns}.${target.name}`;
		const head = `${indent}  <NavigationProperty${attrs({
			Name: nav.name,
			Type: type,
			Nullable: nav.collection ? undefined : 'false',
			Partner: nav.partner,
		})}`;
		if (nav.collection) {
			lines.push(`${head}/>`);
		} else {
			// Referential constraints belong on the dependent (single-valued) side.
			lines.push(`${head}>`);
			for (const c of nav.on) {
				lines.push(`${indent}    <ReferentialConstraint${attrs({ Property: c.sourceProperty, ReferencedProperty: c.targetProperty })}/>`);
			}
			lines.push(`${indent}  </NavigationProperty>`);
		}
	}
	lines.push(`${indent}</EntityType>`);
	return lines.join('\n');
}

function parameterXml(param: ParameterDef, ns: string, indent: string): string {
	return `${indent}<Parameter${attrs({ Name: param.name, Type: typeName(param.type, ns), ...facets(param.type, param.nullable, param.maxLength) })}/>`;
}

function restriction(term: string, property: string): string {
	return (
		`<Annotation Term="Capabilities.${term}"><Record>` +
		`<PropertyValue Property="${property}" Bool="false"/></Record></Annotation>`
	);
}

function entitySetXml(set: EntitySetDef, ns: string, indent: string): string {
	const inner: string[] = [];
	for (const nav of set.entityType.navigations) {
		inner.push(`${indent}  <NavigationPropertyBinding${attrs({ Path: nav.name, Target: nav.targetSet })}/>`);
	}
	if (!set.crud.create) inner.push(`${indent}  ${restriction('InsertRestrictions', 'Insertable')}`);
	if (!set.crud.update) inner.push(`${indent}  ${restriction('UpdateRestrictions', 'Updatable')}`);
	if (!set.crud.delete) inner.push(`${indent}  ${restriction('DeleteRestrictions', 'Deletable')}`);
	const open = `${indent}<EntitySet${attrs({ Name: set.name, EntityType: `${ns}.${set.entityType.name}` })}`;
	return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n${indent}</EntitySet>`;
}

export function buildMetadataXml(p: ProjectionDef): string {
	const ns = p.namespace;
	const s = '      ';
	const out: string[] = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
		`  <edmx:Reference Uri="${CORE_VOCABULARY}">`,
		'    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>',
		'  </edmx:Reference>',
		`  <edmx:Reference Uri="${CAPABILITIES_VOCABULARY}">`,
		'    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Capabilities"/>',
		'  </edmx:Reference>',
		'  <edmx:DataServices>',
		`    <Schema Namespace="${escapeXml(ns)}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
	];
	for (const e of p.enumTypes) {
		out.push(`${s}<EnumType Name="${escapeXml(e.name)}" UnderlyingType="Edm.Int32">`);
		e.members.forEach((m, i) => out.push(`${s}  <Member Name="${escapeXml(m)}" Value="${i}"/>`));
		out.push(`${s}</EnumType>`);
	}
	for (const c of p.complexTypes ?? []) {
		out.push(`${s}<ComplexType Name="${escapeXml(c.name)}">`);
		for (const prop of c.properties) out.push(propertyXml(prop, ns, `${s}  `));
		out.push(`${s}</ComplexType>`);
	}
	for (const t of p.entityTypes) out.push(entityTypeXml(t, p, s));
	for (const a of p.actions) {
		out.push(`${s}<Action${attrs({ Name: a.name, IsBound: a.boundTo ? 'true' : 'false' })}>`);
		if (a.boundTo) {
			const bound = p.entitySets.find((set) => set.name === a.boundTo)!.entityType;
			out.push(`${s}  <Parameter Name="it" Type="${ns}.${bound.name}" Nullable="false"/>`);
		}
		for (const param of a.parameters) out.push(parameterXml(param, ns, `${s}  `));
		if (a.returnType) out.push(`${s}  <ReturnType Type="${typeName(a.returnType, ns)}" Nullable="false"/>`);
		out.push(`${s}</Action>`);
	}
	for (const f of p.functions) {
		out.push(`${s}<Function${attrs({ Name: f.name, IsBound: 'false', IsComposable: 'false' })}>`);
		for (const param of f.parameters) out.push(parameterXml(param, ns, `${s}  `));
		out.push(`${s}  <ReturnType Type="${typeName(f.returnType, ns)}" Nullable="false"/>`);
		out.push(`${s}</Function>`);
	}
	out.push(`${s}<EntityContainer Name="Main">`);
	for (const set of p.entitySets) out.push(entitySetXml(set, ns, `${s}  `));
	for (const a of p.actions.filter((x) => !x.boundTo)) {
		out.push(`${s}  <ActionImport${attrs({ Name: a.name, Action: `${ns}.${a.name}` })}/>`);
	}
	for (const f of p.functions) {
		out.push(`${s}  <FunctionImport${attrs({ Name: f.name, Function: `${ns}.${f.name}`, IncludeInServiceDocument: 'true' })}/>`);
	}
	out.push(`${s}</EntityContainer>`, '    </Schema>', '  </edmx:DataServices>', '</edmx:Edmx>', '');
	return out.join('\n');
}

export function buildServiceDocument(p: ProjectionDef, serviceRoot: string): object {
	return {
		'@odata.context': `${serviceRoot}/$metadata`,
		value: [
			...p.entitySets.map((s) => ({ name: s.name, kind: 'EntitySet', url: s.name })),
			...p.functions.map((f) => ({ name: f.name, kind: 'FunctionImport', url: f.name })),
		],
	};
}

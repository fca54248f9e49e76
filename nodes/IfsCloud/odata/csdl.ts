/**
 * Reads an OData v4 `$metadata` document (CSDL XML) into the parts the node needs: entity sets,
 * their keys and property types, navigation properties, actions and functions.
 */
import { type XmlElement, childrenNamed, parseXml } from '../../common/xml';

export interface EdmProperty {
	name: string;
	type: string;
	nullable: boolean;
	maxLength?: number;
	/** IFS annotates read-only/insert-only attributes; absent means unknown. */
	computed?: boolean;
}

export interface EdmNavigation {
	name: string;
	type: string;
	collection: boolean;
}

export interface EdmEntityType {
	name: string;
	qualifiedName: string;
	keys: string[];
	properties: Record<string, EdmProperty>;
	navigation: Record<string, EdmNavigation>;
}

export interface EdmParameter {
	name: string;
	type: string;
	nullable: boolean;
}

export interface EdmOperation {
	kind: 'action' | 'function';
	name: string;
	/** `Namespace.Name`, the segment used to call a bound operation. */
	qualifiedName: string;
	isBound: boolean;
	/** Qualified type of the binding parameter (`Collection(...)` for collection-bound). */
	bindingType?: string;
	/** Parameters without the binding parameter. */
	parameters: EdmParameter[];
	returnType?: string;
	/** Name under which an unbound operation is exposed in the container (`.svc/<importName>`). */
	importName?: string;
}

export interface EdmEnumType {
	name: string;
	qualifiedName: string;
	members: string[];
}

export interface ServiceModel {
	namespace: string;
	entitySets: Record<string, { name: string; entityType: string }>;
	entityTypes: Record<string, EdmEntityType>;
	enumTypes: Record<string, EdmEnumType>;
	operations: EdmOperation[];
}

export class MetadataError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MetadataError';
	}
}

const num = (value: string | undefined) => (value && /^\d+$/.test(value) ? Number(value) : undefined);

export function parseCsdl(xml: string): ServiceModel {
	let document: XmlElement | undefined;
	let parseFailure = '';
	try {
		document = parseXml(xml);
	} catch (error) {
		parseFailure = (error as Error).message;
	}
	if (!document) throw new MetadataError(`The $metadata document is not valid XML: ${parseFailure}`);
	if (document.name !== 'Edmx') throw new MetadataError('The $metadata document is not OData CSDL (no Edmx root)');
	const schemas = childrenNamed(document, 'DataServices').flatMap((services) => childrenNamed(services, 'Schema'));
	if (!schemas.length) throw new MetadataError('The $metadata document has no Schema');

	const model: ServiceModel = { namespace: '', entitySets: {}, entityTypes: {}, enumTypes: {}, operations: [] };
	const imports = new Map<string, string>();

	for (const schema of schemas) {
		const namespace = schema.attributes.Namespace ?? '';
		const alias = schema.attributes.Alias;
		const qualify = (name: string) => `${namespace}.${name}`;
		const unalias = (type: string) => (alias ? type.replace(new RegExp(`(^|\\()${alias}\\.`), `$1${namespace}.`) : type);

		for (const element of schema.children) {
			if (element.name === 'EntityType') {
				const keys = childrenNamed(element, 'Key')
					.flatMap((key) => childrenNamed(key, 'PropertyRef'))
					.map((ref) => ref.attributes.Name);
				const properties: Record<string, EdmProperty> = {};
				for (const property of childrenNamed(element, 'Property')) {
					properties[property.attributes.Name] = {
						name: property.attributes.Name,
						type: unalias(property.attributes.Type),
						nullable: property.attributes.Nullable !== 'false',
						maxLength: num(property.attributes.MaxLength),
						computed: isComputed(property) || undefined,
					};
				}
				const navigation: Record<string, EdmNavigation> = {};
				for (const nav of childrenNamed(element, 'NavigationProperty')) {
					const type = unalias(nav.attributes.Type);
					const collection = type.startsWith('Collection(');
					navigation[nav.attributes.Name] = {
						name: nav.attributes.Name,
						type: collection ? type.slice(11, -1) : type,
						collection,
					};
				}
				const qualifiedName = qualify(element.attributes.Name);
				model.entityTypes[qualifiedName] = { name: element.attributes.Name, qualifiedName, keys, properties, navigation };
			} else if (element.name === 'EnumType') {
				const qualifiedName = qualify(element.attributes.Name);
				model.enumTypes[qualifiedName] = {
					name: element.attributes.Name,
					qualifiedName,
					members: childrenNamed(element, 'Member').map((member) => member.attributes.Name),
				};
			} else if (element.name === 'Action' || element.name === 'Function') {
				const isBound = element.attributes.IsBound === 'true';
				const parameters = childrenNamed(element, 'Parameter').map((parameter) => ({
					name: parameter.attributes.Name,
					type: unalias(parameter.attributes.Type),
					nullable: parameter.attributes.Nullable !== 'false',
				}));
				const [binding, ...rest] = parameters;
				const returnType = childrenNamed(element, 'ReturnType')[0]?.attributes.Type;
				model.operations.push({
					kind: element.name === 'Action' ? 'action' : 'function',
					name: element.attributes.Name,
					qualifiedName: qualify(element.attributes.Name),
					isBound,
					bindingType: isBound ? binding?.type : undefined,
					parameters: isBound ? rest : parameters,
					returnType: returnType ? unalias(returnType) : undefined,
				});
			} else if (element.name === 'EntityContainer') {
				if (!model.namespace) model.namespace = namespace;
				for (const child of element.children) {
					if (child.name === 'EntitySet') {
						model.entitySets[child.attributes.Name] = {
							name: child.attributes.Name,
							entityType: unalias(child.attributes.EntityType),
						};
					} else if (child.name === 'ActionImport' || child.name === 'FunctionImport') {
						const target = unalias(child.attributes.Action ?? child.attributes.Function ?? '');
						imports.set(target, child.attributes.Name);
					}
				}
			}
		}
		if (!model.namespace) model.namespace = namespace;
	}

	for (const operation of model.operations) {
		if (!operation.isBound) operation.importName = imports.get(operation.qualifiedName) ?? operation.name;
	}
	return model;
}

function isComputed(property: XmlElement): boolean {
	return childrenNamed(property, 'Annotation').some(
		(annotation) =>
			/(^|\.)Core(\.V1)?\.(Computed|Immutable)$/.test(annotation.attributes.Term ?? '') && annotation.attributes.Bool !== 'false',
	);
}

export function entityTypeOfSet(model: ServiceModel, entitySet: string): EdmEntityType | undefined {
	const set = model.entitySets[entitySet];
	return set ? model.entityTypes[set.entityType] : undefined;
}

/** Operations that can be called on a row of `entitySet` (bound to its type) or on the service. */
export function operationsFor(model: ServiceModel, entitySet?: string): EdmOperation[] {
	if (!entitySet) return model.operations.filter((operation) => !operation.isBound);
	const type = entityTypeOfSet(model, entitySet)?.qualifiedName;
	return model.operations.filter((operation) => operation.isBound && operation.bindingType === type);
}

/**
 * Lists the node offers in the editor, loaded from the tenant: entity sets, keys, fields and
 * actions come from the projection's $metadata.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { entityTypeOfSet, operationsFor } from '../odata/csdl';
import { IfsClient } from '../transport';
import { KNOWN_PROJECTIONS } from './projections';

function current(context: ILoadOptionsFunctions, name: string): string {
	const value = context.getCurrentNodeParameter(name, { extractValue: true });
	return typeof value === 'string' ? value.trim() : '';
}

function matches(filter: string | undefined, ...texts: string[]): boolean {
	if (!filter) return true;
	const wanted = filter.toLowerCase();
	return texts.some((text) => text.toLowerCase().includes(wanted));
}

async function modelOf(context: ILoadOptionsFunctions) {
	const projection = current(context, 'projection');
	if (!projection) {
		throw new NodeOperationError(context.getNode(), 'Choose a projection first', {
			description: 'Entity sets, fields and actions are read from the projection\'s $metadata.',
		});
	}
	const client = await IfsClient.create(context);
	return { client, projection, model: await client.model(projection) };
}

export const listSearch = {
	async searchProjections(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const results = KNOWN_PROJECTIONS.filter((projection) => matches(filter, projection.name, projection.description)).map(
			(projection) => ({ name: `${projection.name} — ${projection.description}`, value: projection.name }),
		);
		return { results };
	},

	async searchEntitySets(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
		const { model } = await modelOf(this);
		const results = Object.values(model.entitySets)
			.filter((set) => matches(filter, set.name))
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((set) => ({ name: set.name, value: set.name, description: set.entityType }));
		return { results };
	},
};

export const loadOptions = {
	async getKeyFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { model } = await modelOf(this);
		const type = entityTypeOfSet(model, current(this, 'entitySet'));
		if (!type) return [];
		return type.keys.map((key) => ({
			name: key,
			value: key,
			description: type.properties[key]?.type.replace('Edm.', ''),
		}));
	},

	async getEntityFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { model } = await modelOf(this);
		const type = entityTypeOfSet(model, current(this, 'entitySet'));
		if (!type) return [];
		return Object.values(type.properties)
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((property) => ({
				name: `${property.name}${type.keys.includes(property.name) ? ' (key)' : ''}`,
				value: property.name,
				description: `${property.type.replace('Edm.', '')}${property.nullable ? '' : ', required'}${property.maxLength ? `, max ${property.maxLength}` : ''}`,
			}));
	},

	async getTimestampFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { model } = await modelOf(this);
		const type = entityTypeOfSet(model, current(this, 'entitySet'));
		if (!type) return [];
		return Object.values(type.properties)
			.filter((property) => property.type === 'Edm.DateTimeOffset' || property.type === 'Edm.Date')
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((property) => ({ name: property.name, value: property.name, description: property.type.replace('Edm.', '') }));
	},

	async getOperations(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { model } = await modelOf(this);
		const bound = this.getCurrentNodeParameter('actionScope') !== 'unbound';
		const operations = operationsFor(model, bound ? current(this, 'entitySet') : undefined);
		return operations
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((operation) => ({
				name: `${operation.name} (${operation.kind})`,
				value: bound ? operation.qualifiedName : (operation.importName ?? operation.name),
				description: operation.parameters.map((parameter) => `${parameter.name}: ${parameter.type.replace('Edm.', '')}`).join(', ') || 'No parameters',
			}));
	},
};

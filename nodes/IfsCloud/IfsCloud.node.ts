import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	NodeConnectionTypes,
} from 'n8n-workflow';

import * as entity from './actions/entity';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class IfsCloud implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IFS Cloud',
		name: 'ifsCloud',
		icon: { light: 'file:ifsCloud.svg', dark: 'file:ifsCloud.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Read and write any IFS Cloud projection (OData v4): paged reads, ETag-safe updates, actions',
		defaults: { name: 'IFS Cloud' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ifsCloudOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Entity', value: 'entity', description: 'Any entity set of any projection' }],
				default: 'entity',
			},
			...entity.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

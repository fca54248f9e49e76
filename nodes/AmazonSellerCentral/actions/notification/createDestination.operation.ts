import { type IDataObject, type IExecuteFunctions, type INodeProperties, updateDisplayOptions } from 'n8n-workflow';

import { operationError } from '../../../common/errors';
import { type SpApiClient } from '../../transport';
import { OPERATIONS } from '../../transport/operations';
import { optionsCollection } from '../shared';

/** Amazon's pattern for an SQS queue ARN, tightened to what AWS issues. */
const SQS_ARN = /^arn:aws:sqs:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'n8n-notifications',
		description: 'Your name for the destination (at most 256 characters)',
	},
	{
		displayName: 'Destination Type',
		name: 'destinationType',
		type: 'options',
		default: 'sqs',
		options: [
			{ name: 'Amazon SQS Queue', value: 'sqs', description: 'Read with the Amazon SQS Notification Trigger' },
			{ name: 'Amazon EventBridge', value: 'eventBridge', description: 'An event bus in your AWS account (not every notification type)' },
		],
	},
	{
		displayName: 'SQS Queue ARN',
		name: 'sqsArn',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'arn:aws:sqs:us-east-1:123456789012:sp-api-notifications',
		description: "The queue's ARN. Its access policy must let Amazon's notification account send to it (sqs:SendMessage, sqs:GetQueueAttributes).",
		displayOptions: { show: { destinationType: ['sqs'] } },
	},
	{
		displayName: 'AWS Account ID',
		name: 'accountId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: { show: { destinationType: ['eventBridge'] } },
	},
	{
		displayName: 'AWS Region',
		name: 'awsRegion',
		type: 'string',
		default: 'us-east-1',
		required: true,
		displayOptions: { show: { destinationType: ['eventBridge'] } },
	},
	optionsCollection(),
];

export const description = updateDisplayOptions({ show: { resource: ['notification'], operation: ['createDestination'] } }, properties);

/** True when an existing destination is the same resource as the one asked for. */
function sameResource(destination: IDataObject, wanted: IDataObject): boolean {
	const resource = (destination.resource ?? {}) as IDataObject;
	const sqs = wanted.sqs as IDataObject | undefined;
	if (sqs) return (resource.sqs as IDataObject | undefined)?.arn === sqs.arn;
	const bridge = wanted.eventBridge as IDataObject;
	const existing = resource.eventBridge as IDataObject | undefined;
	return !!existing && existing.accountId === bridge.accountId && existing.region === bridge.region;
}

/**
 * Query first: a destination for the same queue (or account and region) is returned as it is
 * (`alreadyExisted: true`), so re-running a setup workflow never fails or duplicates.
 */
export async function execute(context: IExecuteFunctions, client: SpApiClient, itemIndex: number): Promise<IDataObject> {
	const name = String(context.getNodeParameter('name', itemIndex, '')).trim();
	if (!name || name.length > 256) throw operationError(client.node, 'Name must have 1 to 256 characters', 'Give the destination a short name.', itemIndex);
	const type = context.getNodeParameter('destinationType', itemIndex, 'sqs') as string;
	let resourceSpecification: IDataObject;
	if (type === 'sqs') {
		const arn = String(context.getNodeParameter('sqsArn', itemIndex, '')).trim();
		if (!SQS_ARN.test(arn)) {
			throw operationError(client.node, `"${arn}" is not an SQS queue ARN`, 'Copy the ARN from the queue\'s details in the AWS console: arn:aws:sqs:<region>:<12-digit account>:<queue name>.', itemIndex);
		}
		resourceSpecification = { sqs: { arn } };
	} else {
		const accountId = String(context.getNodeParameter('accountId', itemIndex, '')).trim();
		const region = String(context.getNodeParameter('awsRegion', itemIndex, '')).trim();
		if (!/^\d{12}$/.test(accountId)) throw operationError(client.node, 'The AWS account ID must have 12 digits', 'Find it in the AWS console under your account name.', itemIndex);
		resourceSpecification = { eventBridge: { accountId, region } };
	}
	const existing = await client.call<{ payload?: IDataObject[] }>({ operation: OPERATIONS.getDestinations }, itemIndex);
	const match = (existing.body.payload ?? []).find((destination) => sameResource(destination, resourceSpecification));
	if (match) return { ...match, alreadyExisted: true };
	const created = await client.call<{ payload?: IDataObject }>({ operation: OPERATIONS.createDestination, body: { name, resourceSpecification } }, itemIndex);
	return { ...(created.body.payload ?? {}), alreadyExisted: false };
}

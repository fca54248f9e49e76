import type { ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, Icon, INodeProperties } from 'n8n-workflow';

import { AWS_REGIONS } from '../nodes/AmazonSellerCentral/sqs/queueUrl';
import { signSqsRequest } from '../nodes/AmazonSellerCentral/sqs/signing';

/**
 * An AWS access key for the SQS queue Amazon delivers SP-API notifications to. Requests are
 * signed with Signature Version 4 for service `sqs` in the queue's region, and only requests to
 * the queue URL's host are signed at all.
 */
export class AwsSqsApi implements ICredentialType {
	name = 'awsSqsApi';

	displayName = 'AWS SQS (Amazon Notifications)';

	icon: Icon = { light: 'file:icons/amazonSellerCentral.svg', dark: 'file:icons/amazonSellerCentral.dark.svg' };

	documentationUrl = 'https://github.com/ml-connector/n8n-nodes-ml-connector#aws-sqs-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Access Key ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'AKIA…',
			description: 'Access key of an IAM user allowed sqs:ReceiveMessage, sqs:DeleteMessage and sqs:GetQueueAttributes on the queue',
		},
		{
			displayName: 'Secret Access Key',
			name: 'secretAccessKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary credentials (keys starting with ASIA); they expire, so a long-term IAM user key is better for a trigger',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'us-east-1',
			required: true,
			options: AWS_REGIONS,
			description: "The queue's region: it must be the region in the queue URL (sqs.<region>.amazonaws.com)",
		},
		{
			displayName: 'Queue URL',
			name: 'queueUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications',
			description: "The queue's URL from the SQS console. Requests, and so the credentials, only ever go to this host.",
		},
	];

	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return signSqsRequest(credentials, requestOptions);
	}

	/** GetQueueAttributes proves the key, the signature, the region and the permission on this queue. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ String($credentials.queueUrl || "").trim().split("/").slice(0, 3).join("/") }}',
			url: '/',
			method: 'POST',
			headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.GetQueueAttributes' },
			body: { QueueUrl: '={{ String($credentials.queueUrl || "").trim().replace(/\\/+$/, "") }}', AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'AWS refused the key (HTTP 403): check the Access Key ID and Secret Access Key (and Session Token for temporary keys), that the n8n host clock is correct, and that the IAM user may call sqs:GetQueueAttributes on this queue',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: 'SQS rejected the request (HTTP 400): the queue in the Queue URL may not exist in this region or account. Copy the URL again from the SQS console.',
				},
			},
		],
	};
}

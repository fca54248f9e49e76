import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret an IFS Event Action sends with each call to the IFS Cloud Event Trigger.
 * Tested by the trigger node (strength and header name), since there is no remote system to ask.
 */
export class IfsCloudEventApi implements ICredentialType {
	name = 'ifsCloudEventApi';

	displayName = 'IFS Cloud Event API';

	icon: Icon = { light: 'file:icons/ifsCloud.svg', dark: 'file:icons/ifsCloud.dark.svg' };

	documentationUrl = 'https://github.com/ml-connector/n8n-nodes-ml-connector#ifs-cloud-event-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: 'X-IFS-Event-Secret',
			required: true,
			description: 'HTTP header in which the IFS Event Action sends the secret',
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A long random value (at least 24 characters), also entered in the IFS Event Action',
		},
	];
}

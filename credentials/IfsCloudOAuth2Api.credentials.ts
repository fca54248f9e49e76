import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * IFS Cloud IAM client credentials (OAuth2 `client_credentials`). n8n's OAuth2 machinery fetches
 * the token, stores it encrypted with the credential, and re-runs the grant when IFS answers 401.
 */
export class IfsCloudOAuth2Api implements ICredentialType {
	name = 'ifsCloudOAuth2Api';

	displayName = 'IFS Cloud OAuth2 API';

	extends = ['oAuth2Api'];

	icon: Icon = { light: 'file:icons/ifsCloud.svg', dark: 'file:icons/ifsCloud.dark.svg' };

	documentationUrl = 'https://github.com/ml-connector/n8n-nodes-ml-connector#ifs-cloud-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'System URL',
			name: 'systemUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://mytenant.ifs.cloud',
			description:
				'Base URL of the IFS Cloud environment, without a path. On-premises installations may include a port, e.g. https://ifs.example.com:48080.',
		},
		{
			displayName: 'Realm',
			name: 'realm',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'mytenant',
			description:
				'IAM realm (namespace) of the environment. API Explorer → Documentation shows it in the token endpoint: /auth/realms/&lt;realm&gt;/protocol/openid-connect/token.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'ID of a confidential IAM client with Service Accounts enabled (Solution Manager → Users and Permissions → IAM Client)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: "The IAM client's secret (Credentials tab of the IAM client)",
		},
		{
			displayName: 'Default Company',
			name: 'companyCode',
			type: 'string',
			default: '',
			placeholder: '10',
			description:
				'Company code used for company-scoped entities (vouchers, accounting data) when a node does not set one. Leave empty to always set it in the node.',
		},
		{
			displayName: 'API Deployment',
			name: 'deployment',
			type: 'options',
			default: 'int',
			options: [
				{
					name: 'Integration (/int)',
					value: 'int',
					description: 'For system-to-system calls; no CSRF protection',
				},
				{
					name: 'Main (/main)',
					value: 'main',
					description: 'Projections used by the IFS web client; writes need an XSRF token, which the node fetches',
				},
			],
			description:
				'Which deployment of the projections to call. Not every projection is exposed on /int; nodes can override this per call.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'clientCredentials',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default:
				// One expression, not two: n8n evaluates it on every request that may need a token.
				'={{ $self["systemUrl"].trim().replace(/\\/+$/, "") + "/auth/realms/" + encodeURIComponent($self["realm"].trim()) + "/protocol/openid-connect/token" }}',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'openid microprofile-jwt',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
	];

	/**
	 * Fetches a token (client id, secret, realm) and calls the realm's userinfo endpoint with it,
	 * which every IFS Cloud IAM realm serves: proves the token is accepted without depending on a
	 * projection the service user may not be granted.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.systemUrl.trim().replace(/\\/+$/, "")}}',
			url: '=/auth/realms/{{encodeURIComponent($credentials.realm.trim())}}/protocol/openid-connect/userinfo',
			method: 'GET',
		},
	};
}

import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';

import { LWA_TOKEN_URL, MARKETPLACES } from '../nodes/AmazonSellerCentral/marketplaces';

/** Ids of the marketplaces served by the North America and Far East regions; all others are Europe. */
const NA = MARKETPLACES.filter((marketplace) => marketplace.region === 'na').map((marketplace) => marketplace.id);
const FE = MARKETPLACES.filter((marketplace) => marketplace.region === 'fe').map((marketplace) => marketplace.id);

/** What to renew, by LWA error code. */
const LWA_ADVICE: Record<string, string> = {
	invalid_client:
		'Amazon rejected the LWA client ID or secret (invalid_client). LWA client secrets must be rotated regularly: in Seller Central → Apps and Services → Develop Apps, view the app\'s LWA credentials, copy the current client secret into this credential.',
	invalid_grant:
		'Amazon rejected the refresh token (invalid_grant): the seller\'s authorization was revoked or has expired. Re-authorize the app for this seller (Seller Central → Apps and Services → Manage Your Apps, or your OAuth flow) and paste the new refresh token.',
	unauthorized_client: 'The LWA client may not use the refresh-token grant (unauthorized_client): check the app\'s settings in the developer console.',
};

/**
 * Login with Amazon for SP-API: the refresh token of one seller authorization is exchanged for a
 * one-hour access token, kept in a hidden field that n8n persists and refreshes when SP-API answers
 * 401 or 403 (SP-API answers an expired token with 403). One credential = one seller, one region.
 */
export class AmazonSellingPartnerApi implements ICredentialType {
	name = 'amazonSellingPartnerApi';

	displayName = 'Amazon Selling Partner API';

	icon: Icon = { light: 'file:icons/amazonSellerCentral.svg', dark: 'file:icons/amazonSellerCentral.dark.svg' };

	documentationUrl = 'https://github.com/ml-connector/n8n-nodes-ml-connector#amazon-seller-central-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'LWA Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'amzn1.application-oa2-client.…',
			description: "The app's Login with Amazon client identifier (Developer Central → app → View LWA credentials)",
		},
		{
			displayName: 'LWA Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'Atzr|…',
			description: "The seller's authorization of the app (self-authorization or OAuth). It belongs to one seller and one region.",
		},
		{
			displayName: 'Marketplaces',
			name: 'marketplaceIds',
			type: 'multiOptions',
			default: [],
			required: true,
			options: MARKETPLACES.map((marketplace) => ({ name: marketplace.name, value: marketplace.id })),
			description: 'Marketplaces of this seller in one region; the SP-API endpoint (North America, Europe, Far East) follows from them',
		},
		{
			displayName: 'Use Sandbox',
			name: 'sandbox',
			type: 'boolean',
			default: false,
			description:
				"Whether to call Amazon's static sandbox: it answers only the example requests in Amazon's API models and returns canned data or InternalFailure for anything else",
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'hidden',
			default: `={{ ${JSON.stringify(NA)}.includes(($self["marketplaceIds"] || [])[0]) ? "na" : ${JSON.stringify(FE)}.includes(($self["marketplaceIds"] || [])[0]) ? "fe" : "eu" }}`,
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	/** Exchanges the refresh token for an access token; errors say exactly what to renew. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: LWA_TOKEN_URL,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
			body: new URLSearchParams({
				grant_type: 'refresh_token',
				refresh_token: String(credentials.refreshToken ?? '').trim(),
				client_id: String(credentials.clientId ?? '').trim(),
				client_secret: String(credentials.clientSecret ?? ''),
			}).toString(),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 30_000,
		})) as { statusCode: number; body: unknown };
		let body = response.body as { access_token?: unknown; error?: unknown } | string | undefined;
		if (typeof body === 'string') {
			try {
				body = JSON.parse(body) as { access_token?: unknown; error?: unknown };
			} catch {
				body = undefined;
			}
		}
		const token = typeof body === 'object' && body ? body.access_token : undefined;
		if (response.statusCode >= 300 || typeof token !== 'string' || !token) {
			const code = typeof body === 'object' && body && typeof body.error === 'string' ? body.error : `HTTP ${response.statusCode}`;
			throw new Error(LWA_ADVICE[code] ?? `Login with Amazon did not issue an access token (${code}). Check the LWA client ID, client secret and refresh token.`);
		}
		return { accessToken: token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { 'x-amz-access-token': '={{$credentials.accessToken}}' } },
	};

	/** A cheap seller-scoped call in the credential's region: proves the token and the authorization. */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ "https://" + ($credentials.sandbox ? "sandbox." : "") + "sellingpartnerapi-" + $credentials.region + ".amazon.com" }}',
			url: '/sellers/v1/marketplaceParticipations',
			method: 'GET',
		},
	};
}

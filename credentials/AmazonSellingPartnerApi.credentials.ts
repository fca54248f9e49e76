import type {
	Icon,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { LWA_TOKEN_URL, MARKETPLACES, type Region, spApiHost } from '../nodes/AmazonSellerCentral/marketplaces';
import { LWA_ADVICE, requestLwaToken } from '../nodes/AmazonSellerCentral/transport/lwa';

/** Ids of the marketplaces served by the North America and Far East regions; all others are Europe. */
const NA = MARKETPLACES.filter((marketplace) => marketplace.region === 'na').map((marketplace) => marketplace.id);
const FE = MARKETPLACES.filter((marketplace) => marketplace.region === 'fe').map((marketplace) => marketplace.id);

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
			displayName: 'Seller ID (Merchant Token)',
			name: 'sellerId',
			type: 'string',
			default: '',
			placeholder: 'A1B2C3D4E5F6G7',
			description:
				'Needed for listings (quantity updates): Seller Central → Settings → Account Info → Merchant Token. Optional for everything else.',
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
		const { accessToken } = await requestLwaToken(this.helpers, {
			grant_type: 'refresh_token',
			refresh_token: String(credentials.refreshToken ?? '').trim(),
			client_id: String(credentials.clientId ?? '').trim(),
			client_secret: String(credentials.clientSecret ?? ''),
		});
		return { accessToken };
	}

	/** The access token goes to this credential's SP-API endpoint and nowhere else (not even to Login with Amazon). */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const own = spApiHost(String(credentials.region) as Region, credentials.sandbox === true);
		if (requestOrigin(requestOptions) !== own) return requestOptions;
		return { ...requestOptions, headers: { ...requestOptions.headers, 'x-amz-access-token': String(credentials.accessToken ?? '') } };
	}

	/**
	 * Exchanges exactly the entered refresh token, client ID and secret at Login with Amazon. A test
	 * through SP-API would pass on the access token saved with the previous values, so a mistyped
	 * rotated secret would look fine until that token expires.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: LWA_ORIGIN,
			url: LWA_PATH,
			method: 'POST',
			body: {
				grant_type: 'refresh_token',
				refresh_token: '={{ String($credentials.refreshToken).trim() }}',
				client_id: '={{ String($credentials.clientId).trim() }}',
				client_secret: '={{ $credentials.clientSecret }}',
			},
		},
		rules: [
			{ type: 'responseCode', properties: { value: 401, message: LWA_ADVICE.invalid_client } },
			{ type: 'responseCode', properties: { value: 400, message: LWA_ADVICE.invalid_grant } },
		],
	};
}

const LWA_ORIGIN = new URL(LWA_TOKEN_URL).origin;
const LWA_PATH = new URL(LWA_TOKEN_URL).pathname;

/** `https://host[:port]` of a request n8n is about to send (its url may be relative to baseURL). */
function requestOrigin(options: IHttpRequestOptions): string | undefined {
	try {
		return new URL(options.url, options.baseURL).origin;
	} catch {
		return undefined;
	}
}

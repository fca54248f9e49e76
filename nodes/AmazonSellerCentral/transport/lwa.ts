/**
 * Login with Amazon token requests, shared by the credential (refresh-token grant for the seller's
 * access token) and the transport (client-credentials grant for grantless operations such as
 * Notifications destinations). Errors say exactly what to renew; they never carry a secret.
 */
import type { IHttpRequestHelper } from 'n8n-workflow';

import { LWA_TOKEN_URL } from '../marketplaces';

/** What to renew, by LWA error code. */
export const LWA_ADVICE: Record<string, string> = {
	invalid_client:
		"Amazon rejected the LWA client ID or secret (invalid_client). LWA client secrets must be rotated regularly: in Seller Central → Apps and Services → Develop Apps, view the app's LWA credentials, copy the current client secret into this credential.",
	invalid_grant:
		"Amazon rejected the refresh token (invalid_grant): the seller's authorization was revoked or has expired. Re-authorize the app for this seller (Seller Central → Apps and Services → Manage Your Apps, or your OAuth flow) and paste the new refresh token.",
	unauthorized_client: "The LWA client may not use this grant (unauthorized_client): check the app's settings in the developer console.",
	invalid_scope:
		'Login with Amazon refused the scope (invalid_scope). Grantless operations need the app to be registered for them (e.g. sellingpartnerapi::notifications for the Notifications API).',
};

export type LwaGrant =
	| { grant_type: 'refresh_token'; refresh_token: string; client_id: string; client_secret: string }
	| { grant_type: 'client_credentials'; scope: string; client_id: string; client_secret: string };

/** Exchanges a grant for an access token at Login with Amazon; throws an Error with LWA_ADVICE. */
export async function requestLwaToken(helpers: IHttpRequestHelper['helpers'], grant: LwaGrant): Promise<{ accessToken: string; expiresIn?: number }> {
	const response = (await helpers.httpRequest({
		method: 'POST',
		url: LWA_TOKEN_URL,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		body: new URLSearchParams(grant).toString(),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: 30_000,
	})) as { statusCode: number; body: unknown };
	let body = response.body as { access_token?: unknown; expires_in?: unknown; error?: unknown } | string | undefined;
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
	const expiresIn = typeof body === 'object' && body && typeof body.expires_in === 'number' ? body.expires_in : undefined;
	return { accessToken: token, expiresIn };
}

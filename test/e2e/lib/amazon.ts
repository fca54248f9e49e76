/**
 * Amazon Seller Central in a real n8n: the SP-API sandbox in its own process, reached under
 * Amazon's real host names through the MITM proxy (n8n cannot use nock), and the credential that
 * n8n imports.
 *
 *   const amazon = await startAmazonSandbox({ sandbox: { ordersPerSeller: 300 } });
 *   const n8n = await N8nInstance.create({ env: amazon.env() });   // proxy + CA for every n8n command
 *   await n8n.importCredentials([amazonCredential(amazon.sandbox)]);
 *   …                                                              // workflows use AMAZON_CREDENTIAL_ID
 *   amazon.proxy.requests();                                       // what n8n sent where
 *   await amazon.sandbox.stats(true);                              // what the sandbox served
 *   await amazon.close();                                          // proxy, then sandbox
 */
import { type RemoteSpApiSandbox, type SpApiSandboxDetails, spawnSpApiSandbox } from '../../sandbox/spapi/process';
import { amazonHostRoutes } from '../../sandbox/spapi/relay';
import type { SpApiSandboxOptions } from '../../sandbox/spapi';
import { type MitmProxy, startMitmProxy } from './mitm';
import type { CredentialJson } from './n8n';

/** The credential every Amazon workflow (test or template) references: fixed id, so imports link up. */
export const AMAZON_CREDENTIAL_ID = 'mlcAmazonSpApiAcct1';
export const AMAZON_CREDENTIAL_NAME = 'Amazon Seller Central account';
export const AMAZON_CREDENTIAL_TYPE = 'amazonSellingPartnerApi';
export const AMAZON_NODE_TYPE = 'n8n-nodes-ml-connector.amazonSellerCentral';

export interface AmazonSandboxOptions {
	/** Options of the sandbox process (SpApiSandboxOptions as JSON: no functions). */
	sandbox?: Omit<SpApiSandboxOptions, 'validateRequest' | 'onNotification'>;
	/** Bound on the sandbox process's start (default 30 s: seeding takes a few seconds on a busy box). */
	startTimeoutMs?: number;
}

export interface AmazonSandbox {
	/** The sandbox process: URLs, authorizations, control calls (stats, faults, addReport, orders, reset…). */
	sandbox: RemoteSpApiSandbox;
	/** The MITM proxy routing api.amazon.com, every SP-API host and the storage host to the sandbox. */
	proxy: MitmProxy;
	/** Environment for n8n (`N8nOptions.env`): the proxy's HTTPS_PROXY/NO_PROXY/NODE_EXTRA_CA_CERTS. */
	env(): Record<string, string>;
	/** Stops the proxy, then the sandbox. Idempotent. */
	close(): Promise<void>;
}

/**
 * Spawns the SP-API sandbox (needs `npm run build:tools`) and starts the MITM proxy with its
 * routes: Login with Amazon, the six SP-API hosts and the document storage host.
 */
export async function startAmazonSandbox(options: AmazonSandboxOptions = {}): Promise<AmazonSandbox> {
	const sandbox = await spawnSpApiSandbox(options.sandbox ?? {}, options.startTimeoutMs ?? 30_000);
	let proxy: MitmProxy;
	try {
		proxy = await startMitmProxy({ routes: amazonHostRoutes(sandbox) });
	} catch (error) {
		await sandbox.close();
		throw error;
	}
	let closed: Promise<void> | undefined;
	return {
		sandbox,
		proxy,
		env: () => proxy.env(),
		close: () => {
			closed ??= (async () => {
				try {
					await proxy.close();
				} finally {
					await sandbox.close();
				}
			})();
			return closed;
		},
	};
}

export interface AmazonCredentialOptions {
	/** Seller id (e.g. 'A2SANDBOXEU001') or region ('na', 'eu', 'fe') of the authorization; default the first one (NA). */
	seller?: string;
	/** Fields to replace, e.g. `{ clientSecret: 'wrong' }`. */
	overrides?: Record<string, unknown>;
	/** Another id / name (e.g. for a second, broken copy next to the good one). */
	id?: string;
	name?: string;
}

/**
 * The credential for `n8n import:credentials`, from one of the sandbox's authorizations: LWA
 * client id and secret, refresh token, the seller's marketplaces and id, production host names
 * (the proxy serves them), and an empty access token (n8n fetches it through preAuthentication).
 */
export function amazonCredential(sandbox: Pick<SpApiSandboxDetails, 'authorizations'>, options: AmazonCredentialOptions = {}): CredentialJson {
	const authorization = options.seller
		? sandbox.authorizations.find((candidate) => candidate.sellerId === options.seller || candidate.region === options.seller)
		: sandbox.authorizations[0];
	if (!authorization) throw new Error(`The sandbox has no authorization for ${options.seller ?? 'any seller'}`);
	return {
		id: options.id ?? AMAZON_CREDENTIAL_ID,
		name: options.name ?? AMAZON_CREDENTIAL_NAME,
		type: AMAZON_CREDENTIAL_TYPE,
		data: {
			clientId: authorization.clientId,
			clientSecret: authorization.clientSecret,
			refreshToken: authorization.refreshToken,
			marketplaceIds: [...authorization.marketplaceIds],
			sellerId: authorization.sellerId,
			sandbox: false,
			accessToken: '',
			...options.overrides,
		},
	};
}

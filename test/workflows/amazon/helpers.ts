/**
 * Shared setup for Amazon Seller Central workflow tests: an SP-API sandbox reached under Amazon's
 * real host names (nock routing), every request checked against Amazon's official models, the
 * base workflow with the node's parameters patched per test, and a runner.
 */
import * as path from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { validateSpApiRequest } from '../../contract/spapi-contract';
import {
	type CredentialStore,
	type PackageTypes,
	type RunResult,
	loadPackageNodeTypes,
	loadWorkflowJson,
	runWorkflow,
	withNode,
} from '../../harness';
import { type SpApiSandbox, type SpApiSandboxOptions, routeAmazonToSandbox, startSpApiSandbox } from '../../sandbox/spapi';

export const AMAZON_NODE = 'Amazon Seller Central';
export const AMAZON_CREDENTIAL = 'amazonSellingPartnerApi';
const FIXTURE = path.join(__dirname, 'fixtures', 'amazon-node.workflow.json');

let types: PackageTypes | undefined;
export function packageTypes(): PackageTypes {
	types ??= loadPackageNodeTypes();
	return types;
}

export interface AmazonTestbed {
	sandbox: SpApiSandbox;
	/** Removes the nock routes and closes the sandbox. */
	close(): Promise<void>;
}

/**
 * Starts a sandbox, routes Amazon's hosts to it and checks every SP-API request against the
 * official models (violations collect in `sandbox.contractViolations`).
 */
export async function startAmazonTestbed(options: SpApiSandboxOptions = {}): Promise<AmazonTestbed> {
	const sandbox = await startSpApiSandbox(options);
	sandbox.validateRequest = (request) => (isSellersParticipations(request) ? [] : validateSpApiRequest(request).violations);
	const undo = routeAmazonToSandbox(sandbox);
	return {
		sandbox,
		close: async () => {
			undo();
			await sandbox.close();
		},
	};
}

/**
 * The credential test's call (Sellers API getMarketplaceParticipations): Amazon's Sellers model is
 * not among the vendored ones, so the contract check cannot judge it; it takes no parameters.
 */
function isSellersParticipations(request: { method: string; path: string; query?: Record<string, unknown> }): boolean {
	return request.method === 'GET' && request.path.split('?')[0] === '/sellers/v1/marketplaceParticipations' && Object.keys(request.query ?? {}).length === 0;
}

/** The base workflow with the Amazon node's parameters (and node settings such as onError) replaced. */
export function amazonWorkflow(parameters: IDataObject, node: IDataObject = {}) {
	return withNode(loadWorkflowJson(FIXTURE), AMAZON_NODE, { parameters, ...node } as never);
}

/** The node credential of a sandbox seller (by seller id or region; default the NA seller). */
export function amazonCredentials(sandbox: SpApiSandbox, sellerOrRegion?: string, overrides: IDataObject = {}) {
	const { clientId, clientSecret, refreshToken, marketplaceIds, sellerId } = sandbox.credentials(sellerOrRegion);
	return { [AMAZON_CREDENTIAL]: { clientId, clientSecret, refreshToken, marketplaceIds, sellerId, sandbox: false, ...overrides } };
}

export interface AmazonRun {
	sandbox: SpApiSandbox;
	parameters: IDataObject;
	node?: IDataObject;
	items?: IDataObject[];
	/** Seller id or region of the credential (default: NA). */
	seller?: string;
	credentials?: IDataObject;
	credentialStore?: CredentialStore;
	timeoutMs?: number;
	cancelAfterMs?: number;
}

export async function runAmazon(run: AmazonRun): Promise<RunResult> {
	return await runWorkflow({
		workflow: amazonWorkflow(run.parameters, run.node),
		types: packageTypes(),
		credentials: amazonCredentials(run.sandbox, run.seller, run.credentials),
		credentialStore: run.credentialStore,
		startItems: (run.items ?? [{}]).map((json): INodeExecutionData => ({ json })),
		timeoutMs: run.timeoutMs ?? 60_000,
		cancelAfterMs: run.cancelAfterMs,
	});
}

export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** Every secret a sandbox seller's credential holds, plus the tokens the sandbox issued. */
export function secretsOf(sandbox: SpApiSandbox, sellerOrRegion?: string): string[] {
	const { clientSecret, refreshToken } = sandbox.credentials(sellerOrRegion);
	return [clientSecret, refreshToken];
}

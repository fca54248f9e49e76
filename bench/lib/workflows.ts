/**
 * The benchmark's workflows and credentials: the same 100 000-row read through this package's
 * IFS Cloud node, and through n8n's own HTTP Request node the way a user would build it without
 * the package (generic OAuth2 client-credentials credential, pagination following
 * `@odata.nextLink`, then Split Out of `value` so both workflows emit one item per row).
 */
import type { CredentialJson, IfsEndpoint, WorkflowJson } from '../../test/e2e/lib';
import { IFS_CREDENTIAL_ID, IFS_CREDENTIAL_NAME, IFS_CREDENTIAL_TYPE, IFS_NODE_TYPE } from '../../test/e2e/lib';

export const PROJECTION = 'InventoryPartInStockHandling';
export const ENTITY_SET = 'InventoryPartInStockSet';

export const TRIGGER = 'Start';
export const IFS_NODE = 'IFS Cloud: read stock';
export const HTTP_NODE = 'HTTP Request: read stock';
export const SPLIT_NODE = 'Split Out rows';

export const GENERIC_OAUTH2_ID = 'mlcBenchOAuth2Gn';
export const GENERIC_OAUTH2_NAME = 'IFS Cloud (generic OAuth2)';

/** n8n's own generic OAuth2 credential, set up for IFS's client-credentials grant (IFS docs: form body fields). */
export function genericOAuth2Credential(endpoint: IfsEndpoint & { tokenUrl: string }): CredentialJson {
	return {
		id: GENERIC_OAUTH2_ID,
		name: GENERIC_OAUTH2_NAME,
		type: 'oAuth2Api',
		data: {
			grantType: 'clientCredentials',
			accessTokenUrl: endpoint.tokenUrl,
			clientId: endpoint.clientId,
			clientSecret: endpoint.clientSecret,
			scope: 'openid microprofile-jwt',
			authentication: 'body',
			authQueryParameters: '',
		},
	};
}

const trigger = { id: 'bench-trigger', name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };

function chain(id: string, name: string, nodes: Array<Record<string, unknown> & { name: string; type: string }>): WorkflowJson {
	const all = [trigger, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < all.length - 1; index++) {
		connections[all[index].name] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, nodes: all, connections, settings: { executionOrder: 'v1' }, pinData: {}, active: false } as WorkflowJson;
}

export interface IfsReadOptions {
	/** Return All (undefined) or a row limit (warm-up). */
	limit?: number;
	pageSize: number;
	maxConcurrency: number;
	requestsPerWindow: number;
	rateWindowSeconds: number;
}

/** Entity → Get Many with Return All, options as given (all of them documented node options). */
export function ifsWorkflow(id: string, name: string, options: IfsReadOptions): WorkflowJson {
	return chain(id, name, [
		{
			id: 'bench-ifs',
			name: IFS_NODE,
			type: IFS_NODE_TYPE,
			typeVersion: 1,
			position: [240, 0],
			parameters: {
				resource: 'entity',
				operation: 'getMany',
				projection: { __rl: true, mode: 'list', value: PROJECTION, cachedResultName: PROJECTION },
				entitySet: { __rl: true, mode: 'list', value: ENTITY_SET, cachedResultName: ENTITY_SET },
				returnAll: options.limit === undefined,
				...(options.limit === undefined ? {} : { limit: options.limit }),
				filter: '',
				options: {
					pageSize: options.pageSize,
					maxConcurrency: options.maxConcurrency,
					requestsPerWindow: options.requestsPerWindow,
					rateWindowSeconds: options.rateWindowSeconds,
				},
			},
			credentials: { [IFS_CREDENTIAL_TYPE]: { id: IFS_CREDENTIAL_ID, name: IFS_CREDENTIAL_NAME } },
		},
	]);
}

export interface HttpReadOptions {
	/** Collection URL of the entity set (no $top: IFS pages server-side at its maximum, 5000). */
	url: string;
	/** false = one request only (warm-up). */
	paginate: boolean;
	/** Pagination's "Interval Between Requests (ms)"; 0 = none. */
	requestIntervalMs: number;
}

/** HTTP Request v4.2 + Split Out, as a user without this package would build the read. */
export function httpWorkflow(id: string, name: string, options: HttpReadOptions): WorkflowJson {
	const pagination = options.paginate
		? {
				pagination: {
					pagination: {
						paginationMode: 'responseContainsNextURL',
						nextURL: '={{ $response.body["@odata.nextLink"] }}',
						paginationCompleteWhen: 'other',
						completeExpression: '={{ !$response.body["@odata.nextLink"] }}',
						requestInterval: options.requestIntervalMs,
					},
				},
			}
		: {};
	return chain(id, name, [
		{
			id: 'bench-http',
			name: HTTP_NODE,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [240, 0],
			parameters: {
				url: options.url,
				authentication: 'genericCredentialType',
				genericAuthType: 'oAuth2Api',
				options: pagination,
			},
			credentials: { oAuth2Api: { id: GENERIC_OAUTH2_ID, name: GENERIC_OAUTH2_NAME } },
		},
		{
			id: 'bench-split',
			name: SPLIT_NODE,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [480, 0],
			parameters: { fieldToSplitOut: 'value', include: 'noOtherFields', options: {} },
		},
	]);
}

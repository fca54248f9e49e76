/**
 * In-memory credentials for in-process workflow tests.
 *
 * `CredentialStore` plays n8n's credentials table: it holds the *stored* (raw, unresolved)
 * data per credential type, receives the writes n8n-core makes (OAuth2 token persistence,
 * `preAuthentication` results) and records them so tests can assert "token persisted" and
 * count token fetches. Share one store between runs to reuse persisted tokens.
 *
 * `HarnessCredentialsHelper` implements n8n-workflow's `ICredentialsHelper` on top of it.
 * `getDecrypted` behaves like n8n's CLI helper for what our credentials use: type defaults
 * (parents merged in, the child overriding by name), then `={{ … }}` expressions resolved by
 * n8n-workflow's own expression engine with `$self` bound to the credential's data.
 * Not modelled: encryption at rest, credential overwrites, external secrets, dynamic
 * (per-user) credentials, domain restrictions on `preAuthentication` requests.
 */
import { getAdditionalKeys } from 'n8n-core';
import {
	deepCopy,
	ICredentials,
	ICredentialsHelper,
	isExpression,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialsEncrypted,
	type ICredentialsExpressionResolveValues,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeParameters,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { NO_OP_TYPE, type HarnessCredentialTypes, type HarnessNodeTypes } from './node-types';

export type CredentialData = ICredentialDataDecryptedObject;

export interface CredentialWrite {
	type: string;
	/** `oauthTokenData`: n8n-core persisted an OAuth2 token; `credentials`: a full update (preAuthentication). */
	kind: 'oauthTokenData' | 'credentials';
	data: CredentialData;
	at: number;
}

export class CredentialStore {
	private readonly records = new Map<string, CredentialData>();
	/** Every write n8n made through the helper, oldest first. */
	readonly writes: CredentialWrite[] = [];

	constructor(initial: Record<string, CredentialData> = {}) {
		for (const [type, data] of Object.entries(initial)) this.set(type, data);
	}

	has(type: string): boolean {
		return this.records.has(type);
	}

	/** A copy of the stored (raw) data; callers may mutate it freely, as n8n-core does. */
	get(type: string): CredentialData {
		const data = this.records.get(type);
		if (data === undefined) {
			throw new Error(
				`No credential of type "${type}" in this run: pass it as runWorkflow({ credentials: { ${type}: {...} } })`,
			);
		}
		return deepCopy(data);
	}

	set(type: string, data: CredentialData): void {
		this.records.set(type, deepCopy(data));
	}

	/** The persisted OAuth2 token data (undefined until n8n-core fetched a token). */
	oauthTokenData(type: string): CredentialData | undefined {
		return this.records.get(type)?.oauthTokenData as CredentialData | undefined;
	}

	/** How many times n8n-core persisted new OAuth2 token data (= tokens fetched or refreshed). */
	oauthTokenWrites(type: string): number {
		return this.writes.filter((write) => write.type === type && write.kind === 'oauthTokenData').length;
	}

	record(type: string, kind: CredentialWrite['kind'], data: CredentialData): void {
		this.writes.push({ type, kind, data: deepCopy(data), at: Date.now() });
	}
}

/** Plain-text `ICredentials` (n8n's own class encrypts; the in-memory store needs no cipher). */
class PlainCredentials extends ICredentials {
	constructor(
		details: INodeCredentialsDetails,
		type: string,
		private readonly store: CredentialStore,
	) {
		super(details, type);
	}

	async getData(): Promise<CredentialData> {
		return this.store.get(this.type);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: JSON.stringify(this.store.get(this.type)) };
	}

	async setData(data: CredentialData): Promise<void> {
		this.store.set(this.type, data);
	}

	async updateData(toUpdate: Partial<CredentialData>, toDelete: string[] = []): Promise<void> {
		const data = { ...this.store.get(this.type), ...toUpdate } as CredentialData;
		for (const key of toDelete) delete data[key];
		this.store.set(this.type, data);
	}
}

/** Stand-in node for resolving credential expressions outside a node run (as n8n's CLI does). */
const CREDENTIAL_RESOLVER_NODE: INode = {
	id: 'harness-credential-resolver',
	name: 'Credential resolver',
	type: NO_OP_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: HarnessCredentialTypes,
		private readonly nodeTypes: HarnessNodeTypes,
		readonly store: CredentialStore,
	) {
		super();
	}

	getParentTypes(name: string): string[] {
		return this.credentialTypes.getParentTypes(name);
	}

	/** n8n's rule: restricted only when the type sets `restrictToSupportedNodes`. Unknown types pass. */
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		if (!this.credentialTypes.recognizes(credentialType)) return true;
		if (!this.credentialTypes.getByName(credentialType).restrictToSupportedNodes) return true;
		return this.credentialTypes.getSupportedNodes(credentialType).includes(nodeType);
	}

	/** Properties of the type with its parents' merged in; the child wins on a name clash. */
	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.credentialTypes.getByName(type);
		if (!credentialType.extends) {
			// n8n adds the field OAuth token data is stored in to the two OAuth base types.
			if (type === 'oAuth1Api' || type === 'oAuth2Api') {
				return [
					...credentialType.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', default: {} },
				];
			}
			return credentialType.properties;
		}
		const merged: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(merged, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(merged, credentialType.properties);
		return merged;
	}

	async authenticate(
		credentials: CredentialData,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialTypes.getByName(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				throw new Error('Generic credential authentication needs the workflow and node (as in n8n)');
			}
			// Same resolution n8n uses: each key and value through the expression engine
			// with `$credentials` bound.
			const resolve = (value: string): string => {
				if (!isExpression(value)) return value;
				const resolved = workflow.expression.getSimpleParameterValue(
					node,
					value,
					'internal',
					{ $credentials: credentials },
					undefined,
					'',
				);
				return resolved ? String(resolved) : '';
			};
			const options = requestOptions as unknown as Record<string, Record<string, string> | undefined>;
			options.headers ??= {};
			for (const [section, entries] of Object.entries(authenticate.properties)) {
				const target = (options[section] ??= {});
				for (const [key, value] of Object.entries(entries as Record<string, string>)) {
					target[resolve(key)] = resolve(value);
				}
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/**
	 * n8n's rules: only for types with a hidden `expirable` property; run the type's
	 * `preAuthentication` (with `helpers` as `this`) when that field is empty or the caller
	 * says the credential expired; persist the result and merge it into `credentials`.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: CredentialData,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<CredentialData | undefined> {
		const credentialType = this.credentialTypes.getByName(typeName);
		const expirable = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof credentialType.preAuthentication !== 'function') return undefined;

		const current = credentials[expirable.name];
		const isEmpty = current === '' || current === undefined || current === null;
		if (!isEmpty && !credentialsExpired) return undefined;

		const output = (await credentialType.preAuthentication.call(helpers, credentials)) as CredentialData;
		if (output?.[expirable.name] === undefined) return undefined;

		const nodeCredentials = node.credentials?.[typeName];
		if (!nodeCredentials) return undefined;
		// Like n8n: persist onto the *stored* data, but never replace a field the user stored
		// as an expression with this run's resolved value (the expirable field always updates).
		const stored = this.store.get(typeName);
		for (const [key, value] of Object.entries(output)) {
			if (key === expirable.name || !isExpression(stored[key])) stored[key] = value;
		}
		await this.updateCredentials(nodeCredentials, typeName, stored);
		return Object.assign(credentials, output);
	}

	/** Called by n8n-core's OAuth2 path on every request: in-memory transform, no persistence. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: CredentialData,
		typeName: string,
	): Promise<CredentialData | undefined> {
		const { preAuthentication } = this.credentialTypes.getByName(typeName);
		if (typeof preAuthentication !== 'function') return undefined;
		return ((await preAuthentication.call(helpers, credentials)) as CredentialData) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		this.store.get(type); // fail early, with the helpful message, if the test gave none
		return new PlainCredentials(nodeCredentials, type, this.store);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<CredentialData> {
		const stored = this.store.get(type);
		// `raw` is what n8n-core's OAuth2 refresh reads to see whether another execution
		// already refreshed the token: stored data, no defaults, no expressions.
		if (raw === true) return stored;

		const withDefaults = (NodeHelpers.getNodeParameters(
			this.getCredentialsProperties(type),
			stored as INodeParameters,
			true,
			false,
			null,
			null,
		) ?? {}) as CredentialData;
		// Not a declared parameter of child types, so getNodeParameters drops it.
		if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			// Inside a node run: resolve against the run, like n8n does (`$self` = the credential).
			const { workflow, runExecutionData, runIndex, itemIndex, node, connectionInputData } =
				expressionResolveValues;
			return workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				runExecutionData,
				runIndex,
				itemIndex,
				node.name,
				connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				withDefaults,
			) as CredentialData;
		}
		// Outside a run (e.g. n8n-core's refresh path): a throw-away workflow, as n8n's CLI does.
		const workflow = new Workflow({
			nodes: [CREDENTIAL_RESOLVER_NODE],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
		});
		await workflow.expression.acquireIsolate();
		try {
			return workflow.expression.getComplexParameterValue(
				CREDENTIAL_RESOLVER_NODE,
				withDefaults as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				withDefaults,
			) as CredentialData;
		} finally {
			await workflow.expression.releaseIsolate();
		}
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: CredentialData): Promise<void> {
		this.store.set(type, data);
		this.store.record(type, 'credentials', data);
	}

	/** n8n persists only `oauthTokenData`, merged into the stored data. */
	async updateCredentialsOauthTokenData(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: CredentialData,
	): Promise<void> {
		this.store.set(type, { ...this.store.get(type), oauthTokenData: data.oauthTokenData });
		this.store.record(type, 'oauthTokenData', { oauthTokenData: data.oauthTokenData });
	}
}

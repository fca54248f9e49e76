/**
 * Node-type and credential-type registries for in-process workflow tests.
 *
 * `loadPackageNodeTypes()` loads our package the way n8n does: it reads `package.json`
 * (`n8n.nodes` / `n8n.credentials`), requires the compiled files under `dist/` and
 * instantiates the class each file exports under its own name. Node types are registered as
 * `n8n-nodes-ml-connector.<description.name>`, credential types by their `name`.
 *
 * n8n-nodes-base is not installed, so the few built-ins a test workflow needs are
 * defined here, minimal and our own: a Manual Trigger, a No Op and the `oAuth2Api`
 * parent credential type (same property names as n8n's, so `extends: ['oAuth2Api']`
 * and n8n-core's OAuth2 code see the fields they read).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	NodeHelpers,
	type ICredentialType,
	type ICredentialTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
} from 'n8n-workflow';

export const PACKAGE_NAME = 'n8n-nodes-ml-connector';
/** Repository root (this file lives in `<root>/test/harness/`). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';
export const NO_OP_TYPE = 'n8n-nodes-base.noOp';

type AnyNodeType = INodeType | IVersionedNodeType;

// ---------------------------------------------------------------------------------------
// Built-ins
// ---------------------------------------------------------------------------------------

/**
 * Stand-in for n8n's Manual Trigger. Listed in n8n's STARTING_NODE_TYPES, so
 * `workflow.getStartNode()` picks it; `execute` returns the start items we put on the
 * execution stack (`runWorkflow({ startItems })`).
 */
class HarnessManualTrigger implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Manual Trigger (harness)',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test stand-in: emits the run start items',
		defaults: { name: 'When clicking ‘Execute workflow’' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Stand-in for n8n's No Op: passes its input through unchanged. */
class HarnessNoOp implements INodeType {
	description: INodeType['description'] = {
		displayName: 'No Operation (harness)',
		name: 'noOp',
		group: ['transform'],
		version: 1,
		description: 'Test stand-in: passes items through',
		defaults: { name: 'No Operation' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Minimal `oAuth2Api` parent credential type. Property names, types and defaults match
 * what n8n-core's `requestOAuth2` / `@n8n/client-oauth2` read; display options are kept
 * to the ones that change which fields exist at runtime (`getNodeParameters` drops
 * fields that are not displayed). `ignoreSSLIssues` and `tokenExpiredStatusCode` are
 * `doNotInherit`, as in n8n: a child credential does not get them, so a node's per-call
 * `oauth2.tokenExpiredStatusCode` option stays effective.
 */
const onlyStaticClient = { useDynamicClientRegistration: [false] };
const OAUTH2_PARENT_PROPERTIES: INodeProperties[] = [
	{ displayName: 'Use Dynamic Client Registration', name: 'useDynamicClientRegistration', type: 'hidden', default: false },
	{
		displayName: 'Grant Type',
		name: 'grantType',
		type: 'options',
		options: [
			{ name: 'Authorization Code', value: 'authorizationCode' },
			{ name: 'Client Credentials', value: 'clientCredentials' },
			{ name: 'PKCE', value: 'pkce' },
		],
		default: 'authorizationCode',
		displayOptions: { show: onlyStaticClient },
	},
	{
		displayName: 'Server URL',
		name: 'serverUrl',
		type: 'string',
		default: '',
		displayOptions: { show: { useDynamicClientRegistration: [true] } },
	},
	{
		displayName: 'Authorization URL',
		name: 'authUrl',
		type: 'string',
		default: '',
		displayOptions: { show: { ...onlyStaticClient, grantType: ['authorizationCode', 'pkce'] } },
	},
	{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'string', default: '', displayOptions: { show: onlyStaticClient } },
	{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', displayOptions: { show: onlyStaticClient } },
	{
		displayName: 'Client Secret',
		name: 'clientSecret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: onlyStaticClient },
	},
	{ displayName: 'Scope', name: 'scope', type: 'string', default: '', displayOptions: { show: onlyStaticClient } },
	{
		displayName: 'Auth URI Query Parameters',
		name: 'authQueryParameters',
		type: 'string',
		default: '',
		displayOptions: { show: { ...onlyStaticClient, grantType: ['authorizationCode', 'pkce'] } },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'Body', value: 'body' },
			{ name: 'Header', value: 'header' },
		],
		default: 'header',
		displayOptions: { show: onlyStaticClient },
	},
	{
		displayName: 'Send Additional Body Properties',
		name: 'sendAdditionalBodyProperties',
		type: 'boolean',
		default: false,
		displayOptions: { show: { ...onlyStaticClient, grantType: ['clientCredentials'], authentication: ['body'] } },
	},
	{
		displayName: 'Additional Body Properties',
		name: 'additionalBodyProperties',
		type: 'json',
		default: '',
		displayOptions: {
			show: {
				...onlyStaticClient,
				grantType: ['clientCredentials'],
				authentication: ['body'],
				sendAdditionalBodyProperties: [true],
			},
		},
	},
	{ displayName: 'Ignore SSL Issues (Insecure)', name: 'ignoreSSLIssues', type: 'boolean', default: false, doNotInherit: true },
	{ displayName: 'Token Expired Status Code', name: 'tokenExpiredStatusCode', type: 'number', default: 401, doNotInherit: true },
];

class HarnessOAuth2Api implements ICredentialType {
	name = 'oAuth2Api';
	displayName = 'OAuth2 API (harness)';
	genericAuth = true;
	properties = OAUTH2_PARENT_PROPERTIES;
}

// ---------------------------------------------------------------------------------------
// Registries
// ---------------------------------------------------------------------------------------

/** `INodeTypes` over a plain map; versioned types resolve through n8n's own helper. */
export class HarnessNodeTypes implements INodeTypes {
	constructor(readonly types: Map<string, AnyNodeType> = new Map()) {}

	register(typeName: string, nodeType: AnyNodeType): void {
		this.types.set(typeName, nodeType);
	}

	getByName(nodeType: string): AnyNodeType {
		const found = this.types.get(nodeType);
		if (!found) {
			throw new Error(
				`Unknown node type "${nodeType}". Known: ${[...this.types.keys()].join(', ')}. ` +
					'Test-only node types go in loadPackageNodeTypes({ extraNodeTypes }).',
			);
		}
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, { className: name, sourcePath: '' }]));
	}
}

/** `ICredentialTypes` over a plain map, with `extends` walked like n8n's loader does. */
export class HarnessCredentialTypes implements ICredentialTypes {
	constructor(readonly types: Map<string, ICredentialType> = new Map()) {}

	register(credentialType: ICredentialType): void {
		this.types.set(credentialType.name, credentialType);
	}

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const found = this.types.get(credentialType);
		if (!found) {
			throw new Error(
				`Unknown credential type "${credentialType}". Known: ${[...this.types.keys()].join(', ')}.`,
			);
		}
		return found;
	}

	/** Full node type names allowed to use the credential (`supportedNodes` may hold short names). */
	getSupportedNodes(type: string): string[] {
		return (this.getByName(type).supportedNodes ?? []).map((name) =>
			name.includes('.') ? name : `${PACKAGE_NAME}.${name}`,
		);
	}

	/** All ancestors, nearest first (`['oAuth2Api']` for a child of `oAuth2Api`). */
	getParentTypes(typeName: string): string[] {
		const parents = this.types.get(typeName)?.extends ?? [];
		return [...parents, ...parents.flatMap((parent) => this.getParentTypes(parent))];
	}
}

export interface PackageTypes {
	nodeTypes: HarnessNodeTypes;
	credentialTypes: HarnessCredentialTypes;
}

export interface LoadPackageOptions {
	/** Directory holding the `package.json` to load (default: the repository root). */
	packageRoot?: string;
	/** Set to false to load only built-ins + extras (harness self-tests; no build needed). */
	includePackage?: boolean;
	/** Test-only node types, keyed by full type name (`'test.harnessHttp'`). */
	extraNodeTypes?: Record<string, AnyNodeType>;
	extraCredentialTypes?: ICredentialType[];
}

interface N8nPackageSection {
	nodes?: string[];
	credentials?: string[];
}

/**
 * `require` a compiled file and instantiate the class named after it, as n8n's loader does
 * (`IfsCloud.node.js` → `IfsCloud`, `IfsCloudOAuth2Api.credentials.js` → `IfsCloudOAuth2Api`).
 */
function instantiateNamedExport<T>(file: string): T {
	const [className] = path.basename(file).split('.');
	const exported = (require(file) as Record<string, unknown>)[className];
	if (typeof exported !== 'function') {
		throw new Error(`${file} must export a class named "${className}" (n8n loads the class named after the file)`);
	}
	return new (exported as new () => T)();
}

function loadOwnPackage(packageRoot: string, types: PackageTypes): void {
	const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
		n8n?: N8nPackageSection;
	};
	const section = manifest.n8n ?? {};
	const files = [...(section.nodes ?? []), ...(section.credentials ?? [])];
	const missing = files.filter((file) => !fs.existsSync(path.join(packageRoot, file)));
	if (missing.length > 0) {
		throw new Error(
			`Compiled package files are missing (${missing.join(', ')}). ` +
				`Run \`npm run build\` in ${packageRoot} before the in-process workflow tests: ` +
				'the harness loads dist/ exactly as n8n does.',
		);
	}
	for (const file of section.credentials ?? []) {
		types.credentialTypes.register(instantiateNamedExport<ICredentialType>(path.join(packageRoot, file)));
	}
	for (const file of section.nodes ?? []) {
		const nodeType = instantiateNamedExport<AnyNodeType>(path.join(packageRoot, file));
		types.nodeTypes.register(`${PACKAGE_NAME}.${nodeType.description.name}`, nodeType);
	}
}

/**
 * Build the node-type and credential-type registries for a test: built-ins, then our
 * compiled package (unless `includePackage: false`), then the test's extras (which win
 * on a name clash, so a test can replace a type on purpose).
 */
export function loadPackageNodeTypes(options: LoadPackageOptions = {}): PackageTypes {
	const types: PackageTypes = {
		nodeTypes: new HarnessNodeTypes(),
		credentialTypes: new HarnessCredentialTypes(),
	};
	types.nodeTypes.register(MANUAL_TRIGGER_TYPE, new HarnessManualTrigger());
	types.nodeTypes.register(NO_OP_TYPE, new HarnessNoOp());
	types.credentialTypes.register(new HarnessOAuth2Api());

	if (options.includePackage !== false) loadOwnPackage(options.packageRoot ?? REPO_ROOT, types);

	for (const [typeName, nodeType] of Object.entries(options.extraNodeTypes ?? {})) {
		types.nodeTypes.register(typeName, nodeType);
	}
	for (const credentialType of options.extraCredentialTypes ?? []) {
		types.credentialTypes.register(credentialType);
	}
	return types;
}

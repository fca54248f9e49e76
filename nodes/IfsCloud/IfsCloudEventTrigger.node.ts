import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { secretsEqual } from '../common/signatures';

export const EVENT_CREDENTIAL_TYPE = 'ifsCloudEventApi';
const MIN_SECRET_LENGTH = 24;
/** Headers that cannot carry the secret (clients and proxies set or strip them). */
const RESERVED_HEADERS = new Set(['host', 'content-type', 'content-length', 'cookie', 'connection', 'transfer-encoding', 'accept']);
/** Never copied into the output, whatever the options say. */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Reads the request body: JSON object or array as given, JSON text parsed, anything else as text. */
function eventsOf(body: unknown, rawBody: Buffer | undefined): IDataObject[] {
	let value: unknown = body;
	if ((value === undefined || value === null || (typeof value === 'object' && !Array.isArray(value) && !Object.keys(value as object).length)) && rawBody?.length) {
		value = rawBody.toString('utf8');
	}
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return [{ body: value as string }];
		}
	}
	if (Array.isArray(value)) return value.map((entry) => (entry && typeof entry === 'object' ? (entry as IDataObject) : { value: entry as IDataObject[string] }));
	if (value && typeof value === 'object') return [value as IDataObject];
	return value === undefined || value === null ? [{}] : [{ value: value as IDataObject[string] }];
}

export class IfsCloudEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'IFS Cloud Event Trigger',
		name: 'ifsCloudEventTrigger',
		icon: { light: 'file:ifsCloud.svg', dark: 'file:ifsCloud.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"Event Action calls"}}',
		description: 'Starts a workflow when an IFS Cloud Event Action calls it (e.g. when a record changes)',
		defaults: { name: 'IFS Cloud Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ifsCloudEventApi', required: true, testedBy: 'ifsCloudEventSecret' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'ifs-event' }],
		properties: [
			{
				displayName:
					'In IFS Cloud, create an Event Action of type REST call for your event that POSTs to this node\'s webhook URL, with the header and secret of the credential. See the README for the steps.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Headers',
						name: 'includeHeaders',
						type: 'boolean',
						default: false,
						description: 'Whether to add the request headers to each item (the secret, authorization and cookies are always left out)',
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			async ifsCloudEventSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				const header = String(data.headerName ?? '').trim();
				const secret = String(data.secret ?? '');
				if (!/^[A-Za-z0-9-]+$/.test(header) || RESERVED_HEADERS.has(header.toLowerCase())) {
					return { status: 'Error', message: `"${header}" cannot carry the secret: use a custom header name such as X-IFS-Event-Secret` };
				}
				if (secret.length < MIN_SECRET_LENGTH) {
					return { status: 'Error', message: `The secret is too short: use at least ${MIN_SECRET_LENGTH} random characters` };
				}
				return { status: 'OK', message: 'Header and secret are usable' };
			},
		},
	};

	/**
	 * IFS Event Actions are configured in IFS by an administrator (there is no registration API to
	 * call), so the lifecycle records the URL IFS must call, in the node's static data and the log.
	 */
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return this.getWorkflowStaticData('node').eventUrl === this.getNodeWebhookUrl('default');
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				const staticData = this.getWorkflowStaticData('node');
				staticData.eventUrl = url;
				staticData.activatedAt = new Date().toISOString();
				this.logger.info(`IFS Cloud Event Trigger is listening; point the IFS Event Action (REST call) at ${url}`);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				delete staticData.eventUrl;
				delete staticData.activatedAt;
				this.logger.info('IFS Cloud Event Trigger stopped listening; IFS Event Actions calling it will get 404 until it is active again');
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials(EVENT_CREDENTIAL_TYPE);
		const headerName = String(credentials.headerName ?? '').trim().toLowerCase();
		const headers = this.getHeaderData();
		const given = headers[headerName];
		if (!secretsEqual(Array.isArray(given) ? given[0] : given, String(credentials.secret ?? ''))) {
			// Answer ourselves: n8n would otherwise reply 200 and the caller could not tell.
			this.getResponseObject().status(401).json({ message: 'Missing or wrong event secret' });
			return { noWebhookResponse: true };
		}
		const request = this.getRequestObject();
		const receivedAt = new Date().toISOString();
		const includeHeaders = this.getNodeParameter('options.includeHeaders', false) as boolean;
		const visibleHeaders = includeHeaders
			? Object.fromEntries(Object.entries(headers).filter(([name]) => name !== headerName && !PRIVATE_HEADERS.has(name)))
			: undefined;
		const items = eventsOf(request.body, (request as { rawBody?: Buffer }).rawBody).map((event) => ({
			...event,
			_event: { receivedAt, ...(visibleHeaders ? { headers: visibleHeaders as IDataObject } : {}) },
		}));
		return { workflowData: [this.helpers.returnJsonArray(items)] };
	}
}

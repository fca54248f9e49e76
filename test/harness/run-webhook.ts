/**
 * Runs a webhook trigger's `webhook()` in n8n-core's real `WebhookContext`, and its lifecycle
 * `webhookMethods` (checkExists / create / delete) in the real `HookContext` (handbook:
 * n8n-packaging.md §8.2).
 *
 * The HTTP side is ours: a fake Express-like request (method, headers, query, params, parsed
 * `body` and the raw bytes as `rawBody`, as n8n's body parser leaves them) and a response that
 * records what the node writes. After `webhook()` returns, the harness works out what the
 * client would receive the way n8n's webhook helper decides it (for `responseMode:
 * 'onReceived'`): the node's own answer if it returned `noWebhookResponse: true`, else
 * `webhookResponse`, else n8n's default messages. Static data is saved as n8n does after a
 * production webhook call (never for test webhooks, `mode: 'manual'`).
 *
 *   const result = await runWebhook({ workflow, nodeName: 'Order Webhook', types, credentials,
 *     request: { headers: { 'x-signature': sig }, body: { id: 1 } } });
 *   expect(result.response).toMatchObject({ status: 401, sentBy: 'node' });
 */
import { getAdditionalKeys, HookContext, WebhookContext } from 'n8n-core';
import {
	deepCopy,
	NodeHelpers,
	resolveWebhookDescriptionField,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WebhookType,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { STATUS_CODES } from 'node:http';

import type { CredentialStore } from './credentials-helper';
import type { LogEntry } from './n8n-environment';
import { persistStaticData, prepareNodeCall, type NodeCall, type NodeCallOptions } from './node-context';
import type { StaticDataStore } from './static-data';

// ---------------------------------------------------------------------------------------
// Fake HTTP request / response
// ---------------------------------------------------------------------------------------

export interface WebhookRequestInit {
	/** Default: the webhook's first HTTP method. A method the webhook does not listen on is refused, as n8n would (404). */
	method?: string;
	headers?: Record<string, string | string[]>;
	query?: Record<string, unknown>;
	params?: Record<string, string>;
	/** Parsed body. Default: JSON-parsed `rawBody` when the content type is JSON, else `{}`. */
	body?: unknown;
	/**
	 * The exact bytes received (what signatures are computed over). Default: `body` as sent —
	 * strings as-is, anything else `JSON.stringify`-ed (and `content-type: application/json`).
	 */
	rawBody?: Buffer | string;
}

/** What `this.getRequestObject()` returns: the parts of Express's request nodes use. */
export interface FakeRequest {
	method: string;
	url: string;
	path: string;
	headers: Record<string, string | string[]>;
	query: Record<string, unknown>;
	params: Record<string, string>;
	body: unknown;
	rawBody: Buffer;
	get(name: string): string | string[] | undefined;
	header(name: string): string | string[] | undefined;
}

/** `url` is the webhook URL n8n registers (its path is what the request arrived on). */
function buildRequest(init: WebhookRequestInit, method: string, url: string): FakeRequest {
	const headers: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
	let rawBody: Buffer;
	let body = init.body;
	if (init.rawBody !== undefined) {
		rawBody = Buffer.from(init.rawBody);
		if (body === undefined) {
			const isJson = /json/i.test(String(headers['content-type'] ?? ''));
			body = isJson && rawBody.length > 0 ? JSON.parse(rawBody.toString('utf8')) : {};
		}
	} else if (body !== undefined) {
		rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		if (typeof body !== 'string') headers['content-type'] ??= 'application/json';
	} else {
		rawBody = Buffer.alloc(0);
		body = {};
	}
	const lookup = (name: string) => headers[name.toLowerCase()];
	const query = init.query ?? {};
	const search = new URLSearchParams(query as Record<string, string>).toString();
	const { pathname } = new URL(url);
	return {
		method,
		url: `${pathname}${search ? `?${search}` : ''}`,
		path: pathname,
		headers,
		query,
		params: init.params ?? {},
		body,
		rawBody,
		get: lookup,
		header: lookup,
	};
}

/**
 * Records what a node writes to `this.getResponseObject()`. Writing after the response ended
 * throws like Node/Express do (ERR_HTTP_HEADERS_SENT), so double answers surface in tests.
 */
export class RecordingResponse {
	statusCode = 200;
	readonly headers: Record<string, string | string[]> = {};
	body: unknown = undefined;
	ended = false;

	get headersSent(): boolean {
		return this.ended;
	}

	get writableEnded(): boolean {
		return this.ended;
	}

	private assertOpen(what: string): void {
		if (this.ended) throw new Error(`Cannot ${what}: the response was already sent (ERR_HTTP_HEADERS_SENT)`);
	}

	status(code: number): this {
		if (!this.ended) this.statusCode = code; // Express: no effect once sent
		return this;
	}

	setHeader(name: string, value: string | number | string[]): this {
		this.assertOpen(`set header "${name}"`);
		this.headers[name.toLowerCase()] = Array.isArray(value) ? value : String(value);
		return this;
	}

	/** Express's `res.set(name, value)` / `res.set({ ... })`. */
	set(field: string | Record<string, string>, value?: string): this {
		if (typeof field === 'string') return this.setHeader(field, value ?? '');
		for (const [name, headerValue] of Object.entries(field)) this.setHeader(name, headerValue);
		return this;
	}

	header(field: string | Record<string, string>, value?: string): this {
		return this.set(field, value);
	}

	getHeader(name: string): string | string[] | undefined {
		return this.headers[name.toLowerCase()];
	}

	removeHeader(name: string): void {
		this.assertOpen(`remove header "${name}"`);
		delete this.headers[name.toLowerCase()];
	}

	type(contentType: string): this {
		return this.setHeader('content-type', contentType);
	}

	writeHead(statusCode: number, headers: Record<string, string> = {}): this {
		this.assertOpen('writeHead');
		this.statusCode = statusCode;
		return this.set(headers);
	}

	write(chunk: string | Buffer): boolean {
		this.assertOpen('write');
		this.body = `${typeof this.body === 'string' ? this.body : ''}${chunk.toString()}`;
		return true;
	}

	json(body: unknown): this {
		this.assertOpen('send JSON');
		if (this.headers['content-type'] === undefined) this.headers['content-type'] = 'application/json; charset=utf-8';
		this.body = body;
		this.ended = true;
		return this;
	}

	send(body?: unknown): this {
		this.assertOpen('send');
		this.body = Buffer.isBuffer(body) ? body.toString('utf8') : body;
		this.ended = true;
		return this;
	}

	sendStatus(code: number): this {
		return this.status(code).send(STATUS_CODES[code] ?? String(code));
	}

	end(chunk?: string | Buffer): this {
		this.assertOpen('end');
		if (chunk !== undefined) this.write(chunk);
		this.ended = true;
		return this;
	}
}

// ---------------------------------------------------------------------------------------
// Webhook description
// ---------------------------------------------------------------------------------------

function webhookDescription(call: NodeCall, name: WebhookType): IWebhookDescription {
	const description = call.nodeType.description.webhooks?.find((webhook) => webhook.name === name);
	if (!description) throw new Error(`Node "${call.node.name}" declares no webhook named "${name}" in description.webhooks`);
	return description;
}

/** A description field resolved as n8n does: natively when it can, else through the expression engine. */
function describedValue<T>(call: NodeCall, description: IWebhookDescription, field: string, mode: WorkflowExecuteMode, fallback: T): T {
	const native = resolveWebhookDescriptionField(call.node, description, field);
	if (native.resolved) return (native.value ?? fallback) as T;
	const raw = description[field];
	if (raw === undefined) return fallback;
	const additionalKeys = getAdditionalKeys(call.additionalData, mode, null);
	return (call.workflow.expression.getSimpleParameterValue(call.node, raw as string, mode, additionalKeys, undefined, fallback as string) ??
		fallback) as T;
}

function webhookData(call: NodeCall, description: IWebhookDescription, mode: WorkflowExecuteMode): IWebhookData {
	const methods = describedValue<string | string[]>(call, description, 'httpMethod', mode, 'GET');
	return {
		httpMethod: (Array.isArray(methods) ? methods[0] : methods) as IWebhookData['httpMethod'],
		node: call.node.name,
		path: String(describedValue(call, description, 'path', mode, '')),
		webhookDescription: description,
		workflowId: call.workflow.id,
		workflowExecuteAdditionalData: call.additionalData,
		webhookId: call.node.webhookId,
		isTest: mode === 'manual',
	};
}

// ---------------------------------------------------------------------------------------
// webhook()
// ---------------------------------------------------------------------------------------

export interface RunWebhookOptions extends NodeCallOptions {
	request?: WebhookRequestInit;
	/** Which of the node's `description.webhooks` received the call (default `'default'`). */
	webhookName?: WebhookType;
	/** `'webhook'` (default): the production URL. `'manual'`: the test URL (static data not saved). */
	mode?: 'webhook' | 'manual';
}

export interface WebhookAnswer {
	status: number | undefined;
	body: unknown;
	headers: Record<string, string | string[]>;
	/**
	 * `node`: the node wrote it (`noWebhookResponse: true`); `n8n`: n8n's answer for this
	 * result (onReceived); `none`: it depends on the execution (responseMode `lastNode` /
	 * `responseNode`) or `webhook()` threw — not modelled.
	 */
	sentBy: 'node' | 'n8n' | 'none';
}

export interface WebhookResult {
	/** Items n8n would start the workflow with; undefined = no execution. */
	workflowData: INodeExecutionData[][] | undefined;
	noWebhookResponse: boolean;
	webhookResponse?: unknown;
	/** What `webhook()` threw (n8n then runs an execution that fails with it). */
	error?: Error;
	/** What the HTTP client receives. */
	response: WebhookAnswer;
	/** The webhook's response mode, resolved from its description (default `onReceived`). */
	responseMode: string;
	/** Protocol slips n8n would trip over (double answers, a response never ended). */
	warnings: string[];
	request: FakeRequest;
	staticData: IDataObject;
	persisted: boolean;
	logs: LogEntry[];
	credentialStore: CredentialStore;
	staticDataStore: StaticDataStore;
}

/** n8n's answer when the node did not write one itself (webhook helper, onReceived). */
function n8nAnswer(result: IWebhookResponseData, responseMode: string, responseData: string | undefined, status: number): WebhookAnswer {
	const answer = (body: unknown): WebhookAnswer => ({ status, body, headers: {}, sentBy: 'n8n' });
	if (result.workflowData === undefined) return answer(result.webhookResponse ?? { message: 'Webhook call received' });
	if (responseMode !== 'onReceived') return { status: undefined, body: undefined, headers: {}, sentBy: 'none' };
	if (responseData === 'noData') return answer(undefined);
	return answer(result.webhookResponse ?? { message: 'Workflow was started' });
}

export async function runWebhook(options: RunWebhookOptions): Promise<WebhookResult> {
	const mode = options.mode ?? 'webhook';
	const call = prepareNodeCall(options, mode, mode === 'webhook');
	const { workflow, node, nodeType, additionalData } = call;
	if (typeof nodeType.webhook !== 'function') throw new Error(`Node "${node.name}" (${node.type}) has no webhook() method`);

	const webhook = nodeType.webhook;
	const response = new RecordingResponse();
	let result: IWebhookResponseData = {};
	let error: Error | undefined;
	// n8n resolves the description and runs webhook() holding an expression isolate; so do we.
	const { request, responseMode, responseData, responseCode } = await call.bounded(`webhook() of "${node.name}"`, async () =>
		await workflow.expression.withIsolate(async () => {
			const description = webhookDescription(call, options.webhookName ?? 'default');
			const data = webhookData(call, description, mode);
			const listensOn = [describedValue<string | string[]>(call, description, 'httpMethod', mode, 'GET')]
				.flat()
				.map((method) => method.toUpperCase());
			const method = (options.request?.method ?? listensOn[0]).toUpperCase();
			if (!listensOn.includes(method)) {
				throw new Error(`Webhook "${description.name}" of "${node.name}" listens on ${listensOn.join('/')}, not ${method}: n8n would answer 404`);
			}
			const url = NodeHelpers.getNodeWebhookUrl(
				mode === 'manual' ? additionalData.webhookTestBaseUrl : additionalData.webhookBaseUrl,
				workflow.id,
				node,
				data.path,
				describedValue<boolean>(call, description, 'isFullPath', mode, false),
			);
			const request = buildRequest(options.request ?? {}, method, url);
			const http = additionalData as IWorkflowExecuteAdditionalData & { httpRequest: unknown; httpResponse: unknown };
			http.httpRequest = request;
			http.httpResponse = response;
			try {
				result = await webhook.call(new WebhookContext(workflow, node, additionalData, mode, data, [], null));
			} catch (thrown) {
				error = thrown as Error;
			}
			return {
				request,
				responseMode: String(describedValue(call, description, 'responseMode', mode, 'onReceived')),
				responseData: describedValue<string | undefined>(call, description, 'responseData', mode, undefined),
				responseCode: Number(describedValue(call, description, 'responseCode', mode, 200)),
			};
		}),
	);

	const warnings: string[] = [];
	let answer: WebhookAnswer;
	if (error) {
		answer = { status: undefined, body: undefined, headers: {}, sentBy: 'none' };
	} else if (result.noWebhookResponse === true) {
		if (!response.ended) warnings.push('webhook() returned noWebhookResponse: true but never ended the response: the client would wait until it times out');
		answer = { status: response.statusCode, body: response.body, headers: { ...response.headers }, sentBy: 'node' };
	} else {
		if (response.ended) warnings.push('webhook() answered the request itself but did not return noWebhookResponse: true: n8n would answer again (ERR_HTTP_HEADERS_SENT)');
		answer = n8nAnswer(result, responseMode, responseData, responseCode);
	}

	const persisted = error === undefined && persistStaticData(call, mode);
	return {
		workflowData: result.workflowData,
		noWebhookResponse: result.noWebhookResponse === true,
		webhookResponse: result.webhookResponse,
		error,
		response: answer,
		responseMode,
		warnings,
		request,
		staticData: deepCopy((workflow.staticData[`node:${node.name}`] as IDataObject | undefined) ?? {}),
		persisted,
		logs: call.logs,
		credentialStore: call.credentialStore,
		staticDataStore: call.staticData,
	};
}

// ---------------------------------------------------------------------------------------
// Lifecycle: webhookMethods.<name>.checkExists / create / delete
// ---------------------------------------------------------------------------------------

export type WebhookMethod = 'checkExists' | 'create' | 'delete';

export interface WebhookMethodOptions extends NodeCallOptions {
	webhookName?: WebhookType;
	/** `'trigger'` (default): activation of a production workflow. `'manual'`: a test webhook (static data not saved). */
	mode?: 'trigger' | 'manual';
	activation?: WorkflowActivateMode;
}

export interface WebhookMethodResult {
	/** What the method returned (`checkExists` / `create` / `delete` return booleans). */
	result: boolean | undefined;
	staticData: IDataObject;
	persisted: boolean;
	/** The URL the node got from `this.getNodeWebhookUrl(name)`. */
	webhookUrl: string | undefined;
	logs: LogEntry[];
	credentialStore: CredentialStore;
	staticDataStore: StaticDataStore;
}

/** Run the given lifecycle methods in order in one HookContext; stops after `checkExists` returns true. */
async function runLifecycle(options: WebhookMethodOptions, methods: WebhookMethod[]) {
	const mode = options.mode ?? 'trigger';
	const call = prepareNodeCall(options, mode, mode === 'trigger');
	const { workflow, node, nodeType, additionalData } = call;
	const name = options.webhookName ?? 'default';
	const hooks = nodeType.webhookMethods?.[name];
	const results: Partial<Record<WebhookMethod, boolean | undefined>> = {};
	// Errors propagate: n8n's activation fails with them (and the workflow stays inactive).
	const webhookUrl = await call.bounded(`webhookMethods.${name}.${methods.join('/')}() of "${node.name}"`, async () =>
		await workflow.expression.withIsolate(async () => {
			const data = webhookData(call, webhookDescription(call, name), mode);
			const context = new HookContext(workflow, node, additionalData, mode, options.activation ?? 'activate', data);
			for (const method of methods) {
				const fn = hooks?.[method];
				if (!fn) continue; // n8n skips methods a node does not define
				results[method] = await fn.call(context);
				if (method === 'checkExists' && results.checkExists === true) break;
			}
			return context.getNodeWebhookUrl(name);
		}),
	);
	const persisted = persistStaticData(call, mode);
	const shared = {
		staticData: deepCopy((workflow.staticData[`node:${node.name}`] as IDataObject | undefined) ?? {}),
		persisted,
		webhookUrl,
		logs: call.logs,
		credentialStore: call.credentialStore,
		staticDataStore: call.staticData,
	};
	return { results, shared };
}

/** Call one lifecycle method (`checkExists`, `create` or `delete`). Rejects with what it throws. */
export async function runWebhookMethod(options: WebhookMethodOptions & { method: WebhookMethod }): Promise<WebhookMethodResult> {
	const { results, shared } = await runLifecycle(options, [options.method]);
	return { result: results[options.method], ...shared };
}

export interface ActivateWebhookResult extends Omit<WebhookMethodResult, 'result'> {
	/** What `checkExists` returned (a node without it counts as "not there"). */
	existed: boolean;
	/** What `create` returned; undefined when it was not called (the webhook existed). */
	created: boolean | undefined;
}

/**
 * What n8n does on activation: `checkExists`, then `create` only if that returned false;
 * static data saved afterwards. Rejects with whatever a method throws.
 */
export async function activateWebhook(options: WebhookMethodOptions): Promise<ActivateWebhookResult> {
	const { results, shared } = await runLifecycle(options, ['checkExists', 'create']);
	return { existed: results.checkExists === true, created: results.create, ...shared };
}

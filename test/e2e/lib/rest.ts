/**
 * n8n's internal REST API (/rest/…) as the editor uses it: a session cookie (`n8n-auth`) plus the
 * `browser-id` header the cookie is bound to. Every request has a deadline.
 */
import { randomUUID } from 'node:crypto';

import { sleep, waitFor } from './processes';

export interface RestResponse<T = unknown> {
	status: number;
	body: T;
	text: string;
	headers: Headers;
}

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

export const DEFAULT_OWNER: Owner = {
	email: 'owner@ml-connector.test',
	firstName: 'Demo',
	lastName: 'Owner',
	// n8n wants 8–64 characters with a number and an uppercase letter.
	password: 'Mlc-demo-2026',
};

export class N8nRest {
	readonly baseUrl: string;
	readonly browserId = randomUUID();
	private cookie?: string;
	private apiKey?: string;

	constructor(baseUrl: string) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
	}

	get authenticated(): boolean {
		return !!this.cookie;
	}

	async request<T = unknown>(method: string, route: string, body?: unknown, timeoutMs = 30_000): Promise<RestResponse<T>> {
		const headers: Record<string, string> = { accept: 'application/json', 'browser-id': this.browserId };
		if (body !== undefined) headers['content-type'] = 'application/json';
		if (this.cookie) headers.cookie = this.cookie;
		const response = await fetch(`${this.baseUrl}${route}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const setCookie = response.headers.getSetCookie?.() ?? [];
		for (const entry of setCookie) {
			const match = /^n8n-auth=([^;]*)/.exec(entry);
			if (match) this.cookie = match[1] ? `n8n-auth=${match[1]}` : undefined;
		}
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON: keep the text
		}
		return { status: response.status, body: parsed as T, text, headers: response.headers };
	}

	/** Like request, but throws unless the status is 2xx; returns `body.data` when present. */
	async call<T = unknown>(method: string, route: string, body?: unknown, timeoutMs = 30_000): Promise<T> {
		const response = await this.request<{ data?: T }>(method, route, body, timeoutMs);
		if (response.status < 200 || response.status > 299) {
			throw new Error(`${method} ${route}: HTTP ${response.status} ${response.text.slice(0, 500)}`);
		}
		const payload = response.body;
		return (payload && typeof payload === 'object' && 'data' in payload ? payload.data : payload) as T;
	}

	/** Creates the instance owner (first start only) and keeps the session cookie. */
	async setupOwner(owner: Owner = DEFAULT_OWNER): Promise<void> {
		await this.call('POST', '/rest/owner/setup', owner);
		if (!this.cookie) throw new Error('POST /rest/owner/setup set no n8n-auth cookie');
	}

	/** A session as the instance owner of a freshly started n8n: waits out its start-up 503s, then creates the owner. */
	static async asNewOwner(baseUrl: string, owner: Owner = DEFAULT_OWNER): Promise<N8nRest> {
		const rest = new N8nRest(baseUrl);
		await rest.settle('/rest/settings');
		await rest.setupOwner(owner);
		return rest;
	}

	async login(email: string, password: string): Promise<void> {
		await this.call('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (!this.cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
	}

	/** Starts a manual run like the editor's "Execute workflow" button; returns the execution id. */
	async runWorkflow(workflowId: string, triggerNodeName: string): Promise<string> {
		const workflow = await this.call<Record<string, unknown>>('GET', `/rest/workflows/${workflowId}`);
		const started = await this.call<{ executionId?: string }>('POST', `/rest/workflows/${workflowId}/run`, {
			workflowData: workflow,
			triggerToStartFrom: { name: triggerNodeName },
		});
		if (!started?.executionId) throw new Error(`POST /rest/workflows/${workflowId}/run returned no executionId: ${JSON.stringify(started)}`);
		return started.executionId;
	}

	/** Polls an execution until it is no longer new/running/waiting; returns it with its run data. */
	async waitForExecution(executionId: string, timeoutMs = 120_000): Promise<ExecutionDetails> {
		return await waitFor(
			`execution ${executionId} to finish`,
			async () => {
				const execution = await this.call<ExecutionDetails>('GET', `/rest/executions/${executionId}`);
				if (!execution || ['new', 'running', 'waiting', 'unknown'].includes(String(execution.status))) return undefined;
				return execution;
			},
			{ timeoutMs, intervalMs: 300 },
		);
	}

	/**
	 * Activates a workflow through the public API (the REST session cannot): creates an API key
	 * with the workflow scopes once, then POST /api/v1/workflows/{id}/activate.
	 */
	async activate(workflowId: string): Promise<void> {
		await this.publicApi(workflowId, 'activate');
	}

	/** Deactivates a workflow through the public API (stops its triggers and polls). */
	async deactivate(workflowId: string): Promise<void> {
		await this.publicApi(workflowId, 'deactivate');
	}

	private async publicApi(workflowId: string, action: 'activate' | 'deactivate'): Promise<void> {
		if (!this.apiKey) {
			const scopes = await this.call<string[]>('GET', '/rest/api-keys/scopes');
			const created = await this.call<{ rawApiKey?: string }>('POST', '/rest/api-keys', { label: `e2e-${randomUUID().slice(0, 8)}`, scopes, expiresAt: null });
			if (!created?.rawApiKey) throw new Error('POST /rest/api-keys returned no key');
			this.apiKey = created.rawApiKey;
		}
		const response = await fetch(`${this.baseUrl}/api/v1/workflows/${workflowId}/${action}`, {
			method: 'POST',
			headers: { accept: 'application/json', 'x-n8n-api-key': this.apiKey },
			signal: AbortSignal.timeout(30_000),
		});
		if (!response.ok) throw new Error(`${action} ${workflowId}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`);
	}

	/** Executions of a workflow, newest first (REST session). */
	async executions(workflowId: string): Promise<Array<{ id: string; status: string; mode?: string }>> {
		const page = await this.call<{ results?: Array<{ id: string; status: string; mode?: string }> }>('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`);
		return page?.results ?? [];
	}

	/** Retries a request while n8n answers 404/503 right after start (routes still registering). */
	async settle(route: string, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const response = await this.request('GET', route).catch(() => undefined);
			if (response && response.status !== 503) return;
			await sleep(250);
		}
	}
}

export interface ExecutionDetails {
	id: string;
	status: string;
	finished?: boolean;
	mode?: string;
	/** n8n's "flatted" serialization of the run data (see unflattenRunData). */
	data: string;
}

/**
 * The internal /rest/executions/{id} answer carries run data serialized with `flatted` (an array
 * of values where strings that are decimal indices point into the array). Decode it without a
 * dependency: only objects and arrays are references; other strings are kept as they are.
 */
export function unflatten(serialized: string): unknown {
	const table = JSON.parse(serialized) as unknown[];
	const seen = new Map<number, unknown>();
	const resolve = (index: number): unknown => {
		if (seen.has(index)) return seen.get(index);
		const raw = table[index];
		if (raw === null || typeof raw !== 'object') {
			seen.set(index, raw);
			return raw;
		}
		const out: Record<string, unknown> | unknown[] = Array.isArray(raw) ? [] : {};
		seen.set(index, out);
		for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
			(out as Record<string, unknown>)[key] = typeof value === 'string' && /^\d+$/.test(value) ? resolve(Number(value)) : value;
		}
		return out;
	};
	return resolve(0);
}

/** The json of a node's output items in an execution fetched from /rest/executions/{id}. */
export function executionItems(execution: ExecutionDetails, nodeName: string, output = 0, runIndex = 0): Array<Record<string, unknown>> {
	const data = unflatten(execution.data) as {
		resultData: { runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>> };
	};
	const runs = data.resultData.runData[nodeName];
	if (!runs) throw new Error(`Node "${nodeName}" did not run in execution ${execution.id}`);
	return (runs[runIndex]?.data?.main?.[output] ?? []).map((item) => item.json);
}

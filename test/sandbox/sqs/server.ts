/**
 * A local Amazon SQS (AWS JSON 1.0 protocol) on 127.0.0.1: queues, long polling, visibility
 * timeouts on a controllable clock, receipt-handle rules, SigV4 verification of every request,
 * fault injection and request statistics. README.md describes the behaviour.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { Socket } from 'node:net';

import { SandboxClock } from '../spapi/clock';
import { addressedHost } from '../spapi/http-server';
import { type SandboxKey, verifySigV4 } from './auth';
import { SQS_ERRORS, type SqsErrorSpec, injectedError } from './errors';
import { SqsFaults } from './faults';
import { type MessageView, type QueueAttributes, SandboxQueue, type StoredMessage, md5Hex } from './queue';

export interface SqsQueueOptions extends Partial<QueueAttributes> {
	name: string;
	/** Default: the sandbox's region. */
	region?: string;
}

export interface SqsSandboxOptions {
	/** Default 'us-east-1'. */
	region?: string;
	/** Default '123456789012'. */
	accountId?: string;
	/** Default one queue, 'sp-api-notifications'. */
	queues?: SqsQueueOptions[];
	/** Default one generated long-term key. */
	keys?: SandboxKey[];
	/** Allowed clock skew of X-Amz-Date against real time (default 15 minutes, as AWS). */
	maxSkewMinutes?: number;
	/** AWS's clock is this far ahead of real time (negative: behind): emulates a wrong clock on the n8n host. */
	awsClockOffsetMs?: number;
	/** Real milliseconds a long poll waits per WaitTimeSeconds second = 1000 × waitScale (default 1). */
	waitScale?: number;
	/** More regions whose hosts are routed (their queues do not exist: for wrong-region tests). */
	extraRegions?: string[];
	port?: number;
	/** Request log entries kept (default 20 000). */
	requestLogLimit?: number;
}

export interface SqsLogEntry {
	at: number;
	action?: string;
	host: string;
	status: number;
	/** The error's query code, when the answer was an error. */
	code?: string;
	injected: boolean;
	/** The socket was reset (faults.resetNext). */
	reset: boolean;
	accessKeyId?: string;
	queue?: string;
	/** ReceiveMessage: messages returned. */
	returned?: number;
	/** DeleteMessage(Batch): messages actually deleted. */
	deleted?: number;
	bodyBytes: number;
	ms: number;
}

export interface AuthFailure {
	at: number;
	host: string;
	code: string;
	reason: string;
	accessKeyId?: string;
}

export class SqsStats {
	readonly log: SqsLogEntry[] = [];
	readonly authFailures: AuthFailure[] = [];

	constructor(private readonly limit: number) {}

	record(entry: SqsLogEntry): void {
		this.log.push(entry);
		if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
	}

	requests(filter: { action?: string; status?: number; host?: string } = {}): SqsLogEntry[] {
		return this.log.filter((entry) => (filter.action === undefined || entry.action === filter.action) && (filter.status === undefined || entry.status === filter.status) && (filter.host === undefined || entry.host === filter.host));
	}

	count(action?: string): number {
		return this.requests({ action }).length;
	}

	reset(): void {
		this.log.length = 0;
		this.authFailures.length = 0;
	}
}

export interface SqsClockControls {
	now(): number;
	set(at: number | Date | string): void;
	/** Moves sandbox time: hidden messages whose visibility timeout passes become receivable at once. */
	advance(ms: number): void;
	real(): void;
	readonly frozen: boolean;
}

const ACTIONS = [
	'ReceiveMessage',
	'DeleteMessage',
	'DeleteMessageBatch',
	'ChangeMessageVisibility',
	'ChangeMessageVisibilityBatch',
	'SendMessage',
	'SendMessageBatch',
	'GetQueueAttributes',
	'GetQueueUrl',
	'PurgeQueue',
] as const;
type Action = (typeof ACTIONS)[number];

const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp', 'DeadLetterQueueSourceArn'];
const QUEUE_ATTRIBUTES = [
	'QueueArn',
	'ApproximateNumberOfMessages',
	'ApproximateNumberOfMessagesNotVisible',
	'ApproximateNumberOfMessagesDelayed',
	'VisibilityTimeout',
	'MessageRetentionPeriod',
	'DelaySeconds',
	'ReceiveMessageWaitTimeSeconds',
	'MaximumMessageSize',
	'CreatedTimestamp',
	'LastModifiedTimestamp',
	'RedrivePolicy',
	'SqsManagedSseEnabled',
];
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const HOST_REGION = /^(?:sqs\.([a-z0-9-]+)\.amazonaws\.com|([a-z0-9-]+)\.queue\.amazonaws\.com)$/;

class SqsError extends Error {
	constructor(readonly spec: SqsErrorSpec) {
		super(spec.message);
	}
}

type Json = Record<string, unknown>;

function integer(body: Json, name: string, min: number, max: number, fallback: number): number {
	const value = body[name];
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw new SqsError(SQS_ERRORS.invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`));
	}
	return value;
}

function stringList(body: Json, name: string): string[] {
	const value = body[name];
	if (value === undefined) return [];
	if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) throw new SqsError(SQS_ERRORS.serialization(`${name} must be a list of strings`));
	return value as string[];
}

function requiredString(body: Json, name: string): string {
	const value = body[name];
	if (typeof value !== 'string' || value === '') throw new SqsError(SQS_ERRORS.missingParameter(name));
	return value;
}

export class SqsSandbox {
	readonly region: string;
	readonly accountId: string;
	readonly faults = new SqsFaults();
	readonly stats: SqsStats;
	readonly clock: SqsClockControls;
	readonly keys = new Map<string, SandboxKey>();
	url = '';
	port = 0;
	private readonly queues = new Map<string, SandboxQueue>();
	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	private readonly baseClock = new SandboxClock();
	private readonly extraRegions: string[];
	private readonly maxSkewMs: number;
	private readonly waitScale: number;
	/** See SqsSandboxOptions.awsClockOffsetMs. */
	awsClockOffsetMs: number;
	private closed = false;

	constructor(options: SqsSandboxOptions = {}) {
		this.region = options.region ?? 'us-east-1';
		this.accountId = options.accountId ?? '123456789012';
		this.maxSkewMs = (options.maxSkewMinutes ?? 15) * 60_000;
		this.waitScale = options.waitScale ?? 1;
		this.awsClockOffsetMs = options.awsClockOffsetMs ?? 0;
		this.extraRegions = options.extraRegions ?? [];
		this.stats = new SqsStats(options.requestLogLimit ?? 20_000);
		const base = this.baseClock;
		const wakeAll = () => {
			for (const queue of this.queues.values()) queue.wake();
		};
		this.clock = {
			now: () => base.now(),
			set: (at) => {
				base.set(at);
				wakeAll();
			},
			advance: (ms) => {
				base.advance(ms);
				wakeAll();
			},
			real: () => {
				base.real();
				wakeAll();
			},
			get frozen() {
				return base.frozen;
			},
		};
		for (const key of options.keys ?? [{ accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64'), userName: 'n8n-sqs' }]) this.addKey(key);
		for (const queue of options.queues ?? [{ name: 'sp-api-notifications' }]) this.createQueue(queue.name, queue);
		this.server = createServer((req, res) => {
			void this.onRequest(req, res);
		});
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	listen(port = 0): Promise<string> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.server.off('error', reject);
				const address = this.server.address();
				if (!address || typeof address === 'string') {
					reject(new Error('sqs sandbox: unexpected server address'));
					return;
				}
				this.port = address.port;
				this.url = `http://127.0.0.1:${address.port}`;
				resolve(this.url);
			});
		});
	}

	/** Stops at once: pending long polls and latency end, every socket is destroyed. */
	close(): Promise<void> {
		if (this.closed) return Promise.resolve();
		this.closed = true;
		for (const pending of this.timers) {
			clearTimeout(pending.timer);
			pending.resolve();
		}
		this.timers.clear();
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
	}

	/** Every host name this sandbox answers for (route them with routeSqsToSandbox). */
	get hosts(): string[] {
		const regions = new Set([this.region, ...this.extraRegions, ...[...this.queues.values()].map((queue) => queue.region)]);
		return [...regions].flatMap((region) => [`sqs.${region}.amazonaws.com`, `${region}.queue.amazonaws.com`]);
	}

	addKey(key: SandboxKey): SandboxKey {
		const stored = { ...key };
		this.keys.set(key.accessKeyId, stored);
		return stored;
	}

	/** The first key, or the one with this access key id. */
	key(accessKeyId?: string): SandboxKey {
		const key = accessKeyId ? this.keys.get(accessKeyId) : this.keys.values().next().value;
		if (!key) throw new Error(`sqs sandbox: no key ${accessKeyId ?? ''}`);
		return key;
	}

	createQueue(name: string, options: Partial<QueueAttributes> & { region?: string } = {}): SandboxQueue {
		const region = options.region ?? this.region;
		const queue = new SandboxQueue(
			name,
			region,
			this.accountId,
			{
				visibilityTimeout: options.visibilityTimeout ?? 30,
				messageRetentionPeriod: options.messageRetentionPeriod ?? 345_600,
				delaySeconds: options.delaySeconds ?? 0,
				receiveMessageWaitTimeSeconds: options.receiveMessageWaitTimeSeconds ?? 0,
				maximumMessageSize: options.maximumMessageSize ?? 1_048_576,
				redrive: options.redrive,
			},
			() => this.clock.now(),
		);
		this.queues.set(`${region}/${name}`, queue);
		return queue;
	}

	queueUrl(name = 'sp-api-notifications', region = this.region): string {
		return this.queue(name, region).url;
	}

	/** A queue by name (in `region`) or by URL. */
	queue(nameOrUrl = 'sp-api-notifications', region = this.region): SandboxQueue {
		const found = nameOrUrl.startsWith('https://') ? this.queueByUrl(nameOrUrl) : this.queues.get(`${region}/${nameOrUrl}`);
		if (!found) throw new Error(`sqs sandbox: no queue ${nameOrUrl}`);
		return found;
	}

	/** The node credential data for a key and queue (defaults: the first key, the first queue). */
	credentials(options: { queue?: string; accessKeyId?: string } = {}): { accessKeyId: string; secretAccessKey: string; sessionToken?: string; region: string; queueUrl: string } {
		const key = this.key(options.accessKeyId);
		const queue = options.queue ? this.queue(options.queue) : (this.queues.values().next().value as SandboxQueue);
		return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}), region: queue.region, queueUrl: queue.url };
	}

	/** Puts a message on a queue without HTTP (what Amazon's delivery does). Returns its MessageId. */
	send(nameOrUrl: string, body: string, options: { delaySeconds?: number } = {}): string {
		return this.queue(nameOrUrl).send(body, options).messageId;
	}

	messages(nameOrUrl = 'sp-api-notifications'): MessageView[] {
		const queue = this.queue(nameOrUrl);
		return [...queue.messages.values()].map((message) => queue.view(message));
	}

	counts(nameOrUrl = 'sp-api-notifications'): { visible: number; inFlight: number; delayed: number; total: number } {
		return this.queue(nameOrUrl).counts();
	}

	/** Every message id deleted through the API, in order. */
	deletedIds(nameOrUrl = 'sp-api-notifications'): string[] {
		return [...this.queue(nameOrUrl).deletedLog];
	}

	private queueByUrl(url: string): SandboxQueue | undefined {
		if (!URL.canParse(url)) return undefined;
		const parsed = new URL(url);
		const match = HOST_REGION.exec(parsed.hostname.toLowerCase());
		const region = match?.[1] ?? match?.[2];
		const [account, name] = parsed.pathname.split('/').filter(Boolean);
		if (!region || account !== this.accountId || !name) return undefined;
		return this.queues.get(`${region}/${name}`);
	}

	private regionOf(host: string): string {
		const match = HOST_REGION.exec(host.replace(/:\d+$/, ''));
		return match?.[1] ?? match?.[2] ?? this.region;
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			if (this.closed) {
				resolve();
				return;
			}
			const pending = {
				timer: setTimeout(() => {
					this.timers.delete(pending);
					resolve();
				}, Math.max(0, ms)),
				resolve,
			};
			this.timers.add(pending);
		});
	}

	private readBody(req: IncomingMessage): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => resolve(Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}

	private answer(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
		if (res.headersSent || res.destroyed) return;
		const text = JSON.stringify(body);
		res.writeHead(status, {
			'Content-Type': 'application/x-amz-json-1.0',
			'Content-Length': Buffer.byteLength(text),
			'x-amzn-RequestId': randomUUID(),
			...headers,
		});
		res.end(text);
	}

	private answerError(res: ServerResponse, error: SqsErrorSpec): void {
		this.answer(res, error.status, { __type: error.type, message: error.message }, { 'x-amzn-query-error': `${error.queryCode};${error.fault}` });
	}

	private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = Date.now();
		const host = addressedHost(req.headers);
		const target = req.headers['x-amz-target'];
		const action = typeof target === 'string' && target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : undefined;
		const entry: SqsLogEntry = { at: this.clock.now(), action, host, status: 0, injected: false, reset: false, bodyBytes: 0, ms: 0 };
		res.on('close', () => {
			entry.status = res.headersSent ? res.statusCode : 0;
			entry.ms = Date.now() - started;
			this.stats.record(entry);
		});
		try {
			const body = await this.readBody(req);
			entry.bodyBytes = body.length;
			if (this.faults.takeReset(action)) {
				entry.reset = true;
				req.socket.resetAndDestroy();
				return;
			}
			const latency = this.faults.latencyFor(action);
			if (latency > 0) await this.sleep(latency);
			if (this.closed) return;
			const injected = this.faults.takeFailure(action);
			if (injected !== undefined) {
				entry.injected = true;
				const error = injectedError(injected);
				entry.code = error.queryCode;
				this.answerError(res, error);
				return;
			}
			const url = req.url ?? '/';
			const q = url.indexOf('?');
			const verdict = verifySigV4(
				{ method: req.method ?? 'GET', path: q < 0 ? url : url.slice(0, q), rawQuery: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body, region: this.regionOf(host), now: Date.now() + this.awsClockOffsetMs, maxSkewMs: this.maxSkewMs },
				this.keys,
			);
			entry.accessKeyId = verdict.ok ? verdict.key.accessKeyId : verdict.accessKeyId;
			if (!verdict.ok) {
				entry.code = verdict.error.queryCode;
				this.stats.authFailures.push({ at: Date.now(), host, code: verdict.error.queryCode, reason: verdict.reason, accessKeyId: verdict.accessKeyId });
				this.answerError(res, verdict.error);
				return;
			}
			if (req.method !== 'POST' || action === undefined || !(ACTIONS as readonly string[]).includes(action)) throw new SqsError(SQS_ERRORS.unknownOperation());
			let payload: unknown;
			try {
				payload = body.length ? JSON.parse(body.toString('utf8')) : {};
			} catch {
				throw new SqsError(SQS_ERRORS.serialization('The request body is not valid JSON'));
			}
			if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new SqsError(SQS_ERRORS.serialization('The request body must be a JSON object'));
			const json = payload as Json;
			const region = this.regionOf(host);
			let queue: SandboxQueue | undefined;
			if (action !== 'GetQueueUrl') {
				const queueUrl = requiredString(json, 'QueueUrl');
				queue = this.queueByUrl(queueUrl);
				// Queues are regional: a queue URL sent to another region's endpoint does not exist there.
				if (!queue || queue.region !== region) throw new SqsError(SQS_ERRORS.queueDoesNotExist());
				entry.queue = queue.name;
			}
			if (verdict.key.deny?.includes(action)) {
				const user = verdict.key.userName ?? 'sandbox-user';
				throw new SqsError(
					SQS_ERRORS.accessDenied(
						`User: arn:aws:iam::${this.accountId}:user/${user} is not authorized to perform: sqs:${action} on resource: ${queue?.arn ?? `arn:aws:sqs:${region}:${this.accountId}:*`} because no identity-based policy allows the sqs:${action} action`,
					),
				);
			}
			const result = await this.dispatch(action as Action, json, queue, region, entry, req);
			if (result === undefined) return; // the client went away during a long poll
			this.answer(res, 200, result);
		} catch (error) {
			if (error instanceof SqsError) {
				entry.code = error.spec.queryCode;
				this.answerError(res, error.spec);
				return;
			}
			entry.code = 'InternalError';
			this.answerError(res, SQS_ERRORS.internalError());
		}
	}

	private async dispatch(action: Action, body: Json, queue: SandboxQueue | undefined, region: string, entry: SqsLogEntry, req: IncomingMessage): Promise<Json | undefined> {
		const q = queue as SandboxQueue;
		switch (action) {
			case 'ReceiveMessage':
				return await this.receive(q, body, entry, req);
			case 'DeleteMessage': {
				const handle = requiredString(body, 'ReceiptHandle');
				const outcome = q.delete(handle);
				if (outcome === 'invalid') throw new SqsError(SQS_ERRORS.receiptHandleIsInvalid(handle));
				entry.deleted = outcome === 'deleted' ? 1 : 0;
				return {};
			}
			case 'DeleteMessageBatch': {
				const entries = this.batchEntries(body);
				const successful: Json[] = [];
				const failed: Json[] = [];
				let deleted = 0;
				for (const item of entries) {
					const id = item.Id as string;
					const handle = item.ReceiptHandle;
					const injected = this.faults.takeEntryFailure();
					if (injected) {
						failed.push({ Id: id, SenderFault: injected.senderFault, Code: injected.code, Message: injected.message });
						continue;
					}
					if (typeof handle !== 'string' || !handle) {
						failed.push({ Id: id, SenderFault: true, Code: 'MissingParameter', Message: 'The request must contain the parameter ReceiptHandle.' });
						continue;
					}
					const outcome = q.delete(handle);
					if (outcome === 'invalid') {
						failed.push({ Id: id, SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: SQS_ERRORS.receiptHandleIsInvalid(handle).message });
						continue;
					}
					if (outcome === 'deleted') deleted++;
					successful.push({ Id: id });
				}
				entry.deleted = deleted;
				return { Successful: successful, Failed: failed };
			}
			case 'ChangeMessageVisibility': {
				const handle = requiredString(body, 'ReceiptHandle');
				const seconds = integer(body, 'VisibilityTimeout', 0, 43_200, Number.NaN);
				if (Number.isNaN(seconds)) throw new SqsError(SQS_ERRORS.missingParameter('VisibilityTimeout'));
				const outcome = q.changeVisibility(handle, seconds);
				if (outcome === 'invalid') throw new SqsError(SQS_ERRORS.receiptHandleIsInvalid(handle));
				if (outcome === 'not-in-flight') throw new SqsError(SQS_ERRORS.messageNotInflight());
				return {};
			}
			case 'ChangeMessageVisibilityBatch': {
				const entries = this.batchEntries(body);
				const successful: Json[] = [];
				const failed: Json[] = [];
				for (const item of entries) {
					const seconds = typeof item.VisibilityTimeout === 'number' ? item.VisibilityTimeout : Number.NaN;
					const outcome = typeof item.ReceiptHandle === 'string' && Number.isInteger(seconds) && seconds >= 0 && seconds <= 43_200 ? q.changeVisibility(item.ReceiptHandle, seconds) : 'invalid';
					if (outcome === 'changed') successful.push({ Id: item.Id });
					else failed.push({ Id: item.Id, SenderFault: true, Code: outcome === 'invalid' ? 'ReceiptHandleIsInvalid' : 'AWS.SimpleQueueService.MessageNotInflight', Message: outcome });
				}
				return { Successful: successful, Failed: failed };
			}
			case 'SendMessage': {
				const message = this.sendOne(q, body);
				return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
			}
			case 'SendMessageBatch': {
				const entries = this.batchEntries(body);
				const successful: Json[] = [];
				const failed: Json[] = [];
				for (const item of entries) {
					try {
						const message = this.sendOne(q, item);
						successful.push({ Id: item.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody });
					} catch (error) {
						const spec = error instanceof SqsError ? error.spec : SQS_ERRORS.internalError();
						failed.push({ Id: item.Id, SenderFault: spec.fault === 'Sender', Code: spec.queryCode, Message: spec.message });
					}
				}
				return { Successful: successful, Failed: failed };
			}
			case 'GetQueueAttributes':
				return { Attributes: this.queueAttributes(q, stringList(body, 'AttributeNames')) };
			case 'GetQueueUrl': {
				const name = requiredString(body, 'QueueName');
				const found = this.queues.get(`${region}/${name}`);
				if (!found) throw new SqsError(SQS_ERRORS.queueDoesNotExist());
				return { QueueUrl: found.url };
			}
			case 'PurgeQueue': {
				if (this.clock.now() - q.lastPurgeAt < 60_000) throw new SqsError(SQS_ERRORS.purgeInProgress(q.arn));
				q.purge();
				return {};
			}
		}
	}

	private batchEntries(body: Json): Json[] {
		const entries = body.Entries;
		if (entries === undefined || (Array.isArray(entries) && entries.length === 0)) throw new SqsError(SQS_ERRORS.emptyBatch());
		if (!Array.isArray(entries) || entries.some((entry) => !entry || typeof entry !== 'object')) throw new SqsError(SQS_ERRORS.serialization('Entries must be a list of objects'));
		if (entries.length > 10) throw new SqsError(SQS_ERRORS.tooManyEntries(entries.length));
		const ids = (entries as Json[]).map((entry) => entry.Id);
		if (ids.some((id) => typeof id !== 'string' || !BATCH_ID.test(id))) throw new SqsError(SQS_ERRORS.invalidBatchEntryId());
		if (new Set(ids).size !== ids.length) throw new SqsError(SQS_ERRORS.idsNotDistinct());
		return entries as Json[];
	}

	private sendOne(queue: SandboxQueue, body: Json): StoredMessage {
		const text = requiredString(body, 'MessageBody');
		if (Buffer.byteLength(text) > queue.attributes.maximumMessageSize) {
			throw new SqsError(SQS_ERRORS.invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${queue.attributes.maximumMessageSize} bytes.`));
		}
		const delaySeconds = integer(body, 'DelaySeconds', 0, 900, queue.attributes.delaySeconds);
		return queue.send(text, { delaySeconds });
	}

	private moveToDlq(queue: SandboxQueue): ((message: StoredMessage) => void) | undefined {
		const redrive = queue.attributes.redrive;
		if (!redrive) return undefined;
		const dlq = this.queues.get(`${queue.region}/${redrive.deadLetterQueue}`);
		if (!dlq) return undefined;
		return (message) => {
			dlq.send(message.body, { delaySeconds: 0, senderId: message.senderId, deadLetterSourceArn: queue.arn, messageId: message.messageId });
		};
	}

	private async receive(queue: SandboxQueue, body: Json, entry: SqsLogEntry, req: IncomingMessage): Promise<Json | undefined> {
		const max = integer(body, 'MaxNumberOfMessages', 1, 10, 1);
		const waitSeconds = integer(body, 'WaitTimeSeconds', 0, 20, queue.attributes.receiveMessageWaitTimeSeconds);
		const visibility = integer(body, 'VisibilityTimeout', 0, 43_200, queue.attributes.visibilityTimeout);
		const names = [...stringList(body, 'AttributeNames'), ...stringList(body, 'MessageSystemAttributeNames')];
		const wanted = new Set(names.includes('All') ? SYSTEM_ATTRIBUTES : names);
		const mover = this.moveToDlq(queue);
		let messages = queue.receive(max, visibility, mover);
		// Long polling: wait (scaled real time) until a message is receivable or the wait is over.
		const deadline = Date.now() + waitSeconds * 1000 * this.waitScale;
		while (!messages.length && !this.closed && Date.now() < deadline) {
			let wake: () => void = () => {};
			const woken = new Promise<void>((resolve) => {
				wake = resolve;
			});
			const remove = queue.addWaiter({ wake });
			const next = this.clock.frozen ? undefined : queue.nextVisibleInMs();
			await Promise.race([woken, this.sleep(Math.min(deadline - Date.now(), next === undefined ? Infinity : next + 1))]);
			remove();
			// A client that gave up must not make messages invisible it will never see.
			if (req.socket.destroyed || this.closed) return undefined;
			messages = queue.receive(max, visibility, mover);
		}
		entry.returned = messages.length;
		if (!messages.length) return {};
		return {
			Messages: messages.map((message) => {
				const attributes: Record<string, string> = {};
				if (wanted.has('SenderId')) attributes.SenderId = message.senderId;
				if (wanted.has('SentTimestamp')) attributes.SentTimestamp = String(message.sentAt);
				if (wanted.has('ApproximateReceiveCount')) attributes.ApproximateReceiveCount = String(message.receiveCount);
				if (wanted.has('ApproximateFirstReceiveTimestamp') && message.firstReceivedAt !== undefined) attributes.ApproximateFirstReceiveTimestamp = String(message.firstReceivedAt);
				if (wanted.has('DeadLetterQueueSourceArn') && message.deadLetterSourceArn) attributes.DeadLetterQueueSourceArn = message.deadLetterSourceArn;
				return {
					MessageId: message.messageId,
					ReceiptHandle: message.currentHandle,
					MD5OfBody: this.faults.takeDamagedBody() ? md5Hex(`${message.body}\u0000damaged`) : md5Hex(message.body),
					Body: message.body,
					...(Object.keys(attributes).length ? { Attributes: attributes } : {}),
				};
			}),
		};
	}

	private queueAttributes(queue: SandboxQueue, names: string[]): Record<string, string> {
		for (const name of names) {
			if (name !== 'All' && !QUEUE_ATTRIBUTES.includes(name)) throw new SqsError(SQS_ERRORS.invalidAttributeName(name));
		}
		const wanted = new Set(names.includes('All') ? QUEUE_ATTRIBUTES : names);
		const counts = queue.counts();
		const all: Record<string, string | undefined> = {
			QueueArn: queue.arn,
			ApproximateNumberOfMessages: String(counts.visible),
			ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
			ApproximateNumberOfMessagesDelayed: String(counts.delayed),
			VisibilityTimeout: String(queue.attributes.visibilityTimeout),
			MessageRetentionPeriod: String(queue.attributes.messageRetentionPeriod),
			DelaySeconds: String(queue.attributes.delaySeconds),
			ReceiveMessageWaitTimeSeconds: String(queue.attributes.receiveMessageWaitTimeSeconds),
			MaximumMessageSize: String(queue.attributes.maximumMessageSize),
			CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
			LastModifiedTimestamp: String(Math.floor(queue.lastModifiedAt / 1000)),
			RedrivePolicy: queue.attributes.redrive
				? JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${queue.region}:${queue.accountId}:${queue.attributes.redrive.deadLetterQueue}`, maxReceiveCount: queue.attributes.redrive.maxReceiveCount })
				: undefined,
			SqsManagedSseEnabled: 'true',
		};
		const out: Record<string, string> = {};
		for (const name of wanted) {
			const value = all[name];
			if (value !== undefined) out[name] = value;
		}
		return out;
	}
}

export async function startSqsSandbox(options: SqsSandboxOptions = {}): Promise<SqsSandbox> {
	const sandbox = new SqsSandbox(options);
	await sandbox.listen(options.port ?? 0);
	return sandbox;
}

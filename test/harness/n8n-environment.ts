/**
 * Process-level services n8n-core pulls from its DI container while a workflow runs.
 *
 * * Logger: node contexts (`this.logger`) and n8n-core's ErrorReporter take
 *   `Container.get(Logger)` from @n8n/backend-common, while the engine itself logs through
 *   n8n-workflow's `LoggerProxy`. The real Logger is a winston logger that, when built,
 *   re-points LoggerProxy at itself. We register one capturing logger under both, so every
 *   line of a run lands in `RunResult.logs` (tests scan them for leaked secrets).
 * * LockService: n8n-core's OAuth2 refresh (`refreshOrFetchToken`) serialises refreshes
 *   with `Container.get(LockService)`. In n8n 2.41 the container can build the real one
 *   (it wraps the in-process `InProcessLockService`), which is what a single-process n8n
 *   uses, so we keep it. Only if a future version cannot build it (e.g. it starts needing
 *   a database-backed provider) do we register a small in-memory lock of our own.
 * * DataDeduplicationService: `this.helpers.checkProcessedAndRecord` & co. go through this
 *   n8n-core singleton, which the n8n CLI initialises with a database-backed implementation.
 *   We initialise it with `processedDataRouter` (processed-data.ts), which hands each call to
 *   the `ProcessedDataStore` of the run it comes from.
 *
 * The DI container must be the very instance n8n-core uses, so @n8n/di and
 * @n8n/backend-common are resolved from n8n-core's location (they are its dependencies,
 * not ours) and loaded through jest's `require`, which shares jest's module registry.
 */
import * as path from 'node:path';

import type * as BackendCommon from '@n8n/backend-common';
import type * as Di from '@n8n/di';
import { DataDeduplicationService } from 'n8n-core';
import { LoggerProxy, type LogMetadata } from 'n8n-workflow';

import { processedDataRouter } from './processed-data';

const coreDir = path.dirname(require.resolve('n8n-core'));
const fromCore = <T>(id: string): T => require(require.resolve(id, { paths: [coreDir] })) as T;

const { Container } = fromCore<typeof Di>('@n8n/di');
const { Logger, LockService } = fromCore<typeof BackendCommon>('@n8n/backend-common');

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface LogEntry {
	level: LogLevel;
	message: string;
	metadata?: LogMetadata;
}

/** Fans log lines out to the sinks of the runs currently in progress. */
class CapturingLogger {
	readonly sinks = new Set<LogEntry[]>();

	private write(level: LogLevel, message: string, metadata?: LogMetadata): void {
		for (const sink of this.sinks) sink.push({ level, message, metadata });
	}

	error(message: string, metadata?: LogMetadata) {
		this.write('error', message, metadata);
	}
	warn(message: string, metadata?: LogMetadata) {
		this.write('warn', message, metadata);
	}
	info(message: string, metadata?: LogMetadata) {
		this.write('info', message, metadata);
	}
	debug(message: string, metadata?: LogMetadata) {
		this.write('debug', message, metadata);
	}
	/** n8n services call `logger.scoped('x')`; scopes do not matter for capture. */
	scoped() {
		return this;
	}
}

/** Serialised one-lease-at-a-time lock, used only if the real LockService cannot be built. */
class FallbackLockService {
	private tail: Promise<unknown> = Promise.resolve();

	async withLease<T>(_ns: number, _key: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
		const run = this.tail.then(async () => await fn(new AbortController().signal));
		this.tail = run.catch(() => undefined);
		return await run;
	}
}

export interface N8nEnvironment {
	logger: CapturingLogger;
	/** Which lock n8n-core's OAuth2 refresh runs under: n8n's own, or our fallback. */
	lockProvider: 'n8n LockService' | 'harness fallback';
	/** Who serves the deduplication helpers: our in-memory stores, or something a test set up before us. */
	deduplication: 'harness ProcessedDataStore' | 'preinstalled';
}

let environment: N8nEnvironment | undefined;

/** Idempotent (per jest module registry, i.e. per test file): logger, LockService, deduplication. */
export function installN8nEnvironment(): N8nEnvironment {
	if (environment) return environment;
	const logger = new CapturingLogger();
	Container.set(Logger, logger as unknown as BackendCommon.Logger);
	LoggerProxy.init(logger);
	let lockProvider: N8nEnvironment['lockProvider'] = 'n8n LockService';
	try {
		Container.get(LockService);
	} catch {
		Container.set(LockService, new FallbackLockService() as unknown as BackendCommon.LockService);
		lockProvider = 'harness fallback';
	}
	let deduplication: N8nEnvironment['deduplication'] = 'preinstalled';
	try {
		DataDeduplicationService.getInstance();
	} catch {
		// `init` is async but sets the singleton before its first await; it only rejects when
		// already initialised, which getInstance() just ruled out.
		void DataDeduplicationService.init(processedDataRouter);
		deduplication = 'harness ProcessedDataStore';
	}
	environment = { logger, lockProvider, deduplication };
	return environment;
}

/** An n8n service from the DI container n8n-core uses (built on first use, like n8n does). */
export function n8nService<T>(token: Di.ServiceIdentifier<T>): T {
	installN8nEnvironment();
	return Container.get(token);
}

/** Start capturing log lines into a fresh array; call `stop` to detach it. */
export function captureLogs(): { logs: LogEntry[]; stop: () => void } {
	const { logger } = installN8nEnvironment();
	const logs: LogEntry[] = [];
	logger.sinks.add(logs);
	return { logs, stop: () => logger.sinks.delete(logs) };
}

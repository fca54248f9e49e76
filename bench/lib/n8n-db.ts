/**
 * Reads n8n's own SQLite database (read-only, from this process) to see when an execution has
 * finished and to fetch its run data — without asking n8n. Polling n8n's REST API costs its main
 * thread ~15–20 ms per request (authentication, queries), which is the thread being measured; and
 * n8n answers run data above EXECUTIONS_DATA_MAX_DISPLAY_SIZE (100 MiB) without the data.
 *
 * n8n writes the final status and the run data in one transaction, so once another connection
 * sees the final status, the data is stored too. Needs node:sqlite (Node ≥ 22.5; the benchmark
 * runs on the Node 24 provisioned for n8n). Table and column names are n8n 2.41's.
 */
import * as path from 'node:path';

import type { ExecutionRecord } from './execution';

interface Statement {
	get(...parameters: unknown[]): Record<string, unknown> | undefined;
}
interface Database {
	prepare(sql: string): Statement;
	close(): void;
}
type DatabaseConstructor = new (file: string, options?: { readOnly?: boolean }) => Database;

function openDatabase(file: string): Database {
	let sqlite: { DatabaseSync: DatabaseConstructor };
	try {
		sqlite = require('node:sqlite') as { DatabaseSync: DatabaseConstructor };
	} catch {
		throw new Error(`node:sqlite is not available in Node ${process.version}: run the benchmark with Node 22.5 or newer (npm run bench uses n8n's Node 24)`);
	}
	return new sqlite.DatabaseSync(file, { readOnly: true });
}

const RUNNING = new Set(['new', 'running', 'waiting', 'unknown']);

export interface ExecutionRow {
	id: string;
	status: string;
	startedAt?: string;
	stoppedAt?: string;
	/** Size of the stored run data (n8n's jsonSizeBytes). */
	jsonSizeBytes: number;
}

/** SQLite's 'YYYY-MM-DD HH:MM:SS.mmm' (UTC) as ISO text. */
function iso(value: unknown): string | undefined {
	return typeof value === 'string' && value ? `${value.replace(' ', 'T')}${value.endsWith('Z') ? '' : 'Z'}` : undefined;
}

export class N8nDatabase {
	private db?: Database;

	constructor(readonly file: string) {}

	static forUserFolder(userFolder: string): N8nDatabase {
		return new N8nDatabase(path.join(userFolder, '.n8n', 'database.sqlite'));
	}

	private get handle(): Database {
		this.db ??= openDatabase(this.file);
		return this.db;
	}

	execution(id: string): ExecutionRow | undefined {
		const row = this.handle.prepare('SELECT id, status, startedAt, stoppedAt, jsonSizeBytes FROM execution_entity WHERE id = ?').get(Number(id));
		if (!row) return undefined;
		return { id: String(row.id), status: String(row.status), startedAt: iso(row.startedAt), stoppedAt: iso(row.stoppedAt), jsonSizeBytes: Number(row.jsonSizeBytes ?? 0) };
	}

	/** The execution once it is finished and stored, else undefined. */
	finished(id: string): ExecutionRow | undefined {
		const row = this.execution(id);
		return row && !RUNNING.has(row.status) ? row : undefined;
	}

	/** The execution with its run data (n8n's flatted text). */
	record(id: string): ExecutionRecord & { jsonSizeBytes: number } {
		const row = this.execution(id);
		if (!row) throw new Error(`execution ${id} is not in ${this.file}`);
		const data = this.handle.prepare('SELECT data FROM execution_data WHERE executionId = ?').get(Number(id));
		if (!data || typeof data.data !== 'string') throw new Error(`execution ${id} has no stored run data`);
		return { ...row, data: data.data };
	}

	close(): void {
		this.db?.close();
		this.db = undefined;
	}
}

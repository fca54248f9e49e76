/**
 * A real n8n (provisioned by scripts/provision-n8n.sh) with an isolated, temporary user folder:
 * CLI commands (import, execute) and server mode (`n8n start`).
 *
 *   const n8n = await N8nInstance.create();
 *   try {
 *     await n8n.installPackage(tarball);
 *     await n8n.importCredentials([...]);
 *     const result = await n8n.execute('mlcTplIfsRead001');
 *     const server = await n8n.start();
 *   } finally {
 *     await n8n.dispose();   // stops the server, removes the user folder
 *   }
 *
 * Environment as in shared/handbook/testing-with-real-n8n.md (b): loopback only, diagnostics and
 * other phone-home features off, a fixed encryption key, every port chosen free.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { installTarball } from './package';
import { type N8nInstall, assertProvisioned, n8nInstall } from './paths';
import { type Background, type RunResult, WaitAborted, freePort, run, shellStatus, start, waitFor } from './processes';

/** Hosts that never go through a proxy: n8n's own loopback calls (task broker) and local sandboxes. */
export const LOOPBACK_NO_PROXY = '127.0.0.1,localhost,::1';

export interface N8nOptions {
	install?: N8nInstall;
	/** Main HTTP port (server mode). Default: a free port. */
	port?: number;
	/** Task broker port of the server. Default: a free port. CLI commands get a fresh one each. */
	brokerPort?: number;
	/** Use this folder instead of a temporary one (it is then not deleted). */
	userFolder?: string;
	/**
	 * Extra environment for every CLI call and for `n8n start` (wins over the defaults), e.g. a
	 * MITM proxy's `env()`. When it names a proxy but no NO_PROXY, loopback stays direct
	 * (NO_PROXY=127.0.0.1,localhost,::1), so n8n's task broker and loopback sandboxes are not proxied.
	 */
	env?: Record<string, string>;
	/** Where n8n logs go; default `<user folder>/logs`. */
	logDir?: string;
}

export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; [key: string]: unknown }>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** What `n8n execute --rawOutput` printed, parsed. */
export interface ExecuteResult {
	/** rc as a shell shows it; 139 = segfault at exit (n8n sometimes does that after a correct result). */
	rc: number;
	/** The run's status ('success', 'error', …), or undefined when no result could be parsed. */
	status?: string;
	/** The whole IRun object printed by n8n. */
	run?: ExecutedRun;
	stdout: string;
	stderr: string;
	durationMs: number;
	/** Items (json only) of a node's main output `output` in run `runIndex`. */
	items(nodeName: string, output?: number, runIndex?: number): Array<Record<string, unknown>>;
	/** The error of the run, if any (name, message, description, httpCode). */
	error?: Record<string, unknown>;
}

export interface ExecutedRun {
	status?: string;
	mode?: string;
	finished?: boolean;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: Record<string, unknown> }>>;
			error?: Record<string, unknown>;
			lastNodeExecuted?: string;
		};
	};
}

/**
 * n8n prints the run as pretty JSON through its logger, after banner lines: take the first line that
 * is exactly "{" up to the first later line that is exactly "}" and parses.
 */
export function parseExecuteOutput(text: string): ExecutedRun | undefined {
	const lines = text.split(/\r?\n/);
	for (let start = lines.indexOf('{'); start !== -1; start = lines.indexOf('{', start + 1)) {
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(start, end + 1).join('\n')) as ExecutedRun;
				if (parsed && typeof parsed === 'object' && parsed.data?.resultData) return parsed;
			} catch {
				// keep looking for a later closing brace
			}
		}
	}
	return undefined;
}

function itemsOf(run: ExecutedRun | undefined, nodeName: string, output = 0, runIndex = 0): Array<Record<string, unknown>> {
	const runs = run?.data.resultData.runData[nodeName];
	if (!runs) throw new Error(`Node "${nodeName}" did not run (ran: ${Object.keys(run?.data.resultData.runData ?? {}).join(', ')})`);
	const main = runs[runIndex]?.data?.main ?? [];
	return (main[output] ?? []).map((item) => item.json);
}

export class N8nInstance {
	readonly install: N8nInstall;
	readonly userFolder: string;
	readonly port: number;
	readonly brokerPort: number;
	readonly logDir: string;
	private readonly ownsFolder: boolean;
	private readonly extraEnv: Record<string, string>;
	private server?: Background;
	private cliCount = 0;

	private constructor(install: N8nInstall, userFolder: string, ownsFolder: boolean, port: number, brokerPort: number, extraEnv: Record<string, string>, logDir: string) {
		this.install = install;
		this.userFolder = userFolder;
		this.ownsFolder = ownsFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.extraEnv = extraEnv;
		this.logDir = logDir;
	}

	static async create(options: N8nOptions = {}): Promise<N8nInstance> {
		const install = options.install ?? n8nInstall();
		assertProvisioned(install);
		const owns = !options.userFolder;
		const userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-n8n-e2e-'));
		fs.mkdirSync(userFolder, { recursive: true });
		const port = options.port ?? (await freePort());
		let brokerPort = options.brokerPort ?? (await freePort());
		while (brokerPort === port) brokerPort = await freePort();
		const logDir = options.logDir ?? path.join(userFolder, 'logs');
		fs.mkdirSync(logDir, { recursive: true });
		return new N8nInstance(install, userFolder, owns, port, brokerPort, options.env ?? {}, logDir);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The environment every n8n command gets. */
	env(brokerPort = this.brokerPort): NodeJS.ProcessEnv {
		const inherited: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env)) {
			// Nothing from a developer's own n8n setup, nor from an `npm run` or jest around us
			// (NODE_ENV=test makes n8n's logger silent: no execute result, no import confirmation),
			// nor a developer's proxy (n8n would send calls through it; tests pass their own in `env`).
			if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|NODE_ENV$|NODE_OPTIONS$|JEST_WORKER_ID$|npm_|(HTTPS?|ALL|NO)_PROXY$)/i.test(key)) continue;
			inherited[key] = value;
		}
		const env: NodeJS.ProcessEnv = {
			...inherited,
			PATH: `${path.dirname(this.install.node)}${path.delimiter}${process.env.PATH ?? ''}`,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'e2e-not-a-secret',
			DB_TYPE: 'sqlite',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_SECURE_COOKIE: 'false',
			N8N_PORT: String(this.port),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_DISABLED_MODULES: 'mcp-registry,instance-ai,agents,chat-hub,workflow-builder',
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			...this.extraEnv,
		};
		const proxied = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'].some((name) => env[name] || env[name.toLowerCase()]);
		if (proxied && !env.NO_PROXY && !env.no_proxy) {
			env.NO_PROXY = LOOPBACK_NO_PROXY;
			env.no_proxy = LOOPBACK_NO_PROXY;
		}
		return env;
	}

	/** Runs `n8n <args>` to completion with a deadline; output is also saved in logDir. */
	async cli(args: string[], timeoutMs = 120_000): Promise<RunResult> {
		// Each CLI command opens a task broker of its own: never the server's port, never a fixed one.
		const brokerPort = await freePort();
		const result = await run(this.install.node, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env: this.env(brokerPort),
			timeoutMs,
		});
		const name = `${String(++this.cliCount).padStart(2, '0')}-${args[0].replace(/[^a-z0-9]+/gi, '_')}.log`;
		fs.writeFileSync(
			path.join(this.logDir, name),
			`$ n8n ${args.join(' ')}\nrc=${shellStatus(result)} ${result.durationMs}ms${result.timedOut ? ' TIMED OUT' : ''}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}\n`,
		);
		return result;
	}

	private async cliOrThrow(args: string[], timeoutMs: number): Promise<RunResult> {
		const result = await this.cli(args, timeoutMs);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} failed (rc ${shellStatus(result)}${result.timedOut ? ', timed out' : ''}):\n${tail(result.stdout)}\n${tail(result.stderr)}`,
			);
		}
		return result;
	}

	/** Installs a packed tarball as a community package (before start). */
	async installPackage(tarball: string): Promise<string> {
		return await installTarball(tarball, this.userFolder);
	}

	/** `n8n import:credentials`; `data` is plain (n8n validates and encrypts it). */
	async importCredentials(credentials: CredentialJson[], timeoutMs = 120_000): Promise<void> {
		const file = path.join(this.userFolder, `import-credentials-${Date.now()}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials, null, 2));
		try {
			const result = await this.cliOrThrow(['import:credentials', `--input=${file}`], timeoutMs);
			if (!/Successfully imported/i.test(result.stdout + result.stderr)) {
				throw new Error(`n8n import:credentials did not confirm the import:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
			}
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** `n8n import:workflow --separate` of the given workflow objects (ids are kept). */
	/** Imports the workflows; returns what n8n printed (tests check it for warnings). */
	async importWorkflows(workflows: WorkflowJson[], timeoutMs = 120_000): Promise<RunResult> {
		const folder = fs.mkdtempSync(path.join(this.userFolder, 'import-workflows-'));
		try {
			for (const workflow of workflows) fs.writeFileSync(path.join(folder, `${workflow.id}.json`), JSON.stringify(workflow, null, 2));
			const result = await this.cliOrThrow(['import:workflow', '--separate', `--input=${folder}`], timeoutMs);
			if (!/Successfully imported/i.test(result.stdout + result.stderr)) {
				throw new Error(`n8n import:workflow did not confirm the import:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
			}
			return result;
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`. Never throws for a failed workflow: decide by `status` and
	 * the node outputs. rc 139 (a crash at exit after a correct result) is logged, not fatal.
	 */
	async execute(workflowId: string, timeoutMs = 180_000): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		const rc = shellStatus(result);
		const parsed = parseExecuteOutput(result.stdout) ?? parseExecuteOutput(result.stderr);
		if (rc === 139) console.warn(`n8n execute --id=${workflowId}: rc 139 (segfault at exit); result ${parsed ? 'was' : 'was NOT'} printed before it`);
		if (result.timedOut) throw new Error(`n8n execute --id=${workflowId} timed out after ${timeoutMs} ms:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		return {
			rc,
			status: parsed?.status ?? (parsed ? (parsed.data.resultData.error ? 'error' : 'success') : undefined),
			run: parsed,
			stdout: result.stdout,
			stderr: result.stderr,
			durationMs: result.durationMs,
			error: parsed?.data.resultData.error,
			items: (nodeName, output, runIndex) => itemsOf(parsed, nodeName, output, runIndex),
		};
	}

	/** `n8n start`, then polls /healthz/readiness until 200 (deadline `timeoutMs`). */
	async start(timeoutMs = 120_000): Promise<void> {
		if (this.server && !this.server.exited()) throw new Error('n8n is already running');
		const server = start(this.install.node, [this.install.n8nBin, 'start'], { cwd: this.userFolder, env: this.env() });
		this.server = server;
		try {
			await waitFor(
				`n8n to be ready on ${this.baseUrl}`,
				async () => {
					if (server.exited()) throw new WaitAborted(`n8n start exited before it was ready:\n${tail(server.output())}`);
					const response = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
					return response?.status === 200 ? true : undefined;
				},
				{ timeoutMs, intervalMs: 250, onTimeout: () => tail(server.output()) },
			);
		} catch (error) {
			await this.stop();
			throw error;
		}
	}

	/** Server output so far (for diagnostics). */
	serverOutput(): string {
		return this.server?.output() ?? '';
	}

	/** Process id of `n8n start` (the main process, where executions run in regular mode). */
	get serverPid(): number | undefined {
		return this.server && !this.server.exited() ? this.server.child.pid : undefined;
	}

	get running(): boolean {
		return !!this.server && !this.server.exited();
	}

	/** Stops the server (SIGTERM, then SIGKILL after the grace) and saves its output in logDir. */
	async stop(graceMs = 15_000): Promise<void> {
		const server = this.server;
		if (!server) return;
		this.server = undefined;
		await server.stop(graceMs);
		try {
			fs.writeFileSync(path.join(this.logDir, `server-${Date.now()}.log`), server.output());
		} catch {
			// the folder may be gone already
		}
	}

	/** Stops everything and removes the temporary user folder (unless MLC_E2E_KEEP=1). */
	async dispose(): Promise<void> {
		await this.stop();
		if (this.ownsFolder && process.env.MLC_E2E_KEEP !== '1') fs.rmSync(this.userFolder, { recursive: true, force: true, maxRetries: 3 });
	}
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

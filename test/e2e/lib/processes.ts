/**
 * Child processes with deadlines. Every child runs in its own process group (n8n starts a task
 * runner of its own), is tracked until it exits, and is killed — group and all — on timeout, on
 * `stop()`, and when this process exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';

const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// the group is gone already
	}
}

let exitHookInstalled = false;
function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', () => {
		for (const child of live) killGroup(child, 'SIGKILL');
	});
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs: number;
	/** Grace between SIGTERM and SIGKILL on timeout. */
	killGraceMs?: number;
}

export interface RunResult {
	/** Exit code, or null when ended by a signal. */
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	durationMs: number;
	timedOut: boolean;
}

/** Runs a command to completion (or its deadline); never throws for a non-zero exit. */
export async function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
	installExitHook();
	const started = Date.now();
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	live.add(child);
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	let timedOut = false;
	let killTimer: NodeJS.Timeout | undefined;
	const deadline = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGTERM');
		killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), options.killGraceMs ?? 5000);
	}, options.timeoutMs);
	const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
	try {
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
			child.once('error', reject);
			child.once('exit', (c, s) => resolve([c, s]));
		});
		// A grandchild (n8n's task runner after a crash at exit) may still hold the pipes open:
		// end the group, then give the pipes a moment to drain.
		killGroup(child, 'SIGKILL');
		let drain: NodeJS.Timeout | undefined;
		await Promise.race([closed, new Promise<void>((resolve) => (drain = setTimeout(resolve, 3000)))]);
		clearTimeout(drain); // a pending timer would keep jest alive after the last command
		return { code, signal, stdout, stderr, durationMs: Date.now() - started, timedOut };
	} finally {
		clearTimeout(deadline);
		if (killTimer) clearTimeout(killTimer);
		// Whatever the command left behind in its group (a task runner after a crash) goes too.
		killGroup(child, 'SIGKILL');
		live.delete(child);
	}
}

/** The exit code as a shell shows it: 128 + signal number for a signal (139 = SIGSEGV). */
export function shellStatus(result: Pick<RunResult, 'code' | 'signal'>): number {
	if (result.code !== null) return result.code;
	const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGSEGV: 11, SIGKILL: 9, SIGTERM: 15, SIGABRT: 6, SIGINT: 2 };
	return 128 + (result.signal ? (numbers[result.signal] ?? 0) : 0);
}

export interface Background {
	child: ChildProcess;
	/** Everything printed so far (stdout and stderr interleaved), capped. */
	output(): string;
	exited(): boolean;
	/** SIGTERM to the group, then SIGKILL after graceMs; resolves when the process has exited. */
	stop(graceMs?: number): Promise<void>;
}

/** Starts a long-running command (a server) in its own process group. */
export function start(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; outputLimit?: number }): Background {
	installExitHook();
	const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
	live.add(child);
	const limit = options.outputLimit ?? 2_000_000;
	let output = '';
	const append = (chunk: Buffer) => {
		output += chunk.toString();
		if (output.length > limit) output = output.slice(output.length - limit);
	};
	child.stdout?.on('data', append);
	child.stderr?.on('data', append);
	let exited = false;
	const exit = new Promise<void>((resolve) => {
		child.once('exit', () => {
			exited = true;
			resolve();
		});
		child.once('error', () => {
			exited = true;
			resolve();
		});
	});
	return {
		child,
		output: () => output,
		exited: () => exited,
		stop: async (graceMs = 15_000) => {
			if (!exited) {
				killGroup(child, 'SIGTERM');
				const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
				await exit;
				clearTimeout(timer);
			}
			killGroup(child, 'SIGKILL');
			live.delete(child);
		},
	};
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
	return await new Promise<number>((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/** Whether something accepts connections on 127.0.0.1:port. */
export async function portInUse(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.setTimeout(1000);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function sleep(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by a `waitFor` check to stop waiting at once (e.g. the server process died). */
export class WaitAborted extends Error {}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined>,
	{ timeoutMs, intervalMs = 250, onTimeout }: { timeoutMs: number; intervalMs?: number; onTimeout?: () => string },
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch (error) {
			if (error instanceof WaitAborted) throw error;
			lastError = error;
		}
		await sleep(intervalMs);
	}
	const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
	throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${detail}${onTimeout ? `\n${onTimeout()}` : ''}`);
}

/**
 * Runs every clean-up step, in order, even when an earlier one fails (whatever a suite started must
 * be stopped), then throws the first failure.
 */
export async function stopAll(steps: Array<() => unknown>): Promise<void> {
	const errors: unknown[] = [];
	for (const step of steps) {
		try {
			await step();
		} catch (error) {
			errors.push(error);
		}
	}
	if (errors.length) throw errors[0];
}

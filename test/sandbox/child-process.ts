/**
 * A sandbox in a child process (its CLI compiled by `npm run build:tools`): started with its
 * options as JSON, it prints one JSON line with its endpoints, answers a control channel, and is
 * stopped with SIGTERM (SIGKILL after 5 s). Shared by the IFS and SP-API sandboxes' process modes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface SandboxProcess<Details> {
	details: Details;
	/** A JSON call on the control channel; throws unless 2xx. */
	control(method: string, route: string, body?: unknown): Promise<unknown>;
	stop(): Promise<void>;
}

export async function startSandboxProcess<Details extends { controlUrl: string }>(cli: string, options: object, startTimeoutMs: number): Promise<SandboxProcess<Details>> {
	if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build:tools" first`);
	const child = spawn(process.execPath, [cli, JSON.stringify(options), '--exit-with-parent'], { stdio: ['pipe', 'pipe', 'pipe'] });
	const details = await firstLine<Details>(child, startTimeoutMs);
	return {
		details,
		control: async (method, route, body) => {
			const response = await fetch(`${details.controlUrl}${route}`, {
				method,
				headers: { 'content-type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
				signal: AbortSignal.timeout(30_000),
			});
			if (!response.ok) throw new Error(`sandbox control ${route}: HTTP ${response.status} ${await response.text()}`);
			return (await response.json()) as unknown;
		},
		stop: async () => await stop(child),
	};
}

async function firstLine<Details>(child: ChildProcess, timeoutMs: number): Promise<Details> {
	return await new Promise<Details>((resolve, reject) => {
		let buffer = '';
		let errors = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`The sandbox process did not start within ${timeoutMs} ms: ${errors}`));
		}, timeoutMs);
		child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
		child.stdout?.on('data', (chunk: Buffer) => {
			buffer += chunk.toString();
			const newline = buffer.indexOf('\n');
			if (newline === -1) return;
			clearTimeout(timer);
			try {
				resolve(JSON.parse(buffer.slice(0, newline)) as Details);
			} catch (error) {
				reject(error as Error);
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`The sandbox process exited with code ${code}: ${errors}`));
		});
	});
}

async function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	await new Promise<void>((resolve) => {
		const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
		child.once('exit', () => {
			clearTimeout(timer);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

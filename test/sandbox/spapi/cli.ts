/**
 * Run the SP-API sandbox as a process (demos, benchmarks, a real n8n pointed at it through a
 * proxy or hosts entries).
 *
 *   npm run build:tools
 *   node .cache/tools/test/sandbox/spapi/cli.js '{"timeScale":100,"controlPort":18091}'
 *
 * Prints one JSON line with the URLs, the storage host and the authorizations, then serves until
 * SIGINT/SIGTERM or until its parent's stdin closes. Options are SpApiSandboxOptions as JSON
 * (the validateRequest hook cannot cross a process boundary).
 */
import { startControlServer } from './control';
import { startSpApiSandbox, type SpApiSandboxOptions } from './index';

async function main(): Promise<void> {
	const { controlPort, ...options } = JSON.parse(process.argv[2] ?? '{}') as SpApiSandboxOptions & { controlPort?: number };
	const sandbox = await startSpApiSandbox(options);
	const control = await startControlServer(sandbox, controlPort);
	process.stdout.write(
		`${JSON.stringify({
			lwaUrl: sandbox.lwaUrl,
			tokenUrl: sandbox.tokenUrl,
			apiUrl: sandbox.apiUrl,
			storageUrl: sandbox.storageUrl,
			storageHost: sandbox.storageHost,
			timeScale: sandbox.timeScale,
			authorizations: sandbox.authorizations,
			controlUrl: control.url,
		})}\n`,
	);
	const stop = () => {
		void Promise.all([sandbox.close(), control.close()]).then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	// A parent that dies without signalling still closes our stdin: never outlive it.
	if (process.argv.includes('--exit-with-parent')) {
		process.stdin.on('end', stop);
		process.stdin.resume();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`spapi-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});

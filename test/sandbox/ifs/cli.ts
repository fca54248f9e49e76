/**
 * Run the IFS sandbox as a process (demos, benchmarks, timing tests, a real n8n pointed at it).
 *
 *   npm run build:tools
 *   node .cache/tools/test/sandbox/ifs/cli.js '{"inventoryRows":100000,"port":18080,"controlPort":18081}'
 *
 * Prints one JSON line with the connection details (and the control channel's URL, see
 * control.ts), then serves until SIGINT/SIGTERM or until its parent's stdin closes.
 */
import { startControlServer } from './control';
import { startIfsSandbox, type IfsSandboxOptions } from './index';

async function main(): Promise<void> {
	const { controlPort, ...options } = JSON.parse(process.argv[2] ?? '{}') as IfsSandboxOptions & { controlPort?: number };
	const sandbox = await startIfsSandbox(options);
	const control = await startControlServer(sandbox, controlPort);
	process.stdout.write(
		`${JSON.stringify({
			url: sandbox.url,
			realm: sandbox.realm,
			tokenUrl: sandbox.tokenUrl,
			clientId: sandbox.clientId,
			clientSecret: sandbox.clientSecret,
			intBase: sandbox.apiBase('int'),
			mainBase: sandbox.apiBase('main'),
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
	process.stderr.write(`ifs-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});

/**
 * Memory acceptance for the settlement engine: a 1 000 000-line gzipped V2 settlement (two posting
 * months, ~250 000 orders), generated lazily chunk by chunk, streams through decode → parse →
 * summarise → journal with flat memory. The workload runs in its own `node --expose-gc` process
 * (compiled here with TypeScript's transpiler, no jest inside), so jest's own memory does not count:
 * the peak is the child's maxRSS, and heap samples after forced GCs show nothing grows with lines.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import * as ts from 'typescript';

import { REPO_ROOT } from '../../repo-root';

const LINES = 1_000_000;
const RUNNER = path.join(__dirname, 'perf', 'settlement-memory-run.ts');

/** Transpiles the runner and every file it imports by relative path into `outDir`, same layout. */
function compile(entry: string, outDir: string): string {
	const pending = [entry];
	const done = new Set<string>();
	while (pending.length) {
		const file = pending.pop() as string;
		if (done.has(file)) continue;
		done.add(file);
		const source = fs.readFileSync(file, 'utf8');
		for (const [, specifier] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
			const base = path.resolve(path.dirname(file), specifier);
			const target = [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate));
			if (!target) throw new Error(`cannot resolve ${specifier} from ${file}`);
			pending.push(target);
		}
		const output = ts.transpileModule(source, {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: file,
		}).outputText;
		const destination = path.join(outDir, path.relative(REPO_ROOT, file)).replace(/\.ts$/, '.js');
		fs.mkdirSync(path.dirname(destination), { recursive: true });
		fs.writeFileSync(destination, output);
	}
	return path.join(outDir, path.relative(REPO_ROOT, entry)).replace(/\.ts$/, '.js');
}

interface RunReport {
	lines: number;
	compressedMB: number;
	seconds: number;
	peakRssMB: number;
	samples: Array<{ line: number; heapUsedMB: number; arrayBuffersMB: number; rssMB: number }>;
	expected: { total: string; byMonth: Record<string, string> };
	summary: { totalAmount: string; componentTotal: string; componentCount: number; months: string[]; groups: number; decimalSeparator: string };
	status: string;
	journals: Array<{ kind: string; period: string; totalDebit: string; totalCredit: string; lines: Array<{ account: string; debit: string; credit: string }> }>;
}

function run(script: string): Promise<RunReport> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', script, String(LINES)], {
			// The compiled files live outside the repository: resolve luxon and zod from ours.
			env: { ...process.env, NODE_PATH: path.join(REPO_ROOT, 'node_modules') },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
		child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 110_000);
		child.on('close', (code) => {
			clearTimeout(timer);
			if (code !== 0) reject(new Error(`runner exited with ${code}: ${stderr}`));
			else resolve(JSON.parse(stdout.trim().split('\n').pop() as string) as RunReport);
		});
	});
}

let outDir: string;
beforeAll(() => {
	outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlc-settlement-perf-'));
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

test('a 1 000 000-line gzipped settlement streams to reconciled, balanced journals under 300 MB peak RSS', async () => {
	const report = await run(compile(RUNNER, outDir));
	const { samples } = report;
	console.log(
		`settlement memory: ${report.lines} lines (${report.compressedMB} MB gzip) in ${report.seconds} s; ` +
			`peak RSS ${report.peakRssMB} MB; heap after GC ${samples.map((s) => s.heapUsedMB).join(' → ')} MB; ` +
			`arrayBuffers ${samples.map((s) => s.arrayBuffersMB).join(' → ')} MB`,
	);

	// Totals reconcile exactly with what the generator wrote.
	expect(report.summary).toMatchObject({
		totalAmount: report.expected.total,
		componentTotal: report.expected.total,
		componentCount: LINES - 2,
		months: ['2026-03', '2026-04'],
		decimalSeparator: ',',
	});
	expect(report.status).toBe('ready');

	// Two balanced journals; the month end carries March's net, the deposit journal's bank line is the deposit.
	expect(report.journals.map((journal) => [journal.kind, journal.period])).toEqual([
		['month-end', '2026-03'],
		['deposit', '2026-04'],
	]);
	for (const journal of report.journals) expect(journal.totalDebit).toBe(journal.totalCredit);
	const [march, deposit] = report.journals;
	expect(march.lines.find((line) => line.account === '1390')?.debit).toBe(report.expected.byMonth['2026-03']);
	expect(deposit.lines.find((line) => line.account === '1390')?.credit).toBe(report.expected.byMonth['2026-03']);
	expect(deposit.lines.filter((line) => line.account === '1360')).toEqual([expect.objectContaining({ debit: report.expected.total, credit: '0.00' })]);

	// Memory: the peak stays far below 300 MB, and nothing retained grows with the lines read.
	expect(report.peakRssMB).toBeLessThan(300);
	// Mean of the last three samples against the first three while streaming: a leak of even a few
	// bytes per line would add megabytes over a million lines (Node's pipeThrough leak adds ~9 MB).
	const streaming = samples.filter((sample) => sample.line > 0);
	const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
	const growth = (key: 'heapUsedMB' | 'arrayBuffersMB') => mean(streaming.slice(-3).map((s) => s[key])) - mean(streaming.slice(0, 3).map((s) => s[key]));
	expect(streaming.length).toBeGreaterThanOrEqual(8);
	expect(growth('heapUsedMB')).toBeLessThan(3);
	expect(growth('arrayBuffersMB')).toBeLessThan(3);
	for (const sample of streaming) expect(sample.arrayBuffersMB).toBeLessThan(8);
	expect(report.seconds).toBeLessThan(90);
}, 120_000);

/**
 * `npm run bench` (bench/run.sh builds, provisions, then runs this compiled file): reads 100 000
 * rows of InventoryPartInStockHandling/InventoryPartInStockSet from the IFS sandbox (its own
 * process) in a REAL n8n 2.41.1 with this package installed as a community package, through
 *
 *   (a) this package's IFS Cloud node (Entity → Get Many, Return All), and
 *   (b) n8n's HTTP Request node v4.2 with a generic OAuth2 client-credentials credential and
 *       pagination following @odata.nextLink, then Split Out of `value` (one item per row),
 *
 * in two runs:
 *
 *   1. latency-bound: every collection page answers after 100 ms (sandbox `collectionLatencyMs`);
 *   2. rate-bound: the tenant allows 2 requests per 1 s sliding window (the node is told so);
 *      HTTP Request gets the interval a user would set for that limit (window ÷ requests).
 *
 * Each workflow gets a fresh `n8n start` process, one small warm-up run of the same node types,
 * then `--reps` measured runs (default 3; the table shows medians). The sandbox's page cache is
 * warmed before any measurement. Per run: the node's own time (n8n's run data), n8n's
 * startedAt → stoppedAt, the end-to-end time, the n8n main process's peak RSS (kernel high-water
 * mark, reset at the start of each run), the API requests, 429s and token fetches the sandbox saw,
 * and the rows that came out. Completion and run data are read from n8n's SQLite database, so the
 * benchmark never asks n8n anything while it works.
 *
 * Options: --rows=N (100000), --latency=MS (100), --rate=N/MS (2/1000), --concurrency=N (the IFS
 * node's Max Concurrent Requests, 4 = its default), --reps=N (3), --only=latency|rate[:ifs|http],
 * --keep (keep the n8n user folder). Env MLC_BENCH_N8N_NODE_OPTIONS is passed to n8n as
 * NODE_OPTIONS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"; profiles are written when n8n stops).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	DEFAULT_OWNER,
	N8N_VERSION,
	N8nInstance,
	N8nRest,
	type PackedPackage,
	REPO_ROOT,
	type RemoteIfsSandbox,
	type WorkflowJson,
	assertProvisioned,
	ifsCredential,
	n8nInstall,
	packRepository,
	sleep,
	spawnIfsSandbox,
	tail,
} from '../test/e2e/lib';
import type { StatsSummary } from '../test/sandbox/ifs/control';
import { type ExecutionRecord, type ExecutionSummary, summarizeExecution } from './lib/execution';
import { type MemoryReport, PeakMemory } from './lib/memory';
import { N8nDatabase } from './lib/n8n-db';
import { median, mib, seconds, table, times } from './lib/report';
import { ENTITY_SET, HTTP_NODE, IFS_NODE, PROJECTION, SPLIT_NODE, TRIGGER, genericOAuth2Credential, httpWorkflow, ifsWorkflow } from './lib/workflows';

function option(name: string): string | undefined {
	const prefix = `--${name}=`;
	return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

const ROWS = Number(option('rows') ?? 100_000);
const LATENCY_MS = Number(option('latency') ?? 100);
const [RATE_REQUESTS, RATE_WINDOW_MS] = (option('rate') ?? '2/1000').split('/').map(Number);
const REPS = Math.max(1, Number(option('reps') ?? 3));
/** The largest page the sandbox serves (and the node's maximum); both workflows get it. */
const PAGE_SIZE = 5000;
/** The node's default; the IFS reference advises 2–4 parallel requests. */
const CONCURRENCY = Number(option('concurrency') ?? 4);
/** The sandbox's default tenant limit and the node's default setting (not binding in run 1). */
const DEFAULT_RATE = { requests: 1000, windowMs: 60_000 };
const RUN_TIMEOUT_MS = 240_000;
/** How often the finished state is looked up in n8n's database (a local read, no request to n8n). */
const POLL_MS = 20;

const started = Date.now();
function say(message: string): void {
	process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}\n`);
}
const load = () => os.loadavg().map((value) => value.toFixed(2)).join(' ');

type Kind = 'ifs' | 'http';

interface RunSpec {
	kind: Kind;
	label: string;
	workflow: WorkflowJson;
	warmUp: WorkflowJson;
}

interface Scenario {
	key: 'latency' | 'rate';
	title: string;
	rate: { requests: number; windowMs: number };
	runs: RunSpec[];
	/** Lower bound for the read (rate-bound run only). */
	/** The issue's floor: pages ÷ allowed requests per second. */
	floorMs?: number;
	/** The earliest a sliding window lets the last page answer. */
	earliestMs?: number;
}

/** One measured execution. */
interface Rep {
	summary: ExecutionSummary;
	/** The node's own time: IFS Cloud node, or HTTP Request + Split Out (n8n's executionTime). */
	nodeMs: number;
	endToEndMs: number;
	/** Size of the run data n8n stored (its jsonSizeBytes). */
	storedBytes: number;
	memory: MemoryReport;
	stats: StatsSummary;
	rowsOut: number;
	distinctRows: number;
	errorItems: number;
	/** First API request's arrival → last API response, as the sandbox saw it. */
	serverSpanMs: number;
	load: string;
}

interface Measured {
	spec: RunSpec;
	reps: Rep[];
	nodeMs: number;
	engineMs: number;
	endToEndMs: number;
}

interface State {
	sandbox?: RemoteIfsSandbox;
	pack?: PackedPackage;
	n8n?: N8nInstance;
	db?: N8nDatabase;
}

async function cleanup(state: State): Promise<void> {
	for (const [what, step] of [
		['n8n database reader', () => state.db?.close()],
		['n8n', () => state.n8n?.dispose()],
		['IFS sandbox', () => state.sandbox?.close()],
		['package tarball', () => state.pack?.dispose()],
	] as const) {
		try {
			await step();
		} catch (error) {
			say(`stopping ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	}
}

/** Reads every page once without latency, so the sandbox's row JSON cache is warm for every run. */
async function warmSandbox(sandbox: RemoteIfsSandbox): Promise<number> {
	const token = (await (
		await fetch(sandbox.tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.clientId, client_secret: sandbox.clientSecret }).toString(),
			signal: AbortSignal.timeout(10_000),
		})
	).json()) as { access_token: string };
	let url: string | undefined = `${sandbox.intBase}/${PROJECTION}.svc/${ENTITY_SET}`;
	let rows = 0;
	for (let page = 0; url && page < 10_000; page++) {
		const response = await fetch(url, { headers: { authorization: `Bearer ${token.access_token}` }, signal: AbortSignal.timeout(30_000) });
		if (!response.ok) throw new Error(`warming the sandbox: HTTP ${response.status} ${await response.text()}`);
		const body = (await response.json()) as { value: unknown[]; '@odata.nextLink'?: string };
		rows += body.value.length;
		url = body['@odata.nextLink'];
	}
	return rows;
}

interface Completed {
	execution: ExecutionRecord & { jsonSizeBytes: number };
	/** POST …/run → final status and run data committed (± one poll interval). */
	endToEndMs: number;
}

/**
 * Runs a workflow as the editor does (POST /rest/workflows/{id}/run) and waits, reading n8n's
 * database, until its final status and run data are committed. `onFinished` runs right then,
 * before the run data is read.
 */
async function runOnce(rest: N8nRest, db: N8nDatabase, workflow: WorkflowJson, timeoutMs: number, onFinished?: () => void): Promise<Completed> {
	const saved = await rest.call<Record<string, unknown>>('GET', `/rest/workflows/${workflow.id}`);
	const t0 = Date.now();
	const deadline = t0 + timeoutMs;
	const run = await rest.call<{ executionId?: string }>('POST', `/rest/workflows/${workflow.id}/run`, { workflowData: saved, triggerToStartFrom: { name: TRIGGER } });
	if (!run?.executionId) throw new Error(`POST /rest/workflows/${workflow.id}/run returned no executionId: ${JSON.stringify(run)}`);
	while (!db.finished(run.executionId)) {
		if (Date.now() > deadline) throw new Error(`execution ${run.executionId} of "${workflow.name}" did not finish within ${timeoutMs / 1000} s`);
		await sleep(POLL_MS);
	}
	const endToEndMs = Date.now() - t0;
	onFinished?.();
	return { execution: db.record(run.executionId), endToEndMs };
}

let ownerCreated = false;

async function measureOnce(state: State, scenario: Scenario, spec: RunSpec, rest: N8nRest): Promise<Rep> {
	const sandbox = state.sandbox!;
	// The scenario's rate limit with an empty window, fresh statistics, a moment of quiet.
	await sandbox.rateLimit(scenario.rate);
	await sandbox.resetStats();
	await sleep(500);
	const loadBefore = load();
	const memory = new PeakMemory(state.n8n!.serverPid!);
	memory.begin();
	let completed: Completed;
	let report: MemoryReport;
	try {
		completed = await runOnce(rest, state.db!, spec.workflow, RUN_TIMEOUT_MS, () => memory.checkpoint());
	} finally {
		report = memory.end();
	}
	const stats = await sandbox.stats(true);
	const { execution } = completed;
	const summary = summarizeExecution(execution, 'keyref');
	const names = spec.kind === 'ifs' ? [IFS_NODE] : [HTTP_NODE, SPLIT_NODE];
	const runs = names.map((name) => summary.nodes[name]);
	const last = summary.nodes[names[names.length - 1]];
	const api = stats.log.filter((entry) => entry.path.includes('/ifsapplications/'));
	return {
		summary,
		nodeMs: runs.every(Boolean) ? runs.reduce((sum, run) => sum + run.executionTime, 0) : NaN,
		endToEndMs: completed.endToEndMs,
		storedBytes: execution.jsonSizeBytes,
		memory: report,
		stats,
		rowsOut: last?.items ?? 0,
		distinctRows: last?.distinct ?? 0,
		errorItems: runs.reduce((sum, run) => sum + (run?.errorItems ?? 0), 0),
		serverSpanMs: api.length ? Math.max(...api.map((entry) => entry.endMs)) - Math.min(...api.map((entry) => entry.startMs)) : NaN,
		load: `${loadBefore} → ${load()}`,
	};
}

/** A fresh n8n process, a warm-up run, then REPS measured runs of one workflow. */
async function measure(state: State, scenario: Scenario, spec: RunSpec): Promise<Measured> {
	const n8n = state.n8n!;
	await n8n.start(180_000);
	try {
		const rest = new N8nRest(n8n.baseUrl);
		if (ownerCreated) await rest.login(DEFAULT_OWNER.email, DEFAULT_OWNER.password);
		else {
			await rest.setupOwner(DEFAULT_OWNER);
			ownerCreated = true;
		}
		// Warm-up: the same node types, a few rows (code loaded and compiled, token fetched).
		await state.sandbox!.rateLimit(DEFAULT_RATE);
		const warm = await runOnce(rest, state.db!, spec.warmUp, 120_000);
		if (warm.execution.status !== 'success') throw new Error(`warm-up "${spec.warmUp.name}" ended with status ${warm.execution.status}`);

		const reps: Rep[] = [];
		for (let rep = 1; rep <= REPS; rep++) {
			const result = await measureOnce(state, scenario, spec, rest);
			const problem = result.summary.status !== 'success' ? ` — status ${result.summary.status}: ${result.summary.error ?? ''}` : '';
			say(
				`${scenario.key} ${rep}/${REPS}: ${spec.label}: node ${seconds(result.nodeMs)}, run ${seconds(result.summary.engineMs)}, e2e ${seconds(result.endToEndMs)}, ` +
					`peak RSS ${mib(result.memory.peakMiB)} (${result.memory.source}; sampled ${mib(result.memory.sampledPeakMiB)}), stored ${(result.storedBytes / 1e6).toFixed(0)} MB, ` +
					`${result.stats.apiRequests} requests (${result.stats.byStatus[429] ?? 0} × 429, ${result.stats.byStatus[401] ?? 0} × 401), ${result.stats.tokensIssued} tokens, ` +
					`server span ${seconds(result.serverSpanMs)}, ${result.rowsOut} rows; load ${result.load}${problem}`,
			);
			reps.push(result);
		}
		return {
			spec,
			reps,
			nodeMs: median(reps.map((rep) => rep.nodeMs)),
			engineMs: median(reps.map((rep) => rep.summary.engineMs ?? NaN)),
			endToEndMs: median(reps.map((rep) => rep.endToEndMs)),
		};
	} finally {
		await n8n.stop();
	}
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

function scenarioTable(scenario: Scenario, results: Measured[]): string {
	const http = results.find((result) => result.spec.kind === 'http');
	const header = [
		'workflow',
		`node time (median of ${REPS}; range)`,
		'n8n run',
		'end-to-end',
		'peak RSS (at start)',
		'run data stored',
		'API requests',
		'429s',
		'token fetches',
		'rows out',
		'speed-up vs HTTP (node / e2e)',
		...(scenario.floorMs ? ['× floor (pages ÷ rate)', '× earliest possible'] : []),
	];
	const rows = results.map((result) => {
		const { reps } = result;
		const nodeTimes = reps.map((rep) => rep.nodeMs);
		const rowsOut = [...new Set(reps.map((rep) => (rep.distinctRows === rep.rowsOut ? String(rep.rowsOut) : `${rep.rowsOut} (${rep.distinctRows} distinct)`)))];
		return [
			result.spec.label,
			`${seconds(result.nodeMs)} (${seconds(Math.min(...nodeTimes))}–${seconds(Math.max(...nodeTimes))})`,
			seconds(result.engineMs),
			seconds(result.endToEndMs),
			`${mib(Math.max(...reps.map((rep) => rep.memory.peakMiB)))} (${mib(reps[0].memory.startMiB)})`,
			`${(median(reps.map((rep) => rep.storedBytes)) / 1e6).toFixed(0)} MB`,
			String(median(reps.map((rep) => rep.stats.apiRequests))),
			String(sum(reps.map((rep) => rep.stats.byStatus[429] ?? 0))),
			String(sum(reps.map((rep) => rep.stats.tokensIssued))),
			rowsOut.join(', '),
			http ? `${times(http.nodeMs / result.nodeMs)} / ${times(http.endToEndMs / result.endToEndMs)}` : '–',
			...(scenario.floorMs && scenario.earliestMs ? [times(result.nodeMs / scenario.floorMs), times(result.nodeMs / scenario.earliestMs)] : []),
		];
	});
	return table(header, rows);
}

function verdicts(latency: Measured[], rate: Measured[], floorMs: number, earliestMs: number): string[] {
	const lines: string[] = [];
	const ifsL = latency.find((result) => result.spec.kind === 'ifs');
	const httpL = latency.find((result) => result.spec.kind === 'http');
	if (ifsL && httpL) {
		const speedUp = httpL.nodeMs / ifsL.nodeMs;
		lines.push(`- IFS Cloud node ≥ 4× faster than HTTP Request on the ${ROWS}-row read (median node times): ${times(speedUp)} — ${speedUp >= 4 ? 'met' : 'NOT met'}`);
	}
	const ifsR = rate.find((result) => result.spec.kind === 'ifs');
	if (ifsR) {
		const ratio = ifsR.nodeMs / floorMs;
		const worst = Math.max(...ifsR.reps.map((rep) => rep.nodeMs)) / floorMs;
		lines.push(`- IFS Cloud node within 1.25× of the rate-limit floor (pages ÷ rate = ${seconds(floorMs)}): ${times(ratio)} (slowest run ${times(worst)}) — ${ratio <= 1.25 ? 'met' : 'NOT met'}`);
		lines.push(`- against the earliest a sliding window allows (${seconds(earliestMs)}): ${times(ifsR.nodeMs / earliestMs)}`);
		const received = sum(ifsR.reps.map((rep) => rep.stats.byStatus[429] ?? 0));
		const reached = ifsR.reps.filter((rep) => rep.summary.status !== 'success' || rep.errorItems > 0 || rep.rowsOut !== ROWS || rep.distinctRows !== ROWS);
		lines.push(
			`- 429s the sandbox sent to the IFS Cloud node in the rate-bound runs: ${received}; reaching the workflow: ${reached.length ? `YES, in ${reached.length} run(s)` : `none (all ${ifsR.reps.length} executions succeeded with ${ROWS} distinct rows and no error items)`}`,
		);
	}
	return lines;
}

async function main(state: State): Promise<void> {
	assertProvisioned(n8nInstall());
	const pages = Math.ceil(ROWS / PAGE_SIZE);
	// A sliding window admits N requests per W: request k (0-based) is admitted at ⌊k/N⌋·W at the
	// earliest (the first window's N go at once), so the last of P pages goes out at ⌊(P−1)/N⌋·W and
	// answers one page latency later. Counted in data pages: the IFS node's $metadata request and its
	// check for rows added meanwhile are its own overhead.
	const earliestMs = Math.floor((pages - 1) / RATE_REQUESTS) * RATE_WINDOW_MS + LATENCY_MS;
	// The floor the issue sets: pages ÷ allowed requests per second.
	const floorMs = (pages * RATE_WINDOW_MS) / RATE_REQUESTS;
	say(`n8n ${N8N_VERSION}, ${ROWS} rows, page size ${PAGE_SIZE} (${pages} pages), ${LATENCY_MS} ms page latency, ${REPS} runs each; ${os.cpus().length} CPUs, load average ${load()}`);

	state.sandbox = await spawnIfsSandbox({ inventoryRows: ROWS, rateLimit: DEFAULT_RATE }, 60_000);
	const sandbox = state.sandbox;
	const warmed = await warmSandbox(sandbox);
	if (warmed !== ROWS) throw new Error(`the sandbox served ${warmed} rows, expected ${ROWS}`);
	await sandbox.faults({ collectionLatencyMs: LATENCY_MS });
	say(`IFS sandbox on ${sandbox.url}: ${warmed} rows, page cache warm, collection latency ${LATENCY_MS} ms`);

	const url = `${sandbox.intBase}/${PROJECTION}.svc/${ENTITY_SET}`;
	const ifsOptions = { pageSize: PAGE_SIZE, maxConcurrency: CONCURRENCY };
	const ifsWarm = ifsWorkflow('mlcBenchIfsWarm1', 'bench: IFS warm-up', { ...ifsOptions, limit: 10, requestsPerWindow: DEFAULT_RATE.requests, rateWindowSeconds: 60 });
	const httpWarm = httpWorkflow('mlcBenchHttpWrm1', 'bench: HTTP warm-up', { url: `${url}?$top=10`, paginate: false, requestIntervalMs: 0 });
	const intervalMs = Math.ceil(RATE_WINDOW_MS / RATE_REQUESTS);
	const scenarios: Scenario[] = [
		{
			key: 'latency',
			title: `Run 1 — latency-bound: ${ROWS} rows in ${PAGE_SIZE}-row pages, ${LATENCY_MS} ms per page, tenant limit ${DEFAULT_RATE.requests}/${DEFAULT_RATE.windowMs / 1000} s (not binding)`,
			rate: DEFAULT_RATE,
			runs: [
				{
					kind: 'ifs',
					label: `IFS Cloud node (${CONCURRENCY} concurrent)`,
					workflow: ifsWorkflow('mlcBenchIfsLat01', 'bench: IFS latency-bound', { ...ifsOptions, requestsPerWindow: DEFAULT_RATE.requests, rateWindowSeconds: DEFAULT_RATE.windowMs / 1000 }),
					warmUp: ifsWarm,
				},
				{
					kind: 'http',
					label: 'HTTP Request (nextLink) + Split Out',
					workflow: httpWorkflow('mlcBenchHttpLat1', 'bench: HTTP latency-bound', { url, paginate: true, requestIntervalMs: 0 }),
					warmUp: httpWarm,
				},
			],
		},
		{
			key: 'rate',
			title: `Run 2 — rate-bound: tenant limit ${RATE_REQUESTS} requests per ${RATE_WINDOW_MS} ms (sliding window), ${LATENCY_MS} ms per page; floor = ${pages} pages ÷ ${(RATE_REQUESTS * 1000) / RATE_WINDOW_MS}/s = ${seconds(floorMs)}; earliest possible = ⌊(${pages} pages − 1) / ${RATE_REQUESTS}⌋ × ${RATE_WINDOW_MS} ms + ${LATENCY_MS} ms = ${seconds(earliestMs)}`,
			rate: { requests: RATE_REQUESTS, windowMs: RATE_WINDOW_MS },
			floorMs,
			earliestMs,
			runs: [
				{
					kind: 'ifs',
					label: `IFS Cloud node (limit ${RATE_REQUESTS} per ${RATE_WINDOW_MS / 1000} s set)`,
					workflow: ifsWorkflow('mlcBenchIfsRate1', 'bench: IFS rate-bound', { ...ifsOptions, requestsPerWindow: RATE_REQUESTS, rateWindowSeconds: RATE_WINDOW_MS / 1000 }),
					warmUp: ifsWarm,
				},
				{
					kind: 'http',
					label: `HTTP Request (interval ${intervalMs} ms) + Split Out`,
					workflow: httpWorkflow('mlcBenchHttpRat1', 'bench: HTTP rate-bound', { url, paginate: true, requestIntervalMs: intervalMs }),
					warmUp: httpWarm,
				},
			],
		},
	];

	state.pack = await packRepository();
	const env: Record<string, string> = {};
	if (process.env.MLC_BENCH_N8N_NODE_OPTIONS) env.NODE_OPTIONS = process.env.MLC_BENCH_N8N_NODE_OPTIONS;
	state.n8n = await N8nInstance.create({ env });
	const n8n = state.n8n;
	await n8n.installPackage(state.pack.tarball);
	state.db = N8nDatabase.forUserFolder(n8n.userFolder);
	const workflows = [ifsWarm, httpWarm, ...scenarios.flatMap((scenario) => scenario.runs.map((run) => run.workflow))];
	await n8n.importCredentials([ifsCredential(sandbox), genericOAuth2Credential(sandbox)]);
	await n8n.importWorkflows(workflows);
	say(`n8n user folder ${n8n.userFolder}: package installed, 2 credentials and ${workflows.length} workflows imported`);

	const [onlyScenario, onlyKind] = (option('only') ?? '').split(':');
	const results = new Map<Scenario['key'], Measured[]>();
	for (const scenario of scenarios) {
		if (onlyScenario && onlyScenario !== scenario.key) continue;
		const measured: Measured[] = [];
		for (const spec of scenario.runs) {
			if (onlyKind && onlyKind !== spec.kind) continue;
			measured.push(await measure(state, scenario, spec));
		}
		results.set(scenario.key, measured);
	}

	const output = [
		`## IFS Cloud read benchmark — n8n ${N8N_VERSION}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
		'',
		`${os.cpus().length} CPUs; load average at the end ${load()}. Medians of ${REPS} runs per workflow, each workflow in a fresh n8n process after one warm-up run. ` +
			"Node time = n8n's executionTime of the IFS Cloud node, or of HTTP Request + Split Out; n8n run = the execution's startedAt → stoppedAt; " +
			"end-to-end = POST /rest/workflows/{id}/run → final status and run data committed to n8n's database. " +
			'Peak RSS = highest RSS of the n8n main process during the measured runs (kernel high-water mark), in brackets its RSS before the first.',
		'',
		...scenarios.flatMap((scenario) => (results.has(scenario.key) ? [`### ${scenario.title}`, '', scenarioTable(scenario, results.get(scenario.key) ?? []), ''] : [])),
		...verdicts(results.get('latency') ?? [], results.get('rate') ?? [], floorMs, earliestMs),
		'',
	].join('\n');
	process.stdout.write(`\n${output}`);
	const outDir = path.join(REPO_ROOT, '.cache', 'bench');
	fs.mkdirSync(outDir, { recursive: true });
	fs.writeFileSync(path.join(outDir, 'ifs-read.md'), output);
	fs.writeFileSync(
		path.join(outDir, 'ifs-read.json'),
		JSON.stringify(
			[...results.values()].flat().map(({ spec, reps, ...medians }) => ({
				workflow: spec.label,
				...medians,
				reps: reps.map(({ stats, ...rep }) => ({
					...rep,
					stats: { ...stats, log: stats.log.map(({ method, path: route, query, status, startMs, endMs }) => ({ method, path: route, query, status, startMs, endMs })) },
				})),
			})),
			null,
			2,
		),
	);
	say(`written to ${path.relative(REPO_ROOT, outDir)}/ifs-read.md and ifs-read.json`);
}

async function run(): Promise<number> {
	const state: State = {};
	let interrupted = false;
	const onSignal = () => {
		interrupted = true;
		say('interrupted; cleaning up …');
		void cleanup(state).then(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	if (process.argv.includes('--keep')) process.env.MLC_E2E_KEEP = '1';
	try {
		await main(state);
		return 0;
	} catch (error) {
		if (interrupted) return 130;
		process.stderr.write(`\n[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		if (state.n8n) {
			process.stderr.write(`[bench] n8n logs: ${state.n8n.logDir}${process.env.MLC_E2E_KEEP === '1' ? '' : ' (run with --keep to keep them)'}\n`);
			const output = state.n8n.serverOutput();
			if (output) process.stderr.write(`${tail(output, 30)}\n`);
		}
		return 1;
	} finally {
		if (!interrupted) await cleanup(state);
	}
}

void run().then((code) => process.exit(code));

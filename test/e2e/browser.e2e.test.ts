/**
 * The package in a REAL n8n 2.41.1 editor, in headless Chromium (Debian's package, driven by
 * playwright-core): packed and installed as a community package, every template under
 * workflows-templates/** imported, the owner signed in through the sign-in form. The node panel
 * finds our nodes, and every template's canvas draws each node as a known, installed node — the
 * detector is first shown to flag a bogus `n8n-nodes-ml-connector.doesNotExist` node.
 * Screenshots go to .cache/screenshots/browser-e2e/ (MLC_E2E_SCREENSHOTS).
 *
 * Run: npx jest -c jest.e2e.config.js browser   (see test/e2e/README.md)
 */
import * as fs from 'node:fs';

import type { Browser } from 'playwright-core';

import { DEFAULT_OWNER, N8N_VERSION, N8nInstance, N8nRest, PACKAGE_NAME, type PackedPackage, type WorkflowJson, packRepository, stopAll } from './lib';
import {
	type CanvasNode,
	EditorSession,
	type PanelItem,
	SCREENSHOT_DIR,
	assertKnownNodes,
	chromiumExecutable,
	launchChromium,
	loadTemplateTree,
	packageNodes,
	placeholderCredentials,
	unknownReasons,
} from './lib/browser';

/** A workflow with only a Manual Trigger: the node panel then offers every node ("What happens next?"). */
const PANEL_WORKFLOW: WorkflowJson = {
	id: 'mlcE2eBrowserPnl',
	name: 'Browser check: node panel',
	nodes: [{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	settings: { executionOrder: 'v1' },
};

/** The negative check: one node of a type our package does not have, between two n8n-nodes-base nodes. */
const BOGUS_TYPE = `${PACKAGE_NAME}.doesNotExist`;
const BOGUS_WORKFLOW: WorkflowJson = {
	id: 'mlcE2eBrowserBog',
	name: 'Browser check: unknown node',
	nodes: [
		{ id: 'b0000000-0000-4000-8000-000000000011', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'b0000000-0000-4000-8000-000000000012', name: 'Not a real node', type: BOGUS_TYPE, typeVersion: 1, position: [220, 0], parameters: {} },
		{ id: 'b0000000-0000-4000-8000-000000000013', name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} },
	],
	connections: { Start: { main: [[{ node: 'Not a real node', type: 'main', index: 0 }]] }, 'Not a real node': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

/**
 * The node panel searches, each with the nodes it must list: the package's nodes whose display name
 * contains the term, and at least the pinned ones (so a node dropped from package.json is noticed
 * here too). Any package node these do not reach is then searched by its own display name.
 */
const SEARCH_TERMS: Record<string, string[]> = {
	'IFS Cloud': [`${PACKAGE_NAME}.ifsCloud`, `${PACKAGE_NAME}.ifsCloudTrigger`, `${PACKAGE_NAME}.ifsCloudEventTrigger`],
	'Amazon Seller Central': [`${PACKAGE_NAME}.amazonSellerCentral`, `${PACKAGE_NAME}.amazonSellerCentralTrigger`],
};

const templates = loadTemplateTree();
const nodes = packageNodes();

let pack: PackedPackage | undefined;
let n8n: N8nInstance | undefined;
let browser: Browser | undefined;
let editor: EditorSession | undefined;
const timings: string[] = [];

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
	const started = Date.now();
	try {
		return await work();
	} finally {
		timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)}s`);
	}
}

beforeAll(async () => {
	try {
		chromiumExecutable(); // fail before starting n8n when there is no browser
		await timed('pack + install', async () => {
			pack = await packRepository();
			n8n = await N8nInstance.create();
			await n8n.installPackage(pack.tarball);
		});
		await timed('import', async () => {
			const workflows = templates.map((entry) => entry.workflow);
			const credentials = placeholderCredentials(workflows);
			if (credentials.length) await n8n!.importCredentials(credentials);
			await n8n!.importWorkflows([...workflows, PANEL_WORKFLOW, BOGUS_WORKFLOW]);
		});
		await timed('n8n start', async () => {
			await n8n!.start(180_000);
			await N8nRest.asNewOwner(n8n!.baseUrl);
		});
		await timed('chromium + sign-in', async () => {
			browser = await launchChromium();
			editor = await EditorSession.open(browser, n8n!.baseUrl);
			await editor.signIn(DEFAULT_OWNER);
		});
		fs.rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
	} catch (error) {
		if (n8n) console.error(`n8n logs in ${n8n.logDir} (MLC_E2E_KEEP=1 keeps them)\n${n8n.serverOutput().split('\n').slice(-30).join('\n')}`);
		throw error;
	}
}, 300_000);

afterAll(async () => {
	try {
		await stopAll([() => editor?.close(), () => browser?.close(), () => n8n?.dispose(), () => pack?.dispose()]);
	} finally {
		if (editor?.pageErrors.length) console.warn(`Uncaught errors in the editor page:\n${editor.pageErrors.join('\n')}`);
		console.log(`browser e2e timings: ${timings.join(', ')}`);
	}
}, 60_000);

const matching = (term: string) => nodes.filter((node) => node.displayName.toLowerCase().includes(term.toLowerCase())).map((node) => node.type);
const ours = (items: PanelItem[]) => items.filter((item) => item.type.startsWith(`${PACKAGE_NAME}.`));

describe(`${PACKAGE_NAME} in the n8n ${N8N_VERSION} editor (headless Chromium)`, () => {
	it('the node panel lists the package nodes, with their icons, for "IFS Cloud" and "Amazon Seller Central"', async () => {
		await timed('node panel', async () => {
			const page = editor!;
			await page.openWorkflow(PANEL_WORKFLOW.id, PANEL_WORKFLOW.nodes.length);
			const seen = new Map<string, PanelItem>();

			const search = async (term: string, required: string[]) => {
				const listed = ours(await page.searchNodePanel(term));
				if (!listed.length) throw new Error(`The node panel lists no ${PACKAGE_NAME} node for "${term}"`);
				const found = new Map(listed.map((item) => [item.type, item]));
				// A node and its trigger are one entry ("IFS Cloud" holds ifsCloud's actions and ifsCloudTrigger):
				// open each such entry and collect the nodes inside.
				for (const entry of listed.filter((item) => item.kind === 'node-creator-action-item')) {
					await page.closeNodePanel();
					await page.searchNodePanel(term);
					for (const inner of ours(await page.expandPanelEntry(entry.name, required.filter((type) => !found.has(type))))) found.set(inner.type, inner);
				}
				await page.closeNodePanel();
				await page.searchNodePanel(term);
				const shot = await page.screenshot(`node-panel-${term}`);
				console.log(`node panel "${term}": ${[...found.keys()].join(', ')}\n  screenshot: ${shot}`);
				await page.closeNodePanel();
				expect({ term, types: [...found.keys()] }).toEqual({ term, types: expect.arrayContaining(required) });
				for (const item of listed) {
					expect({ name: item.name, iconSrc: item.iconSrc, iconLoaded: item.iconLoaded }).toEqual({
						name: item.name,
						iconSrc: expect.stringMatching(new RegExp(`^/icons/${PACKAGE_NAME}/dist/nodes/`)),
						iconLoaded: true,
					});
				}
				for (const [type, item] of found) seen.set(type, item);
			};

			for (const [term, pinned] of Object.entries(SEARCH_TERMS)) await search(term, [...new Set([...pinned, ...matching(term)])]);
			// Every node the package declares is reachable in the panel (e.g. "Amazon SQS Notification Trigger").
			for (const node of nodes.filter((candidate) => !seen.has(candidate.type))) await search(node.displayName, [node.type]);
			expect([...seen.keys()].sort()).toEqual(expect.arrayContaining(nodes.map((node) => node.type).sort()));
		});
	});

	it('every template renders each node as a known node (the detector first flags a bogus node)', async () => {
		expect(templates.length).toBeGreaterThan(0);
		const page = editor!;

		// Negative check: the same detector must see the bogus node as unknown, and only it.
		const bogus = await timed('bogus canvas', async () => await page.openWorkflow(BOGUS_WORKFLOW.id, BOGUS_WORKFLOW.nodes.length));
		const shot = await page.screenshot('negative-unknown-node');
		console.log(`negative check (${BOGUS_TYPE}): ${shot}`);
		const verdicts = Object.fromEntries(bogus.map((node: CanvasNode) => [node.type, unknownReasons(node).length > 0]));
		expect(verdicts).toEqual({ 'n8n-nodes-base.manualTrigger': false, [BOGUS_TYPE]: true, 'n8n-nodes-base.noOp': false });
		expect(bogus.find((node) => node.type === BOGUS_TYPE)).toMatchObject({ notInstalled: true, iconPlaceholder: true });
		expect(() => assertKnownNodes(bogus, BOGUS_WORKFLOW)).toThrow(/"Not a real node" \(n8n-nodes-ml-connector\.doesNotExist\) marked "node-not-installed"/);

		const shots: string[] = [];
		const packageTypesDrawn = new Set<string>();
		for (const { file, workflow } of templates) {
			const rendered = await timed(`canvas ${workflow.id}`, async () => await page.openWorkflow(workflow.id, workflow.nodes.length));
			shots.push(`${file}: ${await page.screenshot(`template-${workflow.id}-${workflow.name}`)}`);
			assertKnownNodes(rendered, workflow);
			for (const node of rendered) if (node.type.startsWith(`${PACKAGE_NAME}.`)) packageTypesDrawn.add(node.type);
		}
		console.log(`template screenshots:\n  ${shots.join('\n  ')}`);
		// Our nodes really were on the canvases (a setup template may have none; all of them together must).
		expect(packageTypesDrawn.size).toBeGreaterThan(0);
	});
});

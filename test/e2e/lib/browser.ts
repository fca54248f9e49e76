/**
 * The n8n editor in headless Chromium: Debian's `chromium` (scripts/provision-chromium.sh) driven by
 * playwright-core, which downloads no browser. Not re-exported from ./index, so the other e2e
 * tests and the demo do not load playwright-core.
 *
 *   const browser = await launchChromium();
 *   const editor = await EditorSession.open(browser, n8n.baseUrl);
 *   try {
 *     await editor.signIn(DEFAULT_OWNER);
 *     const items = await editor.searchNodePanel('IFS Cloud');
 *     const nodes = await editor.openWorkflow(id, expectedNodeCount);
 *     assertKnownNodes(nodes);          // throws on any node n8n shows as not installed
 *   } finally {
 *     await editor.close();
 *     await browser.close();
 *   }
 *
 * How n8n 2.41.1 shows a node whose type it does not know (found by importing a workflow with a bogus
 * `n8n-nodes-ml-connector.doesNotExist` node): on the canvas, the node's status icons hold
 * `[data-test-id="node-not-installed"]` (a `hard-drive-download` icon, tooltip "Install the package to
 * use this node"), the icon is a "?" placeholder (CSS-module class `_nodeIconPlaceholder_…`) and the
 * node has no input/output handles; its detail view says "Install this node to use it". A known node
 * has an icon (`img` for a package's file icon, served under /icons/<package>/…, or an `svg[data-icon]`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

import type { CredentialJson, WorkflowJson } from './n8n';
import { PACKAGE_NAME, REPO_ROOT } from './paths';
import type { Owner } from './rest';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** Every template under here (any depth) is imported and opened by the browser test. */
export const TEMPLATES_ROOT = path.join(REPO_ROOT, 'workflows-templates');
/** Screenshots (git-ignored: .cache/). MLC_E2E_SCREENSHOTS moves them. */
export const SCREENSHOT_DIR = path.resolve(REPO_ROOT, process.env.MLC_E2E_SCREENSHOTS || path.join('.cache', 'screenshots', 'browser-e2e'));

/** Bounds for every browser wait (a loaded 2-core machine is slow to paint the editor the first time). */
export const BROWSER_TIMEOUTS = {
	launch: 60_000,
	navigation: 60_000,
	action: 15_000,
	/** The editor's canvas or search results settling after a navigation or a keystroke. */
	settle: 30_000,
} as const;

/** The Chromium binary: MLC_E2E_CHROMIUM, else Debian's. Throws with the fix when it is missing. */
export function chromiumExecutable(): string {
	const executable = process.env.MLC_E2E_CHROMIUM || DEFAULT_CHROMIUM;
	if (fs.existsSync(executable)) return executable;
	const setupError = process.env.MLC_E2E_CHROMIUM_ERROR ? `\nThe e2e global setup reported: ${process.env.MLC_E2E_CHROMIUM_ERROR}` : '';
	throw new Error(`Chromium not found at ${executable}: run "bash scripts/provision-chromium.sh" (as root), or set MLC_E2E_CHROMIUM=<path>${setupError}`);
}

/** Headless Chromium; `--no-sandbox` when running as root (containers, CI), no /dev/shm reliance. */
export async function launchChromium(executablePath = chromiumExecutable()): Promise<Browser> {
	const args = ['--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--no-default-browser-check'];
	if (process.getuid?.() === 0) args.push('--no-sandbox');
	return await chromium.launch({ executablePath, headless: true, args, timeout: BROWSER_TIMEOUTS.launch });
}

// ---------------------------------------------------------------------------------------------
// The package and its templates

export interface PackageNode {
	/** Full node type as n8n knows it: `n8n-nodes-ml-connector.<name>`. */
	type: string;
	displayName: string;
	file: string;
}

/** The nodes package.json's `n8n.nodes` names, read from the built dist/ (run `npm run build` first). */
export function packageNodes(root = REPO_ROOT): PackageNode[] {
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
	return manifest.n8n.nodes.map((file) => {
		const loaded = require(path.join(root, file)) as Record<string, unknown>;
		for (const exported of Object.values(loaded)) {
			if (typeof exported !== 'function') continue;
			const instance = new (exported as new () => { description?: { name: string; displayName: string } })();
			if (instance.description?.name) return { type: `${PACKAGE_NAME}.${instance.description.name}`, displayName: instance.description.displayName, file };
		}
		throw new Error(`${file} exports no node class with a description`);
	});
}

/** Every workflow JSON under `root` (recursively, sorted by path); each must carry a fixed id. */
export function loadTemplateTree(root = TEMPLATES_ROOT): Array<{ file: string; workflow: WorkflowJson }> {
	const found: Array<{ file: string; workflow: WorkflowJson }> = [];
	const walk = (folder: string) => {
		for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
			const full = path.join(folder, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.isFile() && entry.name.endsWith('.json')) {
				const workflow = JSON.parse(fs.readFileSync(full, 'utf8')) as WorkflowJson;
				const file = path.relative(REPO_ROOT, full);
				if (!Array.isArray(workflow.nodes)) throw new Error(`${file} is not a workflow (no "nodes" array)`);
				if (typeof workflow.id !== 'string' || !workflow.id) throw new Error(`${file} has no fixed "id": the editor could not be pointed at it after import`);
				found.push({ file, workflow });
			}
		}
	};
	walk(root);
	return found;
}

/**
 * One credential per (id) the workflows reference, with empty data: enough for n8n to link the
 * nodes to a credential of the right type (nothing here is executed).
 */
export function placeholderCredentials(workflows: WorkflowJson[]): CredentialJson[] {
	const byId = new Map<string, CredentialJson>();
	for (const workflow of workflows) {
		for (const node of workflow.nodes) {
			const credentials = (node.credentials ?? {}) as Record<string, { id?: string; name?: string }>;
			for (const [type, reference] of Object.entries(credentials)) {
				if (!reference?.id || byId.has(reference.id)) continue;
				byId.set(reference.id, { id: reference.id, name: reference.name ?? `${type} (placeholder)`, type, data: {} });
			}
		}
	}
	return [...byId.values()];
}

export const STICKY_NOTE_TYPE = 'n8n-nodes-base.stickyNote';

// ---------------------------------------------------------------------------------------------
// What the editor shows

/** A node on the canvas as rendered (sticky notes are not canvas nodes). */
export interface CanvasNode {
	name: string;
	type: string;
	/** `[data-test-id="node-not-installed"]` inside the node: n8n does not know its type. */
	notInstalled: boolean;
	/** The "?" icon placeholder n8n draws for a type without a description. */
	iconPlaceholder: boolean;
	icon: { kind: 'img' | 'svg' | 'none'; src?: string; loaded: boolean };
}

/** Why a rendered node is not a known, installed node (empty: it is known). */
export function unknownReasons(node: CanvasNode): string[] {
	const reasons: string[] = [];
	if (node.notInstalled) reasons.push('marked "node-not-installed" (n8n: "Install the package to use this node")');
	if (node.iconPlaceholder) reasons.push('drawn with the "?" icon placeholder');
	else if (node.icon.kind === 'none') reasons.push('has no icon');
	else if (!node.icon.loaded) reasons.push(`icon ${node.icon.src ?? ''} did not load`);
	return reasons;
}

/**
 * Throws unless every rendered node is known and the canvas holds exactly the workflow's nodes
 * (same names and types; sticky notes excluded). Nodes of our package must show our own icon file.
 */
export function assertKnownNodes(rendered: CanvasNode[], workflow: WorkflowJson): void {
	const problems: string[] = [];
	const expected = workflow.nodes.filter((node) => node.type !== STICKY_NOTE_TYPE);
	for (const node of expected) {
		const shown = rendered.find((candidate) => candidate.name === node.name);
		if (!shown) problems.push(`"${node.name}" (${node.type}) is not on the canvas`);
		else if (shown.type !== node.type) problems.push(`"${node.name}" shows type ${shown.type}, the workflow says ${node.type}`);
	}
	for (const node of rendered) {
		if (!expected.some((candidate) => candidate.name === node.name)) problems.push(`"${node.name}" is on the canvas but not in the workflow`);
		for (const reason of unknownReasons(node)) problems.push(`"${node.name}" (${node.type}) ${reason}`);
		if (node.type.startsWith(`${PACKAGE_NAME}.`) && !node.notInstalled && !(node.icon.kind === 'img' && node.icon.src?.startsWith(`/icons/${PACKAGE_NAME}/`))) {
			problems.push(`"${node.name}" (${node.type}) does not show the package's icon (${node.icon.kind} ${node.icon.src ?? ''})`);
		}
	}
	if (problems.length) throw new Error(`Workflow ${workflow.id} ("${workflow.name}") does not render as known nodes:\n - ${problems.join('\n - ')}`);
}

/** An entry of the node panel's result list. */
export interface PanelItem {
	/** Node type (from the entry's keyboard-navigation id, a type plus a UUID). */
	type: string;
	name: string;
	/** `node` (a search result) or `action` (inside an opened entry). */
	navType: string;
	/** `node-creator-node-item` (a plain node) or `node-creator-action-item` (a node with actions). */
	kind: string;
	iconSrc?: string;
	iconLoaded: boolean;
}

export function fileSafe(text: string): string {
	return text.replace(/[^a-z0-9._-]+/gi, '-').replace(/^-+|-+$/g, '').slice(0, 80);
}

const NODE_CREATOR = '[data-test-id="node-creator"]';
/** Node entries: `node` in the search results, `action` inside an opened entry (a node's actions and triggers). */
const PANEL_ITEMS = ['node', 'action'].map((kind) => `${NODE_CREATOR} [data-test-id="item-iterator-item"][data-keyboard-nav-type="${kind}"]`).join(', ');

/** A logged-in editor tab. Every wait is bounded by BROWSER_TIMEOUTS. */
export class EditorSession {
	readonly context: BrowserContext;
	readonly page: Page;
	readonly baseUrl: string;
	/** Uncaught page errors, for diagnostics. */
	readonly pageErrors: string[] = [];

	private constructor(context: BrowserContext, page: Page, baseUrl: string) {
		this.context = context;
		this.page = page;
		this.baseUrl = baseUrl;
	}

	static async open(browser: Browser, baseUrl: string): Promise<EditorSession> {
		const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1440, height: 900 }, locale: 'en-US', timezoneId: 'UTC' });
		context.setDefaultTimeout(BROWSER_TIMEOUTS.action);
		context.setDefaultNavigationTimeout(BROWSER_TIMEOUTS.navigation);
		const page = await context.newPage();
		const session = new EditorSession(context, page, baseUrl);
		page.on('pageerror', (error) => session.pageErrors.push(error.message));
		return session;
	}

	/** Signs in through n8n's sign-in form; the session cookie then stays in this context. */
	async signIn(owner: Owner): Promise<void> {
		const page = this.page;
		await page.goto('/signin');
		await page.locator('[data-test-id="emailOrLdapLoginId"] input').fill(owner.email);
		await page.locator('[data-test-id="password"] input').fill(owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: BROWSER_TIMEOUTS.navigation });
		const cookies = await this.context.cookies(this.baseUrl);
		if (!cookies.some((cookie) => cookie.name === 'n8n-auth')) throw new Error(`Signed in as ${owner.email}, but no n8n-auth cookie was set (now at ${page.url()})`);
	}

	/**
	 * Opens a saved workflow's canvas and waits until `expectedNodes` nodes (sticky notes included)
	 * are drawn and every node has its final look (an icon, or n8n's placeholder) with images loaded.
	 */
	async openWorkflow(workflowId: string, expectedNodes: number): Promise<CanvasNode[]> {
		const page = this.page;
		await page.goto(`/workflow/${workflowId}`);
		await page.locator('[data-test-id="canvas-wrapper"]').waitFor({ timeout: BROWSER_TIMEOUTS.navigation });
		try {
			await page.waitForFunction(
				(count) => {
					const all = document.querySelectorAll('.vue-flow__node');
					if (all.length !== count) return false;
					return Array.from(document.querySelectorAll('[data-test-id="canvas-node"]')).every((node) => {
						const icon = node.querySelector('.n8n-node-icon');
						if (!icon) return false;
						const images = Array.from(icon.querySelectorAll('img'));
						return images.every((image) => image.complete) && !!icon.querySelector('img, svg[data-icon], [class*="nodeIconPlaceholder"]');
					});
				},
				expectedNodes,
				{ timeout: BROWSER_TIMEOUTS.settle, polling: 200 },
			);
		} catch (error) {
			const drawn = await page.locator('.vue-flow__node').count().catch(() => -1);
			throw new Error(`Workflow ${workflowId}: the canvas did not settle on ${expectedNodes} nodes (drawn: ${drawn}, at ${page.url()}): ${(error as Error).message}`);
		}
		return await this.canvasNodes();
	}

	/** The nodes currently on the canvas, as rendered. */
	async canvasNodes(): Promise<CanvasNode[]> {
		return await this.page.locator('[data-test-id="canvas-node"]').evaluateAll((elements) =>
			elements.map((element) => {
				const icon = element.querySelector('.n8n-node-icon');
				const image = icon?.querySelector<HTMLImageElement>('img') ?? null;
				const svg = icon?.querySelector('svg[data-icon]') ?? null;
				return {
					name: element.getAttribute('data-node-name') ?? '',
					type: element.getAttribute('data-node-type') ?? '',
					notInstalled: !!element.querySelector('[data-test-id="node-not-installed"]'),
					iconPlaceholder: !!icon?.querySelector('[class*="nodeIconPlaceholder"]'),
					icon: image
						? { kind: 'img' as const, src: image.getAttribute('src') ?? undefined, loaded: image.complete && image.naturalWidth > 0 }
						: svg
							? { kind: 'svg' as const, src: svg.getAttribute('data-icon') ?? undefined, loaded: true }
							: { kind: 'none' as const, loaded: false },
				};
			}),
		);
	}

	/** Opens the node panel with the canvas's "+" button (a no-op when it is open). */
	async openNodePanel(): Promise<void> {
		const panel = this.page.locator(NODE_CREATOR);
		if (await panel.isVisible()) return;
		await this.page.locator('[data-test-id="node-creator-plus-button"]').click();
		await this.page.locator('[data-test-id="node-creator-search-bar"]').waitFor({ timeout: BROWSER_TIMEOUTS.settle });
	}

	async closeNodePanel(): Promise<void> {
		const panel = this.page.locator(NODE_CREATOR);
		for (let attempt = 0; attempt < 3 && (await panel.isVisible()); attempt++) await this.page.keyboard.press('Escape');
		await panel.waitFor({ state: 'hidden', timeout: BROWSER_TIMEOUTS.action });
	}

	/**
	 * Types `term` into the node panel's search and returns the node entries listed. Waits (bounded)
	 * until every type in `expectTypes` is listed; returns what is there when that does not happen.
	 */
	async searchNodePanel(term: string, expectTypes: string[] = []): Promise<PanelItem[]> {
		await this.openNodePanel();
		await this.page.locator('[data-test-id="node-creator-search-bar"]').fill(term);
		await this.waitForPanelTypes(expectTypes);
		return await this.panelItems();
	}

	/**
	 * Clicks the listed entry named `name` (a node with actions, e.g. "IFS Cloud" grouping the node and
	 * its trigger), expands its collapsed categories (Triggers) and returns every node entry inside.
	 */
	async expandPanelEntry(name: string, expectTypes: string[] = []): Promise<PanelItem[]> {
		const page = this.page;
		const entry = page.locator(PANEL_ITEMS).filter({ has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
		await entry.first().click();
		const categories = page.locator(`${NODE_CREATOR} [data-test-id="node-creator-category-item"]`);
		await categories.first().waitFor({ timeout: BROWSER_TIMEOUTS.settle });
		// n8n draws an expanded category with a chevron-down, a collapsed one with a chevron-up.
		const count = await categories.count();
		for (let index = 0; index < count; index++) {
			const category = categories.nth(index);
			if ((await category.locator('svg[data-icon="chevron-down"]').count()) === 0) {
				await category.click();
				await category.locator('svg[data-icon="chevron-down"]').waitFor({ timeout: BROWSER_TIMEOUTS.action });
			}
		}
		await this.waitForPanelTypes(expectTypes);
		return await this.panelItems();
	}

	/** The listed node entries, once their icons have finished loading (bounded wait). */
	async panelItems(): Promise<PanelItem[]> {
		await this.page
			.waitForFunction(
				(selector) => Array.from(document.querySelectorAll<HTMLImageElement>(selector)).every((image) => image.complete),
				PANEL_ITEMS.split(', ').map((item) => `${item} img`).join(', '),
				{ timeout: BROWSER_TIMEOUTS.settle, polling: 200 },
			)
			.catch(() => undefined); // an icon that never loads is reported by the caller's assertion
		return await this.page.locator(PANEL_ITEMS).evaluateAll((elements) =>
			elements.map((element) => {
				const image = element.querySelector<HTMLImageElement>('.n8n-node-icon img');
				return {
					type: (element.getAttribute('data-keyboard-nav-id') ?? '').replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, ''),
					name: element.querySelector('[data-test-id="node-creator-item-name"]')?.textContent?.trim() ?? '',
					navType: element.getAttribute('data-keyboard-nav-type') ?? '',
					kind: element.querySelector('[data-test-id^="node-creator-"][data-test-id$="-item"]')?.getAttribute('data-test-id') ?? '',
					iconSrc: image?.getAttribute('src') ?? undefined,
					iconLoaded: !!image && image.complete && image.naturalWidth > 0,
				};
			}),
		);
	}

	/** Until every type in `expectTypes` is listed (none given: any node of our package); bounded. */
	private async waitForPanelTypes(expectTypes: string[]): Promise<void> {
		await this.page
			.waitForFunction(
				({ selector, types, prefix }) => {
					const listed = Array.from(document.querySelectorAll(selector)).map((element) => element.getAttribute('data-keyboard-nav-id') ?? '');
					if (!types.length) return listed.some((id) => id.startsWith(prefix));
					return types.every((type) => listed.some((id) => id.startsWith(`${type}-`)));
				},
				{ selector: PANEL_ITEMS, types: expectTypes, prefix: `${PACKAGE_NAME}.` },
				{ timeout: BROWSER_TIMEOUTS.settle, polling: 200 },
			)
			.catch(() => undefined); // the caller's assertion names what is missing
	}

	/** A full-page screenshot into SCREENSHOT_DIR; returns its path. */
	async screenshot(name: string): Promise<string> {
		fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
		const file = path.join(SCREENSHOT_DIR, `${fileSafe(name)}.png`);
		await this.page.screenshot({ path: file, timeout: BROWSER_TIMEOUTS.action });
		return file;
	}

	async close(): Promise<void> {
		await this.context.close();
	}
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The IFS Cloud ⇄ Amazon Seller Central templates in a REAL n8n 2.41.1, as a user runs them: the
 * packed package installed as a community package, the five templates imported as shipped, the
 * data tables created by the setup template, and every run started like the editor's "Execute
 * workflow" button (REST, with the manual trigger chosen). IFS is the IFS sandbox; Amazon is the
 * SP-API sandbox behind a man-in-the-middle HTTPS proxy, so n8n calls the real Amazon host names.
 *
 * What must hold (issue 5): every Amazon order exists once in IFS with its lines and a second run
 * changes nothing; an order with an unmapped SKU waits in the error queue and the replay clears it
 * once the SKU is mapped; Amazon quantities equal IFS availability for mapped parts; each
 * settlement journal is posted once, balanced, equal to the report's deposit.
 */
import { INVENTORY_KEYS } from '../sandbox/ifs';
import { type RemoteIfsSandbox, spawnIfsSandbox } from '../sandbox/ifs/process';
import { type SpApiSandbox, startSpApiSandbox } from '../sandbox/spapi';
import { mfnQuantities } from '../sandbox/spapi/listings';
import { amazonHostRoutes } from '../sandbox/spapi/relay';
import { type MitmProxy, startMitmProxy } from './lib/mitm';
import {
	DataTables,
	ERROR_QUEUE_TABLE,
	IFS_AMAZON,
	N8nInstance,
	N8nRest,
	type PackedPackage,
	SKU_MAP_TABLE,
	amazonCredential,
	describeRun,
	editNode,
	ifsCredential,
	itemsOf,
	loadIfsAmazonTemplates,
	packRepository,
	runTemplate,
	settledTriggerRuns,
	stopAll,
	waitFor,
} from './lib';

const SITE = 'S100';
const US = 'ATVPDKIKX0DER';
const DAY = 86_400_000;
const SETTLEMENT = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
/** Currencies the IFS sandbox keeps (a journal in another is refused and waits in the queue). */
const IFS_CURRENCIES = new Set(['SEK', 'EUR', 'USD', 'GBP', 'NOK', 'DKK', 'CHF', 'JPY']);
const SHIPPABLE = new Set(['Unshipped', 'PartiallyShipped', 'Shipped']);

let ifs: RemoteIfsSandbox | undefined;
let amazon: SpApiSandbox | undefined;
let mitm: MitmProxy | undefined;
let pack: PackedPackage | undefined;
let n8n: N8nInstance | undefined;
let rest: N8nRest;
let tables: DataTables;
/** What `n8n import:workflow` printed for the templates. */
let importOutput = '';
/** A SKU the orders test mapped to an IFS sales part. */
let mappedSku = '';

/** The orders the template's backfill takes: updated in the last 7 days, at least 2 minutes ago, shippable. */
function expectedOrders() {
	const now = Date.now();
	return amazon!
		.data.orders(amazon!.credentials('na').sellerId)
		.filter((order) => order.marketplaceId === US && order.lastUpdateDate >= now - 7 * DAY + 60_000 && order.lastUpdateDate <= now - 3 * 60_000 && SHIPPABLE.has(order.status));
}

async function ifsOrdersByReference(): Promise<Map<string, Array<Record<string, unknown>>>> {
	const byReference = new Map<string, Array<Record<string, unknown>>>();
	for (const row of await ifs!.rows('CustomerOrderHandling', 'CustomerOrderSet')) {
		const reference = String(row.CustomerPoNo ?? '');
		byReference.set(reference, [...(byReference.get(reference) ?? []), row]);
	}
	return byReference;
}

beforeAll(async () => {
	try {
		ifs = await spawnIfsSandbox({});
		amazon = await startSpApiSandbox({ ordersPerSeller: 200, timeScale: 10 });
		mitm = await startMitmProxy({ routes: amazonHostRoutes(amazon) });
		pack = await packRepository();
		n8n = await N8nInstance.create({ env: mitm.env() });
		await n8n.installPackage(pack.tarball);
		// Amazon.com only: IFS in the sandbox keeps USD and EUR, not CAD or MXN.
		await n8n.importCredentials([ifsCredential(ifs), amazonCredential({ authorizations: [amazon.credentials('na')] }, { overrides: { marketplaceIds: [US] } })]);
		const imported = await n8n.importWorkflows(loadIfsAmazonTemplates());
		importOutput = `${imported.stdout}\n${imported.stderr}`;
		await n8n.start();
		rest = await N8nRest.asNewOwner(n8n.baseUrl);
		tables = new DataTables(rest);
	} catch (error) {
		if (n8n) console.error(`n8n logs in ${n8n.logDir}\n${n8n.serverOutput().slice(-4000)}`);
		throw error;
	}
}, 420_000);

afterAll(async () => {
	await stopAll([() => n8n?.dispose(), () => mitm?.close(), () => amazon?.close(), () => ifs?.close(), () => pack?.dispose()]);
}, 60_000);

describe('IFS Cloud ⇄ Amazon Seller Central templates in n8n 2.41.1', () => {
	it('the templates import without warnings, and every node type they use is known to n8n, ours from this package', async () => {
		expect(importOutput).toMatch(/Successfully imported 5 workflows/);
		// n8n's own database migrations talk on a first start; nothing else may.
		const remarks = importOutput.split('\n').filter((line) => line.trim() && !/migration|^\[\w+\d{10,}\]|workflow:publish scope|^Importing \d+ workflows|^Successfully imported/i.test(line));
		expect(remarks).toEqual([]);
		const known = new Set((await rest.call<Array<{ name: string }>>('GET', '/types/nodes.json')).map((node) => node.name));
		const used = new Set(loadIfsAmazonTemplates().flatMap((workflow) => workflow.nodes.map((node) => String(node.type))));
		for (const type of used) {
			expect(type).toMatch(/^(n8n-nodes-base|n8n-nodes-ml-connector)\./);
			expect(known.has(type)).toBe(true);
		}
		expect([...used].filter((type) => type.startsWith('n8n-nodes-ml-connector.')).sort()).toEqual([
			'n8n-nodes-ml-connector.amazonSellerCentral',
			'n8n-nodes-ml-connector.amazonSellerCentralSqsTrigger',
			'n8n-nodes-ml-connector.amazonSellerCentralTrigger',
			'n8n-nodes-ml-connector.ifsCloud',
		]);
	});

	it('the setup template creates the error queue and the SKU map, and a second run reuses them', async () => {
		await runTemplate(rest, 'setup');
		await runTemplate(rest, 'setup');
		const names = await tables.locate();
		expect(names.filter((name) => name.startsWith('mlc_')).sort()).toEqual([ERROR_QUEUE_TABLE, SKU_MAP_TABLE]);
	});

	it('Amazon orders → IFS: every order once with its lines; an unmapped SKU waits in the queue until replayed', async () => {
		const orders = expectedOrders();
		expect(orders.length).toBeGreaterThan(3);
		const skus = [...new Set(orders.flatMap((order) => order.items.map((item) => item.sku)))];
		const salesParts = (await ifs!.rows('SalesPartHandling', 'SalesPartSet')).filter((row) => row.Contract === SITE).map((row) => String(row.CatalogNo));
		expect(salesParts.length).toBeGreaterThanOrEqual(skus.length);
		const catalogOf = new Map(skus.map((sku, index) => [sku, salesParts[index]]));
		// One SKU is left out of the map: its orders must wait in the error queue.
		const missing = orders.find((order) => order.items.length === 1)?.items[0].sku ?? skus[0];
		mappedSku = skus.find((sku) => sku !== missing)!;
		await tables.insert(SKU_MAP_TABLE, skus.filter((sku) => sku !== missing).map((sku) => ({ sku, catalogNo: catalogOf.get(sku), partNo: '' })));

		await runTemplate(rest, 'orders');
		const blocked = orders.filter((order) => order.items.some((item) => item.sku === missing && item.quantity > 0));
		const created = await ifsOrdersByReference();
		for (const order of orders) {
			const rows = created.get(order.amazonOrderId) ?? [];
			if (blocked.includes(order)) expect(rows).toHaveLength(0);
			else expect(rows).toHaveLength(1);
		}
		const queue = await tables.rows(ERROR_QUEUE_TABLE);
		expect(queue.map((row) => row.sourceId).sort()).toEqual(blocked.map((order) => order.amazonOrderId).sort());
		expect(queue.every((row) => row.stage === 'SKU mapping' && String(row.error).includes(missing) && row.workflowId === IFS_AMAZON.orders.id)).toBe(true);

		// Lines: one per ordered item with quantity, on the mapped sales part.
		const lines = await ifs!.rows('CustomerOrderHandling', 'CustomerOrderLineSet');
		const done = orders.filter((order) => !blocked.includes(order));
		for (const order of done.slice(0, 10)) {
			const [header] = created.get(order.amazonOrderId)!;
			const orderLines = lines.filter((line) => line.OrderNo === header.OrderNo);
			const wanted = order.items.filter((item) => item.quantity > 0);
			expect(orderLines.map((line) => line.CatalogNo).sort()).toEqual(wanted.map((item) => catalogOf.get(item.sku)).sort());
		}

		// A second run creates nothing: every order is found by its Amazon order id.
		const before = (await ifs!.rows('CustomerOrderHandling', 'CustomerOrderSet')).length;
		const second = await runTemplate(rest, 'orders');
		expect((await ifs!.rows('CustomerOrderHandling', 'CustomerOrderSet')).length).toBe(before);
		expect(itemsOf(second, 'Create IFS order once').every((item) => (item._trace as { action: string }).action === 'found')).toBe(true);

		// The SKU gets its mapping; the replay hands the queued orders back and the queue empties.
		await tables.insert(SKU_MAP_TABLE, [{ sku: missing, catalogNo: catalogOf.get(missing), partNo: '' }]);
		await runTemplate(rest, 'replay');
		await waitFor('the error queue to empty', async () => ((await tables.rows(ERROR_QUEUE_TABLE)).length === 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
		const after = await ifsOrdersByReference();
		for (const order of orders) expect(after.get(order.amazonOrderId) ?? []).toHaveLength(1);
	});

	it('with buyer data on, an Amazon Business order gets its own IFS customer per buying company; consumers stay on the marketplace customer', async () => {
		const sellerId = amazon!.credentials('na').sellerId;
		// Placed 10 and last updated 5 minutes ago: inside the backfill's window (which ends 2 minutes ago, Amazon's rule).
		const place = (isBusiness: boolean, quantity: number) => {
			const added = amazon!.data.addOrder({ sellerId, marketplaceId: US, purchaseDate: Date.now() - 10 * 60_000, status: 'Unshipped', fulfillmentChannel: 'MFN', isBusiness, items: [{ sku: mappedSku, quantity }] });
			return amazon!.data.updateOrder(added.amazonOrderId, { lastUpdateDate: Date.now() - 5 * 60_000 });
		};
		const business = place(true, 3);
		const consumer = place(false, 1);
		const company = business.buyer.companyName!;
		expect(company).toBeTruthy();
		await editNode(rest, IFS_AMAZON.orders.id, 'Get recent Amazon orders', (parameters) => {
			parameters.includePersonalData = true;
		});
		try {
			const first = await runTemplate(rest, 'orders');
			const orders = await ifsOrdersByReference();
			const [businessOrder] = orders.get(business.amazonOrderId) ?? [];
			const [consumerOrder] = orders.get(consumer.amazonOrderId) ?? [];
			expect([orders.get(business.amazonOrderId)?.length, orders.get(consumer.amazonOrderId)?.length]).toEqual([1, 1]);
			expect(String(businessOrder?.CustomerNo)).toMatch(/^AMZB-[0-9A-F]{15}$/);
			expect(consumerOrder?.CustomerNo).toBe('AMZ-US');
			const customers = await ifs!.rows('CustomerHandling', 'CustomerInfoSet');
			expect(customers.filter((row) => row.CustomerId === businessOrder.CustomerNo).map((row) => row.Name)).toEqual([company]);
			// Every business order of that company in the run went to the same customer, created once.
			const sameCompany = itemsOf(first, 'Map to IFS order').filter((item) => item.customerName === company);
			expect(new Set(sameCompany.map((item) => item.customerNo))).toEqual(new Set([businessOrder.CustomerNo]));

			// A second run finds both orders and creates no customer.
			const second = await runTemplate(rest, 'orders');
			expect((await ifs!.rows('CustomerHandling', 'CustomerInfoSet')).length).toBe(customers.length);
			const traces = itemsOf(second, 'Create IFS order once').map((item) => item._trace as { action: string; source: { id: string } });
			const ours = traces.filter((trace) => [business.amazonOrderId, consumer.amazonOrderId].includes(trace.source.id));
			expect(ours.map((trace) => trace.action)).toEqual(['found', 'found']);
		} finally {
			await editNode(rest, IFS_AMAZON.orders.id, 'Get recent Amazon orders', (parameters) => {
				delete parameters.includePersonalData;
			});
		}
		// Buyer data off again: the order now maps to the marketplace customer, and is still found by its Amazon order id.
		await runTemplate(rest, 'orders');
		const after = await ifsOrdersByReference();
		expect([after.get(business.amazonOrderId)?.length, after.get(consumer.amazonOrderId)?.length]).toEqual([1, 1]);
		expect(after.get(business.amazonOrderId)![0].CustomerNo).toMatch(/^AMZB-/);
	});

	it('IFS inventory → Amazon: merchant-fulfilled quantities equal IFS availability of the mapped parts; a quantity Amazon rejects waits in the queue until replayed', async () => {
		const sellerId = amazon!.credentials('na').sellerId;
		const mfn = amazon!.data.listings(sellerId).filter((listing) => mfnQuantities(listing).size > 0).slice(0, 8);
		expect(mfn.length).toBeGreaterThan(3);
		const stock = await ifs!.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet');
		const parts = [...new Set(stock.map((row) => String(row.PartNo)))].slice(0, mfn.length);
		const available = (part: string) => Math.max(0, Math.floor(stock.filter((row) => row.PartNo === part).reduce((sum, row) => sum + Number(row.AvailableQty ?? 0), 0)));
		// One more SKU is mapped before its listing exists on Amazon: the feed rejects its message.
		const unlisted = 'MLC-NOT-YET-LISTED-1';
		amazon!.data.removeListing(unlisted, sellerId);
		await tables.insert(SKU_MAP_TABLE, [...mfn.map((listing, index) => ({ sku: listing.sku, partNo: parts[index], catalogNo: '' })), { sku: unlisted, partNo: parts[0], catalogNo: '' }]);

		const execution = await runTemplate(rest, 'inventory');
		const results = itemsOf(execution, 'Send quantities to Amazon (one feed)');
		expect(results.map((item) => item.sku).sort()).toEqual(mfn.map((listing) => listing.sku).sort());
		await waitFor(
			'Amazon to apply the feed',
			async () => (mfn.every((listing, index) => [...mfnQuantities(amazon!.data.listing(listing.sku, sellerId)).values()][0] === available(parts[index])) ? true : undefined),
			{ timeoutMs: 60_000, intervalMs: 500 },
		);
		// The rejected SKU went through the error output into the queue, with Amazon's own words.
		const queued = (await tables.rows(ERROR_QUEUE_TABLE)).filter((row) => row.workflowId === IFS_AMAZON.inventory.id);
		expect(queued.map((row) => row.sourceId)).toEqual([unlisted]);
		expect(queued[0]).toMatchObject({ stage: 'Amazon listing quantity', targetSystem: 'Amazon Seller Central', targetId: unlisted });
		expect(String(queued[0].error)).toContain(unlisted);
		expect(JSON.parse(String(queued[0].payload))).toMatchObject({ sku: unlisted, partNo: parts[0] });
		expect(amazon!.data.listing(unlisted, sellerId)).toBeUndefined();

		// The seller creates the listing; the replay sends the SKU's current quantity and clears the row.
		amazon!.data.setListing(unlisted, { quantity: 0 }, sellerId);
		await runTemplate(rest, 'replay');
		await waitFor('the error queue to empty', async () => ((await tables.rows(ERROR_QUEUE_TABLE)).length === 0 ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 });
		await waitFor(
			'Amazon to apply the replayed quantity',
			async () => ([...mfnQuantities(amazon!.data.listing(unlisted, sellerId)).values()][0] === available(parts[0]) ? true : undefined),
			{ timeoutMs: 60_000, intervalMs: 500 },
		);

		// Nothing changed in IFS: the next run sends nothing.
		const again = await runTemplate(rest, 'inventory');
		expect(itemsOf(again, 'Send quantities to Amazon (one feed)')).toHaveLength(0);
	});

	it('activated, the inventory schedule (every 10 s here instead of daily) sends the one quantity that changed in IFS, and nothing else', async () => {
		const sellerId = amazon!.credentials('na').sellerId;
		const listed = (sku: string) => mfnQuantities(amazon!.data.listing(sku, sellerId)).size > 0;
		const map = (await tables.rows(SKU_MAP_TABLE)).filter((row) => row.partNo && listed(String(row.sku)));
		expect(map.length).toBeGreaterThan(3);
		const part = String(map[1].partNo);
		const skusOfPart = map.filter((row) => row.partNo === part).map((row) => String(row.sku));
		const stockOf = async () => (await ifs!.rows('InventoryPartInStockHandling', 'InventoryPartInStockSet')).filter((row) => row.PartNo === part);
		const [row] = await stockOf();
		// Goods arrive in IFS: seven more available on one stock row of the part.
		await ifs!.update('InventoryPartInStockHandling', 'InventoryPartInStockSet', Object.fromEntries(INVENTORY_KEYS.map((key) => [key, row[key]])), {
			QtyOnhand: Number(row.QtyOnhand) + 7,
			AvailableQty: Number(row.AvailableQty) + 7,
		});
		const wanted = Math.max(0, Math.floor((await stockOf()).reduce((sum, stock) => sum + Number(stock.AvailableQty ?? 0), 0)));
		expect(skusOfPart.every((sku) => [...mfnQuantities(amazon!.data.listing(sku, sellerId)).values()][0] !== wanted)).toBe(true);

		await editNode(rest, IFS_AMAZON.inventory.id, 'Every day at 05:00', (parameters) => {
			parameters.rule = { interval: [{ field: 'seconds', secondsInterval: 10 }] };
		});
		await rest.activate(IFS_AMAZON.inventory.id);
		const settled = async () => await settledTriggerRuns(rest, IFS_AMAZON.inventory.id);
		try {
			await waitFor('a scheduled run to finish', settled, { timeoutMs: 120_000, intervalMs: 500 });
		} finally {
			await rest.deactivate(IFS_AMAZON.inventory.id);
		}
		const scheduled = await waitFor('the scheduled runs to settle', settled, { timeoutMs: 120_000, intervalMs: 500 });
		expect(scheduled.every((execution) => execution.status === 'success')).toBe(true);
		// Over every scheduled run: each SKU of the changed part sent once, no other SKU at all.
		const sent: unknown[] = [];
		for (const execution of scheduled) sent.push(...itemsOf(await rest.waitForExecution(execution.id), 'Send quantities to Amazon (one feed)').map((item) => item.sku));
		expect(sent.sort()).toEqual([...skusOfPart].sort());
		await waitFor(
			'Amazon to apply the scheduled quantity',
			async () => (skusOfPart.every((sku) => [...mfnQuantities(amazon!.data.listing(sku, sellerId)).values()][0] === wanted) ? true : undefined),
			{ timeoutMs: 60_000, intervalMs: 500 },
		);
	}, 240_000);

	it('Amazon settlements → IFS: an unmapped fee waits in the queue; with its rule added, replay posts one balanced journal per settlement equal to its deposit, once; deposits are reconciled with payment proposals', async () => {
		const sellerId = amazon!.credentials('na').sellerId;
		const sandboxReports = amazon!.data.reports(sellerId).filter((report) => report.reportType === SETTLEMENT);
		const recent = sandboxReports.filter((report) => report.createdTime >= Date.now() - 29 * DAY).map((report) => report.reportId);
		expect(recent.length).toBeGreaterThan(1);
		// Amazon charges a fee the mapping does not know yet: every settlement waits in the queue, nothing is posted.
		type Rules = { rules: Array<Record<string, string>> };
		let shipped: Rules | undefined;
		await editNode(rest, IFS_AMAZON.settlements.id, 'Settlement → journal', (parameters) => {
			shipped = structuredClone(parameters.accountMapping as Rules);
			parameters.accountMapping = { rules: shipped.rules.filter((rule) => rule.amountType !== 'ItemFees') };
		});
		const blocked = await runTemplate(rest, 'settlements');
		expect(itemsOf(blocked, 'Post journal once')).toHaveLength(0);
		// The workflow took the seller's settlement reports of the last 30 days (every recent one among them).
		const listed = itemsOf(blocked, 'List settlement reports').map((item) => String(item.reportId));
		expect(listed).toEqual(expect.arrayContaining(recent));
		const reports = listed.map((id) => sandboxReports.find((report) => report.reportId === id)!);
		expect(reports.every((report) => report !== undefined)).toBe(true);
		// What each report says: its settlement id, deposit and currency (the summary row of the V2 flat file).
		const settlements = new Map(
			reports.map((report) => {
				const [header, summary] = amazon!.data.documentText(report.reportDocumentId!).split('\n');
				const value = (column: string) => summary.split('\t')[header.split('\t').indexOf(column)];
				return [value('settlement-id'), { reportId: report.reportId, total: value('total-amount'), currency: value('currency') }];
			}),
		);
		const postable = [...settlements].filter(([, settlement]) => IFS_CURRENCIES.has(settlement.currency));
		expect(postable.length).toBeGreaterThan(1);
		const waiting = (await tables.rows(ERROR_QUEUE_TABLE)).filter((row) => row.stage === 'Settlement journal');
		expect(waiting.map((row) => row.sourceId).sort()).toEqual(reports.map((report) => report.reportId).sort());
		expect(waiting.every((row) => /no account mapping for .*ItemFees/.test(String(row.error)) && /mapping rule/.test(String(row.description)))).toBe(true);

		// IFS payment proposals for two settlements: one for the exact deposit, one a cent off.
		const [[matchedId, matched], [differentId, different]] = postable;
		const proposal = (id: number, settlementId: string, amount: number, currency: string) =>
			ifs!.insert('PaymentProposalHandling', 'PaymentProposalSet', {
				Company: '10',
				ProposalId: id,
				Description: `Amazon settlement ${settlementId}`,
				ProposalDate: new Date().toISOString().slice(0, 10),
				CurrencyCode: currency,
				TotalAmount: amount,
				Objstate: 'Created',
			});
		await proposal(901, matchedId, Number(matched.total), matched.currency);
		await proposal(902, differentId, Math.round(Number(different.total) * 100 + 1) / 100, different.currency);

		// The rule is added back; the replay posts what waited, and the queue keeps only what IFS cannot take.
		await editNode(rest, IFS_AMAZON.settlements.id, 'Settlement → journal', (parameters) => {
			parameters.accountMapping = shipped;
		});
		await runTemplate(rest, 'replay');
		const left = await tables.rows(ERROR_QUEUE_TABLE);
		expect(left.filter((row) => row.stage === 'Settlement journal')).toEqual([]);
		const unpostable = [...settlements].filter(([, settlement]) => !IFS_CURRENCIES.has(settlement.currency)).map(([, settlement]) => settlement.reportId);
		expect(left.filter((row) => row.stage === 'IFS GL journal').map((row) => row.sourceId).sort()).toEqual([...new Set(unpostable)].sort());

		// A run after the replay finds every journal posted: nothing twice. Each balances and its bank line is the deposit.
		const again = await runTemplate(rest, 'settlements');
		const journals = itemsOf(again, 'Settlement → journal');
		const posted = itemsOf(again, 'Post journal once');
		expect(posted.length).toBe(journals.filter((journal) => IFS_CURRENCIES.has(String(journal.currency))).length);
		expect(posted.every((item) => (item._trace as { action: string }).action === 'found')).toBe(true);
		const cents = (value: unknown) => Math.round(Number(value) * 100);
		for (const journal of journals) {
			const lines = journal.lines as Array<{ debit: string; credit: string; account: string }>;
			expect(lines.reduce((sum, line) => sum + cents(line.debit) - cents(line.credit), 0)).toBe(0);
			const bank = lines.filter((line) => line.account === '1930').reduce((sum, line) => sum + cents(line.debit) - cents(line.credit), 0);
			expect(bank).toBe(cents(settlements.get(String(journal.settlementId))!.total));
		}
		const reconciliation = new Map(itemsOf(again, 'Settlement vs payment proposals').map((item) => [String(item.settlementId), item]));
		expect([...reconciliation.keys()].sort()).toEqual(postable.map(([id]) => id).sort());
		expect(reconciliation.get(matchedId)).toMatchObject({ status: 'matched', difference: '0.00', proposalIds: [901] });
		expect(reconciliation.get(differentId)).toMatchObject({ status: 'difference', difference: '-0.01', proposalIds: [902] });
		expect([...reconciliation.values()].filter((item) => item.status === 'no proposal')).toHaveLength(postable.length - 2);
	});

	it('activated, the order trigger polls a new Amazon order into IFS once, next to the orders the backfill created', async () => {
		const added = amazon!.data.addOrder({ marketplaceId: US, purchaseDate: Date.now() - 10 * 60_000, status: 'Unshipped', items: [{ sku: mappedSku, quantity: 2 }] });
		// Last updated 5 minutes ago: past the 2-minute horizon the trigger keeps (Amazon's rule), so the first poll takes it.
		const placed = amazon!.data.updateOrder(added.amazonOrderId, { lastUpdateDate: Date.now() - 5 * 60_000 });
		const before = await ifsOrdersByReference();
		expect(before.has(placed.amazonOrderId)).toBe(false);
		// Poll every minute instead of every 5 (what a user may set too), then activate.
		await editNode(rest, IFS_AMAZON.orders.id, 'New or changed Amazon orders', (parameters) => {
			parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
		});
		await rest.activate(IFS_AMAZON.orders.id);
		try {
			await waitFor('the polled order to reach IFS', async () => ((await ifsOrdersByReference()).get(placed.amazonOrderId)?.length ? true : undefined), { timeoutMs: 180_000, intervalMs: 1000 }).catch(async (error: Error) => {
				const runs = await rest.executions(IFS_AMAZON.orders.id);
				const latest = runs.find((execution) => execution.mode === 'trigger');
				const details = latest ? describeRun(await rest.call('GET', `/rest/executions/${latest.id}`)) : 'no trigger execution';
				throw new Error(`${error.message}\nexecutions: ${JSON.stringify(runs)}\n${details}\n${n8n!.serverOutput().slice(-3000)}`);
			});
			await waitFor('the poll execution to finish', async () => await settledTriggerRuns(rest, IFS_AMAZON.orders.id), { timeoutMs: 60_000, intervalMs: 500 });
		} finally {
			await rest.deactivate(IFS_AMAZON.orders.id);
		}
		const after = await ifsOrdersByReference();
		expect(after.get(placed.amazonOrderId)).toHaveLength(1);
		// The first poll looks back 24 hours: orders the backfill created are found, not created again.
		for (const [reference, rows] of after) if (before.has(reference)) expect(rows).toHaveLength(before.get(reference)!.length);
		const polls = (await rest.executions(IFS_AMAZON.orders.id)).filter((execution) => execution.mode === 'trigger');
		expect(polls.length).toBeGreaterThan(0);
		expect(polls.every((execution) => execution.status === 'success')).toBe(true);
	}, 300_000);
});

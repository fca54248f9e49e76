/**
 * Deterministic demo data: the same `seed` and `inventoryRows` always give the same rows,
 * so tests, demos and benchmarks can rely on exact values. Rows are generated in key order
 * so loading 100 000 inventory rows needs no sort.
 */
import { formatDate, formatDateTimeOffset } from './edm-values';
import type { RowValues } from './model';
import { SITE_COMPANY } from './projections';
import { seedFinance, type FinanceCounts } from './seed-finance';
import { BASE, createRandom, DAY, load, objversionNear, pad, type Entry, type Random } from './seed-kit';
import { seedLogistics, type LogisticsCounts } from './seed-logistics';
import type { Database } from './store';

export interface SeedOptions {
	seed: number;
	inventoryRows: number;
}

export interface SeedCounts extends LogisticsCounts, FinanceCounts {
	customers: number;
	orders: number;
	orderLines: number;
	inventory: number;
	vouchers: number;
}

export { createRandom } from './seed-kit';
export { SALES_PART_COUNT, seededCatalogNo } from './seed-logistics';

/**
 * Fast timestamp formatting for bulk seeding: the day part is cached, the time part is
 * arithmetic. Same output as formatDate / formatDateTimeOffset / formatObjversion.
 */
const dayCache = new Map<number, string>();
function dayText(epochMs: number): string {
	const day = Math.floor(epochMs / DAY);
	let text = dayCache.get(day);
	if (text === undefined) {
		text = formatDate(day * DAY);
		dayCache.set(day, text);
	}
	return text;
}
function timeOfDay(epochMs: number): [string, string, string] {
	const secs = Math.floor((((epochMs % DAY) + DAY) % DAY) / 1000);
	return [pad(Math.floor(secs / 3600), 2), pad(Math.floor(secs / 60) % 60, 2), pad(secs % 60, 2)];
}
function fastDateTimeOffset(epochMs: number): string {
	const [h, m, s] = timeOfDay(epochMs);
	return `${dayText(epochMs)}T${h}:${m}:${s}Z`;
}
function fastObjversion(epochMs: number): string {
	const [h, m, s] = timeOfDay(epochMs);
	return `${dayText(epochMs).replace(/-/g, '')}${h}${m}${s}`;
}

/** Names include quotes, '&', '/', '+', '#' and non-ASCII so encoding bugs show up. */
const CUSTOMER_NAMES = [
	"O'Brien Tools Ltd",
	'Müller Maschinenbau GmbH',
	'Smith & Sons',
	'A+B Plastics / Nordic #1',
	'Nordic Steel AB',
	'Pacific Freight Inc',
	'Åkesson Trä',
	'Blue River Foods',
	'Crane & Hoist Co',
	'Delta Components',
];
const COUNTRIES = ['SE', 'US', 'GB', 'DE', 'NO', 'FI'];
const SITES = Object.keys(SITE_COMPANY);
const CURRENCY: Record<string, string> = { '10': 'SEK', '20': 'EUR' };
const ORDER_STATES = ['Planned', 'Planned', 'Released', 'Released', 'Reserved', 'Delivered', 'Invoiced', 'Cancelled'];

export const CUSTOMER_COUNT = 30;
export const ORDER_COUNT = 50;

/** Customer ids of the seed: '10001' ... '10030'. */
export function seededCustomerId(index: number): string {
	return `1${pad(index + 1, 4)}`;
}

/** Order numbers of the seed: 'C1000001' ... 'C1000050'. */
export function seededOrderNo(index: number): string {
	return `C${1_000_001 + index}`;
}


function seedCustomers(db: Database, rnd: Random): number {
	const rows: Entry[] = [];
	for (let i = 0; i < CUSTOMER_COUNT; i++) {
		const created = BASE - rnd.int(30, 900) * DAY;
		const base = CUSTOMER_NAMES[i % CUSTOMER_NAMES.length];
		rows.push({
			values: {
				CustomerId: seededCustomerId(i),
				Name: i < CUSTOMER_NAMES.length ? base : `${base} ${Math.floor(i / CUSTOMER_NAMES.length) + 1}`,
				Country: rnd.pick(COUNTRIES),
				CreationDate: formatDate(created),
				DefaultLanguage: rnd.pick(['en', 'sv', 'de']),
				PartyType: 'Customer',
			},
			objversion: objversionNear(rnd, created),
		});
	}
	load(db.table('CustomerHandling', 'CustomerInfoSet'), rows);
	return rows.length;
}

function seedOrders(db: Database, rnd: Random): { orders: number; lines: number } {
	const orders: Entry[] = [];
	const lines: Entry[] = [];
	for (let i = 0; i < ORDER_COUNT; i++) {
		const orderNo = seededOrderNo(i);
		const contract = rnd.pick(SITES);
		const company = SITE_COMPANY[contract];
		const entered = BASE + rnd.int(0, 180) * DAY + rnd.int(0, 36_000) * 1000;
		const state = rnd.pick(ORDER_STATES);
		const lineState = state === 'Cancelled' ? 'Cancelled' : state;
		let total = 0;
		const lineCount = rnd.int(1, 4);
		for (let l = 1; l <= lineCount; l++) {
			const part = `P-${pad(rnd.int(1, 400), 6)}`;
			const qty = rnd.int(1, 40);
			const price = rnd.money(5, 900);
			total += qty * price;
			lines.push({
				values: {
					OrderNo: orderNo,
					LineNo: String(l),
					RelNo: '1',
					LineItemNo: 0,
					Objstate: lineState,
					PartNo: part,
					CatalogNo: part,
					BuyQtyDue: qty,
					SalePrice: price,
					Contract: contract,
				},
				objversion: objversionNear(rnd, entered),
			});
		}
		let poNo: string | null = rnd.chance(0.2) ? null : `PO-${pad(rnd.int(1, 99_999), 5)}`;
		if (i === 7) poNo = "PO#12/A+B & C 'rush'";
		orders.push({
			values: {
				OrderNo: orderNo,
				Objstate: state,
				Contract: contract,
				Company: company,
				CustomerNo: seededCustomerId(rnd.int(0, CUSTOMER_COUNT - 1)),
				CustomerPoNo: poNo,
				CurrencyCode: CURRENCY[company],
				DateEntered: formatDateTimeOffset(entered),
				WantedDeliveryDate: formatDate(entered + rnd.int(7, 45) * DAY),
				TotalAmount: Math.round(total * 100) / 100,
				Note: i === 3 ? "Deliver to O'Brien's back door" : rnd.chance(0.3) ? 'Call before delivery' : null,
			},
			objversion: objversionNear(rnd, entered),
		});
	}
	load(db.table('CustomerOrderHandling', 'CustomerOrderSet'), orders);
	load(db.table('CustomerOrderHandling', 'CustomerOrderLineSet'), lines);
	return { orders: orders.length, lines: lines.length };
}

/** Composite-key stock rows, generated already sorted by (Contract, PartNo, ..., LocationNo, ...). */
function seedInventory(db: Database, rnd: Random, count: number): number {
	// Parallel arrays and shared strings: 100 000 rows must seed well under a second.
	const values: RowValues[] = new Array(count);
	const objversions: string[] = new Array(count);
	const perSite = Math.ceil(count / SITES.length);
	const sites = [...SITES].sort();
	const locationsA = Array.from({ length: 50 }, (_, i) => `A${pad(i, 2)}-01`);
	const locationsB = Array.from({ length: 30 }, (_, i) => `B${pad(i, 2)}-02`);
	let partNo = '';
	let lotBatchNo = '*';
	for (let n = 0; n < count; n++) {
		const site = sites[Math.floor(n / perSite)];
		const j = n % perSite;
		const partIndex = Math.floor(j / 2);
		const lotted = partIndex % 9 === 4;
		if (j % 2 === 0) {
			partNo = `P-${pad(partIndex + 1, 6)}`;
			lotBatchNo = lotted ? `LOT-${pad(partIndex, 5)}` : '*';
		}
		const onhand = rnd.chance(0.1) ? 0 : rnd.int(1, 5000) / (rnd.chance(0.2) ? 4 : 1);
		const reserved = Math.min(onhand, rnd.int(0, 50));
		const received = BASE - rnd.int(0, 700) * DAY - rnd.int(0, 86_399) * 1000;
		values[n] = {
			Contract: site,
			PartNo: partNo,
			ConfigurationId: '*',
			LocationNo: j % 2 === 0 ? locationsA[partIndex % 50] : locationsB[partIndex % 30],
			LotBatchNo: lotBatchNo,
			SerialNo: '*',
			EngChgLevel: '1',
			WaivDevRejNo: '*',
			ActivitySeq: 0,
			HandlingUnitId: partIndex % 11 === 5 ? 1000 + partIndex : 0,
			QtyOnhand: onhand,
			QtyReserved: reserved,
			AvailableQty: Math.round((onhand - reserved) * 100) / 100,
			UnitMeas: 'PCS',
			LastCountDate: rnd.chance(0.6) ? dayText(received + rnd.int(1, 60) * DAY) : null,
			ReceiptDate: fastDateTimeOffset(received),
			ExpirationDate: lotted ? dayText(BASE + rnd.int(30, 700) * DAY) : null,
			AvailabilityControlId: null,
		};
		objversions[n] = fastObjversion(received + rnd.int(0, 30) * DAY);
	}
	db.table('InventoryPartInStockHandling', 'InventoryPartInStockSet').load(values, objversions);
	return count;
}

function seedVouchers(db: Database, rnd: Random): number {
	const rows: Entry[] = [];
	let ext = 0;
	for (const company of ['10', '20']) {
		for (const year of [2023, 2024]) {
			for (const type of ['I', 'K', 'M']) {
				const count = rnd.int(6, 14);
				for (let no = 1; no <= count; no++) {
					const date = Date.UTC(year, 0, 1) + rnd.int(0, 364) * DAY;
					const status = rnd.chance(0.7) ? 'Confirmed' : rnd.pick(['AwaitingApproval', 'Error'] as const);
					rows.push({
						values: {
							Company: company,
							AccountingYear: year,
							VoucherType: type,
							VoucherNo: no,
							VoucherDate: formatDate(date),
							VoucherText2: rnd.chance(0.4) ? `EXT-${pad(++ext, 4)}` : null,
							VoucherStatus: status,
							Userid: rnd.pick(['IFSAPP', 'ALAIN', 'MLC_INTEGRATION']),
							FunctionGroup: type,
							DateReg: formatDateTimeOffset(date + rnd.int(0, 3) * DAY + rnd.int(0, 86_399) * 1000),
						},
						objversion: objversionNear(rnd, date),
					});
				}
			}
		}
	}
	load(db.table('VoucherHandling', 'VoucherSet'), rows);
	return rows.length;
}

export function seedDatabase(db: Database, options: SeedOptions): SeedCounts {
	// One generator per data set keeps each set stable when another set's size changes.
	const customers = seedCustomers(db, createRandom(options.seed * 7919 + 1));
	const { orders, lines } = seedOrders(db, createRandom(options.seed * 7919 + 2));
	const inventory = seedInventory(db, createRandom(options.seed * 7919 + 3), options.inventoryRows);
	const vouchers = seedVouchers(db, createRandom(options.seed * 7919 + 4));
	// Data added later derives from the sets above but draws from generators of its own (5 and
	// up), so the rows seeded above keep their values exactly.
	const logistics = seedLogistics(db, options.seed);
	const finance = seedFinance(db, options.seed);
	return { customers, orders, orderLines: lines, inventory, vouchers, ...logistics, ...finance };
}

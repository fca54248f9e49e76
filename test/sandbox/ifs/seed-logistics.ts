/**
 * Seed of the logistics side added after the first data sets: the sales-part catalogue, the new
 * columns of orders and customers, customer addresses and company data, and shipments.
 *
 * Everything here derives from rows seeded before (orders, customers) and draws from its own
 * generators, so the earlier rows keep their values; only new columns are filled in on them.
 */
import { formatDate } from './edm-values';
import type { RowValues } from './model';
import { COMPANY_CURRENCY, SITE_COMPANY } from './projection-kit';
import { createRandom, DAY, load, objversionNear, objversionToDateTimeOffset, pad, type Entry } from './seed-kit';
import type { Database } from './store';

export interface LogisticsCounts {
	salesParts: number;
	customerAddresses: number;
	customerCompanies: number;
	shipments: number;
	shipmentLines: number;
}

/** Sales parts per site: 'P-000001' ... 'P-000400', every part the seeded order lines use. */
export const SALES_PART_COUNT = 400;

export function seededCatalogNo(index: number): string {
	return `P-${pad(index + 1, 6)}`;
}

const PART_NOUNS = ['Bolt', 'Bearing', 'Gasket', 'Valve', 'Bracket', 'Hose', 'Filter', 'Sensor', 'Pump', 'Seal', 'Gear', 'Spring'];
const PART_ADJECTIVES = ['Steel', 'Brass', 'Heavy-duty', 'Compact', 'Stainless', 'Nylon', 'Industrial', 'Mini'];
const CITIES: Record<string, string[]> = {
	SE: ['Linköping', 'Göteborg', 'Malmö'],
	US: ['Chicago', 'Denver', 'Austin'],
	GB: ['Leeds', 'Bristol', 'York'],
	DE: ['München', 'Köln', 'Bremen'],
	NO: ['Bergen', 'Tromsø', 'Oslo'],
	FI: ['Espoo', 'Tampere', 'Oulu'],
};
const STREETS = ['Storgatan', 'Main Street', "St John's Road", 'Hauptstraße', 'Industrivägen', 'Dock Lane'];
export const FORWARD_AGENTS = ['DHL', 'UPS', 'DSV', 'POSTNORD'];
export const SHIP_VIA_CODES = ['ROA', 'AIR', 'SEA'];

function seedSalesParts(db: Database, seed: number): number {
	const rnd = createRandom(seed * 7919 + 5);
	const rows: Entry[] = [];
	for (const site of Object.keys(SITE_COMPANY).sort()) {
		for (let i = 0; i < SALES_PART_COUNT; i++) {
			const catalogNo = seededCatalogNo(i);
			rows.push({
				values: {
					Contract: site,
					CatalogNo: catalogNo,
					CatalogDesc: `${rnd.pick(PART_ADJECTIVES)} ${rnd.pick(PART_NOUNS)} ${i + 1}`,
					PartNo: catalogNo,
					CatalogType: 'InventoryPart',
					SalesUnitMeas: 'PCS',
					PriceUnitMeas: 'PCS',
					ListPrice: rnd.money(5, 900),
					Activeind: 'ActivePart',
				},
				objversion: objversionNear(rnd, Date.UTC(2023, 0, 10)),
			});
		}
	}
	load(db.table('SalesPartHandling', 'SalesPartSet'), rows);
	return rows.length;
}

/** New order columns: ChangeDate = the row's last change (its Objversion); carrier on shipped orders. */
function extendOrders(db: Database, seed: number): void {
	const rnd = createRandom(seed * 7919 + 6);
	for (const row of db.table('CustomerOrderHandling', 'CustomerOrderSet').rows) {
		row.values.ChangeDate = objversionToDateTimeOffset(row.objversion);
		const shipping = ['Released', 'Reserved', 'Delivered', 'Invoiced'].includes(String(row.values.Objstate));
		row.values.ForwardAgentId = shipping ? rnd.pick(FORWARD_AGENTS) : null;
		row.values.ShipViaCode = shipping ? rnd.pick(SHIP_VIA_CODES) : null;
	}
}

/** New customer columns, addresses ('1' = delivery + document, some with a second delivery address) and company data. */
function seedCustomerDetails(db: Database, seed: number): { addresses: number; companies: number } {
	const rnd = createRandom(seed * 7919 + 7);
	const addresses: Entry[] = [];
	const companies: Entry[] = [];
	db.table('CustomerHandling', 'CustomerInfoSet').rows.forEach((row, index) => {
		const c = row.values;
		c.AssociationNo = rnd.chance(0.6) ? `SHOP-${pad(index + 1, 5)}` : null;
		c.CustomerCategory = index % 7 === 6 ? 'EndCustomer' : 'Customer';
		const country = String(c.Country);
		const created = Date.parse(`${String(c.CreationDate)}T00:00:00Z`);
		const count = rnd.chance(0.35) ? 2 : 1;
		for (let a = 1; a <= count; a++) {
			addresses.push({
				values: {
					CustomerId: c.CustomerId,
					AddressId: String(a),
					Name: a === 1 ? c.Name : `${String(c.Name)} (warehouse)`,
					Address1: `${STREETS[rnd.int(0, STREETS.length - 1)]} ${rnd.int(1, 120)}`,
					Address2: rnd.chance(0.2) ? `Unit ${rnd.int(1, 40)}` : null,
					ZipCode: pad(rnd.int(10_000, 99_999), 5),
					City: rnd.pick(CITIES[country] ?? CITIES.SE),
					State: country === 'US' ? rnd.pick(['IL', 'CO', 'TX']) : null,
					Country: country,
					DeliveryAddress: true,
					DocumentAddress: a === 1,
				},
				objversion: objversionNear(rnd, created),
			});
		}
		// Every customer trades with company 10; every other one with company 20 too.
		for (const company of index % 2 === 0 ? ['10', '20'] : ['10']) {
			const foreign = company === '10' && country !== 'SE';
			companies.push({
				values: {
					CustomerId: c.CustomerId,
					Company: company,
					PayTermId: rnd.pick(['10', '30', '60']),
					CurrencyCode: foreign ? 'EUR' : COMPANY_CURRENCY[company],
				},
				objversion: objversionNear(rnd, created),
			});
		}
	});
	load(db.table('CustomerHandling', 'CustomerInfoAddressSet'), addresses);
	load(db.table('CustomerHandling', 'CustomerCompanySet'), companies);
	return { addresses: addresses.length, companies: companies.length };
}

/** One shipment per order in Released / Reserved / Delivered, with a line per order line. */
function seedShipments(db: Database, seed: number): { shipments: number; lines: number } {
	const rnd = createRandom(seed * 7919 + 8);
	const orderLines = db.table('CustomerOrderHandling', 'CustomerOrderLineSet').all();
	const shipments: Entry[] = [];
	const lines: Entry[] = [];
	let shipmentId = 0;
	for (const order of db.table('CustomerOrderHandling', 'CustomerOrderSet').all()) {
		const state = String(order.Objstate);
		if (!['Released', 'Reserved', 'Delivered'].includes(state)) continue;
		shipmentId++;
		const wanted = Date.parse(`${String(order.WantedDeliveryDate)}T00:00:00Z`);
		const planned = wanted - rnd.int(1, 4) * DAY;
		const shipped = state === 'Delivered';
		const actual = shipped ? planned + rnd.int(0, 1) * DAY : undefined;
		// Last change: shipped ones after they left, open ones while being planned.
		const objversion = objversionNear(rnd, actual ?? planned - 20 * DAY);
		const values: RowValues = {
			ShipmentId: shipmentId,
			Contract: order.Contract,
			ReceiverId: order.CustomerNo,
			ReceiverAddressName: null,
			Objstate: shipped ? rnd.pick(['Completed', 'Closed']) : 'Preliminary',
			PlannedShipDate: formatDate(planned),
			ActualShipDate: actual === undefined ? null : formatDate(actual),
			ForwardAgentId: order.ForwardAgentId,
			AirwayBillNo: shipped ? `${String(order.ForwardAgentId)}-${pad(rnd.int(0, 999_999_999), 9)}` : null,
			ShipViaCode: order.ShipViaCode,
			ChangeDate: objversionToDateTimeOffset(objversion),
		};
		shipments.push({ values, objversion });
		let lineNo = 0;
		for (const line of orderLines) {
			if (line.OrderNo !== order.OrderNo) continue;
			lines.push({
				values: {
					ShipmentId: shipmentId,
					ShipmentLineNo: ++lineNo,
					SourceRefType: 'CustomerOrder',
					SourceRef1: line.OrderNo,
					SourceRef2: line.LineNo,
					SourceRef3: line.RelNo,
					SourceRef4: String(line.LineItemNo),
					InventoryPartNo: line.PartNo,
					InventoryQty: line.BuyQtyDue,
				},
				objversion,
			});
		}
	}
	load(db.table('ShipmentHandling', 'ShipmentSet'), shipments);
	load(db.table('ShipmentHandling', 'ShipmentLineSet'), lines);
	return { shipments: shipments.length, lines: lines.length };
}

export function seedLogistics(db: Database, seed: number): LogisticsCounts {
	const salesParts = seedSalesParts(db, seed);
	extendOrders(db, seed);
	const { addresses, companies } = seedCustomerDetails(db, seed);
	const { shipments, lines } = seedShipments(db, seed);
	return { salesParts, customerAddresses: addresses, customerCompanies: companies, shipments, shipmentLines: lines };
}

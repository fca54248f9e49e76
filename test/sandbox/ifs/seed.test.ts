import { formatDateTimeOffset, parseDateTimeOffset } from './edm-values';
import { buildProjections } from './projections';
import { seedDatabase } from './seed';
import { Database, formatObjversion } from './store';

function seeded(seed: number, inventoryRows = 2000) {
	const db = new Database(buildProjections());
	const counts = seedDatabase(db, { seed, inventoryRows });
	return { db, counts };
}

const snapshot = (db: Database, projection: string, set: string) =>
	JSON.stringify(db.table(projection, set).rows.map((r) => [r.values, r.objversion]));

describe('seed data', () => {
	it('is deterministic per seed and differs between seeds', () => {
		const a = seeded(1);
		const b = seeded(1);
		const c = seeded(2);
		for (const [p, s] of [
			['CustomerOrderHandling', 'CustomerOrderSet'],
			['CustomerOrderHandling', 'CustomerOrderLineSet'],
			['InventoryPartInStockHandling', 'InventoryPartInStockSet'],
			['VoucherHandling', 'VoucherSet'],
			['CustomerHandling', 'CustomerInfoSet'],
		]) {
			expect(snapshot(a.db, p, s)).toBe(snapshot(b.db, p, s));
		}
		expect(snapshot(a.db, 'CustomerOrderHandling', 'CustomerOrderSet')).not.toBe(snapshot(c.db, 'CustomerOrderHandling', 'CustomerOrderSet'));
		expect(a.counts).toMatchObject({ customers: 30, orders: 50, inventory: 2000 });
		expect(a.counts.orderLines).toBeGreaterThanOrEqual(50);
		expect(a.counts.orderLines).toBeLessThanOrEqual(200);
	});

	it('keeps order totals consistent with the lines and seeds two voucher companies', () => {
		const { db } = seeded(3);
		const lines = db.table('CustomerOrderHandling', 'CustomerOrderLineSet').all();
		for (const order of db.table('CustomerOrderHandling', 'CustomerOrderSet').all()) {
			const total = lines
				.filter((l) => l.OrderNo === order.OrderNo)
				.reduce((sum, l) => sum + (l.BuyQtyDue as number) * (l.SalePrice as number), 0);
			expect(order.TotalAmount).toBeCloseTo(total, 2);
		}
		const companies = new Set(db.table('VoucherHandling', 'VoucherSet').all().map((v) => v.Company));
		expect([...companies]).toEqual(['10', '20']);
	});

	it('writes inventory timestamps in the same format as the slow formatters, in strict key order', () => {
		const { db } = seeded(1, 5000);
		const table = db.table('InventoryPartInStockHandling', 'InventoryPartInStockSet');
		for (const row of table.rows.slice(0, 500)) {
			const ms = parseDateTimeOffset(row.values.ReceiptDate as string)!;
			expect(formatDateTimeOffset(ms)).toBe(row.values.ReceiptDate);
			expect(row.objversion).toMatch(/^\d{14}$/);
			expect(formatObjversion(Date.UTC(+row.objversion.slice(0, 4), +row.objversion.slice(4, 6) - 1, +row.objversion.slice(6, 8), +row.objversion.slice(8, 10), +row.objversion.slice(10, 12), +row.objversion.slice(12, 14)))).toBe(row.objversion);
		}
		for (let i = 1; i < table.rows.length; i++) {
			expect(table.compareKeys(table.rows[i - 1].values, table.rows[i].values)).toBeLessThan(0);
		}
	});
});

import { afterPosition, fingerprint, isLater, pruneSeen, versionId, windowStart, type CursorState } from '../../../nodes/IfsCloud/trigger/cursor';
import { secretsEqual } from '../../../nodes/common/signatures';

const fields = [
	{ name: 'ChangeDate', type: 'Edm.DateTimeOffset' },
	{ name: 'Company', type: 'Edm.String' },
	{ name: 'VoucherNo', type: 'Edm.Int32' },
];

describe('afterPosition (keyset paging)', () => {
	it('builds the lexicographic "strictly after" filter over timestamp and keys', () => {
		const filter = afterPosition(fields, { ChangeDate: '2024-05-01T10:00:00Z', Company: "O'Neil", VoucherNo: 7 }, new Set());
		expect(filter).toBe(
			"((ChangeDate gt 2024-05-01T10:00:00Z) or (ChangeDate eq 2024-05-01T10:00:00Z and Company gt 'O''Neil') or (ChangeDate eq 2024-05-01T10:00:00Z and Company eq 'O''Neil' and VoucherNo gt 7))",
		);
	});

	it('keeps the server timestamp verbatim, milliseconds and offset included', () => {
		const filter = afterPosition([fields[0]], { ChangeDate: '2024-05-01T10:00:00.123+02:00' }, new Set());
		expect(filter).toBe('((ChangeDate gt 2024-05-01T10:00:00.123+02:00))');
	});

	it('formats date keys and enum keys by their types', () => {
		const filter = afterPosition(
			[
				{ name: 'Day', type: 'Edm.Date' },
				{ name: 'State', type: 'IfsApp.P.State' },
			],
			{ Day: '2024-05-01', State: 'Released' },
			new Set(['IfsApp.P.State']),
		);
		expect(filter).toBe("((Day gt 2024-05-01) or (Day eq 2024-05-01 and State gt IfsApp.P.State'Released'))");
	});
});

describe('windowStart', () => {
	it('steps back seconds for timestamps, in UTC', () => {
		expect(windowStart('2024-05-01T10:00:00+02:00', 'Edm.DateTimeOffset', 300)).toBe('2024-05-01T07:55:00Z');
	});
	it('steps back whole days for dates', () => {
		expect(windowStart('2024-05-01', 'Edm.Date', 60)).toBe('2024-04-30');
		expect(windowStart('2024-05-01', 'Edm.Date', 3 * 86_400)).toBe('2024-04-28');
	});
});

describe('versionId', () => {
	it('uses key and ETag when there is one', () => {
		expect(versionId({ OrderNo: 'C1', '@odata.etag': 'W/"a"', Note: 'x' }, ['OrderNo'])).toBe('["C1"]@W/"a"');
	});
	it('hashes the content without one, so a changed row is a new version', () => {
		const a = versionId({ OrderNo: 'C1', Note: 'x', ChangeDate: 't1' }, ['OrderNo']);
		const b = versionId({ OrderNo: 'C1', Note: 'y', ChangeDate: 't1' }, ['OrderNo']);
		const again = versionId({ ChangeDate: 't1', Note: 'x', OrderNo: 'C1' }, ['OrderNo']);
		expect(a).not.toBe(b);
		expect(a).toBe(again);
	});
});

describe('pruneSeen', () => {
	it('forgets versions older than the overlap window before the newest change', () => {
		const state: CursorState = {
			config: 'c',
			newest: '2024-05-01T10:00:00Z',
			seen: { old: '2024-05-01T09:54:59Z', edge: '2024-05-01T09:55:00Z', recent: '2024-05-01T09:59:00Z' },
		};
		pruneSeen(state, 'Edm.DateTimeOffset', 300);
		expect(Object.keys(state.seen).sort()).toEqual(['edge', 'recent']);
	});
});

describe('isLater and fingerprint', () => {
	it('compares instants, not strings', () => {
		expect(isLater('2024-05-01T10:00:00+02:00', '2024-05-01T09:00:00Z')).toBe(false);
		expect(isLater('2024-05-01T10:00:01Z', '2024-05-01T10:00:00Z')).toBe(true);
		expect(isLater('2024-05-01T10:00:00Z', undefined)).toBe(true);
	});
	it('fingerprints only the compared fields when given', () => {
		expect(fingerprint({ Qty: 1, Note: 'a' }, ['Qty'])).toBe(fingerprint({ Qty: 1, Note: 'b' }, ['Qty']));
		expect(fingerprint({ Qty: 1, Note: 'a' }, [])).not.toBe(fingerprint({ Qty: 1, Note: 'b' }, []));
		expect(fingerprint({ Qty: 1, '@odata.etag': 'x' }, [])).toBe(fingerprint({ Qty: 1, '@odata.etag': 'y' }, []));
	});
});

describe('secretsEqual', () => {
	it('matches only the exact secret', () => {
		expect(secretsEqual('s3cret-value', 's3cret-value')).toBe(true);
		expect(secretsEqual('s3cret-valuE', 's3cret-value')).toBe(false);
		expect(secretsEqual('s3cret', 's3cret-value')).toBe(false);
	});
	it('never matches missing values or an empty expected secret', () => {
		expect(secretsEqual(undefined, 'x')).toBe(false);
		expect(secretsEqual('', '')).toBe(false);
		expect(secretsEqual('x', undefined)).toBe(false);
	});
});

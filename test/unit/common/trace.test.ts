import { TRACE_FIELD, buildTrace, withTrace } from '../../../nodes/common/trace';

describe('trace fields', () => {
	const source = { system: 'Amazon Seller Central', id: '113-1234567-1234567' };
	const target = { system: 'IFS Cloud', id: "CustomerOrderHandling/CustomerOrderSet(OrderNo='C1')" };

	it('records source, target, action and the time as ISO', () => {
		expect(buildTrace(source, target, 'created', new Date('2024-05-31T14:30:00.123Z'))).toEqual({
			source,
			target,
			action: 'created',
			at: '2024-05-31T14:30:00.123Z',
		});
	});

	it('stamps the current time by default', () => {
		const before = Date.now();
		const trace = buildTrace(source, { system: 'IFS Cloud', id: null }, 'absent');
		const at = Date.parse(trace.at);
		expect(at).toBeGreaterThanOrEqual(before);
		expect(at).toBeLessThanOrEqual(Date.now());
		expect(trace.target.id).toBeNull();
	});

	it('adds the trace under _trace without touching the record', () => {
		const record = { OrderNo: 'C1', CustomerNo: '1000' };
		const trace = buildTrace(source, target, 'updated', new Date(0));
		const traced = withTrace(record, trace);
		expect(TRACE_FIELD).toBe('_trace');
		expect(traced).toEqual({ OrderNo: 'C1', CustomerNo: '1000', _trace: trace });
		expect(record).toEqual({ OrderNo: 'C1', CustomerNo: '1000' });
	});

	it('replaces an older trace on the record', () => {
		const old = buildTrace(source, target, 'read', new Date(0));
		const fresh = buildTrace(source, target, 'unchanged', new Date(1000));
		expect(withTrace(withTrace({ a: 1 }, old), fresh)._trace).toBe(fresh);
	});
});

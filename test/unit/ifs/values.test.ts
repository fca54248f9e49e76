import type { EdmEntityType, EdmProperty } from '../../../nodes/IfsCloud/odata/csdl';
import { ValueError, buildPayload, sameValue, toEdmValue } from '../../../nodes/IfsCloud/odata/values';

const STATE = 'IfsApp.CustomerOrderHandling.CustomerOrderState';
const STATES = ['Planned', 'Released', 'Reserved'];

const prop = (name: string, type: string, extra: Partial<EdmProperty> = {}): EdmProperty => ({ name, type, nullable: true, ...extra });

describe('toEdmValue', () => {
	it.each(['Edm.Byte', 'Edm.Int16', 'Edm.Int32', 'Edm.Int64'])('converts %s to whole numbers', (type) => {
		expect(toEdmValue('42', prop('Qty', type))).toBe(42);
		expect(toEdmValue(' -7 ', prop('Qty', type))).toBe(-7);
		expect(toEdmValue(3, prop('Qty', type))).toBe(3);
	});

	it('names the field, its type and the value when a whole number is wrong', () => {
		expect(() => toEdmValue('4.5', prop('LineItemNo', 'Edm.Int32'))).toThrow(ValueError);
		expect(() => toEdmValue('4.5', prop('LineItemNo', 'Edm.Int32'))).toThrow('Field LineItemNo (Int32): "4.5" — expected a whole number');
		expect(() => toEdmValue('ten', prop('LineItemNo', 'Edm.Int32'))).toThrow(/LineItemNo/);
	});

	it('turns an empty value into null for non-string types', () => {
		expect(toEdmValue('', prop('Qty', 'Edm.Int32'))).toBeNull();
		expect(toEdmValue('', prop('When', 'Edm.Date'))).toBeNull();
		expect(toEdmValue(null, prop('Qty', 'Edm.Int32'))).toBeNull();
		expect(toEdmValue(undefined, prop('Note', 'Edm.String'))).toBeNull();
	});

	it('does not turn a blank value into 0', () => {
		let converted: unknown;
		try {
			converted = toEdmValue('   ', prop('Qty', 'Edm.Int32'));
		} catch (error) {
			expect(error).toBeInstanceOf(ValueError);
			return;
		}
		expect(converted).toBeNull();
	});

	it('never silently changes a large Int64', () => {
		let converted: unknown;
		try {
			converted = toEdmValue('9007199254740993', prop('BigId', 'Edm.Int64'));
		} catch (error) {
			expect(error).toBeInstanceOf(ValueError);
			return;
		}
		expect(JSON.stringify(converted)).toContain('9007199254740993');
	});

	it.each(['Edm.Decimal', 'Edm.Double', 'Edm.Single'])('converts %s to numbers', (type) => {
		expect(toEdmValue('12.50', prop('Price', type))).toBe(12.5);
		expect(toEdmValue('1e3', prop('Price', type))).toBe(1000);
		expect(toEdmValue(0.1, prop('Price', type))).toBe(0.1);
		expect(() => toEdmValue('12,5', prop('Price', type))).toThrow(/Field Price .*expected a number/);
		expect(() => toEdmValue(Number.NaN, prop('Price', type))).toThrow(ValueError);
		expect(() => toEdmValue(Number.POSITIVE_INFINITY, prop('Price', type))).toThrow(ValueError);
	});

	it('converts booleans from booleans and text', () => {
		expect(toEdmValue(true, prop('Flag', 'Edm.Boolean'))).toBe(true);
		expect(toEdmValue(' TRUE ', prop('Flag', 'Edm.Boolean'))).toBe(true);
		expect(toEdmValue('false', prop('Flag', 'Edm.Boolean'))).toBe(false);
		expect(() => toEdmValue('yes', prop('Flag', 'Edm.Boolean'))).toThrow('Field Flag (Boolean): "yes" — expected true or false');
	});

	it('converts dates to yyyy-MM-dd', () => {
		expect(toEdmValue('2024-05-31T10:00:00Z', prop('WantedDate', 'Edm.Date'))).toBe('2024-05-31');
		expect(toEdmValue(new Date(Date.UTC(2024, 4, 31)), prop('WantedDate', 'Edm.Date'))).toBe('2024-05-31');
		expect(() => toEdmValue('31.05.2024x', prop('WantedDate', 'Edm.Date'))).toThrow(/Field WantedDate \(Date\)/);
	});

	it('converts timestamps to UTC', () => {
		expect(toEdmValue('2024-05-31T16:30:00+02:00', prop('Planned', 'Edm.DateTimeOffset'))).toBe('2024-05-31T14:30:00Z');
		expect(() => toEdmValue('later', prop('Planned', 'Edm.DateTimeOffset'))).toThrow(/Field Planned \(DateTimeOffset\)/);
	});

	it('converts times of day to HH:mm:ss', () => {
		expect(toEdmValue('14:30', prop('ShipTime', 'Edm.TimeOfDay'))).toBe('14:30:00');
		expect(toEdmValue(' 08:05:09 ', prop('ShipTime', 'Edm.TimeOfDay'))).toBe('08:05:09');
		expect(() => toEdmValue('25:99', prop('ShipTime', 'Edm.TimeOfDay'))).toThrow(/Field ShipTime \(TimeOfDay\)/);
	});

	it('checks enum members', () => {
		expect(toEdmValue('Released', prop('Objstate', STATE), STATES)).toBe('Released');
		expect(() => toEdmValue('Shipped', prop('Objstate', STATE), STATES)).toThrow(
			'Field Objstate (IfsApp.CustomerOrderHandling.CustomerOrderState): "Shipped" — expected one of Planned, Released, Reserved',
		);
	});

	it('converts strings, enforcing MaxLength', () => {
		expect(toEdmValue(1000, prop('CustomerNo', 'Edm.String'))).toBe('1000');
		expect(toEdmValue('', prop('Note', 'Edm.String'))).toBe('');
		expect(toEdmValue({ a: 1 }, prop('Note', 'Edm.String'))).toBe('{"a":1}');
		expect(toEdmValue('ABCDE', prop('Contract', 'Edm.String', { maxLength: 5 }))).toBe('ABCDE');
		expect(() => toEdmValue('ABCDEF', prop('Contract', 'Edm.String', { maxLength: 5 }))).toThrow(
			'Field Contract (String): "ABCDEF" — at most 5 characters allowed, got 6',
		);
	});

	it('passes other types through', () => {
		const address = { Street: 'Main 1', City: 'Linköping' };
		expect(toEdmValue(address, prop('Address', 'IfsApp.CustomerOrderHandling.AddressStructure'))).toBe(address);
	});
});

describe('buildPayload', () => {
	const type: EdmEntityType = {
		name: 'CustomerOrder',
		qualifiedName: 'IfsApp.CustomerOrderHandling.CustomerOrder',
		keys: ['OrderNo'],
		properties: {
			OrderNo: prop('OrderNo', 'Edm.String', { nullable: false, maxLength: 12 }),
			Objstate: prop('Objstate', STATE),
			OrderTotal: prop('OrderTotal', 'Edm.Decimal'),
			WantedDeliveryDate: prop('WantedDeliveryDate', 'Edm.DateTimeOffset'),
		},
		navigation: {},
	};
	const enums = (typeName: string) => (typeName === STATE ? STATES : undefined);

	it('keeps entity fields, converted, and drops annotations and _trace', () => {
		const result = buildPayload(
			type,
			{
				'@odata.etag': 'W/"abc"',
				'@odata.context': '$metadata#CustomerOrderSet/$entity',
				'@odata.type': '#x',
				_trace: { source: { system: 'Amazon', id: '1' } },
				OrderNo: 'C1',
				Objstate: 'Released',
				OrderTotal: '99.90',
				WantedDeliveryDate: '2024-06-01T10:00:00+02:00',
			},
			enums,
		);
		expect(result).toEqual({
			payload: { OrderNo: 'C1', Objstate: 'Released', OrderTotal: 99.9, WantedDeliveryDate: '2024-06-01T08:00:00Z' },
			unknown: [],
		});
	});

	it('reports fields the entity does not have', () => {
		const result = buildPayload(type, { OrderNo: 'C1', AmazonOrderId: '113-1', Colour: 'red' }, enums);
		expect(result.payload).toEqual({ OrderNo: 'C1' });
		expect(result.unknown).toEqual(['AmazonOrderId', 'Colour']);
	});

	it('fails naming the field whose value is wrong', () => {
		expect(() => buildPayload(type, { OrderNo: 'C1', Objstate: 'Shipped' }, enums)).toThrow(/Field Objstate/);
		expect(() => buildPayload(type, { OrderNo: 'C1234567890123' }, enums)).toThrow(/Field OrderNo .*at most 12/);
	});

	it('asks for enum members by the property type', () => {
		const asked: string[] = [];
		buildPayload(type, { Objstate: 'Planned', OrderTotal: 1 }, (typeName) => (asked.push(typeName), enums(typeName)));
		expect(asked).toEqual([STATE, 'Edm.Decimal']);
	});
});

describe('sameValue', () => {
	it('compares numbers across number and text forms', () => {
		expect(sameValue(5, '5', 'Edm.Int32')).toBe(true);
		expect(sameValue('12.50', 12.5, 'Edm.Decimal')).toBe(true);
		expect(sameValue(12.5, 12.51, 'Edm.Decimal')).toBe(false);
		expect(sameValue(1, 2, 'Edm.Int64')).toBe(false);
	});

	it('compares timestamps as instants', () => {
		expect(sameValue('2024-05-31T14:30:00Z', '2024-05-31T16:30:00+02:00', 'Edm.DateTimeOffset')).toBe(true);
		expect(sameValue('2024-05-31T14:30:00Z', '2024-05-31T14:30:01Z', 'Edm.DateTimeOffset')).toBe(false);
		expect(sameValue('not a date', '2024-05-31T14:30:00Z', 'Edm.DateTimeOffset')).toBe(false);
	});

	it('compares dates by calendar day', () => {
		expect(sameValue('2024-05-31', '2024-05-31', 'Edm.Date')).toBe(true);
		expect(sameValue('2024-05-31T00:00:00Z', '2024-05-31', 'Edm.Date')).toBe(true);
		expect(sameValue('2024-05-31', '2024-06-01', 'Edm.Date')).toBe(false);
	});

	it('compares strings, booleans and enums by text', () => {
		expect(sameValue('C1', 'C1', 'Edm.String')).toBe(true);
		expect(sameValue('C1', 'c1', 'Edm.String')).toBe(false);
		expect(sameValue(true, 'true', 'Edm.Boolean')).toBe(true);
		expect(sameValue(true, false, 'Edm.Boolean')).toBe(false);
		expect(sameValue('Released', 'Planned', STATE)).toBe(false);
	});

	it('treats null and undefined as the same, and different from a value', () => {
		expect(sameValue(null, undefined, 'Edm.String')).toBe(true);
		expect(sameValue(null, '', 'Edm.String')).toBe(false);
		expect(sameValue(null, 0, 'Edm.Int32')).toBe(false);
		expect(sameValue('2024-05-31', null, 'Edm.Date')).toBe(false);
	});

	// Update compares every field this way to skip writes that change nothing: a structured
	// (complex-typed) value that differs must not count as the same.
	it('tells different structured values apart', () => {
		const type = 'IfsApp.CustomerOrderHandling.AddressStructure';
		expect(sameValue({ Street: 'Main 1' }, { Street: 'Main 2' }, type)).toBe(false);
		expect(sameValue({ Street: 'Main 1' }, { Street: 'Main 1' }, type)).toBe(true);
	});
});

import { RowsError, delimitedRows, detectFormat, headerKeys, jsonItems } from '../../../nodes/AmazonSellerCentral/reports/rows';
import type { TextLine } from '../../../nodes/AmazonSellerCentral/settlement';

function lines(text: string): TextLine[] {
	return text.split('\n').map((line, index) => ({ text: line, number: index + 1 }));
}

async function rows(text: string, format: 'tsv' | 'csv') {
	const result = [];
	for await (const row of delimitedRows(lines(text), format)) result.push(row);
	return result;
}

async function failure(promise: Promise<unknown>): Promise<RowsError> {
	try {
		await promise;
	} catch (error) {
		return error as RowsError;
	}
	throw new Error('expected a failure');
}

describe('report document rows', () => {
	it('detects the format from the media type, then the first line', () => {
		expect(detectFormat('application/json; charset=UTF-8', 'GET_X', 'a\tb')).toBe('json');
		expect(detectFormat('text/csv', undefined, 'a\tb')).toBe('csv');
		expect(detectFormat('text/tab-separated-values;charset=Cp1252', undefined, 'a,b')).toBe('tsv');
		expect(detectFormat('text/xml', undefined, '')).toBe('xml');
		expect(detectFormat('text/plain; charset=UTF-8', 'GET_SALES_AND_TRAFFIC_REPORT', '{"reportSpecification": {')).toBe('json');
		expect(detectFormat('text/plain', 'GET_X', '\uFEFF[')).toBe('json');
		expect(detectFormat('text/plain', 'GET_XML_BROWSE_TREE_DATA', 'anything')).toBe('xml');
		expect(detectFormat('text/plain', 'GET_X', '<?xml version="1.0"?>')).toBe('xml');
		expect(detectFormat('text/plain', 'GET_X', 'sku\tprice')).toBe('tsv');
		expect(detectFormat(undefined, 'GET_X', 'sku,price')).toBe('csv');
		expect(detectFormat(undefined, 'GET_X', 'sku')).toBe('tsv');
	});

	it('makes header names unique and non-empty', () => {
		expect(headerKeys(['\uFEFFsku', ' price ', '', 'sku', 'sku'])).toEqual(['sku', 'price', 'column_3', 'sku_2', 'sku_3']);
	});

	it('tab-separated: quotes are ordinary characters, short rows are padded, empty lines skipped, trailing tabs ignored', async () => {
		expect(await rows('sku\ttitle\tqty\nTEE "CLASSIC" L\t"quoted"\t1\n\nB-2\tshort\nC-3\tx\t2\t\t', 'tsv')).toEqual([
			{ line: 2, values: { sku: 'TEE "CLASSIC" L', title: '"quoted"', qty: '1' } },
			{ line: 4, values: { sku: 'B-2', title: 'short', qty: '' } },
			{ line: 5, values: { sku: 'C-3', title: 'x', qty: '2' } },
		]);
	});

	it('tab-separated: extra non-empty fields fail with the line number', async () => {
		const error = await failure(rows('a\tb\n1\t2\n1\t2\t3', 'tsv'));
		expect(error).toBeInstanceOf(RowsError);
		expect(error.message).toBe('Line 3: 3 tab-separated fields, but the header has 2');
		expect(error.hint).toMatch(/Parse As/);
	});

	it('CSV: quoted separators, doubled quotes and line breaks inside quotes; the row keeps its first line number', async () => {
		expect(await rows('id,note,empty\n1,"a, ""b""\nsecond line",\n2,plain,""', 'csv')).toEqual([
			{ line: 2, values: { id: '1', note: 'a, "b"\nsecond line', empty: '' } },
			{ line: 4, values: { id: '2', note: 'plain', empty: '' } },
		]);
	});

	it('CSV: a quote that never closes fails with the line it opened on', async () => {
		const error = await failure(rows('id,note\n1,ok\n2,"open\nstill open', 'csv'));
		expect(error.message).toBe('Line 3: A quoted field is never closed');
	});

	it('JSON: an array gives one item per element, anything else one item', () => {
		expect(jsonItems('[{"a":1},2,null]')).toEqual([{ a: 1 }, { value: 2 }, { value: null }]);
		expect(jsonItems('\uFEFF{"reportSpecification":{"reportType":"GET_X"},"rows":[1]}')).toEqual([{ reportSpecification: { reportType: 'GET_X' }, rows: [1] }]);
		expect(() => jsonItems('{"a":')).toThrow(/^The document is not valid JSON/);
	});
});

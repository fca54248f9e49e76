import { andFilter, buildQueryString, encodeQueryValue, filterMentions, keyIdentity, orderbyFields, totalOrder } from '../../../nodes/IfsCloud/odata/query';

/** Parses a query string the way an OData server does: split on &, then percent-decode (no + as space). */
function serverView(query: string): Record<string, string> {
	return Object.fromEntries(
		query.split('&').map((part) => {
			const at = part.indexOf('=');
			return [decodeURIComponent(part.slice(0, at)), decodeURIComponent(part.slice(at + 1))];
		}),
	);
}

describe('encodeQueryValue', () => {
	it('writes spaces as %20, never +', () => {
		expect(encodeQueryValue("Name eq 'A B'")).toBe("Name%20eq%20'A%20B'");
	});

	it('keeps $ , : / readable and escapes what would split the query', () => {
		expect(encodeQueryValue('$it/Date,x:y')).toBe('$it/Date,x:y');
		expect(encodeQueryValue('a&b=c+d#e?f%g')).toBe('a%26b%3Dc%2Bd%23e%3Ff%25g');
	});
});

describe('buildQueryString', () => {
	it('builds system query options in a fixed order', () => {
		const query = buildQueryString({
			filter: " Contract eq 'S1' and CustomerPoNo eq 'AMZ 1+2&3' ",
			select: 'OrderNo, Contract ,\n CustomerNo',
			expand: 'OrderLines($select=LineNo)',
			orderby: 'DateEntered desc,OrderNo',
			top: 100,
			skip: 200,
			count: true,
		});
		expect(query).toBe(
			"$filter=Contract%20eq%20'S1'%20and%20CustomerPoNo%20eq%20'AMZ%201%2B2%263'" +
				'&$select=OrderNo,Contract,CustomerNo' +
				'&$expand=OrderLines($select%3DLineNo)' +
				'&$orderby=DateEntered%20desc,OrderNo' +
				'&$top=100&$skip=200&$count=true',
		);
		expect(query).not.toContain('+');
		expect(query).not.toContain('%24');
	});

	it('round-trips through a server’s parser', () => {
		const filter = "CustomerPoNo eq 'A+B & C=D #1?' and Amount gt 10.5";
		expect(serverView(buildQueryString({ filter, top: 5 }))).toEqual({ $filter: filter, $top: '5' });
	});

	it('leaves out empty options, $skip=0 and a false $count', () => {
		expect(buildQueryString({})).toBe('');
		expect(buildQueryString({ filter: '  ', select: '', orderby: undefined, skip: 0, count: false })).toBe('');
	});

	it('keeps $top=0', () => {
		expect(buildQueryString({ top: 0 })).toBe('$top=0');
	});
});

describe('keyIdentity', () => {
	const identity = keyIdentity(['Contract', 'PartNo', 'ActivitySeq']);

	it('is the same for rows with the same key values, whatever else differs', () => {
		expect(identity({ Contract: 'S1', PartNo: 'P|1', ActivitySeq: 0, Qty: 1 })).toBe(identity({ ActivitySeq: 0, PartNo: 'P|1', Contract: 'S1', Qty: 2 }));
	});

	it('tells apart values that would run together or only differ in type', () => {
		const ids = [
			identity({ Contract: 'S1', PartNo: 'P|1', ActivitySeq: 0 }),
			identity({ Contract: 'S1|P', PartNo: '1', ActivitySeq: 0 }),
			identity({ Contract: 'S1', PartNo: 'P', ActivitySeq: '|10' }),
			identity({ Contract: 'S1', PartNo: 'P|1', ActivitySeq: '0' }),
			identity({ Contract: 'S1', PartNo: 'P|1', ActivitySeq: null }),
			identity({ Contract: 'S1', PartNo: 'P","1', ActivitySeq: 0 }),
			identity({ Contract: 'S1","P', PartNo: '1', ActivitySeq: 0 }),
		];
		expect(new Set(ids).size).toBe(ids.length);
	});
});

describe('orderbyFields / totalOrder', () => {
	it('reads the fields of an $orderby', () => {
		expect(orderbyFields(' Name desc ,  Date asc,Id ')).toEqual(['Name', 'Date', 'Id']);
		expect(orderbyFields('')).toEqual([]);
		expect(orderbyFields(undefined)).toEqual([]);
	});

	it('appends only the key fields that are missing', () => {
		expect(totalOrder('DateEntered desc', ['OrderNo'])).toBe('DateEntered desc,OrderNo');
		expect(totalOrder('OrderNo desc', ['OrderNo'])).toBe('OrderNo desc');
		expect(totalOrder('LineNo desc, OrderNo', ['OrderNo', 'LineNo', 'RelNo', 'LineItemNo'])).toBe('LineNo desc, OrderNo,RelNo,LineItemNo');
	});

	it('orders by the keys when nothing is given', () => {
		expect(totalOrder(undefined, ['OrderNo', 'LineNo'])).toBe('OrderNo,LineNo');
		expect(totalOrder('  ', ['OrderNo'])).toBe('OrderNo');
		expect(totalOrder('', [])).toBe('');
	});

	it('does not take a field that only starts like a key for the key', () => {
		expect(totalOrder('OrderNoText', ['OrderNo'])).toBe('OrderNoText,OrderNo');
	});
});

describe('andFilter', () => {
	it('adds a clause, keeping the user filter grouped', () => {
		expect(andFilter("Contract eq 'S1' or Contract eq 'S2'", "Company eq '10'")).toBe(
			"(Contract eq 'S1' or Contract eq 'S2') and Company eq '10'",
		);
	});

	it('uses the clause alone without a filter', () => {
		expect(andFilter(undefined, "Company eq '10'")).toBe("Company eq '10'");
		expect(andFilter('   ', "Company eq '10'")).toBe("Company eq '10'");
	});
});

describe('filterMentions', () => {
	it('finds the field as a word', () => {
		expect(filterMentions("Company eq '10'", 'Company')).toBe(true);
		expect(filterMentions("Contract eq 'S1' and (Company eq '10')", 'Company')).toBe(true);
		expect(filterMentions("startswith(Company,'1')", 'Company')).toBe(true);
	});

	it('ignores the word inside string literals, doubled quotes included', () => {
		expect(filterMentions("Name eq 'Company'", 'Company')).toBe(false);
		expect(filterMentions("Name eq 'O''Company eq 1'", 'Company')).toBe(false);
		expect(filterMentions("contains(Note,'the Company') and Contract eq 'S1'", 'Company')).toBe(false);
	});

	it('ignores longer names and qualified names', () => {
		expect(filterMentions("CompanyName eq 'x'", 'Company')).toBe(false);
		expect(filterMentions("MyCompany eq 'x'", 'Company')).toBe(false);
		expect(filterMentions("Ns.Company eq 'x'", 'Company')).toBe(false);
	});

	it('is false without a filter', () => {
		expect(filterMentions(undefined, 'Company')).toBe(false);
		expect(filterMentions('', 'Company')).toBe(false);
	});
});

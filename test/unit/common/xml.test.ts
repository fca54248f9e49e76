import { XmlParseError, childrenNamed, parseXml } from '../../../nodes/common/xml';

describe('parseXml: structure', () => {
	it('reads nested elements, attributes and text', () => {
		const root = parseXml('<Order no="C1" site=\'S1\'><Line no="1">Widget</Line><Line no="2"/></Order>');
		expect(root).toEqual({
			name: 'Order',
			attributes: { no: 'C1', site: 'S1' },
			text: '',
			children: [
				{ name: 'Line', attributes: { no: '1' }, children: [], text: 'Widget' },
				{ name: 'Line', attributes: { no: '2' }, children: [], text: '' },
			],
		});
	});

	it('accepts the XML declaration, whitespace and newlines in tags', () => {
		const root = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<a\n  x = "1"\n  y="2"\n>\n  <b />\n</a >\n');
		expect(root.attributes).toEqual({ x: '1', y: '2' });
		expect(root.children.map((child) => child.name)).toEqual(['b']);
		expect(root.text).toBe('');
	});

	it('keeps attribute order irrelevant and allows empty values and dots, dashes, underscores in names', () => {
		const root = parseXml('<a data-x="" b.c="1" _d="2"/>');
		expect(root.attributes).toEqual({ 'data-x': '', 'b.c': '1', _d: '2' });
	});

	it('strips namespace prefixes from element and attribute names', () => {
		const root = parseXml(
			'<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"><edmx:DataServices m:flag="x"/></edmx:Edmx>',
		);
		expect(root.name).toBe('Edmx');
		expect(root.attributes.Version).toBe('4.0');
		expect(root.children[0].name).toBe('DataServices');
		expect(root.children[0].attributes.flag).toBe('x');
	});

	it('matches prefixed closing tags', () => {
		expect(parseXml('<p:a><p:b></p:b></p:a>').children[0].name).toBe('b');
	});

	it('childrenNamed filters direct children by local name', () => {
		const root = parseXml('<s><EntityType Name="A"/><x:EntityType Name="B"/><Other/><Wrap><EntityType Name="C"/></Wrap></s>');
		expect(childrenNamed(root, 'EntityType').map((child) => child.attributes.Name)).toEqual(['A', 'B']);
		expect(childrenNamed(root, 'Missing')).toEqual([]);
	});
});

describe('parseXml: text, entities, CDATA, comments', () => {
	it('decodes the five predefined entities in text and attributes', () => {
		const root = parseXml('<a t="&lt;&gt;&amp;&quot;&apos;">&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</a>');
		expect(root.attributes.t).toBe('<>&"\'');
		expect(root.text).toBe('<b> & "c" \'d\'');
	});

	it('decodes decimal and hexadecimal character references', () => {
		expect(parseXml('<a>&#65;&#x42;&#x1F600;</a>').text).toBe('AB😀');
	});

	it('decodes only once (&amp;lt; is the text &lt;)', () => {
		expect(parseXml('<a>&amp;lt;</a>').text).toBe('&lt;');
	});

	it('keeps CDATA raw, without decoding entities or reading tags', () => {
		expect(parseXml('<a><![CDATA[<b>&amp; 1 < 2]]></a>').text).toBe('<b>&amp; 1 < 2');
	});

	it('joins text around CDATA and ignores comments anywhere', () => {
		const root = parseXml('<!-- head --><a>x<!-- <b>not an element</b> --><![CDATA[y]]>z</a><!-- tail -->');
		expect(root.text).toBe('xyz');
		expect(root.children).toEqual([]);
	});

	it('ignores whitespace-only text but keeps meaningful text as written', () => {
		expect(parseXml('<a>\n   <b/>\n</a>').text).toBe('');
		expect(parseXml('<a> two words </a>').text).toBe(' two words ');
	});

	it('ignores processing instructions inside the document', () => {
		expect(parseXml('<a><?pi data?><b/></a>').children).toHaveLength(1);
	});
});

describe('parseXml: refusals and malformed input', () => {
	it('refuses a DOCTYPE (no DTDs, no entity expansion)', () => {
		const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>';
		expect(() => parseXml(bomb)).toThrow(XmlParseError);
		expect(() => parseXml(bomb)).toThrow(/Document type declarations are not accepted/);
		expect(() => parseXml('<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>')).toThrow(XmlParseError);
	});

	it('refuses entities it does not know', () => {
		expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/Unknown entity &nbsp;/);
		expect(() => parseXml('<a b="&ext;"/>')).toThrow(XmlParseError);
	});

	it.each([
		['an unclosed element', '<a><b></b>', /Unclosed element <a>/],
		['a mismatched closing tag', '<a><b></a></b>', /Unexpected closing tag <\/a>/],
		['a closing tag without opening', '</a>', /Unexpected closing tag/],
		['an unterminated closing tag', '<a></a', /Unterminated closing tag/],
		['an unterminated comment', '<a><!-- never ends</a>', /Unterminated comment/],
		['an unterminated CDATA section', '<a><![CDATA[x</a>', /Unterminated CDATA/],
		['an unterminated processing instruction', '<?xml version="1.0"<a/>', /Unterminated processing instruction/],
		['an unquoted attribute', '<a b=c/>', /Malformed tag <a>/],
		['attributes without space between', '<a b="1"c="2"/>', /Malformed tag/],
		['an unterminated start tag', '<a b="1"', /Malformed tag/],
		['an invalid tag name', '<1a/>', /Invalid tag name/],
		['a space after <', '< a/>', /Invalid tag name/],
		['two root elements', '<a/><b/>', /exactly one root element/],
		['no element at all', 'just text', /exactly one root element/],
		['an empty document', '', /exactly one root element/],
	])('rejects %s', (_label, source, message) => {
		expect(() => parseXml(source)).toThrow(XmlParseError);
		expect(() => parseXml(source)).toThrow(message);
	});

	it('says where the problem is', () => {
		expect(() => parseXml('<a><b></c></a>')).toThrow(/at character 6/);
	});

	it('reports a character reference outside Unicode as an XmlParseError', () => {
		expect(() => parseXml('<a>&#x110000;</a>')).toThrow(XmlParseError);
		expect(() => parseXml('<a>&#99999999;</a>')).toThrow(XmlParseError);
	});
});

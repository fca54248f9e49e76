/**
 * A small, strict XML reader for machine-generated documents such as OData `$metadata` (CSDL).
 * Node code may not import XML libraries, and CSDL needs only elements, attributes and text.
 * No DTDs or external entities are processed, so it cannot be made to fetch or expand anything.
 */

export interface XmlElement {
	/** Local name, namespace prefix removed (`edmx:Edmx` → `Edmx`). */
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	text: string;
}

export class XmlParseError extends Error {
	constructor(message: string, offset: number) {
		super(`${message} (at character ${offset})`);
		this.name = 'XmlParseError';
	}
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string, offset: number): string {
	return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (match, entity: string) => {
		if (entity.startsWith('#')) {
			const codePoint = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
			if (!(codePoint <= 0x10ffff)) throw new XmlParseError(`Invalid character reference ${match}`, offset);
			return String.fromCodePoint(codePoint);
		}
		const decoded = ENTITIES[entity];
		if (decoded === undefined) throw new XmlParseError(`Unknown entity ${match}`, offset);
		return decoded;
	});
}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

export function parseXml(source: string): XmlElement {
	const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
	const stack: XmlElement[] = [root];
	let position = 0;
	const length = source.length;

	while (position < length) {
		const open = source.indexOf('<', position);
		const textEnd = open === -1 ? length : open;
		if (textEnd > position) {
			const text = source.slice(position, textEnd);
			if (text.trim() !== '') stack[stack.length - 1].text += decodeEntities(text, position);
		}
		if (open === -1) break;

		if (source.startsWith('<!--', open)) {
			const end = source.indexOf('-->', open + 4);
			if (end === -1) throw new XmlParseError('Unterminated comment', open);
			position = end + 3;
		} else if (source.startsWith('<![CDATA[', open)) {
			const end = source.indexOf(']]>', open + 9);
			if (end === -1) throw new XmlParseError('Unterminated CDATA section', open);
			stack[stack.length - 1].text += source.slice(open + 9, end);
			position = end + 3;
		} else if (source.startsWith('<?', open)) {
			const end = source.indexOf('?>', open + 2);
			if (end === -1) throw new XmlParseError('Unterminated processing instruction', open);
			position = end + 2;
		} else if (source.startsWith('<!', open)) {
			throw new XmlParseError('Document type declarations are not accepted', open);
		} else if (source.startsWith('</', open)) {
			const end = source.indexOf('>', open);
			if (end === -1) throw new XmlParseError('Unterminated closing tag', open);
			const name = localName(source.slice(open + 2, end).trim());
			const current = stack.pop();
			if (!current || current === root || current.name !== name) {
				throw new XmlParseError(`Unexpected closing tag </${name}>`, open);
			}
			position = end + 1;
		} else {
			position = readStartTag(source, open, stack);
		}
	}
	if (stack.length !== 1) throw new XmlParseError(`Unclosed element <${stack[stack.length - 1].name}>`, length);
	const [document] = root.children;
	if (!document || root.children.length !== 1) throw new XmlParseError('Expected exactly one root element', 0);
	return document;
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

function readStartTag(source: string, open: number, stack: XmlElement[]): number {
	NAME.lastIndex = open + 1;
	const nameMatch = NAME.exec(source);
	if (!nameMatch) throw new XmlParseError('Invalid tag name', open);
	const element: XmlElement = { name: localName(nameMatch[0]), attributes: {}, children: [], text: '' };
	let position = NAME.lastIndex;
	for (;;) {
		ATTRIBUTE.lastIndex = position;
		const attribute = ATTRIBUTE.exec(source);
		if (!attribute) break;
		element.attributes[localName(attribute[1])] = decodeEntities(attribute[3] ?? attribute[4] ?? '', position);
		position = ATTRIBUTE.lastIndex;
	}
	while (position < source.length && /\s/.test(source[position])) position++;
	stack[stack.length - 1].children.push(element);
	if (source.startsWith('/>', position)) return position + 2;
	if (source[position] !== '>') throw new XmlParseError(`Malformed tag <${element.name}>`, position);
	stack.push(element);
	return position + 1;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
	return element.children.filter((child) => child.name === name);
}

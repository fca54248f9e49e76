import { type INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiError, attachItemIndex, errorItem, operationError, toNodeError } from '../../../nodes/common/errors';
import { REDACTED, Redactor } from '../../../nodes/common/redaction';

const node: INode = {
	id: 'node-1',
	name: 'IFS Cloud',
	type: 'n8n-nodes-ml-connector.ifsCloud',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const CLIENT_SECRET = 'cs-8f3e9a1b77d04c2e';
const ACCESS_TOKEN = 'at-0d9c8b7a6f5e4d3c2b1a';

/**
 * Everything an error exposes (own fields enumerable or not, message, description, messages,
 * context, errorResponse, cause chain) as one string, skipping the node definition.
 */
function everything(value: unknown): string {
	const seen = new WeakSet<object>();
	const walk = (current: unknown): unknown => {
		if (typeof current !== 'object' || current === null) return current;
		if (seen.has(current)) return '[Circular]';
		seen.add(current);
		if (Array.isArray(current)) return current.map(walk);
		const out: Record<string, unknown> = {};
		const keys = new Set([...Object.getOwnPropertyNames(current), 'message', 'description', 'cause', 'stack']);
		for (const key of keys) {
			if (key === 'node') continue;
			const entry = (current as Record<string, unknown>)[key];
			if (entry !== undefined) out[key] = walk(entry);
		}
		return out;
	};
	return JSON.stringify(walk(value));
}

describe('apiError', () => {
	const redactor = new Redactor([CLIENT_SECRET, ACCESS_TOKEN]);

	it('builds a NodeApiError with message, description, HTTP code and item index', () => {
		const error = apiError(
			node,
			{ message: 'IFS Cloud says: Order C1 is locked', description: 'Try again when the order is released.', httpCode: 409 },
			2,
			redactor,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('IFS Cloud says: Order C1 is locked');
		expect(error.description).toBe('Try again when the order is released.');
		expect(error.httpCode).toBe('409');
		expect(error.context.itemIndex).toBe(2);
	});

	it('keeps every secret the redactor knows out of the whole error', () => {
		const error = apiError(
			node,
			{
				message: `Token request failed: client_secret=${CLIENT_SECRET} rejected`,
				description: `The server echoed Authorization: Bearer ${ACCESS_TOKEN}; check the client secret ${CLIENT_SECRET}`,
				httpCode: 401,
				details: {
					request: { headers: { Authorization: `Bearer ${ACCESS_TOKEN}` }, body: `client_secret=${encodeURIComponent(CLIENT_SECRET)}` },
					echoed: `secret was ${CLIENT_SECRET}`,
					access_token: ACCESS_TOKEN,
				},
			},
			0,
			redactor,
		);
		const text = everything(error);
		expect(text).not.toContain(CLIENT_SECRET);
		expect(text).not.toContain(ACCESS_TOKEN);
		expect(text).toContain(REDACTED);
		expect(error.message).toContain('Token request failed');
		expect(error.context.details).toMatchObject({ echoed: `secret was ${REDACTED}`, access_token: REDACTED });
	});

	it('leaves the HTTP code unset when the report has none', () => {
		const error = apiError(node, { message: 'No answer', description: 'Check the network.' }, undefined, redactor);
		expect(error.message).toBe('No answer');
		expect(error.context.itemIndex).toBeUndefined();
		expect(error.context.details).toBeUndefined();
	});
});

describe('operationError', () => {
	it('builds a NodeOperationError for the item, redacted when a redactor is given', () => {
		const error = operationError(node, `Bad secret ${CLIENT_SECRET}`, `Remove ${CLIENT_SECRET}`, 4, new Redactor([CLIENT_SECRET]));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Bad secret ${REDACTED}`);
		expect(error.description).toBe(`Remove ${REDACTED}`);
		expect(error.context.itemIndex).toBe(4);
	});

	it('keeps text as is without a redactor', () => {
		const error = operationError(node, 'Missing key OrderNo', 'Fill in the key.', undefined);
		expect(error.message).toBe('Missing key OrderNo');
		expect(error.description).toBe('Fill in the key.');
	});
});

describe('errorItem', () => {
	it('has only error and details in json, so n8n routes it to the error output', () => {
		const item = errorItem(new Error('boom'), 3);
		expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
		expect(item.json).toEqual({ error: 'boom', details: { itemIndex: 3 } });
		expect(item.pairedItem).toEqual({ item: 3 });
	});

	it('carries description, HTTP code and context details of a NodeApiError', () => {
		const error = apiError(
			node,
			{ message: 'Order C1 is locked', description: 'Wait and retry.', httpCode: 409, details: { entity: 'CustomerOrderSet' } },
			1,
			new Redactor(),
		);
		const item = errorItem(error, 1);
		expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
		expect(item.json).toEqual({
			error: 'Order C1 is locked',
			details: { itemIndex: 1, description: 'Wait and retry.', httpCode: '409', context: { entity: 'CustomerOrderSet' } },
		});
	});

	it('carries the description of a NodeOperationError', () => {
		const item = errorItem(new NodeOperationError(node, 'Missing key', { description: 'Give OrderNo.' }), 0);
		expect(item.json).toEqual({ error: 'Missing key', details: { itemIndex: 0, description: 'Give OrderNo.' } });
	});

	it('handles thrown non-errors', () => {
		expect(errorItem('plain text', 5).json).toEqual({ error: 'plain text', details: { itemIndex: 5 } });
		expect(errorItem(undefined, 0).json.error).toBe('undefined');
	});

	it('redacts with the redactor it is given, keeping the two keys', () => {
		const item = errorItem(new Error(`token ${ACCESS_TOKEN} rejected`), 0, new Redactor([ACCESS_TOKEN]));
		expect(Object.keys(item.json).sort()).toEqual(['details', 'error']);
		expect(item.json.error).toBe(`token ${REDACTED} rejected`);
		expect(JSON.stringify(item)).not.toContain(ACCESS_TOKEN);
	});

	it('never copies other fields of the error (like an HTTP client’s request config)', () => {
		const error = Object.assign(new Error('Request failed'), { config: { headers: { Authorization: `Bearer ${ACCESS_TOKEN}` } } });
		const item = errorItem(error, 0);
		expect(JSON.stringify(item)).not.toContain(ACCESS_TOKEN);
	});
});

describe('toNodeError / attachItemIndex', () => {
	it('passes node errors through, adding the item index', () => {
		const original = new NodeOperationError(node, 'x');
		const result = toNodeError(node, original, 7);
		expect(result).toBe(original);
		expect(result.context.itemIndex).toBe(7);
	});

	it('does not overwrite an item index already set', () => {
		const original = new NodeOperationError(node, 'x', { itemIndex: 2 });
		expect(attachItemIndex(original, 9).context.itemIndex).toBe(2);
	});

	it('keeps only the message of foreign errors', () => {
		const foreign = Object.assign(new Error('socket hang up'), { config: { headers: { Authorization: `Bearer ${ACCESS_TOKEN}` } } });
		const result = toNodeError(node, foreign, 1);
		expect(result).toBeInstanceOf(NodeOperationError);
		expect(result.message).toBe('socket hang up');
		expect(result.context.itemIndex).toBe(1);
		expect(everything(result)).not.toContain(ACCESS_TOKEN);
	});

	it('wraps non-errors by their text', () => {
		expect(toNodeError(node, 42).message).toBe('42');
	});

	it('leaves other values alone', () => {
		const plain = { itemIndex: undefined };
		expect(attachItemIndex(plain, 3)).toBe(plain);
		expect(plain.itemIndex).toBeUndefined();
	});
});

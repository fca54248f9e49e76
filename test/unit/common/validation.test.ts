import { z } from 'zod';

import { InputValidationError, formatZodError, parseInput } from '../../../nodes/common/validation';

const credential = z.object({
	systemUrl: z.string().trim().min(1, 'System URL is empty'),
	clientId: z.string().min(1, 'Client ID is empty'),
	deployment: z.enum(['int', 'main']).optional().default('int'),
	scopes: z.array(z.string().min(2)).optional(),
});

describe('parseInput', () => {
	it('returns the parsed value, defaults and transforms applied', () => {
		expect(parseInput(credential, { systemUrl: '  https://t.ifs.cloud ', clientId: 'n8n' }, 'IFS Cloud credential')).toEqual({
			systemUrl: 'https://t.ifs.cloud',
			clientId: 'n8n',
			deployment: 'int',
		});
	});

	it('lists every problem, each with its field', () => {
		let caught: unknown;
		try {
			parseInput(credential, { systemUrl: ' ', deployment: 'test', scopes: ['ok', 'x'] }, 'IFS Cloud credential');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputValidationError);
		const error = caught as InputValidationError;
		expect(error.name).toBe('InputValidationError');
		expect(error.message.startsWith('Invalid IFS Cloud credential: ')).toBe(true);
		expect(error.issues).toHaveLength(4);
		expect(error.issues[0]).toBe('systemUrl: System URL is empty');
		expect(error.issues.some((issue) => issue.startsWith('clientId: '))).toBe(true);
		expect(error.issues.some((issue) => issue.startsWith('deployment: '))).toBe(true);
		expect(error.issues.some((issue) => issue.startsWith('scopes.1: '))).toBe(true);
		expect(error.message).toBe(`Invalid IFS Cloud credential: ${error.issues.join('; ')}`);
	});

	it('names a problem with the value itself "(value)"', () => {
		expect(() => parseInput(z.number(), 'five', 'page size')).toThrow(/^Invalid page size: \(value\): /);
	});
});

describe('formatZodError', () => {
	it('joins nested paths with dots', () => {
		const result = z.object({ a: z.object({ b: z.array(z.number()) }) }).safeParse({ a: { b: [1, 'x'] } });
		expect(result.success).toBe(false);
		if (!result.success) expect(formatZodError(result.error)).toEqual([expect.stringMatching(/^a\.b\.1: /)]);
	});
});

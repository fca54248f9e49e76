/**
 * Turns zod validation failures into readable messages that name the field and what is expected.
 */
import type { ZodError, ZodType, ZodTypeDef } from 'zod';

export class InputValidationError extends Error {
	constructor(
		message: string,
		readonly issues: string[],
	) {
		super(message);
		this.name = 'InputValidationError';
	}
}

export function formatZodError(error: ZodError): string[] {
	return error.issues.map((issue) => {
		const path = issue.path.length ? issue.path.join('.') : '(value)';
		return `${path}: ${issue.message}`;
	});
}

/** Parses `value` or throws an {@link InputValidationError} listing every problem. */
export function parseInput<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, subject: string): T {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issues = formatZodError(result.error);
	throw new InputValidationError(`Invalid ${subject}: ${issues.join('; ')}`, issues);
}

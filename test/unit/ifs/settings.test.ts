import type { INodeProperties } from 'n8n-workflow';

import { connectionOptions, pageSizeOption } from '../../../nodes/IfsCloud/actions/descriptions';
import { DEFAULT_SETTINGS, MAX_PAGE_SIZE } from '../../../nodes/IfsCloud/transport';

function option(name: string): INodeProperties {
	const found = connectionOptions.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`connectionOptions has no option "${name}"`);
	return found;
}

describe('IFS Cloud option defaults mirror DEFAULT_SETTINGS', () => {
	it('connection options', () => {
		expect({
			requestsPerWindow: option('requestsPerWindow').default,
			rateWindowSeconds: option('rateWindowSeconds').default,
			maxConcurrency: option('maxConcurrency').default,
			timeoutSeconds: option('timeoutSeconds').default,
			retryBudgetSeconds: option('retryBudgetSeconds').default,
			timeZoneAware: option('timeZoneAware').default,
		}).toEqual({
			requestsPerWindow: DEFAULT_SETTINGS.rateLimit.requests,
			rateWindowSeconds: DEFAULT_SETTINGS.rateLimit.windowMs / 1000,
			maxConcurrency: DEFAULT_SETTINGS.maxConcurrency,
			timeoutSeconds: DEFAULT_SETTINGS.requestTimeoutMs / 1000,
			retryBudgetSeconds: DEFAULT_SETTINGS.retryBudgetMs / 1000,
			timeZoneAware: DEFAULT_SETTINGS.timeZoneAware,
		});
	});

	it('page size', () => {
		expect(pageSizeOption.name).toBe('pageSize');
		expect(pageSizeOption.default).toBe(DEFAULT_SETTINGS.pageSize);
		expect(pageSizeOption.typeOptions?.maxValue).toBe(MAX_PAGE_SIZE);
		expect(DEFAULT_SETTINGS.pageSize).toBeLessThanOrEqual(MAX_PAGE_SIZE);
	});

	it('number options are numbers', () => {
		for (const name of ['requestsPerWindow', 'rateWindowSeconds', 'maxConcurrency', 'timeoutSeconds', 'retryBudgetSeconds']) {
			expect(option(name).type).toBe('number');
		}
	});
});

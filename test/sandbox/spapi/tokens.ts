/**
 * Tokens API 2021-03-01 `createRestrictedDataToken` (reference §2): validates the body per the
 * model (restrictedResources 1–50, method enum, path required, dataElements only for the Orders
 * v0 getOrder / getOrders / getOrderItems paths and only buyerInfo, shippingAddress,
 * buyerTaxInformation), needs a seller LWA token and an app with the restricted role, and
 * remembers what the RDT covers.
 */
import type { ApiContext, ApiResult } from './context';
import { accessDenied, SpApiError } from './errors';
import type { RestrictedResourceGrant } from './lwa';

export const DATA_ELEMENTS = ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'] as const;
const METHODS = ['GET', 'PUT', 'POST', 'DELETE'];

/** Restricted operations (path templates) an RDT can be requested for. */
const RESTRICTED_PATHS: Array<{ pattern: RegExp; dataElements: boolean }> = [
	{ pattern: /^\/orders\/v0\/orders$/, dataElements: true },
	{ pattern: /^\/orders\/v0\/orders\/[^/]+$/, dataElements: true },
	{ pattern: /^\/orders\/v0\/orders\/[^/]+\/orderItems$/, dataElements: true },
	{ pattern: /^\/orders\/v0\/orders\/[^/]+\/(buyerInfo|address|orderItems\/buyerInfo|regulatedInfo)$/, dataElements: false },
	{ pattern: /^\/mfn\/v0\/shipments\/[^/]+$/, dataElements: false },
	{ pattern: /^\/shipping\/v1\/shipments\/[^/]+$/, dataElements: false },
	{ pattern: /^\/fba\/outbound\/2020-07-01\/fulfillmentOrders\/[^/]+$/, dataElements: false },
	{ pattern: /^\/reports\/2021-06-30\/documents\/[^/]+$/, dataElements: false },
];

function bad(details: string): SpApiError {
	return new SpApiError(400, 'InvalidInput', 'Request is missing or has invalid parameters', details);
}

export function createRestrictedDataToken(ctx: ApiContext): ApiResult {
	if (ctx.token.kind !== 'access') throw accessDenied('A Restricted Data Token can only be created with a seller access token.');
	if (!ctx.restrictedRole) throw accessDenied('Application does not have access to one or more requested data elements: the restricted role is missing.');
	let body: unknown;
	try {
		body = JSON.parse(ctx.body.toString('utf8'));
	} catch {
		throw bad('The request body is not valid JSON.');
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('The request body must be a JSON object.');
	const { restrictedResources, targetApplication } = body as { restrictedResources?: unknown; targetApplication?: unknown };
	if (targetApplication !== undefined && typeof targetApplication !== 'string') throw bad('targetApplication must be a string.');
	if (!Array.isArray(restrictedResources) || restrictedResources.length === 0) throw bad('Resource not provided.');
	if (restrictedResources.length > 50) throw bad(`At most 50 restrictedResources are allowed, got ${restrictedResources.length}.`);
	const grants: RestrictedResourceGrant[] = restrictedResources.map((raw, i) => {
		if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(`restrictedResources[${i}] must be an object.`);
		const { method, path, dataElements } = raw as { method?: unknown; path?: unknown; dataElements?: unknown };
		if (typeof method !== 'string' || !METHODS.includes(method)) throw bad(`restrictedResources[${i}].method must be one of ${METHODS.join(', ')}.`);
		if (typeof path !== 'string' || !path.startsWith('/')) throw bad(`restrictedResources[${i}].path must be a path starting with '/'.`);
		const known = RESTRICTED_PATHS.find((r) => r.pattern.test(path.split('?')[0]));
		if (!known) throw bad(`restrictedResources[${i}].path ${path} is not a restricted resource.`);
		let elements: string[] = [];
		if (dataElements !== undefined) {
			if (!Array.isArray(dataElements) || dataElements.some((d) => typeof d !== 'string')) throw bad(`restrictedResources[${i}].dataElements must be an array of strings.`);
			if (!known.dataElements) throw bad(`restrictedResources[${i}]: dataElements are only supported for the getOrder, getOrders and getOrderItems operations of the Orders API.`);
			const unknown = (dataElements as string[]).filter((d) => !(DATA_ELEMENTS as readonly string[]).includes(d));
			if (unknown.length) throw bad(`restrictedResources[${i}].dataElements: unknown values ${unknown.join(', ')}; allowed: ${DATA_ELEMENTS.join(', ')}.`);
			elements = [...new Set(dataElements as string[])];
		}
		return { method, path, dataElements: elements };
	});
	const rdt = ctx.state.tokens.mintRdt(ctx.token, grants);
	return { status: 200, body: { restrictedDataToken: rdt.token, expiresIn: ctx.state.config.rdtLifetimeSeconds } };
}

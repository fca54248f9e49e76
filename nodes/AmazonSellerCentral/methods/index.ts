/**
 * Lists the Amazon node offers in the editor. Marketplaces come from the credential: the seller
 * authorization covers those, in one region, and nothing else.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { MARKETPLACES } from '../marketplaces';
import { SPAPI_CREDENTIAL_TYPE } from '../transport';

export const loadOptions = {
	async getCredentialMarketplaces(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const credentials = await this.getCredentials(SPAPI_CREDENTIAL_TYPE);
		const ids = Array.isArray(credentials.marketplaceIds) ? (credentials.marketplaceIds as string[]) : [];
		return ids.map((id) => {
			const known = MARKETPLACES.find((marketplace) => marketplace.id === id);
			return { name: known ? known.name : id, value: id, description: id };
		});
	},
};

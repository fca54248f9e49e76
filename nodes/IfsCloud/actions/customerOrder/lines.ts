/**
 * Reading an order's lines, and reading lines for many orders at once.
 */
import type { IDataObject } from 'n8n-workflow';

import { inGroupsOf } from '../../../common/paging';
import { type EntityRef, findRows } from '../business';
import { quoteString } from '../../odata/literals';
import type { IfsClient } from '../../transport';
import type { OrderNames } from './names';

/** Order numbers per request when reading lines for many orders (keeps filters short). */
const ORDERS_PER_QUERY = 25;

export async function linesOf(client: IfsClient, names: OrderNames, orderNos: string[], itemIndex: number): Promise<Map<string, IDataObject[]>> {
	const lines: EntityRef = { projection: names.projection, entitySet: names.lineEntitySet };
	const byOrder = new Map<string, IDataObject[]>(orderNos.map((orderNo) => [orderNo, []]));
	for (const chunk of inGroupsOf(orderNos, ORDERS_PER_QUERY)) {
		const filter = chunk.map((orderNo) => `${names.orderNumberField} eq ${quoteString(orderNo)}`).join(' or ');
		for (const row of await findRows(client, lines, filter, itemIndex)) {
			byOrder.get(String(row[names.orderNumberField]))?.push(row);
		}
	}
	return byOrder;
}

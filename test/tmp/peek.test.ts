import { AMAZON_NODE, jsonOf, runAmazon, startAmazonTestbed } from '../workflows/amazon/helpers';
it('peek', async () => {
	const bed = await startAmazonTestbed({ timeScale: 100, ordersPerSeller: 20 });
	try {
		const many = await runAmazon({ sandbox: bed.sandbox, parameters: { resource: 'order', operation: 'getMany', after: new Date(Date.now() - 30 * 86400000).toISOString(), returnAll: false, limit: 2, options: {} } });
		const orders = jsonOf(many.output(AMAZON_NODE));
		console.log(JSON.stringify(orders[0], null, 1).slice(0, 3000));
		const items = await runAmazon({ sandbox: bed.sandbox, parameters: { resource: 'order', operation: 'getItems', orderId: String(orders[0].orderId), options: {} } });
		console.log(JSON.stringify(jsonOf(items.output(AMAZON_NODE)), null, 1).slice(0, 2500));
	} finally { await bed.close(); }
}, 60000);

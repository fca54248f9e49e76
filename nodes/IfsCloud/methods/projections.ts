/**
 * Well-known IFS Cloud projections offered in the projection picker. IFS has no public endpoint
 * that lists a tenant's projections, so this list is a starting point: any other projection name
 * from API Explorer can be typed in "By Name" mode. Entity sets, keys and actions are always read
 * from the tenant's own $metadata.
 */
export const KNOWN_PROJECTIONS: Array<{ name: string; description: string }> = [
	{ name: 'CustomerOrderHandling', description: 'Customer orders and order lines' },
	{ name: 'CustomerHandling', description: 'Customers (often on /main only)' },
	{ name: 'CustomerInfoHandling', description: 'Customer master data' },
	{ name: 'InventoryPartInStockHandling', description: 'Inventory quantities per location, lot and serial' },
	{ name: 'InventoryPartHandling', description: 'Inventory part master (per site)' },
	{ name: 'SalesPartHandling', description: 'Sales parts and prices' },
	{ name: 'ShipmentHandling', description: 'Shipments and shipment lines' },
	{ name: 'VoucherHandling', description: 'GL vouchers (hold table)' },
	{ name: 'VoucherEntryAssistantHandling', description: 'Voucher entry (create vouchers)' },
	{ name: 'ExternalVouchers', description: 'External voucher load' },
	{ name: 'VouchersAnalysis', description: 'Posted vouchers (read only)' },
	{ name: 'VoucherRowsAnalysis', description: 'Posted voucher rows (read only)' },
	{ name: 'PaymentProposalHandling', description: 'Payment proposals' },
	{ name: 'CustomerInvoiceHandling', description: 'Customer invoices' },
	{ name: 'CompanyHandling', description: 'Companies' },
];

/** The resource/operation pairs the Amazon Seller Central node offers. */
export type AmazonSellerCentralType = {
	finance: 'listTransactions' | 'listEventGroups' | 'listEventsByGroup';
	inventory: 'getSummaries';
	listing: 'updateQuantity' | 'bulkUpdateQuantities';
	notification: 'createDestination' | 'getDestinations' | 'deleteDestination' | 'createSubscription' | 'getSubscription' | 'deleteSubscription';
	order: 'getMany' | 'get' | 'getItems';
	rawRequest: 'request';
	report: 'create' | 'get' | 'getMany' | 'cancel' | 'getDocument' | 'requestAndDownload';
	settlement: 'getMany' | 'get';
	token: 'createRestrictedDataToken';
};

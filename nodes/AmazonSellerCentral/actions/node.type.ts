/** The resource/operation pairs the Amazon Seller Central node offers. */
export type AmazonSellerCentralType = {
	finance: 'listTransactions' | 'listEventGroups' | 'listEventsByGroup';
	order: 'getMany' | 'get' | 'getItems';
	rawRequest: 'request';
	report: 'create' | 'get' | 'getMany' | 'cancel' | 'getDocument' | 'requestAndDownload';
	settlement: 'getMany' | 'get';
	token: 'createRestrictedDataToken';
};

/** The resource/operation pairs the IFS Cloud node offers. */
export type IfsCloudType = {
	customer: 'get' | 'getMany' | 'upsert';
	customerOrder: 'create' | 'get' | 'getMany' | 'update';
	entity: 'get' | 'getMany' | 'create' | 'update' | 'delete' | 'callAction';
	fulfillment: 'recordShipment';
	glJournal: 'postJournal' | 'reverseJournal';
	inventory: 'getStockLevels';
	payment: 'getPaymentProposals' | 'recordCustomerPayment';
};

export type IfsResource = keyof IfsCloudType;

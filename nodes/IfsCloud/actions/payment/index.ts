import type { INodeProperties } from 'n8n-workflow';

import * as getPaymentProposals from './getPaymentProposals.operation';
import * as recordCustomerPayment from './recordCustomerPayment.operation';

export { getPaymentProposals, recordCustomerPayment };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{ name: 'Get Payment Proposals', value: 'getPaymentProposals', description: 'Read payment proposals with their lines', action: 'Get payment proposals' },
			{
				name: 'Record Customer Payment',
				value: 'recordCustomerPayment',
				description: 'Apply a payment to a customer invoice once per external reference',
				action: 'Record a customer payment',
			},
		],
		default: 'recordCustomerPayment',
	},
	...getPaymentProposals.description,
	...recordCustomerPayment.description,
];

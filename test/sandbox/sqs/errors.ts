/**
 * SQS errors in the AWS JSON 1.0 protocol: HTTP status, `x-amzn-query-error: <code>;<Sender|Receiver>`
 * and a body `{"__type": "<namespace>#<Name>", "message": "…"}`.
 *
 * Confirmed (AWS "Interpreting Amazon SQS JSON API responses"): the shape, and
 * QueueDoesNotExist = 400, `AWS.SimpleQueueService.NonExistentQueue;Sender`,
 * `com.amazonaws.sqs#QueueDoesNotExist`. RequestThrottled = 403 with query code
 * `RequestThrottled` comes from the SQS Smithy model (awsQueryError). The `__type` names of the
 * authentication errors and of 500/503 are inferred (the coral service names other AWS JSON
 * services use); their query codes and statuses follow the long-documented query-protocol errors
 * (InvalidClientTokenId 403, SignatureDoesNotMatch 403, …).
 */

export interface SqsErrorSpec {
	status: number;
	queryCode: string;
	fault: 'Sender' | 'Receiver';
	type: string;
	message: string;
}

const spec = (status: number, queryCode: string, fault: 'Sender' | 'Receiver', type: string, message: string): SqsErrorSpec => ({ status, queryCode, fault, type, message });

export const SQS_ERRORS = {
	queueDoesNotExist: () => spec(400, 'AWS.SimpleQueueService.NonExistentQueue', 'Sender', 'com.amazonaws.sqs#QueueDoesNotExist', 'The specified queue does not exist.'),
	receiptHandleIsInvalid: (handle: string) =>
		spec(400, 'ReceiptHandleIsInvalid', 'Sender', 'com.amazonaws.sqs#ReceiptHandleIsInvalid', `The input receipt handle "${handle.slice(0, 24)}…" is not a valid receipt handle.`),
	messageNotInflight: () => spec(400, 'AWS.SimpleQueueService.MessageNotInflight', 'Sender', 'com.amazonaws.sqs#MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.'),
	emptyBatch: () => spec(400, 'AWS.SimpleQueueService.EmptyBatchRequest', 'Sender', 'com.amazonaws.sqs#EmptyBatchRequest', 'There should be at least one entry in the request.'),
	tooManyEntries: (n: number) =>
		spec(400, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', 'Sender', 'com.amazonaws.sqs#TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${n}.`),
	idsNotDistinct: () => spec(400, 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'Sender', 'com.amazonaws.sqs#BatchEntryIdsNotDistinct', 'Id values must be unique within a batch request.'),
	invalidBatchEntryId: () =>
		spec(400, 'AWS.SimpleQueueService.InvalidBatchEntryId', 'Sender', 'com.amazonaws.sqs#InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'),
	invalidParameterValue: (message: string) => spec(400, 'InvalidParameterValue', 'Sender', 'com.amazonaws.sqs#InvalidParameterValueException', message),
	missingParameter: (name: string) => spec(400, 'MissingParameter', 'Sender', 'com.amazonaws.sqs#MissingParameter', `The request must contain the parameter ${name}.`),
	invalidAttributeName: (name: string) => spec(400, 'InvalidAttributeName', 'Sender', 'com.amazonaws.sqs#InvalidAttributeName', `Unknown Attribute ${name}.`),
	purgeInProgress: (arn: string) =>
		spec(403, 'AWS.SimpleQueueService.PurgeQueueInProgress', 'Sender', 'com.amazonaws.sqs#PurgeQueueInProgress', `Only one PurgeQueue operation on ${arn} is allowed every 60 seconds.`),
	unknownOperation: () => spec(400, 'UnknownOperationException', 'Sender', 'com.amazon.coral.service#UnknownOperationException', 'The action or operation requested is invalid. Verify that the action is typed correctly.'),
	serialization: (message: string) => spec(400, 'SerializationException', 'Sender', 'com.amazon.coral.service#SerializationException', message),
	// Authentication and authorisation (inferred __type names, see above).
	missingAuthenticationToken: () => spec(403, 'MissingAuthenticationToken', 'Sender', 'com.amazon.coral.service#MissingAuthenticationTokenException', 'Request is missing Authentication Token'),
	incompleteSignature: (message: string) => spec(400, 'IncompleteSignature', 'Sender', 'com.amazon.coral.service#IncompleteSignatureException', message),
	invalidClientTokenId: () => spec(403, 'InvalidClientTokenId', 'Sender', 'com.amazon.coral.service#UnrecognizedClientException', 'The security token included in the request is invalid.'),
	signatureDoesNotMatch: (message: string) => spec(403, 'SignatureDoesNotMatch', 'Sender', 'com.amazon.coral.service#InvalidSignatureException', message),
	expiredToken: () => spec(403, 'ExpiredToken', 'Sender', 'com.amazon.coral.service#ExpiredTokenException', 'The security token included in the request is expired'),
	accessDenied: (message: string) => spec(403, 'AccessDenied', 'Sender', 'com.amazon.coral.service#AccessDeniedException', message),
	// Server side and throttling (injected by tests).
	internalError: () => spec(500, 'InternalError', 'Receiver', 'com.amazon.coral.service#InternalFailure', 'We encountered an internal error. Please try again.'),
	serviceUnavailable: () => spec(503, 'ServiceUnavailable', 'Receiver', 'com.amazon.coral.availability#ServiceUnavailableException', 'Service is unable to handle request.'),
	throttlingException: () => spec(400, 'ThrottlingException', 'Sender', 'com.amazon.coral.availability#ThrottlingException', 'Rate exceeded'),
	requestThrottled: () => spec(403, 'RequestThrottled', 'Sender', 'com.amazonaws.sqs#RequestThrottled', 'Request is throttled.'),
};

export type InjectedFailure = 500 | 503 | 'InternalError' | 'ServiceUnavailable' | 'ThrottlingException' | 'RequestThrottled';

export function injectedError(kind: InjectedFailure): SqsErrorSpec {
	switch (kind) {
		case 500:
		case 'InternalError':
			return SQS_ERRORS.internalError();
		case 503:
		case 'ServiceUnavailable':
			return SQS_ERRORS.serviceUnavailable();
		case 'ThrottlingException':
			return SQS_ERRORS.throttlingException();
		case 'RequestThrottled':
			return SQS_ERRORS.requestThrottled();
	}
}

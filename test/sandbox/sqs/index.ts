/**
 * Amazon SQS sandbox (AWS JSON 1.0 protocol) for the SQS notification trigger. See README.md.
 *
 *   const sqs = await startSqsSandbox({ waitScale: 0.01 });
 *   const undo = routeSqsToSandbox(sqs);           // https://sqs.<region>.amazonaws.com → sandbox
 *   sqs.send('sp-api-notifications', JSON.stringify(notification));
 *   ... run the trigger with sqs.credentials() ...
 *   undo(); await sqs.close();
 */
import { type RouteOptions, routeHostsToLocal } from '../spapi/route';
import type { SqsSandbox } from './server';

export { SqsSandbox, SqsStats, startSqsSandbox, type AuthFailure, type SqsClockControls, type SqsLogEntry, type SqsQueueOptions, type SqsSandboxOptions } from './server';
export { SqsFaults, type BatchEntryFailure, type FaultFilter } from './faults';
export { SQS_ERRORS, type InjectedFailure, type SqsErrorSpec } from './errors';
export type { SandboxKey } from './auth';
export { md5Hex, type MessageView, type QueueAttributes } from './queue';

/**
 * Routes every SQS host of the sandbox's regions (`sqs.<region>.amazonaws.com` and the legacy
 * `<region>.queue.amazonaws.com`) to it with nock, exactly as the SP-API sandbox routes Amazon's
 * hosts (same forwarding code). Other hosts stay blocked except loopback. Returns the undo.
 */
export function routeSqsToSandbox(sandbox: Pick<SqsSandbox, 'hosts' | 'url'>, options: RouteOptions = {}): () => void {
	return routeHostsToLocal(
		sandbox.hosts.map((host): [string, string] => [`https://${host}`, sandbox.url]),
		options,
	);
}

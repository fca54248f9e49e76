/**
 * The SQS queue a credential points at: its URL is the only place requests (and signatures) may
 * go. Queues are regional, so the URL names the region, and the signature's region must be the
 * same one.
 */

export const SQS_SERVICE = 'sqs';

/** AWS commercial and GovCloud regions with SQS (China uses other domains and is not offered). */
export const AWS_REGIONS: Array<{ name: string; value: string; description: string }> = [
	{ name: 'US East (N. Virginia)', value: 'us-east-1', description: 'Region code us-east-1' },
	{ name: 'US East (Ohio)', value: 'us-east-2', description: 'Region code us-east-2' },
	{ name: 'US West (N. California)', value: 'us-west-1', description: 'Region code us-west-1' },
	{ name: 'US West (Oregon)', value: 'us-west-2', description: 'Region code us-west-2' },
	{ name: 'Africa (Cape Town)', value: 'af-south-1', description: 'Region code af-south-1' },
	{ name: 'Asia Pacific (Hong Kong)', value: 'ap-east-1', description: 'Region code ap-east-1' },
	{ name: 'Asia Pacific (Hyderabad)', value: 'ap-south-2', description: 'Region code ap-south-2' },
	{ name: 'Asia Pacific (Jakarta)', value: 'ap-southeast-3', description: 'Region code ap-southeast-3' },
	{ name: 'Asia Pacific (Malaysia)', value: 'ap-southeast-5', description: 'Region code ap-southeast-5' },
	{ name: 'Asia Pacific (Melbourne)', value: 'ap-southeast-4', description: 'Region code ap-southeast-4' },
	{ name: 'Asia Pacific (Mumbai)', value: 'ap-south-1', description: 'Region code ap-south-1' },
	{ name: 'Asia Pacific (Osaka)', value: 'ap-northeast-3', description: 'Region code ap-northeast-3' },
	{ name: 'Asia Pacific (Seoul)', value: 'ap-northeast-2', description: 'Region code ap-northeast-2' },
	{ name: 'Asia Pacific (Singapore)', value: 'ap-southeast-1', description: 'Region code ap-southeast-1' },
	{ name: 'Asia Pacific (Sydney)', value: 'ap-southeast-2', description: 'Region code ap-southeast-2' },
	{ name: 'Asia Pacific (Thailand)', value: 'ap-southeast-7', description: 'Region code ap-southeast-7' },
	{ name: 'Asia Pacific (Tokyo)', value: 'ap-northeast-1', description: 'Region code ap-northeast-1' },
	{ name: 'Canada (Central)', value: 'ca-central-1', description: 'Region code ca-central-1' },
	{ name: 'Canada West (Calgary)', value: 'ca-west-1', description: 'Region code ca-west-1' },
	{ name: 'Europe (Frankfurt)', value: 'eu-central-1', description: 'Region code eu-central-1' },
	{ name: 'Europe (Ireland)', value: 'eu-west-1', description: 'Region code eu-west-1' },
	{ name: 'Europe (London)', value: 'eu-west-2', description: 'Region code eu-west-2' },
	{ name: 'Europe (Milan)', value: 'eu-south-1', description: 'Region code eu-south-1' },
	{ name: 'Europe (Paris)', value: 'eu-west-3', description: 'Region code eu-west-3' },
	{ name: 'Europe (Spain)', value: 'eu-south-2', description: 'Region code eu-south-2' },
	{ name: 'Europe (Stockholm)', value: 'eu-north-1', description: 'Region code eu-north-1' },
	{ name: 'Europe (Zurich)', value: 'eu-central-2', description: 'Region code eu-central-2' },
	{ name: 'Israel (Tel Aviv)', value: 'il-central-1', description: 'Region code il-central-1' },
	{ name: 'Mexico (Central)', value: 'mx-central-1', description: 'Region code mx-central-1' },
	{ name: 'Middle East (Bahrain)', value: 'me-south-1', description: 'Region code me-south-1' },
	{ name: 'Middle East (UAE)', value: 'me-central-1', description: 'Region code me-central-1' },
	{ name: 'South America (São Paulo)', value: 'sa-east-1', description: 'Region code sa-east-1' },
	{ name: 'AWS GovCloud (US-East)', value: 'us-gov-east-1', description: 'Region code us-gov-east-1' },
	{ name: 'AWS GovCloud (US-West)', value: 'us-gov-west-1', description: 'Region code us-gov-west-1' },
];

export interface QueueLocation {
	/** The URL as normalised (no trailing slash). */
	url: string;
	/** `https://sqs.<region>.amazonaws.com`: where every request goes. */
	origin: string;
	host: string;
	region: string;
	accountId: string;
	queueName: string;
	fifo: boolean;
	/** Written in the legacy `https://<region>.queue.amazonaws.com/…` form. */
	legacy: boolean;
	arn: string;
}

export class QueueUrlError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'QueueUrlError';
	}
}

const REGION = '[a-z]{2}(?:-gov)?-[a-z]+-\\d{1,2}';
const MODERN_HOST = new RegExp(`^sqs\\.(${REGION})\\.amazonaws\\.com$`);
const LEGACY_HOST = new RegExp(`^(${REGION})\\.queue\\.amazonaws\\.com$`);
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const EXAMPLE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/sp-api-notifications';

/** Validates and splits a queue URL; every refusal says what is wrong and what a valid URL looks like. */
export function parseQueueUrl(raw: string): QueueLocation {
	const text = String(raw ?? '').trim();
	if (!text) throw new QueueUrlError('The queue URL is empty', `Copy the URL from the queue's details in the AWS SQS console, e.g. ${EXAMPLE}.`);
	if (!URL.canParse(text)) throw new QueueUrlError(`"${text}" is not a URL`, `A queue URL looks like ${EXAMPLE}.`);
	const url = new URL(text);
	if (url.protocol !== 'https:') throw new QueueUrlError(`The queue URL must use https (got ${url.protocol.replace(':', '')})`, `Use the https URL, e.g. ${EXAMPLE}.`);
	if (url.username || url.password || url.search || url.hash || url.port) {
		throw new QueueUrlError('The queue URL must not contain a user, port, query or fragment', `A queue URL looks like ${EXAMPLE}.`);
	}
	const host = url.hostname.toLowerCase();
	const modern = MODERN_HOST.exec(host);
	const legacy = LEGACY_HOST.exec(host);
	if (!modern && !legacy) {
		throw new QueueUrlError(
			`${host} is not an Amazon SQS queue host`,
			`Queue URLs are served by sqs.<region>.amazonaws.com (or the older <region>.queue.amazonaws.com), e.g. ${EXAMPLE}. Credentials are only ever sent to that host.`,
		);
	}
	const region = (modern ?? legacy)?.[1] ?? '';
	const segments = url.pathname.replace(/\/+$/, '').split('/').slice(1);
	if (segments.length !== 2) {
		throw new QueueUrlError('The queue URL must end in /<12-digit account id>/<queue name>', `A queue URL looks like ${EXAMPLE}.`);
	}
	const [accountId, queueName] = segments;
	if (!/^\d{12}$/.test(accountId)) throw new QueueUrlError(`"${accountId}" is not a 12-digit AWS account id`, `A queue URL looks like ${EXAMPLE}.`);
	const fifo = queueName.endsWith('.fifo');
	const base = fifo ? queueName.slice(0, -5) : queueName;
	if (!QUEUE_NAME.test(base) || queueName.length > 80) {
		throw new QueueUrlError(
			`"${queueName}" is not a valid queue name`,
			'Queue names have 1–80 letters, digits, hyphens or underscores (FIFO queues end in .fifo).',
		);
	}
	const origin = `https://${host}`;
	return {
		url: `${origin}/${accountId}/${queueName}`,
		origin,
		host,
		region,
		accountId,
		queueName,
		fifo,
		legacy: Boolean(legacy),
		arn: `arn:${region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'}:sqs:${region}:${accountId}:${queueName}`,
	};
}

/** The credential's region must be the queue's: AWS rejects a signature scoped to another region. */
export function assertRegionMatches(region: string, location: QueueLocation): void {
	const chosen = String(region ?? '').trim();
	if (chosen !== location.region) {
		throw new QueueUrlError(
			`The credential's region (${chosen || 'none'}) does not match the queue URL's region (${location.region})`,
			`SQS queues are regional and requests are signed for one region: set Region to ${location.region} in the AWS SQS credential, or use the URL of a queue in ${chosen || 'the chosen region'}.`,
		);
	}
}

/**
 * What an operation handler gets: the shared sandbox state and the authenticated request.
 */
import type { ResolvedConfig } from './config';
import type { IssuedToken, TokenService } from './lwa';
import type { Region } from './marketplaces';
import type { NotificationService } from './notifications';
import type { OperationDef } from './operations';
import type { NextTokenStore } from './paging';
import type { QueryParams } from './query';
import type { Scheduler } from './scheduler';
import type { DataStore, SellerData } from './store';

export interface Presigner {
	/** A pre-signed GET URL for a stored document, valid 5 minutes (÷ timeScale). */
	presign(documentId: string, options: { contentEncodingGzip: boolean }): string;
	/** A pre-signed PUT URL for a feed document: the upload must carry exactly `contentType`. */
	presignUpload(documentId: string, contentType: string): string;
}

export type FinalStatus = 'DONE' | 'FATAL' | 'CANCELLED';

export interface SandboxState {
	config: ResolvedConfig;
	now: () => number;
	store: DataStore;
	tokens: TokenService;
	paging: NextTokenStore;
	presigner: Presigner;
	scheduler: Scheduler;
	notifications: NotificationService;
	/** Report type -> final status for createReport (mutable at runtime). */
	reportOutcomes: Record<string, FinalStatus>;
	/** Feed type -> final status for createFeed (mutable at runtime). */
	feedOutcomes: Record<string, FinalStatus>;
}

/** A request authenticated with any token kind (grantless operations get only this). */
export interface AppContext {
	state: SandboxState;
	operation: OperationDef;
	params: Record<string, string>;
	query: QueryParams;
	body: Buffer;
	method: string;
	/** Decoded path. */
	path: string;
	region: Region;
	/** The addressed host is Amazon's sandbox.sellingpartnerapi-* host. */
	sandboxHost: boolean;
	token: IssuedToken;
	now: number;
}

/** A request authenticated with a seller's token (or an RDT). */
export interface ApiContext extends AppContext {
	seller: SellerData;
	/** The app holds the restricted (PII) role. */
	restrictedRole: boolean;
}

export interface ApiResult {
	status: number;
	body?: unknown;
}

export type OperationHandler = (ctx: ApiContext) => ApiResult;
export type GrantlessHandler = (ctx: AppContext) => ApiResult;

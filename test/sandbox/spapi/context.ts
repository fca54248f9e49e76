/**
 * What an operation handler gets: the shared sandbox state and the authenticated request.
 */
import type { ResolvedConfig } from './config';
import type { IssuedToken, TokenService } from './lwa';
import type { Region } from './marketplaces';
import type { OperationDef } from './operations';
import type { NextTokenStore } from './paging';
import type { QueryParams } from './query';
import type { DataStore, SellerData } from './store';

export interface Presigner {
	/** A pre-signed storage URL for a document, valid 5 minutes (÷ timeScale). */
	presign(documentId: string, options: { contentEncodingGzip: boolean }): string;
}

export interface SandboxState {
	config: ResolvedConfig;
	now: () => number;
	store: DataStore;
	tokens: TokenService;
	paging: NextTokenStore;
	presigner: Presigner;
	/** Report type -> final status for createReport (mutable at runtime). */
	reportOutcomes: Record<string, 'DONE' | 'FATAL' | 'CANCELLED'>;
}

export interface ApiContext {
	state: SandboxState;
	operation: OperationDef;
	params: Record<string, string>;
	query: QueryParams;
	body: Buffer;
	method: string;
	/** Decoded path. */
	path: string;
	region: Region;
	seller: SellerData;
	token: IssuedToken;
	/** The app holds the restricted (PII) role. */
	restrictedRole: boolean;
	now: number;
}

export interface ApiResult {
	status: number;
	body?: unknown;
}

export type OperationHandler = (ctx: ApiContext) => ApiResult;

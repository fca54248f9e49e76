/**
 * Amazon settlement engine: V2 flat-file bytes → reconciled summary → balanced GL journal(s).
 * Pure and streaming; the node adds the SP-API download, idempotency lookup and posting.
 *
 *   const summary = await readSettlement(download, { charset: charsetFromContentType(type) });
 *   const result = buildSettlementJournals(summary, rules, { bankAccount: '1360' });
 */
import { type DecodeOptions, decodeLines } from './decode';
import { type SettlementFormat, type SettlementParseOptions, SettlementParser } from './parser';
import { type SettlementSummary, type SummariseOptions, summariseSettlement } from './summary';

export * from './amounts';
export * from './dates';
export * from './decode';
export * from './errors';
export * from './journal';
export * from './money';
export * from './parser';
export * from './summary';

export type ReadSettlementOptions = DecodeOptions & SettlementParseOptions & SummariseOptions;

export interface ReadSettlementResult extends SettlementSummary {
	/** Decimal separator and date order the file used (and what decided them), columns found. */
	format: SettlementFormat;
}

/** Decode → parse → summarise in one stream; memory stays flat whatever the file size. */
export async function readSettlement(
	chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
	options: ReadSettlementOptions = {},
): Promise<ReadSettlementResult> {
	const parser = new SettlementParser(options);
	const summary = await summariseSettlement(parser.records(decodeLines(chunks, options)), options);
	return { ...summary, format: parser.format };
}

/**
 * What the stocks board adds to the sync protocol: `stocks:history`, an establishment's
 * stock lines over time (pulls carry only the current one per presentation), scoped like a
 * pull. docs/protocol.md §15 documents it.
 */
import { z } from 'zod';
import { MAX_PULL_LIMIT, type AskEvent } from '../../engine/wire';
import { Cip13Schema, type StockLine } from './model';
import { MOLECULE_CODES } from './products';

export const stocksWire = {
  history: 'stocks:history',
} as const;

/** An establishment's lines, latest count first; narrowed to a presentation or a molecule, and to counts at or after `since`. */
export const StockHistoryRequestSchema = z.strictObject({
  finess: z.string().regex(/^[0-9][0-9AB][0-9]{7}$/),
  cip13: Cip13Schema.optional(),
  molecule: z.enum(MOLECULE_CODES).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(MAX_PULL_LIMIT).optional(),
});
export type StockHistoryRequest = z.infer<typeof StockHistoryRequestSchema>;
export interface StockHistoryResult {
  lines: StockLine[];
}

/** The Socket.IO events the stocks board adds. */
export interface StocksSocketEvents {
  'stocks:history': AskEvent<StockHistoryRequest, StockHistoryResult>;
}

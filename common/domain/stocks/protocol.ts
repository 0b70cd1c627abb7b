/**
 * What the stocks board adds to the sync protocol: `stocks:history`, an establishment's
 * stock lines over time (pulls carry only the current one per presentation), scoped like a
 * pull; `stocks:series`, the chart's daily series of a place (an establishment, a région,
 * France) aggregated on the server, with its COVID+ critical-care occupancy from the bed
 * board. docs/protocol.md §15 documents them.
 */
import { z } from 'zod';
import { MAX_PULL_LIMIT, type AskEvent } from '../../engine/wire';
import { Cip13Schema, type StockLine } from './model';
import { MOLECULE_CODES } from './products';
import type { StockChartSeries } from './series';

export const stocksWire = {
  history: 'stocks:history',
  series: 'stocks:series',
} as const;

/** The longest chart the server aggregates. */
export const MAX_SERIES_DAYS = 90;

/**
 * A place's daily series for one molecule over the `days` Paris days ending today (server
 * clock): `FR`, `R:<région>` or `E:<FINESS>`, at or below the user's own territory.
 */
export const StockSeriesRequestSchema = z.strictObject({
  place: z.string().regex(/^(FR|R:[0-9]{2}|E:[0-9][0-9AB][0-9]{7})$/),
  molecule: z.enum(MOLECULE_CODES),
  days: z.number().int().min(7).max(MAX_SERIES_DAYS).optional(),
});
export type StockSeriesRequest = z.infer<typeof StockSeriesRequestSchema>;
export type StockSeriesResult = StockChartSeries;

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
  'stocks:series': AskEvent<StockSeriesRequest, StockSeriesResult>;
}

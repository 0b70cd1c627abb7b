/**
 * `stocks:series`: the chart's daily series of a place (an establishment, a région, France)
 * for one molecule, aggregated here from the stock history and the bed board's reports, so a
 * région's or France's chart is one answer instead of one history per establishment. The
 * place must be the user's own territory or lie inside it (an ARS: its région and its
 * establishments; the national cell: anything); otherwise `forbidden`, and nothing is read.
 */
import { z } from 'zod';
import { addDays } from '../../../common/domain/stocks/forecast';
import { MAX_SERIES_DAYS, StockSeriesRequestSchema, type StockSeriesResult } from '../../../common/domain/stocks/protocol';
import { occupancySeries, parisDayOf, stockSeries } from '../../../common/domain/stocks/series';
import { describeZodError, type Actor } from '../../../common/engine/mutation';
import { fr } from '../../../common/i18n/fr';
import type { Territories } from '../../../common/territory';
import type { Reply } from '../../../common/protocol';
import type { StocksStore } from './store';

const frenchIssues = z.locales.fr().localeError;
/**
 * Counts from this many days before the first day are read too: the count held on the first
 * day (pharmacies count twice a week; a count older than two weeks is not carried in).
 */
const LOOKBACK_DAYS = 14;

export async function stockChartSeries(store: StocksStore, territories: Territories, actor: Actor, raw: unknown, now: Date): Promise<Reply<StockSeriesResult>> {
  const parsed = StockSeriesRequestSchema.safeParse(raw, { error: frenchIssues });
  if (!parsed.success) return { error: { code: 'bad_request', message: fr.protocol.badPayload(describeZodError(parsed.error)) } };
  const req = parsed.data;
  const path = territories.path(req.place);
  if (!path) return { error: { code: 'bad_request', message: fr.stocks.unknownPlace(req.place) } };
  if (!path.startsWith(actor.territoryPath)) return { error: { code: 'forbidden', message: fr.stocks.placeOutOfScope(territories.label(req.place)) } };
  const to = parisDayOf(now.toISOString());
  const from = addDays(to, -((req.days ?? MAX_SERIES_DAYS) - 1));
  // Midnight UTC of the look-back day: at most two hours early for Paris, which only reads more.
  const since = `${addDays(from, -LOOKBACK_DAYS)}T00:00:00.000Z`;
  const lines = await store.placeLines(path, req.molecule, since);
  const series = stockSeries(lines, from, to);
  const covidOccupied = occupancySeries(await store.occupancyReports(path, since), series.days);
  return { data: { ...series, covidOccupied, establishments: new Set(lines.map((l) => l.finess)).size } };
}

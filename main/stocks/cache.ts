/**
 * How the client cache keeps the stocks board's rows: each presentation's current line per
 * establishment from the server in `stock_lines` (replaced only by a line counted later, or
 * at the same time with a newer server version: a late report of an old count never replaces
 * a newer one), pending lines in `ov_stock_lines`.
 */
import { stockLineEntity } from '../../common/domain/stocks/entities';
import type { StockLine } from '../../common/domain/stocks/model';
import { defineCacheEntity } from '../store/cacheEntity';
import { LINE_COLS, LINE_VALUES, lineToRow } from './rows';
import { redeploymentCache } from './redeployCache';
import { allocationLineCache, allocationRoundCache } from './rounds';

export const stockLineCache = defineCacheEntity<StockLine>({
  entity: stockLineEntity,
  table: 'stock_lines',
  overlay: 'ov_stock_lines',
  keyColumns: ['finess', 'cip13'],
  keyOf: (l) => [l.finess, l.cip13],
  // A presentation's server row at or after a line's version already shows it or a later count.
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO stock_lines (${LINE_COLS}) VALUES (${LINE_VALUES})
       ON CONFLICT(finess, cip13) DO UPDATE SET id = excluded.id, molecule = excluded.molecule, on_hand = excluded.on_hand,
         used_7d = excluded.used_7d, daily_use = excluded.daily_use, days_out = excluded.days_out, delivered = excluded.delivered,
         comment = excluded.comment, source = excluded.source, reported_by = excluded.reported_by, reported_role = excluded.reported_role,
         at = excluded.at, version = excluded.version
       WHERE julianday(excluded.at) > julianday(stock_lines.at)
          OR (julianday(excluded.at) = julianday(stock_lines.at) AND excluded.version > stock_lines.version)`,
    );
    return { upsert: (l) => up.run(lineToRow(l)).changes > 0 };
  },
});

export const stocksCache = [stockLineCache, redeploymentCache, allocationRoundCache, allocationLineCache] as const;

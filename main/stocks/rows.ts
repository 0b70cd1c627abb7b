/** Row shapes of the stocks board in the local cache and their mapping to `StockLine`. Pure. */
import type { StockLine, StockSource } from '../../common/domain/stocks/model';
import { isMoleculeCode } from '../../common/domain/stocks/products';

export interface LineRow {
  id: string;
  finess: string;
  cip13: string;
  molecule: string;
  on_hand: number;
  used_7d: number | null;
  daily_use: number | null;
  days_out: number;
  delivered: number;
  comment: string;
  source: string;
  reported_by: string;
  reported_role: string;
  at: string;
  version: number;
}

export const LINE_COLS = 'id, finess, cip13, molecule, on_hand, used_7d, daily_use, days_out, delivered, comment, source, reported_by, reported_role, at, version';
export const LINE_VALUES =
  '@id, @finess, @cip13, @molecule, @on_hand, @used_7d, @daily_use, @days_out, @delivered, @comment, @source, @reported_by, @reported_role, @at, @version';

export function lineToRow(l: StockLine): LineRow {
  return {
    id: l.id,
    finess: l.finess,
    cip13: l.cip13,
    molecule: l.molecule,
    on_hand: l.onHand,
    used_7d: l.used7d,
    daily_use: l.dailyUse,
    days_out: l.daysOut,
    delivered: l.delivered,
    comment: l.comment,
    source: l.source,
    reported_by: l.reportedBy,
    reported_role: l.reportedRole,
    at: l.at,
    version: l.version,
  };
}

/** Null for a row of a molecule this release does not know (a later referential). */
export function rowToLine(r: LineRow): StockLine | null {
  if (!isMoleculeCode(r.molecule)) return null;
  return {
    id: r.id,
    finess: r.finess,
    cip13: r.cip13,
    molecule: r.molecule,
    onHand: r.on_hand,
    used7d: r.used_7d,
    dailyUse: r.daily_use,
    daysOut: r.days_out,
    delivered: r.delivered,
    comment: r.comment,
    source: (r.source === 'correction' ? 'correction' : 'pui') satisfies StockSource,
    reportedBy: r.reported_by,
    reportedRole: r.reported_role,
    at: r.at,
    version: r.version,
  };
}

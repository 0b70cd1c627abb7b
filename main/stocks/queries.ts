/**
 * The stocks board's reads over the cache (`store.boards.stocks`): each presentation's
 * current line per establishment (the server's, or a pending one counted at or after it),
 * and this workstation's cover thresholds.
 */
import { CoverThresholdsSchema, DEFAULT_COVER_THRESHOLDS, type CoverThresholds, type StockLine } from '../../common/domain/stocks/model';
import type { LocalStore } from '../store/localStore';
import { LINE_COLS, rowToLine, type LineRow } from './rows';
import { visibleRedeployments } from './redeployRows';

const META_STOCK_SETTINGS = 'stock_settings';

export interface CurrentLine {
  line: StockLine;
  pending: boolean;
}

export class StocksQueries {
  constructor(private readonly engine: LocalStore) {}

  /** Current lines, keyed `finess:cip13`; `finess` narrows to one establishment. */
  currentLines(finess?: string): CurrentLine[] {
    const where = finess === undefined ? '1 = 1' : 'finess = ?';
    const params = finess === undefined ? [] : [finess];
    const server = this.engine.stmt(`SELECT ${LINE_COLS} FROM stock_lines WHERE ${where}`).all(...params) as LineRow[];
    const pending = this.engine.stmt(`SELECT ${LINE_COLS} FROM ov_stock_lines WHERE ${where} ORDER BY mutation_id`).all(...params) as LineRow[];
    const byKey = new Map<string, CurrentLine>();
    for (const r of server) {
      const line = rowToLine(r);
      if (line) byKey.set(`${line.finess}:${line.cip13}`, { line, pending: false });
    }
    for (const r of pending) {
      const line = rowToLine(r);
      if (!line) continue;
      const key = `${line.finess}:${line.cip13}`;
      const held = byKey.get(key);
      // A pending count older than what the server holds does not show (latest by count time).
      if (held && Date.parse(line.at) < Date.parse(held.line.at)) continue;
      byKey.set(key, { line, pending: true });
    }
    return [...byKey.values()];
  }

  /** Regional redeployments this cache holds (pending state on top). */
  redeployments = (finess?: string) => visibleRedeployments(this.engine, finess);

  /** This workstation's cover thresholds (defaults until changed). */
  settings(): CoverThresholds {
    const raw = this.engine.getMeta(META_STOCK_SETTINGS);
    if (raw === null) return { ...DEFAULT_COVER_THRESHOLDS };
    try {
      const parsed = CoverThresholdsSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : { ...DEFAULT_COVER_THRESHOLDS };
    } catch {
      return { ...DEFAULT_COVER_THRESHOLDS };
    }
  }

  setSettings(t: CoverThresholds): CoverThresholds {
    this.engine.setMeta(META_STOCK_SETTINGS, JSON.stringify(t));
    return this.settings();
  }
}

/** The stocks board's own reads on the server, outside mutators (history on demand, tests, demo). */
import type Database from 'better-sqlite3';
import type { StockLine } from '../../../common/domain/stocks/model';
import { LINE_COLUMNS } from './sqliteTx';

export interface StocksStore {
  /** The current line of a presentation at an establishment. */
  current(finess: string, cip13: string): Promise<StockLine | undefined>;
  /** A presentation's lines at an establishment, latest count first. */
  history(finess: string, cip13: string, limit: number): Promise<StockLine[]>;
  /** An establishment's lines, latest count first (equal times: later version first), narrowed as asked. */
  establishmentHistory(finess: string, only: { cip13?: string; molecule?: string; since?: string }, limit: number): Promise<StockLine[]>;
  countLines(): Promise<number>;
}

export function sqliteStocksStore(db: Database.Database): StocksStore {
  const st = {
    current: db.prepare<[string, string], StockLine>(`SELECT ${LINE_COLUMNS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE c.finess = ? AND c.cip13 = ?`),
    history: db.prepare<[string, string, number], StockLine>(
      `SELECT ${LINE_COLUMNS} FROM stock_lines l WHERE l.finess = ? AND l.cip13 = ? ORDER BY julianday(l.at) DESC, l.version DESC LIMIT ?`,
    ),
    count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM stock_lines`),
    // Through the (finess, cip13, version) index: an establishment has a few thousand lines at most.
    establishment: db.prepare<{ finess: string; cip13: string | null; molecule: string | null; since: string | null; limit: number }, StockLine>(
      `SELECT ${LINE_COLUMNS} FROM stock_lines l WHERE l.finess = @finess AND (@cip13 IS NULL OR l.cip13 = @cip13)
         AND (@molecule IS NULL OR l.molecule = @molecule) AND (@since IS NULL OR julianday(l.at) >= julianday(@since))
       ORDER BY julianday(l.at) DESC, l.version DESC LIMIT @limit`,
    ),
  };
  return {
    current: async (finess, cip13) => st.current.get(finess, cip13),
    history: async (finess, cip13, limit) => st.history.all(finess, cip13, limit),
    countLines: async () => st.count.get()?.n ?? 0,
    establishmentHistory: async (finess, only, limit) =>
      st.establishment.all({ finess, cip13: only.cip13 ?? null, molecule: only.molecule ?? null, since: only.since ?? null, limit }),
  };
}

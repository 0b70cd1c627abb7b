/** The stocks board's own reads on the server, outside mutators (tests, diagnostics, demo). */
import type Database from 'better-sqlite3';
import type { StockLine } from '../../../common/domain/stocks/model';
import { LINE_COLUMNS } from './sqliteTx';

export interface StocksStore {
  /** The current line of a presentation at an establishment. */
  current(finess: string, cip13: string): Promise<StockLine | undefined>;
  /** A presentation's lines at an establishment, latest count first. */
  history(finess: string, cip13: string, limit: number): Promise<StockLine[]>;
  countLines(): Promise<number>;
}

export function sqliteStocksStore(db: Database.Database): StocksStore {
  const st = {
    current: db.prepare<[string, string], StockLine>(`SELECT ${LINE_COLUMNS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE c.finess = ? AND c.cip13 = ?`),
    history: db.prepare<[string, string, number], StockLine>(
      `SELECT ${LINE_COLUMNS} FROM stock_lines l WHERE l.finess = ? AND l.cip13 = ? ORDER BY julianday(l.at) DESC, l.version DESC LIMIT ?`,
    ),
    count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM stock_lines`),
  };
  return {
    current: async (finess, cip13) => st.current.get(finess, cip13),
    history: async (finess, cip13, limit) => st.history.all(finess, cip13, limit),
    countLines: async () => st.count.get()?.n ?? 0,
  };
}

/** The stocks board's own reads on the server, outside mutators (history on demand, the chart's series, tests, demo). */
import type Database from 'better-sqlite3';
import type { StockLine } from '../../../common/domain/stocks/model';
import type { UnitReport } from '../../../common/domain/beds/model';
import type { OccupancyReport, SeriesLine } from '../../../common/domain/stocks/series';
import { sqliteBedsStore } from '../beds/store';
import { LINE_COLUMNS } from './sqliteTx';

/** At most this many reports of one bed unit per series (a unit reports a few times a day at most). */
const UNIT_REPORTS = 1_000;

export interface StocksStore {
  /** The current line of a presentation at an establishment. */
  current(finess: string, cip13: string): Promise<StockLine | undefined>;
  /** A presentation's lines at an establishment, latest count first. */
  history(finess: string, cip13: string, limit: number): Promise<StockLine[]>;
  /** An establishment's lines, latest count first (equal times: later version first), narrowed as asked. */
  establishmentHistory(finess: string, only: { cip13?: string; molecule?: string; since?: string }, limit: number): Promise<StockLine[]>;
  /** Every line of `molecule` counted at or after `since` at the establishments under the scope path `path` (the figures a chart reads). */
  placeLines(path: string, molecule: string, since: string): Promise<SeriesLine[]>;
  /**
   * The bed board's reports of the units under the scope path `path` that tell the COVID+
   * occupancy from `since` on: each unit's report current at `since` and every later one
   * (read through the bed board's own store: its picture at an instant and its unit history).
   */
  occupancyReports(path: string, since: string): Promise<OccupancyReport[]>;
  /** The current lines (one per presentation) of an establishment, or of every establishment. */
  currentLines(finess?: string): Promise<StockLine[]>;
  /** The bed board's current reports of the units under the scope path `path` (demo: the occupancy history it adds). */
  bedUnits(path: string): Promise<UnitReport[]>;
  countLines(): Promise<number>;
}

export function sqliteStocksStore(db: Database.Database): StocksStore {
  const beds = sqliteBedsStore(db);
  const st = {
    current: db.prepare<[string, string], StockLine>(`SELECT ${LINE_COLUMNS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE c.finess = ? AND c.cip13 = ?`),
    history: db.prepare<[string, string, number], StockLine>(
      `SELECT ${LINE_COLUMNS} FROM stock_lines l WHERE l.finess = ? AND l.cip13 = ? ORDER BY julianday(l.at) DESC, l.version DESC LIMIT ?`,
    ),
    count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM stock_lines`),
    currentLines: db.prepare<{ finess: string | null }, StockLine>(
      `SELECT ${LINE_COLUMNS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE @finess IS NULL OR c.finess = @finess ORDER BY c.finess, c.cip13`,
    ),
    // Through the (finess, cip13, version) index: an establishment has a few thousand lines at most.
    establishment: db.prepare<{ finess: string; cip13: string | null; molecule: string | null; since: string | null; limit: number }, StockLine>(
      `SELECT ${LINE_COLUMNS} FROM stock_lines l WHERE l.finess = @finess AND (@cip13 IS NULL OR l.cip13 = @cip13)
         AND (@molecule IS NULL OR l.molecule = @molecule) AND (@since IS NULL OR julianday(l.at) >= julianday(@since))
       ORDER BY julianday(l.at) DESC, l.version DESC LIMIT @limit`,
    ),
    // The establishments with a current line under a scope path (paths end with '/'; every path
    // below one starts with it and sorts before it + U+FFFF).
    // A place's lines: its establishments are those with a current line under its scope path
    // (paths end with '/'; every path below one starts with it and sorts before it + U+FFFF),
    // each read through the (finess, cip13, version) index; unordered (the series sorts).
    placeLines: db.prepare<{ from: string; to: string; molecule: string; since: string }, SeriesLine>(
      `SELECT l.finess, l.cip13, l.at, l.version, l.on_hand AS onHand, l.used_7d AS used7d, l.daily_use AS dailyUse, l.days_out AS daysOut
       FROM stock_lines l WHERE l.finess IN (SELECT DISTINCT finess FROM stock_current WHERE scope_path >= @from AND scope_path < @to)
         AND l.molecule = @molecule AND julianday(l.at) >= julianday(@since)`,
    ),
    everyLine: db.prepare<{ molecule: string; since: string }, SeriesLine>(
      `SELECT l.finess, l.cip13, l.at, l.version, l.on_hand AS onHand, l.used_7d AS used7d, l.daily_use AS dailyUse, l.days_out AS daysOut
       FROM stock_lines l WHERE l.molecule = @molecule AND julianday(l.at) >= julianday(@since)`,
    ),
  };
  const establishmentHistory: StocksStore['establishmentHistory'] = async (finess, only, limit) =>
    st.establishment.all({ finess, cip13: only.cip13 ?? null, molecule: only.molecule ?? null, since: only.since ?? null, limit });
  return {
    current: async (finess, cip13) => st.current.get(finess, cip13),
    history: async (finess, cip13, limit) => st.history.all(finess, cip13, limit),
    countLines: async () => st.count.get()?.n ?? 0,
    currentLines: async (finess) => st.currentLines.all({ finess: finess ?? null }),
    bedUnits: (path) => beds.picture([path], undefined),
    establishmentHistory,
    // France is most of the table: one scan reads it faster than an index probe per establishment.
    placeLines: async (path, molecule, since) =>
      path.split('/').length <= 3 ? st.everyLine.all({ molecule, since }) : st.placeLines.all({ from: path, to: `${path}\uffff`, molecule, since }),
    async occupancyReports(path, since) {
      const held = await beds.picture([path], since);
      const out: OccupancyReport[] = held.map((r) => ({ finess: r.finess, unitId: r.unitId, at: r.at, version: r.version, covidPos: r.covidPos }));
      for (const u of await beds.picture([path], undefined)) {
        for (const r of await beds.unitHistory(u.finess, u.unitId, since, UNIT_REPORTS)) {
          out.push({ finess: r.finess, unitId: r.unitId, at: r.at, version: r.version, covidPos: r.covidPos });
        }
      }
      return out;
    },
  };
}

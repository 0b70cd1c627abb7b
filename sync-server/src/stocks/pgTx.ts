/**
 * The stocks board's part of the PostgreSQL store: its transaction slice — lines, allocation
 * rounds and redeployments, the same tables and rules as `sqliteTx.ts`, `roundsTx.ts` and
 * `redeployTx.ts`; reads from the mutation's read cache, writes buffered
 * (`store/pg/txRuntime.ts`) — and its store part (`store.ts`'s interface).
 */
import { stockLineEntity } from '../../../common/domain/stocks/entities';
import type { StockLine } from '../../../common/domain/stocks/model';
import { redeploymentEntity } from '../../../common/domain/stocks/redeployEntities';
import type { Redeployment } from '../../../common/domain/stocks/redeployment';
import { allocationLineEntity, allocationRoundEntity, type AllocationRound, type AllocationRoundLine } from '../../../common/domain/stocks/rounds';
import type { StocksTx } from '../../../common/domain/stocks/tx';
import type { PgBoardPart } from '../store/pg/board';
import type { PgChangeWriter } from '../store/pg/changeWriter';
import type { PgDb } from '../store/pg/db';
import { pgColumns, readAll, readOne, type PgTxRuntime } from '../store/pg/txRuntime';
import { loadServerProducts } from './products';
import { LINE_COLUMNS } from './sqliteTx';
import type { StocksStore } from './store';
import type { OccupancyReport, SeriesLine } from '../../../common/domain/stocks/series';
import { pgBedsStore } from '../beds/pgTx';

const COLS = pgColumns(LINE_COLUMNS);
type DataRow = { data: string };
const parse = <T>(r: DataRow): T => JSON.parse(r.data) as T;
const same = <T>(r: T): T => r;

export function pgStocksTx(rt: PgTxRuntime, writer: PgChangeWriter): StocksTx {
  const products = loadServerProducts();
  return {
    products: () => products,
    getLine: (id) => readOne<StockLine, StockLine>(rt, 'st.line', `SELECT ${COLS} FROM stock_lines l WHERE l.id = $1`, [id], same),
    insertLine(line) {
      const { row: l, scopePath } = writer.stamp(stockLineEntity, line);
      rt.write(
        `INSERT INTO stock_lines (id, finess, cip13, molecule, on_hand, used_7d, daily_use, days_out, delivered, comment, source,
           reported_by, reported_role, at, version, scope_path)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [l.id, l.finess, l.cip13, l.molecule, l.onHand, l.used7d, l.dailyUse, l.daysOut, l.delivered, l.comment, l.source, l.reportedBy, l.reportedRole, l.at, l.version, scopePath],
      );
      // Latest by count time wins; at equal times the later version.
      rt.write(
        `INSERT INTO stock_current (finess, cip13, line_id, version, scope_path, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (finess, cip13) DO UPDATE SET line_id = excluded.line_id, version = excluded.version, scope_path = excluded.scope_path, at = excluded.at
         WHERE excluded.at::timestamptz >= stock_current.at::timestamptz`,
        [l.finess, l.cip13, l.id, l.version, scopePath, l.at],
      );
    },
    // Allocation rounds.
    getRound: (id) => readOne(rt, 'st.round', `SELECT data FROM allocation_rounds WHERE id = $1`, [id], parse<AllocationRound>),
    putRound(round) {
      const { row, scopePath } = writer.stamp(allocationRoundEntity, round);
      rt.write(
        `INSERT INTO allocation_rounds (id, cip13, data, version, scope_path) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data, version = excluded.version`,
        [row.id, row.cip13, JSON.stringify(row), row.version, scopePath],
      );
    },
    getRoundLine: (id) => readOne(rt, 'st.roundLine', `SELECT data FROM allocation_lines WHERE id = $1`, [id], parse<AllocationRoundLine>),
    putRoundLine(line) {
      const { row, scopePath } = writer.stamp(allocationLineEntity, line);
      rt.write(
        `INSERT INTO allocation_lines (id, round_id, finess, quota, confirmed_at, data, version, scope_path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET quota = excluded.quota, confirmed_at = excluded.confirmed_at, data = excluded.data, version = excluded.version`,
        [row.id, row.roundId, row.finess, row.quota, row.confirmedAt, JSON.stringify(row), row.version, scopePath],
      );
    },
    // Redeployments.
    getRedeployment: (id) => readOne(rt, 'st.redeploy', `SELECT data FROM redeployments WHERE id = $1`, [id], parse<Redeployment>),
    putRedeployment(r) {
      const { row, scopePath } = writer.stamp(redeploymentEntity, r);
      rt.write(
        `INSERT INTO redeployments (id, region, molecule, cip13, from_finess, to_finess, units, state, data, version, scope_path)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version, scope_path = excluded.scope_path`,
        [row.id, row.region, row.molecule, row.cip13, row.from, row.to, row.units, row.state, JSON.stringify(row), row.version, scopePath],
      );
    },
    redeploymentsOf: (finess) =>
      readAll(rt, 'st.redeployOf', `SELECT data FROM redeployments WHERE from_finess = $1 OR to_finess = $1 ORDER BY version`, [finess], parse<Redeployment>),
    // SQLite walks stock_current's primary key (finess, cip13): the same order.
    currentLines: (finess) =>
      readAll<StockLine, StockLine>(
        rt,
        'st.currentLines',
        `SELECT ${COLS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE c.finess = $1 ORDER BY c.cip13 COLLATE "C"`,
        [finess],
        same,
      ),
  };
}

/** A `stock_lines` row as a `SeriesLine` (aliased `l`). */
const SERIES_COLS = `l.finess, l.cip13, l.at, l.version, l.on_hand AS "onHand", l.used_7d AS "used7d", l.daily_use AS "dailyUse", l.days_out AS "daysOut"`;

/** At most this many reports of one bed unit per series (as `store.ts`). */
const UNIT_REPORTS = 1_000;

export function pgStocksStore(db: PgDb): StocksStore {
  const beds = pgBedsStore(db);
  return {
    // The same reads as `store.ts`: France (`/FR/`, most of the table) in one scan; a smaller
    // place through its establishments with a current line under its scope path (byte order,
    // `COLLATE "C"`), each read through the (finess, cip13, version) index; unordered.
    placeLines: async (path, molecule, since) =>
      path.split('/').length <= 3
        ? db.query<SeriesLine>(`SELECT ${SERIES_COLS} FROM stock_lines l WHERE l.molecule = $1 AND l.at::timestamptz >= $2::timestamptz`, [molecule, since])
        : db.query<SeriesLine>(
            `SELECT ${SERIES_COLS} FROM stock_lines l
             WHERE l.finess IN (SELECT DISTINCT finess FROM stock_current WHERE scope_path >= $1 AND scope_path < $2)
               AND l.molecule = $3 AND l.at::timestamptz >= $4::timestamptz`,
            [path, `${path}\uffff`, molecule, since],
          ),
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
    // SQLite walks stock_current's primary key (finess, cip13): the same order.
    currentLines: async (finess) =>
      db.query<StockLine>(
        `SELECT ${COLS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE $1::text IS NULL OR c.finess = $1
         ORDER BY c.finess COLLATE "C", c.cip13 COLLATE "C"`,
        [finess ?? null],
      ),
    bedUnits: (path) => beds.picture([path], undefined),
    current: async (finess, cip13) =>
      (await db.query<StockLine>(`SELECT ${COLS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE c.finess = $1 AND c.cip13 = $2`, [finess, cip13]))[0],
    history: async (finess, cip13, limit) =>
      db.query<StockLine>(`SELECT ${COLS} FROM stock_lines l WHERE l.finess = $1 AND l.cip13 = $2 ORDER BY l.at::timestamptz DESC, l.version DESC LIMIT $3`, [finess, cip13, limit]),
    countLines: async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stock_lines`))[0]?.n ?? 0,
    establishmentHistory: async (finess, only, limit) =>
      db.query<StockLine>(
        `SELECT ${COLS} FROM stock_lines l WHERE l.finess = $1 AND ($2::text IS NULL OR l.cip13 = $2)
           AND ($3::text IS NULL OR l.molecule = $3) AND ($4::text IS NULL OR l.at::timestamptz >= $4::timestamptz)
         ORDER BY l.at::timestamptz DESC, l.version DESC LIMIT $5`,
        [finess, only.cip13 ?? null, only.molecule ?? null, only.since ?? null, limit],
      ),
  };
}

export const stocksPg: PgBoardPart<StocksStore> = { slice: pgStocksTx, store: pgStocksStore };

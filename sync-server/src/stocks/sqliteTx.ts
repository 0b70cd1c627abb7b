/**
 * The stocks board's transaction slice over the server's SQLite tables: every line is kept
 * (`stock_lines`) and becomes its presentation's current one (`stock_current`) unless it was
 * counted before it (latest by count time; equal times: the later version). Lines are stamped
 * through the engine's `ChangeWriter`.
 */
import type Database from 'better-sqlite3';
import { stockLineEntity } from '../../../common/domain/stocks/entities';
import type { StockLine } from '../../../common/domain/stocks/model';
import type { StocksTx } from '../../../common/domain/stocks/tx';
import type { ChangeWriter } from '../store/changeWriter';
import { loadServerProducts } from './products';
import { sqliteRedeployTx } from './redeployTx';
import { sqliteRoundsTx } from './roundsTx';

/** A `stock_lines` row as a `StockLine` (aliased `l`). */
export const LINE_COLUMNS = `l.id, l.finess, l.cip13, l.molecule, l.on_hand AS onHand, l.used_7d AS used7d, l.daily_use AS dailyUse,
  l.days_out AS daysOut, l.delivered, l.comment, l.source, l.reported_by AS reportedBy, l.reported_role AS reportedRole, l.at, l.version`;

export function sqliteStocksTx(db: Database.Database, writer: ChangeWriter): StocksTx {
  const products = loadServerProducts();
  const st = {
    getLine: db.prepare<[string], StockLine>(`SELECT ${LINE_COLUMNS} FROM stock_lines l WHERE l.id = ?`),
    insert: db.prepare(`INSERT INTO stock_lines (id, finess, cip13, molecule, on_hand, used_7d, daily_use, days_out, delivered, comment, source,
        reported_by, reported_role, at, version, scope_path)
      VALUES (@id, @finess, @cip13, @molecule, @onHand, @used7d, @dailyUse, @daysOut, @delivered, @comment, @source,
        @reportedBy, @reportedRole, @at, @version, @scopePath)`),
    // Latest by count time wins; at equal times the later version. julianday() compares instants across offsets.
    putCurrent: db.prepare(`INSERT INTO stock_current (finess, cip13, line_id, version, scope_path, at) VALUES (@finess, @cip13, @id, @version, @scopePath, @at)
      ON CONFLICT(finess, cip13) DO UPDATE SET line_id = excluded.line_id, version = excluded.version, scope_path = excluded.scope_path, at = excluded.at
      WHERE julianday(excluded.at) >= julianday(stock_current.at)`),
  };
  return {
    ...sqliteRedeployTx(db, writer),
    ...sqliteRoundsTx(db, writer),
    products: () => products,
    getLine: (id) => st.getLine.get(id),
    insertLine(line) {
      const { row, scopePath } = writer.stamp(stockLineEntity, line);
      st.insert.run({ ...row, scopePath });
      st.putCurrent.run({ ...row, scopePath });
    },
  };
}

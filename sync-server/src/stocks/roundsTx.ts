/**
 * The allocation rounds' part of the stocks slice over the server's SQLite tables: rows kept
 * whole as JSON, each write stamped through the engine's `ChangeWriter` (next version,
 * change-log row, poke).
 */
import type Database from 'better-sqlite3';
import { allocationLineEntity, allocationRoundEntity, type AllocationRound, type AllocationRoundLine, type RoundsTx } from '../../../common/domain/stocks/rounds';
import type { ChangeWriter } from '../store/changeWriter';

export function sqliteRoundsTx(db: Database.Database, writer: ChangeWriter): RoundsTx {
  const st = {
    getRound: db.prepare<[string], { data: string }>(`SELECT data FROM allocation_rounds WHERE id = ?`),
    putRound: db.prepare(`INSERT INTO allocation_rounds (id, cip13, data, version, scope_path) VALUES (@id, @cip13, @data, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET data = excluded.data, version = excluded.version`),
    getLine: db.prepare<[string], { data: string }>(`SELECT data FROM allocation_lines WHERE id = ?`),
    putLine: db.prepare(`INSERT INTO allocation_lines (id, round_id, finess, quota, confirmed_at, data, version, scope_path)
      VALUES (@id, @roundId, @finess, @quota, @confirmedAt, @data, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET quota = excluded.quota, confirmed_at = excluded.confirmed_at, data = excluded.data, version = excluded.version`),
  };
  return {
    getRound: (id) => {
      const r = st.getRound.get(id);
      return r ? (JSON.parse(r.data) as AllocationRound) : undefined;
    },
    putRound(round) {
      const { row, scopePath } = writer.stamp(allocationRoundEntity, round);
      st.putRound.run({ id: row.id, cip13: row.cip13, data: JSON.stringify(row), version: row.version, scopePath });
    },
    getRoundLine: (id) => {
      const r = st.getLine.get(id);
      return r ? (JSON.parse(r.data) as AllocationRoundLine) : undefined;
    },
    putRoundLine(line) {
      const { row, scopePath } = writer.stamp(allocationLineEntity, line);
      st.putLine.run({ id: row.id, roundId: row.roundId, finess: row.finess, quota: row.quota, confirmedAt: row.confirmedAt, data: JSON.stringify(row), version: row.version, scopePath });
    },
  };
}

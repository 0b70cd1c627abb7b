/** The transfers board's own reads on the server, outside mutators. */
import type Database from 'better-sqlite3';

export interface TransfersStore {
  /** Beds held right now on a unit by active holds (tests and diagnostics). */
  activeHolds(finess: string, unitId: string, now: Date): Promise<number>;
  countTransfers(): Promise<number>;
}

export function sqliteTransfersStore(db: Database.Database): TransfersStore {
  const st = {
    active: db.prepare<[string, string, string], { n: number }>(
      `SELECT count(*) AS n FROM holds WHERE finess = ? AND unit_id = ? AND state = 'active' AND julianday(expires_at) > julianday(?)`,
    ),
    count: db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM transfers`),
  };
  return {
    async activeHolds(finess, unitId, now) {
      return st.active.get(finess, unitId, now.toISOString())?.n ?? 0;
    },
    async countTransfers() {
      return st.count.get()?.n ?? 0;
    },
  };
}

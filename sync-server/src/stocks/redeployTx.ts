/**
 * The redeployment part of the stocks board's slice over the server's SQLite tables: moves
 * (`redeployments`, stamped through the engine's `ChangeWriter`, logged once per branch) and
 * each establishment's current stock lines (`stock_current`), read inside the mutation's
 * transaction.
 */
import type Database from 'better-sqlite3';
import { redeploymentEntity } from '../../../common/domain/stocks/redeployEntities';
import type { StockLine } from '../../../common/domain/stocks/model';
import type { Redeployment } from '../../../common/domain/stocks/redeployment';
import type { RedeployTx } from '../../../common/domain/stocks/redeployTx';
import type { ChangeWriter } from '../store/changeWriter';
import { LINE_COLUMNS } from './sqliteTx';

export function sqliteRedeployTx(db: Database.Database, writer: ChangeWriter): RedeployTx {
  const st = {
    get: db.prepare<[string], { data: string }>(`SELECT data FROM redeployments WHERE id = ?`),
    of: db.prepare<[string, string], { data: string }>(`SELECT data FROM redeployments WHERE from_finess = ? OR to_finess = ? ORDER BY version`),
    put: db.prepare(`INSERT INTO redeployments (id, region, molecule, cip13, from_finess, to_finess, units, state, data, version, scope_path)
      VALUES (@id, @region, @molecule, @cip13, @from, @to, @units, @state, @data, @version, @scopePath)
      ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version, scope_path = excluded.scope_path`),
    lines: db.prepare<[string], StockLine>(`SELECT ${LINE_COLUMNS} FROM stock_current c JOIN stock_lines l ON l.id = c.line_id WHERE c.finess = ?`),
  };
  return {
    getRedeployment: (id) => {
      const r = st.get.get(id);
      return r ? (JSON.parse(r.data) as Redeployment) : undefined;
    },
    putRedeployment(r) {
      const { row, scopePath } = writer.stamp(redeploymentEntity, r);
      st.put.run({ id: row.id, region: row.region, molecule: row.molecule, cip13: row.cip13, from: row.from, to: row.to, units: row.units, state: row.state, data: JSON.stringify(row), version: row.version, scopePath });
    },
    redeploymentsOf: (finess) => st.of.all(finess, finess).map((r) => JSON.parse(r.data) as Redeployment),
    currentLines: (finess) => st.lines.all(finess),
  };
}

/**
 * How the cache keeps regional redeployments: the server's moves in `redeployments` (a later
 * state replaces an earlier one), pending ones in `ov_redeployments`, and the slice's reads
 * and writes over them (pending rows on top of the server's).
 */
import { redeploymentEntity } from '../../common/domain/stocks/redeployEntities';
import type { Redeployment } from '../../common/domain/stocks/redeployment';
import type { RedeployTx } from '../../common/domain/stocks/redeployTx';
import { defineCacheEntity } from '../store/cacheEntity';
import type { LocalStore } from '../store/localStore';
import { visibleData } from '../store/visibleRows';
import { StocksQueries } from './queries';
import { visibleRedeployments } from './redeployRows';

const COLS = 'id, from_finess, to_finess, state, data, version';
const VALUES = '@id, @from_finess, @to_finess, @state, @data, @version';
const toRow = (r: Redeployment) => ({ id: r.id, from_finess: r.from, to_finess: r.to, state: r.state, data: JSON.stringify(r), version: r.version });

export const redeploymentCache = defineCacheEntity<Redeployment>({
  entity: redeploymentEntity,
  table: 'redeployments',
  overlay: 'ov_redeployments',
  keyColumns: ['id'],
  keyOf: (r) => [r.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(
      `INSERT INTO redeployments (${COLS}) VALUES (${VALUES})
       ON CONFLICT(id) DO UPDATE SET state = excluded.state, data = excluded.data, version = excluded.version
       WHERE excluded.version > redeployments.version`,
    );
    return { upsert: (r) => up.run(toRow(r)).changes > 0 };
  },
});

export function cacheRedeployTx(engine: LocalStore, mutationId: number): RedeployTx {
  return {
    getRedeployment: (id) => visibleData<Redeployment>(engine, 'redeployments', 'id = ?', [id])[0]?.row,
    putRedeployment(r) {
      engine.stmt(`INSERT INTO ov_redeployments (mutation_id, ${COLS}) VALUES (@mutation_id, ${VALUES})`).run({ mutation_id: mutationId, ...toRow(r) });
    },
    redeploymentsOf: (finess) => visibleRedeployments(engine, finess).map((r) => r.row),
    currentLines: (finess) => new StocksQueries(engine).currentLines(finess).map((c) => c.line),
  };
}

/**
 * Allocation rounds in the client cache: how rounds and lines are kept (a later state
 * replaces an earlier one by version, pending rows in their overlays), the rounds' part of
 * the stocks slice, and the reads the handlers use (server rows with pending ones on top).
 */
import { visibleData } from '../store/visibleRows';
import { allocationLineEntity, allocationRoundEntity, type AllocationRound, type AllocationRoundLine, type RoundsTx } from '../../common/domain/stocks/rounds';
import { defineCacheEntity } from '../store/cacheEntity';
import type { LocalStore } from '../store/localStore';

export const allocationRoundCache = defineCacheEntity<AllocationRound>({
  entity: allocationRoundEntity,
  table: 'allocation_rounds',
  overlay: 'ov_allocation_rounds',
  keyColumns: ['id'],
  keyOf: (r) => [r.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(`INSERT INTO allocation_rounds (id, data, version) VALUES (@id, @data, @version)
      ON CONFLICT(id) DO UPDATE SET data = excluded.data, version = excluded.version WHERE excluded.version > allocation_rounds.version`);
    return { upsert: (r) => up.run({ id: r.id, data: JSON.stringify(r), version: r.version }).changes > 0 };
  },
});

export const allocationLineCache = defineCacheEntity<AllocationRoundLine>({
  entity: allocationLineEntity,
  table: 'allocation_lines',
  overlay: 'ov_allocation_lines',
  keyColumns: ['id'],
  keyOf: (l) => [l.id],
  settle: 'version',
  writer({ stmt }) {
    const up = stmt(`INSERT INTO allocation_lines (id, round_id, finess, data, version) VALUES (@id, @roundId, @finess, @data, @version)
      ON CONFLICT(id) DO UPDATE SET data = excluded.data, version = excluded.version WHERE excluded.version > allocation_lines.version`);
    return { upsert: (l) => up.run({ id: l.id, roundId: l.roundId, finess: l.finess, data: JSON.stringify(l), version: l.version }).changes > 0 };
  },
});

export function cacheRoundsTx(engine: LocalStore, mutationId: number): RoundsTx {
  return {
    getRound: (id) => visibleData<AllocationRound>(engine, 'allocation_rounds', 'id = ?', [id])[0]?.row,
    putRound(r) {
      engine.stmt(`INSERT INTO ov_allocation_rounds (mutation_id, id, data, version) VALUES (?, ?, ?, ?)`).run(mutationId, r.id, JSON.stringify(r), r.version);
    },
    getRoundLine: (id) => visibleData<AllocationRoundLine>(engine, 'allocation_lines', 'id = ?', [id])[0]?.row,
    putRoundLine(l) {
      engine
        .stmt(`INSERT INTO ov_allocation_lines (mutation_id, id, round_id, finess, data, version) VALUES (?, ?, ?, ?, ?, ?)`)
        .run(mutationId, l.id, l.roundId, l.finess, JSON.stringify(l), l.version);
    },
  };
}

/** The rounds and lines this cache holds (pending on top). */
export class RoundQueries {
  constructor(private readonly engine: LocalStore) {}

  rounds(): Array<{ row: AllocationRound; pending: boolean }> {
    return visibleData<AllocationRound>(this.engine, 'allocation_rounds', '1 = 1', []);
  }

  lines(): Array<{ row: AllocationRoundLine; pending: boolean }> {
    return visibleData<AllocationRoundLine>(this.engine, 'allocation_lines', '1 = 1', []);
  }
}

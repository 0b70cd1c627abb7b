/**
 * The pending local rows (overlay) of every registered entity, and when they go: settled
 * once the server's row shows them, dropped when the server refuses their mutation, swept
 * when the pull cursor passes their applied version. Every removal moves the removed rows'
 * keys in their change counter.
 *
 * Settling is targeted, never a sweep of the whole overlay: with 10,000 pending mutations a
 * sweep per push batch or poke would cost more than the sync itself.
 */
import type { Change } from '../../common/protocol';
import type { CacheEntity, CacheHelpers, CacheWriter, Stmt } from './cacheEntity';
import type { ChangeCounters } from './changeCounters';
import type { Db } from './db';

/** An entity with its statements prepared once per cache. */
export interface PreparedEntity {
  def: CacheEntity;
  writer: CacheWriter<never>;
  /** `RETURNING` clause listing the overlay columns of its counter keys ('' without a counter). */
  returning: string;
  drop: Stmt;
  sweep: Stmt;
  settleApplied: Stmt;
  settleRow: Stmt;
  pendingKeys: Stmt | null;
  /** Empties the server table (a rebuild), returning the counter keys of the rows it removed. */
  clear: Stmt;
}

export function prepareEntity(db: Db, def: CacheEntity, helpers: CacheHelpers): PreparedEntity {
  const { table, overlay: ov, keyColumns } = def;
  const returning = def.counter ? ` RETURNING ${def.counter.overlayColumns.flat().join(', ')}` : '';
  const match = keyColumns.map((c) => `s.${c} = ${ov}.${c}`).join(' AND ');
  const reached = def.settle === 'version' ? ' AND s.version >= @v' : '';
  const byKey = keyColumns.map((c, i) => `${ov}.${c} = @k${i}`).join(' AND ');
  const prepare = (sql: string) => {
    const s = db.prepare<unknown[], unknown>(sql);
    return returning ? s.raw(true) : s;
  };
  return {
    def,
    writer: def.writer(helpers) as CacheWriter<never>,
    returning,
    drop: prepare(`DELETE FROM ${ov} WHERE mutation_id = @m${returning}`),
    sweep: prepare(
      `DELETE FROM ${ov} WHERE mutation_id IN (SELECT mutation_id FROM outbox WHERE status = 'applied' AND applied_version <= @cursor)${returning}`,
    ),
    settleApplied: prepare(`DELETE FROM ${ov} WHERE mutation_id = @m AND EXISTS (SELECT 1 FROM ${table} s WHERE ${match}${reached})${returning}`),
    // A server row just arrived: its key's pending rows whose mutation was applied at or before it are confirmed.
    settleRow: prepare(
      `DELETE FROM ${ov} WHERE ${byKey} AND EXISTS (SELECT 1 FROM outbox o WHERE o.mutation_id = ${ov}.mutation_id AND o.status = 'applied' AND o.applied_version <= @v)${returning}`,
    ),
    // The overlay's key columns are the server table's own (a pending row has a server row's shape).
    clear: prepare(`DELETE FROM ${table}${returning}`),
    pendingKeys: def.counter
      ? db.prepare<unknown[], unknown>(`SELECT ${def.counter.overlayColumns.flat().join(', ')} FROM ${ov} WHERE mutation_id BETWEEN ? AND ?`).raw(true)
      : null,
  };
}

export class Overlay {
  constructor(
    private readonly entities: ReadonlyMap<string, PreparedEntity>,
    private readonly counters: ChangeCounters,
    private readonly stmt: (sql: string) => Stmt,
  ) {}

  /** The pending rows of mutations `from..to` move their keys (after a local write). */
  written(from: number, to: number): void {
    for (const e of this.entities.values()) {
      if (e.pendingKeys) this.counters.addRows(e.def, e.pendingKeys.all(from, to) as unknown[][]);
    }
  }

  /** Refused: every pending row of the mutation goes. */
  drop(mutationId: number): void {
    for (const e of this.entities.values()) this.remove(e, e.drop, { m: mutationId });
  }

  /**
   * Just answered `applied`: drop what of that mutation the server rows already show (or
   * everything, when the cursor has already passed its version).
   */
  settleMutation(mutationId: number, version: number, cursor: number): void {
    if (version <= cursor) {
      this.drop(mutationId);
      return;
    }
    for (const e of this.entities.values()) {
      this.remove(e, e.settleApplied, e.def.settle === 'version' ? { m: mutationId, v: version } : { m: mutationId });
    }
  }

  /** A server row just arrived: drop the pending rows it confirms (their mutation was applied at or before it). */
  settleRow(e: PreparedEntity, change: Change): void {
    const key = e.def.keyOf(change.data as never);
    const params: Record<string, unknown> = { v: change.version };
    for (let i = 0; i < key.length; i++) params[`k${i}`] = key[i];
    this.remove(e, e.settleRow, params);
  }

  /** The cursor moved: every applied mutation at or below it is fully reflected in the server tables (or invisible to this user). */
  sweep(cursor: number): void {
    for (const e of this.entities.values()) this.remove(e, e.sweep, { cursor });
  }

  /** A rebuild: every server row of every entity goes (and its copies), each removed key moving in its counter. */
  clearServerRows(): void {
    for (const e of this.entities.values()) {
      if (e.returning) this.counters.addRows(e.def, e.clear.all() as unknown[][]);
      else e.clear.run();
      for (const copy of e.def.copies ?? []) this.stmt(`DELETE FROM ${copy}`).run();
    }
  }

  isEmpty(): boolean {
    for (const e of this.entities.values()) {
      if (this.stmt(`SELECT 1 FROM ${e.def.overlay} LIMIT 1`).get() !== undefined) return false;
    }
    return true;
  }

  count(): number {
    let n = 0;
    for (const e of this.entities.values()) n += (this.stmt(`SELECT count(*) AS n FROM ${e.def.overlay}`).get() as { n: number }).n;
    return n;
  }

  /** Runs a removal and collects the counter keys of the rows it removed. */
  private remove(e: PreparedEntity, stmt: Stmt, params: Record<string, unknown>): void {
    if (e.returning) this.counters.addRows(e.def, stmt.all(params) as unknown[][]);
    else stmt.run(params);
  }
}

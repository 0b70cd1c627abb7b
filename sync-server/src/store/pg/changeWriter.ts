/**
 * The PostgreSQL store's side of every server write: the same contract as the SQLite
 * `ChangeWriter` (`../changeWriter.ts`) — the next version stamped on the row, one change-log
 * row per distinct scope path, the change remembered for the pokes — with the change-log
 * rows buffered in the mutation's `PgTxRuntime` instead of written at once.
 *
 * Versions start from the change-log head read (and row-locked) at the push's start.
 */
import type { EntityDef, VersionedRow } from '../../../../common/engine/entity';
import type { Change } from '../../../../common/protocol';
import type { ScopedChange } from '../types';
import type { PgTxRuntime } from './txRuntime';

export const APPEND_CHANGE_SQL = `INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only)
  VALUES ($1, $2, $3, $4, $5, $6, $7)`;

export class PgChangeWriter {
  private version = 0;
  private mutationBase = 0;
  private changes: ScopedChange[] = [];
  private at = '';
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly rt: PgTxRuntime,
    entities: readonly EntityDef[],
    private readonly scopeOf: (territory: string) => string,
  ) {
    this.known = new Set(entities.map((e) => e.name));
  }

  /** Starts a push whose change-log head (locked) is `head`. */
  begin(head: number, serverAt: string): void {
    this.version = head;
    this.mutationBase = head;
    this.changes = [];
    this.at = serverAt;
  }

  /** Starts one mutation: versions from the last committed write of the push. */
  startMutation(): void {
    this.mutationBase = this.version;
    this.changes = [];
  }

  /** Starts another run of the same mutation (after a missing read): its stamps start over. */
  startRun(): void {
    this.version = this.mutationBase;
    this.changes = [];
  }

  /** Forgets the current mutation's stamps (it was rejected or failed). */
  discard(): void {
    this.version = this.mutationBase;
    this.changes = [];
  }

  written(): ScopedChange[] {
    return this.changes;
  }

  get serverAt(): string {
    return this.at;
  }

  lastVersion(): number {
    return this.version;
  }

  /** As `ChangeWriter.stamp`: the stamped row and the first scope path it was logged under. */
  stamp<R extends VersionedRow>(entity: EntityDef<string, R>, row: R): { row: R; scopePath: string } {
    if (!this.known.has(entity.name)) throw new Error(`entity ${entity.name} is not registered`);
    const scope = entity.scope(row);
    const paths = typeof scope === 'string' ? [this.scopeOf(scope)] : [...new Set(scope.map((t) => this.scopeOf(t)))];
    if (paths.length === 0) throw new Error(`a ${entity.name} row has no territory`);
    if (paths.length > 1 && entity.pull === 'latest') throw new Error(`a latest-only ${entity.name} row has one territory`);
    const first = this.version + 1;
    this.version += paths.length;
    const stamped: R = { ...row, version: this.version };
    const key = entity.key(stamped);
    const payload = JSON.stringify(stamped);
    const latestOnly = entity.pull === 'latest' ? 1 : 0;
    paths.forEach((scopePath, i) => {
      this.rt.write(APPEND_CHANGE_SQL, [first + i, entity.name, key, scopePath, payload, this.at, latestOnly]);
      this.changes.push({ scopePath, change: { version: first + i, entity: entity.name, data: stamped } as unknown as Change });
    });
    return { row: stamped, scopePath: paths[0] };
  }
}

/**
 * The engine's side of every server write: stamps the next change-log version on a row,
 * appends its change-log row (entity, key, scope path, payload) and remembers the change for
 * the pokes sent after commit. Boards' transaction slices write their own tables and call
 * `stamp` for each row they write; they never number versions themselves.
 *
 * The owner runs it inside a transaction; `startMutation`/`discard` keep the in-memory side
 * in step with a rolled-back savepoint.
 */
import type Database from 'better-sqlite3';
import type { EntityDef, VersionedRow } from '../../../common/engine/entity';
import type { ScopedChange } from './types';
import type { Change } from '../../../common/protocol';

export class ChangeWriter {
  private version = 0;
  private changes: ScopedChange[] = [];
  private at = '';
  private readonly append: Database.Statement<[number, string, string, string, string, string, number]>;
  private readonly maxVersion: Database.Statement<[], { v: number }>;
  private readonly known: ReadonlySet<string>;

  constructor(
    db: Database.Database,
    entities: readonly EntityDef[],
    /** Resolves a territory key to its path; throws when unknown (mutators validate first). */
    private readonly scopeOf: (territory: string) => string,
  ) {
    this.append = db.prepare(
      `INSERT INTO change_log (version, entity, entity_id, scope_path, payload, at, latest_only) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.maxVersion = db.prepare(`SELECT coalesce(max(version), 0) AS v FROM change_log`);
    this.known = new Set(entities.map((e) => e.name));
  }

  /** Starts a batch: call inside its transaction, so the max version cannot move under us. */
  begin(serverAt: string): void {
    this.version = this.maxVersion.get()?.v ?? 0;
    this.changes = [];
    this.at = serverAt;
  }

  /** Starts one mutation of the batch: `written()` and `discard()` then concern it alone. */
  startMutation(): void {
    this.changes = [];
  }

  /** The changes written by the current mutation, in version order. */
  written(): ScopedChange[] {
    return this.changes;
  }

  /** The server's clock for the batch being written (ISO). */
  get serverAt(): string {
    return this.at;
  }

  lastVersion(): number {
    return this.version;
  }

  /** Forgets the current mutation's writes after its savepoint rolled back (the rows are gone already). */
  discard(): void {
    this.version -= this.changes.length;
    this.changes = [];
  }

  /**
   * Gives `row` the next version and logs it: returns the stamped row (write that one into
   * the board's table) and the scope path it was logged under. A row scoped to several
   * branches is logged once per distinct path, on consecutive versions; the row carries the
   * last one, and `scopePath` is the first territory's.
   */
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
      this.append.run(first + i, entity.name, key, scopePath, payload, this.at, latestOnly);
      this.changes.push({ scopePath, change: { version: first + i, entity: entity.name, data: stamped } as unknown as Change });
    });
    return { row: stamped, scopePath: paths[0] };
  }
}

/**
 * The schema-history runner both processes use (the client cache and the sync server each
 * have their own history). A migration is one small step in its own file, in the folder of
 * the board (or of the engine) it belongs to; the registry hands the engine every list and
 * the engine orders them into one sequence, since tables of one board may refer to another's.
 *
 * Rules: versions 1, 2, 3… with no gap and no duplicate; each step runs in its own
 * transaction with its `user_version` bump, so a crash leaves the database at a version it
 * fully has; a database whose `user_version` is higher than the last known step was written
 * by a newer Vigie and is refused, untouched. Append only: never edit a shipped step.
 *
 * Typed against the few calls it needs, so it runs on any SQLite driver with better-sqlite3's
 * shape (no driver import here).
 */

export interface Migration<Db = unknown> {
  /** The version the database has after this step. */
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

export interface MigratableDb {
  pragma(source: string, options?: { simple?: boolean }): unknown;
  transaction(fn: () => void): { immediate(): void };
}

/** One sequence from every list: sorted by version; a duplicate or a gap is a programming error. */
export function orderMigrations<Db>(lists: ReadonlyArray<readonly Migration<Db>[]>): readonly Migration<Db>[] {
  const all = lists.flat().sort((a, b) => a.version - b.version);
  all.forEach((m, i) => {
    if (m.version !== i + 1) {
      const twin = all.find((o) => o !== m && o.version === m.version);
      throw new Error(
        twin
          ? `migration version ${m.version} declared twice: ${twin.name}, ${m.name}`
          : `migration list has a gap: ${m.name} has version ${m.version}, expected ${i + 1}`,
      );
    }
  });
  return all;
}

/**
 * Brings `db` to the last step of `migrations` (already ordered). `tooNew` builds the error
 * (a French message) for a database from a newer release. Returns the version reached.
 */
export function runMigrations<Db extends MigratableDb>(
  db: Db,
  migrations: readonly Migration<Db>[],
  tooNew: (found: number, known: number) => Error,
): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration list out of order: ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const readVersion = (): number => Number(db.pragma('user_version', { simple: true }));
  const first = readVersion();
  if (first > known) throw tooNew(first, known);
  for (const m of migrations.slice(first)) {
    db.transaction(() => {
      // Re-read under the write lock: another process (a CLI adding a user while the server
      // starts) may have migrated meanwhile.
      if (readVersion() !== m.version - 1) return;
      m.up(db);
      // PRAGMA takes no bound parameters; the version is an integer of ours.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return known;
}

/**
 * The local cache's schema history: the engine's own steps (`store/migrations/`) and each
 * board's (`<board>/migrations/`), one small step a file, ordered into one sequence by
 * version and applied by the shared runner (`common/engine/migrations.ts`): one transaction
 * per step with its `user_version` bump; a cache written by a newer Vigie is refused rather
 * than guessed at.
 */
import type Database from 'better-sqlite3';
import { orderMigrations, runMigrations, type Migration } from '../../common/engine/migrations';
import { fr } from '../../common/i18n/fr';
import { m001Meta } from './migrations/001-meta';
import { m003OutboxOverlay } from './migrations/003-outbox-and-overlay';
import { m017OutboxWireIds } from './migrations/017-outbox-wire-ids';

export type CacheMigration = Migration<Database.Database>;

/** The engine's own steps: meta, the outbox (and, from before board folders, the event log's overlays), the outbox's wire ids. */
export const engineMigrations: readonly CacheMigration[] = [m001Meta, m003OutboxOverlay, m017OutboxWireIds];

export class DatabaseTooNew extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(fr.store.tooNew(found, known));
    this.name = 'DatabaseTooNew';
  }
}

/** The engine's steps and the boards', in one ordered sequence. */
export function cacheMigrations(boardLists: ReadonlyArray<readonly CacheMigration[]>): readonly CacheMigration[] {
  return orderMigrations([engineMigrations, ...boardLists]);
}

/** Brings `db` to the last of `migrations` (ordered); returns that version. */
export function migrateCache(db: Database.Database, migrations: readonly CacheMigration[]): number {
  return runMigrations(db, migrations, (found, known) => new DatabaseTooNew(found, known));
}

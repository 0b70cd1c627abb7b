/**
 * The server schema's history: the engine's own steps (`store/migrations/`) and each
 * board's (`<board>/migrations/`), one small step a file, ordered into one sequence by
 * version (tables of one board may refer to another's) and applied by the shared runner
 * (`common/engine/migrations.ts`): one transaction per step with its `user_version` bump; a
 * database from a newer server is refused untouched.
 */
import type Database from 'better-sqlite3';
import { orderMigrations, runMigrations, type Migration } from '../../../common/engine/migrations';
import { fr } from '../../../common/i18n/fr';
import { m001Accounts } from './migrations/001-accounts';
import { m005ChangeLogAnyEntity } from './migrations/005-change-log-any-entity';
import { m007ChangeLogPullIndex } from './migrations/007-change-log-pull-index';
import { m017ServerEpoch } from './migrations/017-server-epoch';
import { m020SecondFactorAndSessionFamilies } from './migrations/020-second-factor-and-session-families';
import { m021AuditLog } from '../audit/migrations/021-audit-log';

export type ServerMigration = Migration<Database.Database>;

/** The engine's own steps: accounts and the ledger, the change log opened to any entity, its pull index, the server's epoch, the second factor and session families, the audit trail. */
export const engineMigrations: readonly ServerMigration[] = [m001Accounts, m005ChangeLogAnyEntity, m007ChangeLogPullIndex, m017ServerEpoch, m020SecondFactorAndSessionFamilies, m021AuditLog];

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(fr.server.dbTooNew(found, known));
    this.name = 'DatabaseTooNewError';
  }
}

/** The engine's steps and the boards', in one ordered sequence. */
export function serverMigrations(boardLists: ReadonlyArray<readonly ServerMigration[]>): readonly ServerMigration[] {
  return orderMigrations([engineMigrations, ...boardLists]);
}

/** Brings `db` to the last of `migrations` (ordered); returns that version. */
export function migrate(db: Database.Database, migrations: readonly ServerMigration[]): number {
  return runMigrations(db, migrations, (found, known) => new DatabaseTooNewError(found, known));
}

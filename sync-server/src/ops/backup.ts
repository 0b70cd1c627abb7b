/**
 * `--backup <file>`: an online copy of the embedded SQLite store while the server runs, with
 * SQLite's backup API (better-sqlite3's `backup`): consistent, page by page, without stopping
 * the server's writes for long (WAL mode). The PostgreSQL store is backed up with its own
 * tools (`pg_dump`, docs/operations.md). Restoring either is followed by `--new-epoch`.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { fr } from '../../../common/i18n/fr';

/** A backup refused before anything was written (French message). */
export class BackupError extends Error {}

/** Copies the SQLite database `dbPath` into `to` (which must not exist); resolves the pages copied. */
export async function backupSqlite(dbPath: string, to: string): Promise<number> {
  if (!existsSync(dbPath)) throw new BackupError(fr.ops.backupNoDatabase(dbPath));
  if (existsSync(to)) throw new BackupError(fr.ops.backupExists(to));
  const src = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const done = await src.backup(to);
    return done.totalPages;
  } finally {
    src.close();
  }
}

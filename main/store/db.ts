/**
 * Opens the local cache database. Runs in Node (tests, web host) and in Electron's main
 * process; never imports `electron`.
 *
 * better-sqlite3's binary in node_modules is built for Node. Under Electron the same JS is
 * pointed (with `nativeBinding`) at an Electron build kept outside node_modules, so that
 * `npm start` and `npm test` never overwrite each other's build and work in either order.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { migrateCache, type CacheMigration } from './migrations';

export type Db = Database.Database;

/**
 * Where the Electron build of better-sqlite3 lives, or undefined under plain Node (the
 * default binary is then the right one). `appRoot` is the repository in development.
 */
export function electronNativeBinding(opts: { packaged: boolean; appRoot: string; resourcesPath?: string }): string | undefined {
  const electronVersion = process.versions.electron;
  if (!electronVersion) return undefined;
  // Packaged: staged by scripts/packaging/beforePack.mjs at the module's own path, kept out of app.asar (asarUnpack).
  if (opts.packaged) return join(opts.resourcesPath ?? process.resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  return join(opts.appRoot, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

export interface OpenOptions {
  /** Path to an Electron build of better_sqlite3.node; required under Electron. */
  nativeBinding?: string;
}

/**
 * Opens (creating if needed) and migrates a database file. WAL keeps readers off the
 * writer's way; `synchronous=FULL` makes every committed outbox row survive `kill -9` and
 * power loss, which is the point of a local-first outbox.
 */
export function openDatabase(file: string, migrations: readonly CacheMigration[], opts: OpenOptions = {}): Db {
  if (process.versions.electron && !opts.nativeBinding) {
    throw new Error('under Electron, openDatabase needs the Electron build of better-sqlite3 (nativeBinding)');
  }
  if (opts.nativeBinding && !existsSync(opts.nativeBinding)) {
    throw new Error(`better-sqlite3 native binding not found: ${opts.nativeBinding} (run npm start to build it)`);
  }
  // The cache holds what its user may see: other OS accounts of the workstation may not read it.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file, { timeout: 5000, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
    if (process.platform !== 'win32') chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Checkpoint every ~40 MB of WAL instead of SQLite's ~4 MB: a catch-up rewrites the same
    // index pages on every pulled page, and each checkpoint copies them again (measured: a
    // fifth less time writing a 100,000-message bootstrap). The WAL file is cut back to
    // 64 MB at most once checkpointed.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('journal_size_limit = 67108864');
    migrateCache(db, migrations);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

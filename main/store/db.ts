/**
 * Opens the local cache database. Runs in Node (tests, web host) and in Electron's main
 * process; never imports `electron`.
 *
 * With a key (the desktop app and the web host always give one) the cache is encrypted at
 * rest through better-sqlite3-multiple-ciphers (`cipher.ts`); a clear cache from an earlier
 * release is encrypted at its first opening. Without a key (unit tests) the same module
 * opens it in clear. The sync server never uses the cipher package, the client never plain
 * better-sqlite3 (whose types the cipher package's objects match).
 *
 * The packages' binaries in node_modules are built for Node. Under Electron the cipher
 * package's JS is pointed (with `nativeBinding`) at an Electron build kept outside
 * node_modules (`scripts/native.mjs`), so that `npm start` and `npm test` never overwrite
 * each other's build and work in either order.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import { encryptClearCache, isClearDatabase, openEncryptedDatabase, recoverInterruptedEncryption } from './cipher';
import { migrateCache, type CacheMigration } from './migrations';

export type Db = Database.Database;

/** The file name of the Electron build of better-sqlite3-multiple-ciphers, in `.native/electron-<version>/` and in a package's `native/`. */
export const ELECTRON_CIPHER_BINDING = 'better_sqlite3_multiple_ciphers.node';

/**
 * Where the Electron build of better-sqlite3-multiple-ciphers lives, or undefined under
 * plain Node (the default binary is then the right one). `appRoot` is the repository in
 * development.
 */
export function electronNativeBinding(opts: { packaged: boolean; appRoot: string; resourcesPath?: string }): string | undefined {
  const electronVersion = process.versions.electron;
  if (!electronVersion) return undefined;
  // Packaged: staged by scripts/packaging/nativeModules.mjs at the module's own path, kept out of app.asar (asarUnpack).
  if (opts.packaged) return join(opts.resourcesPath ?? process.resourcesPath, 'app.asar.unpacked', 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node');
  return join(opts.appRoot, '.native', `electron-${electronVersion}`, ELECTRON_CIPHER_BINDING);
}

export interface OpenOptions {
  /** Path to an Electron build of better-sqlite3-multiple-ciphers' native module; required under Electron. */
  nativeBinding?: string;
  /** The cache key (32 bytes, `cipherKey.ts`): the file is encrypted at rest. Required under Electron. */
  key?: Buffer;
}

/**
 * Opens (creating if needed) and migrates a database file. WAL keeps readers off the
 * writer's way; `synchronous=FULL` makes every committed outbox row survive `kill -9` and
 * power loss, which is the point of a local-first outbox.
 */
export function openDatabase(file: string, migrations: readonly CacheMigration[], opts: OpenOptions = {}): Db {
  if (process.versions.electron && (!opts.nativeBinding || !opts.key)) {
    throw new Error('under Electron, openDatabase needs the cache key and the Electron build of better-sqlite3-multiple-ciphers (nativeBinding)');
  }
  if (opts.nativeBinding && !existsSync(opts.nativeBinding)) {
    throw new Error(`better-sqlite3-multiple-ciphers native binding not found: ${opts.nativeBinding} (run npm start to build it)`);
  }
  // The cache holds what its user may see: other OS accounts of the workstation may not read it.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let db: Db;
  if (opts.key) {
    const cipherOpts = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
    // A crash during an earlier encryption left the clear file intact: start that work over.
    recoverInterruptedEncryption(file);
    if (isClearDatabase(file)) encryptClearCache(file, opts.key, cipherOpts);
    db = openEncryptedDatabase(file, opts.key, cipherOpts);
  } else {
    // Same module, no key: the main process loads one SQLite build only.
    db = new CipherDatabase(file, { timeout: 5000 });
  }
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

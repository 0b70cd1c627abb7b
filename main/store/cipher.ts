/**
 * The local cache encrypted at rest (SQLite3 Multiple Ciphers through
 * better-sqlite3-multiple-ciphers, its default cipher ChaCha20-Poly1305: every page and every
 * WAL frame is encrypted and authenticated). Runs in Node and in Electron's main process;
 * never imports `electron`. The key comes from `cipherKey.ts`.
 *
 * A cache written in clear by an earlier release is encrypted in place at its first opening
 * with a key (`encryptClearCache`), so that nothing is lost, the outbox included:
 *
 *   1. the clear file is checkpointed (its WAL folded in) and closed: it is complete alone;
 *   2. it is copied to `<file>.encrypting`, which is switched to a rollback journal (SQLite
 *      cannot rekey a WAL database), encrypted with `rekey` and checked;
 *   3. the clear file's (empty) WAL and shared-memory files are removed;
 *   4. `<file>.encrypting` is renamed over `<file>` (atomic on one file system).
 *
 * Until step 4 the clear file is intact and is the cache; after it, the encrypted file is.
 * A crash anywhere leaves at most a stale `<file>.encrypting`, removed at the next opening,
 * which then starts over (`recoverInterruptedEncryption`).
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import CipherDatabase from 'better-sqlite3-multiple-ciphers';
import type Database from 'better-sqlite3';
import { fr } from '../../common/i18n/fr';

/** The key's length: 32 random bytes per installation. */
export const CACHE_KEY_BYTES = 32;

/** Every plain SQLite file starts with these 16 bytes; an encrypted one never does. */
const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Where an interrupted encryption of `file` leaves its work. */
export const encryptingFile = (file: string): string => `${file}.encrypting`;

/** The cache cannot be opened with this key (another installation's cache, or a lost key). Nothing was changed. */
export class CacheKeyMismatch extends Error {
  constructor(readonly file: string) {
    super(fr.cacheCipher.wrongKey);
    this.name = 'CacheKeyMismatch';
  }
}

/** True when `file` exists and is a plain (unencrypted) SQLite database. An empty file counts as neither. */
export function isClearDatabase(file: string): boolean {
  if (!existsSync(file) || statSync(file).size < SQLITE_HEADER.length) return false;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(SQLITE_HEADER);
}

export interface CipherOpenOptions {
  /** Path to an Electron build of better-sqlite3-multiple-ciphers' native module; required under Electron. */
  nativeBinding?: string;
  timeout?: number;
}

function checkKey(key: Buffer): void {
  if (key.length !== CACHE_KEY_BYTES) throw new Error(`cache key must be ${CACHE_KEY_BYTES} bytes, got ${key.length}`);
}

/**
 * Opens `file` (creating it if absent) with `key` and proves the key right by reading the
 * schema; a wrong key throws `CacheKeyMismatch` and leaves the file as it was.
 */
export function openEncryptedDatabase(file: string, key: Buffer, opts: CipherOpenOptions = {}): Database.Database {
  checkKey(key);
  const db = new CipherDatabase(file, { timeout: opts.timeout ?? 5000, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
    db.key(key);
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    if (err instanceof Error && 'code' in err && err.code === 'SQLITE_NOTADB') throw new CacheKeyMismatch(file);
    throw err;
  }
  return db;
}

/** Removes what an encryption interrupted before its final rename left beside `file`. */
export function recoverInterruptedEncryption(file: string): boolean {
  const work = encryptingFile(file);
  const found = existsSync(work);
  for (const f of [work, `${work}-journal`, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
  return found;
}

/** The steps of `encryptClearCache`, named for tests that simulate a crash between them. */
export type EncryptionStep = 'checkpointed' | 'encrypted' | 'clearSidecarsRemoved' | 'swapped';

/** Flushes a file or a directory entry to disk; best effort (Windows cannot open a directory for it). */
function fsyncPath(path: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(path, 'r');
    fsyncSync(fd);
  } catch {
    // refused for directories on some platforms: the rename stays atomic
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * Encrypts the clear cache `file` with `key` (see the steps above). `afterStep` lets a test
 * stop the work at any step as a crash would.
 */
export function encryptClearCache(file: string, key: Buffer, opts: CipherOpenOptions & { afterStep?: (step: EncryptionStep) => void } = {}): void {
  checkKey(key);
  const work = encryptingFile(file);
  recoverInterruptedEncryption(file);
  const binding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};

  const clear = new CipherDatabase(file, { timeout: opts.timeout ?? 5000, ...binding });
  try {
    // TRUNCATE: every committed row (outbox included) is now in the main file and the WAL is empty.
    const [cp] = clear.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
    if (cp && cp.busy !== 0) throw new Error(`cache ${file} is in use by another process`);
  } finally {
    clear.close();
  }
  opts.afterStep?.('checkpointed');

  copyFileSync(file, work);
  const enc = new CipherDatabase(work, { timeout: opts.timeout ?? 5000, ...binding });
  try {
    enc.pragma('journal_mode = DELETE');
    enc.rekey(key);
  } finally {
    enc.close();
  }
  // Check before swapping: the copy opens with the key and holds what the clear file held.
  const check = openEncryptedDatabase(work, key, opts);
  try {
    const ok = check.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw new Error(`encrypted copy of ${file} failed its check: ${String(ok)}`);
  } finally {
    check.close();
  }
  if (isClearDatabase(work)) throw new Error(`encrypted copy of ${file} is still clear`);
  fsyncPath(work);
  opts.afterStep?.('encrypted');

  for (const f of [`${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  opts.afterStep?.('clearSidecarsRemoved');

  renameSync(work, file);
  fsyncPath(dirname(file));
  opts.afterStep?.('swapped');
}

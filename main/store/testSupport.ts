/**
 * Helpers shared by the main-process tests: temp dirs, and the referential and actors of
 * tests/support. Node only; imported by tests, never by production code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CACHE_MIGRATIONS } from '../boards';
import { migrateCache } from './migrations';

export { actorFor, REFERENTIAL_DIR, REPO_ROOT, testTerritories } from '../../tests/support/referential';

export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `vigie-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A new cache file brought to `version` by the release's own migration steps (a migration's
 * test starts from the version before its own), and the way to open it with every step.
 */
export function cacheAt(version: number, dir: string): { db: Database.Database; file: string } {
  const file = join(dir, `cache-v${version}.sqlite`);
  const db = new Database(file);
  migrateCache(db, CACHE_MIGRATIONS.slice(0, version));
  return { db, file };
}

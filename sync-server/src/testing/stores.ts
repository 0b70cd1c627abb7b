/**
 * Which server store the tests run on: the embedded SQLite one (default) or PostgreSQL
 * (`VIGIE_TEST_STORE=postgres`, `npm run test:postgres`). Suites that go through these helpers
 * run unchanged on both. Not a test file.
 */
import { join } from 'node:path';
import { openStore } from '../app';
import type { BoardStores } from '../boards';
import type { ServerStore } from '../store/types';
import { tempDir, territories } from './fixtures';
import { postgresUnavailable, stopTestPostgres, testDatabase } from './postgres';

export { stopTestPostgres };

export type TestStoreKind = 'sqlite' | 'postgres';

export const TEST_STORE: TestStoreKind = process.env.VIGIE_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** Why a store kind cannot run here (printed by the suites that skip), or null. */
export function storeUnavailable(kind: TestStoreKind): string | null {
  return kind === 'postgres' ? postgresUnavailable() : null;
}

/** A new empty database of `kind`: a SQLite file in a temporary folder, or a new PostgreSQL database. */
export async function testDb(kind: TestStoreKind = TEST_STORE): Promise<{ db: string; cleanup: () => void }> {
  if (kind === 'postgres') return { db: await testDatabase(), cleanup: () => undefined };
  const t = tempDir();
  return { db: join(t.dir, 'server.sqlite'), cleanup: t.cleanup };
}

/** A new store of `kind` with every board (the caller closes it, then calls `cleanup`). */
export async function openTestStore(
  kind: TestStoreKind = TEST_STORE,
  options: { pullScanWindow?: number } = {},
): Promise<{ store: ServerStore<BoardStores>; cleanup: () => void }> {
  const { db, cleanup } = await testDb(kind);
  return { store: openStore(db, territories(), options), cleanup };
}

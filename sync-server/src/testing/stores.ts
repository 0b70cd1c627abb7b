/**
 * Which server store the tests run on: the embedded SQLite one (default) or PostgreSQL
 * (`VIGIE_TEST_STORE=postgres`, `npm run test:postgres`). Suites that go through these helpers
 * run unchanged on both. Not a test file.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { createApp, openStore } from '../app';
import { seedDemo } from '../demo';
import type { BoardStores } from '../boards';
import { PgServerStore } from '../store/pg/pgStore';
import { SqliteServerStore } from '../store/sqliteStore';
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

/** The database the national demo is seeded into once per cluster, copied for each test that wants it. */
const DEMO_TEMPLATE = 'vigie_demo_template';

/**
 * On PostgreSQL: a new database already holding the national demo, copied (`CREATE DATABASE …
 * TEMPLATE`) from one seeded once per cluster through the real push path — seeding it for
 * each test would cost each test seconds. Workers of one run take turns under an advisory
 * lock, so the first seeds and the others wait. The demo's times are relative to when the
 * template was seeded (minutes earlier in a run: no demo figure is that close to a limit).
 */
export async function demoTestDb(): Promise<string> {
  const adminUrl = withDatabase(process.env.VIGIE_TEST_PG_URL ?? (await testDatabase()), 'postgres');
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`SELECT pg_advisory_lock(hashtext($1))`, [DEMO_TEMPLATE]);
    if ((await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [DEMO_TEMPLATE])).rowCount === 0) {
      await admin.query(`CREATE DATABASE ${DEMO_TEMPLATE}`);
      const app = createApp({ dbPath: withDatabase(adminUrl, DEMO_TEMPLATE), territories: territories(), log: () => undefined });
      try {
        await seedDemo(app);
      } finally {
        await app.close();
      }
    }
    const name = `vigie_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${DEMO_TEMPLATE}`);
    return withDatabase(adminUrl, name);
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext($1))`, [DEMO_TEMPLATE]).catch(() => undefined);
    await admin.end();
  }
}

/** `url` naming another database of the same cluster. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The rows of `sql` read directly from a store of either kind (a test checking what the store
 * really holds, beyond its interface). Portable SQL only; PostgreSQL's BIGINT comes back as a number.
 */
export async function storeRows<R>(store: ServerStore, sql: string): Promise<R[]> {
  if (store instanceof SqliteServerStore) return store.db.prepare(sql).all() as R[];
  if (store instanceof PgServerStore) {
    await store.ready;
    return (await store.pool.query(sql)).rows as R[];
  }
  throw new Error('a store of neither kind');
}

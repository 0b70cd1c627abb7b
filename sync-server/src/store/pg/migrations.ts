/**
 * The PostgreSQL schema's history: its own sequence (`pg/migrations/NNN-*.ts`), starting at
 * the SQLite schema's state after its step 19; step 2 is SQLite's 20, step 3 its 21. Each step runs in its own transaction with
 * its version bump, under an advisory lock so that several nodes starting at once migrate
 * one after the other; a database from a newer server is refused untouched.
 */
import type pg from 'pg';
import { DatabaseTooNewError } from '../migrations';
import { pg001Initial } from './migrations/001-initial';
import { pg002SecondFactorAndSessionFamilies } from './migrations/002-second-factor-and-session-families';
import { pg003AuditLog } from './migrations/003-audit-log';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [pg001Initial, pg002SecondFactorAndSessionFamilies, pg003AuditLog];

/** Any constant: the advisory lock the migrating node holds (other nodes wait on it). */
const MIGRATION_LOCK = 0x76696769;

/** Brings the database to the last of `migrations`; returns that version. */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`PostgreSQL migration ${m.name}: version ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const client = await pool.connect();
  try {
    for (;;) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
        const res = await client.query<{ version: number }>('SELECT version FROM schema_version WHERE id = 1');
        const found = res.rows[0]?.version ?? 0;
        if (found > known) throw new DatabaseTooNewError(found, known);
        if (found === known) {
          await client.query('COMMIT');
          return known;
        }
        const step = migrations[found];
        await client.query(step.sql);
        await client.query(
          'INSERT INTO schema_version (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
          [step.version],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    client.release();
  }
}

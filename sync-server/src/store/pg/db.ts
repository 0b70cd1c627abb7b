/**
 * The pool as the PostgreSQL store and its boards' store parts use it: every query waits for
 * the schema to be migrated first (the store opens synchronously, as the SQLite one does).
 */
import pg from 'pg';
import type { Queryable } from './txRuntime';

export interface PgDb {
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs `fn` in a transaction on one connection: committed if it resolves, rolled back if it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /** A connection of its own (the caller releases it). */
  connect(): Promise<pg.PoolClient>;
}

/** BIGINT (versions, mutation ids) as numbers: they stay far below 2^53. */
const INT8_OID = 20;
export const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

export function pgDb(pool: pg.Pool, ready: Promise<unknown>): PgDb {
  const connect = async (): Promise<pg.PoolClient> => {
    await ready;
    return pool.connect();
  };
  return {
    async query<R extends object>(sql: string, params: unknown[] = []) {
      await ready;
      return (await pool.query(sql, params)).rows as R[];
    },
    async tx(fn) {
      const client = await connect();
      try {
        await client.query('BEGIN');
        const out = await fn(client);
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    connect,
  };
}

/**
 * Synchronous transaction slices over an asynchronous driver (PostgreSQL).
 *
 * The domain mutators are synchronous functions of their reads and arguments (shared with
 * the workstation's SQLite cache; they read no clock, draw no random number and catch no
 * exception: `common/domain/<board>/*Mutators.ts`). On PostgreSQL one mutation is therefore
 * run *optimistically from a read cache, again and again until it completes*:
 *
 * - a slice's read looks its answer up in this runtime's cache; on a miss it throws
 *   `NeedRead` carrying the query, the store awaits it inside the push's PostgreSQL
 *   transaction, caches the answer and runs the mutator again from scratch;
 * - a slice's write is buffered (SQL and parameters, change-log rows included);
 * - when a run completes without a miss, the store sends the buffered writes, in order.
 *
 * Reads that follow writes in the same run must see those writes, as in SQLite: a read's
 * cache key carries the number of writes buffered before it, and its loader replays those
 * writes inside a savepoint, reads, and rolls the savepoint back. Because the mutator is
 * deterministic, the run that follows replays exactly the same writes before that read.
 *
 * The push holds the change-log head's row lock for its whole transaction (`pgStore.ts`),
 * so no other writer changes what was read between a read and the writes that depend on it.
 */
import type pg from 'pg';

/** The connection of the transaction under way. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface BufferedWrite {
  sql: string;
  params: unknown[];
}

/** A read a slice asks for: one statement, its rows mapped to the slice's answer. */
export interface ReadQuery<T = unknown> {
  sql: string;
  params: unknown[];
  map(rows: unknown[]): T;
}

/** Thrown by a slice's read whose answer is not cached yet: internal, caught by the store. */
export class NeedRead extends Error {
  constructor(
    readonly key: string,
    readonly query: ReadQuery,
    /** The writes buffered before this read, replayed (then rolled back) before loading it. */
    readonly before: readonly BufferedWrite[],
  ) {
    super(`read not cached yet: ${key}`);
    this.name = 'NeedRead';
  }
}

export class PgTxRuntime {
  private readonly cache = new Map<string, unknown>();
  private writes: BufferedWrite[] = [];
  /** Discovery run: a miss is recorded and answered with its fallback instead of thrown. */
  private discovering = false;
  private wanted = new Map<string, NeedRead>();

  /**
   * The answer of a read: cached, or `NeedRead` thrown (in a discovery run: recorded, and
   * the fallback answered). `key` names the query and its arguments.
   */
  read<T>(key: string, query: ReadQuery<T>, fallback: T): T {
    const k = `${this.writes.length}|${key}`;
    if (this.cache.has(k)) return this.cache.get(k) as T;
    const need = new NeedRead(k, query, this.writes.slice());
    if (!this.discovering) throw need;
    if (need.before.length === 0) this.wanted.set(k, need);
    return fallback;
  }

  /** Buffers a write of the current run. */
  write(sql: string, params: unknown[]): void {
    this.writes.push({ sql, params });
  }

  /** A new run of the same mutation: its writes start empty, its reads stay cached. */
  startRun(): void {
    this.writes = [];
  }

  /** A new mutation: nothing cached (the previous one's writes changed the database). */
  startMutation(): void {
    this.writes = [];
    this.cache.clear();
  }

  /**
   * Starts (true) or ends (false) a discovery run: a first run of the mutation that answers
   * every missing read with a fallback and records it, so that its reads (those before any
   * write) are fetched together in one round trip. Its outcome is thrown away: only a run
   * with every read answered from the database counts.
   */
  discovery(on: boolean): NeedRead[] {
    this.discovering = on;
    this.writes = [];
    const found = [...this.wanted.values()];
    this.wanted = new Map();
    return found;
  }

  /** The writes of the run that completed. */
  buffered(): readonly BufferedWrite[] {
    return this.writes;
  }

  /** Awaits a missing read on `q` (inside the push's transaction) and caches its answer. */
  async fetch(q: Queryable, need: NeedRead): Promise<void> {
    if (need.before.length === 0) {
      this.cache.set(need.key, need.query.map((await q.query(need.query.sql, need.query.params)).rows));
      return;
    }
    await q.query('SAVEPOINT vigie_read');
    try {
      for (const w of need.before) await q.query(w.sql, w.params);
      this.cache.set(need.key, need.query.map((await q.query(need.query.sql, need.query.params)).rows));
    } finally {
      await q.query('ROLLBACK TO SAVEPOINT vigie_read');
      await q.query('RELEASE SAVEPOINT vigie_read');
    }
  }

  /** Fetches reads made before any write, all in one round trip (statements inlined), and caches them. */
  async fetchAll(q: pg.PoolClient, needs: readonly NeedRead[]): Promise<void> {
    if (needs.length === 0) return;
    if (needs.length === 1) return this.fetch(q, needs[0]);
    const escape = (v: string) => q.escapeLiteral(v);
    const sql = needs.map((n) => inlineParams(n.query.sql, n.query.params, escape)).join(';\n');
    const answer: unknown = await q.query(sql);
    const results = Array.isArray(answer) ? (answer as pg.QueryResult[]) : [answer as pg.QueryResult];
    needs.forEach((n, i) => this.cache.set(n.key, n.query.map(results[i].rows)));
  }
}

/** A read of at most one row, mapped; `undefined` when absent. */
export function readOne<R, T>(rt: PgTxRuntime, key: string, sql: string, params: unknown[], map: (r: R) => T): T | undefined {
  return rt.read<T | undefined>(
    `${key}:${JSON.stringify(params)}`,
    { sql, params, map: (rows) => (rows.length === 0 ? undefined : map(rows[0] as R)) },
    undefined,
  );
}

/** A read of rows, mapped. */
export function readAll<R, T>(rt: PgTxRuntime, key: string, sql: string, params: unknown[], map: (r: R) => T): T[] {
  return rt.read<T[]>(`${key}:${JSON.stringify(params)}`, { sql, params, map: (rows) => (rows as R[]).map(map) }, []);
}

/**
 * A column list written for SQLite (`unit_id AS unitId`) with its aliases quoted, so that
 * PostgreSQL keeps their case (`AS "unitId"`).
 */
export function pgColumns(sqliteColumns: string): string {
  return sqliteColumns.replace(/\bAS (\w+)/g, 'AS "$1"');
}

/**
 * A parameter as an SQL literal, escaped by the driver's own `escapeLiteral`: lets the store
 * send a mutation's buffered writes in one round trip (the simple-query protocol takes several
 * statements, but no parameters).
 */
export function sqlLiteral(value: unknown, escape: (s: string) => string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return escape(value);
  throw new Error(`no SQL literal for a ${typeof value}`);
}

/** `sql` with its `$n` placeholders replaced by the literals of `params` (our statements have no `$` elsewhere). */
export function inlineParams(sql: string, params: readonly unknown[], escape: (s: string) => string): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= params.length) throw new Error(`placeholder $${n} without a parameter`);
    return sqlLiteral(params[i], escape);
  });
}

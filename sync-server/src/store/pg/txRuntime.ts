/**
 * Synchronous transaction slices over an asynchronous driver (PostgreSQL).
 *
 * The domain mutators are synchronous functions of their reads and arguments (shared with
 * the workstation's SQLite cache; they read no clock, draw no random number and catch no
 * exception: `common/domain/<board>/*Mutators.ts`). On PostgreSQL one mutation is therefore
 * run *speculatively from a read cache, again until a run meets no missing read*
 * (`settle`):
 *
 * - a slice's read looks its answer up in this runtime's cache; on a miss it answers the
 *   read's neutral value (`undefined`, `[]`) and records the read with its place among the
 *   run's writes;
 * - a slice's write is buffered (SQL and parameters, change-log rows included);
 * - after a run that met misses, one round trip sends, in the run's order, the writes that
 *   precede each missed read and the read itself. Reads are then checked in order: while a
 *   missed read's real answer is its neutral value, the run up to the next read was the
 *   real one (the mutator is deterministic), so the writes sent after it stand; at the
 *   first that differs, its answer is cached, and if writes were sent after it the
 *   mutation's savepoint is rolled back at the head of the next round trip (its writes are
 *   sent again up to where the next run needs them). The writes that stand are *applied*
 *   (inside the mutation's savepoint): every later run replays them identically, and only
 *   the writes beyond them are sent;
 * - when a run meets no miss, its outcome counts: `finish` sends its remaining writes and
 *   the ledger row and releases the mutation's savepoint (or, for a refusal, rolls it back
 *   and writes the ledger row) in one round trip.
 *
 * So a read that follows a write of the same run sees that write (SQLite does), and the
 * common mutation — its reads answered "absent" or "none", as a new id's are — costs two
 * round trips however many reads and writes it interleaves.
 *
 * The push holds the change-log head's row lock for its whole transaction (`pgStore.ts`),
 * so no other writer changes what was read between a read and the writes that depend on it.
 */
import type pg from 'pg';

/** The connection of the transaction under way. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** The connection as `settle`/`finish` use it (statements inlined with the driver's escaping). */
export type TxConnection = Pick<pg.PoolClient, 'query' | 'escapeLiteral'>;

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

/**
 * A value of a mutation PostgreSQL cannot hold (a NUL character in a text: SQLite keeps it,
 * PostgreSQL refuses it; the driver would cut the statement there). Also what a PostgreSQL
 * "data exception" (SQLSTATE class 22: a number out of a column's range, an invalid
 * character) raised by a mutation's own statements means (`isUnstorable`): the mutation is
 * refused, not retried — it would fail the same way every time.
 */
export class UnstorableValue extends Error {
  constructor(what: string) {
    super(`a value PostgreSQL cannot store: ${what}`);
    this.name = 'UnstorableValue';
  }
}

/** True for an error that refuses the mutation's own values (see `UnstorableValue`). */
export function isUnstorable(err: unknown): boolean {
  if (err instanceof UnstorableValue) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** A read a run met without its answer cached: where it stood among the run's writes. */
interface Miss {
  key: string;
  query: ReadQuery;
  /** How many writes of the run came before it. */
  position: number;
  fallback: unknown;
}

/** The savepoint around one mutation. */
const MUTATION_SAVEPOINT = 'vigie_mutation';

/** A run goes again at most this many times: a bound against a slice that never caches. */
const MAX_RUNS = 10_000;

export class PgTxRuntime {
  private readonly cache = new Map<string, unknown>();
  private writes: BufferedWrite[] = [];
  private misses = new Map<string, Miss>();
  /** Writes of the mutation already sent and standing (inside its savepoint). */
  private applied = 0;
  /** The mutation's savepoint has been sent. */
  private open = false;
  /** The mutation's savepoint is to be rolled back first, in the next round trip (writes sent after a read answered otherwise). */
  private undo = false;
  /** Round trips made (tests and measures). */
  roundTrips = 0;

  /**
   * The answer of a read: cached, or — recorded as missing — `fallback`, the answer a read
   * of nothing gives (`undefined`, `[]`). `key` names the query and its arguments.
   */
  read<T>(key: string, query: ReadQuery<T>, fallback: T): T {
    const k = `${this.writes.length}|${key}`;
    if (this.cache.has(k)) return this.cache.get(k) as T;
    if (!this.misses.has(k)) this.misses.set(k, { key: k, query, position: this.writes.length, fallback });
    return fallback;
  }

  /** Buffers a write of the current run. */
  write(sql: string, params: unknown[]): void {
    this.writes.push({ sql, params });
  }

  /** A new mutation: nothing cached (the previous one's writes changed the database), nothing applied. */
  startMutation(): void {
    this.writes = [];
    this.misses = new Map();
    this.cache.clear();
    this.applied = 0;
    this.open = false;
    this.undo = false;
  }

  /**
   * Runs `attempt` (one run of the mutation, from scratch) until a run meets no missing
   * read, fetching the missed reads between runs on `q`; that run's exception, if it threw
   * one (a refusal), else undefined. The runs before it do not count, whatever they threw.
   */
  async settle(q: TxConnection, attempt: () => void): Promise<{ thrown?: unknown }> {
    for (let run = 0; run < MAX_RUNS; run++) {
      this.writes = [];
      this.misses = new Map();
      let thrown: unknown;
      let threw = false;
      try {
        attempt();
      } catch (err) {
        thrown = err;
        threw = true;
      }
      const misses = [...this.misses.values()];
      if (misses.length === 0) return threw ? { thrown } : {};
      await this.fetch(q, misses);
    }
    throw new Error(`a mutation still missing reads after ${MAX_RUNS} runs`);
  }

  /**
   * Ends the mutation in one round trip: its last run's writes that are not applied yet
   * (`keep`) or none of its writes (`keep` false: a refusal), then `tail` (its ledger row),
   * inside its savepoint, released. On an error the savepoint is rolled back (nothing of the
   * mutation stays) and the error thrown.
   */
  async finish(q: TxConnection, keep: boolean, tail: readonly BufferedWrite[]): Promise<void> {
    const statements: string[] = [];
    if (!this.open) statements.push(`SAVEPOINT ${MUTATION_SAVEPOINT}`);
    else if (!keep || this.undo) statements.push(`ROLLBACK TO SAVEPOINT ${MUTATION_SAVEPOINT}`);
    const rest = keep ? this.writes.slice(this.applied) : [];
    // Inlined before anything is sent: a value refused here leaves the savepoint as it was.
    for (const w of [...rest, ...tail]) statements.push(inline(q, w));
    statements.push(`RELEASE SAVEPOINT ${MUTATION_SAVEPOINT}`);
    this.open = true;
    this.undo = false;
    try {
      await this.send(q, statements);
    } catch (err) {
      await this.abandon(q);
      throw err;
    }
    this.open = false;
  }

  /** Rolls back whatever the mutation applied (after an error: the transaction is usable again). */
  async abandon(q: Queryable): Promise<void> {
    if (!this.open) return;
    this.open = false;
    this.undo = false;
    this.roundTrips++;
    await q.query(`ROLLBACK TO SAVEPOINT ${MUTATION_SAVEPOINT}; RELEASE SAVEPOINT ${MUTATION_SAVEPOINT}`);
  }

  /**
   * One round trip for the missed reads of a run (see the file's comment): the writes before
   * each, then the read. Caches the answers up to and including the first that is not its
   * fallback; the writes before that read stand.
   */
  private async fetch(q: TxConnection, misses: readonly Miss[]): Promise<void> {
    const statements: string[] = [];
    if (!this.open) statements.push(`SAVEPOINT ${MUTATION_SAVEPOINT}`);
    else if (this.undo) statements.push(`ROLLBACK TO SAVEPOINT ${MUTATION_SAVEPOINT}`);
    let sent = this.applied;
    const at: number[] = [];
    for (const m of misses) {
      // Determinism: a run replays the applied writes before any read it has not cached.
      if (m.position < this.applied) throw new Error(`a read missed before the ${this.applied} writes already applied`);
      for (; sent < m.position; sent++) statements.push(inline(q, this.writes[sent]));
      at.push(statements.length);
      statements.push(inline(q, m.query));
    }
    // Inlined before anything is sent: a value refused above leaves the savepoint as it was.
    this.open = true;
    this.undo = false;
    const results = await this.send(q, statements);
    for (let i = 0; i < misses.length; i++) {
      const m = misses[i];
      this.cache.set(m.key, m.query.map(results[at[i]].rows));
      if (!isFallback(this.cache.get(m.key), m.fallback)) {
        if (sent > m.position) {
          // The run went on from a wrong answer and wrote after this read: the mutation's
          // writes go, and the next round trip sends again those before the read (rare: a
          // read that finds something usually comes before any write).
          this.undo = true;
          this.applied = 0;
        } else this.applied = m.position;
        return;
      }
    }
    this.applied = sent;
  }

  private async send(q: TxConnection, statements: readonly string[]): Promise<pg.QueryResult[]> {
    this.roundTrips++;
    const answer: unknown = await q.query(statements.join(';\n'));
    return Array.isArray(answer) ? (answer as pg.QueryResult[]) : [answer as pg.QueryResult];
  }
}

/** A read's answer is the neutral one its miss was answered with (nothing found). */
function isFallback(answer: unknown, fallback: unknown): boolean {
  if (answer === fallback) return true;
  return Array.isArray(answer) && Array.isArray(fallback) && answer.length === 0 && fallback.length === 0;
}

function inline(q: TxConnection, s: { sql: string; params: readonly unknown[] }): string {
  return inlineParams(s.sql, s.params, (v) => q.escapeLiteral(v));
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
  if (typeof value === 'string' && value.includes('\u0000')) throw new UnstorableValue('a NUL character');
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

/**
 * How the client cache keeps an entity, declared by its board and used by the engine
 * (`LocalStore`), which names no entity: where the server's rows and the pending local rows
 * live, how a server row is written, when a pending row is settled, and which change
 * counter the views read.
 */
import type Database from 'better-sqlite3';
import type { EntityDef, VersionedRow } from '../../common/engine/entity';
import type { Db } from './db';

/** A prepared statement taking positional values or one object of named values. */
export type Stmt = Database.Statement<unknown[], unknown>;

/**
 * A local change counter the live views read (`<thing>_changes`): one row per key with the
 * counter value of its last visible change, an index on `seq`. The engine moves it whenever
 * a row it writes or removes changes what a key shows, with one value per transaction. The
 * server rows of an entity that declares a `stamp` column carry their own value there
 * instead (a bootstrap writes 100,000 of them: no second row per key), so the counter's
 * value is the highest of its table and of those columns (`LocalStore.counterValue`).
 */
export interface ChangeCounter {
  table: string;
  keyColumns: readonly string[];
}

/** What the engine gives a board's cache code. */
export interface CacheHelpers {
  db: Db;
  /** A statement prepared once per cache and reused. */
  stmt(sql: string): Stmt;
  /** The path of a territory key (cached); an unknown key gets a path of its own. */
  pathOf(territory: string): string;
}

export interface CacheWriter<R> {
  /**
   * Writes a server row: inserts it, or replaces the cached one when its version is newer;
   * `seq` goes into the entity's `stamp` column (0 when it has none). True when the cache changed.
   */
  upsert(row: R, seq: number): boolean;
  /** True when the cache has no row of this key yet (asked before `upsert`, for live announcements). */
  isNew?(row: R): boolean;
}

export interface CacheEntity<R extends VersionedRow = VersionedRow> {
  entity: EntityDef<string, R>;
  /** The server's rows (written from pulls and pokes only). */
  table: string;
  /** The pending local rows, each with the `mutation_id` that wrote it. */
  overlay: string;
  /**
   * Other tables holding this entity's server rows (a unit's history), emptied with `table`
   * when the cache is rebuilt after a server restore. The engine empties `table` itself.
   */
  copies?: readonly string[];
  /** Columns that identify a row in both tables, and their values in a server row. */
  keyColumns: readonly string[];
  keyOf(row: R): readonly unknown[];
  /**
   * When an applied mutation's pending row may go: `present` once the server's row of that
   * key is in the cache (append-only rows), `version` once the server's row of that key has
   * reached the mutation's version (rows whose later states replace earlier ones).
   */
  settle: 'present' | 'version';
  writer(helpers: CacheHelpers): CacheWriter<R>;
  /** The change counter this entity's rows move, and the keys a row moves in it. */
  counter?: {
    counter: ChangeCounter;
    /** The server table's column holding the counter value of the row's own last change (its key is then not written to the counter table). */
    stamp?: string;
    /** Other keys of the counter a server row moves (a key: values in `counter.keyColumns` order); with no `stamp`, its own key too. */
    keysOf(row: R): ReadonlyArray<readonly unknown[]>;
    /** The same keys read off a pending row: groups of the overlay's columns, one group per key. */
    overlayColumns: ReadonlyArray<readonly string[]>;
  };
}

/** Declares a cache entity with its row type checked against the entity's. */
export function defineCacheEntity<R extends VersionedRow>(def: CacheEntity<R>): CacheEntity<R> {
  return def;
}

/**
 * The main process's registry of boards: one line per board, in the order of
 * `common/boards.ts` (a test checks that every shared board has its part here). The local
 * cache, the ConsoleApi handler table and the sync client's announcements are built from it.
 */
import { mutators } from '../common/boards';
import type { Territories } from '../common/territory';
import { bedsMain } from './beds';
import type { AnnounceContext, MainBoard } from './board';
import { eventLogMain } from './eventlog';
import { stocksMain } from './stocks';
import { transfersMain } from './transfers';
import { openDatabase, type OpenOptions } from './store/db';
import { LocalStore } from './store/localStore';
import { cacheMigrations, type CacheMigration } from './store/migrations';
import type { Change } from '../common/protocol';

export const mainBoards = [eventLogMain, bedsMain, transfersMain, stocksMain] as const;

const boardList: readonly MainBoard[] = mainBoards;

/** Each board's queries over the cache, by board name: `store.boards.beds.listUnits()`. */
export type BoardQueries = {
  [B in (typeof mainBoards)[number] as B['board']['name']]: B extends MainBoard<infer Q, string> ? Q : never;
};

/** A user's cache with every board's queries. */
export type VigieStore = LocalStore<BoardQueries>;

/** Every migration of the cache, engine's and boards', in order. */
export const CACHE_MIGRATIONS: readonly CacheMigration[] = cacheMigrations(boardList.map((b) => b.migrations));

/** Wraps an open, migrated database in the engine with every board registered. */
export function localStoreOn(db: LocalStore['db'], territories: Territories): VigieStore {
  return new LocalStore<BoardQueries>(
    db,
    territories,
    mutators,
    boardList.map((b) => ({ name: b.board.name, entities: b.entities, slice: b.slice })),
    (engine) => {
      const queries: Record<string, unknown> = {};
      for (const b of boardList) queries[b.board.name] = b.queries(engine);
      return queries as BoardQueries;
    },
  );
}

/** Opens (creating and migrating if needed) a user's cache file. */
export function openLocalStore(file: string, territories: Territories, opts: OpenOptions = {}): VigieStore {
  return localStoreOn(openDatabase(file, CACHE_MIGRATIONS, opts), territories);
}

/** Hands the rows a poke brought to the boards that announce them. */
export function announceFresh(fresh: readonly Change[], ctx: AnnounceContext): void {
  if (fresh.length === 0) return;
  for (const b of boardList) b.announce?.(fresh, ctx);
}

/** The boards' clocks for one session (`MainBoard.clock`): `check` runs them now, `stop` ends their timers. */
export interface BoardClocks {
  check(): void;
  /** Runs the clocks of the boards owning one of `entities` (rows a sync just changed). */
  changed(entities: readonly string[]): void;
  stop(): void;
}

/** Starts every board's clock over `store`; a failing check is logged, never thrown into a timer. */
export function startBoardClocks(store: VigieStore, ctx: AnnounceContext, log: (line: string) => void): BoardClocks {
  const clocks = boardList.flatMap((b) => (b.clock ? [{ name: b.board.name, entities: new Set<string>(b.board.entities.map((e) => e.name)), ...b.clock }] : []));
  let stopped = false;
  const run = (c: (typeof clocks)[number]) => {
    if (stopped || !store.isOpen) return;
    try {
      c.check(store, ctx, Date.now());
    } catch (err) {
      log(`clock of ${c.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const timers = clocks.map((c) => {
    const t = setInterval(() => run(c), c.everyMs);
    t.unref?.();
    return t;
  });
  return {
    check: () => clocks.forEach(run),
    changed: (entities) => clocks.filter((c) => entities.some((e) => c.entities.has(e))).forEach(run),
    stop() {
      stopped = true;
      timers.forEach(clearInterval);
    },
  };
}

/**
 * A board's part of the main process, as the engine sees it: its cache migrations, how the
 * cache keeps its entities, its transaction slice and its queries over the cache, its
 * ConsoleApi handlers, and what it tells the user of rows a poke brought. One per board, in
 * `main/<board>/index.ts`, listed once in `main/boards.ts`.
 */
import type { BoardDef } from '../common/engine/board';
import type { ServiceContext } from './context';
import type { HandlerTable } from './handlers';
import type { CacheEntity } from './store/cacheEntity';
import type { LocalStore } from './store/localStore';
import type { CacheMigration } from './store/migrations';
import type { Emit } from './sync/syncClient';
import type { Change } from '../common/protocol';

/** What a board may use to announce rows a poke brought (desktop notifications, urgent banners). */
export interface AnnounceContext {
  /** The signed-in user: their own rows are never announced to them. */
  userId: string;
  /** The signed-in user's role (`samu:75`): who they are in a transfer. */
  roleText: string;
  labelOf(territory: string): string;
  emit: Emit;
}

export interface MainBoard<Q = unknown, N extends string = string> {
  /** The board's shared declaration (name, entities, mutators, calls). */
  board: BoardDef<N>;
  migrations: readonly CacheMigration[];
  /** How the cache keeps each of the board's entities. */
  entities: readonly CacheEntity[];
  /** The board's transaction slice for a local mutation (reads: server rows with pending ones on top; writes: the overlay of `mutationId`). */
  slice(engine: LocalStore, mutationId: number): object;
  /** The board's queries over the cache, reached as `store.boards.<name>`. */
  queries(engine: LocalStore): Q;
  /** Registers the board's ConsoleApi calls. */
  register(table: HandlerTable, ctx: ServiceContext): void;
  /** Rows a poke brought that were not in the cache before (entities whose writer tells). */
  announce?(fresh: readonly Change[], ctx: AnnounceContext): void;
  /**
   * What the clock tells rather than a change (a delay that passed): `check` runs every
   * `everyMs` while a session is open, right after each sync that changed rows, and when a
   * handler asks (`ActiveSession.clocks.check()`); `now` is passed in so tests fake it.
   */
  clock?: { everyMs: number; check(engine: LocalStore, ctx: AnnounceContext, now: number): void };
}

export function defineMainBoard<Q, N extends string>(def: MainBoard<Q, N>): MainBoard<Q, N> {
  return def;
}

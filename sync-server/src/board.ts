/**
 * A board's part of the sync server, as the engine sees it: its migrations, the tables its
 * latest-only entities are pulled from, its transaction slice and its own store over the
 * database, and what it adds to the server (socket events, HTTP routes, demo data). One per
 * board, in `sync-server/src/<board>/index.ts`, listed once in `sync-server/src/boards.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Database from 'better-sqlite3';
import type { BoardDef } from '../../common/engine/board';
import type { Actor } from '../../common/engine/mutation';
import type { Territories } from '../../common/territory';
import type { ChangeWriter } from './store/changeWriter';
import type { ServerMigration } from './store/migrations';
import type { ScopedChange, ServerStore, UserRecord } from './store/types';
import type { Mutation, Reply } from '../../common/protocol';

/**
 * Where a latest-only entity's current rows are: one row per key with the `version` of its
 * latest row and its `scope_path`, and an index on `(version, scope_path)`. A pull reads the
 * payload of that version from the change log.
 */
export interface LatestTable {
  table: string;
  index: string;
}

/** An HTTP route a board serves (the engine answers 404/405 and sanitises errors). */
export interface HttpRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** A socket event a board answers: the authenticated actor and the raw payload in, a reply out. */
export type SocketHandler = (actor: Actor, raw: unknown) => Promise<Reply<unknown>>;

/** What a board gets when the server starts. */
export interface BoardAttachContext<S> {
  /** The engine's store (users, exactly-once pushes, pulls). */
  store: ServerStore;
  /** The board's own store. */
  own: S;
  territories: Territories;
  now(): Date;
  /** Announces committed changes to the sockets in scope. */
  poke(changes: ScopedChange[]): void;
  log(line: string): void;
  onSocket(event: string, handler: SocketHandler): void;
  route(route: HttpRoute): void;
  /** Client ids starting with `prefix` belong to the board's server-side writers: a workstation's handshake with one is refused. */
  reserveClientIds(prefix: string): void;
}

/** A demo account (password `demo-vigie`). */
export interface DemoUser {
  username: string;
  role: string;
  displayName: string;
}

/** What a board gets to seed its demo data (`--demo`). */
export interface DemoContext<S> {
  own: S;
  store: ServerStore;
  territories: Territories;
  /** A demo account by username: one of the shared demo users, or one the board created. */
  user(username: string): UserRecord;
  /** Finds or creates a demo account of the board's own (password `demo-vigie`). */
  demoUser(username: string, role: string, displayName: string): Promise<UserRecord>;
  /**
   * Pushes mutations as a demo account through the same path as a socket's push (checks,
   * exactly-once under the account's seed client id, change log, pokes); throws if one is refused.
   */
  seed(author: UserRecord, mutations: Array<Pick<Mutation, 'name' | 'args' | 'at'>>): Promise<void>;
  /** Options the operator gave (e.g. the demo feed key). */
  options: Readonly<Record<string, string | undefined>>;
}

export interface ServerBoard<S = unknown, N extends string = string> {
  /** The board's shared declaration (name, entities, mutators). */
  board: BoardDef<N>;
  migrations: readonly ServerMigration[];
  /** For each latest-only entity of the board, by entity name. */
  latest?: Readonly<Record<string, LatestTable>>;
  sqlite: {
    /** The board's transaction slice, prepared once per database; writes stamp through `writer`. */
    slice(db: Database.Database, writer: ChangeWriter, scopeOf: (territory: string) => string): object;
    /** The board's own reads and writes outside mutators (history, keys, counts). */
    store(db: Database.Database): S;
  };
  attach?(ctx: BoardAttachContext<S>): void;
  seedDemo?(ctx: DemoContext<S>): Promise<void>;
}

export function defineServerBoard<S, N extends string>(def: ServerBoard<S, N>): ServerBoard<S, N> {
  return def;
}

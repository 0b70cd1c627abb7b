/**
 * The wire protocol between a Vigie client and the sync server (Socket.IO), assembled: the
 * sync engine's own part (`common/engine/wire.ts`, re-exported here) with the change union
 * and the socket events derived from the boards' registry (`common/boards.ts`).
 * docs/protocol.md explains it for teams writing their own client.
 */
import type { AdminEvents } from './admin/api';
import type { Board, Entity } from './boards';
import type { SocketOf } from './engine/board';
import type { ChangeOf } from './engine/entity';
import type { UnionToIntersection } from './engine/registry';
import { syncWire, type AskEvent, type PokeOf, type PullPageOf, type PullRequest, type PullResultOf, type PushRequest, type PushResult, type SyncHello } from './engine/wire';

export * from './engine/wire';

/** One row of the server's change log, as a client in scope receives it: one member per registered entity. */
export type Change = ChangeOf<Entity>;

export type PullResult = PullResultOf<Change>;
/** A pull page as the server's store reads it (the answer adds the epoch). */
export type PullPage = PullPageOf<Change>;
export type Poke = PokeOf<Change>;

/** Client → server events: the sync engine's, user administration's and audit's, and every board's own. */
export type ClientToServerEvents = {
  [syncWire.push]: AskEvent<PushRequest, PushResult>;
  [syncWire.pull]: AskEvent<PullRequest, PullResult>;
} & AdminEvents &
  UnionToIntersection<SocketOf<Board>>;

export interface ServerToClientEvents {
  'sync:poke': (poke: Poke) => void;
  'sync:hello': (hello: SyncHello) => void;
}

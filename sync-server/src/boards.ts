/**
 * The sync server's registry of boards: one line per board, in the order of
 * `common/boards.ts` (a test checks that every shared board has its server part here).
 */
import { bedsServer } from './beds';
import { eventLogServer } from './eventlog';
import { stocksServer } from './stocks';
import { transfersServer } from './transfers';
import { serverMigrations, type ServerMigration } from './store/migrations';
import type { BoardStoresOf } from './store/sqliteStore';

export const serverBoards = [eventLogServer, bedsServer, transfersServer, stocksServer] as const;

/** Each board's store part, by board name: `store.boards.beds.unitHistory(…)`. */
export type BoardStores = BoardStoresOf<typeof serverBoards>;

/** Every step of the server schema, engine's and boards', in order. */
export const SERVER_MIGRATIONS: readonly ServerMigration[] = serverMigrations(serverBoards.map((b) => b.migrations));

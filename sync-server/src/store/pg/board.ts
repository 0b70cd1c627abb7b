/**
 * A board's part of the PostgreSQL store: its transaction slice (synchronous, over the
 * mutation's read cache and write buffer: `txRuntime.ts`) and its store part (the same
 * interface as the SQLite one, over the pool). Each board's lives in `<board>/pgTx.ts` and
 * is listed in `pg/boards.ts`.
 */
import type { PgChangeWriter } from './changeWriter';
import type { PgDb } from './db';
import type { PgTxRuntime } from './txRuntime';

export interface PgBoardPart<S = unknown> {
  slice(rt: PgTxRuntime, writer: PgChangeWriter): object;
  store(db: PgDb): S;
}

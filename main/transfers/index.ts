/** The transfers board's part of the main process: its cache, slice, queries, handlers, and what it tells (changes and the clock). */
import { transfersBoard } from '../../common/domain/transfers';
import { defineMainBoard } from '../board';
import { announceTransfers } from './announce';
import { transfersCache } from './cache';
import { registerTransfersHandlers } from './handlers';
import { checkTransferNotices } from './notices';
import { m014Transfers } from './migrations/014-transfers';
import { m015TransferSummaries } from './migrations/015-transfer-summaries';
import { TransfersQueries } from './queries';
import { cacheTransfersTx } from './tx';

export const transfersMain = defineMainBoard({
  board: transfersBoard,
  migrations: [m014Transfers, m015TransferSummaries],
  entities: transfersCache,
  slice: cacheTransfersTx,
  queries: (engine) => new TransfersQueries(engine),
  register: registerTransfersHandlers,
  announce: announceTransfers,
  // Unanswered proposals and lapsed holds are clock events: looked for every 30 s.
  clock: { everyMs: 30_000, check: (engine, ctx, now) => void checkTransferNotices(engine, ctx, now) },
});

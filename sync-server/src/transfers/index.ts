/** The transfers board's part of the sync server: its tables, transaction slice and store part. */
import { transfersBoard } from '../../../common/domain/transfers';
import { defineServerBoard } from '../board';
import { m014Transfers } from './migrations/014-transfers';
import { m015TransferSummaries } from './migrations/015-transfer-summaries';
import { sqliteTransfersTx } from './sqliteTx';
import { sqliteTransfersStore } from './store';

export const transfersServer = defineServerBoard({
  board: transfersBoard,
  migrations: [m014Transfers, m015TransferSummaries],
  sqlite: { slice: sqliteTransfersTx, store: sqliteTransfersStore },
});

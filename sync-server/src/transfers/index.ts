/** The transfers board's part of the sync server: its tables, transaction slice and store part. */
import { transfersBoard } from '../../../common/domain/transfers';
import { defineServerBoard } from '../board';
import { m014Transfers } from './migrations/014-transfers';
import { sqliteTransfersTx } from './sqliteTx';
import { sqliteTransfersStore } from './store';

export const transfersServer = defineServerBoard({
  board: transfersBoard,
  migrations: [m014Transfers],
  sqlite: { slice: sqliteTransfersTx, store: sqliteTransfersStore },
});

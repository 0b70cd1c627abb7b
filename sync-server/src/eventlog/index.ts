/** The event log's part of the sync server: its tables, its transaction slice, its store part and its demo data. */
import { eventLogBoard } from '../../../common/domain/eventlog';
import { defineServerBoard } from '../board';
import { seedEventLogDemo } from './demo';
import { m002EventLog } from './migrations/002-event-log';
import { m011ConsigneAckLists } from './migrations/011-consigne-ack-lists';
import { m012ReinforcementRooms } from './migrations/012-reinforcement-rooms';
import { m013MessageReceivedAt } from './migrations/013-message-received-at';
import { sqliteEventLogTx } from './sqliteTx';
import { sqliteEventLogStore } from './store';

export const eventLogServer = defineServerBoard({
  board: eventLogBoard,
  migrations: [m002EventLog, m011ConsigneAckLists, m012ReinforcementRooms, m013MessageReceivedAt],
  sqlite: { slice: sqliteEventLogTx, store: sqliteEventLogStore },
  seedDemo: seedEventLogDemo,
});

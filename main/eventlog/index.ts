/** The event log's part of the main process: its cache, slice, queries, handlers and live announcements. */
import { eventLogBoard } from '../../common/domain/eventlog';
import { defineMainBoard } from '../board';
import { announceUrgent } from './announce';
import { eventLogCache } from './cache';
import { registerEventLogHandlers } from './handlers';
import { m002EventLogRows } from './migrations/002-event-log-rows';
import { m006MessageChanges } from './migrations/006-message-changes';
import { m008MessageChangesByEngine } from './migrations/008-message-changes-by-engine';
import { m011ConsigneAckLists } from './migrations/011-consigne-ack-lists';
import { m012ReinforcementRooms } from './migrations/012-reinforcement-rooms';
import { m013MessageReceivedAt } from './migrations/013-message-received-at';
import { EventLogQueries } from './queries';
import { cacheEventLogTx } from './tx';

export const eventLogMain = defineMainBoard({
  board: eventLogBoard,
  migrations: [m002EventLogRows, m006MessageChanges, m008MessageChangesByEngine, m011ConsigneAckLists, m012ReinforcementRooms, m013MessageReceivedAt],
  entities: eventLogCache,
  slice: cacheEventLogTx,
  queries: (engine) => new EventLogQueries(engine),
  register: registerEventLogHandlers,
  announce: announceUrgent,
});

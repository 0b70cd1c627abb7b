/** The event log (main courante) as a board: its rows, mutators, calls and pushed events. */
import { defineBoard } from '../../engine/board';
import { eventLogCalls, eventLogEvents } from './api';
import { eventLogEntities } from './entities';
import { eventLogMutators } from './mutators';

export const eventLogBoard = defineBoard({
  name: 'eventlog',
  entities: eventLogEntities,
  mutators: eventLogMutators,
  calls: eventLogCalls,
  events: eventLogEvents,
});

/** The transfers board (issue 8) as a board: its rows, mutators and calls. */
import { defineBoard } from '../../engine/board';
import { transferCalls, transferEvents } from './api';
import { transferEntities } from './entities';
import { transferMutators } from './mutators';
import { operationMutators } from './operationMutators';

export const transfersBoard = defineBoard({
  name: 'transfers',
  entities: transferEntities,
  mutators: { ...transferMutators, ...operationMutators },
  calls: transferCalls,
  events: transferEvents,
});

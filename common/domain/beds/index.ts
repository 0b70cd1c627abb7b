/** The bed board (ROR+) as a board: its rows, mutator, calls and socket events. */
import { defineBoard } from '../../engine/board';
import { returns } from '../../engine/calls';
import { bedCalls } from './api';
import { bedEntities } from './entities';
import { bedMutators } from './mutators';
import type { BedsSocketEvents } from './protocol';

export const bedsBoard = defineBoard({
  name: 'beds',
  entities: bedEntities,
  mutators: bedMutators,
  calls: bedCalls,
  socket: returns<BedsSocketEvents>(),
});

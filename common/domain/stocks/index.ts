/** The stocks board (issue 9, MaPUI+) as a board: its rows, mutator, calls and socket event. */
import { defineBoard } from '../../engine/board';
import { returns } from '../../engine/calls';
import { stockCalls } from './api';
import { stockEntities } from './entities';
import { stockMutators } from './mutators';
import type { StocksSocketEvents } from './protocol';

export const stocksBoard = defineBoard({
  name: 'stocks',
  entities: stockEntities,
  mutators: stockMutators,
  calls: stockCalls,
  socket: returns<StocksSocketEvents>(),
});

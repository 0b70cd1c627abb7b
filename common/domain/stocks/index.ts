/** The stocks board (issue 9, MaPUI+) as a board: its rows, mutator, calls and socket event. */
import { defineBoard } from '../../engine/board';
import { returns } from '../../engine/calls';
import { stockCalls } from './api';
import { stockEntities } from './entities';
import { stockMutators } from './mutators';
import { roundMutators } from './roundMutators';
import { roundCalls } from './roundsApi';
import type { StocksSocketEvents } from './protocol';

export const stocksBoard = defineBoard({
  name: 'stocks',
  entities: stockEntities,
  mutators: { ...stockMutators, ...roundMutators },
  calls: { ...stockCalls, ...roundCalls },
  socket: returns<StocksSocketEvents>(),
});

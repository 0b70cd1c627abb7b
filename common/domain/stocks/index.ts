/** The stocks board (issue 9, MaPUI+) as a board: its rows, mutator and calls. */
import { defineBoard } from '../../engine/board';
import { stockCalls } from './api';
import { stockEntities } from './entities';
import { stockMutators } from './mutators';

export const stocksBoard = defineBoard({
  name: 'stocks',
  entities: stockEntities,
  mutators: stockMutators,
  calls: stockCalls,
});

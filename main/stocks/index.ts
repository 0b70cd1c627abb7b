/** The stocks board's part of the main process: its cache, slice, queries and handlers. */
import { stocksBoard } from '../../common/domain/stocks';
import { defineMainBoard } from '../board';
import { stocksCache } from './cache';
import { registerStocksHandlers } from './handlers';
import { m017Stocks } from './migrations/017-stocks';
import { gapUntilMerge } from './migrations/placeholders';
import { StocksQueries } from './queries';
import { cacheStocksTx } from './tx';

export const stocksMain = defineMainBoard({
  board: stocksBoard,
  migrations: [...gapUntilMerge, m017Stocks],
  entities: stocksCache,
  slice: cacheStocksTx,
  queries: (engine) => new StocksQueries(engine),
  register: registerStocksHandlers,
});

/** The stocks board's part of the main process: its cache, slice, queries and handlers. */
import { stocksBoard } from '../../common/domain/stocks';
import { defineMainBoard } from '../board';
import { stocksCache } from './cache';
import { registerStocksHandlers } from './handlers';
import { m016Stocks } from './migrations/016-stocks';
import { m018Redeployments } from './migrations/018-redeployments';
import { m019AllocationRounds } from './migrations/019-allocation-rounds';
import { m020PendingLineIds } from './migrations/020-pending-line-ids';
import { registerRoundHandlers } from './roundHandlers';
import { StocksQueries } from './queries';
import { cacheStocksTx } from './tx';

export const stocksMain = defineMainBoard({
  board: stocksBoard,
  migrations: [m016Stocks, m018Redeployments, m019AllocationRounds, m020PendingLineIds],
  entities: stocksCache,
  slice: cacheStocksTx,
  queries: (engine) => new StocksQueries(engine),
  register(table, ctx) {
    registerStocksHandlers(table, ctx);
    registerRoundHandlers(table, ctx);
  },
});

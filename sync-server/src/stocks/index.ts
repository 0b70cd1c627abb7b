/**
 * The stocks board's part of the sync server: its tables (every stock line, each
 * presentation's current one per establishment), its transaction slice, its store part and
 * the `stocks:history` and `stocks:series` socket events and its demo data.
 */
import { stocksBoard } from '../../../common/domain/stocks';
import { stockLineEntity } from '../../../common/domain/stocks/entities';
import { stocksWire } from '../../../common/domain/stocks/protocol';
import { defineServerBoard } from '../board';
import { seedStocksDemo } from './demo';
import { stockHistory } from './history';
import { stockChartSeries } from './series';
import { m016Stocks } from './migrations/016-stocks';
import { m018Redeployments } from './migrations/018-redeployments';
import { m019AllocationRounds } from './migrations/019-allocation-rounds';
import { sqliteStocksTx } from './sqliteTx';
import { sqliteStocksStore } from './store';

export const stocksServer = defineServerBoard({
  board: stocksBoard,
  migrations: [m016Stocks, m018Redeployments, m019AllocationRounds],
  latest: { [stockLineEntity.name]: { table: 'stock_current', index: 'stock_current_version' } },
  sqlite: { slice: sqliteStocksTx, store: sqliteStocksStore },
  attach(ctx) {
    ctx.onSocket(stocksWire.history, (actor, raw) => stockHistory(ctx.own, ctx.territories, actor, raw));
    ctx.onSocket(stocksWire.series, (actor, raw) => stockChartSeries(ctx.own, ctx.territories, actor, raw, ctx.now()));
  },
  seedDemo: seedStocksDemo,
});

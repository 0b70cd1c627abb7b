/**
 * The stocks board's part of the sync server: its tables (every stock line, each
 * presentation's current one per establishment), its transaction slice, its store part and
 * its demo data.
 */
import { stocksBoard } from '../../../common/domain/stocks';
import { stockLineEntity } from '../../../common/domain/stocks/entities';
import { defineServerBoard } from '../board';
import { seedStocksDemo } from './demo';
import { m017Stocks } from './migrations/017-stocks';
import { gapUntilMerge } from './migrations/placeholders';
import { sqliteStocksTx } from './sqliteTx';
import { sqliteStocksStore } from './store';

export const stocksServer = defineServerBoard({
  board: stocksBoard,
  migrations: [...gapUntilMerge, m017Stocks],
  latest: { [stockLineEntity.name]: { table: 'stock_current', index: 'stock_current_version' } },
  sqlite: { slice: sqliteStocksTx, store: sqliteStocksStore },
  seedDemo: seedStocksDemo,
});

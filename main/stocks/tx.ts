/**
 * The stocks board's slice on a workstation: a line is read from the overlay first, then
 * the server's current lines; a new line goes to the overlay, tagged with its mutation.
 */
import type { StocksTx } from '../../common/domain/stocks/tx';
import type { LocalStore } from '../store/localStore';
import { loadMainProducts } from './products';
import { cacheRedeployTx } from './redeployCache';
import { LINE_COLS, LINE_VALUES, lineToRow, rowToLine, type LineRow } from './rows';
import { cacheRoundsTx } from './rounds';

export function cacheStocksTx(engine: LocalStore, mutationId: number): StocksTx {
  return {
    ...cacheRedeployTx(engine, mutationId),
    ...cacheRoundsTx(engine, mutationId),
    products: loadMainProducts,
    getLine: (id) => {
      const row = (engine.stmt(`SELECT ${LINE_COLS} FROM ov_stock_lines WHERE id = ?`).get(id) ??
        engine.stmt(`SELECT ${LINE_COLS} FROM stock_lines WHERE id = ?`).get(id)) as LineRow | undefined;
      return row ? (rowToLine(row) ?? undefined) : undefined;
    },
    insertLine: (line) => {
      engine.stmt(`INSERT INTO ov_stock_lines (mutation_id, ${LINE_COLS}) VALUES (@mutation_id, ${LINE_VALUES})`).run({ mutation_id: mutationId, ...lineToRow(line) });
    },
  };
}

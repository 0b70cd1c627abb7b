/**
 * The stocks board's transaction slice. Reads see everything the process holds for this user
 * (on a workstation: the server's rows with pending ones on top). Writes carry `version: 0`.
 */
import type { StockLine } from './model';
import type { Products } from './products';
import type { RedeployTx } from './redeployTx';
import type { RoundsTx } from './rounds';

export interface StocksTx extends RedeployTx, RoundsTx {
  /** The medicines referential the process loaded (bundled CSV). */
  products(): Products;
  getLine(id: string): StockLine | undefined;
  /** Appends a line to the presentation's history; it becomes current unless counted before the current one. */
  insertLine(line: StockLine): void;
}

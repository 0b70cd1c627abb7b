/**
 * The reads and writes regional redeployments add to the stocks board's slice (`StocksTx`
 * extends it). Reads see what the process holds for this user: on a workstation, the
 * server's rows with pending ones on top.
 */
import type { StockLine } from './model';
import type { Redeployment } from './redeployment';

export interface RedeployTx {
  getRedeployment(id: string): Redeployment | undefined;
  putRedeployment(r: Redeployment): void;
  /** Every move this process holds that gives from or brings to `finess`. */
  redeploymentsOf(finess: string): Redeployment[];
  /** The current line of each presentation at `finess` (latest by count time). */
  currentLines(finess: string): StockLine[];
}

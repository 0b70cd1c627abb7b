/**
 * The stocks board's slice in memory for unit tests of its mutators: every stock line kept,
 * the current one per (establishment, presentation) the latest by count time, and the
 * regional redeployments and the national allocation rounds.
 */
import type { StockLine } from '../../common/domain/stocks/model';
import type { Redeployment } from '../../common/domain/stocks/redeployment';
import type { RedeployTx } from '../../common/domain/stocks/redeployTx';
import type { AllocationRound, AllocationRoundLine, RoundsTx } from '../../common/domain/stocks/rounds';

export class RedeployMemory implements RedeployTx, RoundsTx {
  rounds = new Map<string, AllocationRound>();
  roundLines = new Map<string, AllocationRoundLine>();
  getRound = (id: string) => this.rounds.get(id);
  putRound = (r: AllocationRound) => void this.rounds.set(r.id, r);
  getRoundLine = (id: string) => this.roundLines.get(id);
  putRoundLine = (l: AllocationRoundLine) => void this.roundLines.set(l.id, l);
  lines = new Map<string, StockLine>();
  moves = new Map<string, Redeployment>();
  getRedeployment = (id: string) => this.moves.get(id);
  putRedeployment = (r: Redeployment) => void this.moves.set(r.id, r);
  redeploymentsOf = (finess: string) => [...this.moves.values()].filter((r) => r.from === finess || r.to === finess);
  currentLines(finess: string): StockLine[] {
    const current = new Map<string, StockLine>();
    for (const l of this.lines.values()) {
      if (l.finess !== finess) continue;
      const held = current.get(l.cip13);
      if (!held || Date.parse(l.at) >= Date.parse(held.at)) current.set(l.cip13, l);
    }
    return [...current.values()];
  }
}

/**
 * Allocation rounds in the renderer: the rounds this user sees (re-read on each `data.changed`
 * naming a round or a line), the national cell's current proposal and its quota edits (kept
 * as typed, re-checked live by `adjustAllocation`), and the calls that validate and confirm.
 */
import { create } from 'zustand';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import { adjustAllocation, type AdjustedAllocation } from '../../../common/domain/stocks/allocation';
import { parseFrenchNumber } from '../../../common/domain/stocks/model';
import type { AllocationProposalView, RoundsView } from '../../../common/domain/stocks/roundsApi';
import type { CallArgs, ConsoleEvents } from '../../../common/api';

interface RoundsState {
  view: RoundsView | null;
  error: string | null;
  proposal: AllocationProposalView | null;
  /** Quotas as typed, by FINESS (only the lines the user touched). */
  edits: Readonly<Record<string, string>>;
  notice: string | null;
  load(): Promise<void>;
  onDataChanged(entities: ConsoleEvents['data.changed']['entities']): void;
  propose(args: CallArgs<'allocations.propose'>): Promise<void>;
  edit(finess: string, text: string): void;
  validate(): Promise<void>;
  confirm(roundId: string, finess: string): Promise<void>;
  reset(): void;
}

const initial = () => ({
  view: null as RoundsView | null,
  error: null as string | null,
  proposal: null as AllocationProposalView | null,
  edits: {} as Readonly<Record<string, string>>,
  notice: null as string | null,
});

/** The proposal with the user's quotas applied and re-checked (a quota that is not a number counts as not whole). */
export function adjusted(proposal: AllocationProposalView, edits: Readonly<Record<string, string>>): AdjustedAllocation {
  const adjustments = Object.entries(edits).map(([finess, text]) => ({ finess, quota: parseFrenchNumber(text) ?? Number.NaN }));
  return adjustAllocation(proposal.proposal, adjustments);
}

export const useRounds = create<RoundsState>()((set, get) => ({
  ...initial(),
  load: () => refresher.run(),
  onDataChanged(entities) {
    if (entities.includes('allocationRound') || entities.includes('allocationLine')) void refresher.run();
  },
  async propose(args) {
    set({ notice: null });
    const reply = await call('allocations.propose', args);
    set(reply.ok ? { proposal: reply.data, edits: {}, error: null } : { error: reply.error.message });
  },
  edit: (finess, text) => set({ edits: { ...get().edits, [finess]: text } }),
  async validate() {
    const p = get().proposal;
    if (!p) return;
    const a = adjusted(p, get().edits);
    if (!a.ok) return;
    const quotas = new Map(a.lines.map((l) => [l.finess, l.quota]));
    const reply = await call('allocations.validate', {
      cip13: p.cip13,
      supplyUnits: p.supplyUnits,
      targetDays: p.targetDays,
      weightByOccupancy: p.weightByOccupancy,
      lines: p.proposal.lines.map((l) => ({ finess: l.finess, onHandMg: l.onHandMg, dailyUseMg: l.dailyUseMg, covidOccupied: l.covidOccupied, quota: quotas.get(l.finess) ?? l.quota })),
    });
    if (!reply.ok) {
      set({ error: reply.error.message });
      return;
    }
    set({ proposal: null, edits: {}, error: null, notice: String(a.allocatedUnits) });
    void refresher.run();
  },
  async confirm(roundId, finess) {
    const reply = await call('allocations.confirm', { roundId, finess });
    set({ error: reply.ok ? null : reply.error.message });
    void refresher.run();
  },
  reset: () => set(initial()),
}));

const refresher = createCoalescer(async () => {
  const reply = await call('allocations.view', {});
  if (reply.ok) useRounds.setState({ view: reply.data });
  else useRounds.setState({ error: reply.error.message });
});

/**
 * The state of regional redeployments in the stocks board: what this user does with them
 * (`redeployments.mine`: the ARS and national « Redéploiements » tab, or its establishment's
 * moves), the tab's view with its choices (région, molecule, presentation, thresholds) and the
 * moves ticked for validation. Re-read when moves or stock lines change.
 */
import { create } from 'zustand';
import type { RedeployMine, RedeployView } from '../../../common/domain/stocks/redeployApi';
import type { MoleculeCode } from '../../../common/domain/stocks/products';
import type { ConsoleEvents } from '../../../common/api';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';

export interface RedeployChoices {
  region?: string;
  molecule?: MoleculeCode;
  cip13?: string;
  surplusDays?: number;
  alertDays?: number;
}

interface RedeployState {
  mine: RedeployMine | null;
  view: RedeployView | null;
  choices: RedeployChoices;
  /** The suggested moves ticked, by `moveKey`. */
  picked: ReadonlySet<string>;
  error: string | null;
  message: string | null;
  load(): Promise<void>;
  choose(c: RedeployChoices): void;
  toggle(key: string): void;
  validate(): Promise<void>;
  step(id: string, step: 'ship' | 'receive' | 'cancel'): Promise<void>;
  onDataChanged(entities: ConsoleEvents['data.changed']['entities']): void;
  reset(): void;
}

/** A suggested move's key: a giver sends to a receiver once per suggestion. */
export const moveKey = (m: { from: string; to: string }) => `${m.from}>${m.to}`;

const initial = () => ({
  mine: null as RedeployMine | null,
  view: null as RedeployView | null,
  choices: {} as RedeployChoices,
  picked: new Set<string>() as ReadonlySet<string>,
  error: null as string | null,
  message: null as string | null,
});

export const useRedeploy = create<RedeployState>()((set, get) => ({
  ...initial(),
  load: () => refresher.run(),
  choose(c) {
    set({ choices: { ...get().choices, ...c }, picked: new Set(), message: null, error: null });
    void refresher.run();
  },
  toggle(key) {
    const next = new Set(get().picked);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    set({ picked: next });
  },
  async validate() {
    const { view, picked } = get();
    if (!view?.suggestion || !view.cip13) return;
    const moves = view.suggestion.moves.filter((m) => picked.has(moveKey(m))).map((m) => ({ from: m.from, to: m.to, units: m.units }));
    const reply = await call('redeployments.propose', { cip13: view.cip13, surplusDays: view.surplusDays, alertDays: view.alertDays, moves });
    if (!reply.ok) set({ error: reply.error.message, message: null });
    else set({ error: null, message: `${moves.length}`, picked: new Set() });
    void refresher.run();
  },
  async step(id, step) {
    const reply = await call('redeployments.step', { id, step });
    set(reply.ok ? { error: null } : { error: reply.error.message });
    void refresher.run();
  },
  onDataChanged(entities) {
    if (entities.includes('redeployment') || entities.includes('stockLine')) void refresher.run();
  },
  reset: () => set(initial()),
}));

const refresher = createCoalescer(async () => {
  const mine = await call('redeployments.mine', {});
  if (!mine.ok) {
    useRedeploy.setState({ error: mine.error.message });
    return;
  }
  useRedeploy.setState({ mine: mine.data });
  if (mine.data.scope !== 'region') return;
  const view = await call('redeployments.view', useRedeploy.getState().choices);
  if (view.ok) useRedeploy.setState({ view: view.data });
  else useRedeploy.setState({ error: view.error.message });
});

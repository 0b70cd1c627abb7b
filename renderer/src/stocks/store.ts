/**
 * The stocks board's state: main's board view (re-read on each `data.changed` naming
 * `stockLine`: a report arriving by poke recolours the grid live), the chosen view, the
 * closed groups, the quick form's view and the thresholds.
 */
import { create } from 'zustand';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import type { StockFormView, StocksBoardView } from '../../../common/domain/stocks/api';
import type { CoverThresholds } from '../../../common/domain/stocks/model';
import type { CallArgs, ConsoleEvents } from '../../../common/api';
import type { MoleculeCode } from '../../../common/domain/stocks/products';
import { useRedeploy } from './redeployStore';
import { useRounds } from './roundsStore';

/** The grid's molecule: one molecule's four columns (the default, light to lay out) or all five. */
export type GridMolecule = MoleculeCode | 'all';

export type StocksTab = 'grid' | 'pivot' | 'form' | 'import' | 'chart' | 'redeploy' | 'allocations' | 'dotations';

interface StocksState {
  board: StocksBoardView | null;
  loaded: boolean;
  error: string | null;
  tab: StocksTab | null;
  collapsed: ReadonlySet<string>;
  text: string;
  /** The grid's molecule, or null for the board's first molecule. */
  molecule: GridMolecule | null;
  setMolecule(m: GridMolecule): void;
  form: StockFormView | null;
  /** The establishment the national cell is correcting (its quick form), or null. */
  correcting: string | null;
  correct(finess: string): void;
  load(): Promise<void>;
  /** Opening the board: reads the view only if it is neither there nor on its way (a read in flight is awaited, not doubled). */
  ensureLoaded(): Promise<void>;
  onDataChanged(entities: ConsoleEvents['data.changed']['entities']): void;
  setTab(t: StocksTab): void;
  toggle(id: string): void;
  setText(text: string): void;
  loadForm(finess: string): Promise<void>;
  report(args: CallArgs<'stocks.report'>): Promise<string | null>;
  setThresholds(t: CoverThresholds): Promise<string | null>;
  reset(): void;
}

const initial = () => ({
  board: null as StocksBoardView | null,
  loaded: false,
  error: null as string | null,
  tab: null as StocksTab | null,
  collapsed: new Set<string>() as ReadonlySet<string>,
  text: '',
  molecule: null as GridMolecule | null,
  form: null as StockFormView | null,
  correcting: null as string | null,
});

export const useStocks = create<StocksState>()((set, get) => ({
  ...initial(),
  load: () => {
    const run = refresher.run();
    inFlight = run;
    void run.finally(() => {
      if (inFlight === run) inFlight = null;
    });
    return run;
  },
  ensureLoaded() {
    if (inFlight) return inFlight;
    const s = get();
    return s.loaded && !s.error ? Promise.resolve() : s.load();
  },
  onDataChanged(entities) {
    useRedeploy.getState().onDataChanged(entities);
    useRounds.getState().onDataChanged(entities);
    if (entities.includes('stockLine')) {
      void refresher.run();
      const form = get().form;
      if (form) void get().loadForm(form.finess);
    }
  },
  setTab: (tab) => set({ tab }),
  correct: (finess) => set({ correcting: finess, tab: 'form', form: null }),
  toggle(id) {
    const next = new Set(get().collapsed);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    set({ collapsed: next });
  },
  setText: (text) => set({ text }),
  setMolecule: (molecule) => set({ molecule }),
  async loadForm(finess) {
    const reply = await call('stocks.form', { finess });
    set(reply.ok ? { form: reply.data } : { error: reply.error.message });
  },
  async report(args) {
    const reply = await call('stocks.report', args);
    if (!reply.ok) return reply.error.message;
    void refresher.run();
    return null;
  },
  async setThresholds(t) {
    const reply = await call('stocks.setSettings', t);
    if (!reply.ok) return reply.error.message;
    void refresher.run();
    return null;
  },
  reset: () => {
    useRedeploy.getState().reset();
    useRounds.getState().reset();
    set(initial());
  },
}));

/** The last `load()` still running (the first load after sign-in, usually), or null. */
let inFlight: Promise<void> | null = null;

const refresher = createCoalescer(async () => {
  const reply = await call('stocks.board', {});
  if (reply.ok) useStocks.setState({ board: reply.data, loaded: true, error: null });
  else useStocks.setState({ loaded: true, error: reply.error.message });
});

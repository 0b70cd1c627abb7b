/**
 * The transfers board's state: the transfers in scope as main lists them (re-read on each
 * `data.changed` naming `transfer` or `hold`), the chosen view and filter, the selected
 * transfer and the candidates for its destination.
 */
import { create } from 'zustand';
import { call } from '../app/call';
import type { CandidateView, TransferView } from '../../../common/domain/transfers/api';
import type { CallArgs, ConsoleEvents } from '../../../common/api';
import { createCoalescer } from '../app/coalesce';

export type TransfersFilter = 'active' | 'all' | 'mine' | 'incoming';

interface TransfersState {
  transfers: TransferView[];
  loaded: boolean;
  error: string | null;
  view: 'board' | 'list';
  filter: TransfersFilter;
  selectedId: string | null;
  candidates: CandidateView[] | null;
  notice: string | null;
  now: number;
  load(): Promise<void>;
  onDataChanged(entities: ConsoleEvents['data.changed']['entities']): void;
  setView(v: 'board' | 'list'): void;
  setFilter(f: TransfersFilter): void;
  select(id: string | null): void;
  loadCandidates(id: string): Promise<void>;
  create(args: CallArgs<'transfers.create'>): Promise<string | null>;
  step(args: CallArgs<'transfers.step'>): Promise<string | null>;
  tick(): void;
  reset(): void;
}

const initial = () => ({
  transfers: [] as TransferView[],
  loaded: false,
  error: null as string | null,
  view: 'board' as 'board' | 'list',
  filter: 'active' as TransfersFilter,
  selectedId: null as string | null,
  candidates: null as CandidateView[] | null,
  notice: null as string | null,
  now: Date.now(),
});

export const useTransfers = create<TransfersState>()((set, get) => ({
  ...initial(),
  load: () => refresher.run(),
  onDataChanged(entities) {
    if (entities.includes('transfer') || entities.includes('hold')) void refresher.run();
  },
  setView: (view) => set({ view }),
  setFilter: (filter) => set({ filter }),
  select(id) {
    set({ selectedId: id, candidates: null });
  },
  async loadCandidates(id) {
    const reply = await call('transfers.candidates', { id });
    if (get().selectedId === id) set(reply.ok ? { candidates: reply.data } : { notice: reply.error.message });
  },
  async create(args) {
    const reply = await call('transfers.create', args);
    if (!reply.ok) return reply.error.message;
    void refresher.run();
    if (reply.data.id) set({ selectedId: reply.data.id });
    return null;
  },
  async step(args) {
    const reply = await call('transfers.step', args);
    if (!reply.ok) return reply.error.message;
    void refresher.run();
    return null;
  },
  tick: () => set({ now: Date.now() }),
  reset: () => set(initial()),
}));

const refresher = createCoalescer(async () => {
  const reply = await call('transfers.list', {});
  if (reply.ok) useTransfers.setState({ transfers: reply.data, loaded: true, error: null, now: Date.now() });
  else useTransfers.setState({ loaded: true, error: reply.error.message });
});

/** The transfers a filter keeps. */
export function filtered(list: readonly TransferView[], f: TransfersFilter): TransferView[] {
  switch (f) {
    case 'all':
      return [...list];
    case 'active':
      return list.filter((t) => t.state !== 'arrive' && t.state !== 'annule');
    case 'mine':
      return list.filter((t) => t.mine.includes('origin') || t.mine.includes('samu'));
    case 'incoming':
      return list.filter((t) => t.mine.includes('destination'));
  }
}

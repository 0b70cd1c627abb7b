/**
 * The transfers board's state: the transfers in scope as main lists them (re-read on each
 * `data.changed` naming `transfer` or `hold`), the chosen view and filter, the selected
 * transfer and the candidates for its destination.
 */
import { create } from 'zustand';
import { call } from '../app/call';
import { DEFAULT_TRANSFER_SETTINGS, type CandidateView, type TransferNotice, type TransferSettings, type TransferView } from '../../../common/domain/transfers/api';
import { UNANSWERED_AFTER_MINUTES } from '../../../common/domain/transfers/model';
import type { CallArgs, ConsoleEvents } from '../../../common/api';
import type { TransferStepName } from '../../../common/domain/transfers/rules';
import { createCoalescer } from '../app/coalesce';

export type TransfersFilter = 'active' | 'all' | 'mine' | 'incoming' | 'region';

export interface DraftFrom {
  dest?: { finess: string; unitId: string; label: string };
  summary?: string;
  comment?: string;
}

interface TransfersState {
  transfers: TransferView[];
  loaded: boolean;
  error: string | null;
  view: 'board' | 'list';
  filter: TransfersFilter;
  selectedId: string | null;
  /** A step started from a card's or a row's letter: the detail opens with its form. */
  openStep: TransferStepName | null;
  candidates: CandidateView[] | null;
  notice: string | null;
  /** This workstation's delays (hold hours, unanswered after), as main keeps them. */
  settings: TransferSettings;
  saveSettings(s: TransferSettings): Promise<string | null>;
  /** What reached this workstation's side (incoming, accepted, refused; unanswered and expired from main's clock), newest first, until dismissed. */
  notices: TransferNotice[];
  /** A request started elsewhere (a unit of the bed board, a « Demande » of the main courante): the form opens prefilled. */
  draftFrom: DraftFrom | null;
  startFrom(d: DraftFrom): void;
  now: number;
  pushNotice(n: TransferNotice): void;
  dismissNotice(id: string, kind: TransferNotice['kind']): void;
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
  openStep: null as TransferStepName | null,
  candidates: null as CandidateView[] | null,
  notice: null as string | null,
  notices: [] as TransferNotice[],
  settings: { ...DEFAULT_TRANSFER_SETTINGS } as TransferSettings,
  draftFrom: null as DraftFrom | null,
  now: Date.now(),
});

/** True when the transfer's bed is no longer held though the patient has not arrived. */
export function holdExpired(t: TransferView, now: number): boolean {
  return t.hold !== null && t.hold.state === 'active' && Date.parse(t.hold.expiresAt) <= now && (t.state === 'accepte' || t.state === 'transport' || t.state === 'en_route');
}

/** The minutes a proposal has waited for an answer past `afterMinutes` (this workstation's delay), or null when it is not late. */
export function unansweredMinutes(t: TransferView, now: number, afterMinutes: number = UNANSWERED_AFTER_MINUTES): number | null {
  if (t.state !== 'propose') return null;
  const since = t.steps[t.steps.length - 1]?.at ?? t.updatedAt;
  const min = Math.floor((now - Date.parse(since)) / 60_000);
  return min >= afterMinutes ? min : null;
}

export const useTransfers = create<TransfersState>()((set, get) => ({
  ...initial(),
  load: () => refresher.run(),
  onDataChanged(entities) {
    if (entities.includes('transfer') || entities.includes('transferSummary') || entities.includes('hold')) void refresher.run();
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
  // Flags and ages follow the clock; unanswered proposals and lapsed holds are told by main
  // (`main/transfers/notices.ts`, once per workstation, board open or not) as `transfer.notice`.
  tick: () => set({ now: Date.now() }),
  async saveSettings(settings) {
    const reply = await call('transfers.setSettings', settings);
    if (!reply.ok) return reply.error.message;
    set({ settings: reply.data, now: Date.now() });
    return null;
  },
  startFrom: (draftFrom) => set({ draftFrom, selectedId: null }),
  pushNotice: (n) => set((s) => ({ notices: [n, ...s.notices.filter((x) => !(x.id === n.id && x.kind === n.kind))].slice(0, 20) })),
  dismissNotice: (id, kind) => set((s) => ({ notices: s.notices.filter((x) => !(x.id === id && x.kind === kind)) })),
  reset: () => set(initial()),
}));

const refresher = createCoalescer(async () => {
  const [reply, settings] = await Promise.all([call('transfers.list', {}), call('transfers.settings', {})]);
  if (settings.ok) useTransfers.setState({ settings: settings.data });
  if (reply.ok) useTransfers.setState({ transfers: reply.data, loaded: true, error: null, now: Date.now() });
  else useTransfers.setState({ loaded: true, error: reply.error.message });
});

/** The transfers a filter keeps (`region`: the user's région code, for « ma région »). */
export function filtered(list: readonly TransferView[], f: TransfersFilter, region: string | null = null): TransferView[] {
  switch (f) {
    case 'region':
      return list.filter((t) => region !== null && t.regions.includes(region));
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

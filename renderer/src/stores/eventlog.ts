/**
 * The main courante as the user sees it: the crisis events, the selected event's messages
 * (filtered in main), the selected message and its acknowledgements, and the composer's
 * draft. Every read goes through `api.call`; `data.changed` pushes trigger re-queries.
 */
import { create } from 'zustand';
import type { AckSummary, ConsoleEvents, EventView, MessageView, RejectedMutation } from '../../../common/api';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import {
  blankDraft,
  draftForCorrection,
  draftForNewVersion,
  draftFromRejected,
  postArgs,
  type ComposerDraft,
} from '../eventlog/draft';
import { emptyFilter, toMessageFilter, type FilterState } from '../eventlog/filter';
import { excerpt } from '../eventlog/format';
import { useSession } from './session';
import { useSync } from './sync';

export interface OpenEventInput {
  title: string;
  description: string;
  territory: string;
}

interface EventLogState {
  events: EventView[];
  eventsLoaded: boolean;
  eventsError: string | null;
  selectedEventId: string | null;

  messages: MessageView[];
  /** The event and filter the `messages` were read for (a late answer for another pair is dropped). */
  messagesKey: string | null;
  messagesLoading: boolean;
  messagesError: string | null;
  filter: FilterState;

  selectedMessageId: string | null;
  acks: AckSummary | null;
  acksError: string | null;

  draft: ComposerDraft;
  sending: boolean;
  composerError: string | null;
  /** Focus requests for the composer body (a counter, so that repeated requests re-focus). */
  composerFocus: number;

  acking: boolean;
  actionError: string | null;
  /** Why closing the event failed. */
  eventError: string | null;

  loadEvents(): Promise<void>;
  selectEvent(id: string | null): void;
  refreshMessages(): Promise<void>;
  setFilter(patch: Partial<FilterState>): void;
  resetFilter(): void;
  selectMessage(id: string | null): void;
  /** Selects a message in a given event (from an announcement or a link). */
  reveal(eventId: string, messageId: string): void;
  refreshAcks(): Promise<void>;
  onDataChanged(entities: ConsoleEvents['data.changed']['entities']): void;

  updateDraft(patch: Partial<ComposerDraft>): void;
  startNewVersion(m: MessageView): void;
  startCorrection(m: MessageView): void;
  cancelDraftLink(): void;
  refillFromRejected(r: RejectedMutation): boolean;
  send(): Promise<boolean>;

  acknowledge(messageId: string): Promise<void>;
  openEvent(input: OpenEventInput): Promise<string | null>;
  closeEvent(id: string): Promise<void>;
  reset(): void;
}

function defaultTerritory(): string {
  return useSession.getState().session?.postable[0]?.key ?? '';
}

function keyOf(eventId: string | null, filter: FilterState): string | null {
  return eventId ? JSON.stringify([eventId, toMessageFilter(filter) ?? null]) : null;
}

function initialState() {
  return {
    events: [] as EventView[],
    eventsLoaded: false,
    eventsError: null as string | null,
    selectedEventId: null as string | null,
    messages: [] as MessageView[],
    messagesKey: null as string | null,
    messagesLoading: false,
    messagesError: null as string | null,
    filter: emptyFilter,
    selectedMessageId: null as string | null,
    acks: null as AckSummary | null,
    acksError: null as string | null,
    draft: blankDraft(defaultTerritory()),
    sending: false,
    composerError: null as string | null,
    composerFocus: 0,
    acking: false,
    actionError: null as string | null,
    eventError: null as string | null,
  };
}

export const useEventLog = create<EventLogState>()((set, get) => ({
  ...initialState(),

  loadEvents: () => eventsRefresher.run(),

  selectEvent(id) {
    if (get().selectedEventId === id) return;
    const d = get().draft;
    set({
      selectedEventId: id,
      messages: [],
      messagesKey: null,
      messagesError: null,
      selectedMessageId: null,
      acks: null,
      acksError: null,
      actionError: null,
      eventError: null,
      composerError: null,
      // Links to messages of the previous event make no sense here; the text typed stays, and so
      // does the refusal it fixes (a message refused in a closed event may be resent in another).
      draft: d.replaces || d.corrects ? { ...d, replaces: null, corrects: null } : d,
    });
    void messagesRefresher.run();
  },

  refreshMessages: () => messagesRefresher.run(),

  setFilter(patch) {
    set((s) => ({ filter: { ...s.filter, ...patch } }));
    void messagesRefresher.run();
  },

  resetFilter() {
    set({ filter: emptyFilter });
    void messagesRefresher.run();
  },

  selectMessage(id) {
    if (get().selectedMessageId === id) return;
    set({ selectedMessageId: id, acks: null, acksError: null, actionError: null });
    void acksRefresher.run();
  },

  reveal(eventId, messageId) {
    get().selectEvent(eventId);
    get().selectMessage(messageId);
  },

  refreshAcks: () => acksRefresher.run(),

  onDataChanged(entities) {
    // A new message changes its event's count in the list too.
    if (entities.includes('event') || entities.includes('message')) void eventsRefresher.run();
    if (entities.includes('message') || entities.includes('ack') || entities.includes('event')) void messagesRefresher.run();
    if (entities.includes('ack') || entities.includes('message')) void acksRefresher.run();
  },

  updateDraft(patch) {
    set((s) => ({ draft: { ...s.draft, ...patch }, composerError: null }));
  },

  startNewVersion(m) {
    set({ draft: draftForNewVersion(m), composerError: null, composerFocus: get().composerFocus + 1 });
  },

  startCorrection(m) {
    const keys = useSession.getState().session?.postable.map((t) => t.key) ?? [];
    set({ draft: draftForCorrection(m, keys), composerError: null, composerFocus: get().composerFocus + 1 });
  },

  cancelDraftLink() {
    set((s) => ({ draft: { ...s.draft, replaces: null, corrects: null } }));
  },

  refillFromRejected(r) {
    const refill = draftFromRejected(r);
    if (!refill) return false;
    get().selectEvent(refill.eventId);
    // Name the linked messages by their text when we hold them.
    const named = (ref: ComposerDraft['replaces']) => {
      if (!ref) return null;
      const m = get().messages.find((x) => x.id === ref.id);
      return m ? { id: ref.id, excerpt: excerpt(m.body, 50) } : ref;
    };
    const draft = { ...refill.draft, replaces: named(refill.draft.replaces), corrects: named(refill.draft.corrects) };
    set({ draft, composerError: null, composerFocus: get().composerFocus + 1 });
    return true;
  },

  async send() {
    const s = get();
    if (s.sending) return false;
    const eventId = s.selectedEventId;
    if (!eventId) return false;
    if (!s.draft.body.trim()) {
      set({ composerError: ui.composer.emptyBody });
      return false;
    }
    const draft = s.draft;
    set({ sending: true, composerError: null });
    const reply = await call('messages.post', postArgs(draft, eventId));
    if (!reply.ok) {
      set({ sending: false, composerError: reply.error.message });
      return false;
    }
    // Priority and kind go back to the mildest values: the next message is not urgent by accident.
    set({ sending: false, draft: blankDraft(draft.territory) });
    if (draft.fromRejected !== null) void useSync.getState().dismiss(draft.fromRejected);
    void messagesRefresher.run();
    return true;
  },

  async acknowledge(messageId) {
    if (get().acking) return;
    set({ acking: true, actionError: null });
    const reply = await call('messages.acknowledge', { messageId });
    set({ acking: false, actionError: reply.ok ? null : reply.error.message });
    void messagesRefresher.run();
    void acksRefresher.run();
  },

  async openEvent(input) {
    const reply = await call('events.open', {
      title: input.title,
      description: input.description || undefined,
      territory: input.territory,
    });
    if (!reply.ok) return reply.error.message;
    await eventsRefresher.run();
    if (reply.data.id) get().selectEvent(reply.data.id);
    return null;
  },

  async closeEvent(id) {
    const reply = await call('events.close', { id });
    set({ eventError: reply.ok ? null : reply.error.message });
    void eventsRefresher.run();
  },

  reset: () => set(initialState()),
}));

const eventsRefresher = createCoalescer(async () => {
  const reply = await call('events.list', {});
  if (!reply.ok) {
    useEventLog.setState({ eventsError: reply.error.message, eventsLoaded: true });
    return;
  }
  const events = reply.data;
  const s = useEventLog.getState();
  useEventLog.setState({ events, eventsLoaded: true, eventsError: null });
  // First load, or the selected event vanished from scope: select the most recent open event.
  if (!s.selectedEventId || !events.some((e) => e.id === s.selectedEventId)) {
    const first = pickDefaultEvent(events);
    if (first) s.selectEvent(first.id);
    else if (s.selectedEventId) s.selectEvent(null);
  }
});

/** The most recently opened open event, else the most recent one. */
export function pickDefaultEvent(events: readonly EventView[]): EventView | null {
  const byRecent = [...events].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  return byRecent.find((e) => e.status === 'open') ?? byRecent[0] ?? null;
}

const messagesRefresher = createCoalescer(async () => {
  const { selectedEventId, filter } = useEventLog.getState();
  const key = keyOf(selectedEventId, filter);
  if (!selectedEventId || !key) {
    useEventLog.setState({ messages: [], messagesKey: null, messagesLoading: false });
    return;
  }
  useEventLog.setState({ messagesLoading: true });
  const reply = await call('messages.list', { eventId: selectedEventId, filter: toMessageFilter(filter) });
  const now = useEventLog.getState();
  // The user moved on while we read: the run queued by that change brings the right rows.
  if (keyOf(now.selectedEventId, now.filter) !== key) return;
  if (!reply.ok) {
    useEventLog.setState({ messagesLoading: false, messagesError: reply.error.message });
    return;
  }
  useEventLog.setState({ messages: reply.data, messagesKey: key, messagesLoading: false, messagesError: null });
  // A message selected before its row arrived (an announcement, a link) gets its acknowledgements now.
  const after = useEventLog.getState();
  if (after.selectedMessageId && after.acks === null) void acksRefresher.run();
});

const acksRefresher = createCoalescer(async () => {
  const { selectedMessageId, messages } = useEventLog.getState();
  const m = selectedMessageId ? messages.find((x) => x.id === selectedMessageId) : undefined;
  if (!selectedMessageId || (m && m.kind !== 'consigne')) {
    useEventLog.setState({ acks: null, acksError: null });
    return;
  }
  if (!m) return; // not in the list yet: the messages refresh re-runs this.
  const reply = await call('messages.acks', { messageId: selectedMessageId });
  if (useEventLog.getState().selectedMessageId !== selectedMessageId) return;
  if (reply.ok) useEventLog.setState({ acks: reply.data, acksError: null });
  else useEventLog.setState({ acksError: reply.error.message });
});

/**
 * The main courante as the user sees it: the crisis events, the selected event's messages
 * (filtered in main), the selected message and its acknowledgements, and the composer's
 * draft. Every read goes through `api.call`; `data.changed` pushes trigger re-queries. Live
 * message changes are merged (`messages.changes` with main's change counter) and reach the
 * grid as transactions; a new event or filter is read whole.
 */
import { create } from 'zustand';
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
} from './draft';
import { awaitsMyAck, emptyFilter, toMessageFilter, type FilterState } from './filter';
import { excerpt } from './format';
import { useSession } from '../stores/session';
import { useSync } from '../stores/sync';
import { useRoom } from './roomStore';
import type { RejectedMutation } from '../../../common/app/api';
import type { AckSummary, EventView, MessageChanges, MessageView } from '../../../common/domain/eventlog/api';
import type { ConsoleEvents } from '../../../common/api';

/** What the last merge did to `messages`, for the grid's transaction (`full`: show them all). */
export interface MessagesDelta {
  /** The `messages` array this delta leads to (a grid holding another array reloads). */
  messages: MessageView[];
  /** The rows the merge started from (a grid holding other rows reloads). */
  from: readonly MessageView[];
  full: boolean;
  add: MessageView[];
  update: MessageView[];
  remove: MessageView[];
}

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
  /** Main's message change counter at the last read of `messagesKey` (0: read it whole). */
  messagesCursor: number;
  messagesDelta: MessagesDelta | null;
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
  /** The detail pane is folded to a strip (a preference of this workstation, kept across sessions). */
  detailFolded: boolean;
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
  /**
   * The keyboard's acknowledgement (Alt+A): acknowledges the selected message when it awaits
   * my post's acknowledgement, otherwise says why not in the detail pane.
   */
  acknowledgeSelected(): Promise<void>;
  /** Puts the keyboard in the composer's text (Alt+M). */
  focusComposer(): void;
  setDetailFolded(folded: boolean): void;
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
    messagesCursor: 0,
    messagesDelta: null as MessagesDelta | null,
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
    detailFolded: readFolded(),
  };
}

/** Where the detail pane's folding is kept: a layout preference of this workstation, not of the user. */
export const DETAIL_FOLDED_KEY = 'vigie.eventlog.detailFolded';

function readFolded(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(DETAIL_FOLDED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeFolded(folded: boolean): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(DETAIL_FOLDED_KEY, folded ? '1' : '0');
  } catch {
    // storage refused (private mode): the fold holds for this page only
  }
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
      messagesCursor: 0,
      messagesDelta: null,
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
    // Asked to show a message: its detail must be on screen.
    if (get().detailFolded) get().setDetailFolded(false);
  },

  refreshAcks: () => acksRefresher.run(),

  onDataChanged(entities) {
    // A new message changes its event's count in the list too.
    if (entities.includes('event') || entities.includes('message')) void eventsRefresher.run();
    if (entities.includes('message') || entities.includes('ack') || entities.includes('event')) void messagesRefresher.run();
    if (entities.includes('ack') || entities.includes('message')) void acksRefresher.run();
    if (entities.includes('roomPost') || entities.includes('roomShift')) void useRoom.getState().refresh();
  },

  updateDraft(patch) {
    set((s) => {
      // Another territory has its own lists: back to its default unless a list comes with the change.
      const relisted = patch.territory !== undefined && patch.territory !== s.draft.territory && patch.ackList === undefined;
      return { draft: { ...s.draft, ...patch, ...(relisted ? { ackList: null } : {}) }, composerError: null };
    });
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

  async acknowledgeSelected() {
    const s = get();
    const m = s.selectedMessageId ? s.messages.find((x) => x.id === s.selectedMessageId) : undefined;
    // The answer (or the reason) is read in the detail pane: it must be on screen.
    if (s.detailFolded) get().setDetailFolded(false);
    if (!m) {
      set({ actionError: ui.detail.ackNoSelection });
      return;
    }
    if (!awaitsMyAck(m)) {
      set({ actionError: m.ackedByMe ? ui.detail.ackAlreadyGiven : ui.detail.ackNotExpected });
      return;
    }
    await get().acknowledge(m.id);
  },

  focusComposer() {
    set((s) => ({ composerFocus: s.composerFocus + 1 }));
  },

  setDetailFolded(folded) {
    writeFolded(folded);
    set({ detailFolded: folded });
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

  reset: () => {
    useRoom.getState().reset();
    set(initialState());
  },
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

/** Newest first, as main lists them: time, then version, then id. */
function newestFirst(a: MessageView, b: MessageView): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  if (a.version !== b.version) return b.version - a.version;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Merges an answer of `messages.changes` into the rows (a full answer replaces them):
 * changed rows are replaced in place, new ones inserted in order, removed ones dropped;
 * unchanged rows keep their identity. The delta says what the grid must do.
 */
export function mergeMessages(rows: readonly MessageView[], answer: Pick<MessageChanges, 'full' | 'messages' | 'removed'>): MessagesDelta {
  if (answer.full) return { messages: answer.messages, from: rows, full: true, add: answer.messages, update: [], remove: [] };
  const changed = new Map(answer.messages.map((m) => [m.id, m]));
  const dropped = new Set(answer.removed);
  const update: MessageView[] = [];
  const remove: MessageView[] = [];
  const next: MessageView[] = [];
  for (const row of rows) {
    const m = changed.get(row.id);
    if (m) {
      changed.delete(row.id);
      update.push(m);
      next.push(m);
    } else if (dropped.has(row.id)) {
      remove.push(row);
    } else {
      next.push(row);
    }
  }
  const add = [...changed.values()];
  if (add.length > 0 || update.length > 0) {
    next.push(...add);
    next.sort(newestFirst);
  }
  return { messages: next, from: rows, full: false, add, update, remove };
}

const messagesRefresher = createCoalescer(async () => {
  const before = useEventLog.getState();
  const { selectedEventId, filter } = before;
  const key = keyOf(selectedEventId, filter);
  if (!selectedEventId || !key) {
    useEventLog.setState({ messages: [], messagesKey: null, messagesCursor: 0, messagesDelta: null, messagesLoading: false });
    return;
  }
  // The rows held are for this event and filter: ask only what changed since.
  const since = before.messagesKey === key ? before.messagesCursor : 0;
  useEventLog.setState({ messagesLoading: true });
  const reply = await call('messages.changes', { eventId: selectedEventId, filter: toMessageFilter(filter), since });
  const now = useEventLog.getState();
  // The user moved on while we read: the run queued by that change brings the right rows.
  if (keyOf(now.selectedEventId, now.filter) !== key) return;
  if (!reply.ok) {
    useEventLog.setState({ messagesLoading: false, messagesError: reply.error.message });
    return;
  }
  // The rows this answer completes were dropped meanwhile (event left and chosen again): read them whole.
  if (!reply.data.full && (now.messagesKey !== key || now.messagesCursor !== since)) {
    useEventLog.setState({ messagesLoading: false });
    void messagesRefresher.run();
    return;
  }
  const nothingNew = !reply.data.full && reply.data.messages.length === 0 && reply.data.removed.length === 0;
  if (nothingNew) {
    useEventLog.setState({ messagesCursor: reply.data.cursor, messagesLoading: false, messagesError: null });
    return;
  }
  const delta = mergeMessages(now.messages, reply.data);
  useEventLog.setState({
    messages: delta.messages,
    messagesDelta: delta,
    messagesKey: key,
    messagesCursor: reply.data.cursor,
    messagesLoading: false,
    messagesError: null,
  });
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

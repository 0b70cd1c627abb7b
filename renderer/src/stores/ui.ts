/**
 * Interface state shared across features: the board on screen, the help panel, and the
 * urgent messages not yet opened.
 *
 * An urgent message stays "not yet opened" (marked in the log, announced in the banner)
 * until the user opens it (selects it); closing the banner only stops announcing it. Both
 * lists are kept per user and server in the browser's storage, so a reload or a restart does
 * not lose an urgent message nobody read.
 */
import { create } from 'zustand';
import type { BoardId } from '../app/shortcuts';
import type { ConsoleEvents } from '../../../common/api';

export type UrgentNotice = ConsoleEvents['message.urgent'];

/** How many unopened urgent messages are remembered; older ones remain in the log itself. */
export const MAX_URGENT_NOTICES = 50;

/** The storage key of a user's unopened urgent messages on one server. */
export function urgentStorageKey(serverUrl: string, userId: string): string {
  return `vigie.urgent.${serverUrl}.${userId}`;
}

interface StoredUrgent {
  unread: UrgentNotice[];
  closed: string[];
}

interface UiState {
  board: BoardId;
  helpOpen: boolean;
  /** Urgent messages not yet opened, newest first. */
  urgent: UrgentNotice[];
  /** Of those, the ones whose announcement the user closed (they stay marked in the log). */
  urgentClosed: string[];
  /** Where `urgent` is kept (null: not signed in, kept in memory only). */
  urgentKey: string | null;
  setBoard(board: BoardId): void;
  toggleHelp(): void;
  closeHelp(): void;
  /** Reads the signed-in user's unopened urgent messages (at sign-in, after a reload). */
  restoreUrgent(key: string): void;
  pushUrgent(notice: UrgentNotice): void;
  /** The message was opened: no longer marked nor announced. */
  openedUrgent(id: string): void;
  /** Stops announcing one message (it stays marked until opened). */
  dismissUrgent(id: string): void;
  dismissAllUrgent(): void;
  /** Closes the newest overlay (help, then the announcement shown). Returns true if one closed. */
  closeTopmost(): boolean;
  reset(): void;
}

const initial = { board: 'eventlog' as BoardId, helpOpen: false, urgent: [] as UrgentNotice[], urgentClosed: [] as string[], urgentKey: null as string | null };

/** The announcements still to show, newest first. */
export function announced(s: Pick<UiState, 'urgent' | 'urgentClosed'>): UrgentNotice[] {
  return s.urgent.filter((n) => !s.urgentClosed.includes(n.id));
}

function isNotice(x: unknown): x is UrgentNotice {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return ['id', 'eventId', 'body', 'authorName', 'authorPost', 'territoryLabel'].every((k) => typeof r[k] === 'string');
}

function readStored(key: string): StoredUrgent {
  try {
    const raw = typeof localStorage !== 'undefined' ? localStorage.getItem(key) : null;
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (typeof parsed !== 'object' || parsed === null) return { unread: [], closed: [] };
    const p = parsed as Record<string, unknown>;
    const unread = Array.isArray(p.unread) ? p.unread.filter(isNotice).slice(0, MAX_URGENT_NOTICES) : [];
    const closed = Array.isArray(p.closed) ? p.closed.filter((id): id is string => typeof id === 'string') : [];
    return { unread, closed: closed.filter((id) => unread.some((n) => n.id === id)) };
  } catch {
    return { unread: [], closed: [] };
  }
}

function writeStored(s: Pick<UiState, 'urgent' | 'urgentClosed' | 'urgentKey'>): void {
  if (!s.urgentKey) return;
  try {
    const stored: StoredUrgent = { unread: s.urgent, closed: s.urgentClosed };
    localStorage.setItem(s.urgentKey, JSON.stringify(stored));
  } catch {
    // storage refused or full: the marks hold for this page only
  }
}

export const useUi = create<UiState>()((set, get) => {
  /** Applies a change to the urgent lists and keeps them. */
  const setUrgent = (urgent: UrgentNotice[], urgentClosed: string[]) => {
    const closed = urgentClosed.filter((id) => urgent.some((n) => n.id === id));
    set({ urgent, urgentClosed: closed });
    writeStored({ urgent, urgentClosed: closed, urgentKey: get().urgentKey });
  };
  return {
    ...initial,
    setBoard: (board) => set({ board }),
    toggleHelp: () => set((s) => ({ helpOpen: !s.helpOpen })),
    closeHelp: () => set({ helpOpen: false }),
    restoreUrgent(key) {
      const stored = readStored(key);
      // Announcements that came before the key was known (the first poke of a session) are kept.
      const s = get();
      const urgent = [...s.urgent, ...stored.unread.filter((n) => !s.urgent.some((x) => x.id === n.id))].slice(0, MAX_URGENT_NOTICES);
      set({ urgentKey: key });
      setUrgent(urgent, [...s.urgentClosed, ...stored.closed]);
    },
    pushUrgent(notice) {
      const s = get();
      if (s.urgent.some((n) => n.id === notice.id)) return;
      setUrgent([notice, ...s.urgent].slice(0, MAX_URGENT_NOTICES), s.urgentClosed);
    },
    openedUrgent(id) {
      const s = get();
      if (!s.urgent.some((n) => n.id === id)) return;
      setUrgent(
        s.urgent.filter((n) => n.id !== id),
        s.urgentClosed,
      );
    },
    dismissUrgent(id) {
      const s = get();
      if (s.urgentClosed.includes(id)) return;
      setUrgent(s.urgent, [...s.urgentClosed, id]);
    },
    dismissAllUrgent() {
      const s = get();
      setUrgent(
        s.urgent,
        s.urgent.map((n) => n.id),
      );
    },
    closeTopmost: () => {
      const s = get();
      if (s.helpOpen) {
        set({ helpOpen: false });
        return true;
      }
      const shown = announced(s)[0];
      if (shown) {
        get().dismissUrgent(shown.id);
        return true;
      }
      return false;
    },
    // Signing out forgets what is on screen; the stored marks wait for the same user's return.
    reset: () => set(initial),
  };
});

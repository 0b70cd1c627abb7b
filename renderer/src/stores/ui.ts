/**
 * Interface state shared across features: the board on screen, the help panel, and the
 * urgent announcements waiting to be read.
 */
import { create } from 'zustand';
import type { BoardId } from '../app/shortcuts';
import type { ConsoleEvents } from '../../../common/api';

export type UrgentNotice = ConsoleEvents['message.urgent'];

/** How many urgent announcements stay stacked; older ones remain in the log itself. */
export const MAX_URGENT_NOTICES = 4;

interface UiState {
  board: BoardId;
  helpOpen: boolean;
  urgent: UrgentNotice[];
  setBoard(board: BoardId): void;
  toggleHelp(): void;
  closeHelp(): void;
  pushUrgent(notice: UrgentNotice): void;
  dismissUrgent(id: string): void;
  /** Closes the newest overlay (help, then the newest announcement). Returns true if one closed. */
  closeTopmost(): boolean;
  reset(): void;
}

const initial = { board: 'eventlog' as BoardId, helpOpen: false, urgent: [] as UrgentNotice[] };

export const useUi = create<UiState>()((set, get) => ({
  ...initial,
  setBoard: (board) => set({ board }),
  toggleHelp: () => set((s) => ({ helpOpen: !s.helpOpen })),
  closeHelp: () => set({ helpOpen: false }),
  pushUrgent: (notice) =>
    set((s) => {
      if (s.urgent.some((n) => n.id === notice.id)) return s;
      return { urgent: [notice, ...s.urgent].slice(0, MAX_URGENT_NOTICES) };
    }),
  dismissUrgent: (id) => set((s) => ({ urgent: s.urgent.filter((n) => n.id !== id) })),
  closeTopmost: () => {
    const s = get();
    if (s.helpOpen) {
      set({ helpOpen: false });
      return true;
    }
    if (s.urgent.length) {
      set({ urgent: s.urgent.slice(1) });
      return true;
    }
    return false;
  },
  reset: () => set(initial),
}));

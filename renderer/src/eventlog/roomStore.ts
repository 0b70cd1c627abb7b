/**
 * The reinforcement rooms of the selected event as the panel shows them, and which view of
 * the event is open (the main courante or the room). Reads go through `rooms.view`; writes
 * queue mutations like every other write (shown at once, sent when the server is reachable).
 * Refreshed when `data.changed` names a room entity (the event log store forwards it).
 */
import { create } from 'zustand';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import type { CallReply, MutationReceipt } from '../../../common/engine/calls';
import type { RoomView } from '../../../common/domain/eventlog/api';
import type { RoomPostKind } from '../../../common/domain/eventlog/room';

export type EventView = 'log' | 'room';

export interface ShiftInput {
  postId: string;
  person: string;
  qualification: string;
  /** Instants (ISO with offset). */
  startsAt: string;
  endsAt: string;
}

interface RoomState {
  view: EventView;
  eventId: string | null;
  rooms: RoomView[] | null;
  error: string | null;
  /** Why the last write was refused (French), shown by the form that made it. */
  actionError: string | null;
  setView(view: EventView): void;
  /** Shows the rooms of `eventId` (read now when the room view is open). */
  show(eventId: string | null): void;
  refresh(): Promise<void>;
  openPost(label: string, kind: RoomPostKind): Promise<boolean>;
  closePost(id: string): Promise<boolean>;
  assign(input: ShiftInput): Promise<boolean>;
  cancelShift(id: string): Promise<boolean>;
  reset(): void;
}

const initial = { view: 'log' as EventView, eventId: null as string | null, rooms: null as RoomView[] | null, error: null as string | null, actionError: null as string | null };

export const useRoom = create<RoomState>()((set, get) => {
  /** Runs a write; a refusal is kept for the form, success re-reads the room. */
  const write = async (run: () => Promise<CallReply<MutationReceipt>>): Promise<boolean> => {
    const reply = await run();
    set({ actionError: reply.ok ? null : reply.error.message });
    void refresher.run();
    return reply.ok;
  };
  return {
    ...initial,
    setView(view) {
      set({ view });
      if (view === 'room') void refresher.run();
    },
    show(eventId) {
      if (get().eventId === eventId) return;
      set({ eventId, rooms: null, error: null, actionError: null });
      if (get().view === 'room') void refresher.run();
    },
    refresh: () => refresher.run(),
    openPost(label, kind) {
      const eventId = get().eventId;
      if (!eventId) return Promise.resolve(false);
      return write(() => call('rooms.openPost', { eventId, label, kind }));
    },
    closePost: (id) => write(() => call('rooms.closePost', { id })),
    assign: (input) => write(() => call('rooms.assign', input)),
    cancelShift: (id) => write(() => call('rooms.cancelShift', { id })),
    reset: () => set(initial),
  };
});

const refresher = createCoalescer(async () => {
  const { eventId, view } = useRoom.getState();
  if (!eventId || view !== 'room') return;
  const reply = await call('rooms.view', { eventId });
  if (useRoom.getState().eventId !== eventId) return;
  if (reply.ok) useRoom.setState({ rooms: reply.data, error: null });
  else useRoom.setState({ error: reply.error.message });
});

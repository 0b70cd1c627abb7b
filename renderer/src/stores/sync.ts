/**
 * The sync status as main pushes it, and the mutations the server refused (kept until the
 * user dismisses or fixes them: a refusal is never silent).
 */
import { create } from 'zustand';
import { ui } from '../../../common/i18n/ui.fr';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import type { RejectedMutation, SyncStatus } from '../../../common/app/api';

interface SyncStore {
  status: SyncStatus | null;
  /** When this page first saw the connection lost (ISO), null while connected. */
  offlineSince: string | null;
  rejected: RejectedMutation[];
  error: string | null;
  refreshStatus(): Promise<void>;
  refreshRejected(): Promise<void>;
  setStatus(status: SyncStatus): void;
  /** A refusal pushed by main: shown at once, then the full list is re-read. */
  addRejected(r: RejectedMutation): void;
  dismiss(mutationId: number): Promise<boolean>;
  reset(): void;
}

export const useSync = create<SyncStore>()((set) => ({
  status: null,
  offlineSince: null,
  rejected: [],
  error: null,

  async refreshStatus() {
    const reply = await call('sync.status', {});
    if (reply.ok) useSync.getState().setStatus(reply.data);
  },

  refreshRejected: () => rejectedRefresher.run(),

  setStatus: (status) => set((s) => ({ status, offlineSince: offlineSinceAfter(s.offlineSince, status, new Date()) })),

  addRejected(r) {
    set((s) => (s.rejected.some((x) => x.mutationId === r.mutationId) ? s : { rejected: [...s.rejected, r] }));
    void rejectedRefresher.run();
  },

  async dismiss(mutationId) {
    const reply = await call('sync.dismiss', { mutationId });
    if (!reply.ok) {
      set({ error: reply.error.message });
      return false;
    }
    set((s) => ({ rejected: s.rejected.filter((r) => r.mutationId !== mutationId), error: null }));
    void rejectedRefresher.run();
    return true;
  },

  reset: () => set({ status: null, offlineSince: null, rejected: [], error: null }),
}));

const rejectedRefresher = createCoalescer(async () => {
  const reply = await call('sync.rejected', {});
  if (reply.ok) useSync.setState({ rejected: reply.data, error: null });
  else useSync.setState({ error: reply.error.message });
});

/**
 * Since when the workstation is offline: kept while it stays so; when a page first sees it
 * offline (opened or reloaded during an outage), the last successful sync is the best bound.
 */
export function offlineSinceAfter(previous: string | null, status: SyncStatus, now: Date): string | null {
  if (status.state !== 'offline') return null;
  return previous ?? status.lastSyncAt ?? now.toISOString();
}

/** « 12 min », « 1 h 05 »: how long since `sinceIso`. */
export function offlineDuration(sinceIso: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(sinceIso)) / 60_000));
  return minutes < 60 ? ui.sync.minutes(minutes) : ui.sync.hours(Math.floor(minutes / 60), minutes % 60);
}

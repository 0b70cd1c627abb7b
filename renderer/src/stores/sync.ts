/**
 * The sync status as main pushes it, and the mutations the server refused (kept until the
 * user dismisses or fixes them: a refusal is never silent).
 */
import { create } from 'zustand';
import { call } from '../app/call';
import { createCoalescer } from '../app/coalesce';
import type { RejectedMutation, SyncStatus } from '../../../common/app/api';

interface SyncStore {
  status: SyncStatus | null;
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
  rejected: [],
  error: null,

  async refreshStatus() {
    const reply = await call('sync.status', {});
    if (reply.ok) set({ status: reply.data });
  },

  refreshRejected: () => rejectedRefresher.run(),

  setStatus: (status) => set({ status }),

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

  reset: () => set({ status: null, rejected: [], error: null }),
}));

const rejectedRefresher = createCoalescer(async () => {
  const reply = await call('sync.rejected', {});
  if (reply.ok) useSync.setState({ rejected: reply.data, error: null });
  else useSync.setState({ error: reply.error.message });
});

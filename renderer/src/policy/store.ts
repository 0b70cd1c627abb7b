/**
 * The administrator policy as the renderer shows it: loaded once at start (before the
 * login: the banner shows there too). The policy never changes while Vigie runs.
 */
import { create } from 'zustand';
import { api } from '../api';
import { UNMANAGED_VIEW, type LockedSettings, type PolicyView } from '../../../common/app/policy';

interface PolicyStore {
  view: PolicyView;
  load(): Promise<void>;
}

export const usePolicy = create<PolicyStore>()((set) => ({
  view: UNMANAGED_VIEW,
  async load() {
    const reply = await api.call('app.policy', {});
    if (reply.ok) set({ view: reply.data });
  },
}));

/** Whether `section.field` of the user settings is locked by the policy (e.g. `beds`, `staleAfterHours`). */
export function isLocked(view: PolicyView, section: keyof Omit<LockedSettings, 'language'>, field: string): boolean {
  const values = view.locked[section] as Record<string, unknown> | undefined;
  return values?.[field] !== undefined;
}

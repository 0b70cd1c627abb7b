/**
 * The signed-in user, the login form's state, and the referential of territories (loaded
 * once signed in: it names regions in role labels and places départements in regions).
 */
import { create } from 'zustand';
import { api } from '../api';
import type { Referential, SessionState } from '../../../common/app/api';

export type SessionPhase = 'loading' | 'anonymous' | 'signedIn';

interface SessionStore {
  phase: SessionPhase;
  session: SessionState | null;
  /** The sync server's address, shown on the login screen when main knows it. */
  serverUrl: string | null;
  referential: Referential | null;
  error: string | null;
  busy: boolean;
  init(): Promise<void>;
  login(username: string, password: string): Promise<boolean>;
  logout(): Promise<void>;
  /** Called when main reports that the session is gone (e.g. expired). */
  signedOut(message: string | null): void;
}

export const useSession = create<SessionStore>()((set, get) => ({
  phase: 'loading',
  session: null,
  serverUrl: null,
  referential: null,
  error: null,
  busy: false,

  async init() {
    const [current, status] = await Promise.all([api.call('session.current', {}), api.call('sync.status', {})]);
    if (status.ok) set({ serverUrl: status.data.serverUrl });
    if (!current.ok) {
      set({ phase: 'anonymous', error: current.error.message });
      return;
    }
    if (current.data) {
      set({ phase: 'signedIn', session: current.data, serverUrl: current.data.serverUrl, error: null });
      await loadReferential(set);
    } else {
      set({ phase: 'anonymous' });
    }
  },

  async login(username, password) {
    if (get().busy) return false;
    set({ busy: true, error: null });
    const reply = await api.call('session.login', { username, password });
    if (!reply.ok) {
      set({ busy: false, error: reply.error.message });
      return false;
    }
    set({ busy: false, phase: 'signedIn', session: reply.data, serverUrl: reply.data.serverUrl, error: null });
    await loadReferential(set);
    return true;
  },

  async logout() {
    const reply = await api.call('session.logout', {});
    if (!reply.ok) {
      set({ error: reply.error.message });
      return;
    }
    set({ phase: 'anonymous', session: null, error: null });
  },

  signedOut(message) {
    set({ phase: 'anonymous', session: null, error: message });
  },
}));

async function loadReferential(set: (p: Partial<SessionStore>) => void): Promise<void> {
  const reply = await api.call('referential.get', {});
  // Without the referential the UI still works: labels fall back to codes and the server checks territories.
  if (reply.ok) set({ referential: reply.data });
}

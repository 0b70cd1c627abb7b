/**
 * The signed-in user, the login form's state, and the referential of territories (loaded
 * once signed in: it names regions in role labels and places départements in regions).
 */
import { create } from 'zustand';
import { api } from '../api';
import type { Referential, SecondFactorStep, SessionState, SignedIn } from '../../../common/app/api';

export type SessionPhase = 'loading' | 'anonymous' | 'signedIn';

interface SessionStore {
  phase: SessionPhase;
  session: SessionState | null;
  /** The sync server's address, shown on the login screen when main knows it. */
  serverUrl: string | null;
  referential: Referential | null;
  error: string | null;
  busy: boolean;
  /** The password was right: the login screen asks this second factor (or shows the QR code to enrol). */
  secondFactor: SecondFactorStep | null;
  /** Just enrolled: the recovery codes, shown once on the login screen before the console opens. */
  recoveryCodes: string[] | null;
  /** The account's role needs a second factor that this demonstration server waives (shown in the header). */
  secondFactorWaived: boolean;
  init(): Promise<void>;
  login(username: string, password: string): Promise<boolean>;
  /** Sends the app's code or a recovery code. */
  verifyCode(code: string): Promise<boolean>;
  /** Back to the password (a second factor abandoned). */
  cancelSecondFactor(): void;
  /** The recovery codes were noted: open the console. */
  recoveryCodesNoted(): Promise<void>;
  logout(): Promise<void>;
  /** « Se déconnecter partout ». */
  logoutEverywhere(): Promise<void>;
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
  secondFactor: null,
  recoveryCodes: null,
  secondFactorWaived: false,

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
    set({ busy: true, error: null, secondFactor: null });
    const reply = await api.call('session.login', { username, password });
    if (!reply.ok) {
      set({ busy: false, error: reply.error.message });
      return false;
    }
    if ('secondFactor' in reply.data) {
      set({ busy: false, secondFactor: reply.data });
      return true;
    }
    await signedIn(set, reply.data);
    return true;
  },

  async verifyCode(code) {
    if (get().busy) return false;
    set({ busy: true, error: null });
    const reply = await api.call('session.secondFactor', { code });
    if (!reply.ok) {
      set({ busy: false, error: reply.error.message });
      return false;
    }
    if (reply.data.recoveryCodes?.length) {
      // The session is open in main; the console waits until the codes are noted.
      set({ busy: false, secondFactor: null, recoveryCodes: reply.data.recoveryCodes, session: reply.data, serverUrl: reply.data.serverUrl });
      return true;
    }
    await signedIn(set, reply.data);
    return true;
  },

  cancelSecondFactor() {
    set({ secondFactor: null, error: null });
  },

  async recoveryCodesNoted() {
    const session = get().session;
    set({ recoveryCodes: null });
    if (session) await signedIn(set, session);
  },

  async logoutEverywhere() {
    const reply = await api.call('session.logoutEverywhere', {});
    if (!reply.ok) {
      set({ error: reply.error.message });
      return;
    }
    set({ phase: 'anonymous', session: null, error: null, secondFactorWaived: false });
  },

  async logout() {
    const reply = await api.call('session.logout', {});
    if (!reply.ok) {
      set({ error: reply.error.message });
      return;
    }
    set({ phase: 'anonymous', session: null, error: null, secondFactorWaived: false });
  },

  signedOut(message) {
    set({ phase: 'anonymous', session: null, error: message, secondFactor: null, recoveryCodes: null, secondFactorWaived: false });
  },
}));

async function signedIn(set: (p: Partial<SessionStore>) => void, state: SignedIn | SessionState): Promise<void> {
  const waived = 'secondFactorWaived' in state && state.secondFactorWaived === 'demo';
  set({ busy: false, phase: 'signedIn', session: state, serverUrl: state.serverUrl, error: null, secondFactor: null, secondFactorWaived: waived });
  await loadReferential(set);
}

async function loadReferential(set: (p: Partial<SessionStore>) => void): Promise<void> {
  const reply = await api.call('referential.get', {});
  // Without the referential the UI still works: labels fall back to codes and the server checks territories.
  if (reply.ok) set({ referential: reply.data });
}

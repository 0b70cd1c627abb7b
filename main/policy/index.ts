/**
 * The administrator policy as the main process's consumers read it: one typed object,
 * built once at start-up (`loadPolicy`), never re-read while running (a changed file takes
 * effect at the next start, as IT departments expect of machine-wide settings).
 *
 * Accessors exist for each consumer so none of them parses the policy itself: the server
 * address and its certificate pin (TLS), whether the keyring-less secret store is allowed
 * (the encrypted cache's `allowBasicText`), the update channel (electron-updater), the
 * proxy (Electron's session, the main process's connections to the server), desktop
 * notifications, the banner and the locked settings (the renderer, through `app.policy`).
 */
import { policyView, type LockedSettings, type Policy, type PolicyView, type UpdateChannel } from '../../common/app/policy';
import { fr } from '../../common/i18n/fr';
import { lockedRefusal } from './locked';
import { loadPolicy, type LoadPolicyOptions } from './load';

export { loadPolicy, parsePolicy, policyLocation, PolicyError, POLICY_ENV } from './load';
export { enforceLockedSettings, lockedRefusal } from './locked';

/**
 * How the workstation reaches the network: Electron's session (`session.setProxy`, in
 * main/index.ts) and the main process's own connections to the sync server and the first-run
 * test (`proxyResolver` in main/sync/proxy.ts, which reads this same decision).
 */
export type ProxyDecision = { mode: 'system' } | { mode: 'direct' } | { mode: 'fixed'; url: string; bypass: string[] };

export interface WorkstationPolicy {
  /** The validated policy, or null on an unmanaged workstation. */
  readonly policy: Policy | null;
  /** The file read (or looked for): shown in the diagnostic. */
  readonly file: string;
  readonly managed: boolean;
  /** The server address: the policy's when it sets one, otherwise `fallback` (command line, environment, the first-run choice). */
  serverUrl(fallback: string | null): string | null;
  /** True when the policy fixes the server (the first-run screen then asks for none, and `app.setServer` is refused). */
  serverLocked(): boolean;
  /** SHA-256 of the server certificate to pin (`AB:CD:…`), or null. */
  serverFingerprint(): string | null;
  /** Whether the session secret may be kept without an OS keyring. Unmanaged: allowed (as before); managed: only if the policy says so. */
  allowBasicText(): boolean;
  /** electron-updater's channel; `latest` unless the policy says otherwise. */
  updateChannel(): UpdateChannel;
  /** The organisation's update folder; null: updates off. */
  updateUrl(): string | null;
  proxy(): ProxyDecision;
  /** Whether desktop notifications are shown, given the user's own choice. */
  notificationsEnabled(userWants: boolean): boolean;
  locked(): LockedSettings;
  /** The French refusal of a settings call that would change a locked value (null: let it run). */
  refusal(call: string, args: unknown): string | null;
  /** What the renderer receives (`app.policy`). */
  view(): PolicyView;
  /** One line for the diagnostic file: the organisation and the file, or « aucune politique ». */
  summary(): Record<string, unknown> | string;
}

export function workstationPolicy(policy: Policy | null, file: string): WorkstationPolicy {
  return {
    policy,
    file,
    managed: policy !== null,
    serverUrl: (fallback) => policy?.server?.url ?? fallback,
    serverLocked: () => policy?.server !== undefined,
    serverFingerprint: () => policy?.server?.fingerprint ?? null,
    // Refused unless a policy allows it, managed or not (issue 10: a keyring-less store leaves the key readable).
    allowBasicText: () => policy?.secrets?.allowBasicText ?? false,
    updateChannel: () => policy?.updates?.channel ?? 'latest',
    updateUrl: () => policy?.updates?.url ?? null,
    proxy: () => {
      const p = policy?.proxy;
      if (!p || p.mode === 'system') return { mode: 'system' };
      if (p.mode === 'direct') return { mode: 'direct' };
      return { mode: 'fixed', url: p.url, bypass: p.bypass ?? [] };
    },
    notificationsEnabled: (userWants) => {
      const mode = policy?.notifications?.desktop ?? 'user';
      return mode === 'user' ? userWants : mode === 'on';
    },
    locked: () => policy?.locked ?? {},
    refusal: (call, args) => (policy?.locked ? lockedRefusal(call, args, policy.locked, policy.organisation) : null),
    view: () => policyView(policy),
    summary: () => (policy ? { organisation: policy.organisation, file, policy } : fr.policy.none),
  };
}

/** No policy at all (tests, the web host without one). */
export const UNMANAGED: WorkstationPolicy = workstationPolicy(null, '');

/** Loads the policy in force (throws `PolicyError` with a French message when the file is there but unusable). */
export function readWorkstationPolicy(opts: LoadPolicyOptions = {}): WorkstationPolicy {
  const { policy, file } = loadPolicy(opts);
  return workstationPolicy(policy, file);
}

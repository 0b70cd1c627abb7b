/**
 * The console shell's part of ConsoleApi, belonging to no board: the session, the
 * referential, the sync status and the refused operations. `common/api.ts` composes it with
 * the boards' parts.
 */
import { z } from 'zod';
import { adminCalls } from '../admin/api';
import { call, returns, NoArgs } from '../engine/calls';
import type { SessionUser } from '../engine/wire';
import type { PolicyView } from './policy';
import type { ProbeResult, SetupState } from './setup';

export interface TerritoryOption {
  key: string;
  label: string;
}

export interface SessionState {
  user: SessionUser;
  serverUrl: string;
  /** Territory keys the user may address a message to, broadest first. */
  postable: TerritoryOption[];
}

/** `session.login` when the password was right and a second factor must follow (`session.secondFactor`). */
export type SecondFactorStep =
  | { secondFactor: 'totp' }
  /** First login of an account that must enrol: the QR code (a `data:image/png` URL) and its secret, for typing by hand. */
  | { secondFactor: 'enrol'; qrDataUrl: string; secret: string };

/** A session that opened: its state, and what the login screen shows once. */
export interface SignedIn extends SessionState {
  /** After an enrolment: the ten recovery codes, shown this once. */
  recoveryCodes?: string[];
  /** The account's role requires a second factor that this demonstration server waives. */
  secondFactorWaived?: 'demo';
}

export interface Referential {
  regions: TerritoryOption[];
  /** Each département with its region and the départements bordering it (codes). */
  departements: Array<TerritoryOption & { region: string; neighbours: string[] }>;
}

export interface EstablishmentOption {
  finess: string;
  name: string;
  city: string;
  dep: string;
  lat: number | null;
  lon: number | null;
}

export type SyncState = 'online' | 'offline' | 'syncing';

export interface SyncStatus {
  state: SyncState;
  /** Mutations written locally and not yet confirmed by the server. */
  pending: number;
  /** Mutations the server refused, kept until the user dismisses or fixes them. */
  rejected: number;
  lastSyncAt: string | null;
  serverUrl: string | null;
  /** Why the last connection attempt failed, in French, when offline. */
  detail: string | null;
}

/** « Exporter un diagnostic »: one file a person sends to support (built by `main/diagnostic.ts`). */
export interface DiagnosticFile {
  /** e.g. `vigie-diagnostic-2026-11-30T01-55-00Z.json` */
  fileName: string;
  /** JSON text: versions, system, policy, session, sync state, last errors, last log lines; never the cache's rows. */
  content: string;
}

/**
 * The desktop app's update, as `main/updates/machine.ts` tracks it. `waiting`: downloaded,
 * but mutations still wait to reach the server, so no restart is offered; `ready`: the
 * outbox is empty and « Redémarrer pour mettre à jour » is offered.
 */
export type UpdateState = 'disabled' | 'idle' | 'checking' | 'downloading' | 'waiting' | 'ready' | 'restarting' | 'error';

export interface UpdateStatus {
  state: UpdateState;
  /** The update's version, once known (available, downloading, downloaded). */
  version: string | null;
  /** Download progress, 0–100, while downloading. */
  percent: number | null;
  /** Mutations not yet confirmed by the server (pending and in flight): the restart waits for 0. */
  pending: number;
  /** The update channel in force (`latest`, `beta`…). */
  channel: string;
  /** Why updates are off, or what failed, in French. */
  detail: string | null;
}

export interface LocalDataSummary {
  /** Mutations written on this workstation and not yet confirmed by the server. */
  pending: number;
}

export interface RejectedMutation {
  mutationId: number;
  name: string;
  args: unknown;
  at: string;
  reason: string;
}

export const appCalls = {
  'session.current': call(NoArgs, returns<SessionState | null>()),
  'session.login': call(
    z.strictObject({
      username: z.string().trim().min(1, 'identifiant requis').max(64),
      password: z.string().min(1, 'mot de passe requis').max(256),
    }),
    returns<SignedIn | SecondFactorStep>(),
  ),
  /** The code of the authenticator app (6 digits) or a recovery code, after `session.login` asked for it. */
  'session.secondFactor': call(z.strictObject({ code: z.string().trim().min(1, 'code requis').max(32) }), returns<SignedIn>()),
  'session.logout': call(NoArgs, returns<null>()),
  /** What « Se déconnecter et effacer les données locales » would lose: mutations not yet sent, in every cache of the workstation. */
  'session.localData': call(NoArgs, returns<LocalDataSummary>()),
  /** Logs out and removes the caches and their key; refused (French, new count) when more mutations are pending than `pendingSeen`. */
  'session.eraseLocalData': call(z.strictObject({ pendingSeen: z.number().int().min(0).max(1_000_000_000) }), returns<null>()),
  /** « Se déconnecter partout »: ends every session of the account, on every workstation; this one's cache and outbox stay. */
  'session.logoutEverywhere': call(NoArgs, returns<null>()),
  'referential.get': call(NoArgs, returns<Referential>()),
  'referential.establishments': call(z.strictObject({ territory: z.string().max(60).optional() }), returns<EstablishmentOption[]>()),
  'sync.status': call(NoArgs, returns<SyncStatus>()),
  'sync.rejected': call(NoArgs, returns<RejectedMutation[]>()),
  'sync.dismiss': call(z.strictObject({ mutationId: z.number().int().min(1) }), returns<null>()),
  'app.diagnostic': call(NoArgs, returns<DiagnosticFile>()),
  'update.status': call(NoArgs, returns<UpdateStatus>()),
  /** Restarts into the downloaded update; refused while the outbox is not empty. */
  'update.restart': call(NoArgs, returns<UpdateStatus>()),
  /** The administrator policy as the UI shows it: banner, locked settings and who locked them. */
  'app.policy': call(NoArgs, returns<PolicyView>()),
  /** First run: where the server address comes from, the connection test, the address chosen. */
  'setup.state': call(NoArgs, returns<SetupState>()),
  'setup.test': call(z.strictObject({ url: z.string().max(2_000) }), returns<ProbeResult>()),
  'setup.setServer': call(z.strictObject({ url: z.string().max(2_000) }), returns<SetupState>()),
  /** The user's own choice of desktop notifications (a policy may decide instead). */
  'app.notifications': call(NoArgs, returns<{ enabled: boolean; userChoice: boolean }>()),
  'app.setNotifications': call(z.strictObject({ enabled: z.boolean() }), returns<{ enabled: boolean; userChoice: boolean }>()),
  // User administration and the audit trail (`main/admin/handlers.ts`).
  ...adminCalls,
} as const;

/** Events main pushes that belong to no board. */
export const appEvents = {
  'sync.status': returns<SyncStatus>(),
  /** The server refused a mutation: shown to the user, never dropped in silence. */
  'mutation.rejected': returns<RejectedMutation>(),
  /** The update's state changed (desktop app only). */
  'update.status': returns<UpdateStatus>(),
} as const;

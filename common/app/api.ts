/**
 * The console shell's part of ConsoleApi, belonging to no board: the session, the
 * referential, the sync status and the refused operations. `common/api.ts` composes it with
 * the boards' parts.
 */
import { z } from 'zod';
import { adminCalls } from '../admin/api';
import { call, returns, NoArgs } from '../engine/calls';
import type { SessionUser } from '../engine/wire';

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
    returns<SessionState>(),
  ),
  'session.logout': call(NoArgs, returns<null>()),
  'referential.get': call(NoArgs, returns<Referential>()),
  'referential.establishments': call(z.strictObject({ territory: z.string().max(60).optional() }), returns<EstablishmentOption[]>()),
  'sync.status': call(NoArgs, returns<SyncStatus>()),
  'sync.rejected': call(NoArgs, returns<RejectedMutation[]>()),
  'sync.dismiss': call(z.strictObject({ mutationId: z.number().int().min(1) }), returns<null>()),
  'app.diagnostic': call(NoArgs, returns<DiagnosticFile>()),
  // User administration and the audit trail (`main/admin/handlers.ts`).
  ...adminCalls,
} as const;

/** Events main pushes that belong to no board. */
export const appEvents = {
  'sync.status': returns<SyncStatus>(),
  /** The server refused a mutation: shown to the user, never dropped in silence. */
  'mutation.rejected': returns<RejectedMutation>(),
} as const;

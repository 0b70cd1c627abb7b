/**
 * User administration and the audit trail: the socket events between a workstation and the
 * sync server, their payload schemas (checked by the server, never trusted for authority:
 * who may do what comes from the authenticated session) and the ConsoleApi calls of the
 * « Administration » panel. Runs anywhere.
 *
 * Who administers whom: `docs/security.md`, « Administration des comptes ».
 */
import { z } from 'zod';
import { call, returns, Uuid } from '../engine/calls';
import type { AskEvent } from '../engine/wire';

/** Socket events (client → server, acknowledged `{data} | {error}`). */
export const adminWire = {
  /** The accounts the caller administers. */
  users: 'admin:users',
  create: 'admin:create',
  rename: 'admin:rename',
  /** Disable (sessions and live sockets cut in the same action) or enable again. */
  setDisabled: 'admin:set-disabled',
  /** A page of the audit trail (national administrators only). */
  auditPage: 'audit:page',
  /** The workstation tells the server it exported a file: recorded in the audit trail. */
  exported: 'audit:exported',
} as const;

/** What is recorded. */
export const AUDIT_KINDS = ['mutation', 'login', 'login_failed', 'export', 'scope_refusal', 'user_change', 'summary_read', 'summary_purge'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** An account as its administrator sees it (never its password hash). */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: string;
  /** « SAMU 75 — Paris », or the role itself when its territory left the referential. */
  territoryLabel: string;
  disabled: boolean;
  createdAt: string;
}

const DisplayName = z.string().trim().min(1, 'nom affiché requis').max(200, 'nom affiché trop long (200 caractères au plus)');

export const CreateUserArgs = z.strictObject({
  username: z.string().trim().min(1, 'identifiant requis').max(64, 'identifiant trop long (64 caractères au plus)'),
  displayName: DisplayName,
  /** `ars:11`, `samu:75`, `establishment:<FINESS>`, `pui:<FINESS>`, `field:<poste>`. */
  role: z.string().trim().min(1, 'rôle requis').max(60, 'rôle trop long'),
  /** The first password, which the administrator hands over; the password policy applies. */
  password: z.string().min(1, 'mot de passe requis').max(256, 'mot de passe trop long'),
});
export const RenameUserArgs = z.strictObject({ userId: Uuid, displayName: DisplayName });
export const SetDisabledArgs = z.strictObject({ userId: Uuid, disabled: z.boolean() });

export const AUDIT_PAGE_MAX = 500;

export const AuditQueryArgs = z.strictObject({
  /** ISO instants, inclusive `from`, exclusive `to`. */
  from: z.iso.datetime({ offset: true, message: 'date de début invalide' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'date de fin invalide' }).optional(),
  /** An account id, or a part of the actor's name. */
  user: z.string().trim().max(100, 'filtre utilisateur trop long').optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(AUDIT_PAGE_MAX).default(100),
});
export type AuditQuery = z.output<typeof AuditQueryArgs>;

export const ExportedArgs = z.strictObject({
  /** What was exported, e.g. `beds.export` or `audit.export`. */
  what: z.string().trim().min(1).max(100),
  format: z.string().trim().min(1).max(10),
  rows: z.number().int().min(0).optional(),
});

/** One entry of the audit trail as it is read (the chain's hashes included). */
export interface AuditRow {
  seq: number;
  at: string;
  kind: AuditKind;
  /** Null for the server's own operator (CLI) and for a failed login with an unknown name. */
  actorId: string | null;
  actorName: string;
  actorRole: string;
  /** What the entry is about: a user id, a client id… */
  subject: string | null;
  /** Canonical JSON text of the details (never clinical content). */
  detail: string;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  rows: AuditRow[];
  /** Entries matching the filters, all pages together. */
  total: number;
}

/** An export file built by main (the renderer offers it as a download). */
export interface AuditExportFile {
  fileName: string;
  mimeType: string;
  contentBase64: string;
  /** Entries written (at most `AUDIT_EXPORT_MAX`). */
  rows: number;
}

/** An export carries at most this many entries (the newest matching the filters). */
export const AUDIT_EXPORT_MAX = 50_000;

/** ConsoleApi calls of the « Administration » panel. */
export const adminCalls = {
  'admin.users': call(z.strictObject({}), returns<AdminUser[]>()),
  'admin.create': call(CreateUserArgs, returns<AdminUser>()),
  'admin.rename': call(RenameUserArgs, returns<AdminUser>()),
  'admin.setDisabled': call(SetDisabledArgs, returns<AdminUser>()),
  'audit.page': call(AuditQueryArgs, returns<AuditPage>()),
  'audit.export': call(AuditQueryArgs.omit({ offset: true, limit: true }).extend({ format: z.enum(['csv', 'xlsx']) }), returns<AuditExportFile>()),
} as const;

/** The socket events above, typed (merged into `ClientToServerEvents`). */
export type AdminEvents = {
  [adminWire.users]: AskEvent<Record<string, never>, AdminUser[]>;
  [adminWire.create]: AskEvent<z.input<typeof CreateUserArgs>, AdminUser>;
  [adminWire.rename]: AskEvent<z.input<typeof RenameUserArgs>, AdminUser>;
  [adminWire.setDisabled]: AskEvent<z.input<typeof SetDisabledArgs>, AdminUser>;
  [adminWire.auditPage]: AskEvent<z.input<typeof AuditQueryArgs>, AuditPage>;
  [adminWire.exported]: AskEvent<z.input<typeof ExportedArgs>, { recorded: true }>;
};

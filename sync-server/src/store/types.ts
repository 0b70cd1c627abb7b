/**
 * The server's storage contract. Everything above this layer (auth, sync handlers, demo
 * seeding) talks to a `ServerStore`; SQL lives only in its implementations (the engine's and
 * each board's), so a PostgreSQL store can replace the embedded SQLite one without touching
 * the rest.
 *
 * Methods return promises because a networked store needs them; the SQLite store settles
 * them synchronously inside, which is what keeps each push atomic per mutation without locks.
 */
import type { Actor } from '../../../common/engine/mutation';
import type { AuditPage, AuditQuery } from '../../../common/admin/api';
import type { ChainVerdict } from '../audit/chain';
import type { AuditInput } from '../audit/store';
import type { Change, Mutation, MutationResult, PullPage } from '../../../common/protocol';

export interface UserRecord {
  id: string;
  /** Unique, compared case-insensitively. */
  username: string;
  displayName: string;
  /** Role text, e.g. `samu:75` (see `parseRole`). */
  role: string;
  /** argon2id PHC string. */
  passwordHash: string;
  disabled: boolean;
  createdAt: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  passwordHash: string;
}

/** An access token's session, with the login (family) it belongs to. */
export interface SessionRecord {
  userId: string;
  expiresAt: string;
  /** The family (one login on one workstation) this access token was issued for. */
  familyId: string;
  /** The client id the family is bound to; null until the first handshake or refresh. */
  clientId: string | null;
}

/** One login on one workstation: what a refresh token renews and what a logout ends. */
export interface SessionFamily {
  id: string;
  userId: string;
  /** Bound at login when the client sent it, else at its first handshake or refresh. */
  clientId: string | null;
  createdAt: string;
  /** Absolute end of the login: no refresh goes beyond it. */
  expiresAt: string;
}

/** What presenting a refresh token found (`useRefreshToken`). */
export type RefreshUse =
  /** Unknown or expired token, or its family was revoked. */
  | { status: 'unknown' }
  /** Valid and now spent: rotate. */
  | { status: 'fresh'; family: SessionFamily }
  /** Already spent once: a copy is being replayed; the caller revokes the family. */
  | { status: 'reused'; family: SessionFamily };

/** A user's TOTP factor. */
export interface SecondFactorRecord {
  /** Base32 secret, as in the QR code. */
  secret: string;
  /** Null while enrolment awaits its first code. */
  confirmedAt: string | null;
  /** The last TOTP time step accepted (0: none): a code of that step or earlier is refused. */
  lastStep: number;
}

/** The step between a correct password and the second factor. */
export interface LoginTicketRecord {
  userId: string;
  /** `verify`: ask the code of an enrolled user; `enrol`: the user must enrol first. */
  purpose: 'verify' | 'enrol';
  expiresAt: string;
  /** Wrong codes so far on this ticket. */
  failures: number;
}

/** Outcome of binding a client id (one installation's outbox) to a user. */
export type ClientClaim = 'ok' | 'other_user';

/** A change-log row with the territory path it is scoped to (used for pokes, never sent). */
export interface ScopedChange {
  scopePath: string;
  change: Change;
}

export interface ApplyInput {
  clientId: string;
  /** Built from the authenticated user, never from the payload. */
  actor: Actor;
  mutations: Mutation[];
  /** The server's clock, for the future-date check and the change log's `at`. */
  now: Date;
  /**
   * The mutations' own ids are ignored: the store numbers them `last + 1, last + 2, …` for
   * this client inside the push's transaction (server-side writers such as the register
   * feed, whose concurrent requests must not race for ids). Results carry the assigned ids.
   */
  assignIds?: boolean;
  /** The path these mutations came by (`MutationContext.via`), set by the route that received them; default `sync`. */
  via?: string;
  /**
   * The caller's mutators decide every rejection before they write (the register feed's
   * `unit.report`). The SQLite store then runs the mutations without a savepoint each (half
   * the cost of a 1,000-line feed request); should one be rejected after writing, or fail, the
   * whole push is rolled back and run again with its savepoints, so the outcome is the same.
   * PostgreSQL keeps its savepoints either way.
   */
  rejectsBeforeWriting?: boolean;
}

/**
 * Why a push stopped before its end. Results for the mutations handled before the stop are
 * in `ApplyOutcome.results` (they are committed); the wire answer is an error and the
 * client gets those results again when it re-pushes them (replays are answered, not applied).
 */
export type ApplyStop =
  | { code: 'gap'; expected: number; got: number }
  | { code: 'forbidden' }
  | { code: 'internal'; cause: unknown };

export interface ApplyOutcome {
  results: MutationResult[];
  /** Every change-log row written by this push, in version order. */
  changes: ScopedChange[];
  stop: ApplyStop | null;
}

/**
 * The engine's store: accounts, sessions, the exactly-once ledger, the change log and scoped
 * pulls. It names no board: each board's own reads and writes are in its store part
 * (`<board>/store.ts`), reached through `boards`.
 */
export interface ServerStore<B extends object = object> {
  /** Each board's own store part, by board name. */
  readonly boards: B;

  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  getUser(id: string): Promise<UserRecord | undefined>;
  /** Throws `UserExistsError` when the username is taken. */
  insertUser(user: NewUser): Promise<UserRecord>;
  /** Disables (or enables again) an account; disabling also ends its sessions (and bumps the sessions generation). False when no account has this id. */
  setUserDisabled(userId: string, disabled: boolean): Promise<boolean>;

  // ---- administration and audit (sync-server/src/users/admin.ts, sync-server/src/audit/) ----

  /** Every account, by username. */
  listUsers(): Promise<UserRecord[]>;
  /** `insertUser`, and its audit entry in the same transaction (the entry's subject is the new id). */
  insertUserAudited(user: NewUser, audit: AuditInput): Promise<UserRecord>;
  /** `setUserDisabled` with its audit entry in the same transaction. */
  setUserDisabledAudited(userId: string, disabled: boolean, audit: AuditInput): Promise<boolean>;
  /** Changes an account's display name, with its audit entry, in one transaction. False when no account has this id. */
  setUserDisplayName(userId: string, displayName: string, audit: AuditInput): Promise<boolean>;
  /** Appends one entry to the audit trail (its own transaction). */
  recordAudit(input: AuditInput, at: Date): Promise<void>;
  /** A page of the audit trail, newest first. */
  auditPage(query: AuditQuery): Promise<AuditPage>;
  /** Walks the whole audit chain. */
  verifyAudit(): Promise<ChainVerdict>;

  // ---- sessions (docs/security.md, "Connexion") ----
  // A login opens a *family* (`createSessionFamily`); it issues short-lived access tokens
  // (`createSession`) and one refresh token at a time (`insertRefreshToken`). Tokens are
  // stored as SHA-256 digests. Every revocation bumps `sessionsGeneration`.

  /** Opens a family: one login on one workstation. */
  createSessionFamily(family: SessionFamily): Promise<void>;
  /** Binds the family to `clientId` if it has none yet; returns the client id it is bound to (null: no such family). */
  bindFamilyClient(familyId: string, clientId: string): Promise<string | null>;
  /** An access token of `familyId` valid until `expiresAt`. */
  createSession(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date, familyId: string): Promise<void>;
  /** The session if it exists, has not expired at `now` and its family still holds. */
  findSession(tokenHash: string, now: Date): Promise<SessionRecord | undefined>;
  /** Stores a refresh token of `familyId` (its digest), unused. */
  insertRefreshToken(tokenHash: string, familyId: string, expiresAt: Date): Promise<void>;
  /**
   * Spends a refresh token, atomically: a valid unused one is marked used and answered
   * `fresh` (exactly one of two concurrent callers gets `fresh`); a used one `reused`.
   */
  useRefreshToken(tokenHash: string, now: Date): Promise<RefreshUse>;
  /** Ends one family: its access and refresh tokens. Bumps the generation. False when unknown. */
  revokeSessionFamily(familyId: string): Promise<boolean>;
  /** Ends every session of a user (logout everywhere, an administrator's revoke). Bumps the generation; returns the families ended. */
  revokeUserSessions(userId: string): Promise<number>;
  /** A counter every revocation increments (kept in the database, so every process sees it). */
  sessionsGeneration(): Promise<number>;
  /** Deletes expired access tokens, refresh tokens, families and login tickets. */
  purgeExpiredSessions(now: Date): Promise<number>;

  // ---- second factor ----

  /** The user's TOTP factor (confirmed or being enrolled), if any. */
  getSecondFactor(userId: string): Promise<SecondFactorRecord | undefined>;
  /** Starts (or restarts) an enrolment with a new secret; refused (false) when a confirmed factor exists. */
  startSecondFactorEnrolment(userId: string, secret: string): Promise<boolean>;
  /**
   * Confirms the enrolment with the step of its first code and stores the recovery codes'
   * digests (replacing any). False when there is no pending enrolment.
   */
  confirmSecondFactor(userId: string, step: number, recoveryCodeHashes: readonly string[], at: Date): Promise<boolean>;
  /** Records `step` as the last accepted, only if it is later than the stored one (atomic: a code is accepted once). */
  acceptTotpStep(userId: string, step: number): Promise<boolean>;
  /** Spends one unused recovery code; false when unknown or already used. */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  /** Unused recovery codes left. */
  recoveryCodesLeft(userId: string): Promise<number>;
  /** Removes the factor and its recovery codes (the next login enrols again) and ends the user's sessions. False when there was none. */
  resetSecondFactor(userId: string): Promise<boolean>;

  createLoginTicket(ticketHash: string, userId: string, purpose: LoginTicketRecord['purpose'], expiresAt: Date): Promise<void>;
  /** The ticket if it exists and has not expired at `now`. */
  findLoginTicket(ticketHash: string, now: Date): Promise<LoginTicketRecord | undefined>;
  /** Counts a wrong code; returns the failures so far. */
  failLoginTicket(ticketHash: string): Promise<number>;
  deleteLoginTicket(ticketHash: string): Promise<void>;

  /** Registers `clientId` to `userId` on first sight; refuses a client id bound to someone else. */
  claimClient(clientId: string, userId: string): Promise<ClientClaim>;
  /** The highest mutation id recorded for this client (0 when unknown). */
  lastMutationId(clientId: string): Promise<number>;

  /**
   * Applies mutations in order, each in its own transaction, exactly once per
   * `(clientId, mutationId)`: see docs/protocol.md, "Ordering and exactly-once".
   */
  applyMutations(input: ApplyInput): Promise<ApplyOutcome>;

  /**
   * Changes with `version > cursor` whose scope is on the branch of `userPath`, in version
   * order, at most `limit`; the answer's cursor is the highest version examined. A cursor
   * beyond the change log's head throws `CursorAheadError`: no pull of this server ever gave
   * it, so the client's cache comes from a history this database no longer has (a restore).
   * `privatePath`: the private path the user also sees (`privatePathOfRole`; null: none;
   * omitted: the one of `userPath`).
   */
  pull(userPath: string, cursor: number, limit: number, privatePath?: string | null): Promise<PullPage>;

  /** The epoch of this database: a random id, changed by `newEpoch` after a restore. */
  epoch(): Promise<string>;
  /** Gives the database a new random epoch (the operator runs it after restoring a backup); returns it. */
  newEpoch(): Promise<string>;

  /** The highest version in the change log (0 when empty). */
  latestVersion(): Promise<number>;

  close(): Promise<void>;
}

/** A pull's cursor is beyond the change log's head (answered `cursor_ahead`). */
export class CursorAheadError extends Error {
  constructor(
    readonly cursor: number,
    readonly head: number,
  ) {
    super(`cursor ${cursor} is beyond the head ${head}`);
    this.name = 'CursorAheadError';
  }
}

export class UserExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserExistsError';
  }
}

/** How far in the future (server clock) a mutation's `at` may be before it is rejected. */
export const MAX_FUTURE_SKEW_MS = 10 * 60 * 1000;

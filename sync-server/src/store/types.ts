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

export interface SessionRecord {
  userId: string;
  expiresAt: string;
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
  /** Disables (or enables again) an account; disabling also ends its sessions. False when no account has this id. */
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

  createSession(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findSession(tokenHash: string, now: Date): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  purgeExpiredSessions(now: Date): Promise<number>;

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

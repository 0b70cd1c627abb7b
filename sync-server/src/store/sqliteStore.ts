/**
 * The embedded SQLite implementation of `ServerStore` (better-sqlite3, one connection, WAL):
 * the engine's tables (accounts, sessions, the exactly-once ledger, the change log) and
 * scoped pulls, over the boards it is given. It names no board: each board brings its
 * migrations, its transaction slice, its store part and the tables its latest-only entities
 * are pulled from (`ServerBoard`).
 *
 * Gap-free versions: SQLite has a single writer and every mutation runs in a BEGIN IMMEDIATE
 * transaction that reads `max(version)` after taking the write lock, so versions are
 * assigned in commit order and a reader never sees version n+1 without version n.
 */
import { cachedScopePaths } from './scopePaths';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fr } from '../../../common/i18n/fr';
import { MutationRejected, runMutatorOf, VIA_SYNC, type MutationContext, type MutatorMap } from '../../../common/engine/mutation';
import { mergeDisjoint } from '../../../common/engine/registry';
import type { Territories } from '../../../common/territory';
import type { LatestTable, ServerBoard } from '../board';
import { ancestorsOrSelf, privatePathOf } from '../scope';
import { ChangeWriter } from './changeWriter';
import type { AuditPage, AuditQuery } from '../../../common/admin/api';
import { verifyChain, type ChainVerdict } from '../audit/chain';
import { AuditLog, type AuditInput } from '../audit/store';
import { DatabaseTooNewError, migrate, serverMigrations, type ServerMigration } from './migrations';
import {
  CursorAheadError,
  MAX_FUTURE_SKEW_MS,
  UserExistsError,
  type ApplyInput,
  type ApplyOutcome,
  type ApplyStop,
  type ClientClaim,
  type NewUser,
  type ScopedChange,
  type ServerStore,
  type LoginTicketRecord,
  type RefreshUse,
  type SecondFactorRecord,
  type SessionFamily,
  type SessionRecord,
  type UserRecord,
} from './types';
import type { Change, Mutation, MutationResult, PullPage } from '../../../common/protocol';

/**
 * A pull examines at most this many versions past the cursor. The scan walks the change
 * log's primary key (already in version order, so LIMIT stops it early) and filters scope on
 * the rows it meets: the cost of one pull is bounded by this window whatever the user's
 * share of the log, and a user who sees little still advances by a whole window per pull.
 */
export const PULL_SCAN_WINDOW = 50_000;

/** Highest code point: `path || MAX_CHAR` is an exclusive upper bound for every path below `path`. */
const MAX_CHAR = '\u{10FFFF}';

/** The number of `IN` slots for ancestor paths: `/FR/R/D/E/` is the deepest path (4 levels). */
const ANCESTOR_SLOTS = 4;

/**
 * The `IN` slots: the user's strict ancestors (`@a0..@a3`) and its private path (`@p`, rows
 * scoped to exactly its territory, `privatePathOf`). One more constant in the same `IN`
 * list: the test stays two string conditions per index entry.
 */
const SCOPE_SLOTS = [...Array.from({ length: ANCESTOR_SLOTS }, (_, i) => `@a${i}`), '@p'].join(', ');

const SCOPE_TEST = `(scope_path IN (${SCOPE_SLOTS}) OR (scope_path >= @lo AND scope_path < @hi))`;

/**
 * The pull query for the rows every client in scope gets (`latest_only = 0`). It walks the
 * partial index `change_log_pull` (version order, scope path beside it, latest-only rows
 * left out): rows come in version order, LIMIT stops the walk early, the scope test is two
 * cheap string conditions on each index entry met (`@a0..@a3`: the user's ancestor paths,
 * `@p` its private path; `[@lo, @hi)`: the user's subtree), and the history of latest-only entities, most of a
 * national log, is never met.
 */
export const PULL_LOG_SQL = `SELECT version, entity, payload FROM change_log INDEXED BY change_log_pull
  WHERE latest_only = 0 AND version > @cursor AND version <= @upper AND ${SCOPE_TEST}
  ORDER BY version LIMIT @limit`;

/**
 * The pull query for a latest-only entity: its current row per key only, from the board's
 * current table (one row per key, with the version of its latest row), in the same version
 * window as the log scan. The row itself is the change-log row of that version (integer key
 * lookup), so a key re-written inside the window appears once, at its latest version, and a
 * superseded row is never read.
 */
export function pullLatestSql({ table, index }: LatestTable): string {
  return `SELECT c.version AS version, l.entity AS entity, l.payload AS payload
  FROM ${table} c INDEXED BY ${index} JOIN change_log l ON l.version = c.version
  WHERE c.version > @cursor AND c.version <= @upper AND ${SCOPE_TEST.replace(/scope_path/g, 'c.scope_path')}
  ORDER BY c.version LIMIT @limit`;
}

type ScanRow = { version: number; entity: Change['entity']; payload: string };

type FamilyRow = SessionFamily;

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  passwordHash: string;
  disabled: number;
  createdAt: string;
}

export interface SqliteStoreOptions {
  /** NORMAL (default) is durable across process crashes in WAL mode; FULL also across power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Versions a pull examines at most (default `PULL_SCAN_WINDOW`); tests shrink it. */
  pullScanWindow?: number;
}

/** Each board's store part, by board name, as `boards` lists them. */
export type BoardStoresOf<L extends readonly ServerBoard[]> = {
  [B in L[number] as B['board']['name']]: B extends ServerBoard<infer S, string> ? S : never;
};

export class SqliteServerStore<B extends object = object> implements ServerStore<B> {
  readonly db: Database.Database;
  readonly boards: B;
  /** The schema version this code brings a database to (engine and boards' steps). */
  readonly schemaVersion: number;
  private readonly st;
  private readonly writer: ChangeWriter;
  private readonly slices = new Map<string, object>();
  private readonly mutators: MutatorMap;
  private readonly scanLatest: Array<Database.Statement<Record<string, string | number>, ScanRow>> = [];
  /** Territory key → scope path (cached). */
  private readonly scopeOf: (key: string) => string;
  private readonly applyBatch: (input: ApplyInput) => ApplyOutcome;
  private readonly applyBatchUnguarded: (input: ApplyInput) => ApplyOutcome;
  /** Rows written by this connection so far (`total_changes()`): tells whether a rejected mutation wrote. */
  private readonly totalChanges: () => number;
  private readonly applyOne: (clientId: string, m: Mutation, ctx: MutationContext, latestAllowed: number) => MutationResult;
  private readonly runInSavepoint: (name: string, args: unknown, ctx: MutationContext) => void;
  /** A board's transaction slice by name, for the mutators. */
  private readonly source: (slice: string) => object;
  private readonly pullTx: (userPath: string, cursor: number, limit: number, privatePath: string) => PullPage;
  private closed = false;
  private readonly scanWindow: number;
  private readonly audit: AuditLog;

  constructor(
    dbPath: string,
    private readonly territories: Territories,
    boardList: readonly ServerBoard[],
    options: SqliteStoreOptions = {},
  ) {
    this.scopeOf = cachedScopePaths(territories);
    const migrations: readonly ServerMigration[] = serverMigrations(boardList.map((b) => b.migrations));
    this.schemaVersion = migrations.length;
    if (dbPath !== ':memory:') mkdirSync(dirname(dbPath), { recursive: true });
    this.scanWindow = options.pullScanWindow ?? PULL_SCAN_WINDOW;
    this.db = new Database(dbPath);
    // Refuse a database from a newer server before changing anything in it (even its journal mode).
    const found = this.db.pragma('user_version', { simple: true }) as number;
    if (found > this.schemaVersion) {
      this.db.close();
      throw new DatabaseTooNewError(found, this.schemaVersion);
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    // Checkpoint every ~40 MB of WAL instead of SQLite's ~4 MB, as the workstation's cache
    // does: a 1,000-line register feed request writes ~1,400 pages (one leaf of the unit
    // history index per unit), so with the default every request paid a checkpoint (its
    // copies and two fsyncs), and the next requests rewrite the same units' pages, which one
    // checkpoint now copies once (measured: a request's system time 20 → 8 ms). With
    // synchronous=NORMAL a commit waits for no fsync either way. The WAL file is cut back to
    // 64 MB at most once checkpointed.
    this.db.pragma('wal_autocheckpoint = 10000');
    this.db.pragma('journal_size_limit = 67108864');
    try {
      migrate(this.db, migrations);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.st = this.prepare();
    this.audit = new AuditLog(this.db);

    const entities = boardList.flatMap((b) => [...b.board.entities]);
    this.writer = new ChangeWriter(this.db, entities, (key) => this.scopeOf(key));
    this.mutators = mergeDisjoint('mutation', ...boardList.map((b) => b.board.mutators));
    const stores: Record<string, unknown> = {};
    for (const b of boardList) {
      this.slices.set(b.board.name, b.sqlite.slice(this.db, this.writer, (key) => this.scopeOf(key)));
      stores[b.board.name] = b.sqlite.store(this.db);
      for (const e of b.board.entities) {
        if (e.pull !== 'latest') continue;
        const table = b.latest?.[e.name];
        if (!table) throw new Error(`board ${b.board.name}: latest-only entity ${e.name} has no current table`);
        this.scanLatest.push(this.db.prepare(pullLatestSql(table)));
      }
    }
    this.boards = stores as B;
    const source = (slice: string): object => {
      const tx = this.slices.get(slice);
      if (!tx) throw new Error(`no transaction slice ${slice} on the server`);
      return tx;
    };
    this.source = source;

    this.runInSavepoint = this.db.transaction((name: string, args: unknown, ctx: MutationContext) => {
      runMutatorOf(this.mutators, source, name, args, ctx);
    });
    // Called inside `applyBatch`'s transaction, better-sqlite3 turns these two into SAVEPOINTs.
    this.applyOne = this.db.transaction((clientId: string, m: Mutation, ctx: MutationContext, latestAllowed: number) =>
      this.step(clientId, m, ctx, latestAllowed),
    );
    this.applyBatch = this.db.transaction((input: ApplyInput) => this.batch(input, true)).immediate;
    this.applyBatchUnguarded = this.db.transaction((input: ApplyInput) => this.batch(input, false)).immediate;
    const totalChanges = this.db.prepare<[], number>('SELECT total_changes()').pluck();
    this.totalChanges = () => totalChanges.get() ?? 0;
    this.pullTx = this.db.transaction((userPath: string, cursor: number, limit: number, privatePath: string) =>
      this.scan(userPath, cursor, limit, privatePath),
    ).deferred;
  }

  private prepare() {
    const db = this.db;
    const userCols = `id, username, display_name AS displayName, role, password_hash AS passwordHash,
      disabled, created_at AS createdAt`;
    return {
      userByName: db.prepare<[string], UserRow>(`SELECT ${userCols} FROM users WHERE username = ?`),
      userById: db.prepare<[string], UserRow>(`SELECT ${userCols} FROM users WHERE id = ?`),
      insertUser: db.prepare(`INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at)
        VALUES (@id, @username, @displayName, @role, @passwordHash, 0, @createdAt)`),
      setDisabled: db.prepare<[number, string]>(`UPDATE users SET disabled = ? WHERE id = ?`),
      insertFamily: db.prepare<[string, string, string | null, string, string]>(
        `INSERT INTO session_families (id, user_id, client_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
      ),
      familyById: db.prepare<[string], FamilyRow>(
        `SELECT id, user_id AS userId, client_id AS clientId, created_at AS createdAt, expires_at AS expiresAt FROM session_families WHERE id = ?`,
      ),
      bindFamily: db.prepare<[string, string]>(`UPDATE session_families SET client_id = ? WHERE id = ? AND client_id IS NULL`),
      deleteFamily: db.prepare<[string]>(`DELETE FROM session_families WHERE id = ?`),
      deleteFamilySessions: db.prepare<[string]>(`DELETE FROM sessions WHERE family_id = ?`),
      deleteUserFamilies: db.prepare<[string]>(`DELETE FROM session_families WHERE user_id = ?`),
      setDisplayName: db.prepare<[string, string]>(`UPDATE users SET display_name = ? WHERE id = ?`),
      allUsers: db.prepare<[], UserRow>(`SELECT ${userCols} FROM users ORDER BY username`),
      deleteUserSessions: db.prepare<[string]>(`DELETE FROM sessions WHERE user_id = ?`),
      bumpGeneration: db.prepare(
        `UPDATE server_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'sessions_generation'`,
      ),
      generation: db.prepare<[], { value: string }>(`SELECT value FROM server_meta WHERE key = 'sessions_generation'`),
      insertSession: db.prepare<[string, string, string, string, string]>(
        `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, family_id) VALUES (?, ?, ?, ?, ?)`,
      ),
      findSession: db.prepare<[string, string, string], SessionRecord>(
        `SELECT s.user_id AS userId, s.expires_at AS expiresAt, s.family_id AS familyId, f.client_id AS clientId
         FROM sessions s JOIN session_families f ON f.id = s.family_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND f.expires_at > ?`,
      ),
      insertRefresh: db.prepare<[string, string, string]>(`INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES (?, ?, ?)`),
      refreshByHash: db.prepare<[string], { familyId: string; used: number; expiresAt: string }>(
        `SELECT family_id AS familyId, used, expires_at AS expiresAt FROM refresh_tokens WHERE token_hash = ?`,
      ),
      spendRefresh: db.prepare<[string]>(`UPDATE refresh_tokens SET used = 1 WHERE token_hash = ? AND used = 0`),
      purgeSessions: db.prepare<[string]>(`DELETE FROM sessions WHERE expires_at <= ?`),
      purgeFamilies: db.prepare<[string]>(`DELETE FROM session_families WHERE expires_at <= ?`),
      purgeTickets: db.prepare<[string]>(`DELETE FROM login_tickets WHERE expires_at <= ?`),
      factorOf: db.prepare<[string], SecondFactorRecord>(
        `SELECT secret, confirmed_at AS confirmedAt, last_step AS lastStep FROM user_second_factors WHERE user_id = ?`,
      ),
      startFactor: db.prepare<[string, string]>(
        `INSERT INTO user_second_factors (user_id, secret) VALUES (?, ?)
         ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret, last_step = 0 WHERE confirmed_at IS NULL`,
      ),
      confirmFactor: db.prepare<[string, number, string]>(
        `UPDATE user_second_factors SET confirmed_at = ?, last_step = ? WHERE user_id = ? AND confirmed_at IS NULL`,
      ),
      acceptStep: db.prepare<[number, string, number]>(`UPDATE user_second_factors SET last_step = ? WHERE user_id = ? AND last_step < ?`),
      deleteFactor: db.prepare<[string]>(`DELETE FROM user_second_factors WHERE user_id = ?`),
      deleteRecovery: db.prepare<[string]>(`DELETE FROM recovery_codes WHERE user_id = ?`),
      insertRecovery: db.prepare<[string, string]>(`INSERT OR IGNORE INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`),
      useRecovery: db.prepare<[string, string, string]>(
        `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
      ),
      recoveryLeft: db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`),
      insertTicket: db.prepare<[string, string, string, string]>(
        `INSERT INTO login_tickets (ticket_hash, user_id, purpose, expires_at) VALUES (?, ?, ?, ?)`,
      ),
      findTicket: db.prepare<[string, string], LoginTicketRecord>(
        `SELECT user_id AS userId, purpose, expires_at AS expiresAt, failures FROM login_tickets WHERE ticket_hash = ? AND expires_at > ?`,
      ),
      failTicket: db.prepare<[string], { failures: number }>(
        `UPDATE login_tickets SET failures = failures + 1 WHERE ticket_hash = ? RETURNING failures`,
      ),
      deleteTicket: db.prepare<[string]>(`DELETE FROM login_tickets WHERE ticket_hash = ?`),
      getClient: db.prepare<[string], { userId: string; last: number }>(
        `SELECT user_id AS userId, last_mutation_id AS last FROM clients WHERE client_id = ?`,
      ),
      insertClient: db.prepare<[string, string]>(
        `INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES (?, ?, 0) ON CONFLICT(client_id) DO NOTHING`,
      ),
      setClientLast: db.prepare<[number, string]>(`UPDATE clients SET last_mutation_id = ? WHERE client_id = ?`),
      getResult: db.prepare<[string, number], { status: 'applied' | 'rejected'; reason: string | null; version: number | null }>(
        `SELECT status, reason, version FROM mutation_results WHERE client_id = ? AND mutation_id = ?`,
      ),
      putResult: db.prepare<[string, number, string, string | null, number | null]>(
        `INSERT INTO mutation_results (client_id, mutation_id, status, reason, version) VALUES (?, ?, ?, ?, ?)`,
      ),
      maxVersion: db.prepare<[], { v: number }>(`SELECT coalesce(max(version), 0) AS v FROM change_log`),
      getEpoch: db.prepare<[], { value: string }>(`SELECT value FROM server_meta WHERE key = 'epoch'`),
      setEpoch: db.prepare<[string]>(`INSERT INTO server_meta (key, value) VALUES ('epoch', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
      scanLog: db.prepare<Record<string, string | number>, ScanRow>(PULL_LOG_SQL),
    };
  }


  // ---- users and sessions ----

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    return toUser(this.st.userByName.get(username));
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return toUser(this.st.userById.get(id));
  }

  async insertUser(user: NewUser): Promise<UserRecord> {
    return this.insertUserRow(user);
  }

  private insertUserRow(user: NewUser): UserRecord {
    const row = { ...user, id: randomUUID(), createdAt: new Date().toISOString() };
    try {
      this.st.insertUser.run(row);
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new UserExistsError(fr.server.userExists(user.username));
      }
      throw err;
    }
    return { ...row, disabled: false };
  }

  async setUserDisabled(userId: string, disabled: boolean): Promise<boolean> {
    return this.db.transaction(() => {
      const found = this.st.setDisabled.run(disabled ? 1 : 0, userId).changes > 0;
      if (found && disabled) this.endUserSessions(userId);
      return found;
    })();
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.st.allUsers.all().map((r) => ({ ...r, disabled: r.disabled !== 0 }));
  }

  async insertUserAudited(user: NewUser, audit: AuditInput): Promise<UserRecord> {
    return this.db.transaction(() => {
      const created = this.insertUserRow(user);
      this.audit.append({ ...audit, subject: created.id }, new Date(created.createdAt));
      return created;
    })();
  }

  async setUserDisabledAudited(userId: string, disabled: boolean, audit: AuditInput): Promise<boolean> {
    return this.db.transaction(() => {
      const found = this.st.setDisabled.run(disabled ? 1 : 0, userId).changes > 0;
      if (!found) return false;
      // Its sessions, refresh families and live sockets end with it (the generation bump).
      if (disabled) this.endUserSessions(userId);
      this.audit.append(audit, new Date());
      return true;
    })();
  }

  async setUserDisplayName(userId: string, displayName: string, audit: AuditInput): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.st.setDisplayName.run(displayName, userId).changes === 0) return false;
      this.audit.append(audit, new Date());
      return true;
    })();
  }

  async recordAudit(input: AuditInput, at: Date): Promise<void> {
    this.audit.append(input, at);
  }

  async auditPage(query: AuditQuery): Promise<AuditPage> {
    return this.audit.page(query);
  }

  async verifyAudit(): Promise<ChainVerdict> {
    return verifyChain(this.audit.entries());
  }

  // ---- sessions ----

  async createSessionFamily(family: SessionFamily): Promise<void> {
    this.st.insertFamily.run(family.id, family.userId, family.clientId, family.createdAt, family.expiresAt);
  }

  async bindFamilyClient(familyId: string, clientId: string): Promise<string | null> {
    this.st.bindFamily.run(clientId, familyId);
    return this.st.familyById.get(familyId)?.clientId ?? null;
  }

  async createSession(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date, familyId: string): Promise<void> {
    this.st.insertSession.run(tokenHash, userId, createdAt.toISOString(), expiresAt.toISOString(), familyId);
  }

  async findSession(tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
    const at = now.toISOString();
    return this.st.findSession.get(tokenHash, at, at);
  }

  async insertRefreshToken(tokenHash: string, familyId: string, expiresAt: Date): Promise<void> {
    this.st.insertRefresh.run(tokenHash, familyId, expiresAt.toISOString());
  }

  async useRefreshToken(tokenHash: string, now: Date): Promise<RefreshUse> {
    return this.db.transaction((): RefreshUse => {
      const row = this.st.refreshByHash.get(tokenHash);
      const family = row ? this.st.familyById.get(row.familyId) : undefined;
      const at = now.toISOString();
      if (!row || !family || row.expiresAt <= at || family.expiresAt <= at) return { status: 'unknown' };
      if (row.used) return { status: 'reused', family };
      this.st.spendRefresh.run(tokenHash);
      return { status: 'fresh', family };
    }).immediate();
  }

  async revokeSessionFamily(familyId: string): Promise<boolean> {
    return this.db.transaction(() => {
      this.st.deleteFamilySessions.run(familyId);
      const found = this.st.deleteFamily.run(familyId).changes > 0;
      this.st.bumpGeneration.run();
      return found;
    })();
  }

  async revokeUserSessions(userId: string): Promise<number> {
    return this.db.transaction(() => this.endUserSessions(userId))();
  }

  /** Inside a transaction: the user's tokens and families go, the generation moves. */
  private endUserSessions(userId: string): number {
    this.st.deleteUserSessions.run(userId);
    const n = this.st.deleteUserFamilies.run(userId).changes;
    this.st.bumpGeneration.run();
    return n;
  }

  async sessionsGeneration(): Promise<number> {
    return Number(this.st.generation.get()?.value ?? 0);
  }

  async purgeExpiredSessions(now: Date): Promise<number> {
    const at = now.toISOString();
    return this.db.transaction(() => {
      const n = this.st.purgeSessions.run(at).changes;
      // Refresh tokens go with their family (ON DELETE CASCADE).
      this.st.purgeFamilies.run(at);
      this.st.purgeTickets.run(at);
      return n;
    })();
  }

  // ---- second factor ----

  async getSecondFactor(userId: string): Promise<SecondFactorRecord | undefined> {
    return this.st.factorOf.get(userId);
  }

  async startSecondFactorEnrolment(userId: string, secret: string): Promise<boolean> {
    return this.st.startFactor.run(userId, secret).changes > 0;
  }

  async confirmSecondFactor(userId: string, step: number, recoveryCodeHashes: readonly string[], at: Date): Promise<boolean> {
    return this.db.transaction(() => {
      if (this.st.confirmFactor.run(at.toISOString(), step, userId).changes === 0) return false;
      this.st.deleteRecovery.run(userId);
      for (const h of recoveryCodeHashes) this.st.insertRecovery.run(userId, h);
      return true;
    })();
  }

  async acceptTotpStep(userId: string, step: number): Promise<boolean> {
    return this.st.acceptStep.run(step, userId, step).changes > 0;
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    return this.st.useRecovery.run(at.toISOString(), userId, codeHash).changes > 0;
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    return this.st.recoveryLeft.get(userId)?.n ?? 0;
  }

  async resetSecondFactor(userId: string): Promise<boolean> {
    return this.db.transaction(() => {
      const found = this.st.deleteFactor.run(userId).changes > 0;
      this.st.deleteRecovery.run(userId);
      this.endUserSessions(userId);
      return found;
    })();
  }

  async createLoginTicket(ticketHash: string, userId: string, purpose: LoginTicketRecord['purpose'], expiresAt: Date): Promise<void> {
    this.st.insertTicket.run(ticketHash, userId, purpose, expiresAt.toISOString());
  }

  async findLoginTicket(ticketHash: string, now: Date): Promise<LoginTicketRecord | undefined> {
    return this.st.findTicket.get(ticketHash, now.toISOString());
  }

  async failLoginTicket(ticketHash: string): Promise<number> {
    return this.st.failTicket.get(ticketHash)?.failures ?? 0;
  }

  async deleteLoginTicket(ticketHash: string): Promise<void> {
    this.st.deleteTicket.run(ticketHash);
  }

  // ---- clients ----

  async claimClient(clientId: string, userId: string): Promise<ClientClaim> {
    this.st.insertClient.run(clientId, userId);
    const row = this.st.getClient.get(clientId);
    return row && row.userId === userId ? 'ok' : 'other_user';
  }

  async lastMutationId(clientId: string): Promise<number> {
    return this.st.getClient.get(clientId)?.last ?? 0;
  }

  async applyMutations(input: ApplyInput): Promise<ApplyOutcome> {
    if (input.rejectsBeforeWriting) {
      try {
        return this.applyBatchUnguarded(input);
      } catch (err) {
        // Rolled back whole: the same push again, each mutation in its savepoint.
        if (!(err instanceof NeedsSavepoints)) throw err;
      }
    }
    return this.applyBatch(input);
  }

  /**
   * The whole push inside BEGIN IMMEDIATE; each mutation inside its own SAVEPOINT, so each is
   * applied or rolled back whole, independently of its neighbours (`guarded`; unguarded, for
   * a push declared `rejectsBeforeWriting`, nothing to roll back is expected, and anything
   * that would need it throws `NeedsSavepoints` out of the transaction). Committing once per push
   * instead of once per mutation halves the cost of a 500-mutation push (WAL frames are
   * written once); the answer is sent only after the commit, so a crash before it loses
   * nothing the client believes applied: it re-pushes and the mutations apply then.
   */
  private batch(input: ApplyInput, guarded: boolean): ApplyOutcome {
    const { clientId, actor, now } = input;
    const results: MutationResult[] = [];
    const changes: ScopedChange[] = [];
    this.st.insertClient.run(clientId, actor.userId);
    const client = this.st.getClient.get(clientId);
    if (!client || client.userId !== actor.userId) return { results, changes, stop: { code: 'forbidden' } };
    const serverAt = now.toISOString();
    const latestAllowed = now.getTime() + MAX_FUTURE_SKEW_MS;
    let last = client.last;
    let stop: ApplyStop | null = null;
    const mutations = input.assignIds ? input.mutations.map((m, i) => ({ ...m, mutationId: client.last + 1 + i })) : input.mutations;
    const audited = new AuditedMutations();
    this.writer.begin(serverAt);
    for (const m of mutations) {
      if (m.mutationId <= last) {
        // A replay: answered from the ledger, nothing written, nothing to announce.
        const stored = this.st.getResult.get(clientId, m.mutationId);
        if (!stored) {
          stop = { code: 'internal', cause: new Error(`no stored result for ${clientId}#${m.mutationId}`) };
          break;
        }
        results.push(toResult(m.mutationId, stored));
        continue;
      }
      if (m.mutationId > last + 1) {
        stop = { code: 'gap', expected: last + 1, got: m.mutationId };
        break;
      }
      const ctx: MutationContext = { actor, at: m.at, territories: this.territories, via: input.via ?? VIA_SYNC };
      let result: MutationResult;
      try {
        result = guarded ? this.applyOne(clientId, m, ctx, latestAllowed) : this.stepUnguarded(clientId, m, ctx, latestAllowed);
      } catch (cause) {
        if (!guarded) throw cause instanceof NeedsSavepoints ? cause : new NeedsSavepoints(cause);
        // Its savepoint rolled back: nothing of this mutation is stored; the client retries.
        this.writer.discard();
        stop = { code: 'internal', cause };
        break;
      }
      last = m.mutationId;
      results.push(result);
      audited.push(m.name, result);
      for (const c of this.writer.written()) changes.push(c);
    }
    if (last !== client.last) this.st.setClientLast.run(last, clientId);
    // One audit entry for the mutations this push applied or rejected, committed with them.
    if (audited.length) this.audit.append(mutationsAudit(clientId, actor, input.via ?? VIA_SYNC, audited), now);
    return { results, changes, stop };
  }

  /** One mutation, inside its savepoint: run the mutator, record the result in the ledger. */
  private step(clientId: string, m: Mutation, ctx: MutationContext, latestAllowed: number): MutationResult {
    return this.record(clientId, m, latestAllowed, () => {
      try {
        this.runInSavepoint(m.name, m.args, ctx);
        return null;
      } catch (err) {
        if (!(err instanceof MutationRejected)) throw err;
        // The inner savepoint rolled back whatever the mutator wrote before refusing.
        this.writer.discard();
        return err.message;
      }
    });
  }

  /**
   * One mutation without a savepoint (`rejectsBeforeWriting`): a rejection that wrote
   * nothing is recorded as usual; one after a write cannot be undone alone, so the push
   * starts again with savepoints (`NeedsSavepoints` rolls its transaction back).
   */
  private stepUnguarded(clientId: string, m: Mutation, ctx: MutationContext, latestAllowed: number): MutationResult {
    return this.record(clientId, m, latestAllowed, () => {
      const before = this.totalChanges();
      try {
        runMutatorOf(this.mutators, this.source, m.name, m.args, ctx);
        return null;
      } catch (err) {
        if (!(err instanceof MutationRejected) || this.totalChanges() !== before || this.writer.written().length > 0) {
          throw new NeedsSavepoints(err);
        }
        return err.message;
      }
    });
  }

  /** Runs `apply` (null: applied; otherwise the rejection's reason) unless `m` is dated in the future; records the result in the ledger. */
  private record(clientId: string, m: Mutation, latestAllowed: number, apply: () => string | null): MutationResult {
    this.writer.startMutation();
    let result: MutationResult;
    if (!(Date.parse(m.at) <= latestAllowed)) {
      result = { mutationId: m.mutationId, status: 'rejected', reason: fr.server.futureAt(MAX_FUTURE_SKEW_MS / 60_000) };
    } else {
      const reason = apply();
      result =
        reason === null
          ? { mutationId: m.mutationId, status: 'applied', version: this.writer.lastVersion() }
          : { mutationId: m.mutationId, status: 'rejected', reason };
    }
    this.st.putResult.run(
      clientId,
      m.mutationId,
      result.status,
      result.status === 'rejected' ? result.reason : null,
      result.status === 'applied' ? result.version : null,
    );
    return result;
  }

  // ---- pull ----

  async pull(userPath: string, cursor: number, limit: number, privatePath?: string | null): Promise<PullPage> {
    // No private path: a value no scope path equals (every path starts with '/').
    return this.pullTx(userPath, cursor, limit, privatePath === undefined ? privatePathOf(userPath) : (privatePath ?? ''));
  }

  private scan(userPath: string, cursor: number, limit: number, privatePath: string): PullPage {
    const max = this.st.maxVersion.get()?.v ?? 0;
    // No pull of this log ever answered a cursor beyond its head: the client's cache comes
    // from a history this database does not have (restored from a backup). Echoing the
    // cursor back would make it skip every change up to there, silently.
    if (cursor > max) throw new CursorAheadError(cursor, max);
    if (cursor === max) return { changes: [], cursor, more: false };
    const upper = Math.min(max, cursor + this.scanWindow);
    const ancestors = ancestorsOrSelf(userPath);
    // The slots hold the strict ancestors; the path itself is in the [lo, hi) range.
    if (ancestors.length > ANCESTOR_SLOTS + 1) throw new Error(`territory path too deep: ${userPath}`);
    const params: Record<string, string | number> = { cursor, upper, limit, lo: userPath, hi: userPath + MAX_CHAR, p: privatePath };
    for (let i = 0; i < ANCESTOR_SLOTS; i++) params[`a${i}`] = ancestors[i] ?? userPath;
    let rows = this.st.scanLog.all(params);
    for (const latest of this.scanLatest) rows = mergeByVersion(rows, latest.all(params), limit);
    const changes = new Array<Change>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      changes[i] = { version: r.version, entity: r.entity, data: JSON.parse(r.payload) } as Change;
    }
    // Full page: every candidate up to its last row was met (each source is in version order
    // and was cut at `limit` at the earliest), so the cursor stops there. Otherwise the
    // whole window was examined. A version in the window that no source returned is a row
    // out of scope or a superseded latest-only row, whose key comes at its newer version.
    const reached = rows.length === limit ? rows[rows.length - 1].version : upper;
    return { changes, cursor: reached, more: reached < max };
  }

  async epoch(): Promise<string> {
    const row = this.st.getEpoch.get();
    if (!row) throw new Error('the server database has no epoch (server_meta)');
    return row.value;
  }

  async newEpoch(): Promise<string> {
    const epoch = randomUUID();
    this.st.setEpoch.run(epoch);
    return epoch;
  }

  async latestVersion(): Promise<number> {
    return this.st.maxVersion.get()?.v ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

/** The first `limit` rows of two version-ordered lists, in version order (versions are unique). */
function mergeByVersion(a: ScanRow[], b: ScanRow[], limit: number): ScanRow[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: ScanRow[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i].version < b[j].version)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

/** The mutations of one push as its audit entry lists them: what was done, never the arguments. */
export class AuditedMutations {
  readonly ids: number[] = [];
  readonly names: string[] = [];
  readonly results: string[] = [];
  readonly versions: Array<number | null> = [];
  get length(): number {
    return this.ids.length;
  }
  push(name: string, r: MutationResult): void {
    this.ids.push(r.mutationId);
    this.names.push(name);
    this.results.push(r.status);
    this.versions.push(r.status === 'applied' ? r.version : null);
  }
}

/**
 * One entry per push (the hot path: one insert and one hash whatever its size), listing each
 * mutation by id, name, result and version, in parallel arrays. Not a rejection's reason:
 * like the logs, the trail keeps no text that may quote the user's input.
 */
export function mutationsAudit(clientId: string, actor: ApplyInput['actor'], via: string, m: AuditedMutations): AuditInput {
  return {
    kind: 'mutation',
    actorId: actor.userId,
    actorName: actor.displayName,
    actorRole: actor.roleText,
    subject: clientId,
    detail: { clientId, via, mutationIds: m.ids, names: m.names, results: m.results, versions: m.versions },
  };
}

function toUser(row: UserRow | undefined): UserRecord | undefined {
  return row && { ...row, disabled: row.disabled !== 0 };
}

function toResult(
  mutationId: number,
  row: { status: 'applied' | 'rejected'; reason: string | null; version: number | null },
): MutationResult {
  return row.status === 'applied'
    ? { mutationId, status: 'applied', version: row.version ?? 0 }
    : { mutationId, status: 'rejected', reason: row.reason ?? '' };
}

/** Thrown out of an unguarded push's transaction (rolling it back) to run it again with savepoints. */
class NeedsSavepoints extends Error {
  constructor(readonly reason: unknown) {
    super('a mutation wrote before being rejected, or failed: the push runs again with savepoints');
  }
}

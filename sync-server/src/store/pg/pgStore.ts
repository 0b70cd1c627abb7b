/**
 * The PostgreSQL implementation of `ServerStore` (node-postgres, a pool): the same tables,
 * contract and guarantees as the embedded SQLite store (`../sqliteStore.ts`), for a service
 * run on several nodes. Opened synchronously like the SQLite store; the schema is migrated
 * before the first query runs (`ready`).
 *
 * Gap-free, in-order versions with writers on several nodes: every push takes the row lock
 * of `change_log_head` (`SELECT … FOR UPDATE`) first, numbers its rows from the head it read,
 * and moves the head in the same transaction. The lock is held until commit, so pushes on
 * every node run one after the other and commit in version order: when a reader sees version
 * n, every version below n has committed already. A pull reads the head and scans the log in
 * one REPEATABLE READ snapshot and never looks past that head. (A sequence would not do:
 * `nextval` is given at insert time, and a writer that takes 7 may commit after one that
 * took 8, so a pull could pass 7 before it becomes visible.)
 *
 * Mutators stay synchronous: see `txRuntime.ts` for how a mutation runs from a read cache
 * speculatively, its missed reads fetched with the writes before them, within the push's transaction.
 */
import { cachedScopePaths } from '../scopePaths';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { fr } from '../../../../common/i18n/fr';
import { MutationRejected, runMutatorOf, VIA_SYNC, type MutationContext, type MutatorMap } from '../../../../common/engine/mutation';
import { mergeDisjoint } from '../../../../common/engine/registry';
import type { Territories } from '../../../../common/territory';
import type { Change, Mutation, MutationResult, PullPage } from '../../../../common/protocol';
import type { LatestTable, ServerBoard } from '../../board';
import { ancestorsOrSelf, privatePathOf } from '../../scope';
import { AuditedMutations, mutationsAudit, PULL_SCAN_WINDOW } from '../sqliteStore';
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
  type LoginTicketRecord,
  type RefreshUse,
  type SecondFactorRecord,
  type ServerStore,
  type SessionFamily,
  type SessionRecord,
  type UserRecord,
} from '../types';
import type { AuditPage, AuditQuery } from '../../../../common/admin/api';
import type { ChainVerdict } from '../../audit/chain';
import type { AuditInput } from '../../audit/store';
import { appendAudit, AUDIT_INSERT_SQL, auditEntry, auditInsertParams, auditPage, lockAuditHead, verifyAuditChain } from './audit';
import type { PgBoardPart } from './board';
import { PgChangeWriter } from './changeWriter';
import { pgDb, pgTypes, type PgDb } from './db';
import { migratePg, PG_MIGRATIONS } from './migrations';
import { inlineParams, isUnstorable, PgTxRuntime, type BufferedWrite, type Queryable } from './txRuntime';

/** Highest code point: `path || MAX_CHAR` is an exclusive upper bound for every path below `path` (byte order, `COLLATE "C"`). */
const MAX_CHAR = '\u{10FFFF}';

const SCOPE_TEST = (col: string) => `(${col} = ANY($3::text[]) OR (${col} >= $4 AND ${col} < $5))`;

const PULL_LOG_SQL = `SELECT version, entity, payload FROM change_log
  WHERE latest_only = 0 AND version > $1 AND version <= $2 AND ${SCOPE_TEST('scope_path')}
  ORDER BY version LIMIT $6`;

function pullLatestSql({ table }: LatestTable): string {
  return `SELECT c.version AS version, l.entity AS entity, l.payload AS payload
  FROM ${table} c JOIN change_log l ON l.version = c.version
  WHERE c.version > $1 AND c.version <= $2 AND ${SCOPE_TEST('c.scope_path')}
  ORDER BY c.version LIMIT $6`;
}

type ScanRow = { version: number; entity: Change['entity']; payload: string };

interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  passwordHash: string;
  disabled: number;
  createdAt: string;
}

const USER_COLS = `id, username, display_name AS "displayName", role, password_hash AS "passwordHash",
  disabled, created_at AS "createdAt"`;

export interface PgStoreOptions {
  /** Versions a pull examines at most (default `PULL_SCAN_WINDOW`); tests shrink it. */
  pullScanWindow?: number;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/** True when `db` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

export class PgServerStore<B extends object = object> implements ServerStore<B> {
  readonly pool: pg.Pool;
  readonly db: PgDb;
  readonly boards: B;
  /** Resolves once the schema is migrated (rejects if it cannot be: refused, unreachable). */
  readonly ready: Promise<void>;
  readonly schemaVersion = PG_MIGRATIONS.length;
  private readonly mutators: MutatorMap;
  private readonly entities;
  private readonly parts: Array<{ name: string; part: PgBoardPart }> = [];
  private readonly latestSql: string[] = [];
  /** Territory key → scope path (cached). */
  private readonly scopeOf: (key: string) => string;
  private readonly scanWindow: number;
  private closed = false;

  constructor(
    url: string,
    private readonly territories: Territories,
    boardList: readonly ServerBoard[],
    pgParts: Readonly<Record<string, PgBoardPart>>,
    options: PgStoreOptions = {},
  ) {
    this.scopeOf = cachedScopePaths(territories);
    this.scanWindow = options.pullScanWindow ?? PULL_SCAN_WINDOW;
    this.pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, types: pgTypes });
    // An idle connection dropped by the server must not crash the process: the next query reconnects.
    this.pool.on('error', () => undefined);
    // A connection cut while checked out (a push holding it across round trips when the
    // database restarts) emits 'error' on its client, where the pool listens no more: with no
    // listener that is an uncaught exception, the process dies. The query in flight fails on
    // its own (the push is answered `internal` and retried) and the pool drops the client on
    // release (it is no longer queryable).
    this.pool.on('connect', (client) => client.on('error', () => undefined));
    this.ready = migratePg(this.pool).then(() => undefined);
    // Callers that never query still must not see an unhandled rejection; queries get it.
    this.ready.catch(() => undefined);
    this.db = pgDb(this.pool, this.ready);
    this.entities = boardList.flatMap((b) => [...b.board.entities]);
    this.mutators = mergeDisjoint('mutation', ...boardList.map((b) => b.board.mutators));
    const stores: Record<string, unknown> = {};
    for (const b of boardList) {
      const part = pgParts[b.board.name];
      if (!part) throw new Error(`board ${b.board.name} has no PostgreSQL part (sync-server/src/store/pg/boards.ts)`);
      this.parts.push({ name: b.board.name, part });
      stores[b.board.name] = part.store(this.db);
      for (const e of b.board.entities) {
        if (e.pull !== 'latest') continue;
        const table = b.latest?.[e.name];
        if (!table) throw new Error(`board ${b.board.name}: latest-only entity ${e.name} has no current table`);
        this.latestSql.push(pullLatestSql(table));
      }
    }
    this.boards = stores as B;
  }


  // ---- users ----

  async findUserByUsername(username: string): Promise<UserRecord | undefined> {
    return toUser((await this.db.query<UserRow>(`SELECT ${USER_COLS} FROM users WHERE lower(username) = lower($1)`, [username]))[0]);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    return toUser((await this.db.query<UserRow>(`SELECT ${USER_COLS} FROM users WHERE id = $1`, [id]))[0]);
  }

  async insertUser(user: NewUser): Promise<UserRecord> {
    const row = { ...user, id: randomUUID(), createdAt: new Date().toISOString() };
    try {
      await this.db.query(INSERT_USER_SQL, [row.id, row.username, row.displayName, row.role, row.passwordHash, row.createdAt]);
    } catch (err) {
      throw userExists(err, user);
    }
    return { ...row, disabled: false };
  }

  async setUserDisabled(userId: string, disabled: boolean): Promise<boolean> {
    return this.db.tx((q) => setDisabled(q, userId, disabled));
  }

  async listUsers(): Promise<UserRecord[]> {
    // Byte order, as SQLite's BINARY collation sorts them.
    const rows = await this.db.query<UserRow>(`SELECT ${USER_COLS} FROM users ORDER BY username COLLATE "C"`);
    return rows.map((r) => ({ ...r, disabled: r.disabled !== 0 }));
  }

  async insertUserAudited(user: NewUser, audit: AuditInput): Promise<UserRecord> {
    return this.db.tx(async (q) => {
      const created = await insertUserRow(q, user);
      await appendAudit(q, { ...audit, subject: created.id }, new Date(created.createdAt));
      return created;
    });
  }

  async setUserDisabledAudited(userId: string, disabled: boolean, audit: AuditInput): Promise<boolean> {
    return this.db.tx(async (q) => {
      if (!(await setDisabled(q, userId, disabled))) return false;
      await appendAudit(q, audit, new Date());
      return true;
    });
  }

  async setUserDisplayName(userId: string, displayName: string, audit: AuditInput): Promise<boolean> {
    return this.db.tx(async (q) => {
      if (((await q.query(`UPDATE users SET display_name = $1 WHERE id = $2`, [displayName, userId])).rowCount ?? 0) === 0) return false;
      await appendAudit(q, audit, new Date());
      return true;
    });
  }

  // ---- audit trail (`audit.ts`) ----

  async recordAudit(input: AuditInput, at: Date): Promise<void> {
    await this.db.tx((q) => appendAudit(q, input, at));
  }

  async auditPage(query: AuditQuery): Promise<AuditPage> {
    await this.ready;
    return auditPage(this.pool, query);
  }

  async verifyAudit(): Promise<ChainVerdict> {
    await this.ready;
    return verifyAuditChain(this.pool);
  }

  // ---- sessions ----

  async createSessionFamily(family: SessionFamily): Promise<void> {
    await this.db.query(`INSERT INTO session_families (id, user_id, client_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      family.id,
      family.userId,
      family.clientId,
      family.createdAt,
      family.expiresAt,
    ]);
  }

  async bindFamilyClient(familyId: string, clientId: string): Promise<string | null> {
    // One statement: binds when unbound; either way answers the client id the family holds
    // (a concurrent binder's, once its statement committed: the UPDATE waits on its row lock).
    const rows = await this.db.query<{ clientId: string | null }>(
      `WITH bound AS (UPDATE session_families SET client_id = $1 WHERE id = $2 AND client_id IS NULL RETURNING client_id)
       SELECT client_id AS "clientId" FROM bound
       UNION ALL SELECT client_id FROM session_families WHERE id = $2 AND NOT EXISTS (SELECT 1 FROM bound)`,
      [clientId, familyId],
    );
    return rows[0]?.clientId ?? null;
  }

  async createSession(tokenHash: string, userId: string, createdAt: Date, expiresAt: Date, familyId: string): Promise<void> {
    await this.db.query(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, family_id) VALUES ($1, $2, $3, $4, $5)`, [
      tokenHash,
      userId,
      createdAt.toISOString(),
      expiresAt.toISOString(),
      familyId,
    ]);
  }

  async findSession(tokenHash: string, now: Date): Promise<SessionRecord | undefined> {
    // ISO strings of `toISOString()` (UTC, fixed width) compare as text, as in SQLite.
    const rows = await this.db.query<SessionRecord>(
      `SELECT s.user_id AS "userId", s.expires_at AS "expiresAt", s.family_id AS "familyId", f.client_id AS "clientId"
       FROM sessions s JOIN session_families f ON f.id = s.family_id
       WHERE s.token_hash = $1 AND s.expires_at > $2 AND f.expires_at > $2`,
      [tokenHash, now.toISOString()],
    );
    return rows[0];
  }

  async insertRefreshToken(tokenHash: string, familyId: string, expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO refresh_tokens (token_hash, family_id, expires_at) VALUES ($1, $2, $3)`, [tokenHash, familyId, expiresAt.toISOString()]);
  }

  async useRefreshToken(tokenHash: string, now: Date): Promise<RefreshUse> {
    return this.db.tx(async (q): Promise<RefreshUse> => {
      // The token's row lock: of two concurrent callers, the second reads it after the first
      // committed (READ COMMITTED reads the locked row again), so it finds it used.
      const row = (
        await q.query<{ familyId: string; used: number; expiresAt: string }>(
          `SELECT family_id AS "familyId", used, expires_at AS "expiresAt" FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE`,
          [tokenHash],
        )
      ).rows[0];
      const family = row ? (await q.query<SessionFamily>(`SELECT ${FAMILY_COLS} FROM session_families WHERE id = $1`, [row.familyId])).rows[0] : undefined;
      const at = now.toISOString();
      if (!row || !family || row.expiresAt <= at || family.expiresAt <= at) return { status: 'unknown' };
      if (row.used) return { status: 'reused', family };
      await q.query(`UPDATE refresh_tokens SET used = 1 WHERE token_hash = $1 AND used = 0`, [tokenHash]);
      return { status: 'fresh', family };
    });
  }

  async revokeSessionFamily(familyId: string): Promise<boolean> {
    return this.db.tx(async (q) => {
      await q.query(`DELETE FROM sessions WHERE family_id = $1`, [familyId]);
      const found = ((await q.query(`DELETE FROM session_families WHERE id = $1`, [familyId])).rowCount ?? 0) > 0;
      await q.query(BUMP_GENERATION_SQL);
      return found;
    });
  }

  async revokeUserSessions(userId: string): Promise<number> {
    return this.db.tx((q) => endUserSessions(q, userId));
  }

  async sessionsGeneration(): Promise<number> {
    const rows = await this.db.query<{ value: string }>(`SELECT value FROM server_meta WHERE key = 'sessions_generation'`);
    return Number(rows[0]?.value ?? 0);
  }

  async purgeExpiredSessions(now: Date): Promise<number> {
    const at = now.toISOString();
    return this.db.tx(async (q) => {
      const n = (await q.query(`DELETE FROM sessions WHERE expires_at <= $1`, [at])).rowCount ?? 0;
      // Refresh tokens (and any access token left) go with their family (ON DELETE CASCADE).
      await q.query(`DELETE FROM session_families WHERE expires_at <= $1`, [at]);
      await q.query(`DELETE FROM login_tickets WHERE expires_at <= $1`, [at]);
      return n;
    });
  }

  // ---- second factor ----

  async getSecondFactor(userId: string): Promise<SecondFactorRecord | undefined> {
    const rows = await this.db.query<SecondFactorRecord>(
      `SELECT secret, confirmed_at AS "confirmedAt", last_step AS "lastStep" FROM user_second_factors WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  async startSecondFactorEnrolment(userId: string, secret: string): Promise<boolean> {
    const rows = await this.db.query<{ userId: string }>(
      `INSERT INTO user_second_factors (user_id, secret) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = 0 WHERE user_second_factors.confirmed_at IS NULL
       RETURNING user_id AS "userId"`,
      [userId, secret],
    );
    return rows.length > 0;
  }

  async confirmSecondFactor(userId: string, step: number, recoveryCodeHashes: readonly string[], at: Date): Promise<boolean> {
    return this.db.tx(async (q) => {
      const confirmed = await q.query(
        `UPDATE user_second_factors SET confirmed_at = $1, last_step = $2 WHERE user_id = $3 AND confirmed_at IS NULL`,
        [at.toISOString(), step, userId],
      );
      if ((confirmed.rowCount ?? 0) === 0) return false;
      await q.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
      if (recoveryCodeHashes.length > 0) {
        await q.query(`INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, h FROM unnest($2::text[]) AS h ON CONFLICT DO NOTHING`, [
          userId,
          [...recoveryCodeHashes],
        ]);
      }
      return true;
    });
  }

  async acceptTotpStep(userId: string, step: number): Promise<boolean> {
    // One statement: of two concurrent callers with the same step, the second re-checks the
    // condition on the row the first updated and changes nothing.
    const rows = await this.db.query<{ userId: string }>(
      `UPDATE user_second_factors SET last_step = $1 WHERE user_id = $2 AND last_step < $1 RETURNING user_id AS "userId"`,
      [step, userId],
    );
    return rows.length > 0;
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const rows = await this.db.query<{ userId: string }>(
      `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL RETURNING user_id AS "userId"`,
      [at.toISOString(), userId, codeHash],
    );
    return rows.length > 0;
  }

  async recoveryCodesLeft(userId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>(`SELECT count(*) AS n FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, [userId]);
    return rows[0]?.n ?? 0;
  }

  async resetSecondFactor(userId: string): Promise<boolean> {
    return this.db.tx(async (q) => {
      const found = ((await q.query(`DELETE FROM user_second_factors WHERE user_id = $1`, [userId])).rowCount ?? 0) > 0;
      await q.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
      await endUserSessions(q, userId);
      return found;
    });
  }

  async createLoginTicket(ticketHash: string, userId: string, purpose: LoginTicketRecord['purpose'], expiresAt: Date): Promise<void> {
    await this.db.query(`INSERT INTO login_tickets (ticket_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)`, [
      ticketHash,
      userId,
      purpose,
      expiresAt.toISOString(),
    ]);
  }

  async findLoginTicket(ticketHash: string, now: Date): Promise<LoginTicketRecord | undefined> {
    const rows = await this.db.query<LoginTicketRecord>(
      `SELECT user_id AS "userId", purpose, expires_at AS "expiresAt", failures FROM login_tickets WHERE ticket_hash = $1 AND expires_at > $2`,
      [ticketHash, now.toISOString()],
    );
    return rows[0];
  }

  async failLoginTicket(ticketHash: string): Promise<number> {
    const rows = await this.db.query<{ failures: number }>(`UPDATE login_tickets SET failures = failures + 1 WHERE ticket_hash = $1 RETURNING failures`, [
      ticketHash,
    ]);
    return rows[0]?.failures ?? 0;
  }

  async deleteLoginTicket(ticketHash: string): Promise<void> {
    await this.db.query(`DELETE FROM login_tickets WHERE ticket_hash = $1`, [ticketHash]);
  }

  // ---- clients and mutations ----

  async claimClient(clientId: string, userId: string): Promise<ClientClaim> {
    return this.db.tx(async (q) => claim(q, clientId, userId).then((c) => (c && c.userId === userId ? 'ok' : 'other_user')));
  }

  async lastMutationId(clientId: string): Promise<number> {
    const rows = await this.db.query<{ last: number }>(`SELECT last_mutation_id AS last FROM clients WHERE client_id = $1`, [clientId]);
    return rows[0]?.last ?? 0;
  }

  /**
   * The whole push in one transaction holding the change-log head's lock; each mutation in
   * its own savepoint, applied or rolled back whole (as in SQLite). The answer is sent after
   * the commit only.
   */
  async applyMutations(input: ApplyInput): Promise<ApplyOutcome> {
    const client = await this.db.connect();
    try {
      // `batch` begins and commits: it sends BEGIN and COMMIT with its first and last statements.
      return await this.batch(client, input);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async batch(q: pg.PoolClient, input: ApplyInput): Promise<ApplyOutcome> {
    const { clientId, actor, now } = input;
    const results: MutationResult[] = [];
    const changes: ScopedChange[] = [];
    const escape = (v: string) => q.escapeLiteral(v);
    // One round trip: the transaction, the lock that orders every writer of every node (see
    // the file's comment: every round trip under it counts), and the client's ledger row.
    const opened: unknown = await q.query(
      [
        'BEGIN',
        'SELECT version FROM change_log_head WHERE id = 1 FOR UPDATE',
        inlineParams(CLAIM_SQL, [clientId, actor.userId], escape),
        inlineParams(CLIENT_SQL, [clientId], escape),
      ].join(';\n'),
    );
    const [, headRes, , clientRes] = opened as Array<pg.QueryResult>;
    const head = (headRes.rows[0] as { version: number }).version;
    const client = clientRes.rows[0] as { userId: string; last: number } | undefined;
    if (!client || client.userId !== actor.userId) {
      await q.query('COMMIT');
      return { results, changes, stop: { code: 'forbidden' } };
    }
    const serverAt = now.toISOString();
    const latestAllowed = now.getTime() + MAX_FUTURE_SKEW_MS;
    let last = client.last;
    let stop: ApplyStop | null = null;
    const mutations = input.assignIds ? input.mutations.map((m, i) => ({ ...m, mutationId: client.last + 1 + i })) : input.mutations;
    const rt = new PgTxRuntime();
    const writer = new PgChangeWriter(rt, this.entities, (key) => this.scopeOf(key));
    const slices = new Map<string, object>();
    for (const { name, part } of this.parts) slices.set(name, part.slice(rt, writer));
    const source = (slice: string): object => {
      const tx = slices.get(slice);
      if (!tx) throw new Error(`no transaction slice ${slice} on the server`);
      return tx;
    };
    const audited = new AuditedMutations();
    writer.begin(head, serverAt);
    for (const m of mutations) {
      if (m.mutationId <= last) {
        const stored = (
          await q.query<{ status: 'applied' | 'rejected'; reason: string | null; version: number | null }>(
            `SELECT status, reason, version FROM mutation_results WHERE client_id = $1 AND mutation_id = $2`,
            [clientId, m.mutationId],
          )
        ).rows[0];
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
        result = await this.step(q, rt, writer, source, clientId, m, ctx, latestAllowed);
      } catch (cause) {
        // Whatever the mutation applied goes; the push commits what came before it.
        await rt.abandon(q);
        writer.discard();
        stop = { code: 'internal', cause };
        break;
      }
      last = m.mutationId;
      results.push(result);
      audited.push(m.name, result);
      for (const c of writer.written()) changes.push(c);
    }
    // One round trip: the ledger's last id, the head, the push's audit entry, the commit (not
    // reached if any fails). The entry chains to the audit head, locked by one more round trip
    // (taken last, after the change-log head: see `audit.ts`).
    const closing: string[] = [];
    if (audited.length) {
      const entry = auditEntry(await lockAuditHead(q), mutationsAudit(clientId, actor, input.via ?? VIA_SYNC, audited), now);
      closing.push(inlineParams(AUDIT_INSERT_SQL, auditInsertParams(entry), escape));
    }
    if (last !== client.last) closing.push(inlineParams(`UPDATE clients SET last_mutation_id = $1 WHERE client_id = $2`, [last, clientId], escape));
    if (writer.lastVersion() !== head) closing.push(inlineParams(`UPDATE change_log_head SET version = $1 WHERE id = 1`, [writer.lastVersion()], escape));
    await q.query([...closing, 'COMMIT'].join(';\n'));
    return { results, changes, stop };
  }

  /**
   * One mutation: run it from the read cache until a run meets no missing read (its reads
   * and the writes between them go in a round trip per run, usually one: `PgTxRuntime`),
   * then send its remaining writes and its ledger row in one round trip, inside its
   * savepoint, so a failure in any of them rolls the mutation back whole.
   */
  private async step(
    q: pg.PoolClient,
    rt: PgTxRuntime,
    writer: PgChangeWriter,
    source: (slice: string) => object,
    clientId: string,
    m: Mutation,
    ctx: MutationContext,
    latestAllowed: number,
  ): Promise<MutationResult> {
    writer.startMutation();
    rt.startMutation();
    let result: MutationResult;
    if (!(Date.parse(m.at) <= latestAllowed)) {
      result = { mutationId: m.mutationId, status: 'rejected', reason: fr.server.futureAt(MAX_FUTURE_SKEW_MS / 60_000) };
    } else {
      try {
        const { thrown } = await rt.settle(q, () => {
          writer.startRun();
          runMutatorOf(this.mutators, source, m.name, m.args, ctx);
        });
        if (thrown === undefined) result = { mutationId: m.mutationId, status: 'applied', version: writer.lastVersion() };
        else if (thrown instanceof MutationRejected) {
          writer.discard();
          result = { mutationId: m.mutationId, status: 'rejected', reason: thrown.message };
        } else throw thrown;
      } catch (err) {
        if (!isUnstorable(err)) throw err;
        await rt.abandon(q);
        writer.discard();
        result = { mutationId: m.mutationId, status: 'rejected', reason: fr.server.valueNotStorable };
      }
    }
    const ledger: BufferedWrite = {
      sql: `INSERT INTO mutation_results (client_id, mutation_id, status, reason, version) VALUES ($1, $2, $3, $4, $5)`,
      params: [
        clientId,
        m.mutationId,
        result.status,
        result.status === 'rejected' ? result.reason : null,
        result.status === 'applied' ? result.version : null,
      ],
    };
    try {
      await rt.finish(q, result.status === 'applied', [ledger]);
    } catch (err) {
      // Its writes held a value this store refuses (`finish` rolled them back): refused, once.
      if (result.status !== 'applied' || !isUnstorable(err)) throw err;
      writer.discard();
      const reason = fr.server.valueNotStorable;
      await rt.finish(q, false, [{ ...ledger, params: [clientId, m.mutationId, 'rejected', reason, null] }]);
      return { mutationId: m.mutationId, status: 'rejected', reason };
    }
    return result;
  }

  // ---- pull ----

  async pull(userPath: string, cursor: number, limit: number, privatePath?: string | null): Promise<PullPage> {
    const priv = privatePath === undefined ? privatePathOf(userPath) : (privatePath ?? '');
    const client = await this.db.connect();
    try {
      // One snapshot for the head and every scan: nothing committed after the head is read.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const page = await this.scan(client, userPath, cursor, limit, priv);
      await client.query('COMMIT');
      return page;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private async scan(q: Queryable, userPath: string, cursor: number, limit: number, privatePath: string): Promise<PullPage> {
    const max = await headOf(q);
    if (cursor > max) throw new CursorAheadError(cursor, max);
    if (cursor === max) return { changes: [], cursor, more: false };
    const upper = Math.min(max, cursor + this.scanWindow);
    const ancestors = ancestorsOrSelf(userPath).filter((p) => p !== userPath);
    const params = [cursor, upper, [...ancestors, privatePath], userPath, userPath + MAX_CHAR, limit];
    let rows = (await q.query<ScanRow>(PULL_LOG_SQL, params)).rows;
    for (const sql of this.latestSql) rows = mergeByVersion(rows, (await q.query<ScanRow>(sql, params)).rows, limit);
    const changes = rows.map((r) => ({ version: r.version, entity: r.entity, data: JSON.parse(r.payload) }) as Change);
    const reached = rows.length === limit ? rows[rows.length - 1].version : upper;
    return { changes, cursor: reached, more: reached < max };
  }

  async epoch(): Promise<string> {
    const rows = await this.db.query<{ value: string }>(`SELECT value FROM server_meta WHERE key = 'epoch'`);
    if (!rows[0]) throw new Error('the server database has no epoch (server_meta)');
    return rows[0].value;
  }

  async newEpoch(): Promise<string> {
    const epoch = randomUUID();
    await this.db.query(`INSERT INTO server_meta (key, value) VALUES ('epoch', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [epoch]);
    return epoch;
  }

  async latestVersion(): Promise<number> {
    await this.ready;
    return headOf(this.pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}

async function headOf(q: Queryable): Promise<number> {
  return (await q.query<{ version: number }>(`SELECT version FROM change_log_head WHERE id = 1`)).rows[0]?.version ?? 0;
}

const CLAIM_SQL = `INSERT INTO clients (client_id, user_id, last_mutation_id) VALUES ($1, $2, 0) ON CONFLICT (client_id) DO NOTHING`;
const CLIENT_SQL = `SELECT user_id AS "userId", last_mutation_id AS last FROM clients WHERE client_id = $1`;

/** Registers `clientId` to `userId` on first sight; the row as it stands. */
async function claim(q: Queryable, clientId: string, userId: string): Promise<{ userId: string; last: number } | undefined> {
  await q.query(CLAIM_SQL, [clientId, userId]);
  return (await q.query<{ userId: string; last: number }>(CLIENT_SQL, [clientId])).rows[0];
}

const FAMILY_COLS = `id, user_id AS "userId", client_id AS "clientId", created_at AS "createdAt", expires_at AS "expiresAt"`;

const BUMP_GENERATION_SQL = `UPDATE server_meta SET value = (value::bigint + 1)::text WHERE key = 'sessions_generation'`;

/** Inserts an account (inside the caller's transaction); a taken username is `UserExistsError`. */
async function insertUserRow(q: Queryable, user: NewUser): Promise<UserRecord> {
  const row = { ...user, id: randomUUID(), createdAt: new Date().toISOString() };
  // A savepoint so that the refusal leaves the caller's transaction usable (and nothing written).
  await q.query('SAVEPOINT vigie_user');
  try {
    await q.query(INSERT_USER_SQL, [row.id, row.username, row.displayName, row.role, row.passwordHash, row.createdAt]);
  } catch (err) {
    await q.query('ROLLBACK TO SAVEPOINT vigie_user');
    throw userExists(err, user);
  }
  await q.query('RELEASE SAVEPOINT vigie_user');
  return { ...row, disabled: false };
}

const INSERT_USER_SQL = `INSERT INTO users (id, username, display_name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6)`;

/** A unique violation on insert (the username, case-insensitively) as `UserExistsError`; any other error as it is. */
function userExists(err: unknown, user: NewUser): unknown {
  return err instanceof pg.DatabaseError && err.code === '23505' ? new UserExistsError(fr.server.userExists(user.username)) : err;
}

/** Disables or enables an account (inside the caller's transaction); disabling ends its sessions. */
async function setDisabled(q: Queryable, userId: string, disabled: boolean): Promise<boolean> {
  const found = ((await q.query(`UPDATE users SET disabled = $1 WHERE id = $2`, [disabled ? 1 : 0, userId])).rowCount ?? 0) > 0;
  // Its sessions, refresh families and live sockets end with it (the generation bump).
  if (found && disabled) await endUserSessions(q, userId);
  return found;
}

/** Inside a transaction: the user's tokens and families go, the generation moves; the families ended. */
async function endUserSessions(q: Queryable, userId: string): Promise<number> {
  await q.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
  const n = (await q.query(`DELETE FROM session_families WHERE user_id = $1`, [userId])).rowCount ?? 0;
  await q.query(BUMP_GENERATION_SQL);
  return n;
}

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

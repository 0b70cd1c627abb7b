/**
 * The local cache of one user on one server: the server's rows this user may see, the
 * pending local effects on top of them (overlay), and the outbox of mutations to push.
 * Runs in Node and in Electron's main process; all SQL of the client lives in this folder.
 *
 * Invariants:
 * - Server tables are written only from pulls and pokes, and a row is replaced only by a
 *   newer version of itself.
 * - An outbox row and the overlay rows of its mutation are written in one transaction, so a
 *   crash leaves both or neither.
 * - Visible state = server rows with the overlay on top; the overlay of a mutation goes away
 *   once the server answered (rejected), or answered applied and its row arrived (or the
 *   cursor passed its version).
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { DEFAULT_FRESHNESS, type FreshnessSettings, type UnitReport } from '../../common/domain/beds';
import type { Ack, CrisisEvent, Message } from '../../common/domain/eventLog';
import { MutationRejected, type Actor, type DomainTx } from '../../common/domain/mutation';
import { runMutator } from '../../common/domain/mutators';
import { FreshnessSettingsSchema, type AckSummary, type EventView, type MessageChanges, type MessageFilter, type MessageView, type RejectedMutation } from '../../common/api';
import type { Change, Mutation, MutationResult } from '../../common/protocol';
import type { Territories } from '../../common/territory';
import { openDatabase, type Db, type OpenOptions } from './db';
import {
  ACK_COLS,
  EVENT_COLS,
  MESSAGE_COLS,
  UNIT_COLS,
  UNIT_VALUES,
  ackToRow,
  eventToRow,
  messageToRow,
  normaliseSearch,
  searchText,
  rowToAck,
  rowToEvent,
  rowToMessage,
  rowToUnit,
  unitToRow,
  type AckRow,
  type EventRow,
  type MessageRow,
  type UnitRow,
} from './rows';

export type MutateResult = { ok: true; mutationId: number } | { ok: false; reason: string };

export type ChangedEntity = 'event' | 'message' | 'ack' | 'unit';

/** The answer to a batch of local mutations run as one transaction (all or nothing). */
export type MutateAllResult = { ok: true; mutationIds: number[] } | { ok: false; index: number; reason: string };

/** A unit's visible current report: the server's, or a pending local one on top. */
export type VisibleUnit = UnitReport & { pending: boolean };

export interface ApplyResult {
  entities: ChangedEntity[];
  /** Messages that were not in the cache before this call (server rows). */
  newMessages: Message[];
}

/** Who is looking at a view: decides `ackedByMe` and `canAck`. */
export type Viewer = Pick<Actor, 'userId' | 'roleText' | 'territory' | 'territoryPath'>;

export interface OutboxEntry {
  mutationId: number;
  name: string;
  args: unknown;
  at: string;
  status: 'pending' | 'applied' | 'rejected';
  reason: string | null;
  appliedVersion: number | null;
}

/** Statements take positional values or one object of named values. */
type Stmt = Database.Statement<unknown[], unknown>;

const META_CLIENT_ID = 'client_id';
const META_CURSOR = 'cursor';
const META_NEXT_MUTATION = 'next_mutation_id';
const META_LAST_SYNC = 'last_sync_at';
const META_BED_SETTINGS = 'bed_settings';

/** A row of UNIT_COLS followed by `pending`, as the driver returns it in raw mode. */
type UnitTuple = [
  string, string, string, number, number, number, number | null, number | null, number | null, number | null,
  string, string, string, string, string, number, number,
];

function tupleToUnit(r: UnitTuple): VisibleUnit {
  return {
    id: r[0],
    finess: r[1],
    unitType: r[2],
    installed: r[3],
    staffed: r[4],
    available: r[5],
    covidPos: r[6],
    covidNeg: r[7],
    extra24h: r[8],
    extra72h: r[9],
    comment: r[10],
    source: r[11] === 'import' || r[11] === 'feed' ? r[11] : 'app',
    reportedBy: r[12],
    reportedRole: r[13],
    at: r[14],
    version: r[15],
    pending: r[16] === 1,
  };
}

/** Beyond this many changed units, one listing of the picture is cheaper than a lookup per unit. */
const FULL_LISTING_ABOVE = 4_000;

/** Units changed since a counter value (see `LocalStore.unitChangesSince`). */
export interface UnitChanges {
  full: boolean;
  units: VisibleUnit[];
  removed: Array<{ finess: string; unitType: string }>;
  cursor: number;
}

/** Thrown inside a transaction to roll it back on purpose (dry runs). */
class RollBack extends Error {}

export class LocalStore {
  private readonly stmtCache = new Map<string, Stmt>();
  private readonly labelCache = new Map<string, string>();
  private readonly expectedCache = new Map<string, Set<string>>();
  private readonly pathCache = new Map<string, string>();
  private closed = false;

  constructor(
    readonly db: Db,
    private readonly territories: Territories,
  ) {
    if (this.getMeta(META_CLIENT_ID) === null) {
      // 16 random bytes, url-safe: matches the protocol's client id rule and is unique per
      // (workstation, user, server) since this database is.
      this.setMeta(META_CLIENT_ID, randomBytes(16).toString('base64url'));
    }
  }

  static open(file: string, territories: Territories, opts: OpenOptions = {}): LocalStore {
    return new LocalStore(openDatabase(file, opts), territories);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stmtCache.clear();
    this.db.close();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  // ---------------------------------------------------------------- meta

  private stmt(sql: string): Stmt {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  private getMeta(key: string): string | null {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  private setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  clientId(): string {
    return this.getMeta(META_CLIENT_ID) ?? '';
  }

  cursor(): number {
    return Number(this.getMeta(META_CURSOR) ?? 0);
  }

  lastSyncAt(): string | null {
    return this.getMeta(META_LAST_SYNC);
  }

  markSynced(at: string): void {
    this.setMeta(META_LAST_SYNC, at);
  }

  private pathOf(territory: string): string {
    let p = this.pathCache.get(territory);
    if (p === undefined) {
      // An unknown key still gets a path of its own, so it never matches another branch.
      p = this.territories.path(territory) ?? `/?/${territory}/`;
      this.pathCache.set(territory, p);
    }
    return p;
  }

  private labelOf(territory: string): string {
    let l = this.labelCache.get(territory);
    if (l === undefined) {
      l = this.territories.label(territory);
      this.labelCache.set(territory, l);
    }
    return l;
  }

  private expectedOf(territory: string): Set<string> {
    let s = this.expectedCache.get(territory);
    if (!s) {
      s = new Set(this.territories.expectedAcknowledgers(territory));
      this.expectedCache.set(territory, s);
    }
    return s;
  }

  // ---------------------------------------------------------------- local writes

  /**
   * Runs a shared mutator against the cache and queues it, in ONE transaction: the next
   * mutation id, the overlay rows and the outbox row commit together or not at all. A local
   * rejection rolls everything back and queues nothing.
   */
  mutate(name: string, args: unknown, actor: Actor, at: string = new Date().toISOString()): MutateResult {
    const run = this.db.transaction((): number => {
      const mutationId = Number(this.getMeta(META_NEXT_MUTATION) ?? 1);
      this.setMeta(META_NEXT_MUTATION, String(mutationId + 1));
      runMutator(this.domainTx(mutationId), name, args, { actor, at, territories: this.territories });
      this.stmt('INSERT INTO outbox (mutation_id, name, args, at) VALUES (?, ?, ?, ?)').run(mutationId, name, JSON.stringify(args), at);
      return mutationId;
    });
    try {
      return { ok: true, mutationId: run.immediate() };
    } catch (err) {
      if (err instanceof MutationRejected) return { ok: false, reason: err.message };
      throw err;
    }
  }

  /**
   * Runs several mutations as ONE local transaction (a ROR extract import): every one is
   * queued, or none is. The first local rejection rolls everything back and says which.
   */
  mutateAll(items: ReadonlyArray<{ name: string; args: unknown }>, actor: Actor, at: string = new Date().toISOString()): MutateAllResult {
    // Which item broke the batch: set inside the transaction, read after its rollback.
    const failure: { at: { index: number; reason: string } | null } = { at: null };
    const run = this.db.transaction((): number[] => {
      const ids: number[] = [];
      for (let index = 0; index < items.length; index++) {
        const mutationId = Number(this.getMeta(META_NEXT_MUTATION) ?? 1);
        this.setMeta(META_NEXT_MUTATION, String(mutationId + 1));
        try {
          runMutator(this.domainTx(mutationId), items[index].name, items[index].args, { actor, at, territories: this.territories });
        } catch (err) {
          if (err instanceof MutationRejected) failure.at = { index, reason: err.message };
          throw err;
        }
        this.stmt('INSERT INTO outbox (mutation_id, name, args, at) VALUES (?, ?, ?, ?)').run(
          mutationId,
          items[index].name,
          JSON.stringify(items[index].args),
          at,
        );
        ids.push(mutationId);
      }
      return ids;
    });
    try {
      return { ok: true, mutationIds: run.immediate() };
    } catch (err) {
      if (err instanceof MutationRejected && failure.at) return { ok: false, ...failure.at };
      throw err;
    }
  }

  /**
   * Runs each mutation against the cache as if alone and rolls it back: the French reason it
   * would be refused for, or null. Nothing is written (an import preview uses it so the
   * preview applies exactly the rules the commit will).
   */
  dryRun(items: ReadonlyArray<{ name: string; args: unknown }>, actor: Actor, at: string = new Date().toISOString()): Array<string | null> {
    const reasons: Array<string | null> = [];
    const run = this.db.transaction(() => {
      const mutationId = Number(this.getMeta(META_NEXT_MUTATION) ?? 1);
      for (const item of items) {
        try {
          this.db.transaction(() => {
            runMutator(this.domainTx(mutationId), item.name, item.args, { actor, at, territories: this.territories });
            throw new RollBack();
          })();
        } catch (err) {
          if (err instanceof RollBack) reasons.push(null);
          else if (err instanceof MutationRejected) reasons.push(err.message);
          else throw err;
        }
      }
      throw new RollBack();
    });
    try {
      run.deferred();
    } catch (err) {
      if (!(err instanceof RollBack)) throw err;
    }
    return reasons;
  }

  /** Reads see server rows with pending rows on top; writes go to the overlay of `mutationId`. */
  private domainTx(mutationId: number): DomainTx {
    return {
      getEvent: (id) => this.visibleEvent(id),
      getMessage: (id) => this.visibleMessage(id),
      isReplaced: (messageId) =>
        this.stmt(
          'SELECT 1 FROM messages WHERE replaces = @id UNION ALL SELECT 1 FROM ov_messages WHERE replaces = @id LIMIT 1',
        ).get({ id: messageId }) !== undefined,
      getAck: (messageId, territory) => {
        const row = (this.stmt(`SELECT ${ACK_COLS} FROM acks WHERE message_id = ? AND territory = ?`).get(messageId, territory) ??
          this.stmt(`SELECT ${ACK_COLS} FROM ov_acks WHERE message_id = ? AND territory = ?`).get(messageId, territory)) as
          | AckRow
          | undefined;
        return row ? rowToAck(row) : undefined;
      },
      putEvent: (event) => {
        this.stmt(
          `INSERT INTO ov_events (mutation_id, ${EVENT_COLS}) VALUES (@mutation_id, @id, @title, @description, @territory, @status, @opened_at, @opened_by, @closed_at, @closed_by, @version)`,
        ).run({ mutation_id: mutationId, ...eventToRow(event) });
      },
      insertMessage: (message) => {
        this.stmt(
          `INSERT INTO ov_messages (mutation_id, ${MESSAGE_COLS}) VALUES (@mutation_id, @id, @event_id, @level, @territory, @territory_path, @kind, @priority, @body, @author_id, @author_name, @author_role, @at, @replaces, @corrects, @search, @version)`,
        ).run({ mutation_id: mutationId, ...messageToRow(message, this.pathOf(message.territory)) });
      },
      putAck: (ack) => {
        this.stmt(
          `INSERT INTO ov_acks (mutation_id, ${ACK_COLS}) VALUES (@mutation_id, @message_id, @territory, @user_id, @user_name, @at, @version)`,
        ).run({ mutation_id: mutationId, ...ackToRow(ack) });
      },
      getCurrentReport: (finess, unitType) => this.visibleUnit(finess, unitType),
      getReport: (id) => {
        const row = (this.stmt(`SELECT ${UNIT_COLS} FROM ov_units WHERE id = ?`).get(id) ??
          this.stmt(`SELECT ${UNIT_COLS} FROM units WHERE id = ?`).get(id) ??
          this.stmt(`SELECT ${UNIT_COLS} FROM unit_history WHERE id = ?`).get(id)) as UnitRow | undefined;
        return row ? rowToUnit(row) : undefined;
      },
      insertReport: (report) => {
        this.stmt(`INSERT INTO ov_units (mutation_id, ${UNIT_COLS}) VALUES (@mutation_id, ${UNIT_VALUES})`).run({
          mutation_id: mutationId,
          ...unitToRow(report),
        });
      },
    };
  }

  /** The newest pending report of the unit, else the server's current one. */
  private visibleUnit(finess: string, unitType: string): UnitReport | undefined {
    const row = (this.stmt(`SELECT ${UNIT_COLS} FROM ov_units WHERE finess = ? AND unit_type = ? ORDER BY mutation_id DESC LIMIT 1`).get(
      finess,
      unitType,
    ) ?? this.stmt(`SELECT ${UNIT_COLS} FROM units WHERE finess = ? AND unit_type = ?`).get(finess, unitType)) as UnitRow | undefined;
    return row ? rowToUnit(row) : undefined;
  }

  private visibleEvent(id: string): CrisisEvent | undefined {
    const row = (this.stmt(`SELECT ${EVENT_COLS} FROM ov_events WHERE id = ? ORDER BY mutation_id DESC LIMIT 1`).get(id) ??
      this.stmt(`SELECT ${EVENT_COLS} FROM events WHERE id = ?`).get(id)) as EventRow | undefined;
    return row ? rowToEvent(row) : undefined;
  }

  private visibleMessage(id: string): Message | undefined {
    const row = (this.stmt(`SELECT ${MESSAGE_COLS} FROM messages WHERE id = ?`).get(id) ??
      this.stmt(`SELECT ${MESSAGE_COLS} FROM ov_messages WHERE id = ?`).get(id)) as MessageRow | undefined;
    return row ? rowToMessage(row) : undefined;
  }

  // ---------------------------------------------------------------- outbox

  /**
   * The oldest pending mutations, in order, at most `limit` of them and about `maxBytes` of
   * JSON (always at least one), ready for `sync:push`.
   */
  pendingBatch(limit: number, maxBytes = Number.POSITIVE_INFINITY): Mutation[] {
    const rows = this.stmt("SELECT mutation_id, name, args, at FROM outbox WHERE status = 'pending' ORDER BY mutation_id LIMIT ?").all(
      limit,
    ) as Array<{ mutation_id: number; name: string; args: string; at: string }>;
    const clientId = this.clientId();
    const out: Mutation[] = [];
    let bytes = 0;
    for (const r of rows) {
      bytes += r.args.length * 3 + r.name.length + 120; // upper bound of the UTF-8 size
      if (out.length > 0 && bytes > maxBytes) break;
      out.push({ clientId, mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args) as unknown, at: r.at });
    }
    return out;
  }

  outbox(): OutboxEntry[] {
    const rows = this.stmt('SELECT mutation_id, name, args, at, status, reason, applied_version FROM outbox ORDER BY mutation_id').all() as Array<{
      mutation_id: number;
      name: string;
      args: string;
      at: string;
      status: OutboxEntry['status'];
      reason: string | null;
      applied_version: number | null;
    }>;
    return rows.map((r) => ({
      mutationId: r.mutation_id,
      name: r.name,
      args: JSON.parse(r.args) as unknown,
      at: r.at,
      status: r.status,
      reason: r.reason,
      appliedVersion: r.applied_version,
    }));
  }

  /**
   * Records the server's answers to a push in one transaction. A rejection drops the
   * mutation's overlay rows and keeps the outbox row with its reason; the newly rejected
   * mutations are returned so the caller can tell the user.
   */
  recordResults(results: readonly MutationResult[]): RejectedMutation[] {
    const rejected: RejectedMutation[] = [];
    this.db.transaction(() => {
      const applied = this.stmt("UPDATE outbox SET status = 'applied', applied_version = ? WHERE mutation_id = ? AND status = 'pending'");
      const reject = this.stmt("UPDATE outbox SET status = 'rejected', reason = ? WHERE mutation_id = ? AND status = 'pending'");
      const cursor = this.cursor();
      for (const r of results) {
        if (r.status === 'applied') {
          if (applied.run(r.version, r.mutationId).changes === 1) this.settleMutation(r.mutationId, r.version, cursor);
        } else if (reject.run(r.reason, r.mutationId).changes === 1) {
          this.dropOverlay(r.mutationId);
          const row = this.stmt('SELECT name, args, at FROM outbox WHERE mutation_id = ?').get(r.mutationId) as
            | { name: string; args: string; at: string }
            | undefined;
          if (row) rejected.push({ mutationId: r.mutationId, name: row.name, args: JSON.parse(row.args) as unknown, at: row.at, reason: r.reason });
        }
      }
    }).immediate();
    return rejected;
  }

  private dropOverlay(mutationId: number): void {
    this.stmt('DELETE FROM ov_events WHERE mutation_id = ?').run(mutationId);
    this.stmt('DELETE FROM ov_messages WHERE mutation_id = ?').run(mutationId);
    this.stmt('DELETE FROM ov_acks WHERE mutation_id = ?').run(mutationId);
    this.stmt('DELETE FROM ov_units WHERE mutation_id = ?').run(mutationId);
  }

  /**
   * Settling the overlay is targeted, never a sweep of the whole overlay: with 10,000
   * pending mutations a sweep per push batch or poke would cost more than the sync itself.
   *
   * Just answered `applied`: drop what of that mutation the server rows already show (or
   * everything, when the cursor has already passed its version).
   */
  private settleMutation(mutationId: number, version: number, cursor: number): void {
    if (version <= cursor) {
      this.dropOverlay(mutationId);
      return;
    }
    this.stmt('DELETE FROM ov_messages WHERE mutation_id = @m AND EXISTS (SELECT 1 FROM messages s WHERE s.id = ov_messages.id)').run({
      m: mutationId,
    });
    this.stmt(
      'DELETE FROM ov_acks WHERE mutation_id = @m AND EXISTS (SELECT 1 FROM acks s WHERE s.message_id = ov_acks.message_id AND s.territory = ov_acks.territory)',
    ).run({ m: mutationId });
    this.stmt('DELETE FROM ov_events WHERE mutation_id = @m AND EXISTS (SELECT 1 FROM events s WHERE s.id = ov_events.id AND s.version >= @v)').run({
      m: mutationId,
      v: version,
    });
    // A unit's server row at or after this version already shows this report or a later one.
    this.stmt(
      'DELETE FROM ov_units WHERE mutation_id = @m AND EXISTS (SELECT 1 FROM units s WHERE s.finess = ov_units.finess AND s.unit_type = ov_units.unit_type AND s.version >= @v)',
    ).run({ m: mutationId, v: version });
  }

  /** A server row just arrived: drop the overlay rows it confirms (their mutation was applied at or before it). */
  private settleRow(change: Change): void {
    const applied = "EXISTS (SELECT 1 FROM outbox o WHERE o.mutation_id = t.mutation_id AND o.status = 'applied' AND o.applied_version <= @v)";
    switch (change.entity) {
      case 'message':
        this.stmt(`DELETE FROM ov_messages AS t WHERE t.id = @id AND ${applied}`).run({ id: change.data.id, v: change.version });
        break;
      case 'ack':
        this.stmt(`DELETE FROM ov_acks AS t WHERE t.message_id = @id AND t.territory = @territory AND ${applied}`).run({
          id: change.data.messageId,
          territory: change.data.territory,
          v: change.version,
        });
        break;
      case 'event':
        this.stmt(`DELETE FROM ov_events AS t WHERE t.id = @id AND ${applied}`).run({ id: change.data.id, v: change.version });
        break;
      case 'unit':
        // Latest-report-wins: a server report ordered after our applied one replaces it too.
        this.stmt(`DELETE FROM ov_units AS t WHERE t.finess = @finess AND t.unit_type = @unitType AND ${applied}`).run({
          finess: change.data.finess,
          unitType: change.data.unitType,
          v: change.version,
        });
        break;
    }
  }

  /**
   * The cursor moved: every applied mutation at or below it is fully reflected in the
   * server tables (or invisible to this user), so its overlay and outbox row can go.
   */
  private settleCursor(cursor: number): void {
    const done = "SELECT mutation_id FROM outbox WHERE status = 'applied' AND applied_version <= @cursor";
    this.stmt(`DELETE FROM ov_messages WHERE mutation_id IN (${done})`).run({ cursor });
    this.stmt(`DELETE FROM ov_acks WHERE mutation_id IN (${done})`).run({ cursor });
    this.stmt(`DELETE FROM ov_events WHERE mutation_id IN (${done})`).run({ cursor });
    this.stmt(`DELETE FROM ov_units WHERE mutation_id IN (${done})`).run({ cursor });
    this.stmt("DELETE FROM outbox WHERE status = 'applied' AND applied_version <= @cursor").run({ cursor });
  }

  private hasOverlay(): boolean {
    const row = this.stmt(
      'SELECT EXISTS (SELECT 1 FROM ov_messages) OR EXISTS (SELECT 1 FROM ov_acks) OR EXISTS (SELECT 1 FROM ov_events) OR EXISTS (SELECT 1 FROM ov_units) AS present',
    ).get() as { present: number };
    return row.present === 1;
  }

  counts(): { pending: number; rejected: number } {
    const rows = this.stmt("SELECT status, count(*) AS n FROM outbox WHERE status IN ('pending','rejected') GROUP BY status").all() as Array<{
      status: string;
      n: number;
    }>;
    const by = new Map(rows.map((r) => [r.status, r.n]));
    return { pending: by.get('pending') ?? 0, rejected: by.get('rejected') ?? 0 };
  }

  rejectedList(): RejectedMutation[] {
    const rows = this.stmt("SELECT mutation_id, name, args, at, reason FROM outbox WHERE status = 'rejected' ORDER BY mutation_id").all() as Array<{
      mutation_id: number;
      name: string;
      args: string;
      at: string;
      reason: string | null;
    }>;
    return rows.map((r) => ({ mutationId: r.mutation_id, name: r.name, args: JSON.parse(r.args) as unknown, at: r.at, reason: r.reason ?? '' }));
  }

  /** Forgets a rejected mutation once the user has seen it. False when there is none. */
  dismiss(mutationId: number): boolean {
    return this.stmt("DELETE FROM outbox WHERE mutation_id = ? AND status = 'rejected'").run(mutationId).changes === 1;
  }

  // ---------------------------------------------------------------- server rows

  /** Applies changes from a poke: safe at any time since rows carry their version. */
  applyChanges(changes: readonly Change[]): ApplyResult {
    return this.db.transaction(() => {
      return this.upsertChanges(changes, true);
    }).immediate();
  }

  /**
   * Applies one pull answer and moves the cursor, in one transaction. Pulls catch up on the
   * past, so they do not report new messages (no notification storm after a bootstrap).
   */
  applyPull(changes: readonly Change[], cursor: number): ApplyResult {
    return this.db.transaction(() => {
      const result = this.upsertChanges(changes, false);
      if (cursor > this.cursor()) {
        this.setMeta(META_CURSOR, String(cursor));
        this.settleCursor(cursor);
      }
      return result;
    }).immediate();
  }

  private upsertChanges(changes: readonly Change[], detectNew: boolean): ApplyResult {
    const entities = new Set<ChangedEntity>();
    const newMessages: Message[] = [];
    const upEvent = this.stmt(
      `INSERT INTO events (${EVENT_COLS}) VALUES (@id, @title, @description, @territory, @status, @opened_at, @opened_by, @closed_at, @closed_by, @version)
       ON CONFLICT(id) DO UPDATE SET title = excluded.title, description = excluded.description, territory = excluded.territory,
         status = excluded.status, opened_at = excluded.opened_at, opened_by = excluded.opened_by, closed_at = excluded.closed_at,
         closed_by = excluded.closed_by, version = excluded.version
       WHERE excluded.version > events.version`,
    );
    const upMessage = this.stmt(
      // Positional values: named binding costs a quarter more on a 100,000-row bootstrap.
      `INSERT INTO messages (${MESSAGE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET event_id = excluded.event_id, level = excluded.level, territory = excluded.territory,
         territory_path = excluded.territory_path, kind = excluded.kind, priority = excluded.priority, body = excluded.body,
         author_id = excluded.author_id, author_name = excluded.author_name, author_role = excluded.author_role, at = excluded.at,
         replaces = excluded.replaces, corrects = excluded.corrects, search = excluded.search, version = excluded.version
       WHERE excluded.version > messages.version`,
    );
    const hasMessage = this.stmt('SELECT 1 FROM messages WHERE id = ?');
    // Only look for overlay rows to settle when there are any (a bootstrap has none).
    const settle = this.hasOverlay();
    const upAck = this.stmt(
      `INSERT INTO acks (${ACK_COLS}) VALUES (@message_id, @territory, @user_id, @user_name, @at, @version)
       ON CONFLICT(message_id, territory) DO UPDATE SET user_id = excluded.user_id, user_name = excluded.user_name,
         at = excluded.at, version = excluded.version
       WHERE excluded.version > acks.version`,
    );
    const upUnit = this.stmt(
      `INSERT INTO units (${UNIT_COLS}) VALUES (${UNIT_VALUES})
       ON CONFLICT(finess, unit_type) DO UPDATE SET id = excluded.id, installed = excluded.installed, staffed = excluded.staffed,
         available = excluded.available, covid_pos = excluded.covid_pos, covid_neg = excluded.covid_neg, extra24h = excluded.extra24h,
         extra72h = excluded.extra72h, comment = excluded.comment, source = excluded.source, reported_by = excluded.reported_by,
         reported_role = excluded.reported_role, at = excluded.at, version = excluded.version
       WHERE excluded.version > units.version`,
    );
    const keepHistory = this.stmt(`INSERT INTO unit_history (${UNIT_COLS}) VALUES (${UNIT_VALUES}) ON CONFLICT(id) DO NOTHING`);
    for (const c of changes) {
      if (settle) this.settleRow(c);
      switch (c.entity) {
        case 'event':
          upEvent.run(eventToRow(c.data));
          entities.add('event');
          break;
        case 'message': {
          const isNew = detectNew && hasMessage.get(c.data.id) === undefined;
          const m = c.data;
          upMessage.run(
            m.id,
            m.eventId,
            m.level,
            m.territory,
            this.pathOf(m.territory),
            m.kind,
            m.priority,
            m.body,
            m.authorId,
            m.authorName,
            m.authorRole,
            m.at,
            m.replaces,
            m.corrects,
            searchText(m),
            m.version,
          );
          if (isNew) newMessages.push(c.data);
          entities.add('message');
          break;
        }
        case 'ack':
          upAck.run(ackToRow(c.data));
          entities.add('ack');
          break;
        case 'unit': {
          const row = unitToRow(c.data);
          upUnit.run(row);
          keepHistory.run(row);
          entities.add('unit');
          break;
        }
      }
    }
    return { entities: [...entities], newMessages };
  }

  // ---------------------------------------------------------------- views

  listEvents(): EventView[] {
    const rows = this.stmt(
      `WITH ov AS (
         SELECT o.id, o.title, o.description, o.territory, o.status, o.opened_at, o.opened_by, o.closed_at, o.closed_by,
                coalesce((SELECT e.version FROM events e WHERE e.id = o.id), 0) AS version, 1 AS pending
         FROM ov_events o WHERE o.mutation_id = (SELECT max(x.mutation_id) FROM ov_events x WHERE x.id = o.id)
       ),
       vis AS (
         SELECT * FROM ov
         UNION ALL
         SELECT ${EVENT_COLS}, 0 AS pending FROM events e WHERE NOT EXISTS (SELECT 1 FROM ov_events o WHERE o.id = e.id)
       ),
       counts AS (
         SELECT event_id, count(*) AS n FROM (
           SELECT event_id FROM messages
           UNION ALL
           SELECT o.event_id FROM ov_messages o WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = o.id)
         ) GROUP BY event_id
       )
       SELECT vis.*, coalesce(counts.n, 0) AS message_count FROM vis LEFT JOIN counts ON counts.event_id = vis.id
       ORDER BY vis.status = 'open' DESC, vis.opened_at DESC, vis.id`,
    ).all() as Array<EventRow & { pending: number; message_count: number }>;
    return rows.map((r) => ({
      ...rowToEvent(r),
      territoryLabel: this.labelOf(r.territory),
      pending: r.pending === 1,
      messageCount: r.message_count,
    }));
  }

  /**
   * The visible messages of an event, newest first, filtered in SQL. Filter semantics: an
   * absent or empty list means "any"; `territory` keeps messages addressed to that territory
   * or below it; `text` matches the body or the author's name, ignoring case and accents.
   */
  listMessages(eventId: string, filter: MessageFilter | undefined, viewer: Viewer): MessageView[] {
    return this.messageViews(eventId, filter, viewer, null);
  }

  /** The message change counter's current value: the last change any message had (0 before any). */
  messageCursor(): number {
    return (this.stmt('SELECT coalesce(max(seq), 0) AS n FROM message_changes').get() as { n: number }).n;
  }

  /**
   * What changed in an event's filtered message list after `since` (a value of
   * `messageCursor`): the views of the changed messages that match the filter (newest
   * first), and the ids of changed messages the view must drop (gone, or no longer matching
   * the filter; messages of other events are left out). Read in one transaction, so the
   * cursor matches the answer. `full` is set when the answer is the whole list instead:
   * asked from 0, or from a counter this cache never gave (another cache file).
   */
  messageChangesSince(eventId: string, filter: MessageFilter | undefined, viewer: Viewer, since: number): MessageChanges {
    return this.db.transaction((): MessageChanges => {
      const cursor = this.messageCursor();
      if (since <= 0 || since > cursor) return { full: true, messages: this.messageViews(eventId, filter, viewer, null), removed: [], cursor };
      const messages = this.messageViews(eventId, filter, viewer, since);
      const shown = new Set(messages.map((m) => m.id));
      const changed = this.stmt(
        `SELECT c.message_id AS id FROM message_changes c WHERE c.seq > @since
           AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = c.message_id AND m.event_id <> @eventId)
           AND NOT EXISTS (SELECT 1 FROM ov_messages o WHERE o.id = c.message_id AND o.event_id <> @eventId)
         ORDER BY c.seq`,
      ).all({ since, eventId }) as Array<{ id: string }>;
      const removed = changed.map((r) => r.id).filter((id) => !shown.has(id));
      return { full: false, messages, removed, cursor };
    })();
  }

  private messageViews(eventId: string, filter: MessageFilter | undefined, viewer: Viewer, changedSince: number | null): MessageView[] {
    // For changes, the few changed ids are looked up by primary key ("+" keeps SQLite off
    // the event index, which would walk all the event's messages).
    const conds: string[] = [changedSince === null ? 'event_id = ?' : '+event_id = ?'];
    const params: unknown[] = [eventId];
    if (changedSince !== null) {
      conds.push('id IN (SELECT message_id FROM message_changes WHERE seq > ?)');
      params.push(changedSince);
    }
    const inList = (col: string, values: readonly string[] | undefined): void => {
      if (!values || values.length === 0) return;
      conds.push(`${col} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    inList('level', filter?.levels);
    inList('kind', filter?.kinds);
    inList('priority', filter?.priorities);
    if (filter?.territory) {
      const path = this.territories.path(filter.territory);
      if (!path) return [];
      conds.push('substr(territory_path, 1, ?) = ?');
      params.push(path.length, path);
    }
    const text = filter?.text ? normaliseSearch(filter.text.trim()) : '';
    if (text) {
      conds.push('instr(search, ?) > 0');
      params.push(text);
    }
    const where = conds.join(' AND ');
    // Only the columns the view needs: building row objects dominates the cost at 50,000 rows.
    const cols = 'id, event_id, level, territory, kind, priority, body, author_id, author_name, author_role, at, replaces, corrects, version';
    const rows = this.stmt(
      `SELECT ${cols}, 0 AS pending FROM messages WHERE ${where}
       UNION ALL
       SELECT ${cols}, 1 AS pending FROM ov_messages o WHERE ${where} AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = o.id)
       ORDER BY at DESC, version DESC, id`,
    ).all(...params, ...params) as Array<Omit<MessageRow, 'search' | 'territory_path'> & { pending: number }>;

    // Relations are looked up once per event through the small partial indexes, not per row.
    const replacedBy = new Map<string, string>();
    const correctedBy = new Map<string, string[]>();
    const rel = this.stmt(
      `SELECT id, replaces, NULL AS corrects FROM messages INDEXED BY messages_replaces WHERE replaces IS NOT NULL AND event_id = @eventId
       UNION ALL
       SELECT id, NULL, corrects FROM messages INDEXED BY messages_corrects WHERE corrects IS NOT NULL AND event_id = @eventId
       UNION ALL
       SELECT id, replaces, corrects FROM ov_messages o WHERE event_id = @eventId AND (replaces IS NOT NULL OR corrects IS NOT NULL)
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = o.id)`,
    ).all({ eventId }) as Array<{ id: string; replaces: string | null; corrects: string | null }>;
    for (const r of rel) {
      if (r.replaces && !replacedBy.has(r.replaces)) replacedBy.set(r.replaces, r.id);
      if (r.corrects) correctedBy.set(r.corrects, [...(correctedBy.get(r.corrects) ?? []), r.id]);
    }
    const ackCount = this.stmt(
      `SELECT (SELECT count(*) FROM acks WHERE message_id = @id)
            + (SELECT count(*) FROM ov_acks o WHERE o.message_id = @id
                 AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.message_id = o.message_id AND a.territory = o.territory)) AS n`,
    );
    const myAck = this.stmt(
      'SELECT 1 FROM acks WHERE message_id = @id AND territory = @territory UNION ALL SELECT 1 FROM ov_acks WHERE message_id = @id AND territory = @territory LIMIT 1',
    );

    const views: MessageView[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const isConsigne = r.kind === 'consigne';
      const expected = isConsigne ? this.expectedOf(r.territory) : null;
      const replaced = replacedBy.get(r.id) ?? null;
      const ackedByMe = isConsigne && myAck.get({ id: r.id, territory: viewer.territory }) !== undefined;
      const own = r.author_id === viewer.userId || r.author_role === viewer.roleText;
      // One object literal of fixed shape per row: spreading a row into a view costs several
      // times more at 50,000 rows (garbage and dictionary-mode objects).
      views[i] = {
        id: r.id,
        eventId: r.event_id,
        level: r.level as MessageView['level'],
        territory: r.territory,
        kind: r.kind as MessageView['kind'],
        priority: r.priority as MessageView['priority'],
        body: r.body,
        authorId: r.author_id,
        authorName: r.author_name,
        authorRole: r.author_role,
        at: r.at,
        replaces: r.replaces,
        corrects: r.corrects,
        version: r.version,
        territoryLabel: this.labelOf(r.territory),
        pending: r.pending === 1,
        replacedBy: replaced,
        correctedBy: correctedBy.get(r.id) ?? [],
        ackCount: isConsigne ? (ackCount.get({ id: r.id }) as { n: number }).n : 0,
        expectedAckCount: expected ? expected.size : 0,
        ackedByMe,
        canAck: isConsigne && !replaced && !ackedByMe && !own && (expected?.has(viewer.territory) ?? false),
      };
    }
    return views;
  }

  /** Who acknowledged a message and which expected territories have not. Null if unknown. */
  ackSummary(messageId: string): AckSummary | null {
    const m = this.visibleMessage(messageId);
    if (!m) return null;
    const rows = this.stmt(
      `SELECT ${ACK_COLS}, 0 AS pending FROM acks WHERE message_id = @id
       UNION ALL
       SELECT ${ACK_COLS}, 1 AS pending FROM ov_acks o WHERE message_id = @id
         AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.message_id = o.message_id AND a.territory = o.territory)
       ORDER BY at`,
    ).all({ id: messageId }) as Array<AckRow & { pending: number }>;
    const acked = new Set(rows.map((r) => r.territory));
    const expected = m.kind === 'consigne' ? [...this.expectedOf(m.territory)] : [];
    return {
      messageId,
      acknowledged: rows.map((r) => ({
        territory: r.territory,
        label: this.labelOf(r.territory),
        userName: r.user_name,
        at: r.at,
        pending: r.pending === 1,
      })),
      missing: expected.filter((k) => !acked.has(k)).map((k) => ({ key: k, label: this.labelOf(k) })),
    };
  }

  /** A unit's visible current report: the newest pending local one, else the server's. */
  currentReport(finess: string, unitType: string): UnitReport | undefined {
    return this.visibleUnit(finess, unitType);
  }

  /**
   * Every unit in the cache with its visible current report (a pending local one on top).
   * A national picture is some 18,000 units (live changes are read with `unitChangesSince`):
   * rows come back as arrays (no per-row object from the driver) and become views of one
   * fixed shape.
   */
  listUnits(): VisibleUnit[] {
    const sql = this.hasUnitOverlay()
      ? `SELECT ${UNIT_COLS}, 1 AS pending FROM ov_units o
           WHERE o.mutation_id = (SELECT max(x.mutation_id) FROM ov_units x WHERE x.finess = o.finess AND x.unit_type = o.unit_type)
         UNION ALL
         SELECT ${UNIT_COLS}, 0 AS pending FROM units u
           WHERE NOT EXISTS (SELECT 1 FROM ov_units o WHERE o.finess = u.finess AND o.unit_type = u.unit_type)
         ORDER BY finess, unit_type`
      : `SELECT ${UNIT_COLS}, 0 AS pending FROM units ORDER BY finess, unit_type`;
    const rows = this.stmt(sql).raw(true).all() as UnitTuple[];
    const out: VisibleUnit[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = tupleToUnit(rows[i]);
    return out;
  }

  /** The unit change counter's current value: the last change any unit had (0 before any). */
  unitCursor(): number {
    return (this.stmt('SELECT coalesce(max(seq), 0) AS n FROM unit_changes').get() as { n: number }).n;
  }

  /**
   * What changed in the unit picture after `since` (a value of `unitCursor`): the units whose
   * visible report changed (a server row, a pending report, an overlay row gone), those that
   * are no longer visible at all, and the counter now. Read in one transaction, so the
   * cursor matches the answer. `full` is set when the answer is the whole picture instead:
   * asked from 0, from a counter this cache never gave (another cache file), or when so
   * much changed that one listing costs less than looking each unit up.
   */
  unitChangesSince(since: number): UnitChanges {
    return this.db.transaction((): UnitChanges => {
      const cursor = this.unitCursor();
      if (since <= 0 || since > cursor) return { full: true, units: this.listUnits(), removed: [], cursor };
      const keys = this.stmt('SELECT finess, unit_type FROM unit_changes WHERE seq > ? ORDER BY seq').raw(true).all(since) as Array<[string, string]>;
      if (keys.length > FULL_LISTING_ABOVE) return { full: true, units: this.listUnits(), removed: [], cursor };
      const pendingRow = this.stmt(`SELECT ${UNIT_COLS}, 1 AS pending FROM ov_units WHERE finess = ? AND unit_type = ? ORDER BY mutation_id DESC LIMIT 1`).raw(true);
      const serverRow = this.stmt(`SELECT ${UNIT_COLS}, 0 AS pending FROM units WHERE finess = ? AND unit_type = ?`).raw(true);
      const units: VisibleUnit[] = [];
      const removed: UnitChanges['removed'] = [];
      for (const [finess, unitType] of keys) {
        const row = (pendingRow.get(finess, unitType) ?? serverRow.get(finess, unitType)) as UnitTuple | undefined;
        if (row) units.push(tupleToUnit(row));
        else removed.push({ finess, unitType });
      }
      return { full: false, units, removed, cursor };
    })();
  }

  private hasUnitOverlay(): boolean {
    return this.stmt('SELECT 1 FROM ov_units LIMIT 1').get() !== undefined;
  }

  /** The server's current report of a unit, without the overlay (tests and diagnostics). */
  serverUnit(finess: string, unitType: string): UnitReport | undefined {
    const row = this.stmt(`SELECT ${UNIT_COLS} FROM units WHERE finess = ? AND unit_type = ?`).get(finess, unitType) as UnitRow | undefined;
    return row ? rowToUnit(row) : undefined;
  }

  /** Keeps reports of a unit's history the server sent, so they can be shown offline later. */
  cacheHistory(reports: readonly UnitReport[]): void {
    const keep = this.stmt(`INSERT INTO unit_history (${UNIT_COLS}) VALUES (${UNIT_VALUES}) ON CONFLICT(id) DO NOTHING`);
    this.db.transaction(() => {
      for (const r of reports) keep.run(unitToRow(r));
    }).immediate();
  }

  /**
   * The cached history of a unit reported since `since` (ISO), newest first in SERVER order
   * (as the server answers): the first one is the unit's current report, even when an
   * author's clock put a later-applied report earlier in time.
   */
  cachedHistory(finess: string, unitType: string, since: string, limit: number): UnitReport[] {
    const rows = this.stmt(
      `SELECT ${UNIT_COLS} FROM unit_history WHERE finess = ? AND unit_type = ? AND julianday(at) >= julianday(?) ORDER BY version DESC LIMIT ?`,
    ).all(finess, unitType, since, limit) as UnitRow[];
    return rows.map(rowToUnit);
  }

  /** This workstation's freshness settings for the bed views (defaults until changed). */
  bedSettings(): FreshnessSettings {
    const raw = this.getMeta(META_BED_SETTINGS);
    if (raw === null) return structuredClone(DEFAULT_FRESHNESS);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return structuredClone(DEFAULT_FRESHNESS);
    }
    const result = FreshnessSettingsSchema.safeParse(parsed);
    return result.success ? result.data : structuredClone(DEFAULT_FRESHNESS);
  }

  setBedSettings(settings: FreshnessSettings): FreshnessSettings {
    this.setMeta(META_BED_SETTINGS, JSON.stringify(settings));
    return this.bedSettings();
  }

  /** Server rows only (tests and diagnostics). */
  serverMessage(id: string): Message | undefined {
    const row = this.stmt(`SELECT ${MESSAGE_COLS} FROM messages WHERE id = ?`).get(id) as MessageRow | undefined;
    return row ? rowToMessage(row) : undefined;
  }

  serverAck(messageId: string, territory: string): Ack | undefined {
    const row = this.stmt(`SELECT ${ACK_COLS} FROM acks WHERE message_id = ? AND territory = ?`).get(messageId, territory) as AckRow | undefined;
    return row ? rowToAck(row) : undefined;
  }

  overlayCount(): number {
    const row = this.stmt(
      'SELECT (SELECT count(*) FROM ov_events) + (SELECT count(*) FROM ov_messages) + (SELECT count(*) FROM ov_acks) + (SELECT count(*) FROM ov_units) AS n',
    ).get() as { n: number };
    return row.n;
  }
}

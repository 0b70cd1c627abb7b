/**
 * The local cache of one user on one server, as the sync engine sees it: the server's rows
 * this user may see, the pending local effects on top of them (overlay), the outbox of
 * mutations to push, the pull cursor and the change counters the live views read. It names
 * no board: each board registers its entities (`CacheEntity`), its transaction slice and its
 * queries (`main/<board>/`, listed in `main/boards.ts`), reached through `boards`.
 * Runs in Node and in Electron's main process.
 *
 * Invariants:
 * - Server tables are written only from pulls and pokes, and a row is replaced only by a
 *   newer version of itself.
 * - An outbox row and the overlay rows of its mutation are written in one transaction, so a
 *   crash leaves both or neither.
 * - Visible state = server rows with the overlay on top; the overlay of a mutation goes away
 *   once the server answered (rejected), or answered applied and its row arrived (or the
 *   cursor passed its version).
 * - Every write of the engine that changes what a key shows moves that key in its change
 *   counter, once per transaction (no trigger: a bootstrap of 100,000 rows bumps once a page).
 * - Server rows and the cursor belong to one server epoch (`serverEpoch`); a rebuild (the
 *   server was restored) empties the first and resets the second, and keeps the outbox.
 */
import { randomBytes } from 'node:crypto';
import type { RejectedMutation } from '../../common/app/api';
import { MutationRejected, runMutatorOf, VIA_SYNC, type Actor, type MutatorMap } from '../../common/engine/mutation';
import type { Territories } from '../../common/territory';
import type { CacheEntity, CacheHelpers, ChangeCounter, Stmt } from './cacheEntity';
import { ChangeCounters } from './changeCounters';
import type { Db } from './db';
import { Overlay, prepareEntity, type PreparedEntity } from './overlay';
import type { Change, Mutation, MutationResult } from '../../common/protocol';

export type MutateResult = { ok: true; mutationId: number } | { ok: false; reason: string };

/** The answer to a batch of local mutations run as one transaction (all or nothing). */
export type MutateAllResult = { ok: true; mutationIds: number[] } | { ok: false; index: number; reason: string };

export interface ApplyResult {
  /** The entities whose rows changed, by name. */
  entities: string[];
  /** Rows a poke brought that were not in the cache before, for entities that announce them. */
  fresh: Change[];
}

export interface OutboxEntry {
  mutationId: number;
  name: string;
  args: unknown;
  at: string;
  status: 'pending' | 'applied' | 'rejected';
  reason: string | null;
  appliedVersion: number | null;
}

/** What a board hands the engine. */
export interface CacheBoard {
  name: string;
  entities: readonly CacheEntity[];
  /** The board's transaction slice for a local mutation: reads see server rows with pending ones on top, writes go to the overlay of `mutationId`. */
  slice(engine: LocalStore, mutationId: number): object;
}

const META_CLIENT_ID = 'client_id';
const META_CURSOR = 'cursor';
const META_NEXT_MUTATION = 'next_mutation_id';
const META_LAST_SYNC = 'last_sync_at';
/** The id the next mutation carries on the wire (cache migration 17; equal to the local one until a rebuild renumbers). */
const META_NEXT_WIRE = 'next_wire_id';
/** The highest wire id the server answered: a server whose ledger is below it has forgotten some (restored). */
const META_ANSWERED = 'answered_wire_id';
/** The server epoch this cache's rows and cursor come from. */
const META_EPOCH = 'server_epoch';

/** What the server said of itself (`sync:hello`), as far as a rebuild needs it. */
export interface ServerState {
  /** The server's epoch, or null when not known yet (the next pull's answer gives it). */
  epoch: string | null;
  /** The server's last mutation id for this cache's client id, or null when unknown. */
  lastMutationId: number | null;
}

/** Thrown inside a transaction to roll it back on purpose (dry runs). */
class RollBack extends Error {}

export class LocalStore<B extends object = object> {
  /** Each board's queries over this cache, by board name (`store.boards.beds.listUnits()`). */
  readonly boards: B;
  readonly territories: Territories;
  private readonly stmtCache = new Map<string, Stmt>();
  private readonly pathCache = new Map<string, string>();
  private readonly labelCache = new Map<string, string>();
  private readonly entities = new Map<string, PreparedEntity>();
  private readonly slices = new Map<string, (mutationId: number) => object>();
  private readonly counters: ChangeCounters;
  private readonly overlay: Overlay;
  private closed = false;

  constructor(
    readonly db: Db,
    territories: Territories,
    private readonly mutators: MutatorMap,
    cacheBoards: readonly CacheBoard[],
    queries: (engine: LocalStore) => B,
  ) {
    this.territories = territories;
    if (this.getMeta(META_CLIENT_ID) === null) {
      // 16 random bytes, url-safe: matches the protocol's client id rule and is unique per
      // (workstation, user, server) since this database is.
      this.setMeta(META_CLIENT_ID, randomBytes(16).toString('base64url'));
    }
    const helpers: CacheHelpers = { db, stmt: (sql) => this.stmt(sql), pathOf: (t) => this.pathOf(t) };
    for (const board of cacheBoards) {
      if (this.slices.has(board.name)) throw new Error(`cache board declared twice: ${board.name}`);
      this.slices.set(board.name, (mutationId) => board.slice(this, mutationId));
      for (const def of board.entities) {
        if (this.entities.has(def.entity.name)) throw new Error(`cache entity declared twice: ${def.entity.name}`);
        this.entities.set(def.entity.name, prepareEntity(db, def, helpers));
      }
    }
    const stmt = (sql: string) => this.stmt(sql);
    this.counters = new ChangeCounters(db, [...this.entities.values()].map((e) => e.def), stmt);
    this.overlay = new Overlay(this.entities, this.counters, stmt);
    this.boards = queries(this);
  }

  /** A counter's current value: the last change any of its keys had (0 before any). */
  counterValue(counter: ChangeCounter): number {
    return this.counters.value(counter);
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

  // ---------------------------------------------------------------- helpers for boards

  /** A statement prepared once per cache and reused. */
  stmt(sql: string): Stmt {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[], unknown>(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  getMeta(key: string): string | null {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? row.value : null;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The path of a territory key (cached); an unknown key gets a path of its own, so it never matches another branch. */
  pathOf(territory: string): string {
    let p = this.pathCache.get(territory);
    if (p === undefined) {
      p = this.territories.path(territory) ?? `/?/${territory}/`;
      this.pathCache.set(territory, p);
    }
    return p;
  }

  labelOf(territory: string): string {
    let l = this.labelCache.get(territory);
    if (l === undefined) {
      l = this.territories.label(territory);
      this.labelCache.set(territory, l);
    }
    return l;
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

  // ---------------------------------------------------------------- local writes

  private run(name: string, args: unknown, actor: Actor, at: string, mutationId: number): void {
    runMutatorOf(
      this.mutators,
      (slice) => {
        const make = this.slices.get(slice);
        if (!make) throw new Error(`no transaction slice ${slice} in the cache`);
        return make(mutationId);
      },
      name,
      args,
      { actor, at, territories: this.territories, via: VIA_SYNC },
    );
  }

  private nextMutationId(): number {
    const mutationId = Number(this.getMeta(META_NEXT_MUTATION) ?? 1);
    this.setMeta(META_NEXT_MUTATION, String(mutationId + 1));
    return mutationId;
  }

  /** The wire id of the mutation `mutationId` being queued (see cache migration 17): equal to it until a rebuild renumbered. */
  private nextWireId(mutationId: number): number {
    const wireId = Number(this.getMeta(META_NEXT_WIRE) ?? mutationId);
    this.setMeta(META_NEXT_WIRE, String(wireId + 1));
    return wireId;
  }

  private queue(mutationId: number, name: string, args: unknown, at: string): void {
    this.stmt('INSERT INTO outbox (mutation_id, wire_id, name, args, at) VALUES (?, ?, ?, ?, ?)').run(
      mutationId,
      this.nextWireId(mutationId),
      name,
      JSON.stringify(args),
      at,
    );
  }

  /**
   * Runs a shared mutator against the cache and queues it, in ONE transaction: the next
   * mutation id, the overlay rows and the outbox row commit together or not at all. A local
   * rejection rolls everything back and queues nothing.
   */
  mutate(name: string, args: unknown, actor: Actor, at: string = new Date().toISOString()): MutateResult {
    const run = this.db.transaction((): number => {
      const mutationId = this.nextMutationId();
      this.run(name, args, actor, at, mutationId);
      this.queue(mutationId, name, args, at);
      this.overlay.written(mutationId, mutationId);
      this.counters.flush();
      return mutationId;
    });
    try {
      return { ok: true, mutationId: run.immediate() };
    } catch (err) {
      this.counters.discard();
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
        const mutationId = this.nextMutationId();
        try {
          this.run(items[index].name, items[index].args, actor, at, mutationId);
        } catch (err) {
          if (err instanceof MutationRejected) failure.at = { index, reason: err.message };
          throw err;
        }
        this.queue(mutationId, items[index].name, items[index].args, at);
        ids.push(mutationId);
      }
      if (ids.length > 0) this.overlay.written(ids[0], ids[ids.length - 1]);
      this.counters.flush();
      return ids;
    });
    try {
      return { ok: true, mutationIds: run.immediate() };
    } catch (err) {
      this.counters.discard();
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
            this.run(item.name, item.args, actor, at, mutationId);
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

  // ---------------------------------------------------------------- outbox

  /**
   * The oldest pending mutations, in order, at most `limit` of them and about `maxBytes` of
   * JSON (always at least one), ready for `sync:push`: each carries its wire id.
   */
  pendingBatch(limit: number, maxBytes = Number.POSITIVE_INFINITY): Mutation[] {
    const rows = this.stmt("SELECT wire_id AS mutation_id, name, args, at FROM outbox WHERE status = 'pending' ORDER BY mutation_id LIMIT ?").all(
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
   * Records the server's answers to a push (by wire id) in one transaction. A rejection
   * drops the mutation's overlay rows and keeps the outbox row with its reason; the newly
   * rejected mutations are returned (by local id) so the caller can tell the user.
   */
  recordResults(results: readonly MutationResult[]): RejectedMutation[] {
    const rejected: RejectedMutation[] = [];
    this.db.transaction(() => {
      const applied = this.stmt(
        "UPDATE outbox SET status = 'applied', applied_version = ? WHERE wire_id = ? AND status = 'pending' RETURNING mutation_id",
      );
      const reject = this.stmt(
        "UPDATE outbox SET status = 'rejected', reason = ? WHERE wire_id = ? AND status = 'pending' RETURNING mutation_id, name, args, at",
      );
      const cursor = this.cursor();
      let answered = this.answeredWireId();
      for (const r of results) {
        answered = Math.max(answered, r.mutationId);
        if (r.status === 'applied') {
          const row = applied.get(r.version, r.mutationId) as { mutation_id: number } | undefined;
          if (row) this.overlay.settleMutation(row.mutation_id, r.version, cursor);
        } else {
          const row = reject.get(r.reason, r.mutationId) as { mutation_id: number; name: string; args: string; at: string } | undefined;
          if (!row) continue;
          this.overlay.drop(row.mutation_id);
          rejected.push({ mutationId: row.mutation_id, name: row.name, args: JSON.parse(row.args) as unknown, at: row.at, reason: r.reason });
        }
      }
      this.setMeta(META_ANSWERED, String(answered));
      this.counters.flush();
    }).immediate();
    return rejected;
  }

  /** The highest wire id the server has answered (0 before any answer). */
  answeredWireId(): number {
    return Number(this.getMeta(META_ANSWERED) ?? 0);
  }

  // ---------------------------------------------------------------- server epoch and rebuild

  /** The server epoch this cache's rows come from (null: none seen yet, or a cache from before epochs). */
  serverEpoch(): string | null {
    return this.getMeta(META_EPOCH);
  }

  /** Remembers the epoch of a server whose history this cache follows (first contact). */
  adoptEpoch(epoch: string): void {
    this.setMeta(META_EPOCH, epoch);
  }

  /**
   * The server was restored from a backup (new epoch, a cursor beyond its head, or a ledger
   * that forgot mutations it had answered): in ONE transaction, every server row of every
   * registered entity goes (each removed key moving in its change counter, which never goes
   * back), the cursor returns to 0 and the epoch becomes the server's. The outbox stays:
   * mutations the server had answered `applied` are pending again (the restored server may
   * not have them), refused ones stay refused. With the server's last mutation id `L` for
   * this client id, the pending mutations above it are numbered `L + 1, L + 2…` on the wire,
   * in their order: ids up to `L` are those the restored server has seen (it answers them
   * from its ledger, applying nothing twice), ids above it it has never seen, and it takes
   * ids in sequence only. A refused mutation above `L` is never sent again: its wire id goes.
   */
  rebuild(server: ServerState): void {
    this.db.transaction(() => {
      this.counters.discard();
      this.counters.reserveAll();
      this.overlay.clearServerRows();
      this.stmt("UPDATE outbox SET status = 'pending', applied_version = NULL WHERE status = 'applied'").run();
      const last = server.lastMutationId;
      if (last !== null) {
        this.stmt("UPDATE outbox SET wire_id = NULL WHERE status = 'rejected' AND wire_id > ?").run(last);
        const above = this.stmt("SELECT mutation_id FROM outbox WHERE status = 'pending' AND wire_id > ? ORDER BY mutation_id").all(last) as Array<{
          mutation_id: number;
        }>;
        const renumber = this.stmt('UPDATE outbox SET wire_id = ? WHERE mutation_id = ?');
        let next = last + 1;
        for (const r of above) renumber.run(next++, r.mutation_id);
        this.setMeta(META_NEXT_WIRE, String(next));
        this.setMeta(META_ANSWERED, String(last));
      }
      this.setMeta(META_CURSOR, '0');
      if (server.epoch === null) this.stmt('DELETE FROM meta WHERE key = ?').run(META_EPOCH);
      else this.setMeta(META_EPOCH, server.epoch);
      this.counters.flush();
    }).immediate();
  }

  /** The cursor moved: applied mutations at or below it are shown by the server rows (or invisible to this user). */
  private settleCursor(cursor: number): void {
    this.overlay.sweep(cursor);
    this.stmt("DELETE FROM outbox WHERE status = 'applied' AND applied_version <= @cursor").run({ cursor });
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

  /** Pending rows of every entity (tests and diagnostics). */
  overlayCount(): number {
    return this.overlay.count();
  }

  // ---------------------------------------------------------------- server rows

  /** Applies changes from a poke: safe at any time since rows carry their version. */
  applyChanges(changes: readonly Change[]): ApplyResult {
    return this.db.transaction(() => this.upsertChanges(changes, true)).immediate();
  }

  /**
   * Applies one pull answer and moves the cursor, in one transaction. Pulls catch up on the
   * past, so they announce nothing (no notification storm after a bootstrap).
   *
   * Committed with `synchronous=NORMAL` (WAL): a page lost to a power cut goes with its
   * cursor, so it is simply pulled again, and the next FULL commit (an outbox write) syncs
   * every frame before it. Skipping that fsync per page is a tenth of a cold bootstrap.
   */
  applyPull(changes: readonly Change[], cursor: number): ApplyResult {
    this.db.pragma('synchronous = NORMAL');
    try {
      return this.db.transaction(() => {
        const result = this.upsertChanges(changes, false);
        if (cursor > this.cursor()) {
          this.setMeta(META_CURSOR, String(cursor));
          this.settleCursor(cursor);
          this.counters.flush();
        }
        return result;
      }).immediate();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  private upsertChanges(changes: readonly Change[], announce: boolean): ApplyResult {
    this.counters.discard();
    const seen = new Set<string>();
    const fresh: Change[] = [];
    // Only look for overlay rows to settle when there are any (a bootstrap has none).
    const settle = !this.overlay.isEmpty();
    let last: PreparedEntity | undefined;
    for (const c of changes) {
      // Pages are mostly runs of one entity: look it up only when it changes.
      const e = last && last.def.entity.name === c.entity ? last : this.entities.get(c.entity);
      if (!e) continue; // an entity this release does not know: skipped, never fatal
      last = e;
      const row = c.data as never;
      if (settle) this.overlay.settleRow(e, c);
      if (announce && e.writer.isNew?.(row)) fresh.push(c);
      const counter = e.def.counter;
      const seq = counter?.stamp ? this.counters.seqFor(counter.counter) : 0;
      // An older version of a cached row changes nothing: no key moves.
      if (e.writer.upsert(row, seq) && counter) for (const key of counter.keysOf(row)) this.counters.add(counter.counter, key);
      seen.add(c.entity);
    }
    this.counters.flush();
    return { entities: [...seen], fresh };
  }
}

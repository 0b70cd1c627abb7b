/**
 * The final-state check of the fault and convergence tests: after traffic and a fault, every
 * workstation's cache must hold exactly the server's picture for its user's scope, and every
 * mutation a workstation wrote must be applied on the server exactly once. Not a test file.
 *
 * - **Picture.** A workstation's picture is its cache's synced tables (each registered cache
 *   entity's server table), rows in key order, as canonical JSON, without the columns only
 *   this cache fills (the change-counter stamp). The server's picture for a user is obtained
 *   as a third party would: a fresh raw socket logged in as that user pulls from cursor 0 to
 *   the head, and the pages are written into an empty cache file through the same cache
 *   writers, then read the same way. Both are hashed; a mismatch lists the rows that differ.
 *   The workstation must also have nothing pending: no outbox row, no overlay row.
 * - **Exactly once.** From the server's store itself (the SQLite file or the PostgreSQL
 *   database, read-only): the ledger (`mutation_results`) of the workstation's client id holds
 *   exactly the mutation ids the workstation wrote, each `applied`, each with its own version
 *   present in the change log; a written row that names a change-log entity id (a message)
 *   is there exactly once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { mainBoards, openLocalStore } from '../../../main/boards';
import type { CacheEntity } from '../../../main/store/cacheEntity';
import { MAX_PULL_LIMIT, syncWire, type Change } from '../../../common/protocol';
import { testTerritories } from '../../support/referential';
import { rawClient, tempDir } from '../harness';

/** One mutation a workstation wrote, as its receipt said. */
export interface WrittenMutation {
  /** The local mutation id (`MutationReceipt.mutationId`). */
  mutationId: number;
  name: string;
  /** The change-log entity id the mutation creates, when it creates an append-only row (a message id): it must be logged exactly once. */
  loggedId?: string;
}

export interface Workstation {
  /** A name for the report (`samu75#2`). */
  label: string;
  /** Its user (logged in again by the check, with the demo password, to pull the server's picture for that scope). */
  username: string;
  dataDir: string;
  /** Every mutation it wrote, all of them: a ledger row of its client id that is not listed here is reported. */
  written: readonly WrittenMutation[];
}

/** A table's rows as canonical JSON lines, by entity. */
export type Picture = Record<string, string[]>;

const cacheEntities: readonly CacheEntity[] = mainBoards.flatMap((b) => b.entities);

/** The one cache file of a workstation's data folder. */
export function cacheFile(dataDir: string): string {
  const dir = join(dataDir, 'caches');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sqlite')) : [];
  if (files.length !== 1) throw new Error(`${dataDir}: expected one cache file, found ${files.length}`);
  return join(dir, files[0]);
}

/** A JSON text whose object keys are sorted (the same row always gives the same text). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The synced tables of an open cache database, without local-only columns, in key order. */
/** The part of a SQLite handle the picture reads (plain better-sqlite3 or the cache's cipher build). */
interface Readable {
  prepare(sql: string): { all(...params: unknown[]): unknown[] };
}

function readPicture(db: Readable): Picture {
  const picture: Picture = {};
  for (const e of cacheEntities) {
    const local = new Set([e.counter?.stamp].filter((c): c is string => typeof c === 'string'));
    const cols = (db.prepare(`PRAGMA table_info(${e.table})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => !local.has(c));
    const rows = db.prepare(`SELECT ${cols.join(', ')} FROM ${e.table} ORDER BY ${e.keyColumns.join(', ')}`).all() as Array<Record<string, unknown>>;
    picture[e.entity.name] = rows.map(canonical);
  }
  return picture;
}

interface CacheState {
  picture: Picture;
  clientId: string;
  /** The pull cursor (may stay below the head: see `checkConvergence`). */
  cursor: number;
  pendingOutbox: number;
  rejectedOutbox: number;
  overlayRows: number;
  /** Local and wire numbering agree (no rebuild renumbered the outbox). */
  wireIsLocal: boolean;
}

/** Reads a workstation's cache file (read-only; the workstation may still have it open). */
export function readCache(dataDir: string): CacheState {
  const db = new Database(cacheFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    const meta = (key: string) => (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value ?? null;
    const outbox = (status: string) => (db.prepare('SELECT count(*) AS n FROM outbox WHERE status = ?').get(status) as { n: number }).n;
    const overlayRows = cacheEntities.reduce((n, e) => n + (db.prepare(`SELECT count(*) AS n FROM ${e.overlay}`).get() as { n: number }).n, 0);
    const nextLocal = meta('next_mutation_id');
    const nextWire = meta('next_wire_id');
    return {
      picture: readPicture(db),
      clientId: meta('client_id') ?? '',
      cursor: Number(meta('cursor') ?? 0),
      pendingOutbox: outbox('pending'),
      rejectedOutbox: outbox('rejected'),
      overlayRows,
      wireIsLocal: nextWire === null || nextWire === nextLocal,
    };
  } finally {
    db.close();
  }
}

/**
 * The server's picture for `username`: a fresh raw socket pulls every page from cursor 0, and
 * the changes go through the cache's own writers into an empty cache file.
 */
export async function serverPicture(serverUrl: string, username: string): Promise<{ picture: Picture; head: number }> {
  const { socket } = await rawClient(serverUrl, username, `picture-${randomUUID()}`);
  const changes: Change[] = [];
  let cursor = 0;
  try {
    for (let more = true; more; ) {
      const r = await socket.timeout(60_000).emitWithAck(syncWire.pull, { cursor, limit: MAX_PULL_LIMIT });
      if ('error' in r) throw new Error(`pull for ${username}: ${r.error.code} ${r.error.message}`);
      changes.push(...r.data.changes);
      cursor = r.data.cursor;
      more = r.data.more;
    }
  } finally {
    socket.close();
  }
  const tmp = tempDir('picture');
  try {
    const store = openLocalStore(join(tmp.dir, 'reference.sqlite'), testTerritories());
    try {
      store.applyPull(changes, cursor);
      return { picture: readPicture(store.db), head: cursor };
    } finally {
      store.close();
    }
  } finally {
    tmp.cleanup();
  }
}

/** Hash of a picture (hex), for a one-line comparison. */
export function pictureHash(picture: Picture): string {
  const h = createHash('sha256');
  for (const entity of Object.keys(picture).sort()) {
    h.update(entity);
    for (const row of picture[entity]) h.update(`\n${row}`);
    h.update('\n\n');
  }
  return h.digest('hex');
}

/** The rows that differ, by entity: at most `limit` lines, each saying which side holds what. */
export function pictureDiff(workstation: Picture, server: Picture, limit = 20): string[] {
  const out: string[] = [];
  for (const e of cacheEntities) {
    const name = e.entity.name;
    const mine = new Set(workstation[name] ?? []);
    const theirs = new Set(server[name] ?? []);
    for (const row of mine) if (!theirs.has(row) && out.length < limit) out.push(`${name}: only in the cache ${row}`);
    for (const row of theirs) if (!mine.has(row) && out.length < limit) out.push(`${name}: only on the server ${row}`);
  }
  return out;
}

/** Read-only access to the server's store: the ledger and the change log (SQLite file or PostgreSQL url). */
interface ServerFacts {
  ledger(clientId: string): Promise<Array<{ mutationId: number; status: string; reason: string | null; version: number | null }>>;
  /** How many change-log rows name each of `ids` as their entity id. */
  logged(ids: readonly string[]): Promise<Map<string, number>>;
  /** Which of `versions` exist in the change log. */
  versionsPresent(versions: readonly number[]): Promise<Set<number>>;
  head(): Promise<number>;
  close(): Promise<void>;
}

const LEDGER_SQL = `SELECT mutation_id AS "mutationId", status, reason, version FROM mutation_results WHERE client_id = $1 ORDER BY mutation_id`;

async function openServerFacts(db: string): Promise<ServerFacts> {
  if (/^postgres(ql)?:\/\//i.test(db)) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    const num = (v: unknown) => (v === null ? null : Number(v));
    return {
      async ledger(clientId) {
        const rows = (await client.query(LEDGER_SQL, [clientId])).rows as Array<{ mutationId: unknown; status: string; reason: string | null; version: unknown }>;
        return rows.map((r) => ({ mutationId: Number(r.mutationId), status: r.status, reason: r.reason, version: num(r.version) }));
      },
      async logged(ids) {
        const rows = (await client.query(`SELECT entity_id AS id, count(*) AS n FROM change_log WHERE entity_id = ANY($1::text[]) GROUP BY entity_id`, [[...ids]])).rows as Array<{
          id: string;
          n: unknown;
        }>;
        return new Map(rows.map((r) => [r.id, Number(r.n)]));
      },
      async versionsPresent(versions) {
        const rows = (await client.query(`SELECT version FROM change_log WHERE version = ANY($1::bigint[])`, [[...versions]])).rows as Array<{ version: unknown }>;
        return new Set(rows.map((r) => Number(r.version)));
      },
      async head() {
        return Number(((await client.query(`SELECT coalesce(max(version), 0) AS v FROM change_log`)).rows[0] as { v: unknown }).v);
      },
      close: () => client.end(),
    };
  }
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  return {
    async ledger(clientId) {
      return sqlite.prepare(LEDGER_SQL.replace('$1', '?')).all(clientId) as Array<{ mutationId: number; status: string; reason: string | null; version: number | null }>;
    },
    async logged(ids) {
      const count = sqlite.prepare('SELECT count(*) AS n FROM change_log WHERE entity_id = ?');
      return new Map(ids.map((id) => [id, (count.get(id) as { n: number }).n]));
    },
    async versionsPresent(versions) {
      const has = sqlite.prepare('SELECT 1 FROM change_log WHERE version = ?');
      return new Set(versions.filter((v) => has.get(v) !== undefined));
    },
    async head() {
      return (sqlite.prepare('SELECT coalesce(max(version), 0) AS v FROM change_log').get() as { v: number }).v;
    },
    async close() {
      sqlite.close();
    },
  };
}

/** The server's head version, read from its store (what every cache's cursor must reach). */
export async function serverHead(db: string): Promise<number> {
  const facts = await openServerFacts(db);
  try {
    return await facts.head();
  } finally {
    await facts.close();
  }
}

/** What the ledger says of one workstation's writes: the problems found (empty: each applied exactly once). */
async function exactlyOnce(facts: ServerFacts, ws: Workstation, clientId: string): Promise<string[]> {
  const problems: string[] = [];
  const ledger = await facts.ledger(clientId);
  const byId = new Map(ledger.map((r) => [r.mutationId, r]));
  const written = new Map(ws.written.map((w) => [w.mutationId, w]));
  for (const w of ws.written) {
    const r = byId.get(w.mutationId);
    if (!r) problems.push(`${ws.label}: mutation ${w.mutationId} (${w.name}) lost: not in the server's ledger`);
    else if (r.status !== 'applied') problems.push(`${ws.label}: mutation ${w.mutationId} (${w.name}) ${r.status}: ${r.reason ?? ''}`);
  }
  for (const r of ledger) {
    if (!written.has(r.mutationId)) problems.push(`${ws.label}: the ledger holds mutation ${r.mutationId} (${r.status}) that the workstation did not write: doubled or renumbered`);
  }
  const versions = ledger.filter((r) => r.status === 'applied' && r.version !== null).map((r) => r.version as number);
  if (new Set(versions).size !== versions.length) problems.push(`${ws.label}: two ledger rows share a version`);
  const present = await facts.versionsPresent(versions);
  for (const r of ledger) {
    if (r.version !== null && !present.has(r.version)) problems.push(`${ws.label}: mutation ${r.mutationId}'s version ${r.version} is not in the change log`);
  }
  const ids = ws.written.flatMap((w) => (w.loggedId ? [w.loggedId] : []));
  const counts = await facts.logged(ids);
  for (const w of ws.written) {
    if (!w.loggedId) continue;
    const n = counts.get(w.loggedId) ?? 0;
    if (n !== 1) problems.push(`${ws.label}: ${w.name} ${w.loggedId} (mutation ${w.mutationId}) is in the change log ${n} times`);
  }
  return problems;
}

export interface ConvergenceReport {
  /** Everything that is wrong, one line each (empty: converged, exactly once). */
  problems: string[];
  /** Per workstation: its picture's hash and the server's for its user. */
  hashes: Array<{ label: string; cache: string; server: string; rows: number }>;
  /** Mutations checked in the ledger, all workstations together. */
  mutations: number;
}

/**
 * Compares each workstation's cache with the server's picture for its user (read once: the
 * traffic must have stopped and every outbox drained, `waitSynced`), waiting up to
 * `timeoutMs` for pokes still on their way, and checks its writes in the server's ledger.
 * `db` is the server's store (file or url). A workstation's cursor may stay below the head:
 * changes outside its scope poke nobody there, and the cursor moves on its next pull.
 */
export async function checkConvergence(opts: { serverUrl: string; db: string; workstations: readonly Workstation[]; timeoutMs?: number }): Promise<ConvergenceReport> {
  const problems: string[] = [];
  const hashes: ConvergenceReport['hashes'] = [];
  const facts = await openServerFacts(opts.db);
  try {
    const servers = new Map<string, Picture>();
    for (const ws of opts.workstations) {
      if (!servers.has(ws.username)) servers.set(ws.username, (await serverPicture(opts.serverUrl, ws.username)).picture);
    }
    const until = Date.now() + (opts.timeoutMs ?? 30_000);
    for (const ws of opts.workstations) {
      const server = servers.get(ws.username) as Picture;
      const theirs = pictureHash(server);
      let cache = readCache(ws.dataDir);
      while ((pictureHash(cache.picture) !== theirs || cache.overlayRows > 0) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        cache = readCache(ws.dataDir);
      }
      if (cache.pendingOutbox > 0) problems.push(`${ws.label}: ${cache.pendingOutbox} mutations still pending in the outbox`);
      if (cache.rejectedOutbox > 0) problems.push(`${ws.label}: ${cache.rejectedOutbox} mutations refused`);
      if (cache.overlayRows > 0) problems.push(`${ws.label}: ${cache.overlayRows} pending rows left in the overlay`);
      if (!cache.wireIsLocal) problems.push(`${ws.label}: the outbox was renumbered (a rebuild): the ledger check needs local = wire ids`);
      const mine = pictureHash(cache.picture);
      hashes.push({ label: ws.label, cache: mine, server: theirs, rows: Object.values(cache.picture).reduce((n, rows) => n + rows.length, 0) });
      if (mine !== theirs) {
        problems.push(`${ws.label}: the cache's picture differs from the server's for ${ws.username}`);
        for (const line of pictureDiff(cache.picture, server)) problems.push(`  ${line}`);
      }
      problems.push(...(await exactlyOnce(facts, ws, cache.clientId)));
    }
  } finally {
    await facts.close();
  }
  return { problems, hashes, mutations: opts.workstations.reduce((n, ws) => n + ws.written.length, 0) };
}

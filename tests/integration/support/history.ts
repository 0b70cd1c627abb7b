/**
 * Histories for the fault tests (issue 11: network cuts, the Jepsen-style convergence test)
 * and the checks run on them once the faults stop and every outbox has drained.
 *
 * A history is what each client saw: every invocation (a mutation it wrote, with its id and
 * the rows it creates) with the outcome the client observed — `ok` (the server answered
 * applied), `refused` (answered rejected), `unknown` (no answer: lost, timed out, client
 * killed) — and the version streams it received (each pull page, each poke), in arrival
 * order. The checks compare it with what the server holds, read from its own SQLite file:
 *
 * - exactly once: a mutation seen `ok` is in the server's ledger as applied and each row it
 *   creates is there once (one change-log version for it); one seen `refused` is in the
 *   ledger as rejected and created nothing; one seen only `unknown` created each row at most
 *   once, and one client never saw both `ok` and `refused` for one mutation id;
 * - one order: the change log is a single total order (one row per version), each client's
 *   pull stream was strictly increasing in version, and each row's states reached each
 *   client in order (a client never received an older state of a row after a newer one, by
 *   pull or by poke);
 * - visibility: each client's cache holds, for every entity, exactly the versions of the
 *   rows the server's own scope rule lets it see — the Socket.IO rooms a change is emitted
 *   to (`roomsForChange`) against those its socket joins (`roomsForSocket`) — at the latest
 *   version of each key: nothing missing, nothing out of scope.
 *
 * Not a test file. Reads the server's file read-only; the caches are read after the clients
 * closed them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mainBoards } from '../../../main/boards';
import { cachesDir } from '../../../main/session/sessionFile';
import { parseRole, privatePathOfRole, roleTerritory, type Territories } from '../../../common/territory';
import { roomsForChange, roomsForSocket } from '../../../sync-server/src/scope';
import { serverBoards } from '../../../sync-server/src/boards';
import { LocalStore } from '../../../main/store/localStore';
import { entities } from '../../../common/boards';
import type { Change } from '../../../common/protocol';

export type Outcome = 'ok' | 'refused' | 'unknown';

/** A server row a mutation creates under an id the client chose (counted in the server's table). */
export interface CreatedRow {
  /** The server table and its key column (`messages`, `id`). */
  table: string;
  column: string;
  value: string;
  /** The change-log entity of that row, when its id is the change log's `entity_id` and the row is written once (append-only). */
  entity?: string;
}

export interface Invocation {
  /** The client id that wrote it (a workstation's, or a raw protocol client's). */
  client: string;
  mutationId: number;
  name: string;
  creates: CreatedRow[];
  outcome: Outcome;
  /** The server's refusal, when `refused`. */
  reason?: string;
}

export interface StreamRecord {
  kind: 'pull' | 'poke';
  versions: number[];
  /** The row each version is of (`entity:key`), in the same order. */
  keys: string[];
  /** The state each change carries (`data.version`; the copies of a row carried once per branch share it). */
  states: number[];
  /** For a pull page: the cursor it was asked from. */
  from?: number;
}

/** Everything the clients saw, in order per client. */
export class History {
  readonly invocations: Invocation[] = [];
  readonly streams = new Map<string, StreamRecord[]>();

  invoke(inv: Invocation): void {
    this.invocations.push(inv);
  }

  received(client: string, record: StreamRecord): void {
    let list = this.streams.get(client);
    if (!list) this.streams.set(client, (list = []));
    list.push(record);
  }

  /** Counts by outcome (each invocation once). */
  counts(): Record<Outcome, number> {
    const out: Record<Outcome, number> = { ok: 0, refused: 0, unknown: 0 };
    for (const i of this.invocations) out[i.outcome]++;
    return out;
  }
}

const ENTITY_DEFS = new Map<string, { key(row: never): string }>(entities.map((e) => [e.name, e as unknown as { key(row: never): string }]));

/** `entity:key` of a change, by the entity's own key function. */
function rowKey(c: Change): string {
  const def = ENTITY_DEFS.get(c.entity);
  return `${c.entity}:${def ? def.key(c.data as never) : '?'}`;
}

/**
 * Records, for every workstation's cache in this process, the versions of each pull page and
 * each poke as the sync client hands them to the cache (the real `LocalStore` methods, wrapped
 * to note their arguments; what they do is unchanged). Returns the undo.
 */
export function recordStreams(history: History): () => void {
  const proto = LocalStore.prototype;
  const applyPull = proto.applyPull;
  const applyChanges = proto.applyChanges;
  proto.applyPull = function (this: LocalStore, changes, cursor) {
    if (changes.length > 0) history.received(this.clientId(), { kind: 'pull', versions: changes.map((c) => c.version), keys: changes.map(rowKey), states: changes.map((c) => c.data.version), from: this.cursor() });
    return applyPull.call(this, changes, cursor);
  };
  proto.applyChanges = function (this: LocalStore, changes) {
    if (changes.length > 0) history.received(this.clientId(), { kind: 'poke', versions: changes.map((c) => c.version), keys: changes.map(rowKey), states: changes.map((c) => c.data.version) });
    return applyChanges.call(this, changes);
  };
  return () => {
    proto.applyPull = applyPull;
    proto.applyChanges = applyChanges;
  };
}

interface LogRow {
  version: number;
  entity: string;
  entity_id: string;
  scope_path: string;
  /** The version the row itself carries (`data.version`): a row written once per branch carries the last of its copies' versions. */
  row_version: number;
}

/** What the server holds, read once from its SQLite file. */
export interface ServerLog {
  /** The change log, in version order (latest-only entities' history included). */
  rows: LogRow[];
  /** Each latest-only entity's current rows (what a pull delivers of it), by entity name. */
  current: Map<string, Array<{ scope_path: string; row_version: number }>>;
  ledger: Map<string, { status: 'applied' | 'rejected'; version: number | null }>;
  /** Rows in a server table with the given key value. */
  count(table: string, column: string, value: string): number;
  /** Distinct change-log versions written for an entity key. */
  versionsOf(entity: string, id: string): number;
}

/** The rows of the server's store the checks need, from SQLite or PostgreSQL. */
interface RawServerData {
  rows: LogRow[];
  ledger: Array<{ client_id: string; mutation_id: number; status: 'applied' | 'rejected'; version: number | null }>;
  current: Map<string, Array<{ scope_path: string; row_version: number }>>;
  counts: Map<string, Map<string, number>>;
}

const LOG_SQL = (json: (col: string) => string) =>
  `SELECT version, entity, entity_id, scope_path, ${json('payload')} AS row_version FROM change_log ORDER BY version, scope_path`;
const LEDGER_SQL = 'SELECT client_id, mutation_id, status, version FROM mutation_results';
const CURRENT_SQL = (table: string, json: (col: string) => string) =>
  `SELECT c.scope_path, ${json('l.payload')} AS row_version FROM "${table}" c JOIN change_log l ON l.version = c.version`;
const COUNT_SQL = (table: string, column: string) => `SELECT "${column}" AS v, count(*) AS n FROM "${table}" GROUP BY "${column}"`;

function latestTables(): Array<[string, string]> {
  return serverBoards.flatMap((b) => Object.entries(b.latest ?? {}).map(([entity, t]): [string, string] => [entity, t.table]));
}

function readSqlite(dbPath: string, created: ReadonlyArray<readonly [string, string]>): RawServerData {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const json = (col: string) => `json_extract(${col}, '$.version')`;
    const current = new Map(latestTables().map(([entity, table]) => [entity, db.prepare(CURRENT_SQL(table, json)).all() as Array<{ scope_path: string; row_version: number }>]));
    const counts = new Map(created.map(([t, c]) => [`${t}.${c}`, new Map((db.prepare(COUNT_SQL(t, c)).all() as Array<{ v: string; n: number }>).map((r) => [r.v, r.n]))]));
    return { rows: db.prepare(LOG_SQL(json)).all() as LogRow[], ledger: db.prepare(LEDGER_SQL).all() as RawServerData['ledger'], current, counts };
  } finally {
    db.close();
  }
}

async function readPostgres(url: string, created: ReadonlyArray<readonly [string, string]>): Promise<RawServerData> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // BIGINT columns come back as strings: cast what is compared as a number.
    const json = (col: string) => `((${col})::json->>'version')::int`;
    const rows = (await client.query(LOG_SQL(json).replace('SELECT version,', 'SELECT version::int AS version,'))).rows as LogRow[];
    const ledger = (await client.query(LEDGER_SQL.replace('mutation_id, status, version', 'mutation_id::int AS mutation_id, status, version::int AS version'))).rows as RawServerData['ledger'];
    const current = new Map<string, Array<{ scope_path: string; row_version: number }>>();
    for (const [entity, table] of latestTables()) current.set(entity, (await client.query(CURRENT_SQL(table, json))).rows as Array<{ scope_path: string; row_version: number }>);
    const counts = new Map<string, Map<string, number>>();
    for (const [t, c] of created) counts.set(`${t}.${c}`, new Map(((await client.query(COUNT_SQL(t, c).replace('count(*)', 'count(*)::int'))).rows as Array<{ v: string; n: number }>).map((r) => [r.v, r.n])));
    return { rows, ledger, current, counts };
  } finally {
    await client.end();
  }
}

/**
 * Reads what the checks need from the server's store (a SQLite file, or a `postgres://` url):
 * the change log, the ledger, each latest-only entity's current rows, and the rows counted in
 * the tables the history's mutations create rows in.
 */
export async function readServerLog(db: string, history?: History): Promise<ServerLog> {
  const created = [...new Set((history?.invocations ?? []).flatMap((i) => i.creates.map((c) => `${c.table}\u0000${c.column}`)))].map((k) => k.split('\u0000') as [string, string]);
  const raw = /^postgres(ql)?:/.test(db) ? await readPostgres(db, created) : readSqlite(db, created);
  const ledger = new Map<string, { status: 'applied' | 'rejected'; version: number | null }>();
  for (const r of raw.ledger) ledger.set(`${r.client_id}#${r.mutation_id}`, { status: r.status, version: r.version });
  const versions = new Map<string, Set<number>>();
  for (const r of raw.rows) {
    const k = `${r.entity}\u0000${r.entity_id}`;
    let s = versions.get(k);
    if (!s) versions.set(k, (s = new Set()));
    s.add(r.version);
  }
  return {
    rows: raw.rows,
    current: raw.current,
    ledger,
    count: (table, column, value) => {
      const counted = raw.counts.get(`${table}.${column}`);
      if (!counted) throw new Error(`rows of ${table}.${column} were not read (pass the history to readServerLog)`);
      return counted.get(value) ?? 0;
    },
    versionsOf: (entity, id) => versions.get(`${entity}\u0000${id}`)?.size ?? 0,
  };
}

/** Exactly once: each mutation's outcome against the ledger and the rows it creates. Returns the faults found. */
export function checkExactlyOnce(history: History, log: ServerLog): string[] {
  const faults: string[] = [];
  const byMutation = new Map<string, Invocation[]>();
  for (const inv of history.invocations) {
    const k = `${inv.client}#${inv.mutationId}`;
    let list = byMutation.get(k);
    if (!list) byMutation.set(k, (list = []));
    list.push(inv);
  }
  for (const [k, invs] of byMutation) {
    const seen = new Set(invs.map((i) => i.outcome));
    const what = `${k} ${invs[0]!.name}`;
    if (seen.has('ok') && seen.has('refused')) faults.push(`${what}: seen both applied and refused`);
    const outcome: Outcome = seen.has('ok') ? 'ok' : seen.has('refused') ? 'refused' : 'unknown';
    const entry = log.ledger.get(k);
    if (outcome === 'ok' && entry?.status !== 'applied') faults.push(`${what}: acknowledged, ledger says ${entry?.status ?? 'nothing'}`);
    if (outcome === 'refused' && entry?.status !== 'rejected') faults.push(`${what}: refused, ledger says ${entry?.status ?? 'nothing'}`);
    // The rows it creates: a mutation id may have been retried (same rows), so the union of what any attempt named.
    const creates = new Map(invs.flatMap((i) => i.creates).map((c) => [`${c.table}.${c.column}=${c.value}`, c]));
    for (const [name, c] of creates) {
      const n = log.count(c.table, c.column, c.value);
      const v = c.entity ? log.versionsOf(c.entity, c.value) : n;
      const expected = outcome === 'ok' ? 1 : outcome === 'refused' ? 0 : null;
      if (expected !== null && (n !== expected || v !== expected)) faults.push(`${what}: ${name} present ${n}× (${v} change-log versions), expected ${expected}`);
      if (expected === null && (n > 1 || v > 1)) faults.push(`${what} (outcome unknown): ${name} present ${n}× (${v} versions), expected at most once`);
      // An unknown outcome must agree with the ledger: applied ⇔ the row exists.
      if (expected === null && entry && (entry.status === 'applied') !== (n === 1)) faults.push(`${what}: ledger ${entry.status} but ${name} present ${n}×`);
    }
  }
  return faults;
}

/**
 * Pokes that arrived with a lower first version than the poke before them (per client, in
 * all). On one server there are none (`fanOut` sends each socket its changes in version
 * order); across nodes, pokes from two nodes may cross on the way (rows carry their version,
 * so the cache keeps the newer whatever the order).
 */
export function pokeReorderings(history: History): number {
  let n = 0;
  for (const records of history.streams.values()) {
    let last = 0;
    for (const r of records) {
      if (r.kind !== 'poke' || r.versions.length === 0) continue;
      if (r.versions[0]! < last) n++;
      last = Math.max(last, r.versions[r.versions.length - 1]!);
    }
  }
  return n;
}

/**
 * One order: the change log is a total order (one row per version), the pull stream of each
 * client is strictly increasing, each poke is, and each row's states reached each client in
 * order in both streams. `pokesInOrder` (one server): the poke stream of each client is
 * strictly increasing as a whole too.
 */
export function checkOneOrder(history: History, log: ServerLog, opts: { pokesInOrder?: boolean } = {}): string[] {
  const faults: string[] = [];
  const byVersion = new Map<number, LogRow[]>();
  for (const r of log.rows) {
    const list = byVersion.get(r.version) ?? [];
    list.push(r);
    byVersion.set(r.version, list);
  }
  // A version names one change (a row carried once per branch shares it, same entity and key).
  for (const [v, list] of byVersion) {
    const keys = new Set(list.map((r) => `${r.entity}:${r.entity_id}`));
    if (keys.size > 1) faults.push(`version ${v} names ${keys.size} different rows: ${[...keys].join(', ')}`);
  }
  for (const [client, records] of history.streams) {
    let lastPull = 0;
    let lastPoke = 0;
    /** Per row, the last version received by each stream. */
    const lastOf = { pull: new Map<string, number>(), poke: new Map<string, number>() };
    for (const [i, r] of records.entries()) {
      for (let j = 1; j < r.versions.length; j++) {
        if (r.versions[j]! <= r.versions[j - 1]!) faults.push(`${client}: ${r.kind} #${i} not in version order (${r.versions[j - 1]} then ${r.versions[j]})`);
      }
      for (const [j, key] of r.keys.entries()) {
        // A row's state is its own version: the copies of a row carried once per branch share it
        // (their change-log versions differ, and one poke per scope group may bring them in either order).
        const v = r.states[j]!;
        const last = lastOf[r.kind].get(key) ?? 0;
        // Pokes of two pushes may cross where pokes are not in order as a whole (PostgreSQL,
        // several nodes: docs/protocol.md §7); the cache keeps the newer state, which the
        // visibility check compares with the server's. Pulls never may.
        if (v < last && (r.kind === 'pull' || opts.pokesInOrder)) faults.push(`${client}: ${r.kind} #${i} brought ${key} in its state ${v} after its state ${last}`);
        lastOf[r.kind].set(key, Math.max(last, v));
      }
      const first = r.versions[0];
      if (first === undefined) continue;
      if (r.kind === 'poke') {
        if (opts.pokesInOrder && first <= lastPoke) faults.push(`${client}: poke #${i} went back (${lastPoke} then ${first})`);
        lastPoke = Math.max(lastPoke, r.versions[r.versions.length - 1]!);
        continue;
      }
      if (r.from !== undefined && first <= r.from) faults.push(`${client}: pull #${i} from cursor ${r.from} brought version ${first}`);
      if (first <= lastPull) faults.push(`${client}: pull #${i} went back (${lastPull} then ${first})`);
      lastPull = r.versions[r.versions.length - 1]!;
    }
  }
  return faults;
}

/** Opens a workstation's one cache file read-only (WAL: a reader beside the open client is fine). */
function openCache(dataDir: string): Database.Database {
  const dir = cachesDir(dataDir);
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sqlite')) : [];
  if (files.length !== 1) throw new Error(`${dataDir}: ${files.length} cache files, expected one`);
  return new Database(join(dir, files[0]!), { readonly: true, fileMustExist: true });
}

/** The client id a workstation's cache pushes under (its `meta` row). */
export function cacheClientId(dataDir: string): string {
  const db = openCache(dataDir);
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'client_id'").pluck().get() as string | undefined) ?? '';
  } finally {
    db.close();
  }
}

/** The versions a cache holds, per entity name. */
export function cacheVersions(dataDir: string): Map<string, Set<number>> {
  const db = openCache(dataDir);
  try {
    const out = new Map<string, Set<number>>();
    for (const b of mainBoards) {
      for (const e of b.entities) {
        const versions = db.prepare(`SELECT version FROM "${e.table}"`).pluck().all() as number[];
        out.set(e.entity.name, new Set(versions));
      }
    }
    return out;
  } finally {
    db.close();
  }
}

/**
 * What a user of `role` must hold, per entity: for a `log` entity, each key's row as the
 * latest change-log row emitted to a room its socket joins carries it; for a latest-only
 * entity, the current rows (the board's current table) in those rooms. `entities` limits it
 * to the entities the cache keeps.
 */
export function expectedVersions(log: ServerLog, role: string, territories: Territories, entities: Iterable<string>): Map<string, Set<number>> {
  const parsed = parseRole(role);
  if (!parsed) throw new Error(`role ${role} does not parse`);
  const path = territories.path(roleTerritory(parsed));
  if (!path) throw new Error(`role ${role}: territory not in the referential`);
  const joined = new Set(roomsForSocket(path, privatePathOfRole(parsed, path)));
  const reach = new Map<string, boolean>();
  const inScope = (scopePath: string): boolean => {
    let ok = reach.get(scopePath);
    if (ok === undefined) reach.set(scopePath, (ok = roomsForChange(scopePath).some((room) => joined.has(room))));
    return ok;
  };
  const latest = new Map<string, { entity: string; version: number; rowVersion: number }>();
  for (const r of log.rows) {
    if (log.current.has(r.entity) || !inScope(r.scope_path)) continue;
    const k = `${r.entity}\u0000${r.entity_id}`;
    const was = latest.get(k);
    if (!was || was.version < r.version) latest.set(k, { entity: r.entity, version: r.version, rowVersion: r.row_version });
  }
  const out = new Map<string, Set<number>>();
  for (const e of entities) out.set(e, new Set());
  for (const { entity, rowVersion } of latest.values()) out.get(entity)?.add(rowVersion);
  for (const [entity, rows] of log.current) {
    const set = out.get(entity);
    if (set) for (const r of rows) if (inScope(r.scope_path)) set.add(r.row_version);
  }
  return out;
}

/** Visibility: a cache holds exactly the expected versions of each entity. Returns the faults found (a few per entity at most). */
export function checkVisibility(client: string, cache: Map<string, Set<number>>, expected: Map<string, Set<number>>): string[] {
  const faults: string[] = [];
  for (const [entity, want] of expected) {
    const have = cache.get(entity) ?? new Set<number>();
    const missing = [...want].filter((v) => !have.has(v));
    const extra = [...have].filter((v) => !want.has(v));
    if (missing.length) faults.push(`${client}: ${entity} missing ${missing.length} row(s) in scope (versions ${missing.slice(0, 8).join(', ')})`);
    if (extra.length) faults.push(`${client}: ${entity} holds ${extra.length} row(s) not expected (versions ${extra.slice(0, 8).join(', ')})`);
  }
  return faults;
}

// ---------------------------------------------------------------------------------------
// The workload: what a workstation of each role may write, through its own ConsoleApi.

/** The ConsoleApi door a workload writes through (a `TestClient`'s `raw`). */
export interface Door {
  raw(name: string, args: unknown): Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string; message: string } }>;
}

export const PITIE = '750100125';
export const BICHAT = '750100232';
const MONDOR = '940100027';
const PROPOFOL_50ML = '3400956100163';
const UNIT_TYPES = ['REA_MED', 'REA_CHIR', 'USC_MED'] as const;
const PATIENT = { ageBand: '61-75', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true, weightClass: null } as const;

/**
 * The workstations of the fault tests: every role kind, several territories; Bichat has two
 * (the same account on two desks), which race to answer the same transfer requests, so the
 * server refuses some of what the workstations queued.
 */
export const WORKSTATIONS: ReadonlyArray<{ name: string; username: string; role: string }> = [
  { name: 'national', username: 'national', role: 'national' },
  { name: 'ars-idf', username: 'ars-idf', role: 'ars:11' },
  { name: 'ars-bretagne', username: 'ars-bretagne', role: 'ars:53' },
  { name: 'samu75', username: 'samu75', role: 'samu:75' },
  { name: 'samu29', username: 'samu29', role: 'samu:29' },
  { name: 'pitie', username: 'pitie', role: `establishment:${PITIE}` },
  { name: 'bichat', username: 'bichat', role: `establishment:${BICHAT}` },
  { name: 'bichat-2', username: 'bichat', role: `establishment:${BICHAT}` },
  { name: 'mondor', username: 'mondor', role: `establishment:${MONDOR}` },
  { name: 'pui-pitie', username: 'pui-pitie', role: `pui:${PITIE}` },
  { name: 'pma75', username: 'pma75', role: 'field:75-PMA-GARE-DE-LYON' },
];

/** What the workload shares between workstations: consignes to acknowledge, transfers to move on. */
export interface Shared {
  consignes: Array<{ id: string; territory: string }>;
  transfers: string[];
  /** Transfers proposed to Bichat (both of its desks race to answer them). */
  proposed: string[];
}

type Op = { call: string; args: unknown; creates?: (id: string) => CreatedRow[] };

const message = (id: string): CreatedRow[] => [{ table: 'messages', column: 'id', value: id, entity: 'message' }];

/** The territories each user posts to (its own, or its parent for establishments and field posts). */
const POST_TO: Readonly<Record<string, readonly string[]>> = {
  national: ['FR', 'R:11', 'R:53'],
  'ars-idf': ['R:11', 'D:75'],
  'ars-bretagne': ['R:53', 'D:29'],
  samu75: ['D:75'],
  samu29: ['D:29'],
};

/** The territory paths a user sees, for choosing a consigne to acknowledge (coarse: D:75, D:29 or everything). */
function sees(username: string, territory: string): boolean {
  if (username === 'national') return true;
  if (username === 'ars-bretagne' || username === 'samu29') return ['FR', 'R:53', 'D:29'].includes(territory);
  if (username === 'mondor') return ['FR', 'R:11'].includes(territory);
  return ['FR', 'R:11', 'D:75'].includes(territory);
}

/** One random operation for `username`, drawn with `random` (0 ≤ x < 1). */
export function nextOp(username: string, random: () => number, shared: Shared, tag: string): Op {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const roll = random();
  const body = `${tag} ${Math.floor(random() * 1e9).toString(36)}`;
  const post = (territory: string): Op => {
    const consigne = random() < 0.3;
    return { call: 'messages.post', args: { eventId: EVENT_ID, territory, kind: consigne ? 'consigne' : 'information', priority: random() < 0.2 ? 'urgent' : 'info', body }, creates: message };
  };
  const own = POST_TO[username];
  const parentPost = (): Op => post(username === 'mondor' ? 'D:94' : 'D:75');
  const ack = (): Op | null => {
    const mine = shared.consignes.filter((c) => sees(username, c.territory));
    return mine.length ? { call: 'messages.acknowledge', args: { messageId: pick(mine).id } } : null;
  };
  if (username === 'pitie' || username === 'bichat' || username === 'mondor') {
    const finess = username === 'pitie' ? PITIE : username === 'bichat' ? BICHAT : MONDOR;
    if (roll < 0.45) {
      const installed = 10 + Math.floor(random() * 30);
      const staffed = Math.floor(installed * (0.6 + 0.4 * random()));
      const available = Math.floor(staffed * random());
      return { call: 'beds.report', args: { finess, unitType: pick(UNIT_TYPES), installed, staffed, available, confirmJump: true }, creates: (id) => [{ table: 'unit_reports', column: 'id', value: id }] };
    }
    if (username === 'bichat' && shared.proposed.length && roll < 0.75) {
      const id = pick(shared.proposed.slice(-4));
      return random() < 0.7 ? { call: 'transfers.step', args: { id, step: 'accept', holdHours: 1 } } : { call: 'transfers.step', args: { id, step: 'refuse', reason: 'Pas de place ce soir' } };
    }
    if (username === 'pitie' && roll < 0.6) return { call: 'transfers.create', args: { patient: PATIENT, originFiness: PITIE, urgency: 'moins_6h' }, creates: (id) => [{ table: 'transfers', column: 'id', value: id }] };
    return (roll < 0.8 && ack()) || parentPost();
  }
  if (username === 'pui-pitie') {
    if (roll < 0.6) return { call: 'stocks.report', args: { finess: PITIE, lines: [{ cip13: PROPOFOL_50ML, onHand: Math.floor(random() * 400), used7d: Math.floor(random() * 100) }] } };
    return parentPost();
  }
  if (username === 'pma75') return (roll < 0.3 && ack()) || parentPost();
  if (username === 'samu75') {
    if (roll < 0.15) return { call: 'transfers.create', args: { patient: PATIENT, originFiness: PITIE, urgency: 'immediate' }, creates: (id) => [{ table: 'transfers', column: 'id', value: id }] };
    if (roll < 0.5 && shared.transfers.length) {
      const id = pick(shared.transfers.slice(-4));
      return random() < 0.85 ? { call: 'transfers.step', args: { id, step: 'propose', destFiness: BICHAT, destUnitId: 'REA_MED' } } : { call: 'transfers.step', args: { id, step: 'cancel', reason: 'Patient stabilisé' } };
    }
  }
  return (roll > 0.85 && ack()) || post(pick(own ?? ['D:75']));
}

/** The demo crisis event every post goes to (`DEMO_IDS.event`). */
const EVENT_ID = '3f1c2a9e-6b1d-4c51-9a7e-0c0d19a20001';

/**
 * Runs one operation on a workstation: a call the cache refused locally is no mutation (not
 * recorded); a queued one is recorded with its receipt's mutation id, outcome `unknown` until
 * `settleOutcomes`. Returns the invocation, if any.
 */
export async function invoke(door: Door, client: string, op: Op, history: History, shared: Shared): Promise<Invocation | null> {
  const reply = await door.raw(op.call, op.args);
  if (!reply.ok) return null;
  const receipt = reply.data as { mutationId?: number; id?: string };
  if (typeof receipt?.mutationId !== 'number') return null;
  const inv: Invocation = { client, mutationId: receipt.mutationId, name: op.call, creates: op.creates && receipt.id ? op.creates(receipt.id) : [], outcome: 'unknown' };
  history.invoke(inv);
  const args = op.args as { kind?: string; territory?: string };
  if (op.call === 'messages.post' && args.kind === 'consigne' && receipt.id) shared.consignes.push({ id: receipt.id, territory: args.territory ?? '' });
  if (op.call === 'transfers.create' && receipt.id) shared.transfers.push(receipt.id);
  const step = op.args as { id?: string; step?: string };
  if (op.call === 'transfers.step' && step.step === 'propose' && step.id) shared.proposed.push(step.id);
  return inv;
}

/**
 * The outcome each workstation saw for its invocations, once its outbox is drained: a
 * mutation in its list of refusals was `refused`, one still pending is `unknown`, any other
 * was answered applied (an outbox row leaves `pending` only on the server's answer).
 */
export async function settleOutcomes(door: Door, client: string, history: History, pendingIds: ReadonlySet<number> = new Set()): Promise<void> {
  const reply = await door.raw('sync.rejected', {});
  if (!reply.ok) throw new Error(`sync.rejected: ${reply.error.message}`);
  const refused = new Map((reply.data as Array<{ mutationId: number; reason: string }>).map((r) => [r.mutationId, r.reason]));
  for (const inv of history.invocations) {
    if (inv.client !== client || inv.outcome !== 'unknown') continue;
    if (refused.has(inv.mutationId)) {
      inv.outcome = 'refused';
      inv.reason = refused.get(inv.mutationId);
    } else if (!pendingIds.has(inv.mutationId)) inv.outcome = 'ok';
  }
}

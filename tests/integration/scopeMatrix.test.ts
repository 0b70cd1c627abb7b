/**
 * The scope test matrix (issue 10): every role × territory × resource × action against one
 * real seeded server on 127.0.0.1, over the raw protocol (real socket.io clients).
 *
 * The expected rule is data: for each resource and action, which relations between the
 * user's territory and the row's (own, immediate parent, higher ancestor, child, sibling in
 * the same région, another région) each role kind may reach. The cases are generated from
 * the seeded rows and a set of target territories; each one asserts allowed or denied.
 * A denied write must change nothing: the server's picture (domain tables, users) and the
 * change-log head stay as they were, and the refusal is in the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminWire } from '../../common/admin/api';
import { parseRole, roleTerritory } from '../../common/territory';
import { syncWire, type Change, type Mutation, type Poke } from '../../common/protocol';
import { DEMO_PASSWORD } from '../../sync-server/src/demo';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { createUser } from '../../sync-server/src/users/createUser';
import { TEST_STORE } from '../../sync-server/src/testing/stores';
import { rawClient, serverRows, serverTables, startServer, tempDir, type RawSocket, type TestServer } from './harness';

/** Each case is a round trip or more to the store: PostgreSQL's are network ones (the PostgreSQL pass of `npm test`). */
const BUDGET = TEST_STORE === 'postgres' ? 4 : 1;

type RoleKind = 'national' | 'ars' | 'samu' | 'establishment' | 'pui' | 'field';
type Relation = 'own' | 'parent' | 'ancestor' | 'child' | 'sibling' | 'otherRegion';
type Rule = Readonly<Record<RoleKind, readonly Relation[]>>;

const PITIE = '750100125';
const BICHAT = '750100232';
const BREST = '290004324';
const PROPOFOL_50ML = '3400956100163';

/** On the same branch: the row's territory is mine, above mine or below it. */
const BRANCH: Rule = {
  national: ['own', 'parent', 'ancestor', 'child'],
  ars: ['own', 'parent', 'ancestor', 'child'],
  samu: ['own', 'parent', 'ancestor', 'child'],
  establishment: ['own', 'parent', 'ancestor', 'child'],
  pui: ['own', 'parent', 'ancestor', 'child'],
  field: ['own', 'parent', 'ancestor', 'child'],
};
const NOBODY: Rule = { national: [], ars: [], samu: [], establishment: [], pui: [], field: [] };

/** Reads (pull, poke, query events): by entity, where the row's anchors are its territories. */
const READ: Readonly<Record<string, Rule>> = {
  event: BRANCH,
  message: BRANCH,
  ack: BRANCH,
  roomPost: BRANCH,
  roomShift: BRANCH,
  unit: BRANCH,
  hold: BRANCH,
  transfer: BRANCH,
  operation: BRANCH,
  stockLine: BRANCH,
  redeployment: BRANCH,
  allocationRound: BRANCH,
  allocationLine: BRANCH,
  // The parties only (each anchor is a party's own territory): no ancestor, no pharmacy.
  transferSummary: { ...NOBODY, samu: ['own'], establishment: ['own'] },
};

/** Writes: the relation of the mutation's target territory to the author's. */
const WRITE: Readonly<Record<'message.post' | 'unit.report' | 'stock.report' | 'transfer.create' | 'admin.create', Rule>> = {
  'message.post': { national: ['own', 'child'], ars: ['own', 'child'], samu: ['own'], establishment: ['parent'], pui: ['parent'], field: ['parent'] },
  // Establishments enter their own figures; ARS and national import a ROR extract below them.
  'unit.report': { ...NOBODY, national: ['child'], ars: ['child'], establishment: ['own'] },
  // The pharmacy of the establishment; the national cell corrects.
  'stock.report': { ...NOBODY, national: ['child'], pui: ['own'] },
  // The origin establishment, or the SAMU of its département.
  'transfer.create': { ...NOBODY, samu: ['child'], establishment: ['own'] },
  // Administrators create accounts strictly below their own territory.
  'admin.create': { ...NOBODY, national: ['child'], ars: ['child'] },
};

/** A place's stock chart (`stocks:series`): one's own territory or what it contains, never above it. */
const SERIES_READ: Rule = { national: ['own', 'child'], ars: ['own', 'child'], samu: ['own', 'child'], establishment: ['own', 'child'], pui: ['own', 'child'], field: ['own', 'child'] };

/** Other actions by role kind alone. */
const AUDIT_READ: readonly RoleKind[] = ['national'];
const USERS_READ: readonly RoleKind[] = ['national', 'ars'];

/** The principals: one account per role kind and territory of interest. `create` marks accounts the demo does not seed. */
const PRINCIPALS = [
  { username: 'national', role: 'national' },
  { username: 'ars-idf', role: 'ars:11' },
  { username: 'ars-bretagne', role: 'ars:53' },
  { username: 'samu75', role: 'samu:75' },
  { username: 'samu29', role: 'samu:29' },
  { username: 'mx-samu92', role: 'samu:92', create: true },
  { username: 'pitie', role: `establishment:${PITIE}` },
  { username: 'mx-bichat', role: `establishment:${BICHAT}`, create: true },
  { username: 'mx-brest', role: `establishment:${BREST}`, create: true },
  { username: 'mx-pui-pitie', role: `pui:${PITIE}`, create: true },
  { username: 'pma75', role: 'field:75-PMA-GARE-DE-LYON' },
] as const;
type Name = (typeof PRINCIPALS)[number]['username'];

interface Principal {
  name: Name;
  kind: RoleKind;
  territory: string;
  socket: RawSocket;
  clientId: string;
  next: number;
  pokes: Poke[];
}

interface Loose {
  timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> };
}
type Answer = { data: unknown } | { error: { code: string; message: string } };

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
const principals = new Map<Name, Principal>();
let cases = 0;

function kindOf(roleText: string): RoleKind {
  const role = parseRole(roleText);
  if (!role) throw new Error(`bad role ${roleText}`);
  return role.kind === 'establishment' && role.pui ? 'pui' : role.kind;
}

function territoryOf(roleText: string): string {
  const role = parseRole(roleText);
  if (!role) throw new Error(`bad role ${roleText}`);
  return roleTerritory(role);
}

function pathOf(key: string): string {
  const path = server.app.territories.path(key);
  if (!path) throw new Error(`unknown territory ${key}`);
  return path;
}

/** How a row's territory stands to the user's. */
function relation(user: string, row: string): Relation {
  const u = pathOf(user);
  const r = pathOf(row);
  if (u === r) return 'own';
  if (u.startsWith(r)) return u.slice(r.length).split('/').filter(Boolean).length === 1 ? 'parent' : 'ancestor';
  if (r.startsWith(u)) return 'child';
  return u.split('/')[2] === r.split('/')[2] ? 'sibling' : 'otherRegion';
}

function allowed(rule: Rule, p: Principal, target: string): boolean {
  return rule[p.kind].includes(relation(p.territory, target));
}

/** A row's territories (any of them in reach makes it readable). */
function anchors(c: Change): string[] {
  const d = c.data as unknown as Record<string, unknown>;
  const e = (finess: unknown) => `E:${String(finess)}`;
  switch (c.entity) {
    case 'event':
    case 'message':
    case 'ack':
      return [String(d.territory)];
    case 'roomPost':
    case 'roomShift':
      return [String(d.room)];
    case 'unit':
    case 'hold':
    case 'stockLine':
    case 'allocationLine':
      return [e(d.finess)];
    case 'transfer':
      return d.destFiness ? [e(d.originFiness), e(d.destFiness)] : [e(d.originFiness)];
    case 'transferSummary':
      return d.parties as string[];
    case 'redeployment':
      return [e(d.from), e(d.to)];
    case 'operation':
    case 'allocationRound':
      return ['FR'];
  }
}

function keyOf(c: Change): string {
  const d = c.data as unknown as Record<string, unknown>;
  switch (c.entity) {
    case 'unit':
      return `unit ${String(d.finess)}/${String(d.unitId)}`;
    case 'stockLine':
      return `stockLine ${String(d.finess)}/${String(d.cip13)}`;
    case 'ack':
      return `ack ${String(d.messageId)}/${String(d.territory)}`;
    case 'transferSummary':
      return `transferSummary ${String(d.transferId)}`;
    default:
      return `${c.entity} ${String(d.id)}`;
  }
}

function mayRead(p: Principal, c: Change): boolean {
  const rule = READ[c.entity];
  if (!rule) throw new Error(`no read rule for entity ${c.entity}: add it to the table`);
  return anchors(c).some((a) => allowed(rule, p, a));
}

function principal(name: Name): Principal {
  const p = principals.get(name);
  if (!p) throw new Error(`no principal ${name}`);
  return p;
}

async function ask(p: Principal, event: string, payload: unknown): Promise<Answer> {
  return (await (p.socket as unknown as Loose).timeout(10_000).emitWithAck(event, payload)) as Answer;
}

async function push(p: Principal, name: string, args: unknown): Promise<{ status: string; reason?: string; version?: number }> {
  const m: Mutation = { clientId: p.clientId, mutationId: p.next++, name, args, at: new Date().toISOString() };
  const r = await ask(p, syncWire.push, { clientId: p.clientId, mutations: [m] });
  if (!('data' in r)) throw new Error(`push refused: ${r.error.message}`);
  return (r.data as { results: Array<{ status: string; reason?: string; version?: number }> }).results[0]!;
}

async function pullAll(p: Principal): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = 0, more = true; more; ) {
    const r = await ask(p, syncWire.pull, { cursor, limit: 5000 });
    if (!('data' in r)) throw new Error(r.error.message);
    const data = r.data as { changes: Change[]; cursor: number; more: boolean };
    out.push(...data.changes);
    cursor = data.cursor;
    more = data.more;
  }
  return out;
}

/** What a write could change on the server: the domain tables, the accounts and the head (not the ledgers of mutation ids, sessions or audit). */
const LEDGERS = new Set(['audit_log', 'mutation_results', 'clients', 'sessions', 'session_families', 'refresh_tokens', 'login_tickets', 'server_meta', 'user_second_factors', 'recovery_codes', 'feed_keys']);
function picture(): { head: number; tables: Record<string, number>; users: string; audit: number } {
  // One read of every count (on PostgreSQL each read is a `psql` run).
  const names = serverTables(server.dbPath)
    .filter((n) => !LEDGERS.has(n))
    .sort();
  const counts = serverRows<{ name: string; n: number }>(server.dbPath, names.map((n) => `SELECT '${n}' AS name, count(*) AS n FROM "${n}"`).join(' UNION ALL '));
  // Keyed in name order: PostgreSQL may answer the UNION's parts in any order (a parallel append).
  const tables: Record<string, number> = {};
  for (const n of names) tables[n] = Number(counts.find((c) => c.name === n)?.n);
  const head = Number(serverRows<{ v: number }>(server.dbPath, 'SELECT coalesce(max(version), 0) AS v FROM change_log')[0].v);
  const users = JSON.stringify(serverRows(server.dbPath, 'SELECT id, username, display_name, role, disabled FROM users ORDER BY id'));
  const audit = Number(serverRows<{ n: number }>(server.dbPath, 'SELECT count(*) AS n FROM audit_log')[0].n);
  return { head, tables, users, audit };
}

const waitUntil = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const transferArgs = (originFiness: string, summary?: string) => ({
  id: randomUUID(),
  patient: { ageBand: '61-75', sex: 'M', need: 'rea_adulte' },
  ...(summary === undefined ? {} : { summary }),
  originFiness,
  urgency: 'immediate',
});

beforeAll(async () => {
  tmp = tempDir('scope-matrix');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  for (const p of PRINCIPALS) {
    if ('create' in p) {
      await createUser(server.app.store, server.app.territories, { username: p.username, role: p.role, displayName: `Agent ${p.username}`, password: DEMO_PASSWORD }, { passwordPolicy: 'demo-seeding' });
    }
    const clientId = `matrix-${p.username}`;
    const { socket } = await rawClient(server.url, p.username, clientId);
    const pokes: Poke[] = [];
    socket.on(syncWire.poke, (poke) => pokes.push(poke));
    principals.set(p.username, { name: p.username, kind: kindOf(p.role), territory: territoryOf(p.role), socket, clientId, next: 1, pokes });
  }
  // Rows the demo does not hold: a unit in Brest, a transfer from the Pitié to Brest with a clinical summary.
  expect((await push(principal('mx-brest'), 'unit.report', { id: randomUUID(), finess: BREST, unitType: 'REA_MED', installed: 12, staffed: 12, available: 5, confirmJump: true })).status).toBe('applied');
  const t = transferArgs(PITIE, 'Résumé clinique témoin de la matrice');
  expect((await push(principal('samu75'), 'transfer.create', t)).status).toBe('applied');
  expect((await push(principal('samu75'), 'transfer.propose', { id: t.id, destFiness: BREST, destUnitId: 'REA_MED' })).status).toBe('applied');
}, 120_000);

afterAll(async () => {
  for (const p of principals.values()) p.socket.close();
  await server?.close();
  tmp?.cleanup();
  console.log(`scope matrix: ${cases} cases`);
});

describe('scope matrix', () => {
  it('read by pull: every principal receives exactly the rows the table gives it', async () => {
    const pulled = new Map<Name, Map<string, Change>>();
    for (const p of principals.values()) pulled.set(p.name, new Map((await pullAll(p)).map((c) => [keyOf(c), c])));
    // Ground truth: the national pull for shared rows, and every summary anyone received.
    const truth = new Map(pulled.get('national')!);
    for (const rows of pulled.values()) for (const [k, c] of rows) if (c.entity === 'transferSummary') truth.set(k, c);
    const entities = new Set([...truth.values()].map((c) => c.entity));
    for (const e of ['event', 'message', 'ack', 'unit', 'transfer', 'transferSummary', 'stockLine', 'redeployment', 'allocationRound', 'allocationLine']) expect(entities, e).toContain(e);
    expect([...truth.values()].some((c) => c.entity === 'transferSummary')).toBe(true);
    const wrong: string[] = [];
    for (const p of principals.values()) {
      const got = pulled.get(p.name)!;
      for (const [k, c] of truth) {
        cases++;
        const expected = mayRead(p, c);
        if (got.has(k) !== expected) wrong.push(`${p.name} ${expected ? 'misses' : 'receives'} ${k} (${anchors(c).join(', ')})`);
      }
      for (const k of got.keys()) if (!truth.has(k)) wrong.push(`${p.name} receives ${k}, unknown to the ground truth`);
    }
    expect(wrong.slice(0, 20)).toEqual([]);
  }, 120_000 * BUDGET);

  it('live push: each new row is poked to exactly the principals the table gives', async () => {
    for (const p of principals.values()) p.pokes.length = 0;
    const nat = principal('national');
    for (const territory of ['FR', 'R:11', 'R:53', 'D:75', 'D:92', 'D:29']) {
      expect((await push(nat, 'message.post', { id: randomUUID(), eventId: DEMO_IDS.event, territory, kind: 'information', priority: 'info', body: `Poke ${territory}` })).status).toBe('applied');
    }
    expect((await push(principal('pitie'), 'unit.report', { id: randomUUID(), finess: PITIE, unitType: 'REA_MED', installed: 30, staffed: 30, available: 2, confirmJump: true })).status).toBe('applied');
    expect((await push(principal('mx-brest'), 'unit.report', { id: randomUUID(), finess: BREST, unitType: 'REA_MED', installed: 12, staffed: 12, available: 4 })).status).toBe('applied');
    expect((await push(principal('mx-pui-pitie'), 'stock.report', { finess: PITIE, lines: [{ id: randomUUID(), cip13: PROPOFOL_50ML, onHand: 40, dailyUse: 3 }] })).status).toBe('applied');
    expect((await push(principal('samu75'), 'transfer.create', transferArgs(BICHAT, 'Résumé poussé en direct'))).status).toBe('applied');
    const barrier = await push(nat, 'message.post', { id: randomUUID(), eventId: DEMO_IDS.event, territory: 'FR', kind: 'information', priority: 'info', body: 'Barrière' });
    expect(barrier.status).toBe('applied');
    await waitUntil(() => [...principals.values()].every((p) => p.pokes.some((k) => k.version >= barrier.version!)), 'every principal to receive the barrier');
    const poked = new Map<Name, Set<string>>();
    const truth = new Map<string, Change>();
    for (const p of principals.values()) {
      const rows = p.pokes.flatMap((k) => k.changes);
      poked.set(p.name, new Set(rows.map(keyOf)));
      for (const c of rows) truth.set(keyOf(c), c);
    }
    expect(new Set([...truth.values()].map((c) => c.entity))).toEqual(new Set(['message', 'unit', 'stockLine', 'transfer', 'transferSummary']));
    const wrong: string[] = [];
    for (const p of principals.values()) {
      for (const [k, c] of truth) {
        cases++;
        const expected = mayRead(p, c);
        if (poked.get(p.name)!.has(k) !== expected) wrong.push(`${p.name} ${expected ? 'not poked' : 'poked'} ${k} (${anchors(c).join(', ')})`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000 * BUDGET);

  it('read by query: beds:history, stocks:history, stocks:series, admin:users and audit:page follow the table; refusals and exports are audited', async () => {
    const wrong: string[] = [];
    for (const p of principals.values()) {
      for (const finess of [PITIE, BICHAT, BREST]) {
        const target = `E:${finess}`;
        for (const [event, payload, rule] of [
          ['beds:history', { finess, unitType: 'REA_MED' }, READ.unit!],
          ['stocks:history', { finess }, READ.stockLine!],
        ] as const) {
          cases++;
          const before = picture();
          const r = await ask(p, event, payload);
          const expected = allowed(rule, p, target);
          if ('data' in r !== expected) wrong.push(`${p.name} ${event} ${target}: ${'data' in r ? 'answered' : r.error.code}`);
          else if (!expected && !('data' in r) && r.error.code !== 'forbidden') wrong.push(`${p.name} ${event} ${target}: ${r.error.code} instead of forbidden`);
          else if (!expected && !(picture().audit > before.audit)) wrong.push(`${p.name} ${event} ${target}: refused but not audited`);
        }
      }
      for (const place of ['FR', 'R:11', 'R:53', `E:${PITIE}`, `E:${BICHAT}`, `E:${BREST}`]) {
        cases++;
        const before = picture();
        const r = await ask(p, 'stocks:series', { place, molecule: 'propofol' });
        const expected = allowed(SERIES_READ, p, place);
        if ('data' in r !== expected) wrong.push(`${p.name} stocks:series ${place}: ${'data' in r ? 'answered' : r.error.code}`);
        else if (!expected && !('data' in r) && (r.error.code !== 'forbidden' || !(picture().audit > before.audit))) wrong.push(`${p.name} stocks:series ${place}: ${r.error.code}, audited: ${picture().audit > before.audit}`);
      }
      // Exports are made on the workstation from its own (scoped) cache; the server's one export
      // endpoint records them: anyone may, it changes nothing but the audit trail.
      cases++;
      const beforeExport = picture();
      const exported = await ask(p, adminWire.exported, { what: 'beds.export', format: 'csv', rows: 3 });
      const afterExport = picture();
      if (!('data' in exported) || afterExport.audit !== beforeExport.audit + 1 || afterExport.head !== beforeExport.head || JSON.stringify(afterExport.tables) !== JSON.stringify(beforeExport.tables)) wrong.push(`${p.name} audit:exported not recorded alone`);
      cases++;
      const audit = await ask(p, adminWire.auditPage, {});
      if ('data' in audit !== AUDIT_READ.includes(p.kind)) wrong.push(`${p.name} audit:page ${'data' in audit ? 'answered' : 'refused'}`);
      cases++;
      const users = await ask(p, adminWire.users, {});
      if ('data' in users !== USERS_READ.includes(p.kind)) wrong.push(`${p.name} admin:users ${'data' in users ? 'answered' : 'refused'}`);
      if ('data' in users) {
        for (const u of users.data as Array<{ username: string; role: string }>) {
          cases++;
          if (!allowed(WRITE['admin.create'], p, territoryOf(u.role))) wrong.push(`${p.name} lists ${u.username} (${u.role})`);
        }
        // Everyone it administers is listed: the matrix's own accounts below it.
        for (const q of PRINCIPALS) {
          if (!allowed(WRITE['admin.create'], p, territoryOf(q.role))) continue;
          cases++;
          if (!(users.data as Array<{ username: string }>).some((u) => u.username === q.username)) wrong.push(`${p.name} does not list ${q.username}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000 * BUDGET);

  it('write by mutation: allowed writes apply; denied ones change nothing and are audited', async () => {
    const targets = {
      'message.post': ['FR', 'R:11', 'R:53', 'D:75', 'D:92', 'D:29'],
      'unit.report': [`E:${PITIE}`, `E:${BICHAT}`, `E:${BREST}`],
      'stock.report': [`E:${PITIE}`, `E:${BICHAT}`, `E:${BREST}`],
      'transfer.create': [`E:${PITIE}`, `E:${BICHAT}`, `E:${BREST}`],
    } as const;
    const build = (p: Principal, name: keyof typeof targets, target: string): unknown => {
      const finess = target.slice(2);
      switch (name) {
        case 'message.post':
          return { id: randomUUID(), eventId: DEMO_IDS.event, territory: target, kind: 'information', priority: 'info', body: `Matrice ${p.name} → ${target}` };
        case 'unit.report':
          return { id: randomUUID(), finess, unitType: 'USC_MED', installed: 10, staffed: 8, available: 2, confirmJump: true, ...(p.kind === 'ars' || p.kind === 'national' ? { source: 'import' } : {}) };
        case 'stock.report':
          return { finess, comment: 'Correction de la matrice', lines: [{ id: randomUUID(), cip13: PROPOFOL_50ML, onHand: 25, dailyUse: 2 }] };
        case 'transfer.create':
          return transferArgs(finess);
      }
    };
    const wrong: string[] = [];
    for (const p of principals.values()) {
      for (const name of Object.keys(targets) as Array<keyof typeof targets>) {
        for (const target of targets[name]) {
          cases++;
          const expected = allowed(WRITE[name], p, target);
          const before = picture();
          const result = await push(p, name, build(p, name, target));
          const after = picture();
          const what = `${p.name} ${name} → ${target}`;
          if ((result.status === 'applied') !== expected) {
            wrong.push(`${what}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
            continue;
          }
          if (expected) {
            if (!(after.head > before.head)) wrong.push(`${what}: applied but the head did not move`);
          } else {
            if (after.head !== before.head || JSON.stringify(after.tables) !== JSON.stringify(before.tables) || after.users !== before.users) wrong.push(`${what}: denied but the server changed`);
            if (!(after.audit > before.audit)) wrong.push(`${what}: denied but not audited`);
            if (!result.reason || /[A-Za-z]+ (expected|received|Invalid)/.test(result.reason)) wrong.push(`${what}: reason not French: ${String(result.reason)}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000 * BUDGET);

  it('write by administration: accounts are created strictly below the administrator; a refusal changes nothing and is audited', async () => {
    const roles = ['ars:11', 'ars:53', 'samu:75', 'samu:92', 'samu:29', `establishment:${BICHAT}`, `establishment:${BREST}`, `pui:${BREST}`, 'field:75-PMA-MATRICE'];
    const wrong: string[] = [];
    let n = 0;
    for (const p of principals.values()) {
      for (const role of roles) {
        cases++;
        const expected = allowed(WRITE['admin.create'], p, territoryOf(role));
        const before = picture();
        const r = await ask(p, adminWire.create, { username: `mx-new-${++n}`, displayName: `Compte ${n}`, role, password: 'Matrice-Vigie-2026-très-solide' });
        const after = picture();
        const what = `${p.name} admin:create ${role}`;
        if ('data' in r !== expected) {
          wrong.push(`${what}: ${'data' in r ? 'created' : `${r.error.code} ${r.error.message}`}`);
          continue;
        }
        if (expected) {
          if (after.users === before.users) wrong.push(`${what}: answered but no account`);
        } else {
          if (after.users !== before.users || after.head !== before.head) wrong.push(`${what}: denied but the server changed`);
          if (!(after.audit > before.audit)) wrong.push(`${what}: denied but not audited`);
        }
      }
      // Disabling an account outside one's administration: refused, nothing changes.
      cases++;
      const victim = (await server.app.store.findUserByUsername('ars-bretagne'))!;
      const expected = allowed(WRITE['admin.create'], p, 'R:53');
      if (!expected) {
        const before = picture();
        const r = await ask(p, adminWire.setDisabled, { userId: victim.id, disabled: true });
        const after = picture();
        if ('data' in r) wrong.push(`${p.name} disabled ars-bretagne`);
        if (after.users !== before.users) wrong.push(`${p.name} admin:set-disabled: denied but the accounts changed`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000 * BUDGET);
});

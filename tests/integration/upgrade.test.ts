/**
 * Release 0.1.0's own files open and migrate with nothing lost: a sync server database and
 * two workstation caches written by that release (tests/fixtures/release-0.1.0, with pending
 * and rejected work in them), opened by today's code on copies, then synced together.
 */
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { bedsHttp } from '../../common/domain/beds/protocol';
import type { Change } from '../../common/protocol';
import { syncHttp, type LoginResponse } from '../../common/protocol';
import { openLocalStore, type VigieStore } from '../../main/boards';
import { SyncClient } from '../../main/sync/syncClient';
import { SERVER_MIGRATIONS } from '../../sync-server/src/boards';
import { actorFor, REPO_ROOT, testTerritories } from '../support/referential';
import { DEMO_PASSWORD, startServer, tempDir, waitFor, type TestServer } from './harness';

const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'release-0.1.0');
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as {
  feedKey: string;
  samu75: {
    localEventId: string;
    replacedConsigneId: string;
    acknowledgedMessageId: string;
    pendingAckMessageId: string;
    rejectedBody: string;
    pendingMessageId: string;
    pendingEventId: string;
    status: { pending: number; rejected: number };
  };
  pitie: { pendingReportMutationId: number; status: { pending: number; rejected: number } };
};

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
  // The fixtures stay as the release wrote them: every test works on copies.
  expect(readdirSync(FIXTURES).filter((f) => /\.sqlite-/.test(f))).toEqual([]);
});

function copyOf(name: string): string {
  const t = tempDir('upgrade');
  cleanups.push(t.cleanup);
  const file = join(t.dir, name);
  copyFileSync(join(FIXTURES, name), file);
  return file;
}

/** What a release-0.1.0 file holds, read with plain SQL (on a copy: the fixture stays as the release wrote it). */
function rawRows<T>(name: string, sql: string): T[] {
  const db = new Database(copyOf(name), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

async function serverOnCopy(): Promise<{ server: TestServer; file: string }> {
  const file = copyOf('server.sqlite');
  const server = await startServer({ dbPath: file, seed: false });
  cleanups.push(() => server.close());
  return { server, file };
}

function cacheOnCopy(name: string): VigieStore {
  const store = openLocalStore(copyOf(name), testTerritories());
  cleanups.push(() => store.close());
  return store;
}

async function login(serverUrl: string, username: string): Promise<string> {
  const res = await fetch(new URL(syncHttp.login, serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as LoginResponse).token;
}

function syncing(store: VigieStore, serverUrl: string, token: string): SyncClient {
  const sync = new SyncClient({
    serverUrl,
    token,
    store,
    announce: () => undefined,
    emit: () => undefined,
    onSessionExpired: () => undefined,
    ackTimeoutMs: 5_000,
    pokePullDelayMs: 50,
    reconnectDelayMaxMs: 500,
  });
  cleanups.push(() => sync.stop());
  sync.start();
  return sync;
}

describe('a release-0.1.0 server database', () => {
  it('migrates with every account, ledger entry and change kept, and serves the same picture', async () => {
    const before = {
      users: rawRows<{ id: string }>('server.sqlite', 'SELECT id FROM users ORDER BY id'),
      ledger: rawRows<{ client_id: string; last_mutation_id: number }>('server.sqlite', 'SELECT client_id, last_mutation_id FROM clients ORDER BY client_id'),
      results: rawRows<{ n: number }>('server.sqlite', 'SELECT count(*) AS n FROM mutation_results')[0].n,
      log: rawRows<{ version: number; entity: string; payload: string; at: string }>('server.sqlite', 'SELECT version, entity, payload, at FROM change_log ORDER BY version'),
      current: rawRows<{ version: number }>('server.sqlite', 'SELECT version FROM unit_current ORDER BY version'),
      schema: rawRows<{ user_version: number }>('server.sqlite', 'PRAGMA user_version')[0].user_version,
    };
    expect(before.schema).toBe(4);
    const { server, file } = await serverOnCopy();
    const after = new Database(file, { readonly: true });
    cleanups.push(() => void after.close());
    expect(after.pragma('user_version', { simple: true })).toBe(SERVER_MIGRATIONS.length);
    expect(after.prepare('SELECT id FROM users ORDER BY id').all()).toEqual(before.users);
    expect(after.prepare('SELECT client_id, last_mutation_id FROM clients ORDER BY client_id').all()).toEqual(before.ledger);
    expect((after.prepare('SELECT count(*) AS n FROM mutation_results').get() as { n: number }).n).toBe(before.results);
    const log = after.prepare('SELECT version, entity, payload, latest_only FROM change_log ORDER BY version').all() as Array<{
      version: number;
      entity: string;
      payload: string;
      latest_only: number;
    }>;
    // Every change kept; a unit report gains its identity (one unit per type: the type's code), a known observation time, and no surge or ROR detail.
    // A message gains no distribution list (it expects the level below, as it did), and the
    // time the server received it: that of the batch that wrote it, which the log kept.
    const upgraded = before.log.map(({ version, entity, payload, at }) => {
      const data = JSON.parse(payload) as Record<string, unknown>;
      if (entity === 'message') return { version, entity, data: { ...data, ackList: null, receivedAt: at } };
      return { version, entity, data: entity === 'unit' ? { ...data, unitId: data.unitType, unitName: null, atKnown: true, surge: null, assignment: null, temporary: false, ror: null } : data };
    });
    expect(log.map(({ version, entity, payload }) => ({ version, entity, data: JSON.parse(payload) as unknown }))).toEqual(upgraded);
    expect(log.filter((r) => r.latest_only === 1).map((r) => r.entity)).toEqual(log.filter((r) => r.entity === 'unit').map(() => 'unit'));

    // The national cell pulls every event-log change and each unit's current report, once.
    const store = server.app.store;
    const pulled: Change[] = [];
    for (let cursor = 0, more = true; more; ) {
      const page = await store.pull('/FR/', cursor, 1_000);
      pulled.push(...page.changes);
      cursor = page.cursor;
      more = page.more;
    }
    const expected = [...before.log.filter((r) => r.entity !== 'unit').map((r) => r.version), ...before.current.map((r) => r.version)].sort((a, b) => a - b);
    expect(pulled.map((c) => c.version)).toEqual(expected);
  });

  it('keeps its register feed key and its replays: the key still feeds, an old push is answered from the ledger', async () => {
    const { server } = await serverOnCopy();
    const res = await fetch(new URL(bedsHttp.feedUnitReports, server.url), {
      method: 'POST',
      headers: { authorization: `ApiKey ${manifest.feedKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reports: [{ finess: '750100232', unitType: 'USC_MED', installed: 10, staffed: 8, available: 5 }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: Array<{ status: string }> }).results).toEqual([expect.objectContaining({ status: 'applied' })]);
    // seed-samu75's first mutation (the demo's local request) is a replay now: same answer, nothing written.
    const samu = await server.app.store.findUserByUsername('samu75');
    const latest = await server.app.store.latestVersion();
    const replay = await server.app.pushAs(samu!.id, {
      clientId: 'seed-samu75',
      mutations: [{ clientId: 'seed-samu75', mutationId: 1, name: 'message.post', args: {}, at: new Date().toISOString() }],
    });
    expect(replay).toEqual({ data: { results: [expect.objectContaining({ mutationId: 1, status: 'applied' })] } });
    expect(await server.app.store.latestVersion()).toBe(latest);
  });
});

describe('release-0.1.0 workstation caches', () => {
  it('SAMU 75: the synced picture, the refused operation with its reason, and the three pending ones are all still there', () => {
    const raw = 'cache-samu75.sqlite';
    const before = {
      cursor: rawRows<{ value: string }>(raw, "SELECT value FROM meta WHERE key = 'cursor'")[0].value,
      clientId: rawRows<{ value: string }>(raw, "SELECT value FROM meta WHERE key = 'client_id'")[0].value,
      messages: rawRows<{ id: string }>(raw, 'SELECT id FROM messages ORDER BY id').map((r) => r.id),
      units: rawRows<{ n: number }>(raw, 'SELECT count(*) AS n FROM units')[0].n,
      schema: rawRows<{ user_version: number }>(raw, 'PRAGMA user_version')[0].user_version,
    };
    expect(before.schema).toBe(6);
    const store = cacheOnCopy('cache-samu75.sqlite');
    const samu75 = actorFor('u-samu75', 'samu:75', 'SAMU 75');
    expect(store.cursor()).toBe(Number(before.cursor));
    expect(store.clientId()).toBe(before.clientId);
    expect(store.counts()).toEqual(manifest.samu75.status);
    expect(store.rejectedList()).toEqual([expect.objectContaining({ name: 'message.post', reason: expect.stringMatching(/clos/) })]);
    expect((store.rejectedList()[0].args as { body: string }).body).toBe(manifest.samu75.rejectedBody);

    const events = store.boards.eventlog.listEvents();
    expect(events.find((e) => e.id === manifest.samu75.pendingEventId)).toMatchObject({ pending: true });
    expect(events.find((e) => e.id === manifest.samu75.localEventId)).toMatchObject({ status: 'closed', pending: false });
    const demoEvent = events.find((e) => e.title === 'Covid-19 — vague 1')!;
    const messages = store.boards.eventlog.listMessages(demoEvent.id, undefined, samu75);
    // Every message the old cache held is still listed, in its event.
    const listed = events.flatMap((e) => store.boards.eventlog.listMessages(e.id, undefined, samu75).filter((m) => !m.pending).map((m) => m.id));
    expect(listed.sort()).toEqual(before.messages);
    expect(messages.find((m) => m.id === manifest.samu75.pendingMessageId)).toMatchObject({ pending: true, priority: 'urgent' });
    expect(messages.find((m) => m.id === manifest.samu75.replacedConsigneId)?.replacedBy).not.toBeNull();
    expect(messages.find((m) => m.id === manifest.samu75.pendingAckMessageId)).toMatchObject({ ackedByMe: true });
    expect(messages.find((m) => m.id === manifest.samu75.acknowledgedMessageId)).toMatchObject({ ackedByMe: true });

    expect(store.boards.beds.listUnits()).toHaveLength(before.units);
    // 0.1 stored occupancy thresholds; colours now count free beds: the stale delay is kept,
    // the thresholds are today's default (an occupancy ratio does not translate into beds).
    expect(store.boards.beds.bedSettings()).toEqual({ staleAfterHours: 36, thresholds: { fewFree: 2 } });
    // The live views' counters carried over: a view that never looked gets everything, a view at the top nothing.
    const top = store.boards.eventlog.messageCursor();
    expect(store.boards.eventlog.messageChangesSince(demoEvent.id, undefined, samu75, top)).toEqual({ full: false, messages: [], removed: [], cursor: top });
    expect(store.boards.beds.unitChangesSince(0).units).toHaveLength(before.units);
  });

  it('SAMU 75 and the Pitié sync their pending work to the migrated server, exactly once, and settle', async () => {
    const { server, file } = await serverOnCopy();
    const samu = cacheOnCopy('cache-samu75.sqlite');
    const pitie = cacheOnCopy('cache-pitie.sqlite');
    const pendingReport = pitie.boards.beds.listUnits().find((u) => u.pending);
    expect(pendingReport).toMatchObject({ unitType: 'REA_MED', available: 1 });
    syncing(samu, server.url, await login(server.url, 'samu75'));
    syncing(pitie, server.url, await login(server.url, 'pitie'));
    await waitFor(() => samu.counts().pending === 0 && pitie.counts().pending === 0, 'the pending work to be applied');
    await waitFor(() => samu.overlayCount() === 0 && pitie.overlayCount() === 0, 'the overlays to settle');
    expect(samu.counts().rejected).toBe(1); // still shown until the user dismisses it

    const db = new Database(file, { readonly: true });
    cleanups.push(() => void db.close());
    const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;
    expect(count('SELECT count(*) AS n FROM messages WHERE id = ?', manifest.samu75.pendingMessageId)).toBe(1);
    expect(count('SELECT count(*) AS n FROM events WHERE id = ?', manifest.samu75.pendingEventId)).toBe(1);
    expect(count("SELECT count(*) AS n FROM acks WHERE message_id = ? AND territory = 'D:75'", manifest.samu75.pendingAckMessageId)).toBe(1);
    expect(count("SELECT count(*) AS n FROM change_log WHERE entity_id = ?", manifest.samu75.pendingMessageId)).toBe(1);
    expect(db.prepare(`SELECT r.available FROM unit_current c JOIN unit_reports r ON r.id = c.report_id WHERE c.finess = '750100125' AND c.unit_id = 'REA_MED'`).get()).toEqual({
      available: 1,
    });
    // Each workstation sees the other's work once it has pulled.
    await waitFor(() => samu.boards.beds.listUnits().some((u) => u.finess === '750100125' && u.unitType === 'REA_MED' && u.available === 1 && !u.pending), 'the Pitié report at SAMU 75');
  });
});

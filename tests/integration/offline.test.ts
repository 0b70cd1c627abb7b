/**
 * Offline is the normal case: a client that is shut down, restarted without a server, and
 * writes for a long time catches up with nothing missed in either direction once a fresh
 * server process (no connection-state recovery possible) is back on the same port and db.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { randomUUID } from 'node:crypto';
import { syncWire, type PushResult, type Reply } from '../../common/protocol';
import { loginClient, openClient, rawClient, serverDb, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function bodies(c: TestClient): Promise<string[]> {
  return (await c.call('messages.list', { eventId: DEMO_IDS.event })).map((m) => m.body);
}
const post = (c: TestClient, territory: string, body: string) =>
  c.call('messages.post', { eventId: DEMO_IDS.event, territory, kind: 'information', priority: 'info', body });

describe('a long offline period', () => {
  it('catches up with nothing missed in either direction after the server restarts from a fresh process', async () => {
    const tmp = tempDir('offline');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server: TestServer = await startServer({ dbPath });
    cleanup.push(() => server.close());
    const port = server.port;
    const pmaDir = join(tmp.dir, 'pma75');

    let pma = await loginClient(pmaDir, server.url, 'pma75');
    const ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    cleanup.push(() => ars.close());
    await waitSynced(pma);
    await waitSynced(ars);

    // The field post shuts down; the ARS keeps writing, then the server goes away entirely.
    await pma.close();
    const fromArs: string[] = [];
    for (let i = 0; i < 5; i++) {
      fromArs.push(`ARS pendant l’absence du PMA ${i}`);
      await post(ars, 'R:11', fromArs[i]);
    }
    await waitSynced(ars);
    await server.close();

    // The post restarts with no server: its session resumes from disk, it keeps working.
    pma = openClient(pmaDir, server.url);
    cleanup.push(() => pma.close());
    expect((await pma.call('session.current', {}))?.user.username).toBe('pma75');
    const fromPma: string[] = [];
    for (let i = 0; i < 20; i++) {
      fromPma.push(`PMA hors ligne ${i}`);
      await post(pma, 'D:75', fromPma[i]);
    }
    // The ARS writes too while the server is down: queued on its side.
    for (let i = 5; i < 8; i++) {
      fromArs.push(`ARS pendant la panne ${i}`);
      await post(ars, 'R:11', fromArs[i]);
    }
    const offline = await waitFor(async () => {
      const s = await pma.call('sync.status', {});
      return s.state === 'offline' && s.detail?.includes('injoignable') ? s : null;
    }, 'the post to report offline');
    expect(offline.pending).toBe(20);
    expect(offline.detail).toMatch(/injoignable/);
    expect(await bodies(pma)).toEqual(expect.arrayContaining(fromPma));

    // A new server process on the same port and database: no Socket.IO session to recover.
    server = await startServer({ dbPath, port, seed: false });
    await waitSynced(pma, 30_000);
    await waitSynced(ars, 30_000);

    const pmaSees = await bodies(pma);
    const arsSees = await bodies(ars);
    for (const b of fromArs) expect(pmaSees).toContain(b);
    for (const b of fromPma) expect(arsSees).toContain(b);
    // Exactly once on the server, in the order written.
    const db = serverDb(dbPath);
    const rows = [...db.messageIds()].map((id) => db.message(id)?.body);
    for (const b of [...fromArs, ...fromPma]) expect(rows.filter((r) => r === b)).toHaveLength(1);
    db.close();
    const pmaMessages = (await pma.call('messages.list', { eventId: DEMO_IDS.event })).filter((m) => m.body.startsWith('PMA hors ligne'));
    expect(pmaMessages.every((m) => !m.pending)).toBe(true);
    const versions = fromPma.map((b) => pmaMessages.find((m) => m.body === b)?.version ?? 0);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  }, 90_000);
});

describe('a message delivered late', () => {
  it('carries the server’s reception time beside its author’s, so the receiving side can say it was written offline', async () => {
    const tmp = tempDir('late');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
    cleanup.push(() => server.close());
    const ars = await loginClient(join(tmp.dir, 'ars-idf'), server.url, 'ars-idf');
    cleanup.push(() => ars.close());
    await waitSynced(ars);

    // What a field post's outbox sends when it comes back after 40 minutes offline: its
    // mutations keep the time they were written.
    const clientId = `raw-samu75-${randomUUID().slice(0, 8)}`;
    const { socket } = await rawClient(server.url, 'samu75', clientId);
    cleanup.push(() => void socket.disconnect());
    const writtenAt = new Date(Date.now() - 40 * 60_000).toISOString();
    const late = { id: randomUUID(), eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'urgent', body: 'Écrit sous le tunnel' };
    const onTime = { ...late, id: randomUUID(), priority: 'info', body: 'Écrit à l’instant' };
    const before = Date.now();
    const reply = (await socket.emitWithAck(syncWire.push, {
      clientId,
      mutations: [
        { clientId, mutationId: 1, name: 'message.post', args: late, at: writtenAt },
        { clientId, mutationId: 2, name: 'message.post', args: onTime, at: new Date().toISOString() },
      ],
    })) as Reply<PushResult>;
    expect('data' in reply && reply.data.results.map((r) => r.status)).toEqual(['applied', 'applied']);

    const seen = await waitFor(async () => {
      const list = await ars.call('messages.list', { eventId: DEMO_IDS.event });
      const a = list.find((m) => m.id === late.id);
      const b = list.find((m) => m.id === onTime.id);
      return a && b ? { a, b } : null;
    }, 'both messages at the ARS');
    expect(seen.a.at).toBe(writtenAt);
    // Received by the server now, by its clock: forty minutes after it was written.
    expect(Date.parse(seen.a.receivedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(seen.a.receivedAt ?? '') - Date.parse(seen.a.at)).toBeGreaterThan(39 * 60_000);
    expect(Math.abs(Date.parse(seen.b.receivedAt ?? '') - Date.parse(seen.b.at))).toBeLessThan(60_000);
    // An urgent message delivered late is announced like any urgent message.
    expect(ars.eventsOf('message.urgent').find((u) => u.id === late.id)).toMatchObject({ at: writtenAt, receivedAt: seen.a.receivedAt });
  });
});

/**
 * The restart into an update waits for the real outbox: a workstation that wrote while the
 * server was away gets no offer until its mutations are confirmed, through the console
 * services' own calls and events (electron-updater itself is replaced by FakeUpdater: it
 * cannot run without the Electron binary).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleServices } from '../../main/services';
import { UpdateController } from '../../main/updates/controller';
import { resolveUpdateFeed } from '../../main/updates/feed';
import { FakeUpdater } from '../../main/updates/testSupport';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { DEMO_PASSWORD, FAST_SYNC, startServer, tempDir, TestClient, waitFor, waitSynced, type TestServer } from './harness';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('updates on a workstation with pending work', () => {
  it('offers the restart only once the outbox is empty, and refuses it before', async () => {
    const tmp = tempDir('updates');
    cleanup.push(tmp.cleanup);
    const dbPath = join(tmp.dir, 'server.sqlite');
    let server: TestServer = await startServer({ dbPath });
    cleanup.push(() => server.close());

    const updater = new FakeUpdater();
    const client = new TestClient(
      createConsoleServices({
        dataDir: join(tmp.dir, 'samu75'),
        serverUrl: server.url,
        syncTuning: FAST_SYNC,
        log: () => undefined,
        updates: (deps) => {
          const c = new UpdateController({ ...deps, updater, feed: resolveUpdateFeed({ url: 'http://127.0.0.1:9/maj/' }) });
          c.start();
          return c;
        },
      }),
      join(tmp.dir, 'samu75'),
    );
    cleanup.push(() => client.close());
    await client.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(client);
    expect(updater.configured).toEqual([{ url: 'http://127.0.0.1:9/maj/', channel: 'latest' }]);

    // The server goes away; two messages wait in the outbox.
    await server.close();
    for (const body of ['Point de situation 1', 'Point de situation 2']) {
      await client.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body });
    }
    expect((await client.call('sync.status', {})).pending).toBe(2);

    // The update arrives meanwhile: no offer, and a restart asked anyway is refused.
    updater.report({ type: 'checking' });
    updater.report({ type: 'available', version: '0.2.0' });
    updater.report({ type: 'downloaded', version: '0.2.0' });
    expect(await client.call('update.status', {})).toMatchObject({ state: 'waiting', version: '0.2.0', pending: 2 });
    const refused = await client.raw('update.restart', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(!refused.ok && refused.error.message).toMatch(/2 opérations de ce poste n’ont pas encore été confirmées/);
    expect(updater.installs).toBe(0);

    // The server comes back on the same port: the outbox drains, the offer follows by itself.
    server = await startServer({ dbPath, port: server.port, seed: false });
    await waitSynced(client);
    await waitFor(() => client.eventsOf('update.status').some((s) => s.state === 'ready'), 'the restart to be offered');
    expect(client.eventsOf('update.status').map((s) => s.state)).toContain('waiting');

    expect(await client.call('update.restart', {})).toMatchObject({ state: 'restarting', version: '0.2.0' });
    expect(updater.installs).toBe(1);
  });

  it('is off in the web host and says why', async () => {
    const tmp = tempDir('updates-off');
    cleanup.push(tmp.cleanup);
    const client = new TestClient(createConsoleServices({ dataDir: tmp.dir, serverUrl: 'http://127.0.0.1:9', log: () => undefined }), tmp.dir);
    cleanup.push(() => client.close());
    expect(await client.call('update.status', {})).toMatchObject({ state: 'disabled', detail: expect.stringMatching(/version navigateur/) });
    expect(await client.raw('update.restart', {})).toMatchObject({ ok: false, error: { code: 'rejected' } });
  });
});

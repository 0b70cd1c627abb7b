/**
 * The workstation over HTTPS and WSS (issue 10, transport): the real main-process services
 * log in and sync with a real sync server serving a self-signed certificate they pin; a
 * different certificate stops both the login and the sync connection with a French
 * explanation; plain HTTP to another machine is refused before anything is sent.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { createApp, type SyncServerApp } from '../../sync-server/src/app';
import { seedDemo } from '../../sync-server/src/demo';
import { loadServerTerritories } from '../../sync-server/src/referential';
import { selfSignedCertificate, type TestCertificate } from '../../sync-server/src/testing/tls';
import { createConsoleServices } from '../../main/services';
import { DEMO_PASSWORD, FAST_SYNC, TestClient, tempDir, waitFor, waitSynced } from './harness';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tlsServer(dir: string, c: TestCertificate): Promise<{ app: SyncServerApp; url: string }> {
  const app = createApp({ dbPath: join(dir, 'server.sqlite'), territories: loadServerTerritories(), log: () => undefined, tls: { cert: c.cert, key: c.key } });
  cleanups.push(() => app.close());
  await seedDemo(app);
  return { app, url: await app.listen(0, '127.0.0.1') };
}

function workstation(dataDir: string, serverUrl: string, certFingerprint?: string): TestClient {
  const c = new TestClient(createConsoleServices({ dataDir, serverUrl, certFingerprint, syncTuning: FAST_SYNC, log: () => undefined }), dataDir);
  cleanups.push(() => c.close());
  return c;
}

it('logs in over HTTPS and syncs over WSS with the pinned certificate: the cache fills from the server', { timeout: 60_000 }, async () => {
  const tmp = tempDir('tls-ok');
  cleanups.push(tmp.cleanup);
  const cert = selfSignedCertificate(tmp.dir);
  const { app, url } = await tlsServer(tmp.dir, cert);
  expect(url.startsWith('https://')).toBe(true);

  const c = workstation(join(tmp.dir, 'samu29'), url, cert.fingerprint);
  await c.call('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  await waitSynced(c);
  expect(await app.store.latestVersion()).toBeGreaterThan(0);
  const events = await c.call('events.list', {});
  expect(events.length).toBeGreaterThan(0);
});

it('refuses another certificate at login and on the sync connection of a remembered session, saying so in French', { timeout: 60_000 }, async () => {
  const tmp = tempDir('tls-pin');
  cleanups.push(tmp.cleanup);
  const served = selfSignedCertificate(tmp.dir, 'served');
  const { url } = await tlsServer(tmp.dir, served);

  // A session remembered while the right certificate was pinned…
  const dataDir = join(tmp.dir, 'samu29');
  const good = workstation(dataDir, url, served.fingerprint);
  await good.call('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  await waitSynced(good);
  await good.close();
  cleanups.pop();

  // …then the workstation expects another certificate (or the server presents another one).
  const expected = selfSignedCertificate(tmp.dir, 'expected');
  const c = workstation(dataDir, url, expected.fingerprint);
  const mismatch = fr.transport.pinMismatch(url, served.fingerprint);
  // The sync socket (WSS) of the resumed session is refused, and the status line says why.
  await waitFor(async () => {
    const s = await c.call('sync.status', {});
    return s.state === 'offline' && s.detail === mismatch;
  }, 'the sync status to name the refused certificate');
  // A new login is refused with the same explanation: the password was not sent.
  const login = await c.raw('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  expect(login).toEqual({ ok: false, error: { code: 'unreachable', message: mismatch } });
});

it('refuses plain HTTP to another machine before anything is sent, at login and in the status line', async () => {
  const tmp = tempDir('tls-plain');
  cleanups.push(tmp.cleanup);
  const url = 'http://10.20.30.40:4100';
  const c = workstation(join(tmp.dir, 'ws'), url);
  const login = await c.raw('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  expect(login).toEqual({ ok: false, error: { code: 'unreachable', message: fr.transport.plainServerRefused(url) } });
  expect((await c.call('sync.status', {})).detail).toBe(fr.transport.plainServerRefused(url));
});

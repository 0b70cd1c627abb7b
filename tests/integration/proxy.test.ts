/**
 * The policy's proxy for the main process's own connections (docs/policy.md, `proxy`): a
 * real CONNECT proxy written here on 127.0.0.1, a real sync server with TLS on 127.0.0.1,
 * and the real main-process services of a workstation whose policy fixes the server, its
 * certificate's pin and the proxy.
 *
 * The workstation names its server `vigie.test`, a name only the proxy knows (it maps
 * `vigie.test:<port>` to 127.0.0.1:<port>): every byte the workstation exchanges with the
 * server had to cross the proxy, and the proxy counts the tunnels and their targets.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { createApp, type SyncServerApp } from '../../sync-server/src/app';
import { MANDATORY_SECOND_FACTOR_ROLES } from '../../sync-server/src/auth/authService';
import { DEMO_USERS, seedDemo } from '../../sync-server/src/demo';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { loadServerTerritories } from '../../sync-server/src/referential';
import { selfSignedCertificate, type TestCertificate } from '../../sync-server/src/testing/tls';
import { createConsoleServices } from '../../main/services';
import { workstationPolicy } from '../../main/policy';
import { DEMO_PASSWORD, FAST_SYNC, TestClient, tempDir, waitFor, waitSynced } from './harness';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The server's name as the workstation knows it: resolvable only by the proxy. */
const SERVER_NAME = 'vigie.test';

async function tlsServer(dir: string, c: TestCertificate): Promise<{ app: SyncServerApp; url: string; port: number }> {
  // As `--demo` does: ARS needs TOTP, waived for the demonstration accounts.
  const secondFactor = { requiredRoles: MANDATORY_SECOND_FACTOR_ROLES, waivedUsernames: DEMO_USERS.map((u) => u.username) };
  const app = createApp({ dbPath: join(dir, 'server.sqlite'), territories: loadServerTerritories(), log: () => undefined, tls: { cert: c.cert, key: c.key }, secondFactor });
  cleanups.push(() => app.close());
  await seedDemo(app);
  const url = await app.listen(0, '127.0.0.1');
  return { app, url, port: Number(new URL(url).port) };
}

interface TestProxy {
  url: string;
  /** `host:port` of each CONNECT the proxy received, in order. */
  targets: string[];
  /** Tunnels still open. */
  open(): number;
}

/**
 * A CONNECT proxy on 127.0.0.1: `vigie.test:<port>` goes to 127.0.0.1:<port>, any other
 * target is refused (502). With `answer407`, every CONNECT is answered 407.
 */
async function connectProxy(opts: { answer407?: boolean } = {}): Promise<TestProxy> {
  const targets: string[] = [];
  const sockets = new Set<Duplex>();
  let open = 0;
  const server: HttpServer = createHttpServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    const target = req.url ?? '';
    targets.push(target);
    sockets.add(client);
    client.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    if (opts.answer407) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="ars"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const m = /^vigie\.test:(\d+)$/.exec(target);
    if (!m) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream: Socket = netConnect(Number(m[1]), '127.0.0.1', () => {
      open += 1;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => {
      if (!upstream.destroyed) {
        open -= 1;
        upstream.destroy();
      }
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets, open: () => open };
}

/** A workstation whose administrator's policy fixes the server (`serverUrl`, pinned to `fingerprint`) and the proxy (`proxyUrl`, with `bypass`). */
function workstation(dataDir: string, serverUrl: string, fingerprint: string, proxyUrl: string, bypass: string[] = []): TestClient {
  const policy = workstationPolicy({ organisation: 'ARS Test — DSI', server: { url: serverUrl, fingerprint }, proxy: { mode: 'fixed', url: proxyUrl, bypass } }, 'policy.json');
  const c = new TestClient(createConsoleServices({ dataDir, serverUrl: null, policy, syncTuning: FAST_SYNC, log: () => undefined }), dataDir);
  cleanups.push(() => c.close());
  return c;
}

it('logs in and syncs live through the proxy: a message posted elsewhere arrives through the tunnel', { timeout: 90_000 }, async () => {
  const tmp = tempDir('proxy-ok');
  cleanups.push(tmp.cleanup);
  const cert = selfSignedCertificate(tmp.dir);
  const { url: directUrl, port } = await tlsServer(tmp.dir, cert);
  const proxy = await connectProxy();
  const serverUrl = `https://${SERVER_NAME}:${port}`;

  const ars = workstation(join(tmp.dir, 'ars-idf'), serverUrl, cert.fingerprint, proxy.url);
  await ars.call('session.login', { username: 'ars-idf', password: DEMO_PASSWORD });
  await waitSynced(ars);
  expect((await ars.call('events.list', {})).map((e) => e.id)).toContain(DEMO_IDS.event);
  // The login (HTTP) and the Socket.IO connection each opened a tunnel, all to the server's name.
  expect(proxy.targets.length).toBeGreaterThanOrEqual(2);
  expect(new Set(proxy.targets)).toEqual(new Set([`${SERVER_NAME}:${port}`]));
  expect((await ars.call('sync.status', {})).state).toBe('online');

  // Another workstation, straight to the server, posts; the proxied one is told at once.
  const samu = new TestClient(createConsoleServices({ dataDir: join(tmp.dir, 'samu75'), serverUrl: directUrl, certFingerprint: cert.fingerprint, syncTuning: FAST_SYNC, log: () => undefined }), join(tmp.dir, 'samu75'));
  cleanups.push(() => samu.close());
  await samu.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
  await waitSynced(samu);
  const before = proxy.targets.length;
  const receipt = await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'urgent', body: 'Afflux de victimes gare de Lyon' });
  await waitFor(() => ars.eventsOf('message.urgent').find((u) => u.id === receipt.id), 'the urgent message at the proxied workstation');
  const seen = (await ars.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === receipt.id);
  expect(seen?.body).toBe('Afflux de victimes gare de Lyon');
  // It came over the live socket's tunnel, still open, not a new connection.
  expect(proxy.open()).toBeGreaterThanOrEqual(1);
  expect(proxy.targets.length).toBe(before);
});

it('still checks the pin through the proxy: the server’s own certificate, when not the pinned one, is refused in French', { timeout: 60_000 }, async () => {
  const tmp = tempDir('proxy-pin');
  cleanups.push(tmp.cleanup);
  const served = selfSignedCertificate(tmp.dir, 'served');
  const expected = selfSignedCertificate(tmp.dir, 'expected');
  const { port } = await tlsServer(tmp.dir, served);
  const proxy = await connectProxy();
  const serverUrl = `https://${SERVER_NAME}:${port}`;

  const c = workstation(join(tmp.dir, 'ws'), serverUrl, expected.fingerprint, proxy.url);
  const login = await c.raw('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  expect(login).toEqual({ ok: false, error: { code: 'unreachable', message: fr.transport.pinMismatch(serverUrl, served.fingerprint) } });
  // The tunnel was opened (the proxy is used), and TLS inside it reached the server's own certificate.
  expect(proxy.targets).toEqual([`${SERVER_NAME}:${port}`]);
  expect((await c.call('sync.status', {})).state).toBe('offline');
});

it('a proxy asking for authentication (407) is named in French at login and in the sync status', { timeout: 90_000 }, async () => {
  const tmp = tempDir('proxy-407');
  cleanups.push(tmp.cleanup);
  const cert = selfSignedCertificate(tmp.dir);
  const { port } = await tlsServer(tmp.dir, cert);
  const good = await connectProxy();
  const demanding = await connectProxy({ answer407: true });
  const serverUrl = `https://${SERVER_NAME}:${port}`;
  const authority = `${SERVER_NAME}:${port}`;
  const refusal = fr.transport.proxyAuth(demanding.url, authority, false);

  // A session remembered while the proxy let it through…
  const dataDir = join(tmp.dir, 'samu29');
  const before = workstation(dataDir, serverUrl, cert.fingerprint, good.url);
  await before.call('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  await waitSynced(before);
  await before.close();
  cleanups.pop();

  // …then the proxy demands credentials: the sync status says so, not « serveur injoignable ».
  const c = workstation(dataDir, serverUrl, cert.fingerprint, demanding.url);
  await waitFor(async () => {
    const s = await c.call('sync.status', {});
    return s.state === 'offline' && s.detail === refusal;
  }, 'the sync status to name the proxy asking for authentication');
  expect(refusal).toContain('407');
  expect(refusal).toContain(demanding.url);
  // A new login gets the same explanation.
  await c.call('session.logout', {});
  const login = await c.raw('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  expect(login).toEqual({ ok: false, error: { code: 'unreachable', message: refusal } });
  expect(demanding.targets.length).toBeGreaterThanOrEqual(2);
  expect(new Set(demanding.targets)).toEqual(new Set([authority]));
});

it('a host of the bypass list is reached without the proxy', { timeout: 60_000 }, async () => {
  const tmp = tempDir('proxy-bypass');
  cleanups.push(tmp.cleanup);
  const cert = selfSignedCertificate(tmp.dir);
  const { port } = await tlsServer(tmp.dir, cert);
  const proxy = await connectProxy();
  // 0.0.0.0 is not a loopback name (the transport would proxy it), yet Linux connects it to
  // this machine: only the bypass list keeps it off the proxy, which would refuse it (502).
  const serverUrl = `https://0.0.0.0:${port}`;

  const c = workstation(join(tmp.dir, 'ws'), serverUrl, cert.fingerprint, proxy.url, ['*.ars.fr', '0.0.0.0/8']);
  await c.call('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  await waitSynced(c);
  expect(proxy.targets).toEqual([]);

  // The same host without the bypass rule goes to the proxy, which refuses it: the French message says so.
  const other = workstation(join(tmp.dir, 'ws2'), serverUrl, cert.fingerprint, proxy.url, ['*.ars.fr']);
  const login = await other.raw('session.login', { username: 'samu29', password: DEMO_PASSWORD });
  expect(login).toEqual({ ok: false, error: { code: 'unreachable', message: fr.transport.proxyRefused(proxy.url, `0.0.0.0:${port}`, '502 Bad Gateway') } });
  expect(proxy.targets).toEqual([`0.0.0.0:${port}`]);
});

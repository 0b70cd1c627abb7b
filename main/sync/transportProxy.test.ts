/**
 * The transport through a proxy, against real sockets on 127.0.0.1: each way a proxy fails
 * (nothing listening, no answer, a refusal, credentials) gives its own French message naming
 * the proxy, kept as the transport's last refusal for the status line; credentials from
 * HTTPS_PROXY are sent; an `https://` proxy is spoken to over TLS.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { syncHttp } from '../../common/protocol';
import { tempDir } from '../../sync-server/src/testing/fixtures';
import { selfSignedCertificate, startTlsSyncServer, type TestCertificate } from '../../sync-server/src/testing/tls';
import { probeServer } from '../firstRun/probe';
import { proxyResolver } from './proxy';
import { openServerTransport, TransportError } from './transport';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function scratch(): string {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  return tmp.dir;
}

async function tlsSyncServer(dir: string, c: TestCertificate): Promise<number> {
  return Number(new URL(await startTlsSyncServer(dir, c, (close) => cleanups.push(close))).port);
}

const listen = async <S extends HttpServer | NetServer>(server: S): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sockets = new Set<Duplex>();
  server.on('connection', (s: Duplex) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return (server.address() as AddressInfo).port;
};

/** A proxy's CONNECT handler: `vigie.test:<port>` → 127.0.0.1:<port>; records the request's headers. */
function tunnelTo(seen: IncomingMessage[]) {
  return (req: IncomingMessage, client: Duplex) => {
    seen.push(req);
    const m = /^vigie\.test:(\d+)$/.exec(req.url ?? '');
    if (!m) return client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    const upstream = netConnect(Number(m[1]), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  };
}

function refusal(p: Promise<unknown>): Promise<TransportError> {
  return p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(TransportError);
      return err as TransportError;
    },
  );
}

const fixed = (url: string, bypass: string[] = []) => proxyResolver({ mode: 'fixed', url, bypass });
const health = { method: 'GET', timeoutMs: 10_000 } as const;

describe('a proxy that fails', () => {
  it('nothing listens at the proxy’s address: « injoignable », naming it', async () => {
    const closed = createNetServer();
    const port = await new Promise<number>((r) => closed.listen(0, '127.0.0.1', () => r((closed.address() as AddressInfo).port)));
    await new Promise<void>((r) => closed.close(() => r()));
    const proxyUrl = `http://127.0.0.1:${port}`;
    const transport = openServerTransport({ url: 'https://vigie.test:4443', proxy: fixed(proxyUrl) });
    const err = await refusal(transport.request(syncHttp.health, health));
    expect(err.kind).toBe('proxy');
    expect(err.message).toBe(fr.transport.proxyUnreachable(proxyUrl, 'ECONNREFUSED'));
    expect(transport.lastRefusal()).toBe(err.message);
  });

  it('a proxy that never answers the CONNECT: « délai dépassé », naming it', async () => {
    const silent = createNetServer((s) => s.on('error', () => undefined));
    const proxyUrl = `http://127.0.0.1:${await listen(silent)}`;
    const transport = openServerTransport({ url: 'https://vigie.test:4443', proxy: fixed(proxyUrl), proxyTimeoutMs: 500 });
    const err = await refusal(transport.request(syncHttp.health, health));
    expect(err.kind).toBe('proxy');
    expect(err.message).toBe(fr.transport.proxyTimeout(proxyUrl, 'vigie.test:4443'));
  });

  it('a request given up before the proxy answers still blames the proxy', async () => {
    const silent = createNetServer((s) => s.on('error', () => undefined));
    const proxyUrl = `http://127.0.0.1:${await listen(silent)}`;
    const transport = openServerTransport({ url: 'https://vigie.test:4443', proxy: fixed(proxyUrl), proxyTimeoutMs: 30_000 });
    const err = await refusal(transport.request(syncHttp.health, { method: 'GET', timeoutMs: 500 }));
    expect(err.kind).toBe('proxy');
    expect(err.message).toBe(fr.transport.proxyTimeout(proxyUrl, 'vigie.test:4443'));
  });

  it('a proxy that refuses the target: its status is quoted', async () => {
    const proxy = createHttpServer();
    proxy.on('connect', (_req: IncomingMessage, client: Duplex) => client.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
    const proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
    const err = await refusal(openServerTransport({ url: 'https://vigie.test:4443', proxy: fixed(proxyUrl) }).request(syncHttp.health, health));
    expect(err.message).toBe(fr.transport.proxyRefused(proxyUrl, 'vigie.test:4443', '403 Forbidden'));
  });

  it('the first-run test gives the same diagnosis as the session would, bypass list included', async () => {
    const proxy = createHttpServer();
    proxy.on('connect', (_req: IncomingMessage, client: Duplex) => client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    const proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
    const r = await probeServer('https://vigie.test:4443', { proxy: fixed(proxyUrl), timeoutMs: 5_000 });
    expect(r).toMatchObject({ ok: false, cause: 'proxy', message: fr.transport.proxyAuth(proxyUrl, 'vigie.test:4443', false) });
    // Bypassed: straight to a name nobody resolves, the proxy is not asked.
    const bypassed = await probeServer('https://vigie.test:4443', { proxy: fixed(proxyUrl, ['*.test']), timeoutMs: 5_000 });
    expect(bypassed.cause).toBe('dns');
  });
});

describe('a proxy that lets through', () => {
  it('sends the credentials of HTTPS_PROXY, never shows them, and a refusal of them says so', async () => {
    const dir = scratch();
    const cert = selfSignedCertificate(dir);
    const port = await tlsSyncServer(dir, cert);
    const seen: IncomingMessage[] = [];
    const expected = `Basic ${Buffer.from('agent:s3cret').toString('base64')}`;
    const proxy = createHttpServer();
    proxy.on('connect', (req: IncomingMessage, client: Duplex) => {
      if (req.headers['proxy-authorization'] !== expected) {
        seen.push(req);
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      } else tunnelTo(seen)(req, client);
    });
    const proxyPort = await listen(proxy);
    const env = (user: string) => ({ HTTPS_PROXY: `http://${user}:s3cret@127.0.0.1:${proxyPort}` });
    const ok = openServerTransport({ url: `https://vigie.test:${port}`, certFingerprint: cert.fingerprint, proxy: proxyResolver({ mode: 'system' }, { env: env('agent') }) });
    expect((await ok.request(syncHttp.health, health)).status).toBe(200);
    expect(seen.at(-1)?.headers['proxy-authorization']).toBe(expected);

    const wrong = openServerTransport({ url: `https://vigie.test:${port}`, certFingerprint: cert.fingerprint, proxy: proxyResolver({ mode: 'system' }, { env: env('intrus') }) });
    const err = await refusal(wrong.request(syncHttp.health, health));
    expect(err.message).toBe(fr.transport.proxyAuth(`http://127.0.0.1:${proxyPort}`, `vigie.test:${port}`, true));
    expect(err.message).not.toContain('s3cret');
  });

  it('speaks TLS to an https:// proxy: a proxy certificate the system does not trust stops before the CONNECT, naming the proxy', async () => {
    const dir = scratch();
    const serverCert = selfSignedCertificate(dir, 'server');
    const proxyCert = selfSignedCertificate(dir, 'proxy');
    const port = await tlsSyncServer(dir, serverCert);
    const seen: IncomingMessage[] = [];
    const proxy = createHttpsServer({ cert: proxyCert.cert, key: proxyCert.key });
    proxy.on('connect', tunnelTo(seen));
    const proxyPort = await listen(proxy);
    const transport = openServerTransport({ url: `https://vigie.test:${port}`, certFingerprint: serverCert.fingerprint, proxy: fixed(`https://127.0.0.1:${proxyPort}`) });
    const err = await refusal(transport.request(syncHttp.health, health));
    expect(err.kind).toBe('proxy');
    expect(err.message).toBe(fr.transport.proxyUnreachable(`https://127.0.0.1:${proxyPort}`, 'DEPTH_ZERO_SELF_SIGNED_CERT'));
    expect(seen).toEqual([]);
  });
});

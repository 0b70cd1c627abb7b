import { request } from 'node:https';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { syncHttp } from '../../common/protocol';
import { createApp, type SyncServerApp } from './app';
import { tempDir, territories } from './testing/fixtures';
import { selfSignedCertificate } from './testing/tls';
import { certificateDates, checkPlainListen, loadTlsMaterial, tlsMaterialFromPem, TlsConfigError } from './tls';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function scratch(): string {
  const tmp = tempDir();
  cleanups.push(() => tmp.cleanup());
  return tmp.dir;
}

function app(dir: string, extra: Partial<Parameters<typeof createApp>[0]> = {}): SyncServerApp {
  const a = createApp({ dbPath: join(dir, 'server.sqlite'), territories: territories(), log: () => undefined, ...extra });
  cleanups.push(() => a.close());
  return a;
}

/** GET over HTTPS trusting exactly `ca`; resolves the status and the certificate's fingerprint. */
function httpsGet(url: string, ca: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, servername: 'localhost' }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('TLS material', () => {
  it('reads a certificate and its key, and gives the fingerprint workstations pin', () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir);
    const m = loadTlsMaterial(c.certFile, c.keyFile);
    expect(m.fingerprint).toBe(c.fingerprint);
    expect(m.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(m.validTo.getTime()).toBeGreaterThan(Date.now());
  });

  it('refuses a missing file, a file that is not PEM, swapped files and a key of another certificate, in French', () => {
    const dir = scratch();
    const a = selfSignedCertificate(dir, 'a');
    const b = selfSignedCertificate(dir, 'b');
    expect(() => loadTlsMaterial(join(dir, 'absent.crt'), a.keyFile)).toThrow(/Impossible de lire le certificat .*absent\.crt \(ENOENT\)/);
    expect(() => loadTlsMaterial(a.certFile, join(dir, 'absent.key'))).toThrow(/Impossible de lire la clé privée/);
    expect(() => loadTlsMaterial(a.keyFile, a.certFile)).toThrow(fr.transport.badCertificate(a.keyFile));
    expect(() => tlsMaterialFromPem(a.cert, 'pas une clé', { cert: 'c.pem', key: 'k.pem' })).toThrow(fr.transport.badKey('k.pem'));
    expect(() => loadTlsMaterial(a.certFile, b.keyFile)).toThrow(fr.transport.keyMismatch(a.certFile, b.keyFile));
    expect(() => loadTlsMaterial(a.certFile, b.keyFile)).toThrow(TlsConfigError);
  });

  it('refuses an expired certificate and warns within 30 days of the end', () => {
    const dir = scratch();
    const m = loadTlsMaterial(selfSignedCertificate(dir, 'short', { days: 10 }).certFile, join(dir, 'short.key'));
    expect(certificateDates(m, 'short.crt', new Date()).warning).toContain('expire le');
    expect(certificateDates(m, 'short.crt', new Date(m.validTo.getTime() - 40 * 86_400_000)).warning).toBeNull();
    expect(() => certificateDates(m, 'short.crt', new Date(m.validTo.getTime() + 1000))).toThrow(/a expiré le/);
  });
});

describe('plain listening', () => {
  it('is allowed on loopback, refused elsewhere without TLS, and allowed with a warning when the operator insists', () => {
    for (const host of ['127.0.0.1', '::1', 'localhost']) expect(checkPlainListen(host, false, false)).toBeNull();
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'vigie.ars.fr']) {
      expect(() => checkPlainListen(host, false, false)).toThrow(fr.transport.plainRefused(host));
      expect(checkPlainListen(host, true, false)).toBeNull();
      expect(checkPlainListen(host, false, true)).toBe(fr.transport.plainAllowedWarning(host));
    }
  });

  it('createApp().listen refuses every interface without TLS, and opens nothing', async () => {
    const a = app(scratch());
    await expect(a.listen(0, '0.0.0.0')).rejects.toThrow(fr.transport.plainRefused('0.0.0.0'));
    expect(a.httpServer.listening).toBe(false);
  });
});

describe('a server with a certificate', () => {
  it('serves HTTPS and WSS with it: the url says https, the health check and a socket handshake go through', async () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir);
    const a = app(dir, { tls: { cert: c.cert, key: c.key } });
    const url = await a.listen(0, '127.0.0.1');
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsGet(`${url}${syncHttp.health}`, c.cert);
    expect(health).toEqual({ status: 200, fingerprint: c.fingerprint });

    // A WSS connection: refused by the server's auth (no token), which proves it reached Socket.IO over TLS.
    const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ca: c.cert, auth: { token: 'x', clientId: 'tls-test' } });
    cleanups.push(() => socket.close());
    const refused = await new Promise<Error & { data?: { code?: string } }>((resolve) => socket.once('connect_error', resolve));
    expect(refused.data?.code).toBe('unauthenticated');
  });

  it('a plain HTTP request to it is not answered as HTTP', async () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir);
    const a = app(dir, { tls: { cert: c.cert, key: c.key } });
    const url = await a.listen(0, '127.0.0.1');
    await expect(fetch(url.replace('https:', 'http:') + syncHttp.health)).rejects.toThrow();
  });

  it('a client that does not trust the certificate is refused by its own TLS check', async () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir);
    const other = selfSignedCertificate(dir, 'other');
    const a = app(dir, { tls: { cert: c.cert, key: c.key } });
    const url = await a.listen(0, '127.0.0.1');
    await expect(httpsGet(`${url}${syncHttp.health}`, other.cert)).rejects.toThrow(/self.signed/i);
  });

  it('serves a new certificate to new connections after reloadTls (a rotation without a restart)', async () => {
    const dir = scratch();
    const a = selfSignedCertificate(dir, 'a');
    const b = selfSignedCertificate(dir, 'b');
    const server = app(dir, { tls: { cert: a.cert, key: a.key } });
    const url = await server.listen(0, '127.0.0.1');
    expect((await httpsGet(`${url}${syncHttp.health}`, a.cert)).fingerprint).toBe(a.fingerprint);
    server.reloadTls({ cert: b.cert, key: b.key });
    expect(await httpsGet(`${url}${syncHttp.health}`, b.cert)).toEqual({ status: 200, fingerprint: b.fingerprint });
    expect(() => app(dir + '/plain').reloadTls({ cert: b.cert, key: b.key })).toThrow(/without TLS/);
  });
});

/**
 * The workstation's transport against real TLS servers on 127.0.0.1: a pinned certificate
 * goes through, any other is refused before a byte of the request leaves, and plain HTTP
 * is refused off loopback before any connection.
 */
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fr } from '../../common/i18n/fr';
import { syncHttp } from '../../common/protocol';
import { tempDir } from '../../sync-server/src/testing/fixtures';
import { selfSignedCertificate, startTlsSyncServer, type TestCertificate } from '../../sync-server/src/testing/tls';
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

const tlsSyncServer = (dir: string, c: TestCertificate): Promise<string> => startTlsSyncServer(dir, c, (close) => cleanups.push(close));

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

describe('the setting', () => {
  it('refuses plain HTTP to a host that is not this machine, before any connection, in French', () => {
    for (const url of ['http://10.0.0.5:4100', 'http://vigie.ars-bretagne.fr', 'http://0.0.0.0:4100', 'http://[2001:db8::1]:4100']) {
      let thrown: unknown = null;
      try {
        openServerTransport({ url });
      } catch (err) {
        thrown = err;
      }
      expect(thrown, url).toBeInstanceOf(TransportError);
      expect((thrown as TransportError).kind).toBe('config');
      expect((thrown as TransportError).message).toBe(fr.transport.plainServerRefused(url));
    }
  });

  it('accepts plain HTTP on loopback and HTTPS anywhere', () => {
    for (const url of ['http://127.0.0.1:4100', 'http://localhost:4100', 'http://[::1]:4100', 'https://vigie.ars-bretagne.fr', 'https://10.0.0.5:4100']) expect(openServerTransport({ url }).url).toBe(url);
    expect(openServerTransport({ url: 'http://127.0.0.1:4100' }).agent).toBeUndefined();
    expect(openServerTransport({ url: 'https://10.0.0.5:4100' }).agent).toBeDefined();
  });

  it('refuses another scheme, a malformed pin, and a pin with http://', () => {
    expect(() => openServerTransport({ url: 'ws://10.0.0.5:4100' })).toThrow(fr.transport.badServerUrl('ws://10.0.0.5:4100'));
    expect(() => openServerTransport({ url: 'pas une adresse' })).toThrow(fr.transport.badServerUrl('pas une adresse'));
    expect(() => openServerTransport({ url: 'https://10.0.0.5', certFingerprint: 'AB:CD' })).toThrow(fr.transport.badFingerprint('AB:CD'));
    const pin = 'AB'.repeat(32);
    expect(() => openServerTransport({ url: 'http://127.0.0.1:4100', certFingerprint: pin })).toThrow(fr.transport.pinNeedsHttps('http://127.0.0.1:4100'));
    // Several pins (a rotation), in any of the forms a person copies.
    expect(openServerTransport({ url: 'https://10.0.0.5', certFingerprint: `${pin}, sha256 Fingerprint=${'cd'.repeat(32)}` }).pins).toEqual([
      'AB:'.repeat(31) + 'AB',
      'CD:'.repeat(31) + 'CD',
    ]);
  });
});

describe('pinning against a real server', () => {
  it('reaches a server whose certificate is pinned, self-signed as it is', async () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir);
    const url = await tlsSyncServer(dir, c);
    const transport = openServerTransport({ url, certFingerprint: c.fingerprint.toLowerCase() });
    const res = await transport.request(syncHttp.health, { method: 'GET', timeoutMs: 5_000 });
    expect(res.status).toBe(200);
    expect(transport.lastRefusal()).toBeNull();
  });

  it('the pin decides, not the names: a certificate for another name is accepted when pinned', async () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir, 'elsewhere', { san: 'DNS:vigie.example.org' });
    const url = await tlsSyncServer(dir, c);
    const res = await openServerTransport({ url, certFingerprint: [selfSignedCertificate(dir, 'next').fingerprint, c.fingerprint] }).request(syncHttp.health, {
      method: 'GET',
      timeoutMs: 5_000,
    });
    expect(res.status).toBe(200);
  });

  it('refuses a server whose certificate is not the pinned one, saying which it presented, in French', async () => {
    const dir = scratch();
    const served = selfSignedCertificate(dir, 'served');
    const pinned = selfSignedCertificate(dir, 'pinned');
    const url = await tlsSyncServer(dir, served);
    const transport = openServerTransport({ url, certFingerprint: pinned.fingerprint });
    const err = await refusal(transport.request(syncHttp.health, { method: 'GET', timeoutMs: 5_000 }));
    expect(err.kind).toBe('certificate');
    expect(err.message).toBe(fr.transport.pinMismatch(url, served.fingerprint));
    expect(transport.lastRefusal()).toBe(err.message);
  });

  it('sends nothing to a server that fails the pin: the password of a login never leaves', async () => {
    const dir = scratch();
    const impostor = selfSignedCertificate(dir, 'impostor');
    const pinned = selfSignedCertificate(dir, 'pinned');
    let received = '';
    let connections = 0;
    const server: TlsServer = createTlsServer({ cert: impostor.cert, key: impostor.key }, (socket) => {
      socket.on('data', (d: Buffer) => (received += d.toString('latin1')));
      socket.on('error', () => undefined);
    });
    server.on('connection', () => (connections += 1));
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const err = await refusal(
      openServerTransport({ url, certFingerprint: pinned.fingerprint }).request(syncHttp.login, {
        method: 'POST',
        json: { username: 'samu29', password: 'phrase-de-passe-secrète' },
        timeoutMs: 5_000,
      }),
    );
    expect(err.kind).toBe('certificate');
    await new Promise((r) => setTimeout(r, 200));
    expect(connections).toBe(1);
    expect(received).toBe('');
  });

  it('without a pin, a self-signed certificate is refused by the system’s authorities, in French', async () => {
    const dir = scratch();
    const c = selfSignedCertificate(dir);
    const url = await tlsSyncServer(dir, c);
    const transport = openServerTransport({ url });
    const err = await refusal(transport.request(syncHttp.health, { method: 'GET', timeoutMs: 5_000 }));
    expect(err.kind).toBe('certificate');
    expect(err.message).toBe(fr.transport.untrustedCertificate(url, 'DEPTH_ZERO_SELF_SIGNED_CERT'));
  });

  it('a server that does not answer is "unreachable", not a certificate problem', async () => {
    const probe = createNetServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await refusal(openServerTransport({ url, certFingerprint: 'AB'.repeat(32) }).request(syncHttp.health, { method: 'GET', timeoutMs: 2_000 }));
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(fr.auth.serverUnreachable(url));
  });
});

/**
 * The first-run connection test against real servers on 127.0.0.1, one per failure cause:
 * a real Vigie sync server, a closed port, a plain HTTP server that is not Vigie, a TLS
 * server with a self-signed certificate made by `openssl` here (untrusted, then pinned by
 * its fingerprint, then pinned to another one), an unresolvable name, and proxies that
 * refuse or are not there.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../sync-server/src/testing/server';
import { probeServer, parseServerAddress } from './probe';

let dir = '';
let vigie: TestServer;
let notVigie: HttpServer;
let erroring: HttpServer;
let selfSigned: ReturnType<typeof createHttpsServer>;
let refusingProxy: HttpServer;
let certPem = '';
let fingerprint = '';

const listen = (s: { listen(port: number, host: string, cb: () => void): unknown; address(): unknown }) =>
  new Promise<number>((done) => s.listen(0, '127.0.0.1', () => done((s.address() as AddressInfo).port)));
const close = (s: { close(cb: () => void): unknown } | undefined) => new Promise<void>((done) => (s ? s.close(() => done()) : done()));

/** A port nothing listens on: bound then released. */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  const port = await listen(s);
  await close(s);
  return port;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigie-probe-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  certPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
  fingerprint = new X509Certificate(certPem).fingerprint256;
  vigie = await startTestServer();
  notVigie = createHttpServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Intranet</h1>'));
  erroring = createHttpServer((_req, res) => res.writeHead(503).end('maintenance'));
  // The TLS server answers like Vigie: only the certificate decides.
  selfSigned = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: certPem }, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"version":1}'));
  refusingProxy = createHttpServer((_req, res) => res.writeHead(407, { 'proxy-authenticate': 'Basic' }).end());
  refusingProxy.on('connect', (_req, socket) => socket.end('HTTP/1.1 403 Forbidden\r\n\r\n'));
  await Promise.all([listen(notVigie), listen(erroring), listen(selfSigned), listen(refusingProxy)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([close(notVigie), close(erroring), close(selfSigned), close(refusingProxy)]);
  await vigie?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const portOf = (s: { address(): unknown }) => (s.address() as AddressInfo).port;

describe('first-run connection test', () => {
  it('recognises a real Vigie sync server', async () => {
    const r = await probeServer(vigie.url);
    expect(r).toMatchObject({ ok: true, cause: 'ok', version: 1 });
    expect(r.message).toContain('est bien un serveur Vigie');
  });

  it('says the name does not exist for an unresolvable host', async () => {
    const r = await probeServer('https://vigie.invalid');
    expect(r.cause).toBe('dns');
    expect(r.message).toContain('« vigie.invalid » n’existe pas dans le DNS');
  });

  it('says nothing listens on a closed port', async () => {
    const port = await closedPort();
    const r = await probeServer(`http://127.0.0.1:${port}`);
    expect(r.cause).toBe('refused');
    expect(r.message).toContain(`Connexion refusée par 127.0.0.1 sur le port ${port}`);
  });

  it('says an HTTP server that is not Vigie is not Vigie', async () => {
    const r = await probeServer(`http://127.0.0.1:${portOf(notVigie)}`);
    expect(r.cause).toBe('not_vigie');
    expect(r.message).toContain('ce n’est pas un serveur Vigie');
  });

  it('reports an HTTP error status as such', async () => {
    const r = await probeServer(`http://127.0.0.1:${portOf(erroring)}`);
    expect(r.cause).toBe('http');
    expect(r.message).toContain('erreur HTTP 503');
  });

  it('refuses a self-signed certificate the workstation does not trust', async () => {
    const r = await probeServer(`https://127.0.0.1:${portOf(selfSigned)}`);
    expect(r.cause).toBe('tls');
    expect(r.message).toContain('certificat auto-signé');
  });

  it('accepts that same certificate when the policy pins its fingerprint', async () => {
    const r = await probeServer(`https://127.0.0.1:${portOf(selfSigned)}`, { fingerprint: fingerprint.replace(/:/g, '').toLowerCase() });
    expect(r).toMatchObject({ ok: true, cause: 'ok' });
  });

  it('refuses a certificate that is not the pinned one, naming both fingerprints', async () => {
    const other = 'AB:'.repeat(31) + 'AB';
    const r = await probeServer(`https://127.0.0.1:${portOf(selfSigned)}`, { fingerprint: other });
    expect(r.cause).toBe('fingerprint');
    expect(r.message).toContain(other);
    expect(r.message).toContain(fingerprint);
  });

  it('trusts the certificate through its authority (ca), and then checks the host name', async () => {
    expect((await probeServer(`https://127.0.0.1:${portOf(selfSigned)}`, { ca: certPem })).cause).toBe('ok');
    // A certificate issued for another name, though trusted, is for another server.
    const other = join(dir, 'other');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=other.example', '-addext', 'subjectAltName=DNS:other.example', '-keyout', `${other}-key.pem`, '-out', `${other}.pem`], { stdio: 'ignore' });
    const otherPem = readFileSync(`${other}.pem`, 'utf8');
    const s = createHttpsServer({ key: readFileSync(`${other}-key.pem`), cert: otherPem }, (_req, res) => res.end('{"ok":true,"version":1}'));
    const port = await listen(s);
    try {
      const r = await probeServer(`https://localhost:${port}`, { ca: otherPem });
      expect(r.cause).toBe('tls');
      expect(r.message).toContain('il n’est pas émis pour « localhost »');
    } finally {
      await close(s);
    }
  });

  it('blames the proxy when it refuses the tunnel or the request', async () => {
    const proxyUrl = `http://127.0.0.1:${portOf(refusingProxy)}`;
    const https = await probeServer(`https://127.0.0.1:${portOf(selfSigned)}`, { proxyUrl, fingerprint });
    expect(https.cause).toBe('proxy');
    expect(https.message).toContain('HTTP 403');
    const http = await probeServer(vigie.url, { proxyUrl });
    expect(http.cause).toBe('proxy');
    expect(http.message).toContain('HTTP 407');
  });

  it('blames the proxy when nothing listens at its address', async () => {
    const r = await probeServer(vigie.url, { proxyUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(r.cause).toBe('proxy');
    expect(r.message).toContain('ECONNREFUSED');
  });

  it('reads what a person types: a bare name gets https, other schemes are refused', async () => {
    expect(parseServerAddress('vigie.ars-idf.fr')?.href).toBe('https://vigie.ars-idf.fr/');
    expect(parseServerAddress('ftp://vigie.fr')).toBeNull();
    expect(parseServerAddress('  ')).toBeNull();
    expect((await probeServer('ftp://vigie.fr')).cause).toBe('bad_url');
  });
});

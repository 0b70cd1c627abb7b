import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebBridge } from '../../renderer/src/api/webBridge';
import { createConsoleServices, type ConsoleServices } from '../../main/services';
import { startWebHost, type WebHost } from '../../main/webhost/server';
import { DEMO_PASSWORD, startServer, tempDir, waitFor, type TestServer } from './harness';
import { ipcChannels, WEB_BRIDGE_PATH, type CallReply } from '../../common/engine/calls';

let server: TestServer;
let services: ConsoleServices;
let host: WebHost;
let tmp: { dir: string; cleanup(): void };
let rendererDir: string;

beforeAll(async () => {
  tmp = tempDir('webhost');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  rendererDir = join(tmp.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Vigie</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("vigie")');
  writeFileSync(join(rendererDir, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(tmp.dir, 'secret.txt'), 'not for the browser');
  symlinkSync(join(tmp.dir, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'));
  services = createConsoleServices({ dataDir: join(tmp.dir, 'client'), serverUrl: server.url, log: () => undefined });
  host = await startWebHost({ services, rendererDir });
});
afterAll(async () => {
  await host?.close();
  await services?.close();
  await server?.close();
  tmp?.cleanup();
});

/** A raw request, so paths reach the server exactly as written (no URL normalisation). */
function get(path: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const u = new URL(host.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.host ? { host: opts.host } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('web host: static files', () => {
  it('serves the page with its security headers and the right MIME types', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<title>Vigie</title>');
    expect((await get('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/style.css?v=1')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('refuses path traversal in every spelling, and symlinks leaving the root', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets%2f..%2f..%2fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/%00', '/nope.js']) {
      const r = await get(p);
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('not for the browser');
    }
  });

  it('refuses other methods and foreign Host headers (DNS rebinding)', async () => {
    expect((await get('/', { method: 'POST' })).status).toBe(405);
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });
});

describe('web host: the ConsoleApi bridge', () => {
  it('refuses a wrong token or a foreign Origin', async () => {
    const bad = io(host.baseUrl, { path: WEB_BRIDGE_PATH, auth: { token: 'x'.repeat(43) }, reconnection: false, transports: ['websocket'] });
    const err = await new Promise<Error & { data?: { code?: string } }>((r) => bad.on('connect_error', r));
    expect(err.data?.code).toBe('forbidden');
    bad.close();
    const foreign = io(host.baseUrl, {
      path: WEB_BRIDGE_PATH,
      auth: { token: host.token },
      reconnection: false,
      transports: ['websocket'],
      extraHeaders: { origin: 'http://evil.example' },
    });
    await new Promise<unknown>((r) => foreign.on('connect_error', r));
    expect(foreign.connected).toBe(false);
    foreign.close();
  });

  it('carries calls and pushed events for the renderer bridge', async () => {
    const api = createWebBridge({ url: host.baseUrl, token: host.token });
    const statuses: unknown[] = [];
    const off = api.on('sync.status', (s) => statuses.push(s));
    expect(await api.call('session.current', {})).toEqual({ ok: true, data: null });
    const bad = await api.call('session.login', { username: 'samu75', password: 'faux' });
    expect(bad).toEqual({ ok: false, error: { code: 'auth', message: 'Identifiant ou mot de passe incorrect.' } });
    const login = await api.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    expect(login.ok && 'user' in login.data && login.data.user.role).toBe('samu:75');
    await waitFor(() => statuses.length > 0, 'a pushed sync.status');
    const unknown = await api.call('nope' as 'session.current', {});
    expect(unknown.ok).toBe(false);
    const badArgs = await api.call('messages.list', { eventId: 'pas-un-uuid' });
    expect(badArgs.ok === false && badArgs.error.code).toBe('bad_args');
    off();
    await api.call('session.logout', {});
  });

  it('a call made while the bridge is cut waits for its reconnection; with the host gone, it fails in French within seconds', async () => {
    // A TCP relay between the bridge and the host, so the test can cut the connection. It
    // names the host's own address in the Host header, which the host checks.
    const sockets = new Set<Socket>();
    const target = new URL(host.baseUrl);
    const relay = createNetServer((inbound) => {
      const outbound = netConnect(Number(target.port), target.hostname);
      for (const s of [inbound, outbound]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      inbound.on('data', (chunk: Buffer) => {
        outbound.write(Buffer.from(chunk.toString('latin1').replace(/^(Host:\s*)[^\r\n]+/im, `$1${target.host}`), 'latin1'));
      });
      outbound.pipe(inbound);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
    const api = createWebBridge({ url: relayUrl, token: host.token });
    try {
      expect(await api.call('session.current', {})).toEqual({ ok: true, data: null });
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 50));
      // Cut: the next call waits for the reconnection instead of failing at once.
      expect(await api.call('session.current', {})).toEqual({ ok: true, data: null });
      // The relay stops listening and cuts again: the host is gone for good.
      const closed = new Promise<void>((r) => relay.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
      await new Promise((r) => setTimeout(r, 50));
      const started = Date.now();
      expect(await api.call('session.current', {})).toEqual({
        ok: false,
        error: { code: 'unreachable', message: 'Le service local de Vigie ne répond pas : rechargez la page ou relancez Vigie.' },
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      for (const s of sockets) s.destroy();
      if (relay.listening) relay.close();
    }
  });

  it('a raw client must pass an acknowledgement; the reply is a CallReply, never a thrown error', async () => {
    const s = io(host.baseUrl, { path: WEB_BRIDGE_PATH, auth: { token: host.token }, transports: ['websocket'] });
    const reply = (await s.timeout(5000).emitWithAck(ipcChannels.call, 'events.list', {})) as CallReply<unknown>;
    expect(reply).toEqual({ ok: false, error: { code: 'not_logged_in', message: 'Vous n’êtes pas connecté.' } });
    s.close();
  });
});

describe('web host: command line', () => {
  it('prints the ready line with the token url, serves, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'main/webhost/cli.ts', '--server', server.url, '--data', join(tmp.dir, 'cli-client'), '--renderer', rendererDir, '--port', '0'],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const line = await waitFor(() => out.split('\n').find((l) => l.startsWith('VIGIE_WEB_HOST_READY ')), 'the ready line', 20_000);
    const url = line.slice('VIGIE_WEB_HOST_READY '.length);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
  });
});

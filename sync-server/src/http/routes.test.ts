import { request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { DEFAULT_ACCESS_TTL_MS } from '../auth/authService';
import { storeRows } from '../testing/stores';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../testing/server';
import { MAX_HTTP_BODY_BYTES } from './json';
import { syncHttp, PROTOCOL_VERSION, type LoginResponse } from '../../../common/protocol';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ accessTtlMs: DEFAULT_ACCESS_TTL_MS });
  await server.user('samu75', 'samu:75');
});
afterEach(() => server.stop());

interface ErrorBody {
  error: { code: string; message: string };
}
async function errorOf(res: Response): Promise<ErrorBody['error']> {
  return ((await res.json()) as ErrorBody).error;
}

function post(path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(`${server.url}${path}`, { method: 'POST', headers, body });
}

describe('HTTP API', () => {
  it('answers health with the protocol version', async () => {
    const res = await fetch(`${server.url}${syncHttp.health}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: PROTOCOL_VERSION });
  });

  it('logs a user in with a short-lived token and a refresh token for the day, whose hashes alone are stored', async () => {
    const res = await post(syncHttp.login, JSON.stringify({ username: 'samu75', password: TEST_PASSWORD }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as LoginResponse;
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toMatchObject({ username: 'samu75', role: 'samu:75', territory: 'D:75', territoryLabel: 'SAMU 75 — Paris' });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(Date.parse(body.refreshExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await storeRows(server.app.store, 'SELECT token_hash FROM sessions');
    expect(JSON.stringify(rows)).not.toContain(body.token);
    expect(rows).toHaveLength(1);
    const refreshRows = await storeRows(server.app.store, 'SELECT token_hash FROM refresh_tokens');
    expect(JSON.stringify(refreshRows)).not.toContain(body.refreshToken);
    expect(refreshRows).toHaveLength(1);
  });

  it('answers a wrong password or an unknown user with 401 and the French message', async () => {
    for (const creds of [{ username: 'samu75', password: 'faux' }, { username: 'personne', password: 'faux' }]) {
      const res = await post(syncHttp.login, JSON.stringify(creds));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: fr.auth.badCredentials } });
    }
  });

  it('answers malformed JSON, a wrong shape and a non-JSON type with 400/415 in French', async () => {
    const bad = await post(syncHttp.login, '{"username":');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'bad_request', message: fr.server.badJson } });

    const shape = await post(syncHttp.login, JSON.stringify({ username: 'samu75' }));
    expect(shape.status).toBe(400);
    const shapeError = await errorOf(shape);
    expect(shapeError.code).toBe('bad_request');
    expect(shapeError.message).toMatch(/^Requête invalide : password/);

    const text = await post(syncHttp.login, 'samu75', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect((await errorOf(text)).message).toBe(fr.server.jsonExpected);
  });

  it('refuses a body over 16 KiB with 413', async () => {
    const res = await post(syncHttp.login, JSON.stringify({ username: 'samu75', password: 'x'.repeat(MAX_HTTP_BODY_BYTES) }));
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toEqual({ code: 'too_large', message: fr.protocol.tooLarge(MAX_HTTP_BODY_BYTES) });
  });

  it('refuses a chunked body that grows past 16 KiB without a declared length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}${syncHttp.login}`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 40; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('slows an account after five failed logins: 429 with Retry-After and the wait in French, even for the right password (login brakes: loginThrottle.test.ts)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await post(syncHttp.login, JSON.stringify({ username: 'samu75', password: `faux-${i}` }))).status);
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), 429]);
    const blocked = await post(syncHttp.login, JSON.stringify({ username: 'samu75', password: TEST_PASSWORD }));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(await blocked.json()).toEqual({ error: { code: 'unauthenticated', message: fr.auth.tooManyAttempts(1) } });
  });

  it('logs out: the token no longer opens a socket', async () => {
    const { token } = await server.login('samu75');
    const res = await post(syncHttp.logout, '', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    await expect(server.socket(token, 'client-samu75-1')).rejects.toMatchObject({
      message: fr.protocol.unauthenticated,
      data: { code: 'unauthenticated' },
    });
    const missing = await post(syncHttp.logout, '', {});
    expect(missing.status).toBe(401);
  });

  it('answers unknown paths with 404 and wrong methods with 405', async () => {
    expect((await fetch(`${server.url}/api/nope`)).status).toBe(404);
    const wrong = await fetch(`${server.url}${syncHttp.login}`);
    expect(wrong.status).toBe(405);
    expect((await errorOf(wrong)).message).toBe(fr.server.methodNotAllowed);
  });
});

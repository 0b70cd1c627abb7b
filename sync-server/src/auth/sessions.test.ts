/**
 * Sessions over the raw HTTP API and real Socket.IO clients: refresh rotation with reuse
 * detection, a login bound to its workstation's client id, logout (here, everywhere, by an
 * administrator) cutting live sockets at once, an expired access token refused.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { openStore } from '../app';
import { DEFAULT_ACCESS_TTL_MS } from './authService';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';
import { syncHttp, type LoginResponse } from '../../../common/protocol';

let server: TestServer;
let clock = new Date('2026-11-30T08:00:00Z');

beforeEach(async () => {
  clock = new Date('2026-11-30T08:00:00Z');
  server = await startTestServer({ now: () => clock, accessTtlMs: DEFAULT_ACCESS_TTL_MS });
  await server.user('samu75', 'samu:75');
});
afterEach(() => server.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const refresh = (refreshToken: string, clientId: string) => post(syncHttp.refresh, { refreshToken, clientId });

/** Resolves when the socket is cut, with the time it took. */
function cut(socket: ClientSocket): Promise<number> {
  const start = Date.now();
  return new Promise((resolve) => socket.once('disconnect', () => resolve(Date.now() - start)));
}

describe('refresh', () => {
  it('rotates: a new pair each time, the refresh token presented is spent', async () => {
    const login = await server.login('samu75');
    const r1 = await refresh(login.refreshToken, 'poste-samu-0001');
    expect(r1.status).toBe(200);
    const pair = r1.body as LoginResponse;
    expect(pair.token).not.toBe(login.token);
    expect(pair.refreshToken).not.toBe(login.refreshToken);
    expect(pair.refreshExpiresAt).toBe(login.refreshExpiresAt);
    expect((await server.socket(pair.token, 'poste-samu-0001')).connected).toBe(true);
  });

  it('a refresh token replayed ends the whole login: the thief’s and the owner’s tokens alike, and their sockets', async () => {
    const login = await server.login('samu75');
    const owner = (await refresh(login.refreshToken, 'poste-samu-0001')).body as LoginResponse;
    const socket = await server.socket(owner.token, 'poste-samu-0001');
    const gone = cut(socket);
    expect(await refresh(login.refreshToken, 'poste-samu-0001')).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: fr.auth.refreshReused } } });
    expect(await gone).toBeLessThan(1_000);
    expect((await refresh(owner.refreshToken, 'poste-samu-0001')).status).toBe(401);
    await expect(server.socket(owner.token, 'poste-samu-0001')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
  });

  it('is bound to the client id: a refresh from another one is refused and ends the login', async () => {
    const login = await server.login('samu75');
    // The first handshake binds the login to this workstation.
    const socket = await server.socket(login.token, 'poste-samu-0001');
    await expect(server.socket(login.token, 'poste-autre-0002')).rejects.toMatchObject({ data: { code: 'forbidden' } });
    const gone = cut(socket);
    expect(await refresh(login.refreshToken, 'poste-autre-0002')).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: fr.auth.refreshOtherClient } } });
    await gone;
    expect((await refresh(login.refreshToken, 'poste-samu-0001')).status).toBe(401);
  });

  it('binds at login when the client id is sent, and never beyond the login’s end', async () => {
    const res = await post(syncHttp.login, { username: 'samu75', password: 'mot-de-passe-test', clientId: 'poste-samu-0001' });
    const login = res.body as LoginResponse;
    expect((await refresh(login.refreshToken, 'poste-autre-0002')).status).toBe(401);
    const again = (await post(syncHttp.login, { username: 'samu75', password: 'mot-de-passe-test', clientId: 'poste-samu-0001' })).body as LoginResponse;
    clock = new Date(clock.getTime() + 24 * 3600_000 + 1);
    expect(await refresh(again.refreshToken, 'poste-samu-0001')).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: fr.auth.refreshRefused } } });
  });
});

describe('access tokens', () => {
  it('an expired access token is refused at the handshake and on a request; the refreshed one works', async () => {
    const login = await server.login('samu75');
    const socket = await server.socket(login.token, 'poste-samu-0001');
    clock = new Date(Date.parse(login.expiresAt) + 1);
    const reply = await socket.timeout(5_000).emitWithAck('sync:pull', { cursor: 0 });
    expect(reply).toEqual({ error: { code: 'unauthenticated', message: fr.protocol.unauthenticated } });
    await expect(server.socket(login.token, 'poste-samu-0001')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    const pair = (await refresh(login.refreshToken, 'poste-samu-0001')).body as LoginResponse;
    expect((await server.socket(pair.token, 'poste-samu-0001')).connected).toBe(true);
  });
});

describe('logout', () => {
  it('ends this workstation’s login and cuts its socket at once; another login of the user stays', async () => {
    const a = await server.login('samu75');
    const b = await server.login('samu75');
    const sa = await server.socket(a.token, 'poste-samu-000a');
    const sb = await server.socket(b.token, 'poste-samu-000b');
    const gone = cut(sa);
    expect((await post(syncHttp.logout, {}, { authorization: `Bearer ${a.token}` })).status).toBe(200);
    expect(await gone).toBeLessThan(1_000);
    expect((await refresh(a.refreshToken, 'poste-samu-000a')).status).toBe(401);
    expect(sb.connected).toBe(true);
  });

  it('with an expired access token, the refresh token in the body still ends the login', async () => {
    const a = await server.login('samu75');
    clock = new Date(Date.parse(a.expiresAt) + 1);
    expect((await post(syncHttp.logout, { refreshToken: a.refreshToken }, { authorization: `Bearer ${a.token}` })).status).toBe(200);
    expect((await refresh(a.refreshToken, 'poste-samu-000a')).status).toBe(401);
  });

  it('« Se déconnecter partout » cuts every socket of the user within a second', async () => {
    const a = await server.login('samu75');
    const b = await server.login('samu75');
    const sa = await server.socket(a.token, 'poste-samu-000a');
    const sb = await server.socket(b.token, 'poste-samu-000b');
    const gone = Promise.all([cut(sa), cut(sb)]);
    expect((await post(syncHttp.logoutAll, {}, { authorization: `Bearer ${a.token}` })).status).toBe(200);
    for (const ms of await gone) expect(ms).toBeLessThan(1_000);
    for (const [t, c] of [[a, 'poste-samu-000a'], [b, 'poste-samu-000b']] as const) expect((await refresh(t.refreshToken, c)).status).toBe(401);
    // Without a valid token, nothing is ended.
    expect((await post(syncHttp.logoutAll, {}, { authorization: `Bearer ${a.token}` })).status).toBe(401);
  });

  it('an administrator’s revoke, in the server or from another process (the CLI), cuts the sockets within a second', async () => {
    const user = await server.app.store.findUserByUsername('samu75');
    if (!user) throw new Error('no user');
    const a = await server.login('samu75');
    const sa = await server.socket(a.token, 'poste-samu-000a');
    const first = cut(sa);
    expect(await server.app.revokeUserSessions(user.id)).toBe(1);
    expect(await first).toBeLessThan(1_000);

    const b = await server.login('samu75');
    const sb = await server.socket(b.token, 'poste-samu-000b');
    const second = cut(sb);
    // What the CLI's --revoke-sessions does: another connection to the same database (file or PostgreSQL).
    const other = openStore(server.db, server.app.territories);
    try {
      expect(await other.revokeUserSessions(user.id)).toBe(1);
    } finally {
      await other.close();
    }
    expect(await second).toBeLessThan(1_000);
  });
});

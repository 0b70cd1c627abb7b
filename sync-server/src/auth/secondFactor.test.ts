/**
 * Two-factor login over the raw HTTP API of a real server (not `--demo`), with an injected
 * clock: enrolment forced for national and ARS accounts, codes within ±1 step, a code
 * accepted once, recovery codes once each, the CLI's reset.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../testing/server';
import { DEFAULT_ACCESS_TTL_MS, MANDATORY_SECOND_FACTOR_ROLES } from './authService';
import { totpCode } from './totp';
import { syncHttp, type EnrolConfirmResponse, type EnrolStartResponse, type LoginResponse, type SecondFactorChallenge } from '../../../common/protocol';

let server: TestServer;
// 10 s into a 30 s step.
let clock = new Date(1_764_470_010_000 - (1_764_470_010_000 % 30_000) + 10_000);
const step = (n: number) => new Date(clock.getTime() + n * 30_000);

beforeEach(async () => {
  clock = new Date(1_764_470_010_000 - (1_764_470_010_000 % 30_000) + 10_000);
  server = await startTestServer({ now: () => clock, accessTtlMs: DEFAULT_ACCESS_TTL_MS, secondFactor: { requiredRoles: MANDATORY_SECOND_FACTOR_ROLES } });
  await server.user('ars-idf', 'ars:11');
  await server.user('national', 'national');
  await server.user('samu75', 'samu:75');
});
afterEach(() => server.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

async function passwordStep(username: string): Promise<SecondFactorChallenge> {
  const r = await post(syncHttp.login, { username, password: TEST_PASSWORD });
  expect(r.status).toBe(200);
  return r.body as SecondFactorChallenge;
}

/** Enrols `username` as its first login would; answers the secret and the confirm answer. */
async function enrol(username: string): Promise<{ secret: string; confirmed: EnrolConfirmResponse }> {
  const challenge = await passwordStep(username);
  expect(challenge.secondFactor).toBe('enrol');
  const started = await post(syncHttp.enrolStart, { ticket: challenge.ticket });
  expect(started.status).toBe(200);
  const { secret, otpauthUri } = started.body as EnrolStartResponse;
  expect(otpauthUri).toContain('issuer=Vigie');
  const confirmed = await post(syncHttp.enrolConfirm, { ticket: challenge.ticket, code: await totpCode(secret, clock) });
  expect(confirmed.status).toBe(200);
  return { secret, confirmed: confirmed.body as EnrolConfirmResponse };
}

describe('second factor on a server that requires it', () => {
  it('forces national and ARS accounts to enrol before any session exists; a SAMU account logs in with its password', async () => {
    for (const username of ['ars-idf', 'national']) {
      const challenge = await passwordStep(username);
      expect(challenge).toEqual({ secondFactor: 'enrol', ticket: expect.any(String), ticketExpiresAt: expect.any(String) });
      expect(challenge).not.toHaveProperty('token');
      // The ticket is no access token.
      await expect(server.socket(challenge.ticket, 'poste-ticket-1')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    }
    const samu = (await post(syncHttp.login, { username: 'samu75', password: TEST_PASSWORD })).body as LoginResponse;
    expect(samu.token).toBeTruthy();
    expect(samu.secondFactorWaived).toBeUndefined();
  });

  it('enrols with a code of the QR secret, answers ten recovery codes once, then asks the code at each login', async () => {
    const { confirmed } = await enrol('ars-idf');
    expect(confirmed.recoveryCodes).toHaveLength(10);
    const s = await server.socket(confirmed.token, 'poste-ars-0001');
    expect(s.connected).toBe(true);
    const next = await passwordStep('ars-idf');
    expect(next.secondFactor).toBe('totp');
    expect(next).not.toHaveProperty('recoveryCodes');
  });

  it('refuses a wrong code in French, accepts ±1 step, refuses ±2 steps', async () => {
    const { secret } = await enrol('ars-idf');
    clock = step(4);
    let t = await passwordStep('ars-idf');
    const good = await totpCode(secret, clock);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    expect(await post(syncHttp.loginTotp, { ticket: t.ticket, code: wrong })).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: fr.auth.badCode } } });
    for (const n of [-2, 2]) {
      const r = await post(syncHttp.loginTotp, { ticket: t.ticket, code: await totpCode(secret, step(n)) });
      expect(r.status, `${n} steps`).toBe(401);
    }
    for (const n of [-1, 1]) {
      clock = step(4); // later each time: the step accepted before does not block this one
      t = await passwordStep('ars-idf');
      const r = await post(syncHttp.loginTotp, { ticket: t.ticket, code: await totpCode(secret, step(n)) });
      expect(r.status, `${n} step`).toBe(200);
      expect((r.body as LoginResponse).token).toBeTruthy();
    }
  });

  it('refuses a code already used, even on a new login within the window', async () => {
    const { secret } = await enrol('ars-idf');
    clock = step(4);
    const code = await totpCode(secret, clock);
    const first = await passwordStep('ars-idf');
    expect((await post(syncHttp.loginTotp, { ticket: first.ticket, code })).status).toBe(200);
    const second = await passwordStep('ars-idf');
    expect(await post(syncHttp.loginTotp, { ticket: second.ticket, code })).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: fr.auth.codeReused } } });
    // The previous step's code is older than the one accepted: refused as well.
    expect((await post(syncHttp.loginTotp, { ticket: second.ticket, code: await totpCode(secret, step(-1)) })).status).toBe(401);
    clock = step(1);
    expect((await post(syncHttp.loginTotp, { ticket: second.ticket, code: await totpCode(secret, clock) })).status).toBe(200);
  });

  it('accepts each recovery code once', async () => {
    const { confirmed } = await enrol('national');
    const [code] = confirmed.recoveryCodes;
    const t1 = await passwordStep('national');
    expect((await post(syncHttp.loginTotp, { ticket: t1.ticket, code: code.toLowerCase() })).status).toBe(200);
    const t2 = await passwordStep('national');
    expect(await post(syncHttp.loginTotp, { ticket: t2.ticket, code })).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: fr.auth.badCode } } });
    expect((await post(syncHttp.loginTotp, { ticket: t2.ticket, code: confirmed.recoveryCodes[1] })).status).toBe(200);
  });

  it('drops the ticket after five wrong codes: the password must be typed again', async () => {
    const { secret } = await enrol('ars-idf');
    clock = step(4);
    const t = await passwordStep('ars-idf');
    const good = await totpCode(secret, clock);
    const wrong = String((Number(good) + 7) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 4; i++) expect((await post(syncHttp.loginTotp, { ticket: t.ticket, code: wrong })).status).toBe(401);
    expect((await post(syncHttp.loginTotp, { ticket: t.ticket, code: wrong })).body).toEqual({ error: { code: 'unauthenticated', message: fr.auth.tooManyCodes } });
    expect((await post(syncHttp.loginTotp, { ticket: t.ticket, code: good })).body).toEqual({ error: { code: 'unauthenticated', message: fr.auth.ticketExpired } });
  });

  it('refuses an expired ticket, a ticket used for the other step and a malformed body in French', async () => {
    const t = await passwordStep('ars-idf');
    expect((await post(syncHttp.loginTotp, { ticket: t.ticket, code: '123456' })).body).toEqual({ error: { code: 'unauthenticated', message: fr.auth.ticketExpired } });
    const bad = await post(syncHttp.enrolConfirm, { ticket: t.ticket, code: 42 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/Invalid|expected/);
    clock = new Date(clock.getTime() + 6 * 60_000);
    expect((await post(syncHttp.enrolStart, { ticket: t.ticket })).body).toEqual({ error: { code: 'unauthenticated', message: fr.auth.ticketExpired } });
  });

  it('after an administrator’s reset, the account enrols again and its sessions are gone', async () => {
    const { confirmed } = await enrol('ars-idf');
    const user = await server.app.store.findUserByUsername('ars-idf');
    if (!user) throw new Error('no user');
    expect(await server.app.store.resetSecondFactor(user.id)).toBe(true);
    await expect(server.socket(confirmed.token, 'poste-ars-0002')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    expect((await passwordStep('ars-idf')).secondFactor).toBe('enrol');
  });
});

describe('a --demo style waiver', () => {
  it('lets a waived demonstration account in with its password and says so; other accounts still enrol', async () => {
    await server.stop();
    server = await startTestServer({ now: () => clock, secondFactor: { requiredRoles: MANDATORY_SECOND_FACTOR_ROLES, waivedUsernames: ['ars-idf'] } });
    await server.user('ars-idf', 'ars:11');
    await server.user('ars-bretagne', 'ars:53');
    const waived = (await post(syncHttp.login, { username: 'ars-idf', password: TEST_PASSWORD })).body as LoginResponse;
    expect(waived.token).toBeTruthy();
    expect(waived.secondFactorWaived).toBe('demo');
    expect((await passwordStep('ars-bretagne')).secondFactor).toBe('enrol');
  });
});

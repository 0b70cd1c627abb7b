/**
 * Login brakes over real HTTP on 127.0.0.1 (issue 10): behind a trusted proxy each client
 * has its own address, a spray cannot keep a known user out, and the account's delay grows,
 * is said in French and in `Retry-After`, and resets on success.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../testing/server';
import { syncHttp } from '../../../common/protocol';

let server: TestServer | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await server?.stop();
  server = undefined;
});

interface Answer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

/** `from`: the address a trusted proxy would append to `X-Forwarded-For`; `forged`: what the client itself wrote there. */
async function login(s: TestServer, username: string, password: string, from?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (from) headers['x-forwarded-for'] = from;
  const res = await fetch(`${s.url}${syncHttp.login}`, { method: 'POST', headers, body: JSON.stringify({ username, password }) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits what `Retry-After` asked, and a little more. */
const waitOut = (answer: Answer) => sleep(Number(answer.retryAfter) * 1000 + 80);

async function behindProxy(): Promise<TestServer> {
  server = await startTestServer({ trustedProxies: ['loopback'] });
  await server.user('samu75', 'samu:75');
  return server;
}

function statuses(answers: Answer[]): number[] {
  return answers.map((a) => a.status);
}

describe('login brakes', () => {
  it('a spray of bad passwords for samu75 from one address does not keep samu75 out from another once its delay has passed', async () => {
    const s = await behindProxy();
    const spray: Answer[] = [];
    for (let i = 0; i < 8; i++) spray.push(await login(s, 'samu75', `mauvais-${i}`, '198.51.100.66'));
    // Five free failures, then the account's delay refuses without counting.
    expect(statuses(spray)).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);

    const early = await login(s, 'samu75', TEST_PASSWORD, '203.0.113.20');
    expect(early.status).toBe(429);
    expect(early.retryAfter).toBe('1');
    await waitOut(early);
    expect((await login(s, 'samu75', TEST_PASSWORD, '203.0.113.20')).status).toBe(200);
  });

  it('a workstation that logged in before is not kept waiting by failures from elsewhere', async () => {
    const s = await behindProxy();
    expect((await login(s, 'samu75', TEST_PASSWORD, '203.0.113.20')).status).toBe(200);
    for (let i = 0; i < 7; i++) await login(s, 'samu75', `mauvais-${i}`, '198.51.100.66');
    expect((await login(s, 'samu75', TEST_PASSWORD, '198.51.100.67')).status).toBe(429);
    expect((await login(s, 'samu75', TEST_PASSWORD, '203.0.113.20')).status).toBe(200);
  });

  it('the account delay doubles (1 s, 2 s, 4 s), says so in French and in Retry-After, and a successful login resets it', async () => {
    const s = await behindProxy();
    expect((await login(s, 'samu75', TEST_PASSWORD, '203.0.113.20')).status).toBe(200);
    const attacker = '198.51.100.66';
    for (let i = 0; i < 5; i++) expect((await login(s, 'samu75', `mauvais-${i}`, attacker)).status).toBe(401);
    const waits: string[] = [];
    for (let round = 0; round < 3; round++) {
      const refused = await login(s, 'samu75', 'mauvais', attacker);
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({ error: { code: 'unauthenticated', message: fr.auth.tooManyAttempts(Number(refused.retryAfter)) } });
      waits.push(refused.retryAfter ?? '');
      if (round < 2) {
        await waitOut(refused);
        expect((await login(s, 'samu75', 'mauvais', attacker)).status).toBe(401);
      }
    }
    expect(waits).toEqual(['1', '2', '4']);
    expect(fr.auth.tooManyAttempts(4)).toContain('réessayez dans 4 secondes');

    // The owner logs in from its usual workstation: the delay is gone for everyone.
    expect((await login(s, 'samu75', TEST_PASSWORD, '203.0.113.20')).status).toBe(200);
    expect((await login(s, 'samu75', 'mauvais', attacker)).status).toBe(401);
    expect((await login(s, 'samu75', TEST_PASSWORD, '198.51.100.67')).status).toBe(200);
  }, 30_000);

  it('answers an unknown and a known username identically, refusals included', async () => {
    const s = await behindProxy();
    const run = async (username: string, from: string) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 7; i++) answers.push(await login(s, username, `mauvais-${i}`, from));
      return answers;
    };
    const known = await run('samu75', '198.51.100.1');
    const unknown = await run('personne', '198.51.100.2');
    expect(statuses(known)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknown).toEqual(known);
  });

  it('makes an unknown username cost an argon2 verification too, so timing does not tell it from a known one', async () => {
    const s = await behindProxy();
    const timed = async (username: string) => {
      const times: number[] = [];
      // Four failures each: below the account delay.
      for (let i = 0; i < 4; i++) {
        const start = performance.now();
        expect((await login(s, username, `mauvais-${i}`, '198.51.100.9')).status).toBe(401);
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[1];
    };
    await timed('echauffement');
    const known = await timed('samu75');
    const unknown = await timed('personne');
    // Loose bounds: the machine is shared; without the decoy an unknown username answers in well under a tenth.
    expect(unknown).toBeGreaterThan(known * 0.3);
  });

  it('parallel guesses on one account are taken one at a time: no burst slips past the delay', async () => {
    const s = await behindProxy();
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => login(s, 'samu75', `mauvais-${i}`, `198.51.100.${i + 1}`)));
    expect(statuses(burst).filter((st) => st === 401)).toHaveLength(5);
  });

  it('stops a password spray from one address after 50 failures, for any username, for the rest of 15 minutes', async () => {
    const s = await behindProxy();
    for (let i = 0; i < 50; i++) expect((await login(s, `agent${i}`, 'Printemps2020', '198.51.100.66')).status).toBe(401);
    const refused = await login(s, 'samu75', TEST_PASSWORD, '198.51.100.66');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(14 * 60);
    expect(refused.body).toEqual({ error: { code: 'unauthenticated', message: fr.auth.tooManyAttempts(Number(refused.retryAfter)) } });
    expect(fr.auth.tooManyAttempts(Number(refused.retryAfter))).toContain('15 minutes');
    // Every other client behind the same proxy is untouched.
    expect((await login(s, 'samu75', TEST_PASSWORD, '198.51.100.67')).status).toBe(200);
  }, 30_000);

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy: a client cannot pick a fresh address', async () => {
    server = await startTestServer();
    const s = server;
    await s.user('samu75', 'samu:75');
    for (let i = 0; i < 50; i++) await login(s, `agent${i}`, 'Printemps2020', `198.51.100.${i + 1}`);
    const forged = await login(s, 'samu75', TEST_PASSWORD, '203.0.113.99');
    expect(forged.status).toBe(429);
  }, 30_000);

  it('keeps the fast brake of 10 failures a minute per username and address, even from a known workstation, which lapses after the minute', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const s = await behindProxy();
    const from = '198.51.100.66';
    // A known workstation is spared the account delay, not its own brake.
    expect((await login(s, 'samu75', TEST_PASSWORD, from)).status).toBe(200);
    const failures: Answer[] = [];
    for (let i = 0; i < 11; i++) failures.push(await login(s, 'samu75', `mauvais-${i}`, from));
    expect(statuses(failures)).toEqual([...Array<number>(10).fill(401), 429]);
    expect(Number(failures[10].retryAfter)).toBeLessThanOrEqual(60);
    expect((await login(s, 'samu75', TEST_PASSWORD, from)).status).toBe(429);
    vi.setSystemTime(Date.now() + 61_000);
    expect((await login(s, 'samu75', TEST_PASSWORD, from)).status).toBe(200);
  });
});

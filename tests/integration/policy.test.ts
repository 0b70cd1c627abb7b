/**
 * Administrator policy through the real main-process services and a real sync server:
 * locked settings win over what the user had, cannot be changed, and are what every
 * reader sees; the server address comes from the policy; the first-run calls choose,
 * test and keep an address.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, workstationPolicy, type WorkstationPolicy } from '../../main/policy';
import { createConsoleServices } from '../../main/services';
import { DEMO_PASSWORD, FAST_SYNC, startServer, tempDir, TestClient, type TestServer } from './harness';

let tmp: { dir: string; cleanup(): void };
let server: TestServer;
const clients: TestClient[] = [];

// One seeded server for the file (seeding takes seconds); each test has its own data dirs.
beforeAll(async () => {
  tmp = tempDir('policy');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
}, 60_000);
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
afterAll(async () => {
  await server.close();
  tmp.cleanup();
});

function policyOf(json: object): WorkstationPolicy {
  return workstationPolicy(parsePolicy(JSON.stringify(json), 'policy.json'), 'policy.json');
}

function open(dataDir: string, serverUrl: string | null, policy?: WorkstationPolicy): TestClient {
  const c = new TestClient(createConsoleServices({ dataDir, serverUrl, policy, syncTuning: FAST_SYNC, log: () => undefined }), dataDir);
  clients.push(c);
  return c;
}

describe('locked settings', () => {
  it('a policy value wins over what the user had set, and the user cannot change it back', async () => {
    const dataDir = join(tmp.dir, 'samu75');
    // Before the policy: the user chose 48 h and a 2 h hold.
    const before = open(dataDir, server.url);
    await before.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await before.call('beds.setSettings', { staleAfterHours: 48, thresholds: { fewFree: 5 } });
    await before.call('transfers.setSettings', { holdHours: 2, unansweredAfterMinutes: 60 });
    await before.close();
    clients.length = 0;

    const policy = policyOf({ organisation: 'ARS Île-de-France — DSI', locked: { beds: { staleAfterHours: 12 }, transfers: { holdHours: 6 } } });
    const c = open(dataDir, server.url, policy);
    // The remembered session resumes; the policy is written over the user's values, the rest kept.
    expect(await c.call('beds.settings', {})).toEqual({ staleAfterHours: 12, thresholds: { fewFree: 5 } });
    expect(await c.call('transfers.settings', {})).toEqual({ holdHours: 6, unansweredAfterMinutes: 60 });

    const refused = await c.raw('beds.setSettings', { staleAfterHours: 24, thresholds: { fewFree: 5 } });
    expect(refused).toEqual({ ok: false, error: { code: 'rejected', message: expect.stringContaining('Réglage verrouillé par votre service informatique (ARS Île-de-France — DSI) : le délai de péremption des lits') } });
    expect(await c.call('beds.settings', {})).toEqual({ staleAfterHours: 12, thresholds: { fewFree: 5 } });

    // A field the policy leaves alone stays the user's, sent with the locked one at its value.
    expect(await c.call('beds.setSettings', { staleAfterHours: 12, thresholds: { fewFree: 3 } })).toEqual({ staleAfterHours: 12, thresholds: { fewFree: 3 } });
    const hold = await c.raw('transfers.setSettings', { holdHours: 8, unansweredAfterMinutes: 60 });
    expect(hold.ok).toBe(false);
    expect(!hold.ok && hold.error.message).toContain('la durée de réservation');

    const view = await c.call('app.policy', {});
    expect(view).toMatchObject({ managed: true, organisation: 'ARS Île-de-France — DSI', locked: { beds: { staleAfterHours: 12 }, transfers: { holdHours: 6 } } });
    const diagnostic = JSON.parse((await c.call('app.diagnostic', {})).content) as { policy: { organisation: string } };
    expect(diagnostic.policy.organisation).toBe('ARS Île-de-France — DSI');
  });

  it('a fresh login under a policy reads the locked values at once', async () => {
    const c = open(join(tmp.dir, 'fresh'), server.url, policyOf({ organisation: 'DSI', locked: { stocks: { red: 5 } } }));
    await c.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    // The default orange (7) stays above the locked red.
    expect(await c.call('stocks.settings', {})).toEqual({ red: 5, orange: 7 });
    expect((await c.raw('stocks.setSettings', { red: 1, orange: 7 })).ok).toBe(false);
    expect(await c.call('stocks.setSettings', { red: 5, orange: 10 })).toEqual({ red: 5, orange: 10 });
  });
});

describe('server address', () => {
  it('the policy’s address wins over the command line’s', async () => {
    const c = open(join(tmp.dir, 'a'), 'http://127.0.0.1:1', policyOf({ organisation: 'SAMU 75 — informatique', server: { url: server.url } }));
    expect(await c.call('setup.state', {})).toEqual({ serverUrl: server.url, source: 'policy', needsServer: false, lockedBy: 'SAMU 75 — informatique' });
    expect(await c.call('session.login', { username: 'samu75', password: DEMO_PASSWORD })).toMatchObject({ serverUrl: server.url });
    const change = await c.raw('setup.setServer', { url: 'http://127.0.0.1:1' });
    expect(!change.ok && change.error.message).toContain('fixée par votre service informatique (SAMU 75 — informatique)');
  });

  it('first run: no address, a wrong one is diagnosed and not kept, the right one is kept across restarts', async () => {
    const dataDir = join(tmp.dir, 'new');
    const c = open(dataDir, null);
    expect(await c.call('setup.state', {})).toMatchObject({ serverUrl: null, source: 'none', needsServer: true });
    const wrong = await c.raw('setup.setServer', { url: 'http://vigie.invalid' });
    expect(wrong).toEqual({ ok: false, error: { code: 'unreachable', message: expect.stringContaining('« vigie.invalid » n’existe pas') } });
    expect((await c.call('setup.state', {})).needsServer).toBe(true);
    expect((await c.call('setup.test', { url: server.url })).ok).toBe(true);
    expect(await c.call('setup.setServer', { url: `${server.url}/` })).toMatchObject({ serverUrl: server.url, source: 'chosen', needsServer: false });
    expect(await c.call('session.login', { username: 'samu75', password: DEMO_PASSWORD })).toMatchObject({ serverUrl: server.url });
    const refused = await c.raw('setup.setServer', { url: server.url });
    expect(!refused.ok && refused.error.message).toContain('Déconnectez-vous');
    await c.close();
    clients.length = 0;
    const again = open(dataDir, null);
    expect(await again.call('setup.state', {})).toMatchObject({ serverUrl: server.url, source: 'chosen', needsServer: false });
    expect(await again.call('session.current', {})).not.toBeNull();
  });
});

describe('desktop notifications', () => {
  it('the user’s choice holds unless the policy silences them', async () => {
    const free = open(join(tmp.dir, 'n1'), server.url);
    expect(await free.call('app.notifications', {})).toEqual({ enabled: true, userChoice: true });
    expect(await free.call('app.setNotifications', { enabled: false })).toEqual({ enabled: false, userChoice: true });
    const shared = open(join(tmp.dir, 'n2'), server.url, policyOf({ organisation: 'DSI', notifications: { desktop: 'off' } }));
    expect(await shared.call('app.setNotifications', { enabled: true })).toEqual({ enabled: false, userChoice: false });
  });
});

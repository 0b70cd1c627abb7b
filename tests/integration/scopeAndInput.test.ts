/**
 * What a client may see and write, and what it does with bad input: through the real
 * services (the ConsoleApi dispatch the UI uses) against the real server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { loginClient, openClient, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu75: TestClient;
let arsIdf: TestClient;
let arsBretagne: TestClient;
let national: TestClient;

beforeAll(async () => {
  tmp = tempDir('scope');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  [samu75, arsIdf, arsBretagne, national] = await Promise.all(
    ['samu75', 'ars-idf', 'ars-bretagne', 'national'].map((u) => loginClient(join(tmp.dir, u), server.url, u)),
  );
  for (const c of [samu75, arsIdf, arsBretagne, national]) await waitSynced(c);
});
afterAll(async () => {
  for (const c of [samu75, arsIdf, arsBretagne, national]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

async function bodies(c: TestClient): Promise<string[]> {
  return (await c.call('messages.list', { eventId: DEMO_IDS.event })).map((m) => m.body);
}

describe('out-of-scope reads', () => {
  it('ARS Bretagne never receives a local message of Île-de-France, while ARS Île-de-France does', async () => {
    const local = await samu75.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'urgent', body: 'Local Paris uniquement' });
    await waitFor(async () => (await bodies(arsIdf)).includes('Local Paris uniquement'), 'IdF to receive the local message');
    // A national message written after it: once Bretagne has that one, its cursor has passed
    // the local message's version, so "not received" is a fact, not a race.
    await national.call('messages.post', { eventId: DEMO_IDS.event, territory: 'FR', kind: 'information', priority: 'info', body: 'Point national' });
    await waitFor(async () => (await bodies(arsBretagne)).includes('Point national'), 'Bretagne to receive the national message');
    await waitSynced(arsBretagne);
    expect(await bodies(arsBretagne)).not.toContain('Local Paris uniquement');
    expect(arsBretagne.eventsOf('message.urgent').some((u) => u.id === local.id)).toBe(false);
    const acks = await arsBretagne.raw('messages.acks', { messageId: local.id });
    expect(acks.ok).toBe(false);
  });
});

describe('out-of-scope writes', () => {
  it('a post to another region’s territory is refused locally with the reason, and nothing is queued', async () => {
    const before = await samu75.call('sync.status', {});
    const reply = await samu75.raw('messages.post', { eventId: DEMO_IDS.event, territory: 'D:29', kind: 'information', priority: 'info', body: 'Vers le Finistère' });
    expect(reply).toEqual({ ok: false, error: { code: 'rejected', message: expect.stringMatching(/^Le territoire « SAMU 29 — Finistère » est hors de votre périmètre\.$/) } });
    const after = await samu75.call('sync.status', {});
    expect(after.pending).toBe(before.pending);
    expect(await bodies(samu75)).not.toContain('Vers le Finistère');
  });

  it('an establishment cannot open a crisis event', async () => {
    const pitie = await loginClient(join(tmp.dir, 'pitie'), server.url, 'pitie');
    try {
      const reply = await pitie.raw('events.open', { title: 'Mon évènement', territory: 'D:75' });
      expect(reply.ok === false && reply.error.code).toBe('rejected');
      expect((await pitie.call('sync.status', {})).pending).toBe(0);
    } finally {
      await pitie.close();
    }
  });
});

describe('malformed and oversized input to ConsoleApi', () => {
  it('is answered with a clear French error and changes nothing', async () => {
    const eventsBefore = await samu75.call('events.list', {});
    const statusBefore = await samu75.call('sync.status', {});
    const cases: Array<[unknown, unknown, string, RegExp]> = [
      ['messages.delete', {}, 'unknown_call', /^Appel inconnu : messages\.delete\.$/],
      [42, {}, 'unknown_call', /^Appel inconnu/],
      ['__proto__', {}, 'unknown_call', /^Appel inconnu/],
      ['messages.post', null, 'bad_args', /^Paramètres invalides : /],
      ['messages.post', { eventId: DEMO_IDS.event }, 'bad_args', /territory/],
      ['messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'rumeur', priority: 'info', body: 'x' }, 'bad_args', /kind/],
      ['messages.list', { eventId: DEMO_IDS.event, filter: { text: 'x'.repeat(201) } }, 'bad_args', /filter\.text/],
      ['events.close', { id: DEMO_IDS.event, force: true }, 'bad_args', /force/],
      ['sync.dismiss', { mutationId: 0 }, 'bad_args', /mutationId/],
      ['messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: '   ' }, 'rejected', /message vide/],
      ['messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'é'.repeat(10_001) }, 'rejected', /dépasse 10\s000 caractères/],
      ['messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'x'.repeat(3_000_000) }, 'rejected', /dépasse/],
      ['sync.dismiss', { mutationId: 999 }, 'bad_args', /^Aucune opération rejetée ne porte ce numéro\.$/],
    ];
    for (const [name, args, code, message] of cases) {
      const reply = await samu75.services.dispatch(name, args);
      expect(reply.ok, String(name)).toBe(false);
      if (!reply.ok) {
        expect(reply.error.code, String(name)).toBe(code);
        expect(reply.error.message, String(name)).toMatch(message);
      }
    }
    expect(await samu75.call('events.list', {})).toEqual(eventsBefore);
    expect((await samu75.call('sync.status', {})).pending).toBe(statusBefore.pending);
  });

  it('calls that need a session say so when nobody is signed in', async () => {
    const anonymous = openClient(join(tmp.dir, 'anonymous'), server.url);
    try {
      expect(await anonymous.call('session.current', {})).toBeNull();
      for (const name of ['events.list', 'sync.rejected'] as const) {
        expect(await anonymous.raw(name, {})).toEqual({ ok: false, error: { code: 'not_logged_in', message: 'Vous n’êtes pas connecté.' } });
      }
      const bad = await anonymous.raw('session.login', { username: 'samu75', password: 'mauvais' });
      expect(bad).toEqual({ ok: false, error: { code: 'auth', message: 'Identifiant ou mot de passe incorrect.' } });
    } finally {
      await anonymous.close();
    }
  });

  it('login to an unreachable server is answered in French', async () => {
    const lost = openClient(join(tmp.dir, 'lost'), 'http://127.0.0.1:9');
    try {
      expect(await lost.raw('session.login', { username: 'samu75', password: 'x' })).toEqual({
        ok: false,
        error: { code: 'unreachable', message: 'Serveur de synchronisation injoignable (http://127.0.0.1:9).' },
      });
    } finally {
      await lost.close();
    }
  });
});

/**
 * What the server refuses is shown, never dropped in silence; an expired session sends the
 * user back to the login screen without losing anything queued.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { loginClient, openClient, serverDb, startServer, tempDir, waitFor, waitSynced, DEMO_PASSWORD } from './harness';

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe('a mutation the server rejects', () => {
  it('is reported (event and list), its effect removed, and kept until dismissed', async () => {
    const tmp = tempDir('rejected');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
    cleanup.push(() => server.close());
    const national = await loginClient(join(tmp.dir, 'national'), server.url, 'national');
    cleanup.push(() => national.close());
    const samuDir = join(tmp.dir, 'samu75');
    const samu = await loginClient(samuDir, server.url, 'samu75');

    const opened = await national.call('events.open', { title: 'Accident ferroviaire', territory: 'D:75' });
    const eventId = opened.id ?? '';
    await waitFor(async () => (await samu.call('events.list', {})).some((e) => e.id === eventId), 'SAMU 75 to see the new event');
    await samu.close();

    // While SAMU 75 is closed, the national cell closes the event.
    await national.call('events.close', { id: eventId });
    await waitSynced(national);

    // SAMU 75 restarts and writes at once, before its cache learnt of the closing.
    const again = openClient(samuDir, server.url);
    cleanup.push(() => again.close());
    const receipt = await again.call('messages.post', { eventId, territory: 'D:75', kind: 'demande', priority: 'important', body: 'Besoin de deux équipes' });
    const rejected = await waitFor(() => again.eventsOf('mutation.rejected').find((r) => r.mutationId === receipt.mutationId), 'the rejection');
    expect(rejected).toMatchObject({ name: 'message.post', reason: 'Cet évènement est clos : on ne peut plus y écrire.' });
    expect(rejected.args).toMatchObject({ id: receipt.id, body: 'Besoin de deux équipes' });
    await waitSynced(again);

    expect(await again.call('sync.rejected', {})).toEqual([rejected]);
    expect(await again.call('sync.status', {})).toMatchObject({ pending: 0, rejected: 1 });
    expect((await again.call('messages.list', { eventId })).map((m) => m.id)).not.toContain(receipt.id);
    expect(again.eventsOf('data.changed').some((d) => d.entities.includes('rejected'))).toBe(true);
    const db = serverDb(server.dbPath);
    expect(db.message(receipt.id ?? '')).toBeUndefined();
    db.close();

    // Kept across a restart, until the user dismisses it.
    await again.close();
    const third = openClient(samuDir, server.url);
    cleanup.push(() => third.close());
    expect(await third.call('sync.rejected', {})).toEqual([rejected]);
    expect(await third.call('sync.dismiss', { mutationId: receipt.mutationId })).toBeNull();
    expect(await third.call('sync.rejected', {})).toEqual([]);
    expect((await third.call('sync.status', {})).rejected).toBe(0);
    const twice = await third.raw('sync.dismiss', { mutationId: receipt.mutationId });
    expect(twice.ok).toBe(false);
  }, 60_000);
});

describe('an expired session', () => {
  it('ends the session (login screen) but keeps the outbox, which the next login of the same user pushes', async () => {
    const tmp = tempDir('expiry');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite'), sessionTtlMs: 1_500 });
    cleanup.push(() => server.close());
    const dir = join(tmp.dir, 'samu75');
    const samu = await loginClient(dir, server.url, 'samu75');
    cleanup.push(() => samu.close());
    await waitSynced(samu);
    await new Promise((r) => setTimeout(r, 1_800));

    const receipt = await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Écrit après expiration' });
    await waitFor(async () => (await samu.call('session.current', {})) === null, 'the session to end');
    const status = await samu.call('sync.status', {});
    expect(status).toMatchObject({ state: 'offline', pending: 1, detail: 'Session absente ou expirée : reconnectez-vous.' });
    expect(samu.eventsOf('sync.status').at(-1)?.detail).toBe('Session absente ou expirée : reconnectez-vous.');
    expect(await samu.raw('events.list', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });

    // A restart does not resume a dead session.
    await samu.close();
    const restarted = openClient(dir, server.url);
    cleanup.push(() => restarted.close());
    expect(await restarted.call('session.current', {})).toBeNull();

    await restarted.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(restarted);
    const db = serverDb(server.dbPath);
    expect(db.message(receipt.id ?? '')?.body).toBe('Écrit après expiration');
    db.close();
  }, 60_000);
});

describe('a short-lived access token', () => {
  it('is renewed transparently: the workstation keeps syncing after several expiries, and a revoked login returns to the login screen with the outbox', async () => {
    const tmp = tempDir('refresh');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite'), accessTtlMs: 1_500 });
    cleanup.push(() => server.close());
    const samu = await loginClient(join(tmp.dir, 'samu75'), server.url, 'samu75');
    cleanup.push(() => samu.close());
    await waitSynced(samu);
    // Three access tokens' lives later, still signed in, and a write still reaches the server.
    await new Promise((r) => setTimeout(r, 4_800));
    expect(await samu.call('session.current', {})).not.toBeNull();
    const sent = await samu.call('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Écrit après renouvellement' });
    await waitSynced(samu);
    const db = serverDb(server.dbPath);
    expect(db.message(sent.id ?? '')?.body).toBe('Écrit après renouvellement');
    db.close();

    // An administrator revokes every session: the socket is cut, the refresh refused.
    const user = await server.app.store.findUserByUsername('samu75');
    await server.app.revokeUserSessions(user?.id ?? '');
    await waitFor(async () => (await samu.call('session.current', {})) === null, 'the session to end');
    const queued = await samu.raw('messages.post', { eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Après révocation' });
    expect(queued).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
  }, 60_000);
});

describe('two users on one workstation', () => {
  it('never share a cache: the second user sees none of the first one’s pending writes', async () => {
    const tmp = tempDir('two-users');
    cleanup.push(tmp.cleanup);
    const server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
    cleanup.push(() => server.close());
    const dir = join(tmp.dir, 'poste');
    const c = await loginClient(dir, server.url, 'samu75');
    cleanup.push(() => c.close());
    await waitSynced(c);
    await server.close();
    const opened = await c.call('events.open', { title: 'Brouillon hors ligne', territory: 'D:75' });
    await c.call('session.logout', {});
    expect(await c.call('session.current', {})).toBeNull();

    const server2 = await startServer({ dbPath: server.dbPath, port: server.port, seed: false });
    cleanup.push(() => server2.close());
    await c.call('session.login', { username: 'samu29', password: DEMO_PASSWORD });
    await waitSynced(c);
    expect((await c.call('events.list', {})).map((e) => e.id)).not.toContain(opened.id);
    expect((await c.call('sync.status', {})).pending).toBe(0);

    // Back to SAMU 75: its offline write is still queued and now reaches the server.
    await c.call('session.logout', {});
    await c.call('session.login', { username: 'samu75', password: DEMO_PASSWORD });
    await waitSynced(c);
    const db = serverDb(server.dbPath);
    expect(db.eventStatus(opened.id ?? '')).toBe('open');
    db.close();
  }, 60_000);
});

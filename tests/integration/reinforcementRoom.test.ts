/**
 * The reinforcement room (salle de renfort) of SAMU 75 inside the crisis event (issue 7),
 * over real processes: a SAMU workstation opens posts and puts people on shifts through the
 * outbox; the real server stores them in the room's scope and pulls and pokes carry them to
 * the SAMU's ARS and the national cell, never to a Paris hospital nor another region; the
 * room is edited offline and the server decides between two workstations.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import type { Mutation, PushResult, Reply } from '../../common/protocol';
import { loginClient, openClient, rawClient, serverPerTest, serverRows, startServer, waitFor, waitSynced, type RawSocket, type TestClient } from './harness';

const env = serverPerTest('room');
const EVENT = DEMO_IDS.event;

function idOf(receipt: { id?: string }): string {
  if (!receipt.id) throw new Error('the call answered no id');
  return receipt.id;
}

async function room(c: TestClient, key = 'SR:75') {
  return (await c.call('rooms.view', { eventId: EVENT })).find((r) => r.room === key);
}

function roomRows(dbPath: string) {
  return {
    posts: serverRows<{ id: string; label: string; room: string; scope: string; closedAt: string | null }>(
      dbPath,
      'SELECT id, label, room, scope_path AS scope, closed_at AS "closedAt" FROM room_posts ORDER BY opened_at',
    ),
    shifts: serverRows<{ id: string; person: string; cancelledAt: string | null }>(dbPath, 'SELECT id, person, cancelled_at AS "cancelledAt" FROM room_shifts ORDER BY starts_at'),
  };
}

function push(socket: RawSocket, clientId: string, mutations: Mutation[]): Promise<Reply<PushResult>> {
  return socket.timeout(10_000).emitWithAck('sync:push', { clientId, mutations } as never);
}

describe('the reinforcement room of SAMU 75', () => {
  it('is written by the SAMU and seen live by its ARS and the national cell, never by a Paris hospital or another region', async () => {
    const samu = await env.client('samu75');
    const ars = await env.client('ars-idf');
    const national = await env.client('national');
    const pitie = await env.client('pitie');
    const bzh = await env.client('ars-bretagne');
    for (const c of [samu, ars, national, pitie, bzh]) await waitSynced(c);

    // The SAMU's own room exists before any post, and is its to edit.
    expect(await room(samu)).toEqual({ room: 'SR:75', label: 'Salle de renfort du SAMU 75', canEdit: true, posts: [] });
    const desk = idOf(await samu.call('rooms.openPost', { eventId: EVENT, label: 'Régulation 3', kind: 'regulation' }));
    const line = idOf(await samu.call('rooms.openPost', { eventId: EVENT, label: 'Ligne Covid 2', kind: 'phone' }));
    const now = Date.now();
    const h = (n: number) => new Date(now + n * 3_600_000).toISOString();
    await samu.call('rooms.assign', { postId: desk, person: 'Dr Claire Martin', qualification: 'Médecin régulateur', startsAt: h(-2), endsAt: h(6) });
    await samu.call('rooms.assign', { postId: desk, person: 'Dr Paul Roche', qualification: 'Médecin régulateur', startsAt: h(6), endsAt: h(18) });
    await samu.call('rooms.assign', { postId: line, person: 'Julie Bernard', qualification: 'ARM', startsAt: h(-1), endsAt: h(5) });
    await waitSynced(samu);

    const stored = roomRows(env.server.dbPath);
    expect(stored.posts.map((p) => [p.label, p.room, p.scope])).toEqual([
      ['Régulation 3', 'SR:75', '/FR/R:11/D:75/SR:75/'],
      ['Ligne Covid 2', 'SR:75', '/FR/R:11/D:75/SR:75/'],
    ]);
    expect(stored.shifts.map((s) => s.person)).toEqual(['Dr Claire Martin', 'Julie Bernard', 'Dr Paul Roche']);

    // The ARS sees it by a poke, read only.
    const seenByArs = await waitFor(async () => {
      const r = await room(ars);
      return r && r.posts.length === 2 && r.posts[0].shifts.length === 2 ? r : null;
    }, 'the room at the ARS');
    expect(seenByArs).toMatchObject({ label: 'Salle de renfort du SAMU 75', canEdit: false });
    expect(seenByArs.posts.map((p) => [p.label, p.shifts.map((s) => s.person)])).toEqual([
      ['Régulation 3', ['Dr Claire Martin', 'Dr Paul Roche']],
      ['Ligne Covid 2', ['Julie Bernard']],
    ]);
    await waitFor(async () => (await room(national))?.posts.length === 2, 'the room at the national cell');

    // The ARS cannot write it: refused on its own workstation, nothing queued.
    const refused = await ars.raw('rooms.assign', { postId: desk, person: 'Renfort ARS', startsAt: h(18), endsAt: h(20) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rejected', message: expect.stringMatching(/Seul un SAMU tient une salle de renfort/) } });
    expect((await ars.call('sync.status', {})).pending).toBe(0);

    // A Paris hospital and another region never receive it, pulled or poked.
    await waitSynced(pitie);
    await waitSynced(bzh);
    expect(await pitie.call('rooms.view', { eventId: EVENT })).toEqual([]);
    expect(await bzh.call('rooms.view', { eventId: EVENT })).toEqual([]);
  });

  it('over the raw protocol, an ARS or another SAMU cannot write the room, and nothing is stored', async () => {
    const samu = await env.client('samu75');
    await waitSynced(samu);
    const desk = idOf(await samu.call('rooms.openPost', { eventId: EVENT, label: 'Régulation 4', kind: 'regulation' }));
    await waitSynced(samu);

    const tries: Array<[string, Mutation['name'], Record<string, unknown>, RegExp]> = [
      ['ars-idf', 'room.assign', { id: randomUUID(), postId: desk, person: 'Renfort', startsAt: '2020-03-24T08:00:00Z', endsAt: '2020-03-24T09:00:00Z' }, /Seul un SAMU/],
      ['samu29', 'room.closePost', { id: desk }, /Poste introuvable/],
      ['samu29', 'room.assign', { id: randomUUID(), postId: desk, person: 'Renfort', startsAt: '2020-03-24T08:00:00Z', endsAt: '2020-03-24T09:00:00Z' }, /Poste introuvable/],
      ['pitie', 'room.openPost', { id: randomUUID(), eventId: EVENT, label: 'Poste hôpital', kind: 'other' }, /Seul un SAMU/],
    ];
    for (const [user, name, args, why] of tries) {
      const clientId = `raw-${user}-${randomUUID().slice(0, 8)}`;
      const { socket } = await rawClient(env.server.url, user, clientId);
      try {
        const reply = await push(socket, clientId, [{ clientId, mutationId: 1, name, args, at: new Date().toISOString() }]);
        const result = 'data' in reply ? reply.data.results[0] : reply;
        expect(result).toMatchObject({ status: 'rejected', reason: expect.stringMatching(why) });
      } finally {
        socket.close();
      }
    }
    const stored = roomRows(env.server.dbPath);
    expect(stored.posts.map((p) => [p.label, p.closedAt])).toEqual([['Régulation 4', null]]);
    expect(stored.shifts).toEqual([]);
  });

  it('is edited offline through the outbox; between two SAMU workstations that booked the same hours offline, the server keeps the first and says why to the second', async () => {
    const dbPath = join(env.dir, 'server.sqlite');
    const port = env.server.port;
    const url = `http://127.0.0.1:${port}`;
    const deskADir = join(env.dir, 'samu75-a');
    const deskBDir = join(env.dir, 'samu75-b');
    let a = await loginClient(deskADir, env.server.url, 'samu75');
    let b = await loginClient(deskBDir, env.server.url, 'samu75');
    const ars = await env.client('ars-idf');
    const post = idOf(await a.call('rooms.openPost', { eventId: EVENT, label: 'Régulation 5', kind: 'regulation' }));
    await waitSynced(a);
    await waitFor(async () => (await room(b))?.posts.length === 1, 'the post at the second desk');

    // The server goes away; both desks keep working on the room.
    await env.server.close();
    await a.close();
    await b.close();
    a = openClient(deskADir, url);
    b = openClient(deskBDir, url);
    try {
      await a.call('rooms.assign', { postId: post, person: 'Dr Claire Martin', startsAt: '2020-03-24T08:00:00+01:00', endsAt: '2020-03-24T20:00:00+01:00' });
      const line = idOf(await a.call('rooms.openPost', { eventId: EVENT, label: 'Ligne 6', kind: 'phone' }));
      await a.call('rooms.assign', { postId: line, person: 'Julie Bernard', qualification: 'ARM', startsAt: '2020-03-24T08:00:00+01:00', endsAt: '2020-03-24T14:00:00+01:00' });
      const offline = await room(a);
      expect(offline?.posts.map((p) => [p.label, p.pending, p.shifts.map((s) => [s.person, s.pending])])).toEqual([
        ['Régulation 5', false, [['Dr Claire Martin', true]]],
        ['Ligne 6', true, [['Julie Bernard', true]]],
      ]);
      expect((await a.call('sync.status', {})).pending).toBe(3);
      // The second desk books the same post for overlapping hours, not knowing.
      await b.call('rooms.assign', { postId: post, person: 'Dr Paul Roche', startsAt: '2020-03-24T18:00:00+01:00', endsAt: '2020-03-25T06:00:00+01:00' });

      // The first desk to reach the server wins: the second desk comes back only once the
      // first has synced (both reconnecting at once would race, in either order).
      await b.close();
      env.server = await startServer({ dbPath, port, seed: false });
      await waitSynced(a, 30_000);
      b = openClient(deskBDir, url);
      const rejected = await waitFor(async () => (await b.call('sync.rejected', {}))[0], 'the second desk’s refusal');
      expect(rejected.reason).toBe(
        'Le poste « Régulation 5 » est déjà tenu par Dr Claire Martin de 24/03 08:00 à 24/03 20:00 : une seule personne par poste à la fois.',
      );
      const stored = roomRows(dbPath);
      expect(stored.shifts.map((s) => s.person)).toEqual(['Dr Claire Martin', 'Julie Bernard']);
      const atArs = await waitFor(async () => {
        const r = await room(ars);
        return r && r.posts.length === 2 && r.posts.every((p) => p.shifts.length === 1) ? r : null;
      }, 'the offline work at the ARS');
      expect(atArs.posts.map((p) => [p.label, p.shifts[0].person])).toEqual([
        ['Régulation 5', 'Dr Claire Martin'],
        ['Ligne 6', 'Julie Bernard'],
      ]);
      // The second desk shows what the server kept, nothing of its refused shift.
      await waitFor(async () => (await room(b))?.posts[0].shifts.map((s) => s.person).join() === 'Dr Claire Martin', 'the second desk to settle');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

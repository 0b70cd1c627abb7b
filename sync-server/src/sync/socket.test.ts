import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { openEvent, postMessage } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';
import { MAX_PUSH_BYTES, MAX_PUSH_MUTATIONS, PROTOCOL_VERSION, syncWire, type Poke, type SyncHello } from '../../../common/protocol';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
  await server.user('national', 'national');
  await server.user('ars-bretagne', 'ars:53');
  await server.user('samu75', 'samu:75');
});
afterEach(() => server.stop());

async function connectAs(username: string, clientId = `client-${username}-01`): Promise<ClientSocket> {
  const { token } = await server.login(username);
  return server.socket(token, clientId);
}

/** Collects pokes from the moment of the call. */
function pokes(socket: ClientSocket): Poke[] {
  const list: Poke[] = [];
  socket.on(syncWire.poke, (p) => list.push(p));
  return list;
}

function nextPoke(socket: ClientSocket): Promise<Poke> {
  return new Promise((resolve) => socket.once(syncWire.poke, resolve));
}

/** A national event everyone can see, pushed through a national socket. */
async function seedEvent(nat: ClientSocket): Promise<void> {
  const r = await nat.emitWithAck(syncWire.push, { clientId: 'client-national-01', mutations: [openEvent('client-national-01', 1)] });
  expect(r).toEqual({ data: { results: [{ mutationId: 1, status: 'applied', version: 1 }] } });
}

describe('Socket.IO handshake', () => {
  it('refuses a connection without a token', async () => {
    await expect(server.socket('', 'client-anon-01')).rejects.toMatchObject({
      message: fr.protocol.unauthenticated,
      data: { code: 'unauthenticated' },
    });
  });

  it('refuses a connection with no auth payload at all', async () => {
    const s = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true });
    const err = await new Promise<Error & { data?: unknown }>((resolve) => s.once('connect_error', resolve));
    s.close();
    expect(err.message).toBe(fr.protocol.unauthenticated);
    expect(err.data).toEqual({ code: 'unauthenticated' });
  });

  it('refuses a bad or forged token', async () => {
    await expect(server.socket('A'.repeat(43), 'client-anon-01')).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });
  });

  it('refuses an invalid client id', async () => {
    const { token } = await server.login('samu75');
    await expect(server.socket(token, 'bad id!')).rejects.toMatchObject({
      message: fr.server.clientIdInvalid,
      data: { code: 'bad_request' },
    });
  });

  it('answers bad_request, as documented, to a valid token with no client id at all', async () => {
    const { token } = await server.login('samu75');
    const s = connect(server.url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token } });
    const err = await new Promise<Error & { data?: unknown }>((resolve) => s.once('connect_error', resolve));
    s.close();
    expect(err.message).toBe(fr.server.clientIdInvalid);
    expect(err.data).toEqual({ code: 'bad_request' });
  });

  it('refuses a client id already registered to another user', async () => {
    (await connectAs('samu75', 'poste-partage-1')).close();
    const { token } = await server.login('ars-bretagne');
    await expect(server.socket(token, 'poste-partage-1')).rejects.toMatchObject({
      message: fr.protocol.wrongClient,
      data: { code: 'forbidden' },
    });
  });

  it('refuses an expired session at the handshake and on the next request', async () => {
    let now = Date.now();
    const timed = await startTestServer({ now: () => new Date(now), sessionTtlMs: 60_000 });
    try {
      await timed.user('samu75', 'samu:75');
      const { token } = await timed.login('samu75');
      const s = await timed.socket(token, 'client-samu75-01');
      now += 61_000;
      const disconnected = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
      expect(await s.emitWithAck(syncWire.pull, { cursor: 0 })).toEqual({
        error: { code: 'unauthenticated', message: fr.protocol.unauthenticated },
      });
      await disconnected;
      await expect(timed.socket(token, 'client-samu75-01')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    } finally {
      await timed.stop();
    }
  });

  it('closes live sockets of a session that logs out', async () => {
    const { token } = await server.login('samu75');
    const s = await server.socket(token, 'client-samu75-01');
    const disconnected = new Promise<void>((resolve) => s.once('disconnect', () => resolve()));
    await fetch(`${server.url}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    await disconnected;
  });
});

describe('sync:push and sync:pull', () => {
  it('pushes then pulls the change, with the server-stamped version', async () => {
    const nat = await connectAs('national');
    await seedEvent(nat);
    const s = await connectAs('samu75');
    const m = postMessage('client-samu75-01', 1, 'D:75', { body: 'Besoin de 2 lits de réanimation' });
    const pushed = await s.emitWithAck(syncWire.push, { clientId: 'client-samu75-01', mutations: [m] });
    expect(pushed).toEqual({ data: { results: [{ mutationId: 1, status: 'applied', version: 2 }] } });
    const pulled = await s.emitWithAck(syncWire.pull, { cursor: 0 });
    if (!('data' in pulled)) throw new Error(JSON.stringify(pulled));
    expect(pulled.data.cursor).toBe(2);
    expect(pulled.data.more).toBe(false);
    expect(pulled.data.changes.map((c) => [c.version, c.entity])).toEqual([
      [1, 'event'],
      [2, 'message'],
    ]);
    expect(pulled.data.changes[1].data).toMatchObject({
      body: 'Besoin de 2 lits de réanimation',
      authorName: 'Agent samu75',
      authorRole: 'samu:75',
      level: 'local',
      version: 2,
    });
  });

  it('answers a replayed push from the ledger without applying it again', async () => {
    const nat = await connectAs('national');
    const req = { clientId: 'client-national-01', mutations: [openEvent('client-national-01', 1)] };
    const first = await nat.emitWithAck(syncWire.push, req);
    const second = await nat.emitWithAck(syncWire.push, req);
    expect(second).toEqual(first);
    expect(await server.app.store.latestVersion()).toBe(1);
  });

  it('answers a gap with the gap error', async () => {
    const nat = await connectAs('national');
    const r = await nat.emitWithAck(syncWire.push, { clientId: 'client-national-01', mutations: [openEvent('client-national-01', 2)] });
    expect(r).toEqual({ error: { code: 'gap', message: fr.protocol.gap(1, 2) } });
    expect(await server.app.store.latestVersion()).toBe(0);
  });

  it('answers malformed payloads with bad_request and writes nothing', async () => {
    const nat = await connectAs('national');
    const bad: unknown[] = [
      null,
      'push',
      { clientId: 'client-national-01' },
      { clientId: 'client-national-01', mutations: [] },
      { clientId: 'client-national-01', mutations: [{ ...openEvent('client-national-01', 1), at: 'hier' }] },
      { clientId: 'client-national-01', mutations: [{ ...openEvent('client-national-01', 1), extra: 1 }] },
    ];
    for (const payload of bad) {
      // Deliberately outside the typed contract: what a broken or hostile client may send.
      const r = (await (nat.emitWithAck as (ev: string, p: unknown) => Promise<unknown>)(syncWire.push, payload)) as {
        error?: { code: string; message: string };
      };
      expect(r.error?.code).toBe('bad_request');
      expect(r.error?.message).toMatch(/^Requête invalide : /);
    }
    const pull = (await (nat.emitWithAck as (ev: string, p: unknown) => Promise<unknown>)(syncWire.pull, { cursor: -1 })) as {
      error?: { code: string };
    };
    expect(pull.error?.code).toBe('bad_request');
    expect(await server.app.store.latestVersion()).toBe(0);
    expect(await server.app.store.lastMutationId('client-national-01')).toBe(0);
  });

  it('answers oversized pushes with too_large and writes nothing', async () => {
    const nat = await connectAs('national');
    const c = 'client-national-01';
    const big = Array.from({ length: 110 }, (_, i) => ({ ...openEvent(c, i + 1), args: { pad: 'x'.repeat(10_000) } }));
    expect(JSON.stringify({ clientId: c, mutations: big }).length).toBeGreaterThan(MAX_PUSH_BYTES);
    expect(await nat.emitWithAck(syncWire.push, { clientId: c, mutations: big })).toEqual({
      error: { code: 'too_large', message: fr.protocol.tooLarge(MAX_PUSH_BYTES) },
    });
    const many = Array.from({ length: MAX_PUSH_MUTATIONS + 1 }, (_, i) => openEvent(c, i + 1));
    expect(await nat.emitWithAck(syncWire.push, { clientId: c, mutations: many })).toEqual({
      error: { code: 'too_large', message: fr.protocol.tooMany(MAX_PUSH_MUTATIONS) },
    });
    expect(await server.app.store.latestVersion()).toBe(0);
    expect(await server.app.store.lastMutationId(c)).toBe(0);
  });

  it('refuses a push for another client id than the connection\'s', async () => {
    const nat = await connectAs('national');
    const r = await nat.emitWithAck(syncWire.push, { clientId: 'client-other-01', mutations: [openEvent('client-other-01', 1)] });
    expect(r).toEqual({ error: { code: 'forbidden', message: fr.protocol.clientMismatch } });
    expect(await server.app.store.latestVersion()).toBe(0);
  });

  it('rejects an out-of-scope write with a French reason and still applies the next one', async () => {
    const nat = await connectAs('national');
    await seedEvent(nat);
    const bzh = await connectAs('ars-bretagne');
    const c = 'client-ars-bretagne-01';
    const r = await bzh.emitWithAck(syncWire.push, { clientId: c, mutations: [postMessage(c, 1, 'R:11'), postMessage(c, 2, 'R:53')] });
    expect(r).toEqual({
      data: {
        results: [
          { mutationId: 1, status: 'rejected', reason: fr.reject.territoryOutOfScope('ARS Île-de-France') },
          { mutationId: 2, status: 'applied', version: 2 },
        ],
      },
    });
  });

  it('survives a push or pull without an acknowledgement callback', async () => {
    const nat = await connectAs('national');
    (nat.emit as (ev: string, p: unknown) => void)(syncWire.push, { clientId: 'client-national-01', mutations: [openEvent('client-national-01', 1)] });
    (nat.emit as (ev: string, p: unknown, ack: unknown) => void)(syncWire.pull, { cursor: 0 }, 'not a function');
    const r = await nat.emitWithAck(syncWire.pull, { cursor: 0 });
    expect('data' in r && r.data.changes.map((c) => c.entity)).toEqual(['event']);
  });

  it("handles one socket's requests in the order sent: pushes in flight apply in order, a pull sees the pushes before it", async () => {
    const nat = await connectAs('national');
    const c = 'client-national-01';
    // Sent without waiting: a later push handled first would be a gap, a pull handled early would miss messages.
    const pushes = [[openEvent(c, 1)], ...[2, 3, 4, 5, 6].map((id) => [postMessage(c, id, 'FR', { body: `message ${id}` })])].map((mutations) =>
      nat.emitWithAck(syncWire.push, { clientId: c, mutations }),
    );
    const pulled = nat.emitWithAck(syncWire.pull, { cursor: 0 });
    const answers = await Promise.all(pushes);
    expect(answers.map((r) => ('data' in r ? r.data.results.map((x) => [x.mutationId, x.status]) : r.error.code))).toEqual(
      [1, 2, 3, 4, 5, 6].map((id) => [[id, 'applied']]),
    );
    const r = await pulled;
    expect('data' in r && r.data.changes.map((ch) => ch.version)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('sync:poke', () => {
  it('reaches sockets in scope once each, and not a socket out of scope', async () => {
    const nat = await connectAs('national');
    await seedEvent(nat);
    const samu = await connectAs('samu75');
    const bzh = await connectAs('ars-bretagne');
    const samuOther = await connectAs('samu75', 'client-samu75-02');
    const natPokes = pokes(nat);
    const samuPokes = pokes(samuOther);
    const bzhPokes = pokes(bzh);

    const c = 'client-samu75-01';
    const gotByOther = nextPoke(samuOther);
    await samu.emitWithAck(syncWire.push, { clientId: c, mutations: [postMessage(c, 1, 'D:75', { body: 'local Paris' })] });
    const poke = await gotByOther;
    expect(poke.version).toBe(2);
    expect(poke.changes.map((ch) => [ch.version, ch.entity, ch.entity === 'unit' ? ch.data.finess : ch.entity === 'roomPost' || ch.entity === 'roomShift' ? ch.data.room : ch.entity === 'transfer' ? ch.data.originFiness : ch.entity === 'hold' ? ch.data.finess : ch.entity === 'operation' ? 'FR' : ch.entity === 'transferSummary' ? ch.data.parties[0] : ch.entity === 'stockLine' || ch.entity === 'allocationLine' ? `E:${ch.data.finess}` : ch.entity === 'allocationRound' ? 'FR' : ch.entity === 'redeployment' ? `E:${ch.data.from}` : ch.data.territory])).toEqual([[2, 'message', 'D:75']]);

    // A later national message reaches Bretagne; by then the Paris one would have arrived first.
    const bzhNext = nextPoke(bzh);
    await nat.emitWithAck(syncWire.push, { clientId: 'client-national-01', mutations: [postMessage('client-national-01', 2, 'FR')] });
    const national = await bzhNext;
    expect(national.changes.map((ch) => ch.version)).toEqual([3]);
    expect(bzhPokes.map((p) => p.version)).toEqual([3]);
    expect(JSON.stringify(bzhPokes)).not.toContain('local Paris');
    await new Promise((r) => setTimeout(r, 50));
    // Exactly one copy each, though each socket sits in several rooms.
    expect(samuPokes.map((p) => p.version)).toEqual([2, 3]);
    expect(natPokes.map((p) => p.version)).toEqual([2, 3]);
  });
});

describe('a socket lives no longer than its session', () => {
  /** A second server with its own timings (the file's one stays as it is). */
  async function serverWith(options: { sessionTtlMs?: number; sessionSweepMs?: number }): Promise<TestServer> {
    const s = await startTestServer(options);
    await s.user('national', 'national');
    await s.user('samu75', 'samu:75');
    return s;
  }
  const connect = async (s: TestServer, username: string) => s.socket((await s.login(username)).token, `client-${username}-02`);
  const disconnected = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

  it('an idle socket is cut when its session expires, and gets no poke after', async () => {
    const s = await serverWith({ sessionTtlMs: 1_500 });
    try {
      const idle = await connect(s, 'samu75');
      const started = Date.now();
      const got = pokes(idle);
      const cut = disconnected(idle);
      // The national cell logs in later: its session outlives SAMU 75's by most of a second.
      await new Promise((r) => setTimeout(r, 700));
      const nat = await connect(s, 'national');
      expect(await cut).toBe('io server disconnect');
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(nat.connected).toBe(true);
      await nat.emitWithAck(syncWire.push, { clientId: 'client-national-02', mutations: [openEvent('client-national-02', 1)] });
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toEqual([]);
    } finally {
      await s.stop();
    }
  });

  it('a disabled user’s sockets are cut within the sweep, and their live data stops there', async () => {
    const s = await serverWith({ sessionSweepMs: 100 });
    try {
      const samu = await connect(s, 'samu75');
      const nat = await connect(s, 'national');
      const got = pokes(samu);
      await nat.emitWithAck(syncWire.push, { clientId: 'client-national-02', mutations: [openEvent('client-national-02', 1)] });
      await expect.poll(() => got.length).toBe(1);
      const cut = disconnected(samu);
      const user = await s.app.store.findUserByUsername('samu75');
      expect(await s.app.store.setUserDisabled(user!.id, true)).toBe(true);
      expect(await cut).toBe('io server disconnect');
      await nat.emitWithAck(syncWire.push, { clientId: 'client-national-02', mutations: [postMessage('client-national-02', 2, 'FR')] });
      await new Promise((r) => setTimeout(r, 200));
      expect(got).toHaveLength(1);
      // Its token is refused from now on.
      await expect(s.login('samu75')).rejects.toThrow(/401/);
    } finally {
      await s.stop();
    }
  });
});

describe('the server epoch', () => {
  /** Connects with the hello listener attached before the handshake, so the first event cannot be missed. */
  async function connectForHello(username: string, clientId: string): Promise<{ socket: ClientSocket; hello: SyncHello; first: string }> {
    const { token } = await server.login(username);
    const socket: ClientSocket = connect(server.url, { auth: { token, clientId }, transports: ['websocket'], reconnection: false, forceNew: true });
    let first = '';
    socket.onAny((event: string) => {
      first ||= event;
    });
    const hello = await new Promise<SyncHello>((resolve, reject) => {
      socket.once(syncWire.hello, resolve);
      socket.once('connect_error', reject);
    });
    return { socket, hello, first };
  }

  it('tells each socket, first, the epoch, the head and its own client id’s last mutation id', async () => {
    const nat = await connectAs('national');
    await seedEvent(nat);
    const epoch = await server.app.store.epoch();
    const again = await connectForHello('national', 'client-national-01');
    expect(again.first).toBe(syncWire.hello);
    expect(again.hello).toEqual({ protocol: PROTOCOL_VERSION, epoch, head: 1, lastMutationId: 1 });
    const other = await connectForHello('samu75', 'client-samu75-09');
    expect(other.hello).toEqual({ protocol: PROTOCOL_VERSION, epoch, head: 1, lastMutationId: 0 });
    again.socket.close();
    other.socket.close();
  });

  it('answers every pull with the epoch, and a new epoch from then on', async () => {
    const nat = await connectAs('national');
    await seedEvent(nat);
    const before = await server.app.store.epoch();
    expect(await nat.emitWithAck(syncWire.pull, { cursor: 0 })).toMatchObject({ data: { cursor: 1, more: false, epoch: before } });
    const after = await server.app.store.newEpoch();
    expect(after).not.toBe(before);
    expect(await nat.emitWithAck(syncWire.pull, { cursor: 1 })).toEqual({ data: { changes: [], cursor: 1, more: false, epoch: after } });
    const fresh = await connectForHello('national', 'client-national-01');
    expect(fresh.hello.epoch).toBe(after);
    fresh.socket.close();
  });

  it('refuses a pull from beyond the head with cursor_ahead and a French message, never echoing the cursor', async () => {
    const nat = await connectAs('national');
    await seedEvent(nat);
    expect(await nat.emitWithAck(syncWire.pull, { cursor: 40 })).toEqual({
      error: { code: 'cursor_ahead', message: fr.protocol.cursorAhead(40, 1) },
    });
    expect(fr.protocol.cursorAhead(40, 1)).toMatch(/restauré/);
  });
});

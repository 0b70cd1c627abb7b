/**
 * Statements of docs/protocol.md that an independent client relies on, checked over the raw
 * protocol (HTTP and a plain socket.io client, no code of the workstation): the territory
 * referential, unknown events, which faults refuse a whole push and which reject one
 * mutation, trimming, oversized bodies and reserved client ids.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { fr } from '../../common/i18n/fr';
import { MAX_PUSH_BYTES, syncWire, type PullResult, type PushResult, type Reply } from '../../common/protocol';
import { EVENT_ID, mutation, openEvent, postMessage, territories } from '../../sync-server/src/testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../../sync-server/src/testing/server';
import { TERRITORIES_PATH, type TerritoriesDocument } from '../../sync-server/src/http/territories';

let server: TestServer;
let token = '';
beforeAll(async () => {
  server = await startTestServer();
  await server.user('national', 'national');
  await server.user('samu75', 'samu:75');
  token = (await server.login('national')).token;
});
afterAll(() => server.stop());

let clients = 0;
async function socketOf(username: string): Promise<{ socket: ClientSocket; clientId: string }> {
  const { token: t } = await server.login(username);
  clients += 1;
  const clientId = `doc-${username}-${clients}`.padEnd(8, '0');
  return { socket: await server.socket(t, clientId), clientId };
}

describe('GET /api/territories', () => {
  it('serves the server’s own referential to a signed-in user, with paths, and 304 for an unchanged copy', async () => {
    expect((await fetch(`${server.url}${TERRITORIES_PATH}`)).status).toBe(401);
    const res = await fetch(`${server.url}${TERRITORIES_PATH}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as TerritoriesDocument;
    const t = territories();
    expect(doc.regions).toHaveLength(t.regionList().length);
    expect(doc.departements).toHaveLength(t.departementList().length);
    expect(doc.establishments).toHaveLength(t.establishmentCount());
    expect(doc.regions.find((r) => r.key === 'R:11')).toMatchObject({ code: '11', path: '/FR/R:11/', label: t.label('R:11') });
    expect(doc.departements.find((d) => d.key === 'D:75')).toMatchObject({ region: '11', path: '/FR/R:11/D:75/', label: 'SAMU 75 — Paris' });
    const e = doc.establishments[0];
    expect(e.path).toBe(`/FR/R:${t.departement(e.dep)?.region}/D:${e.dep}/E:${e.finess}/`);
    const etag = res.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${server.url}${TERRITORIES_PATH}`, { headers: { authorization: `Bearer ${token}`, 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('socket events', () => {
  it('never answers an unknown event (nor a server-to-client name sent by a client), and the connection stays usable', async () => {
    const { socket } = await socketOf('national');
    for (const event of ['bogus:event', syncWire.poke, syncWire.hello, 'beds:nothing']) {
      await expect((socket.timeout(400) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }).emitWithAck(event, { cursor: 0 })).rejects.toThrow();
    }
    expect(socket.connected).toBe(true);
    const pull = (await socket.emitWithAck(syncWire.pull, { cursor: 0 })) as Reply<PullResult>;
    expect('data' in pull).toBe(true);
    socket.close();
  });

  it('refuses a handshake with a client id reserved to the server (feed-…)', async () => {
    const { token: t } = await server.login('national');
    await expect(server.socket(t, 'feed-1234567890')).rejects.toMatchObject({ message: fr.server.clientIdReserved, data: { code: 'forbidden' } });
  });
});

describe('sync:push', () => {
  it('an envelope fault anywhere refuses the whole push and applies nothing, not even the valid mutations before it', async () => {
    const { socket, clientId } = await socketOf('national');
    const valid = openEvent(clientId, 1, 'FR', EVENT_ID);
    const faults: unknown[] = [
      { ...mutation(clientId, 2, 'event.close', { id: EVENT_ID }), at: 'hier' },
      { ...mutation(clientId, 2, 'event.close', { id: EVENT_ID }), mutationId: 0 },
      { ...mutation(clientId, 2, 'event.close', { id: EVENT_ID }), extra: true },
      { ...mutation(clientId, 2, 'event.close', { id: EVENT_ID }), name: '' },
    ];
    for (const fault of faults) {
      const r = (await socket.emitWithAck(syncWire.push, { clientId, mutations: [valid, fault] } as never)) as Reply<PushResult>;
      expect(r, JSON.stringify(fault)).toMatchObject({ error: { code: 'bad_request' } });
    }
    const otherClient = (await socket.emitWithAck(syncWire.push, { clientId, mutations: [valid, { ...openEvent(clientId, 2), clientId: 'un-autre-poste' }] })) as Reply<PushResult>;
    expect(otherClient).toEqual({ error: { code: 'forbidden', message: fr.protocol.clientMismatch } });
    // Nothing was applied: id 1 is still expected.
    const ok = (await socket.emitWithAck(syncWire.push, { clientId, mutations: [valid] })) as Reply<PushResult>;
    expect(ok).toMatchObject({ data: { results: [{ mutationId: 1, status: 'applied' }] } });
    socket.close();
  });

  it('an unknown name, bad args or a future date reject that mutation only: its id is consumed and the next ones apply', async () => {
    const { socket, clientId } = await socketOf('national');
    const eventId = '22222222-2222-4333-8444-555555555555';
    const future = new Date(Date.now() + 60 * 60 * 1000);
    const r = (await socket.emitWithAck(syncWire.push, {
      clientId,
      mutations: [
        openEvent(clientId, 1, 'FR', eventId),
        mutation(clientId, 2, 'nope.nope', {}),
        mutation(clientId, 3, 'event.close', { id: 'pas-un-uuid' }),
        mutation(clientId, 4, 'event.close', { id: eventId }, future),
        postMessage(clientId, 5, 'FR', { eventId }),
      ],
    })) as Reply<PushResult>;
    if (!('data' in r)) throw new Error(JSON.stringify(r));
    expect(r.data.results.map((x) => x.status)).toEqual(['applied', 'rejected', 'rejected', 'rejected', 'applied']);
    expect(r.data.results[1]).toMatchObject({ reason: fr.reject.unknownMutation('nope.nope') });
    socket.close();
  });

  it('trims a message body and an event title before storing them; a body of spaces is rejected as empty', async () => {
    const { socket, clientId } = await socketOf('national');
    const eventId = '33333333-2222-4333-8444-555555555555';
    const open = mutation(clientId, 1, 'event.open', { id: eventId, title: '  Canicule 2026  ', territory: 'FR' });
    const messageId = '44444444-2222-4333-8444-555555555555';
    const r = (await socket.emitWithAck(syncWire.push, {
      clientId,
      mutations: [open, postMessage(clientId, 2, 'FR', { eventId, id: messageId, body: '\n  Point de situation  \t' }), postMessage(clientId, 3, 'FR', { eventId, body: '   ' })],
    })) as Reply<PushResult>;
    if (!('data' in r)) throw new Error(JSON.stringify(r));
    expect(r.data.results.map((x) => x.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(r.data.results[2]).toMatchObject({ reason: expect.stringContaining('message vide') });
    const pull = (await socket.emitWithAck(syncWire.pull, { cursor: 0, limit: 5000 })) as Reply<PullResult>;
    if (!('data' in pull)) throw new Error(JSON.stringify(pull));
    const rows = pull.data.changes.map((c) => c.data as { id?: string; title?: string; body?: string });
    expect(rows.find((d) => d.id === eventId)?.title).toBe('Canicule 2026');
    expect(rows.find((d) => d.id === messageId)?.body).toBe('Point de situation');
    socket.close();
  });

  it('refuses an oversized push whole with too_large, and the socket keeps working', async () => {
    const { socket, clientId } = await socketOf('national');
    const big = postMessage(clientId, 1, 'FR', { body: 'x'.repeat(MAX_PUSH_BYTES) });
    const r = (await socket.emitWithAck(syncWire.push, { clientId, mutations: [big] })) as Reply<PushResult>;
    expect(r).toMatchObject({ error: { code: 'too_large' } });
    const pull = (await socket.emitWithAck(syncWire.pull, { cursor: 0 })) as Reply<PullResult>;
    expect('data' in pull).toBe(true);
    socket.close();
  });
});

describe('HTTP bodies', () => {
  it('refuses a body over 16 KiB with 413 too_large and closes the connection without reading the rest', async () => {
    const url = new URL('/api/login', server.url);
    const answer = await new Promise<{ status: number; connection: string | undefined; body: string }>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }));
      });
      req.on('error', reject);
      req.write('{"username":"');
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'too_large' } });
  });
});

/**
 * The protocol seen from outside: a raw Socket.IO client speaks to the real server the way
 * our sync client does, to resend pushes, force out-of-scope writes and send bad payloads.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { rawClient, serverDb, startServer, tempDir, type RawSocket, type TestServer } from './harness';
import { MAX_PUSH_BYTES, type Mutation, type PushResult, type Reply } from '../../common/protocol';

let server: TestServer;
let tmp: { dir: string; cleanup(): void };
const sockets: RawSocket[] = [];

beforeAll(async () => {
  tmp = tempDir('protocol');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await server.close();
  tmp.cleanup();
});

async function open(username: string) {
  const clientId = `raw-${username}-${randomUUID().slice(0, 8)}`;
  const c = await rawClient(server.url, username, clientId);
  sockets.push(c.socket);
  return { ...c, clientId };
}

function push(socket: RawSocket, payload: unknown): Promise<Reply<PushResult>> {
  return socket.timeout(10_000).emitWithAck('sync:push', payload as Parameters<RawSocket['emit']>[1] as never);
}

function post(clientId: string, mutationId: number, over: Record<string, unknown> = {}): Mutation {
  return {
    clientId,
    mutationId,
    name: 'message.post',
    args: { id: randomUUID(), eventId: DEMO_IDS.event, territory: 'D:75', kind: 'information', priority: 'info', body: 'Bonjour', ...over },
    at: new Date().toISOString(),
  };
}

describe('exactly once', () => {
  it('the same push sent twice is applied once and answered the same both times', async () => {
    const { socket, clientId } = await open('samu75');
    const m = post(clientId, 1, { body: 'Envoyé deux fois' });
    const first = await push(socket, { clientId, mutations: [m] });
    const second = await push(socket, { clientId, mutations: [m] });
    expect('data' in first && first.data.results[0].status).toBe('applied');
    expect(second).toEqual(first);
    const db = serverDb(server.dbPath);
    const id = (m.args as { id: string }).id;
    expect(db.message(id)?.body).toBe('Envoyé deux fois');
    expect(db.changeCount(id)).toBe(1);
    db.close();
  });

  it('a resend over a new connection (after a lost answer) is not applied again', async () => {
    const a = await open('samu75');
    const m = post(a.clientId, 1, { body: 'Réponse perdue' });
    await push(a.socket, { clientId: a.clientId, mutations: [m] });
    a.socket.close();
    const again = await rawClient(server.url, 'samu75', a.clientId);
    sockets.push(again.socket);
    const reply = await push(again.socket, { clientId: a.clientId, mutations: [m, post(a.clientId, 2, { body: 'Suivant' })] });
    expect('data' in reply && reply.data.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const db = serverDb(server.dbPath);
    expect(db.changeCount((m.args as { id: string }).id)).toBe(1);
    db.close();
  });
});

describe('scope enforced by the server', () => {
  it('a post to another region’s territory, forced over the raw protocol, is rejected and stored nowhere', async () => {
    const { socket, clientId } = await open('samu75');
    const m = post(clientId, 1, { territory: 'D:29', body: 'Hors périmètre' });
    const reply = await push(socket, { clientId, mutations: [m] });
    expect('data' in reply).toBe(true);
    if (!('data' in reply)) return;
    expect(reply.data.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/hors de votre périmètre/) });
    const db = serverDb(server.dbPath);
    expect(db.message((m.args as { id: string }).id)).toBeUndefined();
    db.close();
  });

  it('a correction of another post’s message, forced over the raw protocol, is rejected: SAMU 75 cannot correct the national consigne', async () => {
    const { socket, clientId } = await open('samu75');
    const m = post(clientId, 1, { body: 'Correction usurpée', corrects: DEMO_IDS.nationalConsigne });
    const reply = await push(socket, { clientId, mutations: [m] });
    expect('data' in reply && reply.data.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/Seul le poste qui a écrit ce message/) });
    const db = serverDb(server.dbPath);
    expect(db.message((m.args as { id: string }).id)).toBeUndefined();
    db.close();
    // Its own message, SAMU 75 corrects.
    const own = post(clientId, 2, { body: 'Point de situation' });
    const fix = post(clientId, 3, { body: 'Point de situation (corrigé)', corrects: (own.args as { id: string }).id });
    const ok = await push(socket, { clientId, mutations: [own, fix] });
    expect('data' in ok && ok.data.results.map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('a client id belongs to one user only', async () => {
    const a = await open('samu75');
    await push(a.socket, { clientId: a.clientId, mutations: [post(a.clientId, 1)] });
    await expect(rawClient(server.url, 'samu29', a.clientId)).rejects.toMatchObject({ data: { code: 'forbidden' } });
  });
});

describe('malformed and oversized payloads', () => {
  it('are answered with a clear French error and change nothing', async () => {
    const { socket, clientId } = await open('samu75');
    const db = serverDb(server.dbPath);
    const before = db.latestVersion();
    const cases: Array<[unknown, string]> = [
      [null, 'bad_request'],
      ['texte', 'bad_request'],
      [{ clientId, mutations: [] }, 'bad_request'],
      [{ clientId, mutations: [{ ...post(clientId, 1), mutationId: -3 }] }, 'bad_request'],
      [{ clientId, mutations: [{ ...post(clientId, 1), at: 'hier' }] }, 'bad_request'],
      [{ clientId, mutations: [post(clientId, 1)], extra: true }, 'bad_request'],
      [{ clientId: 'another-client-id', mutations: [post('another-client-id', 1)] }, 'forbidden'],
      [{ clientId, mutations: [post(clientId, 1, { body: 'x'.repeat(MAX_PUSH_BYTES) })] }, 'too_large'],
    ];
    for (const [payload, code] of cases) {
      const reply = await push(socket, payload);
      expect('error' in reply, JSON.stringify(payload)?.slice(0, 80)).toBe(true);
      if ('error' in reply) {
        expect(reply.error.code, JSON.stringify(payload)?.slice(0, 80)).toBe(code);
        expect(reply.error.message).toMatch(/[a-zé]/);
      }
    }
    // A pull with a bad cursor too.
    const pull = await socket.timeout(5000).emitWithAck('sync:pull', { cursor: -1 });
    expect('error' in pull && pull.error.code).toBe('bad_request');
    expect(db.latestVersion()).toBe(before);
    // The connection survived and still works.
    const ok = await push(socket, { clientId, mutations: [post(clientId, 1)] });
    expect('data' in ok && ok.data.results[0].status).toBe('applied');
    db.close();
  });
});

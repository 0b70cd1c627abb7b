/**
 * Stock counts over the real sync server and real Socket.IO clients (the raw protocol), on
 * whichever store the run uses (`VIGIE_TEST_STORE`): a pharmacy's count reaches its région's
 * ARS and not another région's, a replayed count is applied once, and a SAMU is refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fr } from '../../../common/i18n/fr';
import { syncWire, type Change, type Mutation, type PullResult, type PushResult, type Reply } from '../../../common/protocol';
import { mutation } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';

const PITIE = '750100125';
const ESMERON = '3400957152123';

let server: TestServer;
const sockets: Record<string, { socket: ClientSocket; clientId: string }> = {};

async function connect(name: string, role: string): Promise<void> {
  await server.user(name, role);
  const { token } = await server.login(name);
  const clientId = `client-${name}`;
  sockets[name] = { socket: await server.socket(token, clientId), clientId };
}

async function push(name: string, mutations: Mutation[]): Promise<PushResult> {
  const c = sockets[name];
  const r = (await c.socket.emitWithAck(syncWire.push, { clientId: c.clientId, mutations })) as Reply<PushResult>;
  if (!('data' in r)) throw new Error(`push refused: ${r.error.message}`);
  return r.data;
}

async function pullAll(name: string): Promise<Change[]> {
  const out: Change[] = [];
  let cursor = 0;
  for (;;) {
    const r = (await sockets[name].socket.emitWithAck(syncWire.pull, { cursor })) as Reply<PullResult>;
    if (!('data' in r)) throw new Error(`pull refused: ${r.error.message}`);
    out.push(...r.data.changes);
    cursor = r.data.cursor;
    if (!r.data.more) return out;
  }
}

beforeAll(async () => {
  server = await startTestServer();
  await connect('pui-pitie', `pui:${PITIE}`);
  await connect('ars-idf', 'ars:11');
  await connect('ars-bzh', 'ars:53');
  await connect('samu75', 'samu:75');
});
afterAll(() => server.stop());

describe('stock counts over the real server', () => {
  it('reach the région\'s ARS once, never another région\'s, and a replay changes nothing', async () => {
    const c = sockets['pui-pitie'].clientId;
    const count = mutation(c, 1, 'stock.report', { finess: PITIE, lines: [{ id: randomUUID(), cip13: ESMERON, onHand: 42 }] });
    const first = await push('pui-pitie', [count]);
    expect(first.results.map((r) => r.status)).toEqual(['applied']);
    expect(await push('pui-pitie', [count])).toEqual(first);
    const idf = (await pullAll('ars-idf')).filter((ch) => ch.entity === 'stockLine');
    expect(idf.map((ch) => ch.entity === 'stockLine' && [ch.data.finess, ch.data.onHand])).toEqual([[PITIE, 42]]);
    expect((await pullAll('ars-bzh')).filter((ch) => ch.entity === 'stockLine')).toEqual([]);
    expect(await server.app.store.boards.stocks.countLines()).toBe(1);
  });

  it('are refused to a SAMU with the French reason, and nothing is stored', async () => {
    const c = sockets.samu75.clientId;
    const out = await push('samu75', [mutation(c, 1, 'stock.report', { finess: PITIE, lines: [{ id: randomUUID(), cip13: ESMERON, onHand: 1 }] })]);
    expect(out.results).toEqual([{ mutationId: 1, status: 'rejected', reason: fr.stocks.notPui }]);
    expect(await server.app.store.boards.stocks.countLines()).toBe(1);
  });
});

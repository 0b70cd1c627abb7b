/**
 * Who must acknowledge a consigne (issue 7), over real processes: a SAMU 75 workstation posts
 * a consigne with its distribution list, the real sync server checks the list from its own
 * referential and bed data and keeps it, establishments see whether they are asked, and the
 * author sees the count and who is missing. A raw client cannot stretch a list.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import type { Mutation, PushResult, Reply } from '../../common/protocol';
import { loginClient, openClient, rawClient, serverPerTest, serverRows, startServer, waitFor, waitSynced, type RawSocket } from './harness';

const PITIE = 'E:750100125';
const BICHAT = 'E:750100232';
const SAINT_ANTOINE = 'E:750100091';
const HEGP = 'E:750803447';
const NECKER = 'E:750100208';
/** A Paris establishment of FINESS with no unit in the bed board. */
const LARIBOISIERE = 'E:750100042';
const AMBROISE_PARE_92 = 'E:920100013';

const env = serverPerTest('acklists');

function serverAckList(dbPath: string, id: string): unknown {
  const row = serverRows<{ ack_list: string | null }>(dbPath, 'SELECT ack_list FROM messages WHERE id = ?', [id])[0];
  return row === undefined ? undefined : row.ack_list === null ? null : JSON.parse(row.ack_list);
}

/** The id of the message a `messages.post` wrote. */
function postedId(receipt: { id?: string }): string {
  if (!receipt.id) throw new Error('messages.post answered no id');
  return receipt.id;
}

function push(socket: RawSocket, mutations: Mutation[], clientId: string): Promise<Reply<PushResult>> {
  return socket.timeout(10_000).emitWithAck('sync:push', { clientId, mutations } as never);
}

describe('who must acknowledge a consigne', () => {
  it('a SAMU 75 consigne expects the Paris establishments with critical care (5, not the 93 FINESS entries of Paris); the server keeps the list, a listed hospital acknowledges, the author sees who is missing', async () => {
    const samu = await env.client('samu75');
    const pitie = await env.client('pitie');
    await waitSynced(samu);
    await waitSynced(pitie);

    const preview = await samu.call('consignes.ackList', { territory: 'D:75', list: { kind: 'critical-care', dep: '75' } });
    expect(preview.problem).toBeNull();
    expect(preview.members.map((m) => m.key).sort()).toEqual([BICHAT, HEGP, NECKER, PITIE, SAINT_ANTOINE].sort());

    const id = postedId(await samu.call('messages.post', {
      eventId: DEMO_IDS.event,
      territory: 'D:75',
      kind: 'consigne',
      priority: 'important',
      body: 'Ouvrir les lits de réanimation éphémères avant 18 h.',
    }));
    await waitSynced(samu);
    // The server holds the list the workstation resolved, checked against its own bed data.
    expect(serverAckList(env.server.dbPath, id)).toEqual({ kind: 'critical-care', of: 'D:75', members: expect.arrayContaining([PITIE, NECKER]) });
    expect((serverAckList(env.server.dbPath, id) as { members: string[] }).members).toHaveLength(5);

    const asSamu = (await samu.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === id);
    expect(asSamu).toMatchObject({ expectedAckCount: 5, ackCount: 0 });

    const seen = await waitFor(async () => (await pitie.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === id), 'the consigne at Pitié');
    expect(seen).toMatchObject({ canAck: true, expectedAckCount: 5 });
    await pitie.call('messages.acknowledge', { messageId: id });
    await waitSynced(pitie);

    const summary = await waitFor(async () => {
      const s = await samu.call('messages.acks', { messageId: id });
      return s.acknowledged.some((a) => !a.pending && a.territory === PITIE) ? s : null;
    }, 'Pitié’s acknowledgement at the SAMU');
    expect(summary.list).toEqual({ kind: 'critical-care', label: 'Établissements avec soins critiques — Paris (75)' });
    expect(summary.acknowledged.map((a) => [a.territory, a.listed])).toEqual([[PITIE, true]]);
    expect(summary.missing.map((m) => m.key).sort()).toEqual([BICHAT, HEGP, NECKER, SAINT_ANTOINE].sort());
    expect((await samu.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === id)).toMatchObject({ ackCount: 1, expectedAckCount: 5 });
  });

  it('over the raw protocol, a list the server’s own knowledge does not back is refused and nothing is written; an unlisted post cannot acknowledge', async () => {
    const clientId = `raw-samu75-${randomUUID().slice(0, 8)}`;
    const { socket } = await rawClient(env.server.url, 'samu75', clientId);
    try {
      let n = 0;
      const consigne = (ackList: unknown): Mutation => ({
        clientId,
        mutationId: ++n,
        name: 'message.post',
        args: { id: randomUUID(), eventId: DEMO_IDS.event, territory: 'D:75', kind: 'consigne', priority: 'info', body: 'Liste forcée', ackList },
        at: new Date().toISOString(),
      });
      const cases: Array<[unknown, RegExp]> = [
        // Lariboisière is in Paris, but the server's bed board has no unit of it.
        [{ kind: 'critical-care', dep: '75', members: [PITIE, LARIBOISIERE] }, /n’a aucune unité de soins critiques/],
        // Ambroise-Paré (92) has critical care, but does not receive a Paris consigne.
        [{ kind: 'critical-care', dep: '75', members: [PITIE, AMBROISE_PARE_92] }, /n’est pas un établissement de Paris/],
        [{ kind: 'custom', members: [AMBROISE_PARE_92] }, /ne reçoit pas une consigne adressée à « SAMU 75 — Paris »/],
        [{ kind: 'custom', members: ['E:123456789'] }, /n’est pas un poste connu/],
        [{ kind: 'samu', region: '53' }, /ne reçoit pas/],
      ];
      for (const [list, why] of cases) {
        const m = consigne(list);
        const reply = await push(socket, [m], clientId);
        const result = 'data' in reply ? reply.data.results[0] : reply;
        expect(result).toMatchObject({ status: 'rejected' });
        expect(result && 'reason' in result ? result.reason : '').toMatch(why);
        expect(serverAckList(env.server.dbPath, (m.args as { id: string }).id)).toBeUndefined();
      }

      const ok = consigne({ kind: 'custom', members: [PITIE] });
      const applied = await push(socket, [ok], clientId);
      expect('data' in applied && applied.data.results[0].status).toBe('applied');
      const messageId = (ok.args as { id: string }).id;

      // Bichat is a Paris hospital the consigne reaches, but not on its list.
      const bichatId = `raw-bichat-${randomUUID().slice(0, 8)}`;
      const bichat = await rawClient(env.server.url, 'bichat', bichatId);
      try {
        const ack: Mutation = { clientId: bichatId, mutationId: 1, name: 'consigne.acknowledge', args: { messageId }, at: new Date().toISOString() };
        const reply = await push(bichat.socket, [ack], bichatId);
        const result = 'data' in reply ? reply.data.results[0] : null;
        expect(result).toMatchObject({ status: 'rejected' });
        expect(result && 'reason' in result ? result.reason : '').toMatch(/n’est pas sur la liste des accusés attendus/);
      } finally {
        bichat.socket.close();
      }
    } finally {
      socket.close();
    }
  });
});

describe('a consigne with its list written offline', () => {
  it('is queued with the list resolved from the cached bed picture and delivered with it when the server is back', async () => {
    const dbPath = join(env.dir, 'server.sqlite');
    const port = env.server.port;
    const samuDir = join(env.dir, 'samu75-offline');
    let samu = await loginClient(samuDir, env.server.url, 'samu75');
    await waitSynced(samu);
    await env.server.close();
    await samu.close();

    samu = openClient(samuDir, `http://127.0.0.1:${port}`);
    try {
      const id = postedId(await samu.call('messages.post', {
        eventId: DEMO_IDS.event,
        territory: 'D:75',
        kind: 'consigne',
        priority: 'important',
        body: 'Consigne écrite hors ligne',
        ackList: { kind: 'critical-care', dep: '75' },
      }));
      const paris = [BICHAT, HEGP, NECKER, PITIE, SAINT_ANTOINE].sort();
      const offline = (await samu.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === id);
      expect(offline).toMatchObject({ pending: true, expectedAckCount: 5, ackList: { kind: 'critical-care', of: 'D:75' } });
      expect((await samu.call('messages.acks', { messageId: id })).missing.map((m) => m.key).sort()).toEqual(paris);

      env.server = await startServer({ dbPath, port, seed: false });
      await waitSynced(samu, 30_000);
      expect(serverAckList(dbPath, id)).toMatchObject({ kind: 'critical-care', of: 'D:75' });
      expect((serverAckList(dbPath, id) as { members: string[] }).members.sort()).toEqual(paris);
      expect((await samu.call('messages.list', { eventId: DEMO_IDS.event })).find((m) => m.id === id)).toMatchObject({ pending: false, expectedAckCount: 5 });
    } finally {
      await samu.close();
    }
  });
});

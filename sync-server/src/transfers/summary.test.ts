/**
 * Over the raw protocol (a real server on 127.0.0.1, real socket.io clients): a transfer's
 * clinical summary reaches its parties — the origin establishment, the requesting SAMU, the
 * destination establishment and the destination's SAMU — by pull and by live poke, and no
 * one else: not the ARS of either side, not the national cell, not another establishment
 * or SAMU, not a field post, not the hospitals' pharmacies (PUI); neither as a summary nor
 * inside a transfer row.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWire, type Change, type Mutation, type Poke, type PushResult, type Reply } from '../../../common/protocol';
import { mutation, openEvent, reportUnit } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';

const PITIE = '750100125';
const BICHAT = '750100232';
const BREST = '290004324';
const FIRST = 'SDRA sévère J3, décubitus ventral, FiO2 80 % — texte-témoin-1';
const SECOND = 'Amélioration, FiO2 60 %, sédation allégée — texte-témoin-2';

const PARTIES = ['pitie', 'samu75', 'brest', 'samu29'] as const;
const OTHERS = ['ars11', 'ars53', 'national', 'bichat', 'samu92', 'field75', 'puiPitie', 'puiBrest'] as const;
const USERS: Record<(typeof PARTIES)[number] | (typeof OTHERS)[number], string> = {
  pitie: `establishment:${PITIE}`,
  samu75: 'samu:75',
  brest: `establishment:${BREST}`,
  samu29: 'samu:29',
  ars11: 'ars:11',
  ars53: 'ars:53',
  national: 'national',
  bichat: `establishment:${BICHAT}`,
  samu92: 'samu:92',
  field75: 'field:75-PMA-GARE-DE-LYON',
  // The origin's and the destination's pharmacies share their establishments' territories, not their private rows.
  puiPitie: `pui:${PITIE}`,
  puiBrest: `pui:${BREST}`,
};
type Name = keyof typeof USERS;

let server: TestServer;
const clients = {} as Record<Name, { socket: ClientSocket; clientId: string; next: number; pokes: Poke[] }>;

async function push(name: Name, build: (clientId: string, n: number) => Mutation): Promise<{ status: string; reason?: string }> {
  const c = clients[name];
  const r = (await c.socket.emitWithAck(syncWire.push, { clientId: c.clientId, mutations: [build(c.clientId, c.next++)] })) as Reply<PushResult>;
  if (!('data' in r)) throw new Error(`push refused: ${r.error.message}`);
  return r.data.results[0] as { status: string; reason?: string };
}

async function pullAll(name: Name): Promise<Change[]> {
  const out: Change[] = [];
  for (let cursor = 0, more = true; more; ) {
    const r = (await clients[name].socket.emitWithAck(syncWire.pull, { cursor })) as Reply<{ changes: Change[]; cursor: number; more: boolean }>;
    if (!('data' in r)) throw new Error(r.error.message);
    out.push(...r.data.changes);
    cursor = r.data.cursor;
    more = r.data.more;
  }
  return out;
}

/** Resolves once every client got the poke of `version` (pokes reach a socket in commit order: all earlier ones are in). */
async function pokedUpTo(version: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Object.values(clients).some((c) => !c.pokes.some((p) => p.version >= version))) {
    if (Date.now() > deadline) throw new Error(`no poke of version ${version} for ${Object.entries(clients).filter(([, c]) => !c.pokes.some((p) => p.version >= version)).map(([n]) => n).join(', ')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const summaryTexts = (changes: readonly Change[]) => changes.flatMap((c) => (c.entity === 'transferSummary' ? [c.data.summary] : []));
const pokedChanges = (name: Name) => clients[name].pokes.flatMap((p) => p.changes);

const id = randomUUID();

beforeAll(async () => {
  server = await startTestServer();
  for (const [name, role] of Object.entries(USERS) as Array<[Name, string]>) {
    await server.user(name, role);
    const { token } = await server.login(name);
    const clientId = `client-summary-${name}`;
    const socket = await server.socket(token, clientId);
    const pokes: Poke[] = [];
    socket.on(syncWire.poke, (p) => pokes.push(p));
    clients[name] = { socket, clientId, next: 1, pokes };
  }
  expect((await push('brest', (c, n) => reportUnit(c, n, BREST, 'REA_MED', { installed: 12, staffed: 12, available: 5 }))).status).toBe('applied');
  expect((await push('samu75', (c, n) => mutation(c, n, 'transfer.create', { id, patient: { ageBand: '61-75', sex: 'M', need: 'rea_adulte' }, summary: FIRST, originFiness: PITIE, urgency: 'immediate' }))).status).toBe('applied');
  expect((await push('samu75', (c, n) => mutation(c, n, 'transfer.propose', { id, destFiness: BREST, destUnitId: 'REA_MED' }))).status).toBe('applied');
  await everyonePoked();
}, 30_000);

/** A national event everyone receives: once each socket has its poke, it has every earlier one. */
async function everyonePoked(): Promise<void> {
  const last = await push('national', (c, n) => openEvent(c, n, 'FR', randomUUID()));
  expect(last.status).toBe('applied');
  await pokedUpTo((last as unknown as { version: number }).version);
}
afterAll(() => server.stop());

describe('a transfer’s clinical summary', () => {
  it.each(PARTIES)('reaches %s, a party, by pull and by live poke', async (name) => {
    const pulled = await pullAll(name);
    // The origin side got it at creation, the destination and its SAMU when it was proposed to them (logged again then).
    expect(summaryTexts(pulled).at(-1)).toBe(FIRST);
    expect(summaryTexts(pokedChanges(name))).toContain(FIRST);
    const row = pulled.filter((c) => c.entity === 'transferSummary').at(-1);
    expect(row?.data).toMatchObject({ transferId: id, parties: [`E:${PITIE}`, 'D:75', `E:${BREST}`, 'D:29'] });
  });

  it.each(OTHERS)('never reaches %s, by pull or by poke, in any row', async (name) => {
    const pulled = await pullAll(name);
    const everything = JSON.stringify(pulled) + JSON.stringify(clients[name].pokes);
    expect(everything).not.toContain('texte-témoin');
    expect([...pulled, ...pokedChanges(name)].filter((c) => c.entity === 'transferSummary')).toEqual([]);
  });

  it('leaves the transfer row to those who see the transfer, without the summary', async () => {
    for (const name of ['ars11', 'ars53', 'national', ...PARTIES] as const) {
      const transfers = (await pullAll(name)).filter((c) => c.entity === 'transfer' && c.data.id === id);
      expect(transfers.length, name).toBeGreaterThan(0);
      for (const t of transfers) expect(Object.keys(t.data)).not.toContain('summary');
    }
    for (const name of ['bichat', 'samu92', 'field75'] as const) expect((await pullAll(name)).filter((c) => c.entity === 'transfer')).toEqual([]);
  });

  it('reaches the four parties again when the origin rewrites it, live, and still no one else', async () => {
    expect((await push('pitie', (c, n) => mutation(c, n, 'transfer.summary', { id, summary: SECOND }))).status).toBe('applied');
    await everyonePoked();
    for (const name of PARTIES) {
      expect(summaryTexts(pokedChanges(name)), name).toContain(SECOND);
      expect(summaryTexts(await pullAll(name)).at(-1), name).toBe(SECOND);
    }
    for (const name of OTHERS) expect(JSON.stringify(await pullAll(name)) + JSON.stringify(clients[name].pokes), name).not.toContain('texte-témoin');
  });

  it('is edited by the origin side only', async () => {
    const refusal = 'Seuls l’établissement d’origine et le SAMU demandeur peuvent modifier le résumé clinique.';
    expect(await push('brest', (c, n) => mutation(c, n, 'transfer.summary', { id, summary: 'essai' }))).toMatchObject({ status: 'rejected', reason: refusal });
    expect(await push('samu29', (c, n) => mutation(c, n, 'transfer.summary', { id, summary: 'essai' }))).toMatchObject({ status: 'rejected', reason: refusal });
    // Outside the transfer's branches: « introuvable », nothing learnt.
    expect(await push('samu92', (c, n) => mutation(c, n, 'transfer.summary', { id, summary: 'essai' }))).toMatchObject({ status: 'rejected', reason: 'Transfert introuvable (il n’est pas dans votre périmètre ou n’existe pas).' });
    expect((await push('samu75', (c, n) => mutation(c, n, 'transfer.summary', { id, summary: SECOND }))).status).toBe('applied');
  });
});

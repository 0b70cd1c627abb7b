/**
 * Transfers over the real sync server and real Socket.IO clients (the raw protocol): the
 * last free bed of a unit accepted by two regulators at once goes to one of them, 100 times;
 * a replayed acceptance is applied once; a transfer and its hold reach only the parties'
 * branches.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWire, type Mutation, type PushResult, type Reply } from '../../../common/protocol';
import { mutation, reportUnit } from '../testing/fixtures';
import { startTestServer, type ClientSocket, type TestServer } from '../testing/server';

const PITIE = '750100125';
const BICHAT = '750100232';
const ROUNDS = 100;

let server: TestServer;
const sockets: Record<string, { socket: ClientSocket; clientId: string; next: number }> = {};

async function connect(name: string, username: string, role: string | null): Promise<void> {
  if (role) await server.user(username, role);
  const { token } = await server.login(username);
  const clientId = `client-${name}`;
  sockets[name] = { socket: await server.socket(token, clientId), clientId, next: 1 };
}

async function push(name: string, build: (clientId: string, n: number) => Mutation): Promise<{ status: string; reason?: string }> {
  const c = sockets[name];
  const m = build(c.clientId, c.next++);
  const r = (await c.socket.emitWithAck(syncWire.push, { clientId: c.clientId, mutations: [m] })) as Reply<PushResult>;
  if (!('data' in r)) throw new Error(`push refused: ${r.error.message}`);
  return r.data.results[0] as { status: string; reason?: string };
}

const patient = { ageBand: '61-75', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true };

beforeAll(async () => {
  server = await startTestServer();
  await connect('samu', 'samu75', 'samu:75');
  await connect('bichat-a', 'bichat', `establishment:${BICHAT}`);
  await connect('bichat-b', 'bichat', null);
  await connect('ars-bzh', 'ars-bzh', 'ars:53');
  await connect('ars-idf', 'ars-idf', 'ars:11');
});
afterAll(() => server.stop());

describe('the last free bed', () => {
  it(`goes to exactly one of two regulators accepting at the same moment, ${ROUNDS} rounds; available beds never go negative`, async () => {
    let won = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const unitId = `REA R${r}`;
      expect((await push('bichat-a', (c, n) => reportUnit(c, n, BICHAT, 'REA_MED', { unitId, installed: 10, staffed: 10, available: 1 }))).status).toBe('applied');
      const ids = [randomUUID(), randomUUID()];
      for (const id of ids) {
        expect((await push('samu', (c, n) => mutation(c, n, 'transfer.create', { id, patient, originFiness: PITIE, urgency: 'immediate' }))).status).toBe('applied');
        expect((await push('samu', (c, n) => mutation(c, n, 'transfer.propose', { id, destFiness: BICHAT, destUnitId: unitId }))).status).toBe('applied');
      }
      const [a, b] = await Promise.all([
        push('bichat-a', (c, n) => mutation(c, n, 'transfer.accept', { id: ids[0], holdId: randomUUID() })),
        push('bichat-b', (c, n) => mutation(c, n, 'transfer.accept', { id: ids[1], holdId: randomUUID() })),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual(['applied', 'rejected']);
      const loser = a.status === 'rejected' ? a : b;
      expect(loser.reason).toMatch(/^Plus de lit libre en Réanimation médicale — REA R\d+ .*1 disponible, 1 déjà réservé .*proposez une autre destination\.$/);
      expect(await server.app.store.boards.transfers.activeHolds(BICHAT, unitId, new Date())).toBe(1);
      won++;
    }
    expect(won).toBe(ROUNDS);
  }, 120_000);
});

describe('a transfer', () => {
  const id = randomUUID();
  let accept: Mutation;

  it('is applied once when its acceptance is replayed', async () => {
    expect((await push('bichat-a', (c, n) => reportUnit(c, n, BICHAT, 'REA_MED', { unitId: 'REA REPLAY', installed: 10, staffed: 10, available: 3 }))).status).toBe('applied');
    await push('samu', (c, n) => mutation(c, n, 'transfer.create', { id, patient, originFiness: PITIE, urgency: 'programmee' }));
    await push('samu', (c, n) => mutation(c, n, 'transfer.propose', { id, destFiness: BICHAT, destUnitId: 'REA REPLAY' }));
    const c = sockets['bichat-a'];
    accept = mutation(c.clientId, c.next++, 'transfer.accept', { id, holdId: randomUUID() });
    for (let i = 0; i < 2; i++) {
      const r = (await c.socket.emitWithAck(syncWire.push, { clientId: c.clientId, mutations: [accept] })) as Reply<PushResult>;
      expect('data' in r && r.data.results[0].status).toBe('applied');
    }
    expect(await server.app.store.boards.transfers.activeHolds(BICHAT, 'REA REPLAY', new Date())).toBe(1);
  });

  it('reaches the branches of its two establishments only, and its hold everyone who sees the unit', async () => {
    const pull = async (name: string) => {
      const r = (await sockets[name].socket.emitWithAck(syncWire.pull, { cursor: 0 })) as Reply<{ changes: Array<{ entity: string; data: { id: string; transferId?: string } }> }>;
      return 'data' in r ? r.data.changes : [];
    };
    const idf = await pull('ars-idf');
    expect(idf.some((ch) => ch.entity === 'transfer' && ch.data.id === id)).toBe(true);
    expect(idf.some((ch) => ch.entity === 'hold' && ch.data.transferId === id)).toBe(true);
    const bzh = await pull('ars-bzh');
    expect(bzh.filter((ch) => ch.entity === 'transfer' || ch.entity === 'hold')).toEqual([]);
    // Refused over the raw protocol too: a Bretagne ARS cannot step it, and learns nothing of it.
    const r = await push('ars-bzh', (c, n) => mutation(c, n, 'transfer.cancel', { id, reason: 'essai hors périmètre' }));
    expect(r).toMatchObject({ status: 'rejected', reason: 'Transfert introuvable (il n’est pas dans votre périmètre ou n’existe pas).' });
  });

  it('frees its bed when cancelled, and an arrival turns the hold into an occupied bed', async () => {
    expect((await push('samu', (c, n) => mutation(c, n, 'transfer.cancel', { id, reason: 'patient stabilisé sur place' }))).status).toBe('applied');
    expect(await server.app.store.boards.transfers.activeHolds(BICHAT, 'REA REPLAY', new Date())).toBe(0);
    const id2 = randomUUID();
    await push('samu', (c, n) => mutation(c, n, 'transfer.create', { id: id2, patient, originFiness: PITIE, urgency: 'immediate' }));
    await push('samu', (c, n) => mutation(c, n, 'transfer.propose', { id: id2, destFiness: BICHAT, destUnitId: 'REA REPLAY' }));
    expect((await push('bichat-a', (c, n) => mutation(c, n, 'transfer.accept', { id: id2, holdId: randomUUID() }))).status).toBe('applied');
    // Steps out of order are refused with the rule.
    expect(await push('samu', (c, n) => mutation(c, n, 'transfer.depart', { id: id2 }))).toMatchObject({ status: 'rejected', reason: 'Marquer le départ : impossible, le transfert est « accepté ».' });
    expect((await push('samu', (c, n) => mutation(c, n, 'transfer.organize', { id: id2, transport: 'smur' }))).status).toBe('applied');
    expect((await push('samu', (c, n) => mutation(c, n, 'transfer.depart', { id: id2 }))).status).toBe('applied');
    expect(await push('samu', (c, n) => mutation(c, n, 'transfer.arrive', { id: id2 }))).toMatchObject({ status: 'rejected', reason: 'Marquer l’arrivée : seul l’établissement de destination le peut.' });
    expect((await push('bichat-a', (c, n) => mutation(c, n, 'transfer.arrive', { id: id2 }))).status).toBe('applied');
    expect(await server.app.store.boards.transfers.activeHolds(BICHAT, 'REA REPLAY', new Date())).toBe(0);
  });
});

describe('a mass evacuation', () => {
  const BREST = '290004324';
  const QUIMPER = '290000025';
  const opId = randomUUID();
  const ids: string[] = [];

  it('groups waiting transfers under one vehicle for a receiving région (national cell only)', async () => {
    await connect('national', 'national', 'national');
    await connect('brest', 'brest', `establishment:${BREST}`);
    await connect('quimper', 'quimper', `establishment:${QUIMPER}`);
    expect((await push('brest', (c, n) => reportUnit(c, n, BREST, 'REA_MED', { installed: 12, staffed: 12, available: 8 }))).status).toBe('applied');
    expect((await push('quimper', (c, n) => reportUnit(c, n, QUIMPER, 'REA_MED', { installed: 6, staffed: 6, available: 4 }))).status).toBe('applied');
    for (let i = 0; i < 12; i++) {
      const id = randomUUID();
      ids.push(id);
      expect((await push('samu', (c, n) => mutation(c, n, 'transfer.create', { id, patient, originFiness: PITIE, urgency: 'programmee' }))).status).toBe('applied');
    }
    const op = {
      id: opId,
      label: 'TGV Paris → Bretagne',
      vehicle: 'tgv',
      capacity: 24,
      departure: { name: 'Paris Gare Montparnasse', at: new Date(Date.now() + 3_600_000).toISOString() },
      arrival: { name: 'Gare de Brest', at: new Date(Date.now() + 5 * 3_600_000).toISOString(), lat: 48.3884, lon: -4.4786 },
      receivingRegion: 'R:53',
      transferIds: ids,
    };
    expect(await push('samu', (c, n) => mutation(c, n, 'operation.create', { ...op, id: randomUUID() }))).toMatchObject({ status: 'rejected', reason: 'Seules la cellule nationale et les ARS organisent une évacuation de masse.' });
    expect((await push('national', (c, n) => mutation(c, n, 'operation.create', op))).status).toBe('applied');
  });

  it('holds every patient’s bed at once or none: one line too many refuses the whole', async () => {
    // 9 to Brest (8 free): the ninth cannot be held, so nothing is.
    const tooMany = ids.map((transferId, i) => ({ transferId, destFiness: i < 9 ? BREST : QUIMPER, destUnitId: 'REA_MED', holdId: randomUUID() }));
    const r = await push('national', (c, n) => mutation(c, n, 'operation.hold', { id: opId, assignments: tooMany }));
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(/^Patient TR-[0-9A-F]{8} : Plus de lit libre en Réanimation médicale .*Rien n’a été réservé\.$/);
    expect(await server.app.store.boards.transfers.activeHolds(BREST, 'REA_MED', new Date())).toBe(0);
    // Missing a patient is refused too: all or nothing.
    const partial = await push('national', (c, n) => mutation(c, n, 'operation.hold', { id: opId, assignments: tooMany.slice(0, 11) }));
    expect(partial.reason).toBe('1 patient de l’opération sans destination : tout est réservé d’un coup, ou rien.');

    const fits = ids.map((transferId, i) => ({ transferId, destFiness: i < 8 ? BREST : QUIMPER, destUnitId: 'REA_MED', holdId: randomUUID() }));
    expect((await push('national', (c, n) => mutation(c, n, 'operation.hold', { id: opId, assignments: fits }))).status).toBe('applied');
    expect(await server.app.store.boards.transfers.activeHolds(BREST, 'REA_MED', new Date())).toBe(8);
    expect(await server.app.store.boards.transfers.activeHolds(QUIMPER, 'REA_MED', new Date())).toBe(4);
    // Each destination became a party: the summaries of its patients (empty here) were logged to it, and only its own.
    const pulled = (await sockets.brest.socket.emitWithAck(syncWire.pull, { cursor: 0 })) as Reply<{ changes: Array<{ entity: string; data: { transferId?: string; parties?: string[] } }> }>;
    const summaries = 'data' in pulled ? pulled.data.changes.filter((ch) => ch.entity === 'transferSummary') : [];
    expect(new Set(summaries.map((ch) => ch.data.transferId))).toEqual(new Set(fits.filter((a) => a.destFiness === BREST).map((a) => a.transferId)));
    for (const ch of summaries) expect(ch.data.parties).toEqual(['E:750100125', 'D:75', `E:${BREST}`, 'D:29']);
    // Held once: the operation cannot be held again.
    expect((await push('national', (c, n) => mutation(c, n, 'operation.hold', { id: opId, assignments: fits.map((a) => ({ ...a, holdId: randomUUID() })) }))).reason).toBe('L’opération est « lits réservés » : ses lits sont déjà réservés ou elle est annulée.');
  });
});

describe('a hold, by the clock', () => {
  it('stops taking its bed when it expires: the next acceptance of that bed succeeds, with nothing pushed in between', async () => {
    let clock = Date.now();
    const timed = await startTestServer({ now: () => new Date(clock) });
    try {
      const connectTo = async (username: string, role: string | null, clientId: string) => {
        if (role) await timed.user(username, role);
        const { token } = await timed.login(username);
        return { socket: await timed.socket(token, clientId), clientId, next: 1 };
      };
      const samu = await connectTo('samu75', 'samu:75', 'timed-samu');
      const bichat = await connectTo('bichat', `establishment:${BICHAT}`, 'timed-bichat');
      const send = async (c: typeof samu, name: string, args: Record<string, unknown>) => {
        const m = mutation(c.clientId, c.next++, name, args, new Date(clock));
        const r = (await c.socket.emitWithAck(syncWire.push, { clientId: c.clientId, mutations: [m] })) as Reply<PushResult>;
        return 'data' in r ? (r.data.results[0] as { status: string; reason?: string }) : { status: 'error', reason: r.error.message };
      };
      expect((await send(bichat, 'unit.report', { id: randomUUID(), finess: BICHAT, unitType: 'REA_MED', unitId: 'REA TIMED', installed: 4, staffed: 4, available: 1 })).status).toBe('applied');
      const [a, b] = [randomUUID(), randomUUID()];
      for (const id of [a, b]) {
        await send(samu, 'transfer.create', { id, patient, originFiness: PITIE, urgency: 'moins_6h' });
        await send(samu, 'transfer.propose', { id, destFiness: BICHAT, destUnitId: 'REA TIMED' });
      }
      expect((await send(bichat, 'transfer.accept', { id: a, holdId: randomUUID(), holdHours: 1 })).status).toBe('applied');
      expect((await send(bichat, 'transfer.accept', { id: b, holdId: randomUUID() })).status).toBe('rejected');
      // An hour and a minute later, no patient arrived: the bed is free again for everyone.
      clock += 61 * 60_000;
      expect(await timed.app.store.boards.transfers.activeHolds(BICHAT, 'REA TIMED', new Date(clock))).toBe(0);
      expect((await send(bichat, 'transfer.accept', { id: b, holdId: randomUUID() })).status).toBe('applied');
    } finally {
      await timed.stop();
    }
  });
});

/**
 * Mass evacuations between real workstations and a real sync server: an ARS runs an
 * operation only for patients leaving from its région (the server refuses the others from the
 * session, whatever the workstation sent); a TGV with two cars and a stop is re-planned, its
 * beds held at once, then cancelled: exactly the holds still active are released, in one
 * line of the main courante; patients board car by car and a boarded patient cannot be taken
 * out.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncWire, type PushResult, type Reply } from '../../common/protocol';
import { DEMO_IDS } from '../../sync-server/src/eventlog/demo';
import { loginClient, rawClient, serverDb, startServer, tempDir, waitFor, waitSynced, type TestClient, type TestServer } from './harness';

const PITIE = '750100125';
const CHU_BREST = '290004324';
const RENNES = '350000741';
let server: TestServer;
let tmp: { dir: string; cleanup(): void };
let samu75: TestClient;
let pitie: TestClient;
let national: TestClient;
let arsIdf: TestClient;

const patient = { ageBand: '61-75', sex: 'F', need: 'rea_adulte', covid: 'positif', ventilated: true, ecmo: false, isolation: true, weightClass: null } as const;
const at = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const place = (name: string, h: number, lat: number, lon: number) => ({ name, at: at(h), lat, lon });
const MONTPARNASSE = (h: number) => place('Paris Gare Montparnasse', h, 48.8409, 2.3206);
const RENNES_GARE = (h: number) => place('Gare de Rennes', h, 48.1035, -1.6722);
const BREST_GARE = (h: number) => place('Gare de Brest', h, 48.3884, -4.4786);
const legs = [
  { departure: MONTPARNASSE(1), arrival: RENNES_GARE(3) },
  { departure: RENNES_GARE(3.25), arrival: BREST_GARE(5) },
];
const cars = [
  { label: 'Voiture 1', places: 2, team: { label: 'SMUR Paris équipe 1', size: 5 } },
  { label: 'Voiture 2', places: 2, team: { label: 'SAMU 29 équipe 3', size: 4 } },
];

async function create(c: TestClient, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await c.call('transfers.create', { patient, originFiness: PITIE, urgency: 'programmee' })).id as string);
  return ids;
}
const opOf = async (c: TestClient, id: string) => (await c.call('transfers.operations', {})).find((o) => o.id === id);
const transferOf = async (c: TestClient, id: string) => (await c.call('transfers.list', {})).find((t) => t.id === id);

beforeAll(async () => {
  tmp = tempDir('operations');
  server = await startServer({ dbPath: join(tmp.dir, 'server.sqlite') });
  [samu75, pitie, national, arsIdf] = await Promise.all(['samu75', 'pitie', 'national', 'ars-idf'].map((u) => loginClient(join(tmp.dir, u), server.url, u)));
  for (const c of [samu75, pitie, national, arsIdf]) await waitSynced(c);
});
afterAll(async () => {
  for (const c of [samu75, pitie, national, arsIdf]) await c?.close();
  await server?.close();
  tmp?.cleanup();
});

describe('who runs an operation', () => {
  it('an ARS only for patients leaving from its région: refused on its workstation and by the server from its session', async () => {
    const mine = await create(samu75, 1);
    // A Brest patient refused by the Pitié: waiting, and seen by the ARS of Île-de-France through its destination.
    // (Pushed by hand: the SAMU 29 workstation does not hold the Pitié's units to check the proposal against.)
    const brest = randomUUID();
    const bySamu29 = await rawClient(server.url, 'samu29', `raw-${randomUUID()}`);
    try {
      const clientId = (bySamu29.socket.auth as { clientId: string }).clientId;
      const reply = (await bySamu29.socket.emitWithAck(syncWire.push, {
        clientId,
        mutations: [
          { clientId, mutationId: 1, name: 'transfer.create', args: { id: brest, patient, originFiness: CHU_BREST, urgency: 'programmee' }, at: new Date().toISOString() },
          { clientId, mutationId: 2, name: 'transfer.propose', args: { id: brest, destFiness: PITIE, destUnitId: 'REA_CHIR' }, at: new Date().toISOString() },
        ],
      })) as Reply<PushResult>;
      expect('data' in reply && reply.data.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    } finally {
      bySamu29.socket.close();
    }
    await waitFor(async () => (await transferOf(pitie, brest))?.state === 'propose', 'the proposal at the Pitié');
    await pitie.call('transfers.step', { id: brest, step: 'refuse', reason: 'Plus de place ce soir' });
    await waitSynced(pitie);
    await waitSynced(samu75);
    await waitFor(async () => (await transferOf(arsIdf, brest))?.state === 'refuse' && (await transferOf(arsIdf, mine[0])), 'both transfers at the ARS');

    const args = { label: 'TGV Paris → Bretagne', vehicle: 'tgv' as const, legs, cars, receivingRegion: 'R:53', transferIds: [mine[0], brest] };
    const refused = await arsIdf.raw('transfers.createOperation', args);
    const expected = 'Le transfert TR-' + brest.replace(/-/g, '').slice(0, 8).toUpperCase() + ' part de Bretagne : une ARS n’organise une évacuation que pour des patients de sa région (Île-de-France). Demandez à la cellule nationale.';
    expect(refused).toMatchObject({ ok: false, error: { message: expected } });

    // The same mutation pushed by hand with the ARS's session: the server refuses it too.
    const raw = await rawClient(server.url, 'ars-idf', `raw-${randomUUID()}`);
    try {
      const id = randomUUID();
      const reply = (await raw.socket.emitWithAck(syncWire.push, {
        clientId: (raw.socket.auth as { clientId: string }).clientId,
        mutations: [{ clientId: (raw.socket.auth as { clientId: string }).clientId, mutationId: 1, name: 'operation.create', args: { id, ...args }, at: new Date().toISOString() }],
      })) as Reply<PushResult>;
      expect('data' in reply && reply.data.results[0]).toMatchObject({ status: 'rejected', reason: expected });
    } finally {
      raw.socket.close();
    }
    // A SAMU runs none.
    expect(await samu75.raw('transfers.createOperation', { ...args, transferIds: mine })).toMatchObject({ ok: false, error: { message: 'Seules la cellule nationale et les ARS organisent une évacuation de masse.' } });
    // Its own patients only: accepted.
    await arsIdf.call('transfers.createOperation', { ...args, transferIds: mine });
  });
});

describe('a TGV with two cars and a stop', () => {
  let opId = '';
  let ids: string[] = [];

  it('is created by the ARS, re-planned before its holds (a patient out, one alighting at the stop), planned from each stop', async () => {
    ids = await create(samu75, 4);
    await waitSynced(samu75);
    await waitFor(async () => (await arsIdf.call('transfers.list', {})).filter((t) => ids.includes(t.id)).length === 4, 'the four transfers at the ARS');
    const bad = await arsIdf.raw('transfers.createOperation', { label: 'TGV', vehicle: 'tgv', legs: [legs[1], legs[0]], cars, receivingRegion: 'R:53', transferIds: ids });
    expect(bad).toMatchObject({ ok: false, error: { message: 'Le trajet 1 arrive à Gare de Brest mais le suivant part de Paris Gare Montparnasse : un trajet repart d’où le précédent est arrivé.' } });
    const five = await arsIdf.raw('transfers.createOperation', { label: 'TGV', vehicle: 'tgv', legs, cars: [cars[0]], receivingRegion: 'R:53', transferIds: ids });
    expect(five).toMatchObject({ ok: false, error: { message: '4 patients pour 2 places : l’opération dépasse sa capacité.' } });

    opId = (await arsIdf.call('transfers.createOperation', { label: 'TGV sanitaire Bretagne', vehicle: 'tgv', legs, cars, receivingRegion: 'R:53', transferIds: ids })).id as string;
    let op = await opOf(arsIdf, opId);
    expect(op).toMatchObject({ capacity: 4, state: 'planifiee', mayRun: true });
    expect(op?.seats.map((s) => [s.car, s.place, s.alightLeg])).toEqual([
      [0, 1, 1],
      [0, 2, 1],
      [1, 1, 1],
      [1, 2, 1],
    ]);
    // Re-plan: the fourth patient out, the first alights at Rennes.
    const seats = (op?.seats ?? []).slice(0, 3).map((s, i) => (i === 0 ? { ...s, alightLeg: 0 } : s));
    await arsIdf.call('transfers.updateOperation', { id: opId, label: 'TGV sanitaire Bretagne', vehicle: 'tgv', legs, cars, receivingRegion: 'R:53', transferIds: ids.slice(0, 3), seats });
    await waitSynced(arsIdf);
    op = await waitFor(async () => {
      const o = await opOf(national, opId);
      return o && o.transferIds.length === 3 ? o : null;
    }, 'the re-planned operation at the national cell');
    await waitFor(async () => (await transferOf(national, ids[3]))?.operationId === null, 'the fourth patient back in the pool');

    // The ARS of Île-de-France does not see Bretagne's beds: its workstation says so rather than plan nothing.
    expect(await arsIdf.raw('transfers.planOperation', { id: opId })).toMatchObject({
      ok: false,
      error: { message: 'Ce poste ne voit aucun lit de la région d’accueil (Bretagne) : la cellule nationale, ou l’ARS de cette région, propose la répartition et réserve les lits.' },
    });
    const plan = await national.call('transfers.planOperation', { id: opId });
    expect(plan.plan.placed).toBe(3);
    const first = plan.plan.assignments.find((a) => a.patientId === ids[0]);
    // From Rennes station, the CHU de Rennes is a few minutes away; the others count from Brest.
    expect(first?.unitKey.startsWith(`${RENNES}:`)).toBe(true);
    expect(first?.minutes).toBe(plan.minutesByLeg[0][first?.unitKey ?? '']);
    expect(plan.plan.assignments.filter((a) => a.patientId !== ids[0]).every((a) => a.minutes === plan.minutesByLeg[1][a.unitKey])).toBe(true);

    const assignments = plan.plan.assignments.map((a) => ({ transferId: a.patientId, destFiness: a.unitKey.split(':')[0], destUnitId: a.unitKey.slice(a.unitKey.indexOf(':') + 1) }));
    await national.call('transfers.holdOperation', { id: opId, assignments });
    await waitSynced(national);
    expect(await opOf(national, opId)).toMatchObject({ state: 'reservee' });
  });

  it('cancelled by the ARS with a reason: exactly the holds still active are released, the patients go back to the pool, one line in the main courante', async () => {
    // The SAMU cancels one transfer meanwhile: its hold is released by that, not by the operation.
    await waitFor(async () => (await transferOf(samu75, ids[2]))?.state === 'accepte', 'the acceptance at the SAMU');
    await samu75.call('transfers.step', { id: ids[2], step: 'cancel', reason: 'Patient décédé' });
    await waitSynced(samu75);
    await waitFor(async () => (await transferOf(arsIdf, ids[2]))?.state === 'annule' && (await opOf(arsIdf, opId))?.state === 'reservee', 'the cancellation at the ARS');
    const holdIds = await Promise.all(ids.slice(0, 3).map(async (id) => (await transferOf(national, id))?.holdId ?? ''));
    const db = serverDb(server.dbPath);
    const before = holdIds.map((h) => db.changeCount(h));

    await arsIdf.call('transfers.cancelOperation', { id: opId, reason: 'Train indisponible' });
    await waitSynced(arsIdf);
    const op = await waitFor(async () => {
      const o = await opOf(national, opId);
      return o?.state === 'annulee' ? o : null;
    }, 'the cancellation at the national cell');
    expect(op.cancelled).toMatchObject({ reason: 'Train indisponible', byRole: 'ars:11' });
    // Two holds written once more (released), the third untouched.
    expect(holdIds.map((h) => db.changeCount(h))).toEqual([before[0] + 1, before[1] + 1, before[2]]);
    db.close();
    await waitSynced(national);
    const holds = await national.call('transfers.holds', {});
    expect(holdIds.map((h) => holds.find((x) => x.id === h)?.state)).toEqual(['released', 'released', 'released']);
    for (const id of ids.slice(0, 2)) expect(await transferOf(national, id)).toMatchObject({ state: 'demande', operationId: null, holdId: null });
    expect(await transferOf(national, ids[2])).toMatchObject({ state: 'annule' });
    const lines = (await national.call('messages.list', { eventId: DEMO_IDS.event })).filter((m) => m.body.startsWith('Opération « TGV sanitaire Bretagne » annulée'));
    expect(lines.map((m) => m.body)).toEqual(['Opération « TGV sanitaire Bretagne » annulée : Train indisponible (2 réservations de lit levées).']);
    expect(await arsIdf.raw('transfers.cancelOperation', { id: opId, reason: 'encore' })).toMatchObject({ ok: false, error: { message: 'L’opération est déjà annulée.' } });
  });

  it('boards car by car; a boarded patient can neither be taken out nor the operation cancelled; another is released back to the pool', async () => {
    const again = [ids[0], ids[1], ids[3]];
    const id = (await national.call('transfers.createOperation', { label: 'TGV bis', vehicle: 'tgv', legs, cars, receivingRegion: 'R:53', transferIds: again })).id as string;
    const plan = await national.call('transfers.planOperation', { id });
    await national.call('transfers.holdOperation', {
      id,
      assignments: plan.plan.assignments.map((a) => ({ transferId: a.patientId, destFiness: a.unitKey.split(':')[0], destUnitId: a.unitKey.slice(a.unitKey.indexOf(':') + 1) })),
    });
    // Held until the train is in Brest and the road after it, not the usual 4 hours.
    const hold = (await national.call('transfers.holds', {})).find((h) => h.transferId === ids[0] && h.state === 'active');
    expect(Date.parse(hold?.expiresAt ?? '')).toBeGreaterThan(Date.parse(legs[1].arrival.at) + 3_600_000);
    expect(await national.raw('transfers.boardOperation', { id, car: 1 })).toMatchObject({ ok: true });
    let op = await opOf(national, id);
    expect(op?.boardedIds).toEqual([ids[3]]);
    expect(op?.progress).toMatchObject({ total: 3, boarded: 1, enRoute: 0, arrived: 0 });
    expect(op?.progress.byCar.map((c) => c.boarded)).toEqual([0, 1]);
    expect(await transferOf(national, ids[3])).toMatchObject({ state: 'en_route' });
    expect((await transferOf(national, ids[3]))?.steps.at(-1)?.comment).toBe('Embarqué : opération « TGV bis », Voiture 2, place 1.');
    expect(await national.raw('transfers.boardOperation', { id, car: 1 })).toMatchObject({ ok: false, error: { message: 'Personne à embarquer dans cette voiture : tous sont déjà à bord ou sans lit réservé.' } });
    expect(await national.raw('transfers.boardOperation', { id, transferIds: [ids[3]] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^Le patient TR-[0-9A-F]{8} est déjà embarqué\.$/) } });
    expect(await national.raw('transfers.releaseFromOperation', { id, transferId: ids[3], reason: 'erreur' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/déjà embarqué : il ne peut plus être retiré/) } });
    expect(await national.raw('transfers.cancelOperation', { id, reason: 'erreur' })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^1 patient est déjà embarqué : l’opération ne s’annule plus/) } });

    await national.call('transfers.releaseFromOperation', { id, transferId: ids[1], reason: 'Aggravation, intransportable' });
    op = await opOf(national, id);
    expect(op?.transferIds).toEqual([ids[0], ids[3]]);
    expect(await transferOf(national, ids[1])).toMatchObject({ state: 'demande', operationId: null, holdId: null });
    await national.call('transfers.boardOperation', { id, car: 0 });
    await waitSynced(national);
    op = await opOf(national, id);
    expect(op?.progress).toMatchObject({ total: 2, boarded: 2 });
    // The destination acknowledges the arrival as for any transfer: the boarded transfer is « en route ».
    await waitFor(async () => (await transferOf(samu75, ids[3]))?.state === 'en_route', 'the boarding at the SAMU');
  });
});

/**
 * The operation mutators' rules, on plain maps (the mutators' contract without SQL): who may
 * run an operation, re-plans only before the holds, boarding rules, cancel releasing exactly
 * the holds still active, release of one patient, and a create of the first part's shape.
 */
import { describe, expect, it } from 'vitest';
import type { BedHold, Operation, Transfer, TransferSummary } from '../../../../common/domain/transfers/model';
import type { TransfersTx } from '../../../../common/domain/transfers/tx';
import type { MutationContext } from '../../../../common/engine/mutation';
import { fr } from '../../../../common/i18n/fr';
import { ctx, MemoryTx, reason, runMutator, uuid } from '../../../support/memoryTx';

const HASENRAIN = '680000627'; // Mulhouse (Grand Est, R:44)
const PITIE = '750100125'; // Paris (Île-de-France, R:11)
const CHU_NANTES = '440000271'; // Nantes (Pays de la Loire, R:52)
const AT = '2020-03-24T08:00:00.000Z';

class World extends MemoryTx implements TransfersTx {
  transfers = new Map<string, Transfer>();
  holds = new Map<string, BedHold>();
  operations = new Map<string, Operation>();
  writes: string[] = [];
  getTransfer = (id: string) => this.transfers.get(id);
  putTransfer = (t: Transfer) => void this.transfers.set(t.id, t);
  getHold = (id: string) => this.holds.get(id);
  holdsOn = (finess: string, unitId: string) => [...this.holds.values()].filter((h) => h.finess === finess && h.unitId === unitId);
  putHold = (h: BedHold) => {
    this.writes.push(h.id);
    this.holds.set(h.id, h);
  };
  getOperation = (id: string) => this.operations.get(id);
  putOperation = (o: Operation) => void this.operations.set(o.id, o);
  summaries = new Map<string, TransferSummary>();
  getSummary = (id: string) => this.summaries.get(id);
  putSummary = (s: TransferSummary) => void this.summaries.set(s.transferId, s);
}

const patient = { ageBand: '61-75', sex: 'M', need: 'rea_adulte', covid: 'positif', ventilated: true };
const at = (h: number) => new Date(Date.parse(AT) + h * 3_600_000).toISOString();
const legs = [
  { departure: { name: 'Gare de Mulhouse', at: at(2) }, arrival: { name: 'Gare de Nantes', at: at(7) } },
  { departure: { name: 'Gare de Nantes', at: at(7.5) }, arrival: { name: 'Gare d’Angers Saint-Laud', at: at(8) } },
];
const cars = [
  { label: 'Voiture 1', places: 2, team: { label: 'SMUR Mulhouse équipe 1', size: 5 } },
  { label: 'Voiture 2', places: 2 },
];

function world(n = 3, from = HASENRAIN) {
  const tx = new World();
  const samu = `samu:${from.slice(0, 2)}`;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = uuid();
    ids.push(id);
    runMutator(tx, 'transfer.create', { id, patient, originFiness: from, urgency: 'programmee' }, ctx(samu));
  }
  tx.insertReport({
    id: uuid(),
    finess: CHU_NANTES,
    unitId: 'REA_MED',
    unitName: null,
    unitType: 'REA_MED',
    installed: 20,
    staffed: 20,
    available: 10,
    covidPos: null,
    covidNeg: null,
    extra24h: null,
    extra72h: null,
    surge: null,
    assignment: null,
    temporary: false,
    ror: null,
    comment: '',
    source: 'app',
    reportedBy: 'x',
    reportedRole: `establishment:${CHU_NANTES}`,
    at: AT,
    atKnown: true,
    version: 1,
  });
  return { tx, ids, samu };
}

const create = (tx: World, c: MutationContext, ids: string[], extra: Record<string, unknown> = {}) => {
  const id = uuid();
  runMutator(tx, 'operation.create', { id, label: 'TGV Mulhouse → Angers', vehicle: 'tgv', legs, cars, receivingRegion: 'R:52', transferIds: ids, ...extra }, c);
  return id;
};
const hold = (tx: World, c: MutationContext, opId: string, ids: string[]) =>
  runMutator(tx, 'operation.hold', { id: opId, assignments: ids.map((transferId) => ({ transferId, destFiness: CHU_NANTES, destUnitId: 'REA_MED', holdId: uuid() })) }, c);

describe('who runs an operation', () => {
  it('the national cell and the ARS of the patients’ origin; not another ARS, not a SAMU; the server reads the role from the session', () => {
    const { tx, ids, samu } = world();
    expect(reason(() => create(tx, ctx(samu), ids))).toBe('Seules la cellule nationale et les ARS organisent une évacuation de masse.');
    // The ARS of Pays de la Loire (the receiving région) does not see these transfers at all.
    expect(reason(() => create(tx, ctx('ars:52'), ids))).toBe(fr.transfers.notFound);
    const opId = create(tx, ctx('ars:44'), ids);
    expect(tx.getOperation(opId)).toMatchObject({ state: 'planifiee', capacity: 4, createdByRole: 'ars:44' });
    // The national cell runs it too.
    hold(tx, ctx('national'), opId, ids);
    expect(tx.getOperation(opId)?.state).toBe('reservee');
  });

  it('an ARS is refused a patient from another région, with the reason', () => {
    const { tx, ids } = world(1);
    const paris = world(1, PITIE);
    for (const [k, v] of paris.tx.transfers) tx.transfers.set(k, v);
    // The Paris transfer is refused by a Mulhouse unit, so the Grand Est ARS sees it (its destination).
    tx.transfers.set(paris.ids[0], { ...paris.tx.transfers.get(paris.ids[0]) as Transfer, state: 'refuse', destFiness: HASENRAIN, destUnitId: 'REA_MED' });
    expect(reason(() => create(tx, ctx('ars:44'), [ids[0], paris.ids[0]]))).toMatch(/^Le transfert TR-[0-9A-F]{8} part de Île-de-France : une ARS n’organise une évacuation que pour des patients de sa région \(Grand Est\)\./);
    expect(tx.operations.size).toBe(0);
  });
});

describe('the shape of an operation', () => {
  it('refuses legs that do not chain, a team named after a person, more patients than places', () => {
    const { tx, ids } = world(3);
    expect(reason(() => create(tx, ctx('national'), ids, { legs: [legs[0], { ...legs[1], departure: { ...legs[1].departure, name: 'Gare de Rennes' } }] }))).toMatch(/^Le trajet 1 arrive à Gare de Nantes mais le suivant part de Gare de Rennes/);
    expect(reason(() => create(tx, ctx('national'), ids, { cars: [{ ...cars[0], team: { label: 'Dr Schmitt', size: 2 } }, cars[1]] }))).toMatch(/jamais par le nom d’une personne/);
    expect(reason(() => create(tx, ctx('national'), ids, { cars: [cars[0]] }))).toBe('3 patients pour 2 places : l’opération dépasse sa capacité.');
    expect(tx.operations.size).toBe(0);
  });

  it('reads a create of the first part’s shape (one departure, one arrival, a capacity) as one leg and one cabin', () => {
    const { tx, ids } = world(2);
    const id = uuid();
    runMutator(tx, 'operation.create', { id, label: 'Avion', vehicle: 'avion', capacity: 6, departure: legs[0].departure, arrival: legs[0].arrival, receivingRegion: 'R:52', transferIds: ids }, ctx('national'));
    expect(tx.getOperation(id)).toMatchObject({ capacity: 6, cars: [{ label: 'Cabine', places: 6, team: null }], legs: [{ arrival: { name: 'Gare de Nantes' } }] });
  });

  it('is re-planned only before its holds: a patient out goes back to the pool, seats kept for the others', () => {
    const { tx, ids } = world(3);
    const opId = create(tx, ctx('national'), ids);
    const seats = tx.getOperation(opId)?.seats ?? [];
    runMutator(tx, 'operation.update', { id: opId, label: 'TGV', vehicle: 'tgv', legs, cars, receivingRegion: 'R:52', transferIds: [ids[0], ids[2]] }, ctx('national'));
    expect(tx.getTransfer(ids[1])?.operationId).toBeNull();
    expect(tx.getOperation(opId)?.seats).toEqual([seats[0], seats[2]]);
    hold(tx, ctx('national'), opId, [ids[0], ids[2]]);
    expect(reason(() => runMutator(tx, 'operation.update', { id: opId, label: 'TGV', vehicle: 'tgv', legs, cars, receivingRegion: 'R:52', transferIds: [ids[0]] }, ctx('national')))).toBe(
      'L’opération est « lits réservés » : seule une opération planifiée (lits pas encore réservés) se modifie.',
    );
  });
});

describe('boarding', () => {
  it('only after the holds, once per patient; the transfer leaves (« en route ») with a step naming car and place, who and when on the operation', () => {
    const { tx, ids } = world(3);
    const opId = create(tx, ctx('national'), ids);
    expect(reason(() => runMutator(tx, 'operation.board', { id: opId, transferIds: [ids[0]] }, ctx('national')))).toBe('L’opération est « planifiée » : on n’embarque qu’après la réservation des lits.');
    hold(tx, ctx('national'), opId, ids);
    runMutator(tx, 'operation.board', { id: opId, transferIds: [ids[0], ids[1]] }, ctx('ars:44'));
    expect(tx.getTransfer(ids[0])?.state).toBe('en_route');
    expect(tx.getTransfer(ids[1])?.steps.at(-1)?.comment).toBe('Embarqué : opération « TGV Mulhouse → Angers », Voiture 1, place 2.');
    expect(tx.getOperation(opId)?.boarded).toEqual([
      { transferId: ids[0], at: AT, by: 'ars:44', byRole: 'ars:44' },
      { transferId: ids[1], at: AT, by: 'ars:44', byRole: 'ars:44' },
    ]);
    expect(reason(() => runMutator(tx, 'operation.board', { id: opId, transferIds: [ids[0]] }, ctx('national')))).toMatch(/^Le patient TR-[0-9A-F]{8} est déjà embarqué\.$/);
    // A transfer its SAMU cancelled does not board.
    runMutator(tx, 'transfer.cancel', { id: ids[2], reason: 'Patient décédé' }, ctx('samu:68'));
    expect(reason(() => runMutator(tx, 'operation.board', { id: opId, transferIds: [ids[2]] }, ctx('national')))).toMatch(/est « annulé » : il ne peut pas embarquer\.$/);
  });
});

describe('cancel and release', () => {
  it('cancel releases exactly the holds still active, puts their patients back in the pool, leaves a cancelled transfer as it is', () => {
    const { tx, ids } = world(3);
    const opId = create(tx, ctx('national'), ids);
    hold(tx, ctx('national'), opId, ids);
    runMutator(tx, 'transfer.cancel', { id: ids[2], reason: 'Patient décédé' }, ctx('samu:68'));
    const cancelledHold = tx.getTransfer(ids[2])?.holdId as string;
    expect(tx.getHold(cancelledHold)?.state).toBe('released');
    tx.writes = [];
    runMutator(tx, 'operation.cancel', { id: opId, reason: 'Rame indisponible' }, ctx('ars:44'));
    const released = ids.slice(0, 2).map((id) => [...tx.holds.values()].find((h) => h.transferId === id)?.id);
    expect(tx.writes.sort()).toEqual([...released].sort());
    for (const h of released) expect(tx.getHold(h as string)?.state).toBe('released');
    for (const id of ids.slice(0, 2)) expect(tx.getTransfer(id)).toMatchObject({ state: 'demande', operationId: null, holdId: null, reason: 'Rame indisponible' });
    expect(tx.getTransfer(ids[2])?.state).toBe('annule');
    expect(tx.getOperation(opId)).toMatchObject({ state: 'annulee', cancelled: { reason: 'Rame indisponible', byRole: 'ars:44' } });
    expect(reason(() => runMutator(tx, 'operation.cancel', { id: opId, reason: 'encore' }, ctx('national')))).toBe('L’opération est déjà annulée.');
  });

  it('cancel is refused once a patient boarded; one not boarded is released alone, a boarded one not', () => {
    const { tx, ids } = world(3);
    const opId = create(tx, ctx('national'), ids);
    hold(tx, ctx('national'), opId, ids);
    runMutator(tx, 'operation.board', { id: opId, transferIds: [ids[0]] }, ctx('national'));
    expect(reason(() => runMutator(tx, 'operation.cancel', { id: opId, reason: 'Rame indisponible' }, ctx('national')))).toMatch(/^1 patient est déjà embarqué : l’opération ne s’annule plus\./);
    expect(reason(() => runMutator(tx, 'operation.release', { id: opId, transferId: ids[0], reason: 'erreur' }, ctx('national')))).toMatch(/déjà embarqué : il ne peut plus être retiré/);
    runMutator(tx, 'operation.release', { id: opId, transferId: ids[1], reason: 'Intransportable' }, ctx('national'));
    expect(tx.getTransfer(ids[1])).toMatchObject({ state: 'demande', operationId: null, holdId: null });
    expect([...tx.holds.values()].find((h) => h.transferId === ids[1])?.state).toBe('released');
    expect(tx.getOperation(opId)?.transferIds).toEqual([ids[0], ids[2]]);
    expect(tx.getOperation(opId)?.seats?.map((s) => s.transferId)).toEqual([ids[0], ids[2]]);
    expect(tx.getOperation(opId)?.state).toBe('reservee');
  });

  it('the last patient is not released: the operation is cancelled instead', () => {
    const { tx, ids } = world(1);
    const opId = create(tx, ctx('national'), ids);
    expect(reason(() => runMutator(tx, 'operation.release', { id: opId, transferId: ids[0], reason: 'erreur' }, ctx('national')))).toBe('C’est le dernier patient de l’opération : annulez l’opération.');
  });
});

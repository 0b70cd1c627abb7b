/**
 * The rules of a mass evacuation (`common/domain/transfers/operation.ts`): the vehicle's
 * layout, the legs, where each patient travels, who may run it, and its progress; and the
 * planner counting road time from each patient's own arrival (a stop on the way).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTerritories, parseRole, type Role } from '../../../../common/territory';
import type { Car, Leg, Operation, Transfer } from '../../../../common/domain/transfers/model';
import {
  autoPlace,
  capacityOf,
  carsOf,
  layoutRefusal,
  legsOf,
  legsRefusal,
  operationHoldHours,
  operationProgress,
  runRefusal,
  seatsOf,
  seatsRefusal,
} from '../../../../common/domain/transfers/operation';
import { planEvacuation } from '../../../../common/domain/transfers/evacuation';

const territories = loadTerritories((f) => readFileSync(join('resources', 'referential', f), 'utf8'));
const role = (r: string) => parseRole(r) as Role;

const HASENRAIN = '680000627'; // Mulhouse, Grand Est (R:44)
const PITIE = '750100125'; // Paris, Île-de-France (R:11)

const car = (label: string, places: number, team: Car['team'] = null): Car => ({ label, places, team });
const leg = (from: string, at: string, to: string, arr: string): Leg => ({
  departure: { name: from, at, lat: null, lon: null },
  arrival: { name: to, at: arr, lat: null, lon: null },
});

describe('the layout of a vehicle', () => {
  it('has as many places as its cars together', () => {
    expect(capacityOf([car('Voiture 1', 4), car('Voiture 2', 6)])).toBe(10);
  });

  it('refuses a team named after a person, two cars of one name, and more cabins than an aircraft has', () => {
    expect(layoutRefusal('tgv', [car('Voiture 1', 4, { label: 'SMUR Strasbourg équipe 2', size: 6 })])).toBeNull();
    expect(layoutRefusal('tgv', [car('Voiture 1', 4, { label: 'Équipe SAMU 67 — Dr Martin', size: 6 })])).toMatch(/^Équipe « Équipe SAMU 67 — Dr Martin » : nommez l’équipe par son service/);
    expect(layoutRefusal('tgv', [car('Voiture 1', 4, { label: 'Docteur Durand', size: 2 })])).not.toBeNull();
    expect(layoutRefusal('tgv', [car('Voiture 1', 4), car('voiture 1', 2)])).toBe('La voiture « voiture 1 » est nommée deux fois.');
    expect(layoutRefusal('avion', [1, 2, 3, 4, 5].map((i) => car(`Cabine ${i}`, 2)))).toBe('5 voitures ou cabines : ce véhicule en compte au plus 4.');
    expect(layoutRefusal('tgv', [car('Voiture 1', 30), car('Voiture 2', 30), car('Voiture 3', 1)])).toBe('61 places au total : une opération emmène au plus 60 patients.');
  });
});

describe('the legs of a journey', () => {
  const a = leg('Gare de Mulhouse', '2020-03-26T08:00:00Z', 'Gare de Nantes', '2020-03-26T13:00:00Z');
  const b = leg('Gare de Nantes', '2020-03-26T13:20:00Z', 'Gare d’Angers Saint-Laud', '2020-03-26T14:00:00Z');

  it('accepts a train with a stop: the next leg leaves from where, and after, the previous arrived', () => {
    expect(legsRefusal([a])).toBeNull();
    expect(legsRefusal([a, b])).toBeNull();
  });

  it('refuses an arrival before its departure, a leg leaving from elsewhere, or before the previous arrived', () => {
    expect(legsRefusal([leg('Gare de Mulhouse', '2020-03-26T08:00:00Z', 'Gare de Nantes', '2020-03-26T07:00:00Z')])).toBe(
      'Trajet 1 (Gare de Mulhouse → Gare de Nantes) : l’arrivée doit suivre le départ.',
    );
    expect(legsRefusal([a, { ...b, departure: { ...b.departure, name: 'Gare de Rennes' } }])).toBe(
      'Le trajet 1 arrive à Gare de Nantes mais le suivant part de Gare de Rennes : un trajet repart d’où le précédent est arrivé.',
    );
    expect(legsRefusal([a, { ...b, departure: { ...b.departure, at: '2020-03-26T12:59:00Z' } }])).toBe('Trajet 2 : il repart de Gare de Nantes avant que le trajet précédent n’y soit arrivé.');
    expect(legsRefusal([])).toBe('Au moins un trajet (départ, arrivée) est nécessaire.');
  });
});

describe('where each patient travels', () => {
  const cars = [car('Voiture 1', 2), car('Voiture 2', 3)];
  const ids = ['a', 'b', 'c', 'd'];

  it('places patients in order, car by car, alighting at the last leg', () => {
    expect(autoPlace(ids, cars, 2)).toEqual([
      { transferId: 'a', car: 0, place: 1, alightLeg: 1 },
      { transferId: 'b', car: 0, place: 2, alightLeg: 1 },
      { transferId: 'c', car: 1, place: 1, alightLeg: 1 },
      { transferId: 'd', car: 1, place: 2, alightLeg: 1 },
    ]);
    expect(autoPlace([...ids, 'e', 'f'], cars, 1)).toBeNull();
  });

  it('keeps the places of the patients already seated on a re-plan, new ones take the free places', () => {
    const previous = [
      { transferId: 'b', car: 1, place: 3, alightLeg: 0 },
      { transferId: 'gone', car: 0, place: 1, alightLeg: 0 },
    ];
    expect(autoPlace(['a', 'b'], cars, 2, previous)).toEqual([
      { transferId: 'a', car: 0, place: 1, alightLeg: 1 },
      { transferId: 'b', car: 1, place: 3, alightLeg: 0 },
    ]);
  });

  it('refuses two patients on one place, a place a car does not have, a missing patient', () => {
    const n = (id: string) => `TR-${id.toUpperCase()}`;
    const ok = autoPlace(ids, cars, 2) ?? [];
    expect(seatsRefusal(ok, ids, cars, 2, n)).toBeNull();
    expect(seatsRefusal([...ok.slice(0, 3), { ...ok[3], car: 0, place: 1 }], ids, cars, 2, n)).toBe('Voiture « Voiture 1 », place 1 : TR-A et TR-D ne peuvent pas l’occuper tous les deux.');
    expect(seatsRefusal([...ok.slice(0, 3), { ...ok[3], place: 4 }], ids, cars, 2, n)).toBe('Patient TR-D : la voiture « Voiture 2 » n’a que 3 places (place 4 demandée).');
    expect(seatsRefusal([...ok.slice(0, 3), { ...ok[3], alightLeg: 2 }], ids, cars, 2, n)).toBe('Patient TR-D : descente au trajet 3, mais l’opération n’en a que 2.');
    expect(seatsRefusal(ok.slice(0, 3), ids, cars, 2, n)).toBe('Sans place dans le véhicule : TR-D.');
  });

  it('reads an operation from before legs and cars as one leg and one cabin of its capacity', () => {
    const old = { capacity: 3, transferIds: ['a', 'b'], departure: leg('X1', '2020-03-26T08:00:00Z', 'Y1', '2020-03-26T09:00:00Z').departure, arrival: leg('X1', '2020-03-26T08:00:00Z', 'Y1', '2020-03-26T09:00:00Z').arrival };
    expect(legsOf(old)).toHaveLength(1);
    expect(carsOf(old)).toEqual([{ label: 'Cabine', places: 3, team: null }]);
    expect(seatsOf(old).map((s) => [s.car, s.place])).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });
});

describe('who runs an operation', () => {
  const from = (finess: string) => ({ originFiness: finess, number: `TR-${finess}` });

  it('the national cell, any; an ARS, only patients leaving from its région; nobody else', () => {
    expect(runRefusal(role('national'), territories, [from(HASENRAIN), from(PITIE)])).toBeNull();
    expect(runRefusal(role('ars:44'), territories, [from(HASENRAIN)])).toBeNull();
    expect(runRefusal(role('ars:44'), territories, [from(HASENRAIN), from(PITIE)])).toBe(
      `Le transfert TR-${PITIE} part de Île-de-France : une ARS n’organise une évacuation que pour des patients de sa région (Grand Est). Demandez à la cellule nationale.`,
    );
    expect(runRefusal(role('samu:68'), territories, [from(HASENRAIN)])).toBe('Seules la cellule nationale et les ARS organisent une évacuation de masse.');
    expect(runRefusal(role(`establishment:${HASENRAIN}`), territories, [from(HASENRAIN)])).not.toBeNull();
  });
});

describe('the progress of an operation', () => {
  const op: Operation = {
    id: 'op',
    label: 'TGV',
    vehicle: 'tgv',
    capacity: 4,
    departure: leg('A', '2020-03-26T08:00:00Z', 'B', '2020-03-26T10:00:00Z').departure,
    arrival: leg('A', '2020-03-26T08:00:00Z', 'B', '2020-03-26T10:00:00Z').arrival,
    cars: [car('Voiture 1', 2), car('Voiture 2', 2)],
    seats: [
      { transferId: 'a', car: 0, place: 1, alightLeg: 0 },
      { transferId: 'b', car: 0, place: 2, alightLeg: 0 },
      { transferId: 'c', car: 1, place: 1, alightLeg: 0 },
      { transferId: 'd', car: 1, place: 2, alightLeg: 0 },
    ],
    boarded: [
      { transferId: 'a', at: '2020-03-26T07:30:00Z', by: 'x', byRole: 'national' },
      { transferId: 'b', at: '2020-03-26T07:31:00Z', by: 'x', byRole: 'national' },
    ],
    receivingRegion: 'R:52',
    transferIds: ['a', 'b', 'c', 'd'],
    state: 'reservee',
    createdBy: 'x',
    createdAt: '2020-03-26T06:00:00Z',
    updatedAt: '2020-03-26T06:00:00Z',
    version: 1,
  };
  const t = (id: string, state: Transfer['state'], destFiness: string) => [id, { id, state, destFiness }] as const;
  const transfers = new Map([t('a', 'en_route', 'X'), t('b', 'arrive', 'X'), t('c', 'accepte', 'Y'), t('d', 'annule', 'Y')]);

  it('counts boarded before the departure, en route after it, arrived from the destination’s step; per destination and per car; a cancelled transfer not at all', () => {
    const before = operationProgress(op, transfers, Date.parse('2020-03-26T07:45:00Z'));
    expect(before).toMatchObject({ total: 3, boarded: 1, enRoute: 0, arrived: 1 });
    const after = operationProgress(op, transfers, Date.parse('2020-03-26T08:30:00Z'));
    expect(after).toMatchObject({ total: 3, boarded: 0, enRoute: 1, arrived: 1 });
    expect(after.byDestination).toEqual([
      { finess: 'X', total: 2, boarded: 0, enRoute: 1, arrived: 1 },
      { finess: 'Y', total: 1, boarded: 0, enRoute: 0, arrived: 0 },
    ]);
    expect(after.byCar).toEqual([
      { car: 0, total: 2, boarded: 0, enRoute: 1, arrived: 1 },
      { car: 1, total: 1, boarded: 0, enRoute: 0, arrived: 0 },
    ]);
  });
});

describe('the planner with a stop on the way', () => {
  it('counts each patient’s road time from where it alights', () => {
    const nantes = { lat: 47.2173, lon: -1.542 };
    const angers = { lat: 47.4644, lon: -0.5566 };
    const units = [
      { key: 'nantes', unitType: 'REA_MED', free: 1, lat: 47.212, lon: -1.554 },
      { key: 'angers', unitType: 'REA_MED', free: 1, lat: 47.48, lon: -0.55 },
    ];
    // Both alight at Angers: the nearest bed there goes to the first; from Nantes, the Nantes bed is nearer for the second.
    const plan = planEvacuation({
      arrival: angers,
      patients: [
        { id: 'p1', need: ['REA_MED'] },
        { id: 'p2', need: ['REA_MED'], arrival: nantes },
      ],
      units,
    });
    const byPatient = Object.fromEntries(plan.assignments.map((a) => [a.patientId, a]));
    expect(byPatient.p1.unitKey).toBe('angers');
    expect(byPatient.p2.unitKey).toBe('nantes');
    expect(byPatient.p2.minutes).toBeLessThan(15);
    expect(plan.totalMinutes).toBe(byPatient.p1.minutes + byPatient.p2.minutes);
  });
});

describe('how long an operation holds its beds', () => {
  const now = Date.parse('2020-03-26T06:00:00Z');
  const journey = (arrive: string) => ({ legs: [leg('A', '2020-03-26T08:00:00Z', 'B', arrive)], departure: leg('A', '', 'B', '').departure, arrival: leg('A', '', 'B', '').arrival });

  it('until the last arrival plus the road from the station, at least the usual 4 h, at most 24 h', () => {
    expect(operationHoldHours(journey('2020-03-26T13:00:00Z'), now)).toBe(9);
    expect(operationHoldHours(journey('2020-03-26T07:00:00Z'), now)).toBe(4);
    expect(operationHoldHours(journey('2020-03-28T07:00:00Z'), now)).toBe(24);
  });
});

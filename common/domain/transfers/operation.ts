/**
 * A mass evacuation's own rules (issue 8, « opérations »), pure and shared by the mutators,
 * main's views and the renderer: the vehicle's layout (cars or cabins, places, teams), the
 * legs, where each patient travels, who may run an operation, and its progress. Each rule
 * answers a French sentence a regulator understands, or null.
 */
import { fr } from '../../i18n/fr';
import type { Role, Territories } from '../../territory';
import { DEFAULT_HOLD_HOURS, MAX_CABINS, MAX_CARS, MAX_HOLD_HOURS, MAX_OPERATION_PATIENTS, type Car, type Leg, type Operation, type Seat, type Transfer, type Vehicle } from './model';

const o = () => fr.transfers.operation;

/** The legs of an operation (a row from before legs: its departure → arrival). */
export function legsOf(op: Pick<Operation, 'legs' | 'departure' | 'arrival'>): Leg[] {
  return op.legs && op.legs.length > 0 ? op.legs : [{ departure: op.departure, arrival: op.arrival }];
}

/** The cars or cabins of an operation (a row from before cars: one cabin of its capacity). */
export function carsOf(op: Pick<Operation, 'cars' | 'capacity'>): Car[] {
  return op.cars && op.cars.length > 0 ? op.cars : [{ label: 'Cabine', places: op.capacity, team: null }];
}

/** Where each patient travels (a row from before seats: placed in order, alighting at the last leg). */
export function seatsOf(op: Pick<Operation, 'seats' | 'cars' | 'capacity' | 'transferIds' | 'legs' | 'departure' | 'arrival'>): Seat[] {
  if (op.seats && op.seats.length === op.transferIds.length) return op.seats;
  return autoPlace(op.transferIds, carsOf(op), legsOf(op).length, op.seats ?? []) ?? [];
}

/** The number of patient places of a layout. */
export const capacityOf = (cars: readonly Car[]): number => cars.reduce((n, c) => n + c.places, 0);

/** Words that make a team label a person's name: teams are named by their service, never by a doctor. */
const PERSON_NAME = /(^|[\s,;(—–-])(dr|docteur|pr|professeur|mme|madame|m\.|monsieur)(\.|\s|$)/i;

/** Why this layout cannot be used, or null: places within bounds, car labels unique, teams named by service. */
export function layoutRefusal(vehicle: Vehicle, cars: readonly Car[]): string | null {
  if (cars.length === 0) return o().noCar;
  const max = vehicle === 'tgv' ? MAX_CARS : MAX_CABINS;
  if (cars.length > max) return o().tooManyCars(cars.length, max);
  const labels = new Set<string>();
  for (const c of cars) {
    const key = c.label.trim().toLocaleLowerCase('fr');
    if (labels.has(key)) return o().carTwice(c.label);
    labels.add(key);
    if (c.team && PERSON_NAME.test(c.team.label)) return o().teamIsPerson(c.team.label);
  }
  const capacity = capacityOf(cars);
  if (capacity > MAX_OPERATION_PATIENTS) return o().layoutTooLarge(capacity, MAX_OPERATION_PATIENTS);
  return null;
}

/** Why these legs do not make one journey, or null: each leg ends after it starts, the next leaves from where and after the previous arrived. */
export function legsRefusal(legs: readonly Leg[]): string | null {
  if (legs.length === 0) return o().noLeg;
  for (let i = 0; i < legs.length; i++) {
    const l = legs[i];
    if (Date.parse(l.arrival.at) <= Date.parse(l.departure.at)) return o().legBackwards(i + 1, l.departure.name, l.arrival.name);
    if (l.arrival.name.trim() === l.departure.name.trim()) return o().legGoesNowhere(i + 1, l.departure.name);
    const next = legs[i + 1];
    if (!next) continue;
    if (next.departure.name.trim() !== l.arrival.name.trim()) return o().legNotChained(i + 1, l.arrival.name, next.departure.name);
    if (Date.parse(next.departure.at) < Date.parse(l.arrival.at)) return o().legLeavesEarly(i + 2, next.departure.name);
  }
  return null;
}

/**
 * Places the patients in order, car by car, place by place: a patient already seated keeps
 * its place (a re-plan moves nobody who need not move), a new one takes the first free place
 * and alights at the last leg. Null when there are more patients than places.
 */
export function autoPlace(transferIds: readonly string[], cars: readonly Car[], legCount: number, previous: readonly Seat[] = []): Seat[] | null {
  const taken = new Set<string>();
  const kept = new Map<string, Seat>();
  for (const s of previous) {
    const car = cars[s.car];
    const k = `${s.car}:${s.place}`;
    if (!transferIds.includes(s.transferId) || kept.has(s.transferId) || !car || s.place > car.places || taken.has(k)) continue;
    kept.set(s.transferId, { ...s, alightLeg: Math.min(s.alightLeg, legCount - 1) });
    taken.add(k);
  }
  const out: Seat[] = [];
  let car = 0;
  let place = 1;
  for (const id of transferIds) {
    const seat = kept.get(id);
    if (seat) {
      out.push(seat);
      continue;
    }
    for (;;) {
      if (car >= cars.length) return null;
      if (place > cars[car].places) {
        car += 1;
        place = 1;
        continue;
      }
      if (taken.has(`${car}:${place}`)) {
        place += 1;
        continue;
      }
      break;
    }
    out.push({ transferId: id, car, place, alightLeg: legCount - 1 });
    taken.add(`${car}:${place}`);
  }
  return out;
}

/** Why these seats do not fit the operation, or null: each patient once, on a real place of a real car, no two on one place, alighting at a real leg. */
export function seatsRefusal(seats: readonly Seat[], transferIds: readonly string[], cars: readonly Car[], legCount: number, numberOf: (id: string) => string): string | null {
  const byTransfer = new Set<string>();
  const places = new Map<string, string>();
  for (const s of seats) {
    if (!transferIds.includes(s.transferId)) return o().notInOperation(numberOf(s.transferId));
    if (byTransfer.has(s.transferId)) return o().seatedTwice(numberOf(s.transferId));
    byTransfer.add(s.transferId);
    const car = cars[s.car];
    if (!car) return o().noSuchCar(numberOf(s.transferId), s.car + 1);
    if (s.place > car.places) return o().noSuchPlace(numberOf(s.transferId), car.label, s.place, car.places);
    if (s.alightLeg >= legCount) return o().noSuchLeg(numberOf(s.transferId), s.alightLeg + 1, legCount);
    const k = `${s.car}:${s.place}`;
    const other = places.get(k);
    if (other) return o().placeTaken(car.label, s.place, numberOf(other), numberOf(s.transferId));
    places.set(k, s.transferId);
  }
  const unseated = transferIds.filter((id) => !byTransfer.has(id));
  if (unseated.length > 0) return o().unseated(unseated.map(numberOf).join(', '));
  return null;
}

/** The région code (`44`) of an establishment, from the referential. */
export function regionOfEstablishment(territories: Territories, finess: string): string | null {
  const dep = territories.establishment(finess)?.dep;
  return dep ? (territories.departement(dep)?.region ?? null) : null;
}

/**
 * Why `role` may not run an operation carrying these transfers, or null. The national cell
 * runs any; an ARS those whose every patient leaves from its région (the receiving région
 * may be another); nobody else.
 */
export function runRefusal(role: Role, territories: Territories, transfers: ReadonlyArray<Pick<Transfer, 'originFiness' | 'number'>>): string | null {
  if (role.kind === 'national') return null;
  if (role.kind !== 'ars') return o().whoRuns;
  for (const t of transfers) {
    const region = regionOfEstablishment(territories, t.originFiness);
    if (region !== role.region) {
      const from = region ? (territories.region(region)?.name ?? region) : t.originFiness;
      return o().arsOutsideRegion(t.number, from, territories.region(role.region)?.name ?? role.region);
    }
  }
  return null;
}

/** The transfer states of a patient whose bed is held and who has not boarded yet. */
export const HELD_STATES: readonly Transfer['state'][] = ['accepte', 'transport'];

export interface ProgressCount {
  total: number;
  boarded: number;
  enRoute: number;
  arrived: number;
}

export interface OperationProgress extends ProgressCount {
  /** Per destination establishment (FINESS; `null`: not assigned yet). */
  byDestination: Array<ProgressCount & { finess: string | null }>;
  /** Per car, in the layout's order. */
  byCar: Array<ProgressCount & { car: number }>;
}

/**
 * Where the operation stands at `now`: a patient is « embarqué » once boarded and until its
 * leg leaves, « en route » after its leg has left, « arrivé » once its destination said so
 * (the transfer's own step). Released and cancelled transfers are not counted.
 */
export function operationProgress(op: Operation, transfers: ReadonlyMap<string, Pick<Transfer, 'id' | 'state' | 'destFiness'>>, now: number): OperationProgress {
  const seats = new Map(seatsOf(op).map((s) => [s.transferId, s]));
  const boarded = new Set((op.boarded ?? []).map((b) => b.transferId));
  const legs = legsOf(op);
  const firstDeparture = Date.parse(legs[0].departure.at);
  const zero = (): ProgressCount => ({ total: 0, boarded: 0, enRoute: 0, arrived: 0 });
  const total = zero();
  const byDest = new Map<string | null, ProgressCount>();
  const byCar = carsOf(op).map(() => zero());
  for (const id of op.transferIds) {
    const t = transfers.get(id);
    if (!t || t.state === 'annule') continue;
    const counts = [total, byDest.get(t.destFiness) ?? zero(), byCar[seats.get(id)?.car ?? -1] ?? zero()];
    byDest.set(t.destFiness, counts[1]);
    for (const c of counts) {
      c.total += 1;
      if (t.state === 'arrive') c.arrived += 1;
      else if (boarded.has(id) || t.state === 'en_route') {
        if (now >= firstDeparture) c.enRoute += 1;
        else c.boarded += 1;
      }
    }
  }
  return {
    ...total,
    byDestination: [...byDest.entries()].map(([finess, c]) => ({ finess, ...c })),
    byCar: byCar.map((c, car) => ({ car, ...c })),
  };
}

/** Margin after the last arrival for the road from the station to the unit. */
export const HOLD_MARGIN_HOURS = 2;

/**
 * How long an operation's holds last: until the last leg arrives plus the road from the
 * station (a TGV leaving in 2 h and arriving 5 h later must not lose its beds on the way, as
 * a transfer's 4-hour default would), never less than that default nor more than the
 * longest hold (24 h).
 */
export function operationHoldHours(op: Pick<Operation, 'legs' | 'departure' | 'arrival'>, now: number): number {
  const legs = legsOf(op);
  const until = Date.parse(legs[legs.length - 1].arrival.at);
  const hours = Number.isFinite(until) ? Math.ceil((until - now) / 3_600_000) + HOLD_MARGIN_HOURS : DEFAULT_HOLD_HOURS;
  return Math.min(MAX_HOLD_HOURS, Math.max(DEFAULT_HOLD_HOURS, hours));
}

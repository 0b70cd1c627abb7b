/**
 * The mutators of mass evacuations (issue 8, « opérations »): create and re-plan an
 * operation, hold every bed at once, board patients, cancel the operation or take one patient
 * out of it. Each is one mutation, hence one savepoint of the server's transaction: all or
 * nothing. The server decides who may act from the session (`runRefusal`): the national cell,
 * or an ARS for patients leaving from its région.
 *
 * Boarding is a step of the operation (who, when, per patient), not a new transfer state: it
 * moves the transfer to « en route » (the patient has left its hospital), which is the state
 * its destination acknowledges the arrival from, so the transfer's state machine is unchanged.
 */
import { fr } from '../../i18n/fr';
import { MutationRejected, mutatorsUsing, type MutationContext } from '../../engine/mutation';
import type { BedsTx } from '../beds/tx';
import type { EventLogTx } from '../eventlog/tx';
import { unitLabel } from '../beds/unitTypes';
import { holdTakesBed } from './holds';
import { journal, journalAt, journalLineId } from './journal';
import { relogSummary, visible } from './mutators';
import {
  NEEDS,
  OperationBoardArgs,
  OperationCancelArgs,
  OperationCreateArgs,
  OperationHoldArgs,
  OperationReleaseArgs,
  OperationUpdateArgs,
  type Operation,
  type Transfer,
  type Transport,
  type Vehicle,
} from './model';
import { HELD_STATES, autoPlace, capacityOf, carsOf, layoutRefusal, legsRefusal, runRefusal, seatsOf, seatsRefusal } from './operation';
import type { TransfersTx } from './tx';

const define = mutatorsUsing<{ transfers: TransfersTx; beds: BedsTx; eventlog: EventLogTx }>('transfers', 'beds', 'eventlog');
const o = () => fr.transfers.operation;

const TRANSPORT_OF: Record<Vehicle, Transport> = { tgv: 'train', avion: 'avion', helicoptere: 'helicoptere', bateau: 'bateau' };

const reject = (why: string | null): void => {
  if (why) throw new MutationRejected(why);
};

/** Only the national cell and the ARS run operations: refused before anything is read. */
function mayRunAny(ctx: MutationContext): void {
  const k = ctx.actor.role.kind;
  if (k !== 'national' && k !== 'ars') throw new MutationRejected(o().whoRuns);
}

/** The operation and its transfers, checked runnable by the actor. */
function runnable(tx: TransfersTx, ctx: MutationContext, id: string): { op: Operation; transfers: Transfer[] } {
  mayRunAny(ctx);
  const op = tx.getOperation(id);
  if (!op) throw new MutationRejected(o().notFound);
  const transfers = op.transferIds.map((t) => visible(tx, ctx, t));
  reject(runRefusal(ctx.actor.role, ctx.territories, transfers));
  return { op, transfers };
}

const stateText = (op: Operation) => o().state[op.state] ?? op.state;
const isWaiting = (t: Transfer) => t.state === 'demande' || t.state === 'refuse';
const isBoarded = (op: Operation, t: Transfer) => t.state === 'en_route' || t.state === 'arrive' || (op.boarded ?? []).some((b) => b.transferId === t.id);

/** The checked shape of an operation (create and re-plan): layout, legs, capacity, seats. */
function shape(args: OperationCreateArgs, numberOf: (id: string) => string, previousSeats: Operation['seats'] = []) {
  const ids = [...new Set(args.transferIds)];
  reject(layoutRefusal(args.vehicle, args.cars));
  reject(legsRefusal(args.legs));
  const capacity = capacityOf(args.cars);
  if (ids.length > capacity) throw new MutationRejected(o().overCapacity(ids.length, capacity));
  const seats = args.seats ?? autoPlace(ids, args.cars, args.legs.length, previousSeats);
  if (!seats) throw new MutationRejected(o().overCapacity(ids.length, capacity));
  reject(seatsRefusal(seats, ids, args.cars, args.legs.length, numberOf));
  return { ids, capacity, seats, departure: args.legs[0].departure, arrival: args.legs[args.legs.length - 1].arrival };
}

/** A patient taken out of its operation: hold released, back to the transfers to place, with a step saying why. */
function backToPool(tx: TransfersTx, ctx: MutationContext, t: Transfer, label: string, reason: string): { next: Transfer; released: boolean } {
  const h = t.holdId ? tx.getHold(t.holdId) : undefined;
  const released = h !== undefined && h.state === 'active';
  if (h && released) tx.putHold({ ...h, state: 'released', endedAt: ctx.at, version: 0 });
  // The destination stays named: it sees the transfer leave it, as after a refusal.
  const next: Transfer = {
    ...t,
    state: 'demande',
    holdId: null,
    operationId: null,
    reason,
    steps: [...t.steps, { state: 'demande', at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText, comment: o().releasedStep(label, reason) }],
    updatedAt: ctx.at,
    version: 0,
  };
  tx.putTransfer(next);
  return { next, released };
}

export const operationMutators = {
  /** A mass evacuation: waiting transfers grouped under one vehicle, its cars and legs, for a receiving région. */
  'operation.create': define(OperationCreateArgs, ({ transfers: tx }, args, ctx) => {
    mayRunAny(ctx);
    if (tx.getOperation(args.id)) throw new MutationRejected(o().exists);
    if (!ctx.territories.info(args.receivingRegion)) throw new MutationRejected(fr.reject.territoryUnknown(args.receivingRegion));
    const numberOf = (id: string) => tx.getTransfer(id)?.number ?? id;
    const s = shape(args, numberOf);
    const transfers = s.ids.map((id) => visible(tx, ctx, id));
    reject(runRefusal(ctx.actor.role, ctx.territories, transfers));
    for (const t of transfers) {
      if (!isWaiting(t)) throw new MutationRejected(o().notWaiting(t.number, fr.transfers.state[t.state]));
      if (t.operationId) throw new MutationRejected(o().alreadyIn(t.number));
      tx.putTransfer({ ...t, operationId: args.id, updatedAt: ctx.at, version: 0 });
    }
    tx.putOperation({
      id: args.id,
      label: args.label,
      vehicle: args.vehicle,
      capacity: s.capacity,
      departure: s.departure,
      arrival: s.arrival,
      legs: args.legs,
      cars: args.cars,
      seats: s.seats,
      boarded: [],
      cancelled: null,
      receivingRegion: args.receivingRegion,
      transferIds: s.ids,
      state: 'planifiee',
      createdBy: ctx.actor.displayName,
      createdByRole: ctx.actor.roleText,
      createdAt: ctx.at,
      updatedAt: ctx.at,
      version: 0,
    });
  }),

  /** A re-plan before the beds are held: patients added or removed, cars, legs and places changed. */
  'operation.update': define(OperationUpdateArgs, ({ transfers: tx }, args, ctx) => {
    const { op } = runnable(tx, ctx, args.id);
    if (op.state !== 'planifiee') throw new MutationRejected(o().notPlanned(stateText(op)));
    if (!ctx.territories.info(args.receivingRegion)) throw new MutationRejected(fr.reject.territoryUnknown(args.receivingRegion));
    const numberOf = (id: string) => tx.getTransfer(id)?.number ?? id;
    const s = shape(args, numberOf, seatsOf(op));
    const transfers = s.ids.map((id) => visible(tx, ctx, id));
    reject(runRefusal(ctx.actor.role, ctx.territories, transfers));
    for (const t of transfers) {
      if (t.operationId === op.id) continue;
      if (!isWaiting(t)) throw new MutationRejected(o().notWaiting(t.number, fr.transfers.state[t.state]));
      if (t.operationId) throw new MutationRejected(o().alreadyIn(t.number));
      tx.putTransfer({ ...t, operationId: op.id, updatedAt: ctx.at, version: 0 });
    }
    for (const id of op.transferIds) {
      if (s.ids.includes(id)) continue;
      const t = visible(tx, ctx, id);
      if (t.operationId === op.id) tx.putTransfer({ ...t, operationId: null, updatedAt: ctx.at, version: 0 });
    }
    tx.putOperation({
      ...op,
      label: args.label,
      vehicle: args.vehicle,
      capacity: s.capacity,
      departure: s.departure,
      arrival: s.arrival,
      legs: args.legs,
      cars: args.cars,
      seats: s.seats,
      receivingRegion: args.receivingRegion,
      transferIds: s.ids,
      updatedAt: ctx.at,
      version: 0,
    });
  }),

  /**
   * Every patient of an operation gets its bed at once, or none does: one mutation, one
   * transaction; the first line that cannot be held refuses the whole (and says which).
   */
  'operation.hold': define(OperationHoldArgs, ({ transfers: tx, beds, eventlog }, args, ctx) => {
    const { op } = runnable(tx, ctx, args.id);
    if (op.state !== 'planifiee') throw new MutationRejected(o().wrongState(stateText(op)));
    const byTransfer = new Map(args.assignments.map((a) => [a.transferId, a]));
    for (const a of args.assignments) if (!op.transferIds.includes(a.transferId)) throw new MutationRejected(o().notInOperation(tx.getTransfer(a.transferId)?.number ?? a.transferId));
    const missing = op.transferIds.filter((id) => !byTransfer.has(id)).length;
    if (missing > 0) throw new MutationRejected(o().incomplete(missing));
    const regionPath = ctx.territories.path(op.receivingRegion) ?? '/none/';
    const at = Date.parse(ctx.at);
    for (const id of op.transferIds) {
      const a = byTransfer.get(id) as (typeof args.assignments)[number];
      const t = visible(tx, ctx, id);
      const refuse = (why: string): never => {
        throw new MutationRejected(o().lineRefused(t.number, why));
      };
      if (!isWaiting(t)) refuse(o().notWaiting(t.number, fr.transfers.state[t.state]));
      const unit = beds.getCurrentReport(a.destFiness, a.destUnitId);
      const name = ctx.territories.establishment(a.destFiness)?.shortName ?? a.destFiness;
      if (!unit) return refuse(fr.transfers.unknownUnit(a.destUnitId, name));
      if (!(NEEDS[t.patient.need] as readonly string[]).includes(unit.unitType)) refuse(fr.transfers.needMismatch(unitLabel(unit), fr.transfers.need[t.patient.need]));
      if (!(ctx.territories.path(`E:${a.destFiness}`) ?? '').startsWith(regionPath)) refuse(o().outsideRegion(unitLabel(unit), ctx.territories.label(op.receivingRegion)));
      if (tx.getHold(a.holdId)) refuse(fr.transfers.holdMismatch);
      // Holds placed by the lines before this one are in the same transaction: counted here.
      const held = tx.holdsOn(a.destFiness, a.destUnitId).filter((h) => holdTakesBed(h, at, unit.at)).length;
      if (unit.available - held <= 0) refuse(fr.transfers.noBedLeft(unitLabel(unit), name, unit.available, held));
      const expiresAt = new Date(at + args.holdHours * 3_600_000).toISOString();
      tx.putHold({
        id: a.holdId,
        transferId: t.id,
        finess: a.destFiness,
        unitId: a.destUnitId,
        unitType: unit.unitType,
        state: 'active',
        placedAt: ctx.at,
        expiresAt,
        endedAt: null,
        version: 0,
      });
      tx.putTransfer({
        ...t,
        destFiness: a.destFiness,
        destUnitId: a.destUnitId,
        destUnitType: unit.unitType,
        transport: TRANSPORT_OF[op.vehicle],
        state: 'accepte',
        holdId: a.holdId,
        holdExpiresAt: expiresAt,
        reason: null,
        steps: [...t.steps, { state: 'accepte', at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText, comment: o().acceptedBy(op.label) }],
        updatedAt: ctx.at,
        version: 0,
      });
      // The assigned destination and its SAMU are parties now: they get the clinical summary.
      relogSummary(tx, ctx, { ...t, destFiness: a.destFiness });
    }
    tx.putOperation({ ...op, seats: seatsOf(op), state: 'reservee', updatedAt: ctx.at, version: 0 });
    // One national line for the whole operation (a dozen lines per TGV would drown the log).
    journalAt(
      eventlog,
      ctx,
      'FR',
      journalLineId(op.id, 0xffff),
      fr.transfers.journal.operation(op.label, op.transferIds.length, ctx.territories.label(op.receivingRegion).replace(/^ARS\s+/, '')),
      'important',
    );
  }),

  /** Patients boarded (one, or a whole car): each transfer leaves its hospital (« en route »), the operation records who and when. */
  'operation.board': define(OperationBoardArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    const { op } = runnable(tx, ctx, args.id);
    if (op.state !== 'reservee') throw new MutationRejected(o().notHeld(stateText(op)));
    const seats = new Map(seatsOf(op).map((s) => [s.transferId, s]));
    const cars = carsOf(op);
    const boarded = [...(op.boarded ?? [])];
    const where = new Set<string>();
    for (const id of new Set(args.transferIds)) {
      if (!op.transferIds.includes(id)) throw new MutationRejected(o().notInOperation(tx.getTransfer(id)?.number ?? id));
      const t = visible(tx, ctx, id);
      if (isBoarded(op, t) || boarded.some((b) => b.transferId === id)) throw new MutationRejected(o().alreadyBoarded(t.number));
      if (!HELD_STATES.includes(t.state)) throw new MutationRejected(o().notBoardable(t.number, fr.transfers.state[t.state]));
      const seat = seats.get(id);
      const car = cars[seat?.car ?? 0];
      where.add(car.label);
      boarded.push({ transferId: id, at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText });
      tx.putTransfer({
        ...t,
        state: 'en_route',
        steps: [...t.steps, { state: 'en_route', at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText, comment: o().boardedStep(op.label, car.label, seat?.place ?? 0) }],
        updatedAt: ctx.at,
        version: 0,
      });
    }
    tx.putOperation({ ...op, boarded, updatedAt: ctx.at, version: 0 });
    // Boarding only grows: its count names the line, the same on the workstation and the server.
    journalAt(eventlog, ctx, 'FR', journalLineId(op.id, 0x8000 + boarded.length), fr.transfers.journal.operationBoarded(op.label, boarded.length - (op.boarded ?? []).length, [...where].join(', ')), 'info');
  }),

  /**
   * The operation cancelled with a reason: every hold of its patients still active is
   * released and each patient goes back to the transfers to place, all at once, with one
   * line in the national main courante. Refused once a patient has boarded.
   */
  'operation.cancel': define(OperationCancelArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    const { op, transfers } = runnable(tx, ctx, args.id);
    if (op.state === 'annulee') throw new MutationRejected(o().cancelled);
    const onBoard = transfers.filter((t) => isBoarded(op, t)).length;
    if (onBoard > 0) throw new MutationRejected(o().someBoarded(onBoard));
    let released = 0;
    for (const t of transfers) {
      if (t.state === 'annule') continue;
      if (HELD_STATES.includes(t.state)) {
        if (backToPool(tx, ctx, t, op.label, args.reason).released) released += 1;
      } else if (t.operationId === op.id) {
        tx.putTransfer({ ...t, operationId: null, updatedAt: ctx.at, version: 0 });
      }
    }
    tx.putOperation({ ...op, state: 'annulee', cancelled: { reason: args.reason, at: ctx.at, by: ctx.actor.displayName, byRole: ctx.actor.roleText }, updatedAt: ctx.at, version: 0 });
    journalAt(eventlog, ctx, 'FR', journalLineId(op.id, 0xfffe), fr.transfers.journal.operationCancelled(op.label, args.reason, released), 'important');
  }),

  /** One patient out of the operation (not boarded): its hold released, back to the transfers to place. */
  'operation.release': define(OperationReleaseArgs, ({ transfers: tx, eventlog }, args, ctx) => {
    const { op, transfers } = runnable(tx, ctx, args.id);
    if (op.state === 'annulee') throw new MutationRejected(o().cancelled);
    const t = transfers.find((x) => x.id === args.transferId);
    if (!t) throw new MutationRejected(o().notInOperation(tx.getTransfer(args.transferId)?.number ?? args.transferId));
    if (isBoarded(op, t)) throw new MutationRejected(o().cannotReleaseBoarded(t.number));
    if (op.transferIds.length === 1) throw new MutationRejected(o().lastPatient);
    // A transfer its SAMU cancelled meanwhile only leaves the list (its hold was released then).
    const next = t.state === 'annule' ? null : backToPool(tx, ctx, t, op.label, args.reason).next;
    tx.putOperation({
      ...op,
      transferIds: op.transferIds.filter((id) => id !== t.id),
      seats: seatsOf(op).filter((s) => s.transferId !== t.id),
      updatedAt: ctx.at,
      version: 0,
    });
    if (next) journal(eventlog, ctx, next, fr.transfers.journal.operationReleased(t.number, op.label, args.reason), 'important');
  }),
};

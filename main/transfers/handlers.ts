/**
 * The transfers board's ConsoleApi calls: the transfers in scope with their places named and
 * the user's next steps, a transfer's creation and each step (one mutation each: the server
 * decides, offline they wait in the outbox), the holds the bed views subtract, and candidate
 * destinations from the units this workstation knows.
 */
import { randomUUID } from 'node:crypto';
import type { CandidateView, OperationPlanView, OperationView, PlanUnitView, TransferView } from '../../common/domain/transfers/api';
import { EVACUATION_MODE, planEvacuation, planEvacuationGreedy } from '../../common/domain/transfers/evacuation';
import { travelMinutes } from '../../common/domain/transfers/travel';
import { isStale } from '../../common/domain/beds/totals';
import { heldBeds } from '../../common/domain/transfers/holds';
import { NEEDS, summaryParties, type Seat } from '../../common/domain/transfers/model';
import { HELD_STATES, carsOf, legsOf, operationHoldHours, operationProgress, runRefusal, seatsOf } from '../../common/domain/transfers/operation';
import { nextSteps, partiesOf, whoActs } from '../../common/domain/transfers/rules';
import { rankCandidates } from '../../common/domain/transfers/candidates';
import { unitLabel } from '../../common/domain/beds/unitTypes';
import { fr } from '../../common/i18n/fr';
import type { ServiceContext } from '../context';
import { ApiError, queueMutation, type HandlerTable } from '../handlers';

export function registerTransfersHandlers(table: HandlerTable, ctx: ServiceContext): void {
  const transferViews = (): TransferView[] => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const holds = new Map(s.store.boards.transfers.listHolds().map((h) => [h.id, h]));
    const summaries = s.store.boards.transfers.summaries();
    return s.store.boards.transfers.listTransfers().map(({ transfer: x, pending }) => {
      const origin = t.establishment(x.originFiness);
      return {
        ...x,
        summary: summaries.get(x.id)?.summary ?? null,
        summaryPurgedAt: summaries.get(x.id)?.purgedAt ?? null,
        summaryParty: summaryParties(x, t).includes(s.actor.territory),
        originName: origin?.shortName ?? x.originFiness,
        originDep: origin?.dep ?? '',
        destName: x.destFiness ? (t.establishment(x.destFiness)?.shortName ?? x.destFiness) : null,
        regions: [...new Set([x.originFiness, x.destFiness].flatMap((f) => {
          const dep = f ? t.establishment(f)?.dep : undefined;
          const region = dep ? t.departement(dep)?.region : undefined;
          return region ? [region] : [];
        }))],
        samuLabel: t.label(x.samu),
        pending,
        next: nextSteps(x, s.actor.role),
        whoActs: whoActs(x.state),
        mine: partiesOf(s.actor.role, x),
        hold: x.holdId ? (holds.get(x.holdId) ?? null) : null,
      };
    });
  };
  table.register('transfers.list', transferViews);

  table.register('transfers.operations', (): OperationView[] => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const byId = new Map(transferViews().map((v) => [v.id, v]));
    const now = Date.now();
    const runner = s.actor.role.kind === 'national' || s.actor.role.kind === 'ars';
    return s.store.boards.transfers.listOperations().map(({ operation: o, pending }) => {
      const transfers = o.transferIds.map((id) => byId.get(id)).filter((v): v is TransferView => v !== undefined);
      const progress = operationProgress(o, byId, now);
      return {
        ...o,
        receivingLabel: t.label(o.receivingRegion).replace(/^ARS\s+/, ''),
        pending,
        transfers,
        legs: legsOf(o),
        cars: carsOf(o),
        seats: seatsOf(o),
        boardedIds: (o.boarded ?? []).map((b) => b.transferId),
        progress,
        destinationNames: Object.fromEntries(progress.byDestination.flatMap((d) => (d.finess ? [[d.finess, t.establishment(d.finess)?.shortName ?? d.finess]] : []))),
        // Every patient must be in view to judge an ARS's scope (the server judges again).
        mayRun: runner && transfers.length === o.transferIds.length && runRefusal(s.actor.role, t, transfers) === null,
      };
    });
  });

  const operationArgs = (args: { seats?: Seat[] | null }) => ({ ...args, seats: args.seats ?? null });
  table.register('transfers.createOperation', (args) => {
    const id = randomUUID();
    return queueMutation(ctx, 'operation.create', { id, ...operationArgs(args) }, ['operation', 'transfer'], id);
  });
  table.register('transfers.updateOperation', (args) => queueMutation(ctx, 'operation.update', operationArgs(args), ['operation', 'transfer'], args.id));
  table.register('transfers.boardOperation', (args) => {
    let transferIds: string[];
    if ('car' in args) {
      // « Tout le wagon »: the car's patients whose bed is held and who have not boarded yet.
      const s = ctx.session.requireActive();
      const op = s.store.boards.transfers.listOperations().find((r) => r.operation.id === args.id)?.operation;
      if (!op) throw new ApiError('bad_args', fr.transfers.operation.notFound);
      const states = new Map(s.store.boards.transfers.listTransfers().map((r) => [r.transfer.id, r.transfer.state]));
      const boarded = new Set((op.boarded ?? []).map((b) => b.transferId));
      transferIds = seatsOf(op)
        .filter((x) => x.car === args.car && !boarded.has(x.transferId) && HELD_STATES.includes(states.get(x.transferId) ?? 'annule'))
        .map((x) => x.transferId);
      if (transferIds.length === 0) throw new ApiError('bad_args', fr.transfers.operation.nobodyToBoard);
    } else transferIds = args.transferIds;
    return queueMutation(ctx, 'operation.board', { id: args.id, transferIds }, ['operation', 'transfer', 'message'], args.id);
  });
  table.register('transfers.cancelOperation', (args) => queueMutation(ctx, 'operation.cancel', args, ['operation', 'transfer', 'hold', 'message'], args.id));
  table.register('transfers.releaseFromOperation', (args) => queueMutation(ctx, 'operation.release', args, ['operation', 'transfer', 'hold', 'message'], args.id));

  table.register('transfers.planOperation', ({ id }): OperationPlanView => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const op = s.store.boards.transfers.listOperations().find((o) => o.operation.id === id)?.operation;
    if (!op) throw new ApiError('bad_args', fr.transfers.operation.notFound);
    const transfers = new Map(s.store.boards.transfers.listTransfers().map((r) => [r.transfer.id, r.transfer]));
    const regionPath = t.path(op.receivingRegion) ?? '/none/';
    const units = s.store.boards.beds.cachedPicture(undefined, (f) => (t.path(`E:${f}`) ?? '').startsWith(regionPath));
    // An ARS's workstation holds the beds of its région and the bordering départements only.
    if (units.length === 0) throw new ApiError('bad_args', fr.transfers.operation.noBedsInView(t.label(op.receivingRegion).replace(/^ARS\s+/, '')));
    const now = Date.now();
    const held = heldBeds(s.store.boards.transfers.listHolds(), now, units);
    const staleHours = s.store.boards.beds.bedSettings().staleAfterHours;
    const planUnits: PlanUnitView[] = units.map((u) => {
      const e = t.establishment(u.finess);
      const key = `${u.finess}:${u.unitId}`;
      return {
        key,
        finess: u.finess,
        unitId: u.unitId,
        unitType: u.unitType,
        label: unitLabel(u),
        establishmentName: e?.shortName ?? u.finess,
        free: Math.max(0, u.available - (held.get(key) ?? 0)),
        minutes: e ? travelMinutes({ lat: op.arrival.lat, lon: op.arrival.lon }, { lat: e.lat, lon: e.lon }, EVACUATION_MODE) : null,
        stale: isStale(u.at, now, staleHours),
      };
    });
    // Each patient alights at its leg's arrival (the last one unless the regulator chose a stop).
    const legs = legsOf(op);
    const alight = new Map(seatsOf(op).map((x) => [x.transferId, legs[x.alightLeg]?.arrival ?? op.arrival]));
    const input = {
      arrival: { lat: op.arrival.lat, lon: op.arrival.lon },
      patients: op.transferIds.map((tid) => {
        const at = alight.get(tid) ?? op.arrival;
        return { id: tid, need: [...NEEDS[transfers.get(tid)?.patient.need ?? 'rea_adulte']], arrival: { lat: at.lat, lon: at.lon } };
      }),
      // Stale figures are not planned on: a bed seen a day ago may be gone.
      units: planUnits
        .filter((u) => !u.stale && u.free > 0)
        .map((u) => {
          const e = t.establishment(u.finess);
          return { key: u.key, unitType: u.unitType, free: u.free, lat: e?.lat ?? null, lon: e?.lon ?? null };
        }),
    };
    const plan = planEvacuation(input);
    const greedy = planEvacuationGreedy(input);
    // Road minutes from each leg's arrival, for the lines the regulator changes by hand.
    const minutesByLeg = legs.map((l) =>
      Object.fromEntries(
        planUnits.map((u) => {
          const e = t.establishment(u.finess);
          return [u.key, e ? travelMinutes({ lat: l.arrival.lat, lon: l.arrival.lon }, { lat: e.lat, lon: e.lon }, EVACUATION_MODE) : null];
        }),
      ),
    );
    return { plan, units: planUnits, greedyTotalMinutes: greedy.totalMinutes, greedyPlaced: greedy.placed, minutesByLeg };
  });

  table.register('transfers.holdOperation', ({ id, assignments }) => {
    const op = ctx.session.requireActive().store.boards.transfers.listOperations().find((r) => r.operation.id === id)?.operation;
    if (!op) throw new ApiError('bad_args', fr.transfers.operation.notFound);
    return queueMutation(ctx, 'operation.hold', { id, assignments: assignments.map((a) => ({ ...a, holdId: randomUUID() })), holdHours: operationHoldHours(op, Date.now()) }, ['operation', 'transfer', 'hold', 'message']);
  });

  table.register('transfers.create', (args) => {
    const id = randomUUID();
    return queueMutation(ctx, 'transfer.create', { id, ...args, originUnitId: args.originUnitId ?? null, transport: args.transport ?? null, draft: args.draft ?? false, comment: args.comment ?? '' }, ['transfer', 'transferSummary', 'message'], id);
  });

  table.register('transfers.summary', (args) => queueMutation(ctx, 'transfer.summary', { id: args.id, summary: args.summary }, ['transferSummary']));

  table.register('transfers.step', (args) => {
    const comment = 'comment' in args ? (args.comment ?? '') : '';
    switch (args.step) {
      case 'submit':
      case 'depart':
      case 'arrive':
        return queueMutation(ctx, `transfer.${args.step}`, { id: args.id, comment }, ['transfer', 'hold', 'message']);
      case 'propose':
        return queueMutation(ctx, 'transfer.propose', { id: args.id, destFiness: args.destFiness, destUnitId: args.destUnitId, transport: args.transport ?? null, comment }, ['transfer', 'transferSummary', 'message']);
      case 'accept':
        // Without a duration, the hold lasts this workstation's configured delay.
        return queueMutation(
          ctx,
          'transfer.accept',
          { id: args.id, holdId: randomUUID(), holdHours: args.holdHours ?? ctx.session.requireActive().store.boards.transfers.transferSettings().holdHours, comment },
          ['transfer', 'hold', 'message'],
        );
      case 'refuse':
      case 'cancel':
        return queueMutation(ctx, `transfer.${args.step}`, { id: args.id, reason: args.reason }, ['transfer', 'hold', 'message']);
      case 'organize':
        return queueMutation(ctx, 'transfer.organize', { id: args.id, transport: args.transport, comment }, ['transfer', 'message']);
    }
  });

  table.register('transfers.holds', () => ctx.session.requireActive().store.boards.transfers.listHolds());

  table.register('transfers.settings', () => ctx.session.requireActive().store.boards.transfers.transferSettings());
  table.register('transfers.setSettings', (settings) => {
    const s = ctx.session.requireActive();
    const saved = s.store.boards.transfers.setTransferSettings(settings);
    ctx.emit('data.changed', { entities: ['transfer'] });
    // A shorter delay may make a proposal unanswered now: told at once, not at the next tick.
    s.clocks.check();
    return saved;
  });

  table.register('transfers.candidates', ({ id }): CandidateView[] => {
    const s = ctx.session.requireActive();
    const t = ctx.territories();
    const x = s.store.boards.transfers.listTransfers().find((r) => r.transfer.id === id)?.transfer;
    if (!x) throw new ApiError('bad_args', fr.transfers.notFound);
    // Every unit this workstation knows (its own scope, and the neighbours it read), but the origin's own.
    const units = s.store.boards.beds.cachedPicture(undefined, (f) => f !== x.originFiness);
    const now = Date.now();
    const held = heldBeds(s.store.boards.transfers.listHolds(), now, units);
    const origin = t.establishment(x.originFiness);
    const ranked = rankCandidates({
      origin: { lat: origin?.lat ?? null, lon: origin?.lon ?? null },
      mode: x.transport ?? 'smur',
      need: NEEDS[x.patient.need],
      units: units.map((u) => {
        const e = t.establishment(u.finess);
        return { finess: u.finess, unitId: u.unitId, unitType: u.unitType, establishmentName: e?.shortName ?? u.finess, lat: e?.lat ?? null, lon: e?.lon ?? null, available: u.available, held: held.get(`${u.finess}:${u.unitId}`) ?? 0, at: u.at };
      }),
      now,
      staleAfterHours: s.store.boards.beds.bedSettings().staleAfterHours,
    });
    const byKey = new Map(units.map((u) => [`${u.finess}:${u.unitId}`, u]));
    return ranked.map((c) => ({
      finess: c.finess,
      unitId: c.unitId,
      unitType: c.unitType,
      label: unitLabel(byKey.get(`${c.finess}:${c.unitId}`) ?? { unitType: c.unitType, unitId: c.unitId, unitName: null }),
      establishmentName: c.establishmentName,
      dep: t.establishment(c.finess)?.dep ?? '',
      available: c.available,
      held: c.held,
      free: c.free,
      at: c.at,
      stale: c.stale,
      minutes: c.minutes,
    }));
  });
}
